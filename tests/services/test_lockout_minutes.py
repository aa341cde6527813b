"""Issue 15 item 10: the lock-out says how long it really lasts — "5 分钟" for a five-minute lock, not 6 — and the
clock time from which the login works; a try part-way through says the minutes left, rounded up."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hecun_office.services import users
from hecun_office.services.users import LoginFailed
from hecun_office.storage.uow import Database

NOW = datetime(2026, 3, 2, 9, 0)


def _refused(db: Database, at: datetime, password: str = "wrong!") -> str:
    with pytest.raises(LoginFailed) as refused:
        users.authenticate(db, "wang", password, at)
    return refused.value.message


def test_the_lock_out_says_the_minutes_it_lasts_and_when_it_opens(db: Database) -> None:
    for _ in range(users.MAX_FAILURES):
        locking = _refused(db, NOW)
    assert "请 5 分钟后再试（09:05 起可以登录）" in locking
    assert "请 5 分钟后再试（09:05 起可以登录）" in _refused(db, NOW, "secret1")  # at once: the whole lock is left
    assert "请 3 分钟后再试（09:05 起可以登录）" in _refused(db, NOW + timedelta(minutes=2, seconds=30), "secret1")
    assert "请 1 分钟后再试（09:05 起可以登录）" in _refused(db, NOW + timedelta(minutes=4, seconds=59), "secret1")
    assert users.authenticate(db, "wang", "secret1", NOW + timedelta(minutes=5)).name == "王晓燕"


def test_a_lock_that_began_mid_minute_opens_at_the_next_whole_minute(db: Database) -> None:
    at = NOW + timedelta(seconds=20)
    for _ in range(users.MAX_FAILURES):
        locking = _refused(db, at)
    assert "请 5 分钟后再试（09:06 起可以登录）" in locking
