"""The 月度晒绩表 on screen (seed 001 "一月一晒绩"): one row per supervised unit, or per 司法所 at the bureau, in
the order the statistics service ranks them. A rate below 60 % is red, as on the chart beside it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from ...services.statistics import LeagueRow
from .. import charts, style
from ..models.base import Column, RowTableModel
from ..translate import QT_TRANSLATE_NOOP

C = "tables"


def rank_text(row: LeagueRow) -> str:
    return str(row.rank) if row.rank is not None else "—"


def rate_text(row: LeagueRow) -> str:
    rate = row.rate
    return f"{rate.text}（{rate.numerator}/{rate.denominator}）" if rate.denominator else rate.text


def _count(attribute: str) -> Any:
    return lambda row: str(getattr(row, attribute))


COUNTS = (
    Column(QT_TRANSLATE_NOOP(C, "收到建议书"), _count("received"), centered=True),
    Column(QT_TRANSLATE_NOOP(C, "按期整改"), _count("on_time"), centered=True),
    Column(QT_TRANSLATE_NOOP(C, "逾期整改"), _count("late"), centered=True),
    Column(QT_TRANSLATE_NOOP(C, "逾期未整改"), _count("outstanding"), centered=True),
    Column(QT_TRANSLATE_NOOP(C, "期限未到"), _count("pending"), centered=True),
    Column(QT_TRANSLATE_NOOP(C, "已提请"), _count("escalated"), centered=True),
    Column(QT_TRANSLATE_NOOP(C, "整改按期率"), rate_text, centered=True),
)
RANK = Column(QT_TRANSLATE_NOOP(C, "排名"), rank_text, centered=True)
UNIT = Column(QT_TRANSLATE_NOOP(C, "被监督单位"), lambda row: row.unit, tooltip=True)
OFFICE = Column(QT_TRANSLATE_NOOP(C, "司法所"), lambda row: row.office_name, tooltip=True)


class LeagueTableModel(RowTableModel):
    """Per unit; at the bureau (``offices``) with the unit's 司法所 beside it."""

    def __init__(self, offices: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = (RANK, OFFICE, UNIT, *COUNTS) if offices else (RANK, UNIT, *COUNTS)

    def column_of(self, column: Column) -> int:
        return self.columns.index(column)

    def decorate(self, row: LeagueRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            percent = row.rate.percent
            if self.columns[column] is COUNTS[-1] and percent is not None and percent < 100 * charts.FAIR_RATE:
                return QBrush(QColor(charts.POOR))
            if row.rank is None:
                return QBrush(QColor(style.MUTED_TEXT))  # nothing to judge in this period
        return None


class OfficeLeagueModel(LeagueTableModel):
    """Per 司法所 (the bureau's league of townships)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(False, parent)
        self.columns = (RANK, OFFICE, *COUNTS)
