"""Issue 12 item 7: an export larger than the part limit goes out as consecutive packets that arrive as one, and
an export does not hold every PDF several times over in memory."""

from __future__ import annotations

import os
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from exchange_pair import Pair, account, make_pair, request_assistance
from sqlalchemy import func, select
from sync.pairs import office_state

from hecun_office.services import attachments, packet_export, packet_import
from hecun_office.services.intake import run_to_end
from hecun_office.storage.models import Document, DocumentFile, Matter, MatterEvent, PacketOut

DAY = date(2026, 3, 2)


@pytest.fixture
def pair(tmp_path: Path) -> Pair:
    made = make_pair(tmp_path)
    yield made
    made.dispose()


def _requests(pair: Pair, n: int) -> list[int]:
    clerk, director = pair.office_admin, account(pair.office, "li", "李志明", "signer")
    return [request_assistance(pair.office, clerk, director, DAY, title=f"协作请求第{k}件") for k in range(n)]


def _import_all(pair: Pair, paths: list[Path]) -> list[str]:
    outcomes = run_to_end(packet_import.import_packets(pair.bureau, pair.bureau_admin, paths, DAY))
    return [f"{o.seq}:{o.status.value}" for o in outcomes]


def test_a_large_export_goes_out_as_consecutive_packets_that_arrive_as_one(pair: Pair, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    matters = _requests(pair, 5)  # five matters, each with an issued 执法协作函 (a PDF of tens of KB)
    with pair.office.uow() as session:
        pdf_bytes = max(pair.office.blobs.sizes(session, session.scalars(select(DocumentFile.sha256))).values())
    monkeypatch.setattr(packet_export, "PART_BYTES", 2 * pdf_bytes)  # two matters' PDFs per packet at most
    result = run_to_end(packet_export.export_data_packet(pair.office, pair.office_admin, tmp_path / "usb", DAY))
    parts = result.each()
    assert [p.seq for p in parts] == [1, 2, 3] and len(result.parts) == 3
    assert [p.counts["matters"] for p in parts] == [2, 2, 1] and result.counts["matters"] == 5
    assert result.counts["documents"] == 5 and result.counts["files"] == 5
    assert all(p.path.is_file() and p.path.name == f"hecun-{p.seq:04d}.hcpkt" for p in parts)
    with pair.office.uow() as session:  # each kept for a rewrite, chained in order
        rows = session.scalars(select(PacketOut).order_by(PacketOut.seq)).all()
        assert [r.prev_sha256 for r in rows[1:]] == [r.manifest_sha256 for r in rows[:-1]]
        assert all(r.data_sha256 for r in rows)
    # Delivered out of order, they still end as one packet would: the later ones wait for the first.
    paths = [p.path for p in parts]
    assert _import_all(pair, [paths[2], paths[1], paths[0]]) == ["3:parked", "2:parked", "1:imported",
                                                                  "2:imported", "3:imported"]
    with pair.bureau.uow() as session:
        assert session.scalar(select(func.count()).select_from(Matter).where(Matter.office_code == "hecun")) == 5
        received = session.scalars(select(Document).where(Document.office_code == "hecun")).all()
        assert len(received) == 5 and all(session.get(DocumentFile, d.id) for d in received)
    state = office_state(pair.bureau, "hecun")
    assert len(state["matters"]) == 5 and len(state["pdfs"]) == 5 and all(p.endswith(":None") for p in state["pdfs"])
    assert len(matters) == 5


def test_an_export_that_fits_is_one_packet(pair: Pair, tmp_path: Path) -> None:
    _requests(pair, 2)
    result = run_to_end(packet_export.export_data_packet(pair.office, pair.office_admin, tmp_path / "usb", DAY))
    assert result.parts == () and result.each() == (result,) and result.seq == 1
    assert result.counts["matters"] == 2 and result.counts["files"] == 2


def test_lost_parts_are_written_again_and_what_was_not_confirmed_goes_again(pair: Pair, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts 2 and 3 of an export never reached the bureau (the bureau confirmed only part 1): the office writes
    them again byte for byte from the content store, and its next export still carries everything not confirmed,
    so nothing is skipped whichever way the clerk recovers."""
    _requests(pair, 3)
    with pair.office.uow() as session:
        pdf_bytes = max(pair.office.blobs.sizes(session, session.scalars(select(DocumentFile.sha256))).values())
    monkeypatch.setattr(packet_export, "PART_BYTES", pdf_bytes)  # one matter per packet
    first = run_to_end(packet_export.export_data_packet(pair.office, pair.office_admin, tmp_path / "a", DAY))
    assert [p.counts["matters"] for p in first.each()] == [1, 1, 1]
    assert _import_all(pair, [first.each()[0].path]) == ["1:imported"]
    back = run_to_end(packet_export.export_return_packet(pair.bureau, pair.bureau_admin, "hecun", tmp_path / "b",
                                                         DAY))
    [ack] = run_to_end(packet_import.import_packets(pair.office, pair.office_admin, [back.path], DAY))
    assert ack.counts["acknowledged"] == 1
    again = run_to_end(packet_export.export_data_packet(pair.office, pair.office_admin, tmp_path / "c", DAY))
    assert sum(p.counts["matters"] for p in again.each()) == 2, "the two matters not confirmed go again"
    with pair.office.uow() as session:  # with every event of theirs: the events mark moves with the last part only,
        events = session.scalar(select(func.count()).select_from(MatterEvent))  # so some may go twice, none skipped
    assert events - first.each()[0].counts["events"] <= sum(p.counts["events"] for p in again.each()) <= events
    lost = [packet_export.rewrite_packet(pair.office, "jiangshan", seq, tmp_path / "d") for seq in (2, 3)]
    assert [f.read_bytes() for f in lost] == [p.path.read_bytes() for p in first.each()[1:]]
    later = [p.path for p in again.each()]
    assert _import_all(pair, lost + later) == ["2:imported", "3:imported"] + [
        f"{p.seq}:imported" for p in again.each()]
    with pair.bureau.uow() as session:
        assert session.scalar(select(func.count()).select_from(Matter).where(Matter.office_code == "hecun")) == 3


def _scans(pair: Pair, matter: int, folder: Path, n: int) -> None:
    source = folder / "scan.bin"
    for _ in range(n):  # 2 MB that do not compress
        source.write_bytes(os.urandom(2 * 1024 * 1024))
        attachments.add_attachment(pair.office, pair.office_admin, matter, source)


FIXED_EXPORT_COST = 512 * 1024  # bytes: compiled statements and first-used modules, the same for any export


def _export_peak(pair: Pair, out: Path) -> tuple[packet_export.ExportResult, int]:
    tracemalloc.start()
    try:
        result = run_to_end(packet_export.export_data_packet(pair.office, pair.office_admin, out, DAY))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def test_an_export_holds_its_packet_about_three_times_not_every_pdf_five_times(pair: Pair, tmp_path: Path) -> None:
    """The PDFs and attachments are read from the content store one at a time as the packet is written, the
    plaintext is let go before the packet goes to the medium, and the read-back check reads the file once. What
    is left is HPKE sealing the payload in one piece: plaintext, ciphertext and one copy of it (5.4x before)."""
    [matter] = _requests(pair, 1)
    _scans(pair, matter, tmp_path, 6)
    result, peak = _export_peak(pair, tmp_path / "usb")
    assert result.size > 12 * 1024 * 1024
    assert peak < 3.3 * result.size, f"peak {peak / 2**20:.1f} MiB for a {result.size / 2**20:.1f} MiB packet"


def test_a_long_history_needs_the_memory_of_one_part_not_of_the_whole(pair: Pair, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A township's first export after years of work: memory follows the part limit, not the history."""
    for matter in _requests(pair, 3):
        _scans(pair, matter, tmp_path, 2)
    monkeypatch.setattr(packet_export, "PART_BYTES", 5 * 1024 * 1024)
    result, peak = _export_peak(pair, tmp_path / "usb")
    assert len(result.each()) == 3 and result.size > 12 * 1024 * 1024
    largest = max(p.size for p in result.each())
    # The bound follows the part, plus what any export costs once whatever its size: SQLAlchemy's compiled
    # statements and modules first used here (about 0.2 MiB since the audit head travels in the manifest, issue 15
    # item 8) — a fixed cost, not one that grows with the history, which is what this test is about.
    assert peak < 3.3 * largest + FIXED_EXPORT_COST < result.size * 1.2, (
        f"peak {peak / 2**20:.1f} MiB, parts of {largest / 2**20:.1f}")


def test_an_export_stopped_after_its_first_part_leaves_no_copy_in_the_store(pair: Pair, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancelled (or the USB stick full) while the second part is written: no number used, no file on the stick,
    and the first part's copy kept for a rewrite is not left behind in the content store either."""
    _requests(pair, 2)
    with pair.office.uow() as session:
        pdf_bytes = max(pair.office.blobs.sizes(session, session.scalars(select(DocumentFile.sha256))).values())
    monkeypatch.setattr(packet_export, "PART_BYTES", pdf_bytes)  # one matter per packet
    before = {p for p in pair.office.blobs.root.rglob("*") if p.is_file()}
    steps = packet_export.export_data_packet(pair.office, pair.office_admin, tmp_path / "usb", DAY)
    seen = [next(steps) for _ in range(7)]  # 0..4, then the first part's (5, 6), then the second part's
    assert seen[-2:] == [(5, 6), (5, 6)]
    steps.close()  # 取消
    assert {p for p in pair.office.blobs.root.rglob("*") if p.is_file()} == before
    assert list((tmp_path / "usb").iterdir()) == []
    with pair.office.uow() as session:
        assert session.scalar(select(func.count()).select_from(PacketOut)) == 0
