"""Obligations (时限) as table rows, coloured by urgency (T-5: overdue red, within 1 working day amber)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from ...services.obligations import ObligationRow
from .. import style
from ..formatting import days_left_text, table_date, urgency, vocab_text
from ..translate import QT_TRANSLATE_NOOP
from .base import Column, RowTableModel

C = "tables"


def subject(row: ObligationRow) -> str:
    """The title without the kind it starts with (that has its own column)."""
    return row.title.removeprefix(f"{row.kind_label}：")


_COLOURS = {
    "overdue": (QColor(style.OVERDUE_TEXT), QColor(style.OVERDUE_BACKGROUND)),
    "soon": (QColor(style.SOON_TEXT), QColor(style.SOON_BACKGROUND)),
}

COL_KIND, COL_REG_NO, COL_SUBJECT, COL_DUE, COL_LEFT, COL_STATUS = range(6)


class ObligationTableModel(RowTableModel):
    columns: tuple[Column, ...] = (
        Column(QT_TRANSLATE_NOOP(C, "期限类型"), lambda r: vocab_text(r.kind_label)),
        Column(QT_TRANSLATE_NOOP(C, "事项编号"), lambda r: r.reg_no or "—"),
        Column(QT_TRANSLATE_NOOP(C, "事项/标题"), subject, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "到期日"), lambda r: r.due_text, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "剩余工作日"), days_left_text),
        Column(QT_TRANSLATE_NOOP(C, "状态"), lambda r: vocab_text(r.status_label)),
    )

    def decorate(self, row: ObligationRow, column: int, role: int) -> Any:
        colours = _COLOURS.get(urgency(row))
        if colours is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(colours[0])
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(colours[1])
        return None


COL_MET = 6


class ObligationRegisterModel(ObligationTableModel):
    """The 整改与时限 register also says when an obligation was met."""

    columns = (*ObligationTableModel.columns,
               Column(QT_TRANSLATE_NOOP(C, "完成日期"), lambda r: table_date(r.met_on)))


class MatterObligationModel(ObligationTableModel):
    """Inside a matter's detail the matter number is redundant."""

    columns = (ObligationTableModel.columns[COL_KIND], *ObligationTableModel.columns[COL_DUE:])
