"""The passphrase of a 私钥保护文件 (S-6: a second PC on the same database): typed twice when exporting, once
when importing. The dialog checks length and that both entries agree; what the service says (口令不对…) is shown
in the dialog, which stays open so the clerk can type again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from ...domain.errors import DomainError
from ...services.exchange_keys import MIN_PASSPHRASE
from ..errors import show_error
from ..widgets import FieldErrors, error_label, label, with_error

# Called with the dialog (parent for further choosers) and the passphrase; None keeps the dialog open.
Submit = Callable[[QWidget, str], object]
DIALOG_WIDTH = 600
MARGIN = 18


class PassphraseDialog(QDialog):
    succeeded = Signal(object)  # what ``submit`` returned

    def __init__(self, title: str, intro: str, ok_text: str, twice: bool, submit: Submit,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setFixedWidth(DIALOG_WIDTH)  # wrapped texts are measured at this width: nothing is cut off
        self._submit = submit
        self._twice = twice
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, 14, MARGIN, 12)
        layout.setSpacing(10)
        self.intro = label(intro, "", wrap=True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.intro)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.passphrase = self._field(self.tr("至少 {n} 位").format(n=MIN_PASSPHRASE) if twice else "")
        self.errors_passphrase = error_label()
        form.addRow(self.tr("口令") if not twice else self.tr("设定口令"),
                    with_error(self.passphrase, self.errors_passphrase))
        self.again = self._field(self.tr("再输入一次"))
        self.errors_again = error_label()
        if twice:
            form.addRow(self.tr("确认口令"), with_error(self.again, self.errors_again))
        else:
            self.again.hide()
        layout.addLayout(form)
        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)
        self.errors = FieldErrors(self.general_error)
        self.errors.add("passphrase", self.errors_passphrase, self.passphrase)
        self.errors.add("again", self.errors_again, self.again)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)
        self._fit()

    def _fit(self) -> None:
        """Wrapped labels get the height their text needs at the dialog's width; the dialog follows."""
        width = DIALOG_WIDTH - 2 * MARGIN
        for text in (self.intro, self.general_error):
            text.setMinimumHeight(text.heightForWidth(width) if text.text() and not text.isHidden() else 0)
        self.adjustSize()

    @staticmethod
    def _field(placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setMaxLength(200)
        field.setMinimumWidth(320)
        field.setPlaceholderText(placeholder)
        return field

    def confirm(self) -> None:
        self.errors.clear()
        text = self.passphrase.text()
        if len(text) < MIN_PASSPHRASE:
            self.errors.show_message("passphrase", self.tr("口令至少 {n} 位。").format(n=MIN_PASSPHRASE))
            self._fit()
            return
        if self._twice and self.again.text() != text:
            self.errors.show_message("again", self.tr("两次输入的口令不一致，请重新输入。"))
            self.again.clear()
            self._fit()
            return
        try:
            result = self._submit(self, text)
        except DomainError as exc:  # 口令不对…, 不属于本数据库的密钥…: the clerk may try again
            self.errors.show_message(None, exc.message)
            self.passphrase.selectAll()
            self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)
            self._fit()
            return
        except Exception as exc:  # the file cannot be written, or a bug: a plain sentence, never a traceback
            show_error(self, exc)
            return
        if result is not None:
            self.accept()
            self.succeeded.emit(result)
