"""Behaviour of 设置 → 用户管理 (U-6): administrators manage accounts; everyone sees them and changes their own
password. The buttons follow the role; the services refuse as well."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal

from ...domain.permissions import Permission
from ...services.users import Account, list_accounts, update_account
from ..context import UiContext
from ..errors import show_error
from ..roles import gate
from .account_dialog import AccountDialog, RoleDialog
from .password_dialog import PasswordDialog
from .users_view import UsersView


class UsersSection(UsersView):
    message = Signal(str)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx
        self.can_manage = gate(ctx.actor.role, Permission.USER_MANAGE, *self.manage_buttons)
        if self.can_manage:
            self.note.setText(self.tr("新增的用户用登录名和密码登录。停用的账户不能登录，但其办理记录保留。"
                                      "角色决定能做哪些操作。"))
        else:
            self.note.setText(self.tr("只有管理员可以新增用户、修改角色、停用账户或重设密码。您可以修改自己的密码。"))
        self.own_password_button.setEnabled(ctx.actor.user_id is not None)
        self._connect_signals()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.add_button.clicked.connect(self.open_account_dialog)
        self.role_button.clicked.connect(self.open_role_dialog)
        self.active_button.clicked.connect(self.toggle_active)
        self.reset_button.clicked.connect(self.open_reset_dialog)
        self.own_password_button.clicked.connect(self.open_own_password_dialog)

    def refresh(self) -> None:
        selected = self.selected()
        try:
            accounts = list_accounts(self._ctx.db)
        except Exception as exc:
            show_error(self, exc)
            return
        self.model.set_rows(accounts)
        if selected is not None:
            self.select(selected.id)

    def selected(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, user_id: int) -> None:
        row = self.model.find(user_id)
        if row is not None:
            self.table.selectRow(row)

    def select_username(self, username: str) -> None:
        for account in self.model.rows():
            if account.username == username:
                self.select(account.id)

    def _update_buttons(self) -> None:
        if not self.can_manage:
            return  # disabled with the tooltip that says who may
        account = self.selected()
        mine = account is not None and account.id == self._ctx.actor.user_id
        self.active_button.setText(self.tr("启用") if account is not None and not account.active else self.tr("停用"))
        self.reset_button.setEnabled(account is not None)
        # Changing one's own role or account would take effect only at the next login: another admin does it.
        for button in (self.role_button, self.active_button):
            button.setEnabled(account is not None and not mine)
            button.setToolTip(self.tr("不能修改自己的角色或停用自己的账户，请由另一位管理员操作。") if mine
                              else "" if account is not None else self.tr("请先在表格中选择一位用户。"))
        self.reset_button.setToolTip("" if account is not None else self.tr("请先在表格中选择一位用户。"))

    # --- actions ------------------------------------------------------------------------------------
    def open_account_dialog(self) -> AccountDialog:
        dialog = AccountDialog(self._ctx, self)
        dialog.created.connect(self._created)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_role_dialog(self) -> RoleDialog | None:
        account = self.selected()
        if account is None:
            return None
        dialog = RoleDialog(self._ctx, account, self)
        dialog.changed.connect(self._changed)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_reset_dialog(self) -> PasswordDialog | None:
        account = self.selected()
        if account is None:
            return None
        return self._open_password_dialog(account.id, account.display_name)

    def open_own_password_dialog(self) -> PasswordDialog | None:
        actor = self._ctx.actor
        if actor.user_id is None:
            return None
        return self._open_password_dialog(actor.user_id, actor.name)

    def _open_password_dialog(self, user_id: int, name: str) -> PasswordDialog:
        dialog = PasswordDialog(self._ctx, user_id, name, self)
        dialog.changed.connect(self._changed)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def toggle_active(self) -> None:
        account = self.selected()
        if account is None:
            return
        self._toggled = account
        self._ctx.tasks.write(partial(update_account, self._ctx.db, self._ctx.actor, account.id,
                                      active=not account.active), self._active_toggled, self._show_failure)

    def _active_toggled(self, _result: object) -> None:
        account = self._toggled
        text = self.tr("已启用 {name} 的账户") if not account.active else self.tr("已停用 {name} 的账户")
        self.message.emit(text.format(name=account.display_name))

    def _show_failure(self, exc: object) -> None:
        if isinstance(exc, BaseException):
            show_error(self, exc)  # NotPermitted or the last administrator: a sentence that says why

    def _created(self, username: str) -> None:
        self.select_username(username)
        self.message.emit(self.tr("已新增用户 {username}").format(username=username))

    def _changed(self, text: str) -> None:
        self.message.emit(text)

