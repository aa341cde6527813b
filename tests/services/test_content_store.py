"""Issue 12 item 4: issued PDFs live as content-addressed files beside the database, not in its rows; backups link
them, restore brings them back, ``check`` and every read verify them; on PostgreSQL they stay on the server."""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest
from issuing import issue_document
from people import add_director
from sqlalchemy import select, text

from hecun_office.domain.errors import EnvironmentProblem
from hecun_office.services import backups, check, documents, matters, templates
from hecun_office.services.audit import Actor
from hecun_office.services.matters import TransitionInput
from hecun_office.storage import blobs
from hecun_office.storage.backup import audit_head, backup_sqlite, prune_blobs, referenced_blobs
from hecun_office.storage.blobs import FileBlobs
from hecun_office.storage.models import DocumentFile
from hecun_office.storage.uow import Database

DAY = date(2026, 3, 6)


def _issued_advice(db: Database, actor: Actor) -> tuple[int, str]:
    director = add_director(db)
    t = next(t for t in templates.list_templates(db) if t.name == "占道经营处罚未告知陈述申辩权")
    reg = matters.register_matter(db, actor, templates.matter_from_template(t, DAY, [matters.list_units(db)[1].id]),
                                  today=DAY)
    matters.transition_matter(db, actor, reg.id, TransitionInput("start_verification", DAY), today=DAY)
    doc = issue_document(db, actor, director, director, "supervision_advice", reg.id, DAY)
    with db.uow() as session:
        kept = session.get(DocumentFile, doc)
        assert kept is not None
        return doc, kept.sha256


def _store(db: Database) -> FileBlobs:
    assert isinstance(db.blobs, FileBlobs)
    return db.blobs


def test_an_issued_pdf_is_a_read_only_file_beside_the_database_not_bytes_in_it(db: Database, actor: Actor) -> None:
    doc, sha = _issued_advice(db, actor)
    stored = _store(db).path(sha)
    assert db.file is not None and stored.parent.parent == db.file.parent / "attachments"
    pdf = stored.read_bytes()
    assert pdf.startswith(b"%PDF") and blobs.sha256_of(pdf) == sha
    assert stored.stat().st_mode & 0o222 == 0, "a stored file never changes"
    assert documents.document_pdf(db, doc, DAY) == pdf  # every reprint is exactly that file (D-4)
    with sqlite3.connect(db.file) as con:  # no PDF anywhere in the database file
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"%PDF-" not in db.file.read_bytes()
    assert not [p for p in stored.parent.iterdir() if p.name.startswith(".incoming-")]


def test_a_damaged_or_lost_pdf_is_refused_on_read_and_named_by_check(db: Database, actor: Actor) -> None:
    doc, sha = _issued_advice(db, actor)
    [ok] = [r for r in check.run_checks(db, DAY) if r.name == "文书与附件文件"]
    assert ok.ok and "1 个文件齐全" in ok.detail
    stored = _store(db).path(sha)
    os.chmod(stored, 0o644)
    stored.write_bytes(stored.read_bytes().replace(b"%PDF", b"%PDX", 1))
    with pytest.raises(EnvironmentProblem, match="改动或损坏"):
        documents.document_pdf(db, doc, DAY)
    [bad] = [r for r in check.run_checks(db, DAY) if r.name == "文书与附件文件"]
    assert not bad.ok and "贺司建〔2026〕1号”已损坏" in bad.detail and "restore" in bad.detail
    stored.unlink()
    with pytest.raises(EnvironmentProblem, match="已丢失"):
        documents.document_pdf(db, doc, DAY)
    [lost] = [r for r in check.run_checks(db, DAY) if r.name == "文书与附件文件"]
    assert not lost.ok and "缺失" in lost.detail


def test_backups_link_the_stored_files_once_and_restore_brings_lost_ones_back(db: Database, actor: Actor) -> None:
    doc, sha = _issued_advice(db, actor)
    assert db.file is not None
    stored = _store(db).path(sha)
    first = backup_sqlite(db.engine, db.file, reason="manual")
    kept = first.parent / "attachments" / sha[:2] / sha
    assert kept.is_file() and os.path.samefile(kept, stored), "linked, not copied: the backup does not grow by it"
    second = backup_sqlite(db.engine, db.file, reason="manual")
    assert sorted(p.name for p in (first.parent / "attachments").rglob("*") if p.is_file()) == [sha]
    # The live file is lost (a clerk cleaned the folder): restoring a backup brings it back before the swap.
    os.chmod(stored, 0o600)
    stored.unlink()
    db.dispose()
    restored = backups.restore_database(db.file, second)
    assert restored.missing_files == 0 and stored.is_file()
    assert blobs.sha256_of(stored.read_bytes()) == sha


def test_a_backup_written_elsewhere_carries_copies_of_its_files(db: Database, actor: Actor, tmp_path: Path) -> None:
    _doc, sha = _issued_advice(db, actor)
    assert db.file is not None
    usb = tmp_path / "usb" / "贺村备份.sqlite3"
    usb.parent.mkdir()
    backup_sqlite(db.engine, db.file, reason="manual", target=usb)
    assert blobs.sha256_of((usb.parent / "attachments" / sha[:2] / sha).read_bytes()) == sha


def test_restoring_a_backup_whose_files_are_nowhere_says_so(db: Database, actor: Actor) -> None:
    _doc, sha = _issued_advice(db, actor)
    assert db.file is not None
    backup = backup_sqlite(db.engine, db.file, reason="manual")
    for copy in (_store(db).path(sha), backup.parent / "attachments" / sha[:2] / sha):
        os.chmod(copy, 0o600)
        copy.unlink()
    db.dispose()
    assert backups.restore_database(db.file, backup).missing_files == 1


@pytest.mark.parametrize("backend", ["postgresql"])
def test_on_postgresql_the_pdfs_stay_on_the_server_uncompressed(backend_db: Database, actor: Actor) -> None:
    """Several bureau PCs share the server, not a folder on one of them (S-7); PDFs do not compress."""
    db = backend_db
    doc, sha = _issued_advice(db, setup_actor(db))
    with db.uow() as session:
        assert session.scalar(text("SELECT attstorage FROM pg_attribute WHERE attrelid = 'blobs'::regclass "
                                   "AND attname = 'data'")) == "e"
        data = session.scalar(text("SELECT data FROM blobs WHERE sha256 = :s"), {"s": sha})
        assert data is not None and bytes(data).startswith(b"%PDF")
        assert db.blobs.verify(session, sha) is None
        assert session.scalar(select(DocumentFile.sha256).where(DocumentFile.document_id == doc)) == sha
    assert documents.document_pdf(db, doc, DAY) == bytes(data)


def setup_actor(db: Database) -> Actor:
    from hecun_office.services import setup

    return setup.default_actor(db)


def test_files_no_backup_names_any_more_leave_the_backups_folder(db: Database, actor: Actor) -> None:
    """After thinning, a file only deleted backups named (an acknowledged packet, say) does not stay for ever."""
    _doc, sha = _issued_advice(db, actor)
    assert db.file is not None
    first = backup_sqlite(db.engine, db.file, reason="manual")
    kept = first.parent / "attachments" / sha[:2] / sha
    second = backup_sqlite(db.engine, db.file, reason="manual")
    first.unlink()
    assert prune_blobs(first.parent) == 0 and kept.is_file(), "the second backup still names it"
    second.unlink()
    (first.parent / "other-20260101-000000-000000-manual.sqlite3.part").write_bytes(b"")
    assert prune_blobs(first.parent) == 0 and kept.is_file(), "a backup being written may have linked it already"
    (first.parent / "other-20260101-000000-000000-manual.sqlite3.part").unlink()
    assert prune_blobs(first.parent) == 1 and not kept.exists()
    assert _store(db).path(sha).is_file(), "the live file is not touched"


@pytest.mark.parametrize("flush", ["syncfs", "fsync-each"])
def test_a_batch_of_files_lands_whole_read_only_and_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         flush: str) -> None:
    """Both ways of making a packet's files durable (Linux's one syncfs, elsewhere a flush per file): every file
    under its hash, read-only, the same bytes given twice stored once, no temporary file left."""
    if flush == "fsync-each":
        monkeypatch.setattr(blobs, "_syncfs", None)
    elif not sys.platform.startswith("linux"):
        pytest.skip("syncfs(2) is Linux's; elsewhere the store flushes each file")
    else:
        assert blobs._syncfs is not None, "syncfs(2) must be found on Linux"
    store = FileBlobs(tmp_path / "attachments")
    items = [os.urandom(1000 + k) for k in range(150)]  # more than one batch of 64
    shas = store.put_many(None, items + items[:3])
    assert shas[:150] == [blobs.sha256_of(i) for i in items] and shas[150:] == shas[:3]
    files = [p for p in store.root.rglob("*") if p.is_file()]
    assert len(files) == 150 and not [p for p in files if p.name.startswith(".")]
    assert all(store.get(None, sha, "") == data for sha, data in zip(shas, items, strict=False))
    assert all(p.stat().st_mode & 0o222 == 0 for p in files)


def test_reading_backups_leaves_nothing_beside_them(db: Database, actor: Actor) -> None:
    """A backup copy is in WAL mode; reading it read-only (which files it names, its last audit entry) used to
    leave -wal and -shm files beside it (and beside the .part while it was being written)."""
    _issued_advice(db, actor)
    assert db.file is not None
    made = backup_sqlite(db.engine, db.file, reason="manual")
    assert audit_head(made) is not None and referenced_blobs(made)
    assert sorted(p.name for p in made.parent.iterdir() if p.is_file()) == [made.name]
