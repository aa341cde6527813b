"""New account and change of role (U-6): the service validates; its message goes next to the field."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.vocab import Role
from ...services.users import Account, create_account, update_account
from ..context import UiContext
from ..formatting import vocab_choices
from ..operations import Submission
from ..roles import role_description
from ..widgets import FieldErrors, error_label, label, with_error

FIELD_WIDTH = 240


def role_combo() -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("roleCombo")
    for value, text in vocab_choices(Role):
        combo.addItem(text, value)
    combo.setMinimumWidth(FIELD_WIDTH)
    return combo


def form_layout() -> QFormLayout:
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    form.setHorizontalSpacing(12)
    form.setVerticalSpacing(6)
    return form


def ok_cancel(ok_text: str, cancel_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
    return buttons


class AccountView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新增用户"))
        self.setMinimumWidth(500)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.addWidget(label(self.tr("新增用户"), "sectionTitle"))
        form = form_layout()
        self.error_labels: dict[str, QLabel] = {}
        self.username = self._line(form, "username", self.tr("登录名"), self.tr("英文字母或数字，例如 li"))
        self.display_name = self._line(form, "display_name", self.tr("姓名"), self.tr("写入文书和办理记录"))
        self.role = role_combo()
        self.role_note = label("", "muted", wrap=True)
        role_box = QVBoxLayout()
        role_box.setSpacing(2)
        self.error_labels["role"] = error_label()
        role_box.addWidget(with_error(self.role, self.error_labels["role"]))
        role_box.addWidget(self.role_note)
        form.addRow(self.tr("角色"), role_box)
        self.password = self._line(form, "password", self.tr("密码"), self.tr("至少 6 位"))
        self.password_again = self._line(form, "password_again", self.tr("再次输入密码"))
        for edit in (self.password, self.password_again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addLayout(form)
        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.buttons = ok_cancel(self.tr("新增"), self.tr("取消"))
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(self.buttons)

    def _line(self, form: QFormLayout, field: str, caption: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        edit.setMinimumWidth(FIELD_WIDTH)
        self.error_labels[field] = error_label()
        form.addRow(caption, with_error(edit, self.error_labels[field]))
        return edit


class AccountDialog(AccountView):
    created = Signal(str)  # the new login name

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.errors = FieldErrors(self.general_error)
        for field in ("username", "display_name", "role", "password", "password_again"):
            self.errors.add(field, self.error_labels[field], getattr(self, field))
        self.role.setCurrentIndex(self.role.findData(Role.CLERK.value))  # most new accounts are clerks
        self._show_role_note()
        self._submission = Submission(self, self.errors, ctx.tasks, self._saved)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.role.currentIndexChanged.connect(self._show_role_note)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def _show_role_note(self) -> None:
        self.role_note.setText(role_description(self.role.currentData()))

    def submit(self) -> None:
        self.errors.clear()
        if self.password.text() != self.password_again.text():
            self.errors.show_message("password_again", self.tr("两次输入的密码不一致，请重新输入。"))
            return
        username = self.username.text().strip()
        self._username = username
        self._submission.start(partial(create_account, self._ctx.db, self._ctx.actor, username,
                                       self.display_name.text(), self.role.currentData(), self.password.text()))

    def _saved(self, _result: object) -> None:
        self.accept()
        self.created.emit(self._username)


class RoleView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("修改角色"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        self.heading = label("", "sectionTitle")
        layout.addWidget(self.heading)
        form = form_layout()
        self.role = role_combo()
        self.errors_role = error_label()
        form.addRow(self.tr("角色"), with_error(self.role, self.errors_role))
        self.role_note = label("", "muted", wrap=True)
        form.addRow("", self.role_note)
        layout.addLayout(form)
        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.buttons = ok_cancel(self.tr("确定"), self.tr("取消"))
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(self.buttons)


class RoleDialog(RoleView):
    changed = Signal(str)  # a sentence for the status bar

    def __init__(self, ctx: UiContext, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._account = account
        self.heading.setText(self.tr("修改角色：{name}（{username}）").format(name=account.display_name,
                                                                       username=account.username))
        self.role.setCurrentIndex(max(0, self.role.findData(account.role)))
        self.errors = FieldErrors(self.general_error)
        self.errors.add("role", self.errors_role, self.role)
        self._show_role_note()
        self._submission = Submission(self, self.errors, ctx.tasks, self._saved)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.role.currentIndexChanged.connect(self._show_role_note)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def _show_role_note(self) -> None:
        self.role_note.setText(role_description(self.role.currentData()))

    def submit(self) -> None:
        self.errors.clear()
        role = self.role.currentData()
        if role == self._account.role:
            self.reject()
            return
        self._submission.start(partial(update_account, self._ctx.db, self._ctx.actor, self._account.id, role=role))

    def _saved(self, _result: object) -> None:
        self.accept()
        self.changed.emit(self.tr("已将 {name} 的角色改为{role}").format(name=self._account.display_name,
                                                                    role=self.role.currentText()))
