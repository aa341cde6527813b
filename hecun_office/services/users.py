"""U-6: accounts, password login with lock-out, roles. Passwords are hashed with scrypt (services/passwords.py)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.errors import NotFound, ValidationError
from ..domain.permissions import Permission, require
from ..domain.vocab import Role
from ..storage.models import User
from ..storage.uow import Database
from . import audit
from .audit import Actor
from .passwords import hash_password, verify_password

MAX_FAILURES = 5  # wrong passwords in a row before the account waits
LOCKOUT = timedelta(minutes=5)
MIN_PASSWORD = 6
USERNAME = re.compile(r"[A-Za-z0-9_.-]{2,32}")


class LoginFailed(ValidationError):
    """Wrong name or password, or the account is locked or disabled."""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    active: bool
    has_password: bool
    last_login_at: datetime | None


def _account(u: User) -> Account:
    try:
        label = Role(u.role).label
    except ValueError:
        label = u.role
    return Account(u.id, u.username, u.display_name, u.role, label, u.active, bool(u.password_hash), u.last_login_at)


def actor_of(u: User | Account) -> Actor:
    return Actor(u.display_name, u.id, u.role)


def list_accounts(db: Database, include_inactive: bool = True) -> list[Account]:
    with db.uow() as session:
        query = select(User).order_by(User.id)
        if not include_inactive:
            query = query.where(User.active.is_(True))
        return [_account(u) for u in session.scalars(query)]


def login_names(db: Database) -> list[tuple[str, str]]:
    """(username, display name) of active accounts, for the login dialog's list."""
    return [(a.username, a.display_name) for a in list_accounts(db, include_inactive=False)]


def _come_back(locked_until: datetime, now: datetime) -> str:
    """When to try again: the minutes left rounded up, so that coming back after them always finds the account
    open, and a lock of exactly five minutes says 5, not 6 (issue 15 item 10); with the clock time, rounded up to
    the minute, from which the login works."""
    seconds = (locked_until - now).total_seconds()
    minutes = max(1, math.ceil(seconds / 60))
    opens = locked_until if locked_until.second == 0 and locked_until.microsecond == 0 else (
        locked_until.replace(second=0, microsecond=0) + timedelta(minutes=1))
    return f"请 {minutes} 分钟后再试（{opens:%H:%M} 起可以登录）"


def authenticate(db: Database, username: str, password: str, now: datetime | None = None) -> Actor:
    """The logged-in actor, or LoginFailed with a message that does not reveal which part was wrong."""
    now = now or datetime.now().replace(microsecond=0)
    with db.uow() as session:
        user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
        if user is None or not user.active:
            # Same message as a wrong password: the login screen must not confirm which names exist.
            raise LoginFailed("用户名或密码不正确，请重新输入。", "password")
        if user.locked_until and user.locked_until > now:
            raise LoginFailed(f"密码连续输错 {MAX_FAILURES} 次，账户已暂时锁定，{_come_back(user.locked_until, now)}，"
                              "或请管理员重设密码。", "password")
        if not verify_password(password, user.password_hash):
            user.failed_logins += 1
            left = MAX_FAILURES - user.failed_logins
            lock_minutes = int(LOCKOUT.total_seconds() // 60)
            if left <= 0:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
                message = (f"密码连续输错 {MAX_FAILURES} 次，账户已暂时锁定，{_come_back(user.locked_until, now)}，"
                           "或请管理员重设密码。")
            elif left == 1:  # the lock-out must not come as a surprise
                message = (f"用户名或密码不正确。再错 1 次账户将被锁定 {lock_minutes} 分钟；"
                           "忘记密码请找管理员重设。")
            else:
                message = "用户名或密码不正确，请重新输入。"
            audit.append(session, actor_of(user), "user.login_failed", "user",
                         user.username, {}, at=now)
            # Commit the counter even though the login is refused.
            session.commit()
            raise LoginFailed(message, "password")
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        actor = actor_of(user)
        audit.append(session, actor, "user.login", "user", user.username, {}, at=now)
        return actor


def check_password(db: Database, actor: Actor, password: str) -> bool:
    """Unlocking the idle lock: the same user's password, without touching the lock-out counters."""
    with db.uow() as session:
        user = session.get(User, actor.user_id) if actor.user_id else None
        return bool(user and user.active and verify_password(password, user.password_hash))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"密码至少 {MIN_PASSWORD} 位。", "password")
    if len(password) > 128:
        raise ValidationError("密码过长，请控制在 128 位以内。", "password")


def _check_role(role: str) -> None:
    if role not in {r.value for r in Role}:
        raise ValidationError("请选择角色。", "role")


def create_account(db: Database, actor: Actor, username: str, display_name: str, role: str, password: str) -> int:
    require(actor.role, Permission.USER_MANAGE)
    username = username.strip()
    if not USERNAME.fullmatch(username):
        raise ValidationError("登录名只能用英文字母、数字、下划线、点和连字符（2–32 位）。", "username")
    if not display_name.strip():
        raise ValidationError("请填写姓名。", "display_name")
    _check_role(role)
    _check_password(password)
    with db.uow() as session:
        if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())) is not None:
            raise ValidationError(f"登录名“{username}”已被使用，请换一个。", "username")
        user = User(username=username, display_name=display_name.strip(), role=role,
                    password_hash=hash_password(password), created_at=datetime.now().replace(microsecond=0))
        session.add(user)
        session.flush()
        audit.append(session, actor, "user.create", "user", username, {"role": role})
        return user.id


def _admins_left(session: Session, excluding: int) -> int:
    return int(session.scalar(select(func.count(User.id)).where(
        User.role == Role.ADMIN.value, User.active.is_(True), User.id != excluding)) or 0)


def update_account(db: Database, actor: Actor, user_id: int, *, role: str | None = None,
                   active: bool | None = None, display_name: str | None = None) -> None:
    require(actor.role, Permission.USER_MANAGE)
    with db.uow() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("该用户不存在，请刷新列表。")
        demoted = (role is not None and role != Role.ADMIN.value) or active is False
        if user.role == Role.ADMIN.value and demoted and _admins_left(session, user.id) == 0:
            raise ValidationError("这是唯一的管理员账户，不能停用或改为其他角色。请先把另一位用户设为管理员。", "role")
        if role is not None:
            _check_role(role)
            user.role = role
        if active is not None:
            user.active = active
        if display_name is not None:
            if not display_name.strip():
                raise ValidationError("请填写姓名。", "display_name")
            user.display_name = display_name.strip()
        audit.append(session, actor, "user.update", "user", user.username,
                     {"role": role, "active": active, "display_name": display_name})


def set_password(db: Database, actor: Actor, user_id: int, new_password: str, old_password: str | None = None) -> None:
    """A user changes their own password (old one required); an administrator resets anyone's."""
    _check_password(new_password)
    with db.uow() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("该用户不存在，请刷新列表。")
        if actor.user_id == user_id and old_password is not None:
            if not verify_password(old_password, user.password_hash):
                raise ValidationError("原密码不正确。", "old_password")
        else:
            require(actor.role, Permission.USER_MANAGE)
        user.password_hash = hash_password(new_password)
        user.failed_logins = 0
        user.locked_until = None
        audit.append(session, actor, "user.password", "user", user.username, {})


def accounts_without_password(db: Database) -> list[Account]:
    """Active accounts nobody can log in to: made by a `setup` before issue 11 without --password. The GUI asks for
    their password at start, before the login dialog."""
    return [a for a in list_accounts(db, include_inactive=False) if not a.has_password]


def set_first_password(db: Database, user_id: int, new_password: str) -> None:
    """Give an account that has no password its first one, with the rules of set_password. Nobody is logged in yet,
    so it is refused for an account that already has a password: it cannot be used to take over an account."""
    _check_password(new_password)
    with db.uow() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise NotFound("该用户不存在或已停用，请重新启动程序。")
        if user.password_hash:
            raise ValidationError(f"“{user.display_name}”已经设置了密码，请直接登录。", "password")
        user.password_hash = hash_password(new_password)
        user.failed_logins = 0
        user.locked_until = None
        audit.append(session, actor_of(user), "user.password", "user", user.username, {"first": True})
