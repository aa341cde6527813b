"""执法人员 (O-4): the units' certificate holders, expired in red and expiring within the warning days in amber; an
expired certificate becomes a matter in one step."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QVBoxLayout

from ...services.matters import Registered
from ...services.personnel import ImportedList, OfficerRow, import_list, officer_to_matter
from ...services.reminders import WARN_DAYS
from ..context import UiContext
from ..errors import show_info
from ..exchange.choosers import FileChooser
from ..widgets import label, set_column_widths, table_view
from .common import Tab, button_row, push_button, selected_row
from .entry_dialogs import OfficerDialog
from .models import OfficerTableModel
from .review_tab import xlsx_filter

MAX_PROBLEMS_SHOWN = 10


class PersonnelView(Tab):
    def __init__(self, ctx: UiContext, writable: bool) -> None:
        super().__init__(ctx, writable)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        self.import_button = push_button(self.tr("导入名单…"), "importOfficers")
        self.enter_button = push_button(self.tr("录入执法人员…"), "enterOfficer")
        self.matter_button = push_button(self.tr("登记为事项"), "officerToMatter")
        layout.addLayout(button_row(self.import_button, self.enter_button, self.matter_button))
        self.note = label(self.tr("导入各单位的执法人员名单（.xlsx，含姓名、所在单位、执法证号、有效期至等列），或逐人录入；"
                                  "再次导入或录入按执法证号更新。\n执法证已过期的显示为红色，{n} 天内到期的显示为橙色，并在工作台提醒；"
                                  "已过期的可登记为监督事项。").format(n=WARN_DAYS), "muted")
        layout.addWidget(self.note)
        self.count = label("", "muted")
        layout.addWidget(self.count)
        self.model = OfficerTableModel(self)
        self.table = table_view(self.model, stretch_column=0)
        self.table.setObjectName("officerTable")
        set_column_widths(self.table, {1: 80, 2: 130, 3: 110, 4: 170, 5: 100, 6: 110, 7: 140})
        layout.addWidget(self.table, 1)


class PersonnelTab(PersonnelView):
    def __init__(self, ctx: UiContext, writable: bool) -> None:
        super().__init__(ctx, writable)
        self.chooser = FileChooser()  # the file dialog; tests put a stand-in here
        self._entered_no: str | None = None  # a holder just entered: chosen once the change notice lists them
        self.setup_buttons(self.import_button, self.enter_button, self.matter_button)
        self._connect_signals()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.import_button.clicked.connect(self.import_list)
        self.enter_button.clicked.connect(self.open_enter_dialog)
        self.matter_button.clicked.connect(self.to_matter)

    def show_rows(self, rows: list[OfficerRow]) -> None:
        self.replace_rows(self.table, rows)
        self._select_entered()
        expired = sum(1 for r in rows if r.expired)
        soon = sum(1 for r in rows if r.days_left is not None and 0 <= r.days_left <= WARN_DAYS)
        self.count.setText(self.tr("共 {n} 人；执法证已过期 {expired} 人，{days} 天内到期 {soon} 人").format(
            n=len(rows), expired=expired, days=WARN_DAYS, soon=soon))
        self._update_buttons()

    def selected(self) -> OfficerRow | None:
        row = selected_row(self.table)
        return row if isinstance(row, OfficerRow) else None

    def _update_buttons(self) -> None:
        row = self.selected()
        self.enable(self.matter_button, row is not None and row.expired and row.matter_reg_no is None,
                    self.tr("请选择一位执法证已过期、尚未登记事项的人员。"))

    def import_list(self) -> None:
        path = self.chooser.open_file(self, self.tr("选择执法人员名单（.xlsx）"), xlsx_filter())
        if path is None:
            return
        self.import_button.setEnabled(False)
        self.write(partial(import_list, self._ctx.db, self._ctx.actor, path), self._imported)

    def _imported(self, result: object) -> None:
        self.import_button.setEnabled(True)
        if not isinstance(result, ImportedList):
            return
        text = self.tr("新增 {added} 人，更新 {updated} 人。").format(added=result.added, updated=result.updated)
        self.message.emit(text)
        notes = []
        if result.unmatched_units:
            notes.append(self.tr("以下单位不在本所的被监督单位名录中（已按名单保留；登记事项前请在“设置 → 被监督单位”"
                                 "中添加同名单位）：{units}").format(units="、".join(result.unmatched_units)))
        if result.problems:
            shown = "；".join(result.problems[:MAX_PROBLEMS_SHOWN])
            more = self.tr("等 {n} 行").format(n=len(result.problems)) if len(result.problems) > MAX_PROBLEMS_SHOWN \
                else ""
            notes.append(self.tr("未导入的行：{rows}{more}。").format(rows=shown, more=more))
        if notes:
            show_info(self, self.tr("名单已导入"), text + "\n\n" + "\n\n".join(notes))

    def open_enter_dialog(self) -> OfficerDialog | None:
        dialog = self.open(partial(OfficerDialog, self._ctx, self))
        if dialog is not None:
            dialog.saved.connect(partial(self._entered, dialog))
        return dialog

    def _entered(self, dialog: OfficerDialog, new: object) -> None:
        name, number = dialog.name.text().strip(), dialog.certificate_no.text().strip()
        self._entered_no = number
        self._select_entered()
        text = self.tr("已录入执法人员 {name}（执法证号 {number}）") if new is True \
            else self.tr("已更新执法人员 {name}（执法证号 {number}）")
        self.message.emit(text.format(name=name, number=number))

    def _select_entered(self) -> None:
        rows = self.model.rows()
        found = next((n for n, r in enumerate(rows) if r.certificate_no == self._entered_no), None)
        if found is not None:
            self.table.selectRow(found)
            self._entered_no = None

    def to_matter(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.matter_button.setEnabled(False)
        ctx = self._ctx
        self.write(partial(officer_to_matter, ctx.db, ctx.actor, row.id, ctx.today()), self._registered)

    def _registered(self, registered: object) -> None:
        self._update_buttons()
        if isinstance(registered, Registered):
            self.message.emit(self.tr("已登记事项 {reg_no}").format(reg_no=registered.reg_no))

    def _failed(self, exc: object) -> None:
        self.import_button.setEnabled(True)
        self._update_buttons()
        super()._failed(exc)
