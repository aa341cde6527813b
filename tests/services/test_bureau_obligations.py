"""Issue 12 item 2 (§二(四)2, S-7, T-5): the bureau's obligation to answer a 执法协作函 counts from the day the bureau
receives it, and exists only while the office is still waiting — on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from exchange_pair import Pair, account, make_pair, request_assistance
from sqlalchemy import select

from hecun_office.services import documents, matters, packet_export, packet_import
from hecun_office.services.audit import Actor
from hecun_office.services.bureau_obligations import _Event, _Request, settled
from hecun_office.services.intake import run_to_end
from hecun_office.services.matters import TransitionInput
from hecun_office.storage.models import Document, Matter, Obligation
from hecun_office.storage.uow import Database

ISSUED = date(2026, 3, 2)  # Monday: the office issues its three requests
RECEIVED = date(2026, 3, 10)  # Tuesday: the bureau imports the packet that carries them
LATER = date(2026, 3, 12)


@pytest.fixture(params=["sqlite", "postgresql"])
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Pair]:
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    built = make_pair(tmp_path, bureau_url=url)
    yield built
    built.dispose()


def _request(office: Database, clerk: Actor, director: Actor, title: str) -> int:
    return request_assistance(office, clerk, director, ISSUED, title)


def _act(office: Database, clerk: Actor, matter_id: int, on: date, *actions: str) -> None:
    for action in actions:
        matters.transition_matter(office, clerk, matter_id, TransitionInput(action, on, reason="已电话咨询司法局"),
                                  today=on)


def _deliver(pair: Pair, folder: Path, on: date) -> list[packet_import.ImportOutcome]:
    sent = run_to_end(packet_export.export_data_packet(pair.office, pair.office_admin, folder, on))
    outcomes: list[packet_import.ImportOutcome] = run_to_end(packet_import.import_packets(
        pair.bureau, pair.bureau_admin, [sent.path], on, backup=False))
    return outcomes


def _obligations(bureau: Database) -> list[tuple[object, ...]]:
    with bureau.uow() as session:
        return [tuple(row) for row in session.execute(
            select(Matter.title, Obligation.trigger_on, Obligation.due_on, Obligation.state, Obligation.met_on,
                   Obligation.note).join(Matter, Matter.id == Obligation.matter_id)
            .where(Obligation.kind == "assistance_reply").order_by(Obligation.id))]


def test_only_a_request_still_waiting_when_the_bureau_receives_it_is_owed_an_answer_from_that_day(
        pair: Pair, tmp_path: Path) -> None:
    office, clerk = pair.office, pair.office_admin
    director = account(office, "li", "李志明", "signer")
    waiting = _request(office, clerk, director, "仍在等待答复的事项")
    answered = _request(office, clerk, director, "已在司法所登记反馈的事项")
    closed = _request(office, clerk, director, "已办结的事项")
    _act(office, clerk, answered, ISSUED, "record_assistance_reply")
    _act(office, clerk, closed, ISSUED, "record_assistance_reply", "resume_verification", "close_no_issue")

    [first] = _deliver(pair, tmp_path / "1", RECEIVED)
    assert first.status == packet_import.ImportStatus.IMPORTED
    # Three working days after the import (Tue 10 → Fri 13 March), not after the issue date (which gave 5 March).
    assert _obligations(pair.bureau) == [("仍在等待答复的事项", RECEIVED, date(2026, 3, 13), "open", None, "")]
    assert first.counts["assistance_requests"] == 1 and first.counts["assistance_settled"] == 2

    # The office hears back by telephone and closes the matter: the next packet drops the bureau's obligation.
    _act(office, clerk, waiting, date(2026, 3, 11), "record_assistance_reply", "resume_verification",
         "close_no_issue")
    [second] = _deliver(pair, tmp_path / "2", LATER)
    assert second.status == packet_import.ImportStatus.IMPORTED and second.counts["assistance_dropped"] == 1
    assert _obligations(pair.bureau) == [("仍在等待答复的事项", RECEIVED, date(2026, 3, 13), "dropped",
                                          date(2026, 3, 11), "司法所已登记司法局反馈，无需答复")]

    # The same packet again changes nothing.
    before = _obligations(pair.bureau)
    [again] = run_to_end(packet_import.import_packets(
        pair.bureau, pair.bureau_admin, sorted((tmp_path / "2").glob("*.hcpkt")), LATER, backup=False))
    assert again.status == packet_import.ImportStatus.DUPLICATE
    assert _obligations(pair.bureau) == before


def _r(number: str = "贺司协〔2026〕1号", status: str = "issued", on: date = ISSUED) -> _Request:
    return _Request(1, "u", status, number, "t", on, 7)


def test_what_settles_a_request() -> None:
    sent = _Event("send_assistance_request", ISSUED, "贺司协〔2026〕1号")
    assert settled(_r(), "assisting", [sent]) is None
    # Flagged serious while waiting: the office still waits, and so does the bureau.
    assert settled(_r(), "serious", [sent, _Event("flag_serious", LATER, "")]) is None
    assert settled(_r(), "assistance_answered", [sent, _Event("record_assistance_reply", LATER, "")]) == (
        "司法所已登记司法局反馈", LATER)
    assert settled(_r(status="void"), "assisting", [sent]) == ("协作函已作废", None)
    # An answer to an earlier request on the same matter does not settle a later one.
    earlier = [_Event("send_assistance_request", ISSUED, "贺司协〔2026〕0号"),
               _Event("record_assistance_reply", ISSUED, ""), _Event("resume_verification", ISSUED, ""),
               _Event("need_assistance", ISSUED, "")]
    assert settled(_r(), "assisting", [*earlier, sent]) is None
    # Issued on a matter already finished, outside the 发出协作函 step.
    assert settled(_r(), "closed", []) == ("事项已办结", None)
    assert settled(_Request(1, "u", "issued", "n", "t", ISSUED, None), None, []) is None


def test_a_voided_request_is_dropped_and_a_serious_flag_keeps_the_bureau_waiting(pair: Pair, tmp_path: Path) -> None:
    office, clerk = pair.office, pair.office_admin
    director = account(office, "li", "李志明", "signer")
    voided = _request(office, clerk, director, "协作函作废的事项")
    serious = _request(office, clerk, director, "等待中标记情节严重的事项")
    _deliver(pair, tmp_path / "1", RECEIVED)
    with office.uow() as session:
        doc_id = session.scalars(select(Document.id).where(Document.matter_id == voided,
                                                           Document.form_id == "assistance_request")).one()
    documents.void(office, director, doc_id, "协作事项表述有误，重新制发")
    matters.transition_matter(office, clerk, serious, TransitionInput("flag_serious", LATER, reason="情节复杂。"),
                              today=LATER)
    [later] = _deliver(pair, tmp_path / "2", LATER)
    assert later.counts.get("assistance_dropped") == 1
    assert _obligations(pair.bureau) == [
        ("协作函作废的事项", RECEIVED, date(2026, 3, 13), "dropped", LATER, "协作函已作废，无需答复"),
        ("等待中标记情节严重的事项", RECEIVED, date(2026, 3, 13), "open", None, "")]
