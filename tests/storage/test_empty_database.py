"""Issue 15 item 2: an existing database file that is empty, unreadable or not SQLite is never set up over — the
opening refuses with a Chinese message that points to `restore` and names the newest good backup beside it; a file
that does not exist is still created where the command may create. Item 10: a damaged database's many integrity
problems make a one-line refusal (first problem and how many), the whole report going to the log."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

import pytest

from hecun_office.cli import main
from hecun_office.domain.errors import EnvironmentProblem
from hecun_office.storage.backup import backup_file
from hecun_office.storage.opening import open_database
from hecun_office.storage.peek import EarlyCheck
from hecun_office.storage.uow import Database


def _with_backups(db: Database) -> tuple[Path, Path, Path]:
    """The test's office database closed, with two verified backups beside it: (file, older, newer)."""
    file = db.file
    assert file is not None
    db.dispose()
    older = backup_file(file, "daily")
    newer = backup_file(file, "manual")
    os.utime(older, (1_780_000_000, 1_780_000_000))  # listed by time: the manual one is the newest
    return file, older, newer


@pytest.mark.parametrize("content", [b"", b"Meeting notes, not a database.\n" * 10],
                         ids=["zero-length", "not-sqlite"])
@pytest.mark.parametrize("early", [False, True], ids=["opened", "opened-as-the-gui-does"])
def test_an_existing_unusable_file_is_refused_and_the_newest_backup_named(
        db: Database, content: bytes, early: bool) -> None:
    file, _, newer = _with_backups(db)
    file.write_bytes(content)
    check = EarlyCheck(file) if early else None  # SQLite's own check calls a zero-length file "ok"
    with pytest.raises(EnvironmentProblem) as refused:
        open_database(f"sqlite:///{file}", early_check=check)  # create=True: what the GUI and setup use
    message = refused.value.message
    assert "不会在它上面新建数据库" in message and "restore" in message and newer.name in message, message
    assert ("空文件" if not content else "不是 SQLite") in message
    assert "--user admin restore" in message  # the command as it runs: restore acts as the backup's administrator
    assert file.read_bytes() == content  # nothing was set up in it
    assert not file.with_name(file.name + "-wal").exists()


def test_a_damaged_newest_backup_is_passed_over_for_the_next_good_one(db: Database) -> None:
    file, older, newer = _with_backups(db)
    newer.write_bytes(newer.read_bytes()[:4096])  # cut short, as by a full disk
    file.write_bytes(b"")
    with pytest.raises(EnvironmentProblem) as refused:
        open_database(f"sqlite:///{file}")
    assert older.name in refused.value.message and newer.name not in refused.value.message


def test_check_on_a_zero_length_file_refuses_and_creates_nothing(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "office.sqlite3"
    file.touch()  # `: > X`
    assert main(["--db", str(file), "check"]) == 1
    err = capsys.readouterr().err
    assert "空文件" in err and "没有找到它的备份" in err, err
    assert file.stat().st_size == 0


def test_a_file_that_does_not_exist_is_still_created(tmp_path: Path) -> None:
    file = tmp_path / "new" / "office.sqlite3"
    open_database(f"sqlite:///{file}").dispose()
    assert file.stat().st_size > 0


def test_many_integrity_problems_make_one_line_and_the_whole_report_goes_to_the_log(
        db: Database, caplog: pytest.LogCaptureFixture) -> None:
    file = db.file
    assert file is not None
    db.dispose()
    with sqlite3.connect(file) as con:  # five leaf pages of the calendar (dbstat: SQLite's page map)
        leaves = [r[0] for r in con.execute("SELECT pageno FROM dbstat WHERE name = 'calendar_days' "
                                            "AND pagetype = 'leaf' LIMIT 5")]
    data = bytearray(file.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for n in leaves:
        data[(n - 1) * page + 1:(n - 1) * page + 3] = b"\xff\xff"  # a first free block past the page's end
    file.write_bytes(bytes(data))
    with sqlite3.connect(file) as con:
        report = "\n".join(str(r[0]) for r in con.execute("PRAGMA quick_check"))
    assert len(report.splitlines()) > 2, report  # the damage must give a report of several lines
    with caplog.at_level(logging.WARNING), pytest.raises(EnvironmentProblem) as refused:
        open_database(f"sqlite:///{file}")
    message = refused.value.message
    assert "\n" not in message and "处问题" in message and len(message) < 600, message
    assert report.splitlines()[-1] in caplog.text  # the clerk's technician finds every line in the log
