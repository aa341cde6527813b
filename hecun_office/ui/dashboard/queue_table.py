"""The dashboard's documents waiting for the person logged in (待我审核, 待我签发, 被退回) as table rows."""

from __future__ import annotations

from datetime import datetime

from ...services.my_queue import QueuedDocument
from ..models.base import Column, RowTableModel
from ..translate import QT_TRANSLATE_NOOP

C = "tables"


def _when(at: datetime | None) -> str:
    return f"{at:%Y-%m-%d %H:%M}" if at else ""


COL_TITLE, COL_REG_NO, COL_MATTER, COL_DRAFTER, COL_SINCE = range(5)
COL_RETURNED_BY, COL_RETURNED_AT, COL_COMMENT = range(3, 6)  # the returned drafts: 退回人, 退回时间, 退回意见


class QueueTableModel(RowTableModel):
    """Documents to review or to sign off: what, for which matter, who drafted it, since when."""

    columns: tuple[Column, ...] = (
        Column(QT_TRANSLATE_NOOP(C, "文书"), lambda r: r.title, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "事项编号"), lambda r: r.matter_reg_no or "—"),
        Column(QT_TRANSLATE_NOOP(C, "事项"), lambda r: r.matter_title or "—", tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "拟稿人"), lambda r: r.drafted_by),
        Column(QT_TRANSLATE_NOOP(C, "送来时间"), lambda r: _when(r.since)),
    )

    def row_id(self, row: QueuedDocument) -> int:
        return row.id


class ReturnedTableModel(QueueTableModel):
    """My drafts sent back: who sent them back, when, and what to change."""

    columns = (
        *QueueTableModel.columns[:COL_DRAFTER],
        Column(QT_TRANSLATE_NOOP(C, "退回人"), lambda r: r.returned_by),
        Column(QT_TRANSLATE_NOOP(C, "退回时间"), lambda r: _when(r.since)),
        Column(QT_TRANSLATE_NOOP(C, "退回意见"), lambda r: r.comment, tooltip=True),
    )
