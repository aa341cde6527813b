"""restore_sqlite puts a backup in place without ever leaving the database file missing, never lets the replaced
database's -wal be replayed into the restored file, and changes nothing when the file cannot be replaced."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from hecun_office.domain.errors import EnvironmentProblem
from hecun_office.storage.backup import restore_sqlite


def _rows(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT text FROM notes ORDER BY text")]


def _database_with_a_wal(folder: Path) -> Path:
    """A database whose last commit is only in its -wal, as a killed program leaves it."""
    folder.mkdir()
    work = folder / "work.sqlite3"
    conn = sqlite3.connect(work)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.execute("INSERT INTO notes VALUES ('before')")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("INSERT INTO notes VALUES ('in the wal')")
    conn.commit()
    live = folder / "office.sqlite3"
    shutil.copyfile(work, live)
    shutil.copyfile(work.with_name(work.name + "-wal"), live.with_name(live.name + "-wal"))
    conn.close()
    return live


def _backup(folder: Path) -> Path:
    backup = folder / "saved.sqlite3"
    with sqlite3.connect(backup) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('saved')")
    return backup


def test_the_replaced_database_keeps_its_wal_and_the_restored_file_gets_none(tmp_path: Path) -> None:
    live = _database_with_a_wal(tmp_path / "db")
    backup = _backup(tmp_path)
    aside = restore_sqlite(backup, live)
    assert aside is not None and aside.with_name(aside.name + "-wal").is_file()
    assert not live.with_name(live.name + "-wal").exists()  # it would have been replayed into the restored file
    assert _rows(live) == ["saved"]
    assert _rows(aside) == ["before", "in the wal"]  # nothing committed is lost
    assert not live.with_name(live.name + ".restoring").exists()


def test_when_the_file_cannot_be_replaced_nothing_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    live = _database_with_a_wal(tmp_path / "db")
    backup = _backup(tmp_path)
    real_replace = Path.replace

    def locked(self: Path, target: str | Path) -> Path:  # Windows: the database is open in another program
        if self.name.endswith(".restoring"):
            raise PermissionError(13, "拒绝访问")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", locked)
    with pytest.raises(EnvironmentProblem, match="数据库没有改动"):
        restore_sqlite(backup, live)
    monkeypatch.undo()
    assert sorted(p.name for p in live.parent.iterdir()) == ["office.sqlite3", "office.sqlite3-wal", "work.sqlite3"]
    assert _rows(live) == ["before", "in the wal"]
