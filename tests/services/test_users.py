"""U-6: password login with lock-out, roles that refuse what they may not do, an audit trail that names people."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from hecun_office.domain.errors import ValidationError
from hecun_office.domain.permissions import NotPermitted, Permission, allowed
from hecun_office.services import users
from hecun_office.services.audit import Actor, verify_chain
from hecun_office.services.users import LoginFailed
from hecun_office.storage.models import AuditEntry, User
from hecun_office.storage.uow import Database

NOW = datetime(2026, 3, 2, 9, 0)


def test_login_with_the_right_password_names_the_person_in_the_audit_trail(db: Database) -> None:
    actor = users.authenticate(db, "Wang", "secret1", NOW)  # login names are not case-sensitive
    assert (actor.name, actor.role) == ("王晓燕", "clerk")
    with db.uow() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None and (last.action, last.actor) == ("user.login", "王晓燕")
        assert verify_chain(session)[1] is None


def test_wrong_password_and_unknown_name_get_the_same_message(db: Database) -> None:
    with pytest.raises(LoginFailed) as wrong:
        users.authenticate(db, "wang", "nope", NOW)
    with pytest.raises(LoginFailed) as unknown:
        users.authenticate(db, "nobody", "nope", NOW)
    assert wrong.value.message == unknown.value.message == "用户名或密码不正确，请重新输入。"


def test_five_wrong_passwords_lock_the_account_for_a_while(db: Database) -> None:
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(LoginFailed):
            users.authenticate(db, "wang", "wrong!", NOW)
    with pytest.raises(LoginFailed, match="暂时锁定"):
        users.authenticate(db, "wang", "secret1", NOW + timedelta(minutes=1))  # even the right one waits
    assert users.authenticate(db, "wang", "secret1", NOW + users.LOCKOUT + timedelta(seconds=1)).name == "王晓燕"


def test_roles_decide_who_may_sign_manage_users_and_change_settings() -> None:
    assert allowed("signer", Permission.DOCUMENT_ISSUE) and not allowed("clerk", Permission.DOCUMENT_ISSUE)
    assert allowed("reviewer", Permission.DOCUMENT_REVIEW) and not allowed("reviewer", Permission.DOCUMENT_ISSUE)
    # the administrator runs the installation but does not approve documents
    assert allowed("admin", Permission.USER_MANAGE) and not allowed("admin", Permission.DOCUMENT_ISSUE)
    assert not allowed("clerk", Permission.SETTINGS_MANAGE)
    assert not allowed("intruder", Permission.MATTER_WORK)


def test_only_an_administrator_creates_accounts(db: Database, actor: Actor, admin: Actor) -> None:
    with pytest.raises(NotPermitted, match="管理员"):
        users.create_account(db, actor, "li", "李志明", "signer", "secret9")
    uid = users.create_account(db, admin, "li", "李志明", "signer", "secret9")
    with pytest.raises(ValidationError, match="已被使用"):
        users.create_account(db, admin, "LI", "李四", "clerk", "secret9")
    with pytest.raises(ValidationError, match="至少"):
        users.create_account(db, admin, "zhao", "赵", "clerk", "123")
    assert users.authenticate(db, "li", "secret9", NOW).user_id == uid


def test_the_last_administrator_cannot_be_demoted_or_disabled(db: Database, admin: Actor) -> None:
    assert admin.user_id is not None
    with pytest.raises(ValidationError, match="唯一的管理员"):
        users.update_account(db, admin, admin.user_id, role="clerk")
    with pytest.raises(ValidationError, match="唯一的管理员"):
        users.update_account(db, admin, admin.user_id, active=False)


def test_disabled_accounts_cannot_log_in_and_passwords_can_be_changed(db: Database, actor: Actor, admin: Actor) -> None:
    assert actor.user_id is not None
    with pytest.raises(ValidationError, match="原密码"):
        users.set_password(db, actor, actor.user_id, "newpass1", old_password="bad")
    users.set_password(db, actor, actor.user_id, "newpass1", old_password="secret1")
    assert users.authenticate(db, "wang", "newpass1", NOW).name == "王晓燕"
    users.update_account(db, admin, actor.user_id, active=False)
    with pytest.raises(LoginFailed):
        users.authenticate(db, "wang", "newpass1", NOW)
    with db.uow() as session:
        stored = session.scalars(select(User.password_hash).where(User.username == "wang")).one()
        assert stored is not None and stored.startswith("scrypt$") and "newpass1" not in stored
