"""The small forms of 监督员与会议: fields in a form layout, each with its error right below it; the service
validates and its message goes next to the field it names (ValidationError.field); the write runs on the database
worker through a Submission, and the dialog closes when it is done."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ..context import UiContext
from ..operations import Submission
from ..settings.account_dialog import form_layout, ok_cancel
from ..widgets import DateEdit, FieldErrors, check_dates, error_label, label, watch_dates, with_error

FIELD_WIDTH = 320


class FormDialog(QDialog):
    saved = Signal(object)  # what the service returned

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, width: int = 520) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setMinimumWidth(width)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(18, 14, 18, 12)
        self.layout_.setSpacing(8)
        self.heading = label("", "sectionTitle")
        self.layout_.addWidget(self.heading)
        self.note = label("", "muted", wrap=True)
        self.note.hide()
        self.layout_.addWidget(self.note)
        self.form: QFormLayout = form_layout()
        self.layout_.addLayout(self.form)
        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        self.buttons = ok_cancel("", self.tr("取消"))  # OK named by titled()
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.errors = FieldErrors(self.general_error)
        self.error_labels: dict[str, QLabel] = {}
        self.dates: dict[str, DateEdit] = {}
        self._submission = Submission(self, self.errors, ctx.tasks, self._saved)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def titled(self, title: str, ok_text: str) -> None:
        """Title and OK text chosen after construction (``self.tr`` needs the QObject made first)."""
        self.setWindowTitle(title)
        self.heading.setText(title)
        self.ok_button.setText(ok_text)

    def finish_layout(self) -> None:
        """After the fields: the general error and the buttons. A message goes as soon as the clerk types."""
        self.layout_.addWidget(self.general_error)
        self.layout_.addWidget(self.buttons)
        watch_dates(self.errors, self.dates)
        for edit in self.findChildren(QLineEdit):
            edit.textEdited.connect(self.errors.clear)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def field(self, name: str, caption: str, widget: QWidget) -> Any:
        error = error_label()
        self.error_labels[name] = error
        self.errors.add(name, error, widget)
        self.form.addRow(caption, with_error(widget, error))
        if isinstance(widget, DateEdit):
            self.dates[name] = widget
        return widget

    # --- submitting -----------------------------------------------------------------------------------------
    def call(self) -> Callable[[], Any] | None:
        """The service call for what the form holds (plain values only), or None when the form refuses itself."""
        raise NotImplementedError

    def submit(self) -> None:
        self.errors.clear()
        if not check_dates(self.errors, self.dates):
            return
        call = self.call()
        if call is not None:
            self._submission.start(call)

    def _saved(self, result: object) -> None:
        self.accept()
        self.saved.emit(result)
