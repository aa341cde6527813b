"""Behaviour of the 监督事项 list: filtering, lazy paging, registering, opening a matter."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut

from ...services.matters import MatterFilter, MatterRow, Registered, list_matters
from ..context import UiContext
from ..errors import show_error, show_info
from ..models.base import ID_ROLE
from .matters_view import MattersView
from .register_dialog import RegisterDialog

SEARCH_DELAY_MS = 250


class MattersPage(MattersView):
    open_requested = Signal(int)
    registered = Signal(int)
    message = Signal(str)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._find = QShortcut(QKeySequence.StandardKey.Find, self)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.refresh)
        self._search_timer.timeout.connect(self.refresh)
        self.status_filter.currentIndexChanged.connect(self.refresh)
        self.table.activated.connect(self._open_index)
        self.register_button.clicked.connect(self.open_register_dialog)
        self._find.activated.connect(self._focus_search)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)

    # --- list ---------------------------------------------------------------------------------------
    def current_filter(self) -> MatterFilter:
        return MatterFilter(text=self.search.text(), status=self.status_filter.currentData())

    def refresh(self) -> None:
        self._search_timer.stop()
        selected = self.selected_id()
        try:
            self.model.load(partial(self._fetch_page, self.current_filter()))
        except Exception as exc:
            show_error(self, exc)
            return
        if selected is not None:
            self.select(selected)

    def _fetch_page(self, flt: MatterFilter, limit: int, offset: int) -> list[MatterRow]:
        return list_matters(self._ctx.db, flt, limit=limit, offset=offset)

    def _update_count(self) -> None:
        n = self.model.rowCount()
        if self.model.complete:
            self.count_label.setText(self.tr("共 {n} 项").format(n=n))
        else:
            self.count_label.setText(self.tr("已列出 {n} 项，向下滚动加载更多").format(n=n))

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select(self, matter_id: int) -> bool:
        row = self.model.find(matter_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _open_index(self, index: QModelIndex) -> None:
        matter_id = index.data(ID_ROLE)
        if matter_id is not None:
            self.open_requested.emit(matter_id)

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- registering --------------------------------------------------------------------------------
    def open_register_dialog(self) -> RegisterDialog | None:
        try:
            dialog = RegisterDialog(self._ctx, self)
        except Exception as exc:
            show_error(self, exc)
            return None
        dialog.registered.connect(self._on_registered)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _on_registered(self, result: Registered) -> None:
        self.refresh()
        self.select(result.id)
        self.message.emit(self.tr("已登记 {reg_no}").format(reg_no=result.reg_no))
        self.registered.emit(result.id)
        if result.duplicates:
            show_info(self, self.tr("来源编号重复"), self.tr(
                "事项已登记为 {reg_no}。\n\n注意：它的来源编号与 {others} 相同，可能是同一诉求的重复登记，"
                "请核对。").format(
                reg_no=result.reg_no, others="、".join(result.duplicates)))
