"""Behaviour of a township's 被监督单位名录 (S-5, bureau): add a unit, retire or restore the selected one. The
service checks the name and kind; its messages show under the add row or at the bottom of the dialog."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import QWidget

from ...domain.permissions import Permission
from ...services.exchange_keys import PeerView
from ...services.rosters import RosterUnit, add_roster_unit, roster, set_roster_unit
from ..context import UiContext
from ..errors import show_error
from ..models.base import ROW_ROLE
from ..operations import Submission
from ..roles import gate
from ..widgets import FieldErrors
from .roster_view import RosterView


class RosterDialog(RosterView):
    message = Signal(str)  # for the status bar

    def __init__(self, ctx: UiContext, office: PeerView, parent: QWidget | None = None) -> None:
        super().__init__(office.name, parent)
        self._ctx = ctx
        self._office = office
        self.errors = FieldErrors(self.general_error)
        self.errors.add("name", self.add_error, self.name_edit)
        self.errors.add("kind", self.add_error, self.kind_combo)
        self._may_work = gate(ctx.actor.role, Permission.MATTER_WORK, self.name_edit, self.kind_combo,
                              self.add_button, self.toggle_button)
        self.model.set_rows(roster(ctx.db, office.code))  # a refusal here is shown by open_dialog
        # Both writes keep both buttons disabled while one runs; the toggle's state is worked out again after.
        buttons = [self.add_button, self.toggle_button]
        self._adding = Submission(self, self.errors, ctx.tasks, self._added, buttons)
        self._toggling = Submission(self, self.errors, ctx.tasks, self._toggled, buttons)
        self._show_empty()
        self._connect_signals()
        self._update_toggle()

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self.add_unit)
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.table.selectionModel().currentRowChanged.connect(self._update_toggle)
        self.model.modelReset.connect(self._update_toggle)
        self.buttons.rejected.connect(self.reject)

    def selected_unit(self) -> RosterUnit | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _update_toggle(self) -> None:
        unit = self.selected_unit()
        self.toggle_button.setEnabled(self._may_work and unit is not None)
        self.toggle_button.setText(self.tr("恢复") if unit is not None and not unit.active else self.tr("停用"))

    def _show_empty(self) -> None:
        self.empty.setVisible(self.model.rowCount() == 0)

    def _reload(self, select: str) -> None:
        try:
            self.model.set_rows(roster(self._ctx.db, self._office.code))
        except Exception as exc:
            show_error(self, exc)
            return
        self._show_empty()
        row = self.model.find_name(select)
        if row is not None:
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)

    def add_unit(self) -> None:
        if self._adding.running or self._toggling.running:
            return
        self.errors.clear()
        name = self.name_edit.text().strip()
        self._adding.start(partial(add_roster_unit, self._ctx.db, self._ctx.actor, self._office.code, name,
                                   str(self.kind_combo.currentData())))

    def _added(self, unit: RosterUnit) -> None:
        self.name_edit.clear()
        self._reload(unit.name)
        self.message.emit(self.tr("已将“{name}”列入{office}的被监督单位名录").format(
            name=unit.name, office=self._office.name))

    def toggle_selected(self) -> None:
        unit = self.selected_unit()
        if unit is None or self._adding.running or self._toggling.running:
            return
        self.errors.clear()
        self._toggling.start(partial(set_roster_unit, self._ctx.db, self._ctx.actor, self._office.code, unit.name,
                                     unit.kind, not unit.active))

    def _toggled(self, changed: RosterUnit) -> None:
        self._reload(changed.name)
        what = self.tr("恢复") if changed.active else self.tr("停用")
        self.message.emit(self.tr("已{what}“{name}”").format(what=what, name=changed.name))
