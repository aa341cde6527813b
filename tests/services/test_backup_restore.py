"""Backup on request with progress and cancel, this database's backups listed, restore with its checks: the
functions the command line and 设置 → 数据维护 share (issue 11 items 10 and 17)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from hecun_office.domain.errors import EnvironmentProblem, ValidationError
from hecun_office.domain.permissions import NotPermitted
from hecun_office.services import backups
from hecun_office.services.audit import Actor
from hecun_office.services.backups import backup_rows, backup_steps, restore_database, restore_steps
from hecun_office.services.calendar import override_day
from hecun_office.storage import backup as storage_backup
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database


def drain(steps):  # type: ignore[no-untyped-def]
    seen = []
    while True:
        try:
            seen.append(next(steps))
        except StopIteration as done:
            return seen, done.value


def test_a_backup_reports_its_progress_and_is_listed_as_this_databases(db: Database,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_backup, "PAGES_PER_STEP", 8)
    assert db.file is not None and backup_rows(db.file) == []
    seen, path = drain(backup_steps(db))
    assert len(seen) > 3 and seen[-1][0] == seen[-1][1]
    assert all(a <= b for (a, _), (b, _) in zip(seen, seen[1:], strict=False))
    rows = backup_rows(db.file)
    assert [r.path for r in rows] == [path] and rows[0].kind == "手动备份" and rows[0].size > 0
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM office_profile").fetchone() == ("贺村司法所",)


def test_a_cancelled_backup_leaves_nothing_behind(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_backup, "PAGES_PER_STEP", 4)
    steps = backup_steps(db)
    next(steps)
    next(steps)
    steps.close()  # what 取消 does (ui/progress.py)
    assert db.file is not None
    assert backup_rows(db.file) == [] and not list((db.file.parent / "backups").glob("*.part"))


def _as_other_office(backup: Path, tmp_path: Path, code: str, mode: str = "office") -> Path:
    other = tmp_path / f"elsewhere-{code}.sqlite3"
    shutil.copyfile(backup, other)
    with sqlite3.connect(other) as conn:
        conn.execute("UPDATE office_profile SET code = ?, mode = ?, name = '清湖司法所'", (code, mode))
    return other


def test_restore_checks_the_backup_belongs_here_then_keeps_the_state_it_replaces(
        db: Database, admin: Actor, actor: Actor, tmp_path: Path) -> None:
    file = db.file
    assert file is not None
    _, saved = drain(backup_steps(db))
    override_day(db, admin, date(2026, 3, 9), False, "停电")  # made after the backup: the restore undoes it
    closed: list[bool] = []

    with pytest.raises(ValidationError, match="清湖司法所"):
        drain(restore_steps(file, _as_other_office(saved, tmp_path, "qinghu"), actor=admin,
                            close=lambda: closed.append(True)))
    with pytest.raises(ValidationError, match="司法局端"):
        drain(restore_steps(file, _as_other_office(saved, tmp_path, "hecun", "bureau"), actor=admin))
    with pytest.raises(NotPermitted):
        drain(restore_steps(file, saved, actor=actor))  # a clerk may not replace the office's data
    assert closed == [] and len(backup_rows(file)) == 1  # refused before anything was closed or copied

    restored = restore_database(file, saved, actor=admin, close=db.dispose)
    assert restored.safety_copy is not None and restored.safety_problem == ""
    assert restored.aside is not None and restored.aside.is_file()
    rows = backup_rows(file)
    assert [r.kind for r in rows] == ["恢复前自动备份", "手动备份"]  # the replaced state can be restored in turn
    reopened = open_database(f"sqlite:///{file}")
    try:
        with reopened.engine.connect() as conn:
            assert conn.exec_driver_sql(
                "SELECT count(*) FROM calendar_days WHERE day = '2026-03-09' AND source = 'override'").scalar() == 0
    finally:
        reopened.dispose()
    with sqlite3.connect(restored.safety_copy) as conn:  # the override is in the copy of what was replaced
        assert conn.execute("SELECT count(*) FROM calendar_days WHERE day = '2026-03-09' AND source = 'override'"
                            ).fetchone() == (1,)


def test_postgresql_is_not_copied_by_the_program(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(type(db), "file", property(lambda _self: None))
    with pytest.raises(Exception, match="pg_dump"):
        next(backup_steps(db))
    assert "pg_restore" in backups.PG_RESTORE


def test_a_damaged_backup_is_refused_with_the_next_good_one_named(db: Database, admin: Actor) -> None:
    """Issue 15 item 10: the clerk chose a damaged backup — the advice is to choose another, naming the newest good
    one, not to check the disk (which was the right advice only for a copy this program had just written)."""
    file = db.file
    assert file is not None
    _, good = drain(backup_steps(db))
    _, damaged = drain(backup_steps(db))
    damaged.write_bytes(damaged.read_bytes()[:8192])  # cut short, as by a full USB stick
    with pytest.raises(EnvironmentProblem) as refused:
        drain(restore_steps(file, damaged, actor=admin, close=db.dispose))
    message = refused.value.message
    assert "请选择其他备份" in message and good.name in message and "检查磁盘" not in message, message
    assert not list(file.parent.glob("*-replaced-*"))  # refused before anything was touched
