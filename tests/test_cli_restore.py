"""`restore` shares its steps with 设置 → 数据维护 (services/backups.py): the state it replaces is backed up first,
listed with this database's backups, so a restore can itself be undone (issue 11 item 17)."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from hecun_office.cli import main


@pytest.fixture(autouse=True)
def _signed_in(cli_user) -> None:
    cli_user("admin", "secret1")  # writing commands act as a named account (hecun_office/cli_user.py)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_restore_backs_up_the_replaced_state_and_can_be_undone(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "office.sqlite3")
    assert run(capsys, "--db", db, "setup", "--password", "secret1")[0] == 0  # its administrator writes below
    assert run(capsys, "--db", db, "backup")[0] == 0
    saved = run(capsys, "--db", db, "restore")[1].split()[0]
    assert run(capsys, "--db", db, "calendar", "override", "2026-03-09", "rest", "--reason", "停电")[0] == 0
    code, out, err = run(capsys, "--db", db, "restore", saved, "--yes")
    assert code == 0 and "恢复前的数据已备份到" in out and "原数据库已保留" in out, err
    before_restore = next(Path(p) for p in run(capsys, "--db", db, "restore")[1].split() if "before-restore" in p)
    assert run(capsys, "--db", db, "workdays", "add", "2026-03-06", "1")[1].startswith("2026-03-09")
    shutil.copyfile(before_restore, tmp_path / "undo.sqlite3")
    code, out, err = run(capsys, "--db", db, "restore", str(tmp_path / "undo.sqlite3"), "--yes")
    assert code == 0, err
    assert run(capsys, "--db", db, "workdays", "add", "2026-03-06", "1")[1].startswith("2026-03-10")  # 停电 is back


def test_an_emptied_database_is_refused_then_restored_from_the_backup_the_message_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 15 item 2: `: > X; hecun-office --db X check` used to set up a new office in X. Now it refuses, names
    the backup beside it and the command; that command brings the office back, and no "before-restore" backup of
    the empty file pushes the good ones down the list."""
    db = tmp_path / "office.sqlite3"
    assert run(capsys, "--db", str(db), "setup", "--password", "secret1")[0] == 0
    assert run(capsys, "--db", str(db), "backup")[0] == 0
    db.write_bytes(b"")
    code, _, err = run(capsys, "--db", str(db), "check")
    assert code == 1 and "空文件" in err and "restore" in err, err
    assert db.stat().st_size == 0
    saved = err.split("restore \"")[1].split("\"")[0]
    code, out, err = run(capsys, "--db", str(db), "restore", saved, "--yes")
    assert code == 0, err
    assert run(capsys, "--db", str(db), "check")[0] == 0
    assert not [p for p in run(capsys, "--db", str(db), "restore")[1].split() if "before-restore" in p]


def test_a_database_lost_in_an_interrupted_restore_is_refused_then_restored_from_its_safety_copy(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What the restore before issue 15 left when killed during its copy: the live file renamed aside and half a
    copy. No command sets up an empty database there; the message names the kept file, and `restore` takes it."""
    db = tmp_path / "office.sqlite3"
    assert run(capsys, "--db", str(db), "setup", "--password", "secret1")[0] == 0
    assert run(capsys, "--db", str(db), "calendar", "override", "2026-03-09", "rest", "--reason", "停电")[0] == 0
    kept = tmp_path / "office-replaced-20261201-101500.sqlite3"
    with contextlib.closing(sqlite3.connect(db)) as con:  # that restore had closed the database: its -wal folded in
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.replace(kept)
    (tmp_path / "office.sqlite3.restoring").write_bytes(kept.read_bytes()[:8192])
    code, _, err = run(capsys, "--db", str(db), "check")
    assert code == 1 and kept.name in err and "不会新建空数据库" in err, err
    assert not db.exists()
    code, out, err = run(capsys, "--db", str(db), "restore", str(kept), "--yes")
    assert code == 0, err
    assert run(capsys, "--db", str(db), "workdays", "add", "2026-03-06", "1")[1].startswith("2026-03-10")  # 停电 kept
    assert not (tmp_path / "office.sqlite3.restoring").exists()
