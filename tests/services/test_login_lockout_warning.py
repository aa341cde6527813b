"""Issue 11 item 7: the lock-out never comes as a surprise — the wrong password before the last one says so, and
the one that locks says it locked and for how long."""

from __future__ import annotations

from datetime import datetime

import pytest

from hecun_office.services import users
from hecun_office.services.users import LoginFailed
from hecun_office.storage.uow import Database

NOW = datetime(2026, 3, 2, 9, 0)


def _wrong(db: Database) -> str:
    with pytest.raises(LoginFailed) as refused:
        users.authenticate(db, "wang", "wrong!", NOW)
    return refused.value.message


def test_the_wrong_password_before_the_lock_out_warns_and_the_last_one_says_it_locked(db: Database) -> None:
    messages = [_wrong(db) for _ in range(users.MAX_FAILURES)]
    assert messages[:-2] == ["用户名或密码不正确，请重新输入。"] * (users.MAX_FAILURES - 2)
    assert "再错 1 次账户将被锁定 5 分钟" in messages[-2]
    assert "账户已暂时锁定" in messages[-1] and "5 分钟后再试" in messages[-1]
    # The next try after the lock starts counting afresh, with no warning carried over.
    assert _wrong_after_lock(db) == "用户名或密码不正确，请重新输入。"


def _wrong_after_lock(db: Database) -> str:
    with pytest.raises(LoginFailed) as refused:
        users.authenticate(db, "wang", "wrong!", NOW + users.LOCKOUT + users.LOCKOUT)
    return refused.value.message
