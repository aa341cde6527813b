"""Registering a matter (M-1), from a frequent-matter template if the clerk picks one (M-4): the service
validates; its ValidationError is shown next to the field."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from ...domain.vocab import Track
from ...services.matters import MatterInput, list_units, list_users, register_matter
from ...services.templates import TemplateRow, list_templates
from ..context import UiContext
from ..errors import confirm_action
from ..models.unit_choice import UnitChoiceModel
from ..operations import Submission
from ..widgets import FieldErrors, check_dates, pydate, qdate, watch_dates
from .register_view import RegisterView


class RegisterDialog(RegisterView):
    registered = Signal(object)  # Registered

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._templates: dict[int, TemplateRow] = {}
        for template in list_templates(ctx.db):
            self._templates[template.id] = template
            self.template.addItem(template.name, template.id)
            self.template.setItemData(self.template.count() - 1, template.title, Qt.ItemDataRole.ToolTipRole)
        if not self._templates:
            self.template.setEnabled(False)
            self.template_note.setText(self.tr("尚无可用的模板，可在“设置 → 高频事项模板”中添加"))
        today = ctx.today()
        self.received_on.setDate(qdate(today))
        self.received_on.setMaximumDate(qdate(today), self.tr("今天"))
        self.unit_model = UnitChoiceModel(list_units(ctx.db), self)
        self.units.setModel(self.unit_model)
        for user in list_users(ctx.db):
            self.handler.addItem(user.display_name, user.id)
        current = self.handler.findData(ctx.actor.user_id)
        if current >= 0:
            self.handler.setCurrentIndex(current)
        self.errors = FieldErrors(self.general_error)
        self._error_labels: dict[str, QLabel] = {}
        for field in ("received_on", "source", "source_ref"):
            self._error_labels[field] = self.errors_row_1
            self.errors.add(field, self.errors_row_1, getattr(self, field))
        self.errors.add("method", self.errors_method, self.method)
        self.errors.add("track", self.errors_method, self.track_general)
        self.errors.add("unit_ids", self.errors_unit_ids, self.units)
        self.errors.add("handler_id", self.errors_handler_id, self.handler)
        self._error_labels.update(method=self.errors_method, track=self.errors_method, unit_ids=self.errors_unit_ids,
                                  handler_id=self.errors_handler_id)
        for field in ("category", "title", "facts", "legal_basis"):
            self._error_labels[field] = getattr(self, f"errors_{field}")
            self.errors.add(field, getattr(self, f"errors_{field}"), getattr(self, field))
        self._submission = Submission(self, self.errors, ctx.tasks, self._registered)
        watch_dates(self.errors, {"received_on": self.received_on})
        self._blank = self.matter_input()  # what 取消/Esc may discard without asking
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.template.currentIndexChanged.connect(self._template_chosen)
        self.track_general.toggled.connect(self._track_changed)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        # A field's message goes as soon as the field changes (typed, or filled by a template).
        for field, signal in (("received_on", self.received_on.dateChanged),
                              ("source", self.source.currentIndexChanged),
                              ("source_ref", self.source_ref.textChanged),
                              ("method", self.method.currentIndexChanged),
                              ("track", self.track_general.toggled),
                              ("unit_ids", self.unit_model.dataChanged),
                              ("handler_id", self.handler.currentIndexChanged),
                              ("category", self.category.currentIndexChanged),
                              ("title", self.title.textChanged),
                              ("facts", self.facts.textChanged),
                              ("legal_basis", self.legal_basis.textChanged)):
            signal.connect(partial(self._field_changed, field))

    def _field_changed(self, field: str, *_changed: object) -> None:
        message = self._error_labels[field]
        if not message.isHidden():
            message.clear()
            message.hide()

    def has_input(self) -> bool:
        """Something was typed or chosen that 取消 would throw away."""
        return self.matter_input() != self._blank

    def reject(self) -> None:
        """取消, Esc and the close box ask before a filled form is thrown away (as the document editor does)."""
        if self._submission.running or self.findChild(QMessageBox, "discardRegister") is not None:
            return
        if not self.has_input():
            super().reject()
            return
        confirm_action(self, self.tr("放弃登记"), self.tr("登记表中已填写的内容尚未保存，关闭后将丢失。\n\n确定放弃登记吗？"),
                       self.tr("放弃"), self.discard, object_name="discardRegister")

    def discard(self) -> None:
        super().reject()

    def chosen_template(self) -> TemplateRow | None:
        template_id = self.template.currentData()
        return self._templates.get(template_id) if template_id is not None else None

    def _template_chosen(self) -> None:
        template = self.chosen_template()
        if template is None:
            return  # back to 不使用模板: what was filled in stays, the clerk edits it
        self.title.setText(template.title)
        self.category.setCurrentIndex(max(0, self.category.findData(template.category)))
        self.method.setCurrentIndex(max(0, self.method.findData(template.method)))
        self.facts.setPlainText(template.facts)
        self.facts.moveCursor(QTextCursor.MoveOperation.End)  # the clerk adds the particulars after it
        self.legal_basis.setPlainText(template.legal_basis)
        self.track_frequent.setChecked(True)  # templates are what makes a matter frequent (pilot plan §二(一)3)

    def _track_changed(self, general: bool) -> None:
        if general:
            self.template.setCurrentIndex(0)  # a general matter is not registered from a template

    def matter_input(self) -> MatterInput:
        return MatterInput(
            received_on=pydate(self.received_on.date()),
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
            template_id=self.template.currentData(),
        )

    def submit(self) -> None:
        self.errors.clear()
        if not check_dates(self.errors, {"received_on": self.received_on}):
            return
        # on a ValidationError the dialog stays open with everything the clerk typed
        self._submission.start(partial(register_matter, self._ctx.db, self._ctx.actor, self.matter_input(),
                                       self._ctx.today()))

    def _registered(self, result: object) -> None:
        self.accept()
        self.registered.emit(result)
