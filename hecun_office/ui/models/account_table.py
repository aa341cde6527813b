"""Accounts on the 用户管理 settings section (U-6)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from ...services.users import Account
from .. import style
from ..formatting import vocab_text
from ..translate import QT_TRANSLATE_NOOP
from .base import Column, RowTableModel

C = "tables"


def status_text(account: Account) -> str:
    if not account.active:
        return QCoreApplication.translate(C, "已停用")
    if not account.has_password:
        return QCoreApplication.translate(C, "未设密码")
    return QCoreApplication.translate(C, "正常")


def last_login_text(account: Account) -> str:
    return f"{account.last_login_at:%Y-%m-%d %H:%M}" if account.last_login_at else "—"


class AccountTableModel(RowTableModel):
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "登录名"), lambda a: a.username),
        Column(QT_TRANSLATE_NOOP(C, "姓名"), lambda a: a.display_name),
        Column(QT_TRANSLATE_NOOP(C, "角色"), lambda a: vocab_text(a.role_label)),
        Column(QT_TRANSLATE_NOOP(C, "状态"), status_text, centered=True),
        Column(QT_TRANSLATE_NOOP(C, "最近登录"), last_login_text),
    )

    def decorate(self, row: Account, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QBrush(QColor(style.MUTED_TEXT))
        return None
