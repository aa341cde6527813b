"""U-6: what each role may do. One table, checked by the services and mirrored by the UI (which hides what a role
cannot do, but never relies on that: the service refuses as well)."""

from __future__ import annotations

from enum import StrEnum

from .errors import DomainError
from .vocab import Role


class Permission(StrEnum):
    MATTER_WORK = "matter_work"  # register, import, move a matter, attach files, templates in use
    DOCUMENT_DRAFT = "document_draft"  # 拟稿, submit for review, record service
    DOCUMENT_REVIEW = "document_review"  # 审核: pass or send back
    DOCUMENT_ISSUE = "document_issue"  # 签发 (assigns the number), void, approve a backdated issue
    TEMPLATE_MANAGE = "template_manage"  # edit the frequent-matter library
    SETTINGS_MANAGE = "settings_manage"  # office profile, calendar import and overrides, restore
    USER_MANAGE = "user_manage"  # accounts and roles


_CLERK = {Permission.MATTER_WORK, Permission.DOCUMENT_DRAFT}
_REVIEWER = _CLERK | {Permission.DOCUMENT_REVIEW}
_SIGNER = _REVIEWER | {Permission.DOCUMENT_ISSUE, Permission.TEMPLATE_MANAGE}
# The administrator runs the installation, not the office's documents: no review or sign-off, so that setting up
# accounts never lets one person approve their own drafts by accident.
_ADMIN = _CLERK | {Permission.TEMPLATE_MANAGE, Permission.SETTINGS_MANAGE, Permission.USER_MANAGE}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset(_CLERK),
    Role.REVIEWER: frozenset(_REVIEWER),
    Role.SIGNER: frozenset(_SIGNER),
    Role.ADMIN: frozenset(_ADMIN),
}

_WHAT = {
    Permission.MATTER_WORK: "办理监督事项",
    Permission.DOCUMENT_DRAFT: "起草文书",
    Permission.DOCUMENT_REVIEW: "审核文书",
    Permission.DOCUMENT_ISSUE: "签发或作废文书",
    Permission.TEMPLATE_MANAGE: "维护高频事项模板",
    Permission.SETTINGS_MANAGE: "修改系统设置和工作日历",
    Permission.USER_MANAGE: "管理用户",
}


class NotPermitted(DomainError):
    """The user's role does not allow this action."""


def allowed(role: str, permission: Permission) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


def roles_with(permission: Permission) -> list[Role]:
    return [r for r, perms in ROLE_PERMISSIONS.items() if permission in perms]


def require(role: str, permission: Permission) -> None:
    if allowed(role, permission):
        return
    try:
        mine = Role(role).label
    except ValueError:
        mine = role
    who = "、".join(r.label for r in roles_with(permission))
    raise NotPermitted(f"您的角色（{mine}）不能{_WHAT[permission]}，请由{who}操作，或请管理员调整您的角色。")
