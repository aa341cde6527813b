"""STYLE.md habit 3: every shipped schema revision keeps a fixture database, and each one upgrades to head.

A fixture is made once, when its revision is new, by ``tests/fixtures/make_db_fixture.py REVISION``
and then kept unchanged: it stands for a clerk's database written by that release.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from hecun_office.services.audit import verify_chain
from hecun_office.services.audit_records import examine
from hecun_office.storage import blobs
from hecun_office.storage.blobs import link_tree
from hecun_office.storage.engine import make_engine, to_url
from hecun_office.storage.migrate import alembic_config, current_revision, head_revision
from hecun_office.storage.models import DocumentFile, PacketOut
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database

from .sqlite_util import FIXTURE_DBS, query, revision_of, scalar

REVISIONS = [r.revision for r in ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()]
# Tables whose rows every fixture has and every migration must keep.
KEPT_TABLES = ("matters", "matter_events", "units", "users", "office_profile", "audit_log")


def _fixture(revision: str) -> Path:
    return FIXTURE_DBS / f"{revision}.sqlite3"


def test_every_revision_has_a_fixture() -> None:
    missing = [r for r in REVISIONS if not _fixture(r).is_file()]
    assert not missing, (f"no fixture database for {missing}: run "
                         + "; ".join(f"python tests/fixtures/make_db_fixture.py {r}" for r in missing))


def test_no_fixture_for_an_unknown_revision() -> None:
    stray = sorted(p.name for p in FIXTURE_DBS.glob("*.sqlite3") if p.stem not in REVISIONS)
    assert not stray, f"fixture databases without a revision in db/versions: {stray}"


def test_fixtures_are_small_and_at_their_revision() -> None:
    for revision in REVISIONS:
        path = _fixture(revision)
        if not path.is_file():
            continue  # reported by test_every_revision_has_a_fixture
        assert path.stat().st_size < 2 * 1024 * 1024, f"{path.name} is larger than 2 MiB"
        assert revision_of(path) == revision
        assert scalar(path, "PRAGMA quick_check") == "ok"
        assert scalar(path, "SELECT count(*) FROM matters") >= 2, f"{path.name} has too few matters to prove anything"


@pytest.mark.parametrize("revision", REVISIONS)
def test_fixture_upgrades_to_head(revision: str, tmp_path: Path, opened: list[Database]) -> None:
    source = _fixture(revision)
    assert source.is_file(), f"no fixture: python tests/fixtures/make_db_fixture.py {revision}"
    office = tmp_path / "office"
    office.mkdir()
    db_file = office / "hecun-office.sqlite3"
    shutil.copyfile(source, db_file)
    before = {t: scalar(db_file, f"SELECT count(*) FROM {t}") for t in KEPT_TABLES}
    reg_nos = query(db_file, "SELECT reg_no FROM matters ORDER BY id")

    link_tree(FIXTURE_DBS / "attachments", office / "attachments")  # the content store the fixture names
    has_files = bool(query(db_file, "SELECT 1 FROM sqlite_master WHERE name = 'document_files'"))
    pdfs_before = dict(query(db_file, "SELECT document_id, sha256 FROM document_files")) if has_files else {}
    db = open_database(to_url(db_file))
    opened.append(db)

    assert current_revision(db) == head_revision()
    # Issue 12 item 4: every kept PDF, in the rows before 0006, is a whole file of the content store after it.
    with db.uow() as session:
        kept = dict(session.execute(select(DocumentFile.document_id, DocumentFile.sha256)).all())
        assert kept == pdfs_before and (kept or not has_files), "the fixture's issued advice keeps its PDF"
        assert all(blobs.get(session, sha, "").startswith(b"%PDF") for sha in kept.values())
        for sha in session.scalars(select(PacketOut.data_sha256).where(PacketOut.data_sha256.is_not(None))):
            assert db.blobs.verify(session, sha) is None
    backups = sorted((office / "backups").glob("*.sqlite3")) if (office / "backups").is_dir() else []
    if revision == head_revision():
        assert backups == [], "a database already at head must open without a migration backup"
    else:
        assert len(backups) == 1, f"expected one pre-migration backup, found {backups}"
        # Taken *before* the upgrade: it still holds the old revision and all the data.
        assert revision_of(backups[0]) == revision
        assert scalar(backups[0], "PRAGMA quick_check") == "ok"
        assert query(backups[0], "SELECT reg_no FROM matters ORDER BY id") == reg_nos

    with db.engine.connect() as conn:
        after = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in KEPT_TABLES}
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        assert conn.execute(text("PRAGMA quick_check")).scalar() == "ok"
        assert [tuple(r) for r in conn.execute(text("SELECT reg_no FROM matters ORDER BY id"))] == reg_nos
    # 0008 takes the records of what exists into the chain, in audit.baseline entries appended at its end.
    baseline = scalar(db_file, "SELECT count(*) FROM audit_log WHERE action = 'audit.baseline'")
    assert baseline == (0 if REVISIONS.index(revision) <= REVISIONS.index("0008_audit_records") else 1)
    assert after == before | {"audit_log": before["audit_log"] + baseline}
    with db.uow() as session:
        count, problem = verify_chain(session)
        found = examine(session)
    assert problem is None
    assert count == after["audit_log"]
    # Issue 15 item 8: every timeline entry and issued document of the old database is held by the chain now.
    assert found.problems == [] and found.heads == [] and found.events >= 3 and found.documents >= (1 if has_files else 0)
    assert found.walked.before_records == (before["audit_log"] if baseline else 0), "check says how many predate 0008"


def test_reopening_at_head_takes_no_backup(tmp_path: Path, opened: list[Database]) -> None:
    db_file = tmp_path / "fresh.sqlite3"
    first = open_database(to_url(db_file))
    assert current_revision(first) == head_revision()
    first.dispose()
    opened.append(open_database(to_url(db_file)))
    assert not list(tmp_path.glob("backups/*")), "neither a new nor an up-to-date database needs a backup"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_models_match_the_migrations(backend: str, backend_url: str) -> None:
    """A model change without a migration (or the reverse) shows up here, not on a clerk's PC: the migrations, run
    by alembic itself, give exactly the models' schema on SQLite and on PostgreSQL (S-7)."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from hecun_office.storage.models import Base

    engine = create_engine(to_url(backend_url))
    try:
        with engine.begin() as conn:
            cfg = alembic_config(str(engine.url))
            cfg.attributes["connection"] = conn  # db/env.py's own engine would never be disposed
            command.upgrade(cfg, "head")
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={
                "compare_type": True,
                "include_object": lambda obj, name, type_, refl, other: not str(name).startswith("matter_search")})
            diff = compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()
    assert diff == [], f"models and migrations differ on {backend}: {diff}"


def test_the_quick_revision_reading_agrees_with_alembic(tmp_path: Path) -> None:
    """Start-up reads the revisions without importing Alembic; the reading must be Alembic's."""
    from alembic.runtime.migration import MigrationContext

    from hecun_office.storage.migrate import _alembic_head

    assert head_revision() == _alembic_head()
    for revision in REVISIONS:
        copy = tmp_path / f"{revision}.sqlite3"
        shutil.copyfile(_fixture(revision), copy)
        db = Database(to_url(copy), make_engine(to_url(copy)))
        try:
            with db.engine.connect() as conn:
                assert current_revision(db) == MigrationContext.configure(conn).get_current_revision() == revision
        finally:
            db.dispose()
    empty = open_database(to_url(tmp_path / "new.sqlite3"), migrate=False)
    try:
        assert current_revision(empty) is None
    finally:
        empty.dispose()
