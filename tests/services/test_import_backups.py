"""N-1 and S-3 at county scale (issue 12 item 5): ``packet import`` verifies every packet first and backs the bureau's
database up once per batch, right before the first packet that will be applied — never for a batch of packets
already imported or refused, and not again while today's backup still holds the same data; old ones are thinned."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from exchange_pair import Pair, make_pair
from sqlalchemy import func, select

from hecun_office.services import matters, packet_export
from hecun_office.services.backups import backup_before_import
from hecun_office.services.intake import run_to_end
from hecun_office.services.matters import MatterInput
from hecun_office.services.packet_import import BatchBackup, ImportOutcome, ImportStatus, import_packets
from hecun_office.storage.backup import backup_sqlite
from hecun_office.storage.models import AuditEntry, Document, Matter, MatterEvent, Obligation, PacketIn, Peer
from hecun_office.storage.uow import Database
from hecun_office.sync import packet

DAY = date(2026, 3, 2)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    made = make_pair(tmp_path)
    yield made
    made.dispose()


def _packet(pair: Pair, title: str, out: Path) -> Path:
    """The office registers a matter and exports: the next packet in its chain (each carries what the bureau has
    not acknowledged, so a later one also carries the earlier matters)."""
    unit = matters.list_units(pair.office)[0].id
    matters.register_matter(pair.office, pair.office_admin, MatterInput(
        received_on=DAY, source="hotline", title=title, category="legality", track="general", unit_ids=[unit],
        facts=f"{title}的事实。"), today=DAY)
    result = run_to_end(packet_export.export_data_packet(pair.office, pair.office_admin, out, DAY))
    assert isinstance(result, packet_export.ExportResult)
    return result.path


def _import(pair: Pair, files: list[Path], backup: bool | BatchBackup = True) -> list[ImportStatus]:
    outcomes: list[ImportOutcome] = run_to_end(import_packets(pair.bureau, pair.bureau_admin, files, DAY, backup))
    return [o.status for o in outcomes]


def _backups(db: Database) -> list[Path]:
    assert db.file is not None
    folder = db.file.parent / "backups"
    return sorted(folder.glob("*.sqlite3")) if folder.is_dir() else []


def _state(db: Database) -> tuple[object, ...]:
    """What the bureau holds: its data, the chain heads, and the audit entries that are not the import history."""
    with db.uow() as session:
        counts = tuple(session.scalar(select(func.count()).select_from(t)) for t in
                       (Matter, MatterEvent, Document, Obligation))
        peers = tuple(session.execute(select(Peer.code, Peer.in_seq, Peer.in_hash).order_by(Peer.code)).all())
        audited = tuple(session.execute(select(AuditEntry.id, AuditEntry.hash).where(
            AuditEntry.action.notin_(["packet.duplicate", "packet.rejected"]))).all())
        return counts, peers, audited


def _held(backup: Path) -> tuple[int, list[str]]:
    """The bureau's chain position for 贺村 and the matter titles in a backup file."""
    con = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
    try:
        in_seq = con.execute("SELECT in_seq FROM peers WHERE code = 'hecun'").fetchone()[0]
        titles = [r[0] for r in con.execute("SELECT title FROM matters ORDER BY id")]
    finally:
        con.close()
    return int(in_seq), titles


@pytest.fixture
def sent(pair: Pair, tmp_path: Path) -> list[Path]:
    """Packets 1 and 2 of 贺村, imported at the bureau without a backup (the set-up of each test)."""
    packets = [_packet(pair, "占道经营处罚未告知陈述申辩权", tmp_path / "usb1"),
               _packet(pair, "违规设置收费项目", tmp_path / "usb2")]
    assert _import(pair, packets, backup=False) == [ImportStatus.IMPORTED] * 2
    assert _backups(pair.bureau) == []
    return packets


def test_re_importing_packets_already_imported_backs_up_nothing_and_changes_nothing(
        pair: Pair, sent: list[Path]) -> None:
    before = _state(pair.bureau)
    for _ in range(3):
        assert _import(pair, sent) == [ImportStatus.DUPLICATE] * 2
    assert _backups(pair.bureau) == []
    assert _state(pair.bureau) == before  # only the import history says that it was tried
    with pair.bureau.uow() as session:
        assert session.scalars(select(PacketIn.status).order_by(PacketIn.id)).all()[2:] == ["duplicate"] * 6


def test_one_new_packet_among_replays_backs_up_once_before_it_is_applied(
        pair: Pair, sent: list[Path], tmp_path: Path) -> None:
    third = _packet(pair, "扣押物品清单未交当事人签字", tmp_path / "usb3")
    fourth = _packet(pair, "行政许可超期未办结", tmp_path / "usb4")
    batch = [sent[0], third, fourth, sent[1]]  # a replay first: the backup waits for the first packet applied
    assert _import(pair, batch) == [ImportStatus.DUPLICATE, ImportStatus.IMPORTED, ImportStatus.IMPORTED,
                                    ImportStatus.DUPLICATE]
    [backup] = _backups(pair.bureau)
    assert backup.name.endswith("-before-packet-import.sqlite3")
    assert _held(backup) == (2, ["占道经营处罚未告知陈述申辩权", "违规设置收费项目"])  # as before the batch
    with pair.bureau.uow() as session:
        assert session.scalar(select(Peer.in_seq).where(Peer.code == "hecun")) == 4
        assert session.scalar(select(func.count()).select_from(Matter)) == 4

    # The same batch again: all four already imported, no second backup.
    assert _import(pair, batch) == [ImportStatus.DUPLICATE] * 4
    assert _backups(pair.bureau) == [backup]


def test_a_replay_is_known_by_its_bytes_without_opening_it_again(
        pair: Pair, sent: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    def not_needed(*_args: object, **_kw: object) -> None:
        raise AssertionError("a packet imported before is not verified and decrypted again")

    monkeypatch.setattr(packet, "open_envelope", not_needed)
    outcomes = run_to_end(import_packets(pair.bureau, pair.bureau_admin, sent, DAY))
    assert [(o.status, o.sender, o.seq) for o in outcomes] == [(ImportStatus.DUPLICATE, "hecun", 1),
                                                               (ImportStatus.DUPLICATE, "hecun", 2)]
    assert outcomes[1].reason == "贺村司法所第 2 号数据包此前已经导入，本次未作任何改动。"
    with pair.bureau.uow() as session:
        rows = session.execute(select(PacketIn.status, PacketIn.file_sha256, PacketIn.manifest_sha256)
                               .order_by(PacketIn.id)).all()
    assert [r[1:] for r in rows[2:]] == [r[1:] for r in rows[:2]]  # the history names the same packets


def test_a_refused_packet_alone_makes_no_backup(pair: Pair, sent: list[Path], tmp_path: Path) -> None:
    third = _packet(pair, "扣押物品清单未交当事人签字", tmp_path / "usb3")
    tampered = tmp_path / "tampered" / third.name
    tampered.parent.mkdir()
    data = bytearray(third.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    before = _state(pair.bureau)
    assert _import(pair, [tampered]) == [ImportStatus.REJECTED]
    assert _backups(pair.bureau) == []
    assert _state(pair.bureau) == before


def test_a_parked_packet_makes_no_backup_until_the_missing_one_lets_both_through(
        pair: Pair, sent: list[Path], tmp_path: Path) -> None:
    third = _packet(pair, "扣押物品清单未交当事人签字", tmp_path / "usb3")
    fourth = _packet(pair, "行政许可超期未办结", tmp_path / "usb4")
    assert _import(pair, [fourth]) == [ImportStatus.PARKED]
    assert _backups(pair.bureau) == []
    assert _import(pair, [third]) == [ImportStatus.IMPORTED, ImportStatus.IMPORTED]  # #4 follows from the park
    [backup] = _backups(pair.bureau)
    assert _held(backup)[0] == 2


def test_the_window_imports_file_by_file_with_one_backup_for_the_batch(
        pair: Pair, sent: list[Path], tmp_path: Path) -> None:
    third = _packet(pair, "扣押物品清单未交当事人签字", tmp_path / "usb3")
    fourth = _packet(pair, "行政许可超期未办结", tmp_path / "usb4")
    batch = BatchBackup(pair.bureau)
    for path in (sent[0], third, fourth):
        _import(pair, [path], backup=batch)
    assert _backups(pair.bureau) == [batch.path]


def test_the_windows_import_job_backs_up_before_a_later_file_when_the_first_is_a_replay(
        pair: Pair, sent: list[Path], tmp_path: Path) -> None:
    """ui/exchange/jobs.import_files, as the 报送与同步 page runs it: the first file is already imported, the next one
    applies — the batch's backup is taken before that one (it was skipped when it was tied to the first file)."""
    from hecun_office.ui.exchange.jobs import ImportRun, import_files

    third = _packet(pair, "扣押物品清单未交当事人签字", tmp_path / "usb3")
    run = ImportRun()
    # On a worker thread, as the page runs it: a window test earlier in this process may have guarded this thread
    # as the GUI's (storage/changes.guard_gui_thread), where a write from ui/ code is refused.
    with ThreadPoolExecutor(1) as worker:
        worker.submit(lambda: run_to_end(import_files(pair.bureau, pair.bureau_admin, [sent[0], third], DAY,
                                                      run))).result()
    assert [o.status for o in run.outcomes] == [ImportStatus.DUPLICATE, ImportStatus.IMPORTED]
    [backup] = _backups(pair.bureau)
    assert _held(backup) == (2, ["占道经营处罚未告知陈述申辩权", "违规设置收费项目"])  # as before the new packet


def test_a_cancelled_batch_keeps_what_was_applied_and_its_one_backup(
        pair: Pair, sent: list[Path], tmp_path: Path) -> None:
    third = _packet(pair, "扣押物品清单未交当事人签字", tmp_path / "usb3")
    fourth = _packet(pair, "行政许可超期未办结", tmp_path / "usb4")
    steps = import_packets(pair.bureau, pair.bureau_admin, [third, fourth], DAY)
    assert next(steps) == (0, 2)
    assert next(steps) == (1, 2)  # the first file is in
    steps.close()  # the clerk cancels
    [backup] = _backups(pair.bureau)
    assert _held(backup)[0] == 2
    with pair.bureau.uow() as session:
        assert session.scalar(select(Peer.in_seq).where(Peer.code == "hecun")) == 3


def test_todays_backup_that_still_holds_the_data_is_not_copied_again(
        pair: Pair, sent: list[Path], tmp_path: Path) -> None:
    assert pair.bureau.file is not None
    daily = backup_sqlite(pair.bureau.engine, pair.bureau.file, reason="daily")
    assert _import(pair, sent) == [ImportStatus.DUPLICATE] * 2  # import history only: still the same data
    third = _packet(pair, "扣押物品清单未交当事人签字", tmp_path / "usb3")
    assert _import(pair, [third]) == [ImportStatus.IMPORTED]
    assert _backups(pair.bureau) == [daily]  # this morning's copy is the state before the import

    # Packet 3 changed the data since: the next import that applies something backs up again.
    fourth = _packet(pair, "行政许可超期未办结", tmp_path / "usb4")
    assert _import(pair, [fourth]) == [ImportStatus.IMPORTED]
    made = [p for p in _backups(pair.bureau) if p != daily]
    assert len(made) == 1 and _held(made[0])[0] == 3


def test_yesterdays_backup_or_another_database_state_is_not_taken_for_todays(
        pair: Pair, sent: list[Path], tmp_path: Path) -> None:
    assert pair.bureau.file is not None
    old = backup_sqlite(pair.bureau.engine, pair.bureau.file, reason="daily")
    yesterday = (datetime.now() - timedelta(days=1)).timestamp()
    os.utime(old, (yesterday, yesterday))
    assert backup_before_import(pair.bureau) not in (None, old)

    # A database put back from another state (its audit chain differs) is not the state today's backup holds.
    other = make_pair(tmp_path / "other")
    try:
        assert other.bureau.file is not None
        newest = _backups(pair.bureau)[-1]
        other.bureau.dispose()
        shutil.copyfile(other.bureau.file, newest)
        assert backup_before_import(pair.bureau) != newest
    finally:
        other.dispose()


def test_old_import_backups_are_thinned_by_the_usual_rules(pair: Pair, sent: list[Path], tmp_path: Path) -> None:
    assert pair.bureau.file is not None
    seed = backup_sqlite(pair.bureau.engine, pair.bureau.file, reason="before-packet-import")
    noon = datetime.combine(date.today(), datetime.min.time()) + timedelta(hours=12)
    old = []
    for n, days in enumerate((1, 2, 40, 40, 40, 100)):  # three on one day 40 days ago: one is kept for that week
        copy = seed.with_name(seed.name.replace("-before", f"{n}-before"))
        shutil.copyfile(seed, copy)
        at = (noon - timedelta(days=days, minutes=n)).timestamp()
        os.utime(copy, (at, at))
        old.append(copy)
    seed.unlink()
    third = _packet(pair, "扣押物品清单未交当事人签字", tmp_path / "usb3")
    assert _import(pair, [third]) == [ImportStatus.IMPORTED]
    kept = set(_backups(pair.bureau))
    assert kept - set(old) and len(kept - set(old)) == 1  # today's, before packet 3
    assert kept & set(old) == {old[0], old[1], old[2], old[5]}  # the last week's, the newest of each older week


def test_postgresql_imports_without_a_file_backup(tmp_path: Path, pg_url: str) -> None:
    pair = make_pair(tmp_path, bureau_url=pg_url)
    try:
        first = _packet(pair, "占道经营处罚未告知陈述申辩权", tmp_path / "usb1")
        batch = BatchBackup(pair.bureau)
        assert _import(pair, [first], backup=batch) == [ImportStatus.IMPORTED]
        assert batch.done and batch.path is None
        assert _import(pair, [first]) == [ImportStatus.DUPLICATE]
    finally:
        pair.dispose()
