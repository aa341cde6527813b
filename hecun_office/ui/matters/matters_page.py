"""Behaviour of the 监督事项 list: filtering (M-6), lazy paging, saved filters, registering, opening a matter."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QInputDialog, QMessageBox

from ...services.database import Database
from ...services.matters import Registered, list_units, list_users
from ...services.search import (
    FilterExists,
    MatterFilter,
    SavedFilterRow,
    delete_saved_filter,
    list_saved_filters,
    offices,
    save_filter,
)
from ..context import UiContext
from ..errors import confirm_action, open_dialog, show_error, show_info
from ..intake.intake_dialog import IntakeDialog
from ..models.base import ID_ROLE
from .list_loader import MatterListLoader
from .matters_view import MattersView
from .register_dialog import RegisterDialog


class MattersPage(MattersView):
    open_requested = Signal(int)
    registered = Signal(int)
    message = Signal(str)
    # The list's rows and its filter choices (units, handlers, offices) are read from these.
    READS = frozenset({"matters", "matter_units", "units", "users", "obligations", "peers"})

    def __init__(self, ctx: UiContext, offices: bool = False) -> None:
        """``offices``: the bureau's list of every township's matters (S-7)."""
        super().__init__(offices)
        self._ctx = ctx
        self._offices = offices
        self.loader = MatterListLoader(ctx.db, ctx.today, self.model, self, ctx.tasks)
        self._select_after_load: int | None = None
        self._replace_name = ""
        self._filter_name = ""
        self._find = QShortcut(QKeySequence.StandardKey.Find, self)
        today = ctx.today()
        self.filters.set_default_dates(date(today.year, 1, 1), today)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.filters.changed.connect(self.refresh)
        self.filters.save_requested.connect(self.ask_filter_name)
        self.filters.delete_requested.connect(self._delete_filter)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._failed)
        self.table.activated.connect(self._open_index)
        self.register_button.clicked.connect(self.open_register_dialog)
        self.intake_button.clicked.connect(self.open_intake_dialog)
        self._find.activated.connect(self._focus_search)
        self.model.rowsInserted.connect(self._update_count)

    # --- list ---------------------------------------------------------------------------------------
    def current_filter(self) -> MatterFilter:
        return self.filters.current_filter()

    def refresh(self, background: bool = False) -> None:
        """Read the list again for the filter shown: after a change of filter, or of the data (``background``:
        the query runs on the reader pool, see MatterListLoader.load)."""
        if self._select_after_load is None:
            self._select_after_load = self.selected_id()
        try:
            self._load_choices()
            self.filters.mark_applied()
            self.loader.load(self.current_filter(), background)
        except Exception as exc:
            self._select_after_load = None
            show_error(self, exc)
            return
        if self.loader.running:
            self.count_label.setText(self.tr("正在查询…"))

    def show_office(self, code: str) -> None:
        """At the bureau: the open matters of the township ``code`` ('' = of every township), other filters off."""
        try:
            self._load_choices()
        except Exception as exc:
            show_error(self, exc)
            return
        self.filters.saved.setCurrentIndex(0)
        self.filters.set_filter(MatterFilter(open_only=True, office_code=code or None))

    def _load_choices(self) -> None:
        db = self._ctx.db
        self.filters.set_choices(list_units(db), list_users(db), offices(db) if self._offices else ())
        self.filters.set_saved(list_saved_filters(db, self._owner()))

    def _loaded(self) -> None:
        selected, self._select_after_load = self._select_after_load, None
        if selected is not None:
            self.select(selected)
        self._update_count()

    def _failed(self, exc: object) -> None:
        self._select_after_load = None
        self._update_count()
        show_error(self, exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))

    def _update_count(self) -> None:
        if self.loader.running:
            return
        n, total = self.model.rowCount(), self.model.total
        if self.model.complete:
            text = self.tr("共 {n} 项").format(n=f"{n:,}")
        elif self.model.total_is_lower_bound:
            text = self.tr("超过 {total} 项，已列出 {n} 项；可增加筛选条件缩小范围").format(total=f"{total:,}", n=f"{n:,}")
        elif total is not None:
            text = self.tr("共 {total} 项，已列出 {n} 项，向下滚动继续加载").format(total=f"{total:,}", n=f"{n:,}")
        else:
            text = self.tr("已列出 {n} 项，向下滚动加载更多").format(n=f"{n:,}")
        self.count_label.setText(text)

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select(self, matter_id: int) -> bool:
        """Select the matter if it is listed; while a query runs, once its rows are in."""
        if self.loader.running:
            self._select_after_load = matter_id
            return True
        row = self.model.find(matter_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    # --- saved filters (M-6) ------------------------------------------------------------------------
    def _owner(self) -> str:
        actor = self._ctx.actor
        return f"user:{actor.user_id}" if actor.user_id is not None else actor.name

    def ask_filter_name(self) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setObjectName("saveFilterDialog")
        dialog.setWindowTitle(self.tr("保存筛选"))
        dialog.setLabelText(self.tr("给当前的搜索和筛选条件起个名字："))
        dialog.setTextValue(self.filters.chosen_saved_name())
        dialog.setOkButtonText(self.tr("保存"))
        dialog.setCancelButtonText(self.tr("取消"))
        dialog.setMinimumWidth(360)
        dialog.textValueSelected.connect(self.save_current_filter)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def save_current_filter(self, name: str, replace: bool = False) -> None:
        self._filter_name = name
        self._ctx.tasks.write(partial(_save_and_list, self._ctx.db, self._owner(), name, self.current_filter(),
                                      replace), self._filter_saved, self._filter_not_saved)

    def _filter_saved(self, saved: object) -> None:
        name = self._filter_name.strip()
        self.filters.set_saved(saved, current=name)  # type: ignore[arg-type]
        self.message.emit(self.tr("已保存筛选“{name}”").format(name=name))

    def _filter_not_saved(self, exc: object) -> None:
        if isinstance(exc, FilterExists):
            self._confirm_replace(self._filter_name, exc.message)
        elif isinstance(exc, BaseException):
            show_error(self, exc)

    def _confirm_replace(self, name: str, text: str) -> None:
        self._replace_name = name
        confirm_action(self, self.tr("替换已保存的筛选"), text, self.tr("替换"), self._replace_saved,
                icon=QMessageBox.Icon.Question, object_name="replaceFilterBox", cancel_is_default=False)

    def _replace_saved(self) -> None:
        self.save_current_filter(self._replace_name, replace=True)

    def _delete_filter(self, filter_id: int) -> None:
        self._filter_name = self.filters.chosen_saved_name()
        self._ctx.tasks.write(partial(_delete_and_list, self._ctx.db, self._owner(), filter_id),
                              self._filter_deleted, self._show_failure)

    def _filter_deleted(self, saved: object) -> None:
        self.filters.set_saved(saved, current="")  # type: ignore[arg-type]
        self.message.emit(self.tr("已删除筛选“{name}”").format(name=self._filter_name))

    def _show_failure(self, exc: object) -> None:
        if isinstance(exc, BaseException):
            show_error(self, exc)

    def _open_index(self, index: QModelIndex) -> None:
        matter_id = index.data(ID_ROLE)
        if matter_id is not None:
            self.open_requested.emit(matter_id)

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- registering --------------------------------------------------------------------------------
    def open_register_dialog(self) -> RegisterDialog | None:
        dialog = open_dialog(self, partial(RegisterDialog, self._ctx, self))
        if dialog is not None:
            dialog.registered.connect(self._on_registered)
        return dialog

    # --- importing work orders (M-5) ------------------------------------------------------------------
    def open_intake_dialog(self) -> IntakeDialog | None:
        dialog = open_dialog(self, partial(IntakeDialog, self._ctx, self))
        if dialog is not None:
            dialog.imported.connect(self._on_imported)
        return dialog

    def _on_imported(self, report: object) -> None:
        # The import's change notice has already refreshed the list.
        self.message.emit(self.tr("工单导入完成"))

    def _on_registered(self, result: Registered) -> None:
        self.select(result.id)  # the change notice has already read the list again
        self.message.emit(self.tr("已登记 {reg_no}").format(reg_no=result.reg_no))
        self.registered.emit(result.id)
        if result.duplicates:
            show_info(self, self.tr("来源编号重复"), self.tr(
                "事项已登记为 {reg_no}。\n\n注意：它的来源编号与 {others} 相同，可能是同一诉求的重复登记，"
                "请核对。").format(
                reg_no=result.reg_no, others="、".join(result.duplicates)))


# On the database worker: the write and the list it changes, read in the same turn.
def _save_and_list(db: Database, owner: str, name: str, flt: MatterFilter, replace: bool) -> list[SavedFilterRow]:
    save_filter(db, owner, name, flt, replace=replace)
    return list_saved_filters(db, owner)


def _delete_and_list(db: Database, owner: str, filter_id: int) -> list[SavedFilterRow]:
    delete_saved_filter(db, owner, filter_id)
    return list_saved_filters(db, owner)
