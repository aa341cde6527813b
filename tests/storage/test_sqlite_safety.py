"""N-1 on real files: the engine's pragmas, verified online backups, and corrupt databases refused."""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from hecun_office.domain.errors import EnvironmentProblem
from hecun_office.services.matters import MatterInput, list_units, register_matter
from hecun_office.services.setup import ProfileInput, UserInput, default_actor, setup_database
from hecun_office.storage.backup import backup_sqlite
from hecun_office.storage.engine import to_url
from hecun_office.storage.migrate import head_revision
from hecun_office.storage.opening import open_database
from hecun_office.storage.peek import EarlyCheck
from hecun_office.storage.uow import Database

from .sqlite_util import FIXTURE_DBS, revision_of, scalar

TODAY = date(2026, 3, 20)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _office(path: Path, opened: list[Database], matters: int = 2) -> Database:
    db = open_database(to_url(path))
    opened.append(db)
    setup_database(db, ProfileInput(), UserInput("admin", "管理员"))
    actor, unit = default_actor(db), list_units(db)[0].id
    for i in range(matters):
        register_matter(db, actor, MatterInput(received_on=date(2026, 3, 2 + i), source="daily",
                                               title=f"执法检查发现的问题（{i + 1}）", category="legality",
                                               unit_ids=[unit]), today=TODAY)
    return db


def test_engine_pragmas_on_a_real_file(tmp_path: Path, opened: list[Database]) -> None:
    db = open_database(to_url(tmp_path / "office.sqlite3"))
    opened.append(db)
    # Two connections at once: every pooled connection gets the pragmas, not only the first.
    with db.engine.connect() as one, db.engine.connect() as two:
        for conn in (one, two):
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() > 0
    # WAL is a property of the file: a plain sqlite3 connection sees it too.
    assert scalar(tmp_path / "office.sqlite3", "PRAGMA journal_mode") == "wal"


def test_foreign_keys_are_enforced(tmp_path: Path, opened: list[Database]) -> None:
    db = _office(tmp_path / "office.sqlite3", opened, matters=1)
    with pytest.raises(Exception, match="FOREIGN KEY"), db.engine.begin() as conn:
        conn.execute(text("INSERT INTO matter_units (matter_id, unit_id) VALUES (999999, 1)"))


def test_backup_is_verified_and_holds_the_committed_data(tmp_path: Path, opened: list[Database]) -> None:
    db_file = tmp_path / "office.sqlite3"
    db = _office(db_file, opened, matters=3)
    # The commits are still in the write-ahead log: a plain file copy would miss them, the backup API must not.
    assert Path(f"{db_file}-wal").stat().st_size > 0

    made = backup_sqlite(db.engine, db_file, reason="test")

    assert made.parent == tmp_path / "backups"
    assert made.is_file() and not Path(f"{made}.part").exists()
    assert not Path(f"{made}-wal").exists(), "a backup must be one self-contained file"
    assert scalar(made, "PRAGMA quick_check") == "ok"
    assert scalar(made, "SELECT count(*) FROM matters") == 3
    assert scalar(made, "SELECT count(*) FROM office_profile") == 1
    assert revision_of(made) == head_revision()


def test_backup_to_a_chosen_target_can_be_opened(tmp_path: Path, opened: list[Database]) -> None:
    db = _office(tmp_path / "office.sqlite3", opened, matters=2)
    target = tmp_path / "usb" / "copy.sqlite3"
    target.parent.mkdir()
    assert backup_sqlite(db.engine, tmp_path / "office.sqlite3", target=target) == target
    restored = open_database(to_url(target))
    opened.append(restored)
    with restored.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM matters")).scalar() == 2


def _page_size(path: Path) -> int:
    return int(scalar(path, "PRAGMA page_size"))


def _garbage_middle_pages(data: bytearray, page: int) -> None:
    pages = len(data) // page
    rng = random.Random(20260321)
    for n in range(pages // 3, 2 * pages // 3):
        data[n * page:(n + 1) * page] = rng.randbytes(page)


def _garbage_in_one_page(data: bytearray, page: int) -> None:
    n = len(data) // page // 2
    data[n * page + 100:n * page + 200] = random.Random(1).randbytes(100)


def _garbage_header(data: bytearray, page: int) -> None:
    data[:100] = random.Random(2).randbytes(100)


def _truncated(data: bytearray, page: int) -> None:
    del data[len(data) // page // 2 * page:]


def _sqlite_sees_damage(path: Path) -> bool:
    try:
        return scalar(path, "PRAGMA quick_check") != "ok"
    except sqlite3.DatabaseError:
        return True


@pytest.mark.parametrize("early", [False, True], ids=["checked-on-open", "checked-early-as-the-gui-does"])
@pytest.mark.parametrize("damage", [_garbage_middle_pages, _garbage_in_one_page, _garbage_header, _truncated],
                         ids=["middle-pages", "one-page", "header", "truncated"])
def test_corrupt_database_is_refused_with_a_restore_hint(
        damage: Callable[[bytearray, int], None], early: bool, tmp_path: Path) -> None:
    db_file = tmp_path / "office.sqlite3"
    shutil.copyfile(FIXTURE_DBS / f"{head_revision()}.sqlite3", db_file)
    data = bytearray(db_file.read_bytes())
    damage(data, _page_size(db_file))
    db_file.write_bytes(bytes(data))
    assert _sqlite_sees_damage(db_file), "the damage must be real for this test to mean anything"

    check = EarlyCheck(db_file) if early else None  # the GUI starts it on a thread before its imports
    if check is not None:
        assert check.result() != "ok"  # the early check itself sees the damage (or cannot read the file at all)
    with pytest.raises(EnvironmentProblem) as refused:
        open_database(to_url(db_file), early_check=check).dispose()

    message = refused.value.message
    assert CJK.search(message), message
    assert "恢复" in message and "restore" in message, message
    # Refusing must not "repair" anything: no migration, no backup of the broken file.
    assert not list(tmp_path.glob("backups/*.sqlite3"))


def test_the_early_check_reads_only(tmp_path: Path) -> None:
    good = tmp_path / "office.sqlite3"
    shutil.copyfile(FIXTURE_DBS / f"{head_revision()}.sqlite3", good)
    before = good.read_bytes()
    assert EarlyCheck(good).result() == "ok"
    assert good.read_bytes() == before
    missing = tmp_path / "none.sqlite3"
    assert EarlyCheck(missing).result() is None  # the opening then checks (and creates) as before
    assert not missing.exists()
