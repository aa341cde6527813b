"""Layout of 设置 → 用户管理 (U-6): the accounts, what an administrator can do with them, one's own password."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ..models.account_table import AccountTableModel
from ..widgets import label, set_column_widths, table_view


class UsersView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        self.note = label("", "muted", wrap=True)
        layout.addWidget(self.note)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("新增用户…"))
        self.add_button.setObjectName("addUser")
        self.role_button = QPushButton(self.tr("修改角色…"))
        self.role_button.setObjectName("changeRole")
        self.active_button = QPushButton(self.tr("停用"))
        self.active_button.setObjectName("toggleActive")
        self.reset_button = QPushButton(self.tr("重设密码…"))
        self.reset_button.setObjectName("resetPassword")
        self.own_password_button = QPushButton(self.tr("修改我的密码…"))
        self.own_password_button.setObjectName("ownPassword")
        self.manage_buttons = (self.add_button, self.role_button, self.active_button, self.reset_button)
        for button in self.manage_buttons:
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.own_password_button)
        layout.addLayout(buttons)
        self.model = AccountTableModel(self)
        self.table = table_view(self.model)  # the last column takes the rest: names are short
        self.table.setObjectName("accountTable")
        set_column_widths(self.table, {0: 160, 1: 160, 2: 120, 3: 100})
        layout.addWidget(self.table, 1)
