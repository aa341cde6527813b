"""U-6 in the widgets: who is working, and buttons for what their role may not do shown disabled with a
tooltip naming the roles that may. The services refuse as well (NotPermitted); this only spares the clerk a
click that cannot succeed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ..domain.permissions import Permission, allowed, roles_with
from ..domain.vocab import Role
from ..services.audit import Actor
from .formatting import vocab_text
from .translate import QT_TRANSLATE_NOOP

C = "roles"
# What each role is for, in the words of the office (mirrors domain.permissions.ROLE_PERMISSIONS).
_DESCRIPTIONS = {
    Role.CLERK: QT_TRANSLATE_NOOP(C, "登记和办理监督事项，起草文书。"),
    Role.REVIEWER: QT_TRANSLATE_NOOP(C, "承办人的全部工作，另可审核文书。"),
    Role.SIGNER: QT_TRANSLATE_NOOP(C, "审核人的全部工作，另可签发文书、维护高频事项模板（一般为所长）。"),
    Role.ADMIN: QT_TRANSLATE_NOOP(C, "管理用户、系统设置、工作日历和高频事项模板；不审核、不签发文书。"),
}


def role_label(role: str) -> str:
    try:
        return vocab_text(Role(role))
    except ValueError:
        return role


def role_description(role: str) -> str:
    try:
        return QCoreApplication.translate(C, _DESCRIPTIONS[Role(role)])
    except ValueError:
        return ""


def actor_text(actor: Actor) -> str:
    """王晓燕（承办人）"""
    return QCoreApplication.translate(C, "{name}（{role}）").format(name=actor.name, role=role_label(actor.role))


def refusal(role: str, permission: Permission) -> str:
    who = "、".join(vocab_text(r) for r in roles_with(permission))
    return QCoreApplication.translate(C, "只有{who}可以使用此功能（您的角色：{mine}）。").format(
        who=who, mine=role_label(role))


def gate(role: str, permission: Permission, *widgets: QWidget) -> bool:
    """Enable ``widgets`` when ``role`` has ``permission``; otherwise disable them and say who may."""
    ok = allowed(role, permission)
    for widget in widgets:
        widget.setEnabled(ok)
        if not ok:
            widget.setToolTip(refusal(role, permission))
    return ok
