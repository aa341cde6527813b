"""The 监督事项 list: one row per matter, fetched a page at a time so 100,000 matters stay quick (N-2).

The first page and the total arrive together (``show_page``, or ``load`` which fetches it in place); the view
asks for more as it scrolls (``canFetchMore``/``fetchMore``), PAGE rows at a time, until a short page says the
list is complete. A new filter starts over with a model reset.

At the bureau (S-7) the list holds every township's matters and the model has one more column, COL_OFFICE, the
last in the model so that the other columns keep their numbers; the view shows it next to the registration number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ...services.search import MatterRow
from .. import style
from ..formatting import table_date, vocab_text
from ..translate import QT_TRANSLATE_NOOP
from .base import ROOT, Column, Index, RowTableModel

Fetch = Callable[[int, int], list[MatterRow]]  # (limit, offset) -> rows

C = "tables"
(COL_REG_NO, COL_RECEIVED, COL_SOURCE, COL_UNITS, COL_TITLE, COL_STATUS, COL_HANDLER, COL_DEADLINE,
 COL_COMPLAINANT, COL_OFFICE) = range(10)  # COL_OFFICE: with ``offices`` only
OWN = QT_TRANSLATE_NOOP(C, "本局")  # the bureau's own matters in the 司法所 column
OFFICE_COLUMN = Column(QT_TRANSLATE_NOOP(C, "司法所"), lambda r: r.office or QCoreApplication.translate(C, OWN),
                       tooltip=True)

PROVISIONAL = QT_TRANSLATE_NOOP(C, "（待确认）")


def _deadline_text(row: Any) -> str:
    """T-3: a deadline in a year whose holidays are not imported yet is marked wherever it is shown."""
    text = table_date(row.rectification_deadline)
    if text and row.deadline_provisional:
        text += QCoreApplication.translate(C, PROVISIONAL)
    return text


class MatterTableModel(RowTableModel):
    PAGE = 200
    columns: tuple[Column, ...] = (
        Column(QT_TRANSLATE_NOOP(C, "登记编号"), lambda r: r.reg_no),
        Column(QT_TRANSLATE_NOOP(C, "受理日期"), lambda r: table_date(r.received_on)),
        Column(QT_TRANSLATE_NOOP(C, "来源"), lambda r: vocab_text(r.source_label), tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "被监督单位"), lambda r: r.units, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "标题"), lambda r: r.title),  # tooltip: title and category, see decorate
        Column(QT_TRANSLATE_NOOP(C, "状态"), lambda r: vocab_text(r.status_label)),
        Column(QT_TRANSLATE_NOOP(C, "承办人"), lambda r: r.handler),
        Column(QT_TRANSLATE_NOOP(C, "整改期限"), _deadline_text),
        Column(QT_TRANSLATE_NOOP(C, "反映人"), lambda r: r.complainant),  # masked (M-7)
    )

    def __init__(self, parent: Any = None, offices: bool = False) -> None:
        """``offices``: the bureau's list (S-7), with the 司法所 column."""
        super().__init__(parent)
        if offices:
            self.columns = (*type(self).columns, OFFICE_COLUMN)
        self._fetch: Fetch | None = None
        self._exhausted = True
        self._total: int | None = None
        self._at_least = False

    def load(self, fetch: Fetch) -> None:
        """Start over with a new query, fetching its first page in place; the total is not known."""
        self.show_page(fetch(self.PAGE, 0), None, fetch=fetch)

    def show_page(self, rows: Sequence[MatterRow], total: int | None, at_least: bool = False,
                  fetch: Fetch | None = None) -> None:
        """Start over with a first page fetched elsewhere (a worker); ``fetch`` brings the following pages."""
        self._fetch = fetch
        self._exhausted = len(rows) < self.PAGE
        self._total, self._at_least = total, at_least
        self.set_rows(rows)

    @property
    def complete(self) -> bool:
        return self._exhausted

    @property
    def total(self) -> int | None:
        """How many matters the filter matches (all pages), when known."""
        return len(self._rows) if self._exhausted else self._total

    @property
    def total_is_lower_bound(self) -> bool:
        return not self._exhausted and self._at_least

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

    def decorate(self, row: MatterRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_TITLE:
            return f"{row.title}\n{vocab_text(row.category_label)}" if row.category_label else row.title
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_DEADLINE and row.deadline_provisional:
            return QCoreApplication.translate(C, "按法定节假日推算，待国务院通知确认；导入该年节假日安排后自动重算。")
        if role == Qt.ItemDataRole.ForegroundRole and column in (COL_STATUS, COL_DEADLINE) and row.overdue:
            return QBrush(QColor(style.OVERDUE_TEXT))  # a time limit has passed (T-5 red)
        return None
