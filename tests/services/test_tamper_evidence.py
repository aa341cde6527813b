"""Issue 15 item 8: the record is tamper-evident end to end.

An office that has sent a packet and received the bureau's acknowledgement, then worked on; each test changes its
database file with plain sqlite3 (as someone bypassing the program would) and ``check`` — or the bureau's next
import — must notice. The seven tamperings of the issue: the last rows deleted; the chain re-hashed consistently
(as an attacker with the code would); a timeline entry, a matter's status, a document number and an issued PDF's
bytes edited; a truncated chain at the bureau's next import. Before this change all seven passed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from db_copies import copy_key_secrets, freeze, open_copy, shared_home
from exchange_pair import assistance_request_matter, make_pair
from sqlalchemy import select

from hecun_office.services import audit, check, matters, packet_export, packet_import
from hecun_office.services.intake import run_to_end
from hecun_office.services.matters import MatterInput, TransitionInput
from hecun_office.services.setup import default_actor
from hecun_office.storage.models import Peer
from hecun_office.storage.uow import Database

DAY = date(2026, 3, 2)
LATER = date(2026, 3, 4)


@dataclass(frozen=True)
class Template:
    folder: Path
    home: Path


def _export(db: Database, out: Path, today: date = DAY) -> tuple[str, bytes]:
    result = run_to_end(packet_export.export_data_packet(db, default_actor(db), out, today))
    return result.file_name, result.path.read_bytes()


def _deliver(db: Database, name: str, data: bytes, today: date = DAY) -> list[packet_import.ImportOutcome]:
    return packet_import.import_bytes(db, default_actor(db), name, data, today)


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """贺村司法所 with an issued 执法协作函 and a second matter, packet 1 imported at the bureau, the bureau's
    acknowledgement imported at the office, then one more step of work at the office. Built once, copied."""
    folder = tmp_path_factory.mktemp("tamper")
    with shared_home(folder / "home") as home:
        pair = make_pair(folder)
        office, bureau = pair.office, pair.bureau
        assistance_request_matter(office, DAY)
        unit = matters.list_units(office)[1].id
        second = matters.register_matter(office, default_actor(office), MatterInput(
            received_on=DAY, source="daily", title="贺村市场监管所行政处罚案卷文书不规范", category="legality",
            unit_ids=[unit]), today=DAY).id
        name, data = _export(office, folder / "usb")
        assert [o.status.value for o in _deliver(bureau, name, data)] == ["imported"]
        back = run_to_end(packet_export.export_return_packet(bureau, default_actor(bureau), "hecun",
                                                             folder / "back", DAY))
        assert [o.status.value for o in _deliver(office, back.file_name, back.path.read_bytes())] == ["imported"]
        matters.transition_matter(office, default_actor(office), second, TransitionInput("start_verification", LATER),
                                  today=LATER)
        freeze(office)
        freeze(bureau)
    return Template(folder, home)


@pytest.fixture
def office(_template: Template, tmp_path: Path) -> Iterator[Database]:
    copy_key_secrets(_template.home)
    db = open_copy(_template.folder / "office.sqlite3", tmp_path / "office.sqlite3")
    yield db
    db.dispose()


@pytest.fixture
def bureau(_template: Template, tmp_path: Path) -> Iterator[Database]:
    db = open_copy(_template.folder / "bureau.sqlite3", tmp_path / "bureau.sqlite3")
    yield db
    db.dispose()


def _audit_results(db: Database) -> dict[str, check.CheckResult]:
    return {r.name: r for r in check.run_checks(db, LATER) if r.name in ("审计日志链", "审计记录核对", "文书与附件文件")}


def _sql(db: Database, *statements: str, params: tuple[Any, ...] = ()) -> None:
    """Edit the database file directly, the program closed."""
    db.dispose()
    assert db.file is not None
    con = sqlite3.connect(db.file)
    try:
        for statement in statements:
            con.execute(statement, params)
        con.commit()
    finally:
        con.close()


def _rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    assert db.file is not None
    con = sqlite3.connect(db.file)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _rehash_chain(path: Path) -> None:
    """What an attacker with the program's code does after an edit: every entry's hash computed again, in order,
    each on the one before (services/audit.py's formula, written out here with sqlite3 and hashlib)."""
    con = sqlite3.connect(path)
    try:
        prev = audit.GENESIS
        rows = con.execute("SELECT id, at, actor, action, entity, entity_id, detail, records FROM audit_log "
                           "ORDER BY id").fetchall()
        for id_, at, actor, action, entity, entity_id, detail, records in rows:
            fields: list[Any] = [prev, datetime.fromisoformat(at).isoformat(), actor, action, entity, entity_id,
                                 json.loads(detail)]
            if records is not None:
                fields.append(json.loads(records))
            digest = hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str,
                                               separators=(",", ":")).encode("utf-8")).hexdigest()
            con.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, id_))
            prev = digest
        con.commit()
    finally:
        con.close()


def test_an_untouched_office_passes_and_its_head_went_to_the_bureau_and_back(office: Database,
                                                                          bureau: Database) -> None:
    results = _audit_results(office)
    assert all(r.ok for r in results.values()), results
    assert "6 条时间线记录、1 份文书与审计日志一致" in results["审计记录核对"].detail
    [(sent_seq, sent_hash)] = _rows(office, "SELECT audit_seq, audit_hash FROM packets_out")
    assert _rows(office, f"SELECT hash FROM audit_log WHERE id = {sent_seq}") == [(sent_hash,)]
    # the bureau keeps the head packet 1 carried, and acknowledged it to the office
    assert _rows(bureau, "SELECT audit_seq, audit_hash FROM peers WHERE code = 'hecun'") == [(sent_seq, sent_hash)]
    assert _rows(office, "SELECT audit_seq, audit_hash FROM peers WHERE kind = 'bureau'") == [(sent_seq, sent_hash)]


def test_deleting_the_last_rows_is_detected(office: Database) -> None:
    _sql(office, "DELETE FROM audit_log WHERE id > (SELECT max(id) - 2 FROM audit_log)")
    results = _audit_results(office)
    assert not results["审计记录核对"].ok
    assert "没有审计记录" in results["审计记录核对"].detail


def test_deleting_the_rows_back_past_the_acknowledged_head_is_detected(office: Database) -> None:
    [(acked,)] = _rows(office, "SELECT audit_seq FROM peers WHERE kind = 'bureau'")
    _sql(office, f"DELETE FROM audit_log WHERE id >= {acked}")
    results = _audit_results(office)
    assert not results["审计日志链"].ok and "已随数据包交出的链头" in results["审计日志链"].detail


def test_a_consistently_re_hashed_chain_is_detected_against_the_acknowledged_head(office: Database,
                                                                                  bureau: Database,
                                                                                  tmp_path: Path) -> None:
    # A timeline entry edited, its record in the chain made to match, and every link computed again: the chain
    # and the records agree with each other again; only the head the bureau holds tells.
    [(event_uuid, matter_uuid, action, on, from_s, to_s, actor, data)] = _rows(office, (
        "SELECT e.uuid, m.uuid, e.action, e.on_date, e.from_status, e.to_status, e.actor, e.data "
        "FROM matter_events e JOIN matters m ON m.id = e.matter_id WHERE e.action = 'need_assistance'"))
    forged = audit.event_hash(event_uuid, matter_uuid, action, "2026-02-20", from_s, to_s, actor, "", json.loads(data))
    [(entry_id, records)] = [(i, r) for i, r in _rows(office, "SELECT id, records FROM audit_log "
                                                             "WHERE records IS NOT NULL")
                             if audit.event_key(event_uuid) in json.loads(r)]
    records_now = json.loads(records) | {audit.event_key(event_uuid): forged}
    _sql(office, "UPDATE matter_events SET on_date = '2026-02-20' WHERE uuid = ?", params=(event_uuid,))
    _sql(office, "UPDATE audit_log SET records = ? WHERE id = ?",
         params=(json.dumps(records_now, ensure_ascii=False), entry_id))
    assert office.file is not None
    _rehash_chain(office.file)
    results = _audit_results(office)
    assert results["审计记录核对"].ok, "the forgery is consistent: records and chain agree"
    assert not results["审计日志链"].ok and "已随数据包交出的链头" in results["审计日志链"].detail
    # … and the bureau refuses the office's next packet
    name, data_ = _export(office, tmp_path / "usb", LATER)
    [outcome] = _deliver(bureau, name, data_, LATER)
    assert outcome.status.value == "rejected" and "审计日志" in outcome.reason
    # … whose acknowledgement, returned with the head it keeps, tells the office its chain no longer holds it
    back = run_to_end(packet_export.export_return_packet(bureau, default_actor(bureau), "hecun", tmp_path / "b",
                                                         LATER))
    [returned] = _deliver(office, back.file_name, back.path.read_bytes(), LATER)
    assert returned.status.value == "imported"
    assert any("审计日志" in note and "可能被改动过" in note for note in returned.notes), returned.notes


def test_an_edited_timeline_entry_is_detected(office: Database) -> None:
    _sql(office, "UPDATE matter_events SET reason = '当事人已自行纠正' WHERE action = 'start_verification'")
    results = _audit_results(office)
    assert not results["审计记录核对"].ok and "时间线记录被改动" in results["审计记录核对"].detail


def test_an_edited_matter_status_is_detected(office: Database) -> None:
    _sql(office, "UPDATE matters SET status = 'closed' WHERE status = 'assisting'")
    results = _audit_results(office)
    assert not results["审计记录核对"].ok and "状态与其时间线不符" in results["审计记录核对"].detail


def test_an_edited_document_number_is_detected(office: Database) -> None:
    _sql(office, "UPDATE documents SET number = replace(number, '1号', '7号') WHERE number IS NOT NULL")
    results = _audit_results(office)
    assert not results["审计记录核对"].ok and "文号或 PDF 与签发时不符" in results["审计记录核对"].detail


def test_an_issued_pdf_with_other_bytes_is_detected(office: Database) -> None:
    assert office.file is not None
    [(sha,)] = _rows(office, "SELECT sha256 FROM document_files")
    stored = office.file.parent / "attachments" / sha[:2] / sha
    original = stored.read_bytes()
    os.chmod(stored, 0o644)  # the content store's files are read-only
    stored.write_bytes(original.replace(b"%PDF", b"%PDX", 1))
    results = _audit_results(office)
    assert not results["文书与附件文件"].ok  # the content store: the bytes no longer hash to the file's name
    # The thorough forgery: the other bytes stored under their own hash, and the rows pointed at them.
    stored.write_bytes(original)
    forged = original + b"\n%% changed\n"
    forged_sha = hashlib.sha256(forged).hexdigest()
    (stored.parent.parent / forged_sha[:2]).mkdir(exist_ok=True)
    (stored.parent.parent / forged_sha[:2] / forged_sha).write_bytes(forged)
    _sql(office, "UPDATE document_files SET sha256 = ?", "UPDATE documents SET pdf_sha256 = ? WHERE pdf_sha256 IS NOT NULL",
         params=(forged_sha,))
    results = _audit_results(office)
    assert results["文书与附件文件"].ok, "every file is whole: only the chain can tell"
    assert not results["审计记录核对"].ok and "文号或 PDF 与签发时不符" in results["审计记录核对"].detail


def test_a_truncated_chain_is_refused_at_the_bureaus_next_import(office: Database, bureau: Database,
                                                                 tmp_path: Path) -> None:
    [(sent,)] = _rows(office, "SELECT audit_seq FROM packets_out")
    _sql(office, f"DELETE FROM audit_log WHERE id >= {sent - 1}")
    # new work writes new entries under the freed ids: the chain is whole and as long as before
    matters.register_matter(office, default_actor(office), MatterInput(
        received_on=LATER, source="daily", title="某执法队未按规定出示执法证件", category="legality",
        unit_ids=[matters.list_units(office)[1].id]), today=LATER)
    with office.uow() as session:
        assert audit.verify_chain(session)[1] is None
    name, data = _export(office, tmp_path / "usb", LATER)
    before = _rows(bureau, "SELECT count(*) FROM matters")
    predicted = packet_import.verify_packet(bureau, tmp_path / "usb" / name)  # `packet verify` says so first
    assert predicted.status.value == "rejected" and "审计日志与此前数据包所附的不相接" in predicted.reason
    [outcome] = _deliver(bureau, name, data, LATER)
    assert outcome.status.value == "rejected"
    assert "审计日志与此前数据包所附的不相接" in outcome.reason
    assert _rows(bureau, "SELECT count(*) FROM matters") == before, "nothing of it applied"


def test_the_next_packet_of_an_untouched_office_is_imported(office: Database, bureau: Database,
                                                           tmp_path: Path) -> None:
    name, data = _export(office, tmp_path / "usb", LATER)
    [outcome] = _deliver(bureau, name, data, LATER)
    assert outcome.status.value == "imported", outcome.reason
    [(seq, h)] = _rows(office, "SELECT audit_seq, audit_hash FROM packets_out WHERE seq = 2")
    assert _rows(bureau, "SELECT audit_seq, audit_hash FROM peers WHERE code = 'hecun'") == [(seq, h)]



def test_a_bureau_on_postgresql_keeps_the_head_and_refuses_a_truncated_chain(pg_url: str, tmp_path: Path) -> None:
    """County mode (S-7): the same on a bureau database on a PostgreSQL server."""
    pair = make_pair(tmp_path, bureau_url=pg_url)
    try:
        office, bureau = pair.office, pair.bureau
        unit = matters.list_units(office)[1].id
        matters.register_matter(office, default_actor(office), MatterInput(
            received_on=DAY, source="daily", title="案卷评查", category="legality", unit_ids=[unit]), today=DAY)
        name, data = _export(office, tmp_path / "usb")
        assert [o.status.value for o in _deliver(bureau, name, data)] == ["imported"]
        [(sent_seq, sent_hash)] = _rows(office, "SELECT audit_seq, audit_hash FROM packets_out")
        with bureau.uow() as session:
            peer = session.scalars(select(Peer).where(Peer.code == "hecun")).one()
            assert (peer.audit_seq, peer.audit_hash) == (sent_seq, sent_hash)
        _sql(office, f"DELETE FROM audit_log WHERE id >= {sent_seq - 1}")
        matters.register_matter(office, default_actor(office), MatterInput(
            received_on=LATER, source="daily", title="案卷评查二", category="legality", unit_ids=[unit]), today=LATER)
        name, data = _export(office, tmp_path / "usb2", LATER)
        [outcome] = _deliver(bureau, name, data, LATER)
        assert outcome.status.value == "rejected" and "审计日志与此前数据包所附的不相接" in outcome.reason
    finally:
        pair.dispose()
