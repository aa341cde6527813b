"""Issue 15 item 7: ``check`` runs SQLite's full ``integrity_check``. A flipped byte inside an index page leaves
every page well-formed, so start-up's ``quick_check`` passes it; only the full check compares the index with its
table, and ``check`` (the command and the GUI's 数据维护) must report it, in one line, with the full text in the log."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from hecun_office.services import check, matters
from hecun_office.services.audit import Actor
from hecun_office.storage.models import Matter
from hecun_office.storage.uow import Database

DAY = date(2026, 3, 6)


def _flip_in_index(path: Path, index: str, value: str) -> None:
    """Change one character of ``value`` where the index ``index`` holds it, in the file itself: the index's pages
    (from dbstat) are searched for the value's bytes, and its last character is changed by one (the order of the
    index's keys stays as it was, so the page stays well-formed)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in con.execute("SELECT pageno FROM dbstat WHERE name = ?", (index,))]
    finally:
        con.close()
    assert pages, f"no pages for {index}"
    raw = bytearray(path.read_bytes())
    needle = value.encode("ascii")
    for page in pages:
        start = (page - 1) * page_size
        at = raw.find(needle, start, start + page_size)
        if at >= 0:
            last = at + len(needle) - 1
            raw[last] = raw[last] + 1 if raw[last] != ord("f") else ord("e")
            path.write_bytes(bytes(raw))
            return
    raise AssertionError(f"{value} not found in the pages of {index}")


def test_check_reports_an_index_that_no_longer_matches_its_table(db: Database, actor: Actor,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    unit = matters.list_units(db)[1].id
    for n in range(3):
        matters.register_matter(db, actor, matters.MatterInput(
            received_on=DAY, source="daily", title=f"案卷评查第 {n + 1} 件", category="legality", unit_ids=[unit]),
            today=DAY)
    with db.uow() as session:
        uuid = session.scalars(select(Matter.uuid).order_by(Matter.id)).first()
    assert uuid is not None
    [before] = [r for r in check.run_checks(db, DAY) if r.name == "数据库完整性"]
    assert before.ok
    db.dispose()
    assert db.file is not None
    _flip_in_index(db.file, "sqlite_autoindex_matters_1", uuid)  # matters.uuid UNIQUE

    con = sqlite3.connect(db.file)
    try:
        assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok", "the damage start-up cannot see"
        assert con.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    finally:
        con.close()

    with caplog.at_level(logging.ERROR, logger="hecun_office.services.check"):
        [after] = [r for r in check.run_checks(db, DAY) if r.name == "数据库完整性"]
    assert not after.ok
    assert "integrity_check" in after.detail and "restore" in after.detail
    assert "\n" not in after.detail, "one line in the check's list"
    assert "sqlite_autoindex_matters_1" in after.detail
    assert any("sqlite_autoindex_matters_1" in r.getMessage() for r in caplog.records), "the full text is logged"
