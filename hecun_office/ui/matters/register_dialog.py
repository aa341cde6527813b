"""Registering a matter (M-1): the service validates; its ValidationError is shown next to the field."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ...domain.vocab import Track
from ...services.matters import MatterInput, list_units, list_users, register_matter
from ..context import UiContext
from ..errors import attempt
from ..models.unit_choice import UnitChoiceModel
from ..widgets import FieldErrors
from .register_view import RegisterView


class RegisterDialog(RegisterView):
    registered = Signal(object)  # Registered

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        today = ctx.today()
        self.received_on.setDate(today)
        self.received_on.setMaximumDate(today)
        self.unit_model = UnitChoiceModel(list_units(ctx.db), self)
        self.units.setModel(self.unit_model)
        for user in list_users(ctx.db):
            self.handler.addItem(user.display_name, user.id)
        current = self.handler.findData(ctx.actor.user_id)
        if current >= 0:
            self.handler.setCurrentIndex(current)
        self.errors = FieldErrors(self.general_error)
        for field in ("received_on", "source", "source_ref"):
            self.errors.add(field, self.errors_row_1, getattr(self, field))
        self.errors.add("method", self.errors_method, self.method)
        self.errors.add("track", self.errors_method, self.track_general)
        self.errors.add("unit_ids", self.errors_unit_ids, self.units)
        self.errors.add("handler_id", self.errors_handler_id, self.handler)
        for field in ("category", "title", "facts", "legal_basis"):
            self.errors.add(field, getattr(self, f"errors_{field}"), getattr(self, field))
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def matter_input(self) -> MatterInput:
        return MatterInput(
            received_on=self.received_on.date().toPython(),
            source=self.source.currentData(),
            source_ref=self.source_ref.text(),
            title=self.title.text(),
            category=self.category.currentData(),
            unit_ids=self.unit_model.checked_ids(),
            track=Track.FREQUENT.value if self.track_frequent.isChecked() else Track.GENERAL.value,
            method=self.method.currentData(),
            facts=self.facts.toPlainText(),
            legal_basis=self.legal_basis.toPlainText(),
            handler_id=self.handler.currentData(),
            complainant_name=self.complainant_name.text(),
            complainant_phone=self.complainant_phone.text(),
            complainant_id_no=self.complainant_id_no.text(),
        )

    def submit(self) -> None:
        self.errors.clear()
        # on a ValidationError the dialog stays open with everything the clerk typed
        ok, result = attempt(self, self.errors, partial(register_matter, self._ctx.db, self._ctx.actor,
                                                        self.matter_input(), self._ctx.today()))
        if not ok:
            return
        self.accept()
        self.registered.emit(result)
