"""Passwords (U-6): everyone changes their own (the old one first); an administrator resets anyone's."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...services.users import set_password
from ..context import UiContext
from ..operations import Submission
from ..widgets import FieldErrors, error_label, label, with_error
from .account_dialog import FIELD_WIDTH, form_layout, ok_cancel


class PasswordView(QDialog):
    def __init__(self, own: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        self.heading = label("", "sectionTitle")
        layout.addWidget(self.heading)
        self.note = label("", "muted", wrap=True)
        layout.addWidget(self.note)
        form = form_layout()
        self.error_labels: dict[str, QLabel] = {}
        self._rows: dict[str, QWidget] = {}
        self.old_password = self._line(form, "old_password", self.tr("原密码"))
        form.setRowVisible(self._rows["old_password"], own)  # an administrator's reset needs no old password
        self.password = self._line(form, "password", self.tr("新密码"))
        self.password.setPlaceholderText(self.tr("至少 6 位"))
        self.password_again = self._line(form, "password_again", self.tr("再次输入新密码"))
        layout.addLayout(form)
        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.buttons = ok_cancel(self.tr("确定"), self.tr("取消"))
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(self.buttons)

    def _line(self, form: QFormLayout, field: str, caption: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMinimumWidth(FIELD_WIDTH)
        self.error_labels[field] = error_label()
        self._rows[field] = with_error(edit, self.error_labels[field])
        form.addRow(caption, self._rows[field])
        return edit


class PasswordDialog(PasswordView):
    changed = Signal(str)  # a sentence for the status bar

    def __init__(self, ctx: UiContext, user_id: int, display_name: str, parent: QWidget | None = None) -> None:
        own = user_id == ctx.actor.user_id
        super().__init__(own, parent)
        self._own = own
        self._ctx = ctx
        self._user_id = user_id
        self._display_name = display_name
        if self._own:
            self.setWindowTitle(self.tr("修改我的密码"))
            self.heading.setText(self.tr("修改我的密码"))
            self.note.setText(self.tr("请先输入原密码。新密码下次登录和解锁时使用。"))
        else:
            self.setWindowTitle(self.tr("重设密码"))
            self.heading.setText(self.tr("重设密码：{name}").format(name=display_name))
            self.note.setText(self.tr("重设后请把新密码当面告诉本人，并请其登录后自行修改。"
                                      "如果账户因多次输错密码被暂时锁定，重设后立即可以登录。"))
        self.errors = FieldErrors(self.general_error)
        for field in ("old_password", "password", "password_again"):
            self.errors.add(field, self.error_labels[field], getattr(self, field))
        self._submission = Submission(self, self.errors, ctx.tasks, self._saved)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def submit(self) -> None:
        self.errors.clear()
        if self._own and not self.old_password.text():
            self.errors.show_message("old_password", self.tr("请输入原密码。"))
            return
        if self.password.text() != self.password_again.text():
            self.errors.show_message("password_again", self.tr("两次输入的新密码不一致，请重新输入。"))
            return
        old = self.old_password.text() if self._own else None
        self._submission.start(partial(set_password, self._ctx.db, self._ctx.actor, self._user_id,
                                       self.password.text(), old_password=old))

    def _saved(self, _result: object) -> None:
        self.accept()
        self.changed.emit(self.tr("已修改您的密码") if self._own
                          else self.tr("已重设 {name} 的密码").format(name=self._display_name))
