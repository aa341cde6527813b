"""An account without a password gets one before the login (issue 11): a database set up by a `setup` that did
not ask for one has an administrator nobody can log in as, and nothing else could set it."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLayout, QLineEdit, QVBoxLayout, QWidget

from ...services.database import Database
from ...services.users import MIN_PASSWORD, Account, set_first_password
from ..operations import Submission
from ..tasks import TaskRunner
from ..widgets import FieldErrors, error_label, label, with_error

FIELD_WIDTH = 260


class FirstPasswordView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("设置密码 — 行政执法协调监督工作台"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 26, 32, 20)
        layout.setSpacing(8)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)  # grows with a message, never clips it
        self.account_label = label("", "pageTitle", wrap=True)
        layout.addWidget(self.account_label)
        layout.addWidget(label(self.tr("这个账户还没有密码，无法登录。请现在为它设置密码（至少 {n} 位），"
                                       "设置后用它登录。").format(n=MIN_PASSWORD), "muted", wrap=True))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.password = QLineEdit()
        self.password_again = QLineEdit()
        self.errors_password = error_label()
        self.errors_password_again = error_label()
        for field, caption, error in ((self.password, self.tr("新密码"), self.errors_password),
                                      (self.password_again, self.tr("再输入一次"), self.errors_password_again)):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setFixedWidth(FIELD_WIDTH)
            form.addRow(caption, with_error(field, error))
        layout.addLayout(form)
        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("设置密码"))
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        layout.addWidget(self.buttons)


class FirstPasswordDialog(FirstPasswordView):
    def __init__(self, db: Database, account: Account, tasks: TaskRunner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.account = account
        self.account_label.setText(self.tr("{name}（{username}）").format(name=account.display_name,
                                                                       username=account.username))
        self.errors = FieldErrors(self.general_error)
        self.errors.add("password", self.errors_password, self.password)
        self.errors.add("password_again", self.errors_password_again, self.password_again)
        self._submission = Submission(self, self.errors, tasks or TaskRunner(self), self._saved)
        self._connect_signals()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def submit(self) -> None:
        self.errors.clear()
        if self.password.text() != self.password_again.text():
            self.errors.show_message("password_again", self.tr("两次输入的密码不一致，请重新输入。"))
            return
        # Hashing the password and saving it is a write: on the database worker.
        self._submission.start(partial(set_first_password, self._db, self.account.id, self.password.text()))

    def _saved(self, _result: object) -> None:
        self.accept()
