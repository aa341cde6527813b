"""The 监督事项 list: one row per matter, fetched a page at a time so 100,000 matters stay quick (N-2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex

from ...services.matters import MatterRow
from ..formatting import table_date
from .base import ROOT, Column, Index, RowTableModel

Fetch = Callable[[int, int], list[MatterRow]]  # (limit, offset) -> rows

C = "tables"
COL_REG_NO, COL_RECEIVED, COL_SOURCE, COL_UNITS, COL_TITLE, COL_STATUS, COL_HANDLER, COL_DEADLINE = range(8)


class MatterTableModel(RowTableModel):
    PAGE = 200
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "登记编号"), lambda r: r.reg_no),
        Column(QT_TRANSLATE_NOOP(C, "受理日期"), lambda r: table_date(r.received_on)),
        Column(QT_TRANSLATE_NOOP(C, "来源"), lambda r: r.source_label, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "被监督单位"), lambda r: r.units, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "标题"), lambda r: r.title, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "状态"), lambda r: r.status_label),
        Column(QT_TRANSLATE_NOOP(C, "承办人"), lambda r: r.handler),
        Column(QT_TRANSLATE_NOOP(C, "整改期限"), lambda r: table_date(r.rectification_deadline)),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch: Fetch | None = None
        self._exhausted = True

    def load(self, fetch: Fetch) -> None:
        """Start over with a new query; further pages come when the view scrolls (fetchMore)."""
        self._fetch = fetch
        first = fetch(self.PAGE, 0)
        self._exhausted = len(first) < self.PAGE
        self.set_rows(first)

    @property
    def complete(self) -> bool:
        return self._exhausted

    def canFetchMore(self, parent: Index = ROOT) -> bool:
        return not parent.isValid() and self._fetch is not None and not self._exhausted

    def fetchMore(self, parent: Index = ROOT) -> None:
        if not self.canFetchMore(parent):
            return
        assert self._fetch is not None
        more = self._fetch(self.PAGE, len(self._rows))
        self._exhausted = len(more) < self.PAGE
        if more:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()
