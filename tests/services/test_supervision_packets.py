"""Issue 16 (SPEC S-1, S-7): supervisors, meetings, review batches and certificate holders travel in the office's
data packets and arrive at the bureau as the township's records, read-only, linked to the township's matters, with
the same warnings — without the personal data that stays at the office (M-7), and only what changed since the last
acknowledged packet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from exchange_pair import Pair, account, make_pair
from sqlalchemy import select

from hecun_office.domain.errors import ValidationError
from hecun_office.review.sampling import CaseFile
from hecun_office.services import (
    case_review,
    documents,
    matters,
    meetings,
    packet_export,
    packet_import,
    personnel,
    supervisors,
)
from hecun_office.services.intake import run_to_end
from hecun_office.services.matters import MatterInput
from hecun_office.services.reminders import certificate_warnings, supervision_warnings, term_warnings
from hecun_office.storage.models import EnforcementOfficer, Matter, OfficeObligation, Supervisor

DAY = date(2026, 3, 2)
FULL = {"subject": 15, "facts": 25, "law": 20, "procedure": 25, "documents": 10, "filing": 5}


OFFICE = "hecun"  # tests/exchange_pair.py


def _send(pair: Pair, folder: Path) -> None:
    result = run_to_end(packet_export.export_data_packet(pair.office, pair.office_admin, folder, DAY))
    for part in result.each():
        run_to_end(packet_import.import_packets(pair.bureau, pair.bureau_admin, [part.path], DAY, backup=False))


def _work(pair: Pair, tmp_path: Path) -> dict[str, int]:
    office, admin = pair.office, pair.office_admin
    unit = matters.list_units(office)[1]
    sid = supervisors.save_supervisor(office, admin, supervisors.SupervisorInput(
        "赵敏", "deputy", date(2024, 3, 21), date(2026, 3, 20), "贺村镇人大", "13812345678"))
    reported = supervisors.report_matter(office, admin, sid, MatterInput(
        received_on=DAY, source="supervisor", title="村道占道经营无人查处", category="legality", unit_ids=[unit.id]), DAY)
    mid = meetings.save_meeting(office, admin, meetings.MeetingInput(
        date(2026, 2, 26), "县乡两级行政执法监督机构联席会议", "贺村镇人民政府三楼会议室", "江山市司法局", "张某某",
        "贺村镇人民政府、贺村司法所", "张某某、李某某",
        decisions=(meetings.DecisionInput("完善执法全过程记录", "镇综合行政执法队", date(2026, 3, 3)),)), DAY)
    minutes = meetings.draft_minutes(office, admin, mid, DAY)  # issued: the minutes travel and the link with them
    director = account(office, "li", "李志明", "signer")
    documents.submit(office, admin, minutes)
    documents.review(office, director, minutes, approve=True)
    documents.issue(office, director, minutes, DAY, today=DAY)
    bid = case_review.create_batch(office, admin, case_review.BatchInput("一季度评查", date(2026, 1, 1), date(2026, 3, 31)))
    case_review.add_files(office, admin, bid, [CaseFile(unit.name, f"江执罚〔2026〕{n}号", "", n) for n in (1, 2)])
    case_review.draw_sample(office, admin, bid, 99)
    first = case_review.batch_detail(office, bid).files[0]
    case_review.score_file(office, admin, first.id, {**FULL, "procedure": 0}, "未告知听证权利", DAY, DAY)
    finding = case_review.finding_to_matter(office, admin, first.id, DAY)
    book = openpyxl.Workbook()
    book.active.append(["姓名", "所在单位", "执法证号", "身份证号码", "有效期至"])
    book.active.append(["张伟", unit.name, "浙J000101", "330881199001011234", date(2026, 2, 20)])
    book.save(tmp_path / "名单.xlsx")
    personnel.import_list(office, admin, tmp_path / "名单.xlsx")
    return {"supervisor": sid, "meeting": mid, "batch": bid, "reported": reported.id, "finding": finding.id}


def test_the_four_kinds_arrive_at_the_bureau_as_the_townships_read_only_records(tmp_path: Path) -> None:
    pair = make_pair(tmp_path)
    try:
        _work(pair, tmp_path)
        _send(pair, tmp_path / "usb1")
        bureau = pair.bureau
        with bureau.uow() as session:
            [code] = set(session.scalars(select(Supervisor.office_code)))
            assert code == OFFICE
            reported_at_bureau = session.scalar(select(Matter.id).where(Matter.title == "村道占道经营无人查处"))
            officer = session.scalars(select(EnforcementOfficer)).one()
            assert (officer.office_code, officer.id_no) == (code, "330881********1234")  # masked by the office
            decision = session.scalars(select(OfficeObligation).where(OfficeObligation.kind == "meeting_decision")).one()
            assert (decision.office_code, decision.due_on, decision.state) == (code, date(2026, 3, 3), "open")
            assert certificate_warnings(session, DAY, code) and "张伟" in certificate_warnings(session, DAY, code)[0]
            assert "赵敏" in term_warnings(session, DAY, code)[0]
            assert certificate_warnings(session, DAY) == []  # the bureau's own register is empty
        shown = supervision_warnings(bureau, DAY, code)  # what the bureau's page shows for the township
        assert len(shown) == 2 and "张伟" in shown[0] and "赵敏" in shown[1]
        [row] = supervisors.list_supervisors(bureau, DAY, office_code=code)
        assert (row.name, row.contact, row.reports) == ("赵敏", "", 1)  # the contact stayed at the office
        detail = supervisors.supervisor_detail(bureau, row.id)
        assert [a.matter_id for a in detail.activities] == [reported_at_bureau]
        [meeting] = meetings.list_meetings(bureau, office_code=code)
        assert [d.text for d in meeting.decisions] == ["完善执法全过程记录"]
        assert documents.get_document(bureau, meeting.minutes_document_id).form_id == "meeting_minutes"
        [batch] = case_review.list_batches(bureau, office_code=code)
        assert (batch.seed, batch.listed, batch.drawn, batch.scored) == (99, 2, 2, 1)
        files = case_review.batch_detail(bureau, batch.id).files
        assert [(f.grade, f.finding, f.matter_reg_no is not None) for f in files if f.grade] == [
            ("不合格", "未告知听证权利", True)]
        [holder] = personnel.list_officers(bureau, DAY, office_code=code)
        assert holder.expired
        with pytest.raises(ValidationError, match="本机构只能查看"):
            supervisors.record_activity(bureau, pair.bureau_admin, row.id,
                                        supervisors.ActivityInput(DAY, "inspection"), DAY)
        with pytest.raises(ValidationError, match="本机构只能查看"):
            case_review.draw_sample(bureau, pair.bureau_admin, batch.id, 1)
    finally:
        pair.dispose()


def test_only_what_changed_travels_again_and_the_bureau_keeps_the_newer_version(tmp_path: Path) -> None:
    pair = make_pair(tmp_path)
    try:
        made = _work(pair, tmp_path)
        first = run_to_end(packet_export.export_data_packet(pair.office, pair.office_admin, tmp_path / "usb1", DAY))
        [part] = first.each()
        assert {k: part.counts.get(k) for k in ("supervisor", "meeting", "review_batch", "officer")} == {
            "supervisor": 1, "meeting": 1, "review_batch": 1, "officer": 1}
        for _ in range(2):  # the same packet twice: the second changes nothing
            run_to_end(packet_import.import_packets(pair.bureau, pair.bureau_admin, [part.path], DAY, backup=False))
        key = meetings.list_meetings(pair.office)[0].decisions[0].key
        meetings.decision_done(pair.office, pair.office_admin, made["meeting"], key, DAY, DAY, "已完善")
        # the bureau's return packet acknowledges the first; then only the meeting (and its obligation) go again
        returned = run_to_end(packet_export.export_return_packet(
            pair.bureau, pair.bureau_admin, OFFICE, tmp_path / "back", DAY))
        for back in returned.each():
            run_to_end(packet_import.import_packets(pair.office, pair.office_admin, [back.path], DAY, backup=False))
        second = run_to_end(packet_export.export_data_packet(pair.office, pair.office_admin, tmp_path / "usb2", DAY))
        [again] = second.each()
        assert {k: again.counts.get(k) for k in ("supervisor", "meeting", "review_batch", "officer")} == {
            "supervisor": 0, "meeting": 1, "review_batch": 0, "officer": 0}
        run_to_end(packet_import.import_packets(pair.bureau, pair.bureau_admin, [again.path], DAY, backup=False))
        [meeting] = meetings.list_meetings(pair.bureau, office_code=OFFICE)
        assert meeting.decisions[0].done_on == DAY
        with pair.bureau.uow() as session:
            states = list(session.scalars(select(OfficeObligation.state).where(
                OfficeObligation.kind == "meeting_decision")))
        assert states == ["met"]
    finally:
        pair.dispose()
