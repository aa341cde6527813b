"""法治监督员 (O-1): the roster, each supervisor's activities below it, and the forms that add to them."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from ...services.matters import Registered
from ...services.reminders import TERM_WARN_DAYS
from ...services.supervisors import SupervisorDetail, SupervisorRow, supervisor_detail
from ..context import UiContext
from ..widgets import label, set_column_widths, table_view
from .common import Tab, button_row, push_button, selected_row
from .models import ActivityTableModel, SupervisorTableModel
from .supervisor_dialogs import ActivityDialog, LinkDialog, ReportDialog, SupervisorDialog


class SupervisorsView(Tab):
    def __init__(self, ctx: UiContext, writable: bool) -> None:
        super().__init__(ctx, writable)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        self.add_button = push_button(self.tr("登记监督员…"), "addSupervisor")
        self.edit_button = push_button(self.tr("修改…"), "editSupervisor")
        self.activity_button = push_button(self.tr("记录活动…"), "recordActivity")
        self.report_button = push_button(self.tr("登记其反映的事项…"), "reportMatter")
        self.link_button = push_button(self.tr("关联已登记事项…"), "linkMatter")
        layout.addLayout(button_row(self.add_button, self.edit_button, self.activity_button, self.report_button,
                                    self.link_button))
        self.note = label(self.tr("登记监督员后，可记录其参加的活动、登记其反映的问题。任期届满前 {n} 天显示“即将届满”，"
                                  "届满后显示“已届满”，请及时续聘或改聘。")
                          .format(n=TERM_WARN_DAYS), "muted")
        layout.addWidget(self.note)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self.model = SupervisorTableModel(self)
        self.table = table_view(self.model, stretch_column=2)
        self.table.setObjectName("supervisorTable")
        set_column_widths(self.table, {0: 90, 1: 100, 3: 120, 4: 100, 5: 100, 6: 76, 7: 76, 8: 86})
        split.addWidget(self.table)
        lower = QWidget()
        box = QVBoxLayout(lower)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(4)
        self.detail_title = label(self.tr("活动和反映的问题"), "sectionTitle")
        box.addWidget(self.detail_title)
        self.activity_model = ActivityTableModel(self)
        self.activities = table_view(self.activity_model, stretch_column=3)
        self.activities.setObjectName("activityTable")
        set_column_widths(self.activities, {0: 100, 1: 100, 2: 150})
        box.addWidget(self.activities)
        split.addWidget(lower)
        split.setSizes([300, 200])
        layout.addWidget(split, 1)


class SupervisorsTab(SupervisorsView):
    def __init__(self, ctx: UiContext, writable: bool) -> None:
        super().__init__(ctx, writable)
        self._detail_for: int | None = None
        self.setup_buttons(self.add_button, self.edit_button, self.activity_button, self.report_button,
                           self.link_button)
        self._connect_signals()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.add_button.clicked.connect(self.open_add_dialog)
        self.edit_button.clicked.connect(self.open_edit_dialog)
        self.activity_button.clicked.connect(self.open_activity_dialog)
        self.report_button.clicked.connect(self.open_report_dialog)
        self.link_button.clicked.connect(self.open_link_dialog)

    def show_rows(self, rows: list[SupervisorRow]) -> None:
        self.replace_rows(self.table, rows)
        self._selection_changed()

    def selected(self) -> SupervisorRow | None:
        row = selected_row(self.table)
        return row if isinstance(row, SupervisorRow) else None

    def select(self, supervisor_id: int) -> None:
        self.want(self.table, supervisor_id)

    def _selection_changed(self) -> None:
        self._update_buttons()
        row = self.selected()
        if row is None:
            self._detail_for = None
            self.activity_model.set_rows([])
            self.detail_title.setText(self.tr("活动和反映的问题"))
            return
        self._detail_for = row.id
        self._ctx.tasks.read(partial(supervisor_detail, self._ctx.db, row.id), self._detail_loaded, self._failed)

    def _detail_loaded(self, detail: object) -> None:
        row = self.selected()
        if not isinstance(detail, SupervisorDetail) or row is None or row.id != self._detail_for:
            return
        self.detail_title.setText(self.tr("{name}的活动和反映的问题（{n}）").format(name=row.name,
                                                                          n=len(detail.activities)))
        self.activity_model.set_rows(detail.activities)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (self.edit_button, self.activity_button, self.report_button, self.link_button):
            self.enable(button, chosen, self.tr("请先在表格中选择一位监督员。"))

    # --- forms ----------------------------------------------------------------------------------------------
    def open_add_dialog(self) -> SupervisorDialog | None:
        dialog = self.open(partial(SupervisorDialog, self._ctx, None, None, self))
        if dialog is not None:
            dialog.saved.connect(self._saved)
        return dialog

    def open_edit_dialog(self) -> SupervisorDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = self.open(partial(self._edit_dialog, row.id))
        if dialog is not None:
            dialog.saved.connect(self._saved)
        return dialog

    def _edit_dialog(self, supervisor_id: int) -> SupervisorDialog:
        detail = supervisor_detail(self._ctx.db, supervisor_id)  # one row, read as the correction dialogs do
        return SupervisorDialog(self._ctx, supervisor_id, detail.row, self)

    def open_activity_dialog(self) -> ActivityDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = self.open(partial(ActivityDialog, self._ctx, row.id, row.name, self))
        if dialog is not None:
            dialog.saved.connect(self._activity_saved)
        return dialog

    def open_report_dialog(self) -> ReportDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = self.open(partial(ReportDialog, self._ctx, row.id, row.name, self))
        if dialog is not None:
            dialog.saved.connect(self._reported)
        return dialog

    def open_link_dialog(self) -> LinkDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = self.open(partial(LinkDialog, self._ctx, row.id, row.name, self))
        if dialog is not None:
            dialog.saved.connect(self._linked)
        return dialog

    def _saved(self, supervisor_id: object) -> None:
        if isinstance(supervisor_id, int):
            self.select(supervisor_id)
        self.message.emit(self.tr("已保存监督员信息"))

    def _activity_saved(self, _result: object) -> None:
        self.message.emit(self.tr("已记录监督员活动"))

    def _reported(self, registered: object) -> None:
        if isinstance(registered, Registered):
            self.message.emit(self.tr("已登记事项 {reg_no}，来源为法治监督员反映").format(reg_no=registered.reg_no))

    def _linked(self, _result: object) -> None:
        self.message.emit(self.tr("已关联事项"))
