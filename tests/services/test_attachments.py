"""M-1 attachments: copied into the data store, hashed, stored once, checked when taken out again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hecun_office.domain.errors import EnvironmentProblem, ValidationError
from hecun_office.services import attachments, matters
from hecun_office.services.audit import Actor
from hecun_office.storage.uow import Database


def _matter(db: Database, actor: Actor) -> int:
    data = matters.MatterInput(received_on=date(2026, 3, 2), source="daily", title="案卷评查发现问题",
                               category="legality", unit_ids=[matters.list_units(db)[0].id])
    return matters.register_matter(db, actor, data, today=date(2026, 3, 2)).id


def test_a_file_is_copied_in_hashed_and_comes_back_identical(db: Database, actor: Actor, tmp_path: Path) -> None:
    matter_id = _matter(db, actor)
    source = tmp_path / "现场检查笔录.pdf"
    source.write_bytes(b"%PDF-1.4 scanned record" * 1000)
    first = attachments.add_attachment(db, actor, matter_id, source)
    attachments.add_attachment(db, actor, matter_id, source)  # the same file twice: two records, one blob
    source.write_bytes(b"changed after adding")  # the stored copy does not follow the original
    rows = attachments.list_attachments(db, matter_id)
    assert [r.file_name for r in rows] == ["现场检查笔录.pdf"] * 2 and rows[0].size == 23000
    blobs = [p for p in db.blobs.root.rglob("*") if p.is_file()]
    assert len(blobs) == 1
    out = attachments.export_attachment(db, first, tmp_path / "out.pdf")
    assert out.read_bytes() == b"%PDF-1.4 scanned record" * 1000


def test_a_tampered_blob_is_refused_on_export(db: Database, actor: Actor, tmp_path: Path) -> None:
    matter_id = _matter(db, actor)
    source = tmp_path / "a.txt"
    source.write_text("原始材料")
    att = attachments.add_attachment(db, actor, matter_id, source)
    blob = next(p for p in db.blobs.root.rglob("*") if p.is_file())
    blob.write_text("被改动")
    with pytest.raises(EnvironmentProblem, match="改动或损坏"):
        attachments.export_attachment(db, att, tmp_path / "b.txt")


def test_empty_missing_and_oversized_files_are_refused(db: Database, actor: Actor, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    matter_id = _matter(db, actor)
    empty = tmp_path / "empty.doc"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError, match="空文件"):
        attachments.add_attachment(db, actor, matter_id, empty)
    with pytest.raises(ValidationError, match="找不到"):
        attachments.add_attachment(db, actor, matter_id, tmp_path / "nope.doc")
    monkeypatch.setattr(attachments, "MAX_BYTES", 10)
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 11)
    with pytest.raises(ValidationError, match="超过"):
        attachments.add_attachment(db, actor, matter_id, big)
    assert attachments.list_attachments(db, matter_id) == []
    assert not [p for p in db.blobs.root.rglob("*") if p.is_file()]  # no stray temp file
