"""Behaviour of 设置 → 被监督单位 (issue 12, office): add a unit, rename or re-type the selected one, retire or
restore it. The service checks names (unique among the office's units in use) and kinds; its messages show under
the fields. Every write runs on the database worker; the table follows the change notice."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QItemSelectionModel, Signal

from ...domain.permissions import Permission
from ...services.units import OwnUnit, add_unit, own_units, set_unit_active, update_unit
from ..context import UiContext
from ..errors import show_error
from ..formatting import vocab_text
from ..operations import Submission
from ..roles import gate, refusal
from ..widgets import FieldErrors
from .units_view import UnitsView


class UnitsSection(UnitsView):
    message = Signal(str)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx
        self.errors = FieldErrors(self.general_error)
        self.errors.add("name", self.name_error, self.name_edit)
        self.errors.add("kind", self.name_error, self.kind_combo)
        self.can_manage = gate(ctx.actor.role, Permission.SETTINGS_MANAGE, *self.manage_widgets)
        if not self.can_manage:
            self.note.setText(self.note.text() + refusal(ctx.actor.role, Permission.SETTINGS_MANAGE))
        buttons = [self.add_button, self.save_button, self.toggle_button]
        self._adding = Submission(self, self.errors, ctx.tasks, self._added, buttons)
        self._saving = Submission(self, self.errors, ctx.tasks, self._saved, buttons)
        self._toggling = Submission(self, self.errors, ctx.tasks, self._toggled, buttons)
        self._pending: tuple[OwnUnit | None, str] = (None, "")
        self._connect_signals()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self.add)
        self.save_button.clicked.connect(self.save)
        self.toggle_button.clicked.connect(self.toggle)
        self.name_edit.returnPressed.connect(self.add)
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._update_buttons)

    def refresh(self) -> None:
        selected = self.selected()
        try:
            rows = own_units(self._ctx.db)
        except Exception as exc:
            show_error(self, exc)
            return
        self.model.set_rows(rows)
        if selected is not None:
            self.select(selected.id)

    def selected(self) -> OwnUnit | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select(self, unit_id: int) -> None:
        row = self.model.find(unit_id)
        if row is None:
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _selection_changed(self) -> None:
        unit = self.selected()
        if unit is not None:
            self.name_edit.setText(unit.name)
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(unit.kind)))
        self._update_buttons()

    def _busy(self) -> bool:
        return self._adding.running or self._saving.running or self._toggling.running

    def _update_buttons(self) -> None:
        if not self.can_manage or self._busy():
            return  # disabled with the tooltip that says who may, or until the write is done
        unit = self.selected()
        self.save_button.setEnabled(unit is not None)
        self.toggle_button.setEnabled(unit is not None)
        self.toggle_button.setText(self.tr("恢复") if unit is not None and not unit.active else self.tr("停用"))

    # --- actions ------------------------------------------------------------------------------------
    def _kind(self) -> str:
        return str(self.kind_combo.currentData() or "")

    def add(self) -> None:
        if self._busy():
            return
        self.errors.clear()
        self._adding.start(partial(add_unit, self._ctx.db, self._ctx.actor, self.name_edit.text(), self._kind()))

    def _added(self, unit_id: int) -> None:
        self.refresh()
        self.select(unit_id)
        unit = self.selected()
        self.message.emit(self.tr("已新增被监督单位“{name}”").format(name=unit.name if unit else ""))

    def save(self) -> None:
        unit = self.selected()
        if unit is None or self._busy():
            return
        self.errors.clear()
        self._pending = (unit, self.name_edit.text())
        self._saving.start(partial(update_unit, self._ctx.db, self._ctx.actor, unit.id, self.name_edit.text(),
                                   self._kind()))

    def _saved(self, changed: bool) -> None:
        before, _ = self._pending
        self.refresh()
        after = self.selected()
        if not changed or before is None or after is None:
            self.message.emit(self.tr("单位名称和类型没有变化"))
        elif before.name != after.name:
            self.message.emit(self.tr("已将“{old}”改名为“{new}”").format(
                old=before.name, new=after.name))
        else:
            self.message.emit(self.tr("已将“{name}”的类型改为{kind}").format(name=after.name, kind=vocab_text(after.kind_label)))

    def toggle(self) -> None:
        unit = self.selected()
        if unit is None or self._busy():
            return
        self.errors.clear()
        self._pending = (unit, "")
        self._toggling.start(partial(set_unit_active, self._ctx.db, self._ctx.actor, unit.id, not unit.active))

    def _toggled(self, _changed: bool) -> None:
        before, _ = self._pending
        self.refresh()
        if before is None:
            return
        text = (self.tr("已停用“{name}”，新登记的事项不再可选") if before.active
                else self.tr("已恢复“{name}”，登记事项时可以再选"))
        self.message.emit(text.format(name=before.name))
