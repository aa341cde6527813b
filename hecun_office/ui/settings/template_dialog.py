"""Add or edit a frequent-matter template (M-4); a role that may not edit sees it read-only."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit, QWidget

from ...domain.permissions import Permission, allowed
from ...services.setup import read_profile
from ...services.templates import TemplateInput, TemplateRow, save_template
from ..context import UiContext
from ..operations import Submission
from ..widgets import FieldErrors
from .template_view import TemplateView

DEFAULT_DAYS = 15


class TemplateDialog(TemplateView):
    saved = Signal(int, str)  # template id, its name

    def __init__(self, ctx: UiContext, template: TemplateRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._template = template
        self.errors = FieldErrors(self.general_error)
        for field, error in self.error_labels.items():
            self.errors.add(field, error, self.field_widgets[field])
        self.editable = allowed(ctx.actor.role, Permission.TEMPLATE_MANAGE)
        if template is None:
            self.setWindowTitle(self.tr("新增高频事项模板"))
            profile = read_profile(ctx.db)
            self.rectification_days.setValue(profile.rectification_days if profile else DEFAULT_DAYS)
        else:
            self.setWindowTitle(self.tr("编辑高频事项模板") if self.editable else self.tr("查看高频事项模板"))
            self._fill(template)
        self.heading.setText(self.windowTitle())
        if not self.editable:
            self._read_only()
        self._submission = Submission(self, self.errors, ctx.tasks, self._saved)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def _fill(self, t: TemplateRow) -> None:
        self.name.setText(t.name)
        self.title.setText(t.title)
        self.category.setCurrentIndex(max(0, self.category.findData(t.category)))
        self.method.setCurrentIndex(max(0, self.method.findData(t.method)))
        self.facts.setPlainText(t.facts)
        self.legal_basis.setPlainText(t.legal_basis)
        self.advice_text.setPlainText(t.advice_text)
        self.rectification_days.setValue(t.rectification_days)

    def _read_only(self) -> None:
        for widget in self.field_widgets.values():
            if isinstance(widget, QPlainTextEdit):
                widget.setReadOnly(True)
            else:
                widget.setEnabled(False)
        self.name.setEnabled(True)
        self.name.setReadOnly(True)
        self.title.setEnabled(True)
        self.title.setReadOnly(True)
        self.ok_button.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("关闭"))

    def template_input(self) -> TemplateInput:
        return TemplateInput(
            name=self.name.text(), title=self.title.text(), category=self.category.currentData(),
            method=self.method.currentData(), facts=self.facts.toPlainText(),
            legal_basis=self.legal_basis.toPlainText(), advice_text=self.advice_text.toPlainText(),
            rectification_days=self.rectification_days.value())

    def submit(self) -> None:
        if not self.editable:
            self.reject()
            return
        self.errors.clear()
        data = self.template_input()
        template_id = self._template.id if self._template else None
        self._name = data.name.strip()
        self._submission.start(partial(save_template, self._ctx.db, self._ctx.actor, data, template_id))

    def _saved(self, new_id: object) -> None:
        self.accept()
        self.saved.emit(new_id, self._name)
