"""The 监督事项 section: the list and a matter's detail, one at a time."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget

from ...services.changes import Changes
from ..context import UiContext
from .detail_page import DetailPage
from .matters_page import MattersPage


class MattersSection(QStackedWidget):
    message = Signal(str)

    def __init__(self, ctx: UiContext, offices: bool = False) -> None:
        """``offices``: the bureau's section, listing every township's matters (S-7)."""
        super().__init__()
        self.list_page = MattersPage(ctx, offices)
        self.detail_page = DetailPage(ctx)
        self.addWidget(self.list_page)
        self.addWidget(self.detail_page)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.list_page.open_requested.connect(self.show_matter)
        self.list_page.message.connect(self.message)
        self.detail_page.back_requested.connect(self.show_list)
        self.detail_page.message.connect(self.message)

    def show_matter(self, matter_id: int) -> None:
        if self.detail_page.show_matter(matter_id):
            self.setCurrentWidget(self.detail_page)

    def show_list(self) -> None:
        self.setCurrentWidget(self.list_page)
        detail = self.detail_page.detail
        if detail is not None:
            self.list_page.select(detail.id)
        self.list_page.table.setFocus()

    def show_office(self, code: str) -> None:
        """The list, filtered to the open matters of the township ``code`` (the bureau's county overview)."""
        self.setCurrentWidget(self.list_page)
        self.list_page.show_office(code)
        self.list_page.table.setFocus()

    def refresh(self) -> None:
        self.list_page.refresh()
        if self.currentWidget() is self.detail_page:
            self.detail_page.refresh()

    def apply_changes(self, changes: Changes) -> None:
        # The list lies under an open matter and Esc goes back to it: while the section is shown it stays current.
        # A search the clerk is still typing will read the list when the pause comes; reading now would apply it early.
        if self.isVisible() and changes.touches(self.list_page.READS) and not self.list_page.filters.pending():
            self.list_page.refresh(background=self.currentWidget() is not self.list_page)
        self.detail_page.apply_changes(changes)
