"""Issue 15 item 11 (SPEC M-7): a complainant's name, phone and ID number reach the bureau only once the office hands
the matter over — from the issue of the escalation report, the clue transfer letter or the assistance request — not
while the matter merely sits in 情节严重复杂, 超出范围 or 需要协作."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from exchange_pair import Pair, account, make_pair
from issuing import issue_document
from sqlalchemy import select

from hecun_office.services import matters, packet_export, packet_import
from hecun_office.services.intake import run_to_end
from hecun_office.services.matters import MatterInput, TransitionInput
from hecun_office.storage.models import Matter

DAY = date(2026, 3, 2)


def _send(pair: Pair, folder: Path) -> None:
    result = run_to_end(packet_export.export_data_packet(pair.office, pair.office_admin, folder, DAY))
    for part in result.each():
        run_to_end(packet_import.import_packets(pair.bureau, pair.bureau_admin, [part.path], DAY, backup=False))


def _at_the_bureau(pair: Pair) -> dict[str, tuple[str | None, str | None, str | None]]:
    with pair.bureau.uow() as session:
        return {title: (name, phone, id_no) for title, name, phone, id_no in session.execute(
            select(Matter.title, Matter.complainant_name, Matter.complainant_phone, Matter.complainant_id_no))}


def _matter(pair: Pair, title: str, *steps: str) -> int:
    unit = matters.list_units(pair.office)[0].id
    matter_id = matters.register_matter(pair.office, pair.office_admin, MatterInput(
        received_on=DAY, source="hotline", title=title, category="legality", unit_ids=[unit],
        facts=f"{title}的事实。", complainant_name="李四", complainant_phone="13900001111",
        complainant_id_no="330881199001011234"), today=DAY).id
    for action in ("start_verification", *steps):
        matters.transition_matter(pair.office, pair.office_admin, matter_id,
                                  TransitionInput(action, DAY, reason="经核查"), today=DAY)
    return matter_id


def test_the_complainant_travels_from_the_hand_over_document_not_from_the_status(tmp_path: Path) -> None:
    pair = make_pair(tmp_path)
    try:
        director = account(pair.office, "li", "李志明", "signer")
        serious = _matter(pair, "情节严重的事项", "flag_serious")
        _matter(pair, "超出范围的事项", "mark_out_of_scope")
        assisted = _matter(pair, "需要协作的事项", "need_assistance")
        _matter(pair, "普通事项")
        _send(pair, tmp_path / "usb1")
        assert _at_the_bureau(pair) == {title: (None, None, None) for title in (
            "情节严重的事项", "超出范围的事项", "需要协作的事项", "普通事项")}

        issue_document(pair.office, pair.office_admin, director, director, "escalation_report", serious, DAY)
        issue_document(pair.office, pair.office_admin, director, director, "assistance_request", assisted, DAY,
                       questions="是否应当建议撤销并重新作出？")
        _send(pair, tmp_path / "usb2")
        shown = _at_the_bureau(pair)
        assert shown["情节严重的事项"] == shown["需要协作的事项"] == ("李四", "13900001111", "330881199001011234")
        assert shown["超出范围的事项"] == shown["普通事项"] == (None, None, None)
    finally:
        pair.dispose()
