"""A matter's timeline (M-3): who did what, when and why, newest last."""

from __future__ import annotations

from ...services.matters import EventRow
from ..formatting import table_date, vocab_text
from ..translate import QT_TRANSLATE_NOOP
from .base import Column, RowTableModel

C = "tables"


def change(row: EventRow) -> str:
    return f"{vocab_text(row.from_label)} → {vocab_text(row.to_label)}" if row.from_label else vocab_text(row.to_label)


def remarks(row: EventRow) -> str:
    return "；".join(part for part in (row.reason, row.detail) if part)


class EventTableModel(RowTableModel):
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "日期"), lambda r: table_date(r.on)),
        Column(QT_TRANSLATE_NOOP(C, "操作"), lambda r: vocab_text(r.action_label)),
        Column(QT_TRANSLATE_NOOP(C, "状态变化"), change),
        Column(QT_TRANSLATE_NOOP(C, "办理人"), lambda r: r.actor),
        Column(QT_TRANSLATE_NOOP(C, "理由/说明"), remarks, tooltip=True),
    )
