"""S-7 at the bureau: one row per township office (and the county's totals), and the items waiting for the bureau.

Overdue escalations are red (T-5: a time limit of the office has passed); an assistance request past the bureau's
own 3 working days is red, one due within a working day amber, as everywhere else.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...services.county import AwaitingItem, AwaitingKind, OfficeFigures
from .. import style
from ..translate import QT_TRANSLATE_NOOP
from .base import Column, RowTableModel

C = "tables"
TOTAL_BACKGROUND = "#eef2f7"


def _tr(text: str) -> str:
    return QCoreApplication.translate(C, text)


def office_name(row: OfficeFigures) -> str:
    if row.is_total:
        return _tr("全县合计")
    return row.name if row.active else _tr("{name}（已停用）").format(name=row.name)


def last_packet(row: OfficeFigures) -> str:
    if row.is_total:
        return ""
    if not row.last_seq:
        return _tr("未收到")
    when = f" {row.last_packet_on:%Y-%m-%d}" if row.last_packet_on else ""
    return _tr("第{n}号{when}").format(n=row.last_seq, when=when)


def assistance(row: OfficeFigures) -> str:
    if row.overdue_assistance:
        return _tr("{n}（逾期{m}）").format(n=row.awaiting_assistance, m=row.overdue_assistance)
    return str(row.awaiting_assistance)


def rate(row: OfficeFigures) -> str:
    value = row.rectification_rate
    if value is None:
        return "—"
    return f"{value:.0%}（{row.rectified_on_time}/{row.rectification_due}）"


COL_OFFICE, COL_PACKET, COL_OPEN, COL_OVERDUE, COL_ASSISTANCE, COL_NOTICE, COL_RATE = range(7)

# What each figure means, in the clerk's words (services/county.py has the precise definitions).
HEADER_TIPS = {
    COL_PACKET: QT_TRANSLATE_NOOP(C, "最近导入的该所数据包序号和导入日期；数字以该数据包为准。"),
    COL_OPEN: QT_TRANSLATE_NOOP(C, "状态不是“办结”或“已移送”的事项。"),
    COL_OVERDUE: QT_TRANSLATE_NOOP(C, "逾期未改、拒不整改或情节严重复杂，应在3个工作日内提请司法局而已超过期限仍未提请的事项。"),
    COL_ASSISTANCE: QT_TRANSLATE_NOOP(C, "本局已收到、尚未答复的执法协作函（应在收到后3个工作日内答复）。"),
    COL_NOTICE: QT_TRANSLATE_NOOP(C, "已提请司法局、本局尚未制发《行政执法监督通知书》的事项。"),
    COL_RATE: QT_TRANSLATE_NOOP(C, "本年整改期限已届满的建议书中，在期限内确认整改的比例（按期整改/期限已届满）。"),
}


class CountyTableModel(RowTableModel):
    """Offices, then the totals row (``set_overview``)."""

    columns = (
        Column(QT_TRANSLATE_NOOP(C, "司法所"), office_name, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "最近数据包"), last_packet),
        Column(QT_TRANSLATE_NOOP(C, "在办事项"), lambda r: str(r.open_matters), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "逾期未提请"), lambda r: str(r.overdue_escalations), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "待复协作函"), assistance, centered=True),
        Column(QT_TRANSLATE_NOOP(C, "待发通知书"), lambda r: str(r.awaiting_notice), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "整改按期率"), rate, centered=True),
    )

    def set_overview(self, offices: tuple[OfficeFigures, ...], total: OfficeFigures) -> None:
        self.set_rows([*offices, total])

    def row_id(self, row: Any) -> int | None:
        return None

    def decorate(self, row: OfficeFigures, column: int, role: int) -> Any:
        red = ((column == COL_OVERDUE and row.overdue_escalations > 0)
               or (column == COL_ASSISTANCE and row.overdue_assistance > 0))
        if red and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(style.OVERDUE_TEXT))
        if red and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(style.OVERDUE_BACKGROUND))
        if row.is_total and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(TOTAL_BACKGROUND))
        if role == Qt.ItemDataRole.FontRole and (row.is_total or red):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not row.active and not row.is_total:
            return QBrush(QColor(style.MUTED_TEXT))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            tip = HEADER_TIPS.get(section)
            return _tr(tip) if tip else None
        return super().headerData(section, orientation, role)


def waiting_text(row: AwaitingItem) -> str:
    """Working days left to reply, or (escalations have no time limit) how long the office has been waiting."""
    left = row.working_days_left
    if left is None:
        return _tr("已等 {n} 个工作日").format(n=row.waiting_days) if row.waiting_days else _tr("今日收到")
    if left < 0:
        return _tr("逾期 {n} 个工作日").format(n=-left)
    if left == 0:
        return _tr("今日到期")
    return _tr("{n} 个工作日").format(n=left)


_KIND_LABELS = {
    AwaitingKind.ASSISTANCE_REPLY: QT_TRANSLATE_NOOP(C, "答复执法协作函"),
    AwaitingKind.SUPERVISION_NOTICE: QT_TRANSLATE_NOOP(C, "制发监督通知书"),
}

(A_COL_KIND, A_COL_OFFICE, A_COL_REG_NO, A_COL_TITLE, A_COL_DOCUMENT, A_COL_RECEIVED, A_COL_DUE,
 A_COL_LEFT) = range(8)


class AwaitingTableModel(RowTableModel):
    """What the townships wait for: assistance replies (with the bureau's deadline) and supervision notices."""

    columns = (
        Column(QT_TRANSLATE_NOOP(C, "待办"), lambda r: _tr(_KIND_LABELS[r.kind])),
        Column(QT_TRANSLATE_NOOP(C, "司法所"), lambda r: r.office_name),
        Column(QT_TRANSLATE_NOOP(C, "事项编号"), lambda r: r.reg_no or "—"),
        Column(QT_TRANSLATE_NOOP(C, "事项"), lambda r: r.title, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "来文"), lambda r: r.document_number or _tr("（未附报告）"), tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "收到日期"), lambda r: r.received_on.isoformat()),
        Column(QT_TRANSLATE_NOOP(C, "答复期限"), lambda r: r.due_text or "—", tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "剩余工作日"), waiting_text),
    )

    def row_id(self, row: Any) -> int | None:
        return row.matter_id  # type: ignore[no-any-return]

    def decorate(self, row: AwaitingItem, column: int, role: int) -> Any:
        left = row.working_days_left
        colours = (None if left is None else (style.OVERDUE_TEXT, style.OVERDUE_BACKGROUND) if left < 0
                   else (style.SOON_TEXT, style.SOON_BACKGROUND) if left <= 1 else None)
        if colours is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(colours[0]))
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(colours[1]))
        return None
