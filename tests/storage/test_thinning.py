"""N-1: daily backups are made when due and thinned over time without ever losing the newest ones."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from hecun_office.services.backups import ensure_daily_backup
from hecun_office.storage.backup import list_backups
from hecun_office.storage.thinning import to_delete
from hecun_office.storage.uow import Database

NOW = datetime(2026, 11, 21, 9, 0)


def test_two_years_of_hourly_backups_thin_to_days_weeks_months_and_years() -> None:
    backups = [(f"b{i}", NOW - timedelta(hours=i)) for i in range(0, 24 * 800, 1)]
    kept = {n for n, _ in backups} - set(to_delete(backups, NOW))
    assert {f"b{i}" for i in range(0, 24 * 7)} <= kept  # the last week entirely
    # then one per day (~23), per week (~22 more), per month (~18 more), per year: 19,200 copies become < 250
    assert len(kept) < 250
    days_8_to_30 = {(NOW - timedelta(hours=i)).date() for i in range(24 * 8, 24 * 30) if f"b{i}" in kept}
    assert len(days_8_to_30) == 22  # one for each of those days
    years = {at.year for _, at in backups}
    assert years == {at.year for n, at in backups if n in kept}  # every year keeps a copy, even 800 days back


def test_the_newest_three_survive_even_when_old() -> None:
    old = [(f"o{i}", NOW - timedelta(days=400, hours=i)) for i in range(5)]
    assert set(to_delete(old, NOW)) == {"o3", "o4"}


def test_daily_backup_is_made_once_a_day_and_old_copies_are_thinned(db: Database) -> None:
    assert db.file is not None
    first = ensure_daily_backup(db, NOW)
    assert first is not None and first.is_file()
    assert ensure_daily_backup(db, NOW + timedelta(hours=3)) is None  # not due yet
    folder = first.parent
    for i in range(40):  # a month of stale daily copies, several per day
        stale = folder / f"office-old{i}-daily.sqlite3"
        stale.write_bytes(first.read_bytes())
        t = (NOW - timedelta(days=10 + i // 4, hours=i % 4)).timestamp()
        os.utime(stale, (t, t))
    os.utime(first, (NOW.timestamp(), NOW.timestamp()))
    second = ensure_daily_backup(db, NOW + timedelta(days=1))
    assert second is not None
    names = {p.name for p in list_backups(db.file)}
    assert first.name in names and second.name in names
    assert len(names) == 2 + 10  # the 40 stale copies over 10 days keep one per day
