"""Migration 0008 (issue 15 item 8): its backfill takes an old database's records into the chain, and its
downgrade gives back exactly the 0007 database: the columns gone, the baseline entries gone, the old chain whole."""

from __future__ import annotations

import shutil
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from hecun_office.storage.engine import to_url
from hecun_office.storage.migrate import alembic_config

from .sqlite_util import FIXTURE_DBS, query, scalar


def _migrate(path: Path, step: str, revision: str) -> None:
    engine = create_engine(to_url(path))
    try:
        with engine.begin() as conn:
            cfg = alembic_config(str(engine.url))
            cfg.attributes["connection"] = conn
            getattr(command, step)(cfg, revision)
    finally:
        engine.dispose()


def _columns(path: Path, table: str) -> set[str]:
    return {row[1] for row in query(path, f"PRAGMA table_info({table})")}


def test_0008_backfills_the_records_and_its_downgrade_restores_0007(tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(FIXTURE_DBS / "0007_events_by_date.sqlite3", path)
    chain_before = query(path, "SELECT id, hash FROM audit_log ORDER BY id")
    events = scalar(path, "SELECT count(*) FROM matter_events")
    issued = scalar(path, "SELECT count(*) FROM document_files")

    _migrate(path, "upgrade", "0008_audit_records")
    [(action, detail)] = query(path, "SELECT action, detail FROM audit_log WHERE id > (SELECT max(id) FROM audit_log) - 1")
    assert action == "audit.baseline" and f'"records": {events + issued}' in detail
    assert query(path, "SELECT id, hash FROM audit_log ORDER BY id")[:len(chain_before)] == chain_before
    assert {"records"} <= _columns(path, "audit_log") and {"audit_seq", "audit_hash"} <= _columns(path, "peers")

    _migrate(path, "downgrade", "0007_events_by_date")
    assert query(path, "SELECT id, hash FROM audit_log ORDER BY id") == chain_before
    assert "records" not in _columns(path, "audit_log")
    assert not {"audit_seq", "audit_hash"} & (_columns(path, "peers") | _columns(path, "packets_out"))
    assert scalar(path, "SELECT version_num FROM alembic_version") == "0007_events_by_date"

    _migrate(path, "upgrade", "0008_audit_records")  # and up again: one baseline, as the first time
    assert scalar(path, "SELECT count(*) FROM audit_log WHERE action = 'audit.baseline'") == 1
