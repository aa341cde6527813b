"""Issue 16 (SPEC O-1..O-4) on a real database: supervisors and their terms, joint meetings whose decisions are
obligations until done, case-file review batches drawn from a recorded seed, scored by the data file's thresholds,
findings and expired certificates turned into matters in one step, and the warnings coming and going with the
dates."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from hecun_office.domain.errors import ValidationError
from hecun_office.review.sampling import CaseFile, draw
from hecun_office.services import (
    case_review,
    documents,
    matters,
    meetings,
    obligations,
    personnel,
    supervisors,
)
from hecun_office.services.audit import Actor
from hecun_office.services.matters import MatterInput
from hecun_office.storage.models import Matter, Obligation
from hecun_office.storage.uow import Database

TODAY = date(2026, 3, 2)


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def _supervisor(db: Database, actor: Actor, name: str = "赵敏", term_ends: date | None = date(2026, 3, 20)) -> int:
    return supervisors.save_supervisor(db, actor, supervisors.SupervisorInput(
        name=name, kind="deputy", appointed_on=date(2024, 3, 21), term_ends=term_ends, unit="贺村镇人大",
        contact="13812345678"))


def test_a_supervisors_term_ending_is_warned_about_until_renewed(db: Database, actor: Actor) -> None:
    sid = _supervisor(db, actor)
    assert obligations.dashboard(db, date(2026, 2, 1), ensure=False).warnings == []  # 47 days before
    soon = obligations.dashboard(db, TODAY, ensure=False).warnings
    assert [w for w in soon if "赵敏（2026-03-20）" in w and "30 天内届满" in w]
    ended = obligations.dashboard(db, date(2026, 3, 21), ensure=False).warnings
    assert [w for w in ended if "任期已届满" in w and "赵敏" in w]
    supervisors.save_supervisor(db, actor, supervisors.SupervisorInput(
        name="赵敏", kind="deputy", appointed_on=date(2024, 3, 21), term_ends=date(2029, 3, 20)), sid)
    assert not [w for w in obligations.dashboard(db, date(2026, 3, 21), ensure=False).warnings if "赵敏" in w]
    [row] = supervisors.list_supervisors(db, TODAY)
    assert row.contact == ""  # the correction left the contact empty: nothing is kept that the clerk removed


def test_the_contact_is_masked_in_the_list_and_bad_input_is_refused(db: Database, actor: Actor) -> None:
    _supervisor(db, actor)
    [row] = supervisors.list_supervisors(db, TODAY)
    assert row.contact == "138****5678" and row.kind_label == "人大代表" and row.term_state == "ending"
    for bad, field in ((supervisors.SupervisorInput("", "deputy", TODAY), "name"),
                       (supervisors.SupervisorInput("钱", "mayor", TODAY), "kind"),
                       (supervisors.SupervisorInput("钱", "public", TODAY, TODAY - timedelta(days=1)), "term_ends"),
                       (supervisors.SupervisorInput("钱" * 65, "public", TODAY), "name")):
        with pytest.raises(ValidationError) as refused:
            supervisors.save_supervisor(db, actor, bad)
        assert refused.value.field == field
    assert len(supervisors.list_supervisors(db, TODAY)) == 1


def test_a_reported_matter_is_registered_with_its_source_and_linked_to_the_supervisor(db: Database,
                                                                                     actor: Actor) -> None:
    sid = _supervisor(db, actor)
    unit = matters.list_units(db)[0]
    registered = supervisors.report_matter(db, actor, sid, MatterInput(
        received_on=TODAY, source="hotline", title="村道占道经营无人查处", category="legality", unit_ids=[unit.id]),
        TODAY)
    supervisors.record_activity(db, actor, sid, supervisors.ActivityInput(date(2026, 2, 10), "appraisal", "执法评议"),
                                TODAY)
    with db.uow() as session:
        matter = session.get(Matter, registered.id)
        assert matter is not None and matter.source == "supervisor"  # 法治监督员反映, whatever the form said
    assert matters.matter_detail(db, registered.id, TODAY).origin == "赵敏"  # the matter names who reported it
    detail = supervisors.supervisor_detail(db, sid)
    assert [(a.kind_label, a.reg_no) for a in detail.activities] == [("执法评议", None), ("反映问题", registered.reg_no)]
    [row] = supervisors.list_supervisors(db, TODAY)
    assert (row.activities, row.reports) == (2, 1)
    with pytest.raises(ValidationError, match="已记为监督员赵敏反映"):
        supervisors.link_matter(db, actor, sid, registered.reg_no)


def _meeting(db: Database, actor: Actor) -> int:
    return meetings.save_meeting(db, actor, meetings.MeetingInput(
        held_on=date(2026, 2, 26), name="县乡两级行政执法监督机构联席会议", place="贺村镇人民政府三楼会议室",
        convener="江山市司法局", chair="市司法局副局长张某某", participants="贺村镇人民政府、贺村司法所",
        attendees="张某某、李某某", topics="通报一季度执法监督情况",
        decisions=(meetings.DecisionInput("镇综合行政执法队完善执法全过程记录", "镇综合行政执法队", date(2026, 3, 3)),
                   meetings.DecisionInput("建立执法争议协调台账", "贺村司法所", date(2026, 3, 31)))), TODAY)


def test_a_meetings_decisions_are_dashboard_obligations_until_recorded_done(db: Database, actor: Actor) -> None:
    mid = _meeting(db, actor)
    board = obligations.dashboard(db, TODAY, ensure=False)
    due = [r for r in board.upcoming + board.due_today if r.kind == "meeting_decision"]
    assert [(r.title[-20:], r.due) for r in due] == [("镇综合行政执法队完善执法全过程记录（镇综合行政执法队）"[-20:], date(2026, 3, 3))]
    late = obligations.dashboard(db, date(2026, 3, 4), ensure=False)
    assert [r.kind_label for r in late.overdue] == ["联席会议议定事项"]
    [meeting] = meetings.list_meetings(db)
    first = meeting.decisions[0]
    meetings.decision_done(db, actor, mid, first.key, date(2026, 3, 4), date(2026, 3, 4), "已完善")
    after = obligations.dashboard(db, date(2026, 3, 4), ensure=False)
    assert [r for r in after.overdue if r.kind == "meeting_decision"] == []
    with db.uow() as session:
        met = session.scalars(select(Obligation).where(Obligation.rule_key == "meeting_decision:" + first.key)).one()
        assert (met.state, met.met_on) == ("met", date(2026, 3, 4))
    with pytest.raises(ValidationError, match="已于 2026-03-04 记为完成"):
        meetings.decision_done(db, actor, mid, first.key, date(2026, 3, 4), date(2026, 3, 4))


def test_a_decision_struck_from_the_record_owes_nothing_any_more(db: Database, actor: Actor) -> None:
    mid = _meeting(db, actor)
    data = meetings.meeting_input(db, mid)
    meetings.save_meeting(db, actor, meetings.MeetingInput(**{**data.__dict__, "decisions": data.decisions[1:]}),
                          TODAY, mid)
    with db.uow() as session:
        states = dict(session.execute(select(Obligation.title, Obligation.state)
                                      .where(Obligation.kind == "meeting_decision")).all())
    assert sorted(states.values()) == ["dropped", "open"]
    assert [d.key for d in meetings.meeting_input(db, mid).decisions] == [data.decisions[1].key]


def test_the_minutes_are_drafted_from_the_record(db: Database, actor: Actor, tmp_path: Path) -> None:
    mid = _meeting(db, actor)
    doc_id = meetings.draft_minutes(db, actor, mid, TODAY)
    assert meetings.draft_minutes(db, actor, mid, TODAY) == doc_id  # asked twice, one draft
    row = documents.get_document(db, doc_id)
    assert row.form_id == "meeting_minutes"
    assert row.values["decisions"].splitlines() == [
        "一、镇综合行政执法队完善执法全过程记录（责任单位：镇综合行政执法队，完成时限：2026年3月3日）。",
        "二、建立执法争议协调台账（责任单位：贺村司法所，完成时限：2026年3月31日）。"]
    text = _pdf_text(documents.document_pdf(db, doc_id, TODAY), tmp_path)
    assert "县乡两级行政执法监督机构联席会议纪要" in text.replace(" ", "").replace("\n", "")
    assert "建立执法争议协调台账" in text.replace("\n", "")
    assert [m.minutes_document_id for m in meetings.list_meetings(db)] == [doc_id]


def _files(units: list[str], counts: list[int]) -> list[CaseFile]:
    return [CaseFile(unit, f"江执罚〔2026〕{n}号", f"案件{n}", n + 1) for unit, count in zip(units, counts, strict=True)
            for n in range(1, count + 1)]


def test_a_batch_draws_exactly_what_the_cli_draws_for_its_seed_and_takes_all_of_a_small_unit(
        db: Database, actor: Actor) -> None:
    units = [u.name for u in matters.list_units(db)[:2]]
    files = _files(units, [35, 12])
    bid = case_review.create_batch(db, actor, case_review.BatchInput("2026年第一季度案卷评查", date(2026, 1, 1),
                                                                      date(2026, 3, 31), "司法所、监督员、检察院"))
    assert case_review.add_files(db, actor, bid, files + files[:3]) == 47  # listed twice: kept once
    assert case_review.draw_sample(db, actor, bid, 20260302) == 32
    detail = case_review.batch_detail(db, bid)
    expected = draw(files, 20260302)
    assert {(f.unit, f.file_no) for f in detail.files if f.drawn} == {(f.unit, f.number) for f in expected.drawn}
    assert [(s.unit, s.listed, s.drawn) for s in detail.summary] == [(units[0], 35, 20), (units[1], 12, 12)]
    with pytest.raises(ValidationError, match="不能重新抽取"):
        case_review.draw_sample(db, actor, bid, 1)
    with pytest.raises(ValidationError, match="不能再增加"):
        case_review.add_files(db, actor, bid, _files(units[:1], [40])[35:])


def test_scores_are_graded_by_the_sheets_thresholds_and_a_finding_becomes_a_matter(db: Database,
                                                                                 actor: Actor) -> None:
    unit = matters.list_units(db)[1]
    bid = case_review.create_batch(db, actor, case_review.BatchInput("评查", date(2026, 1, 1), date(2026, 3, 31)))
    case_review.add_files(db, actor, bid, _files([unit.name], [3]))
    case_review.draw_sample(db, actor, bid, 7)
    first, second, third = case_review.batch_detail(db, bid).files
    full = {"subject": 15, "facts": 25, "law": 20, "procedure": 25, "documents": 10, "filing": 5}
    assert case_review.score_file(db, actor, first.id, full, "", TODAY, TODAY) == "优秀"
    assert case_review.score_file(db, actor, second.id, {**full, "facts": 14}, "", TODAY, TODAY) == "良好"  # 89: below 优秀 (90)
    vetoed = {**full, "procedure": 0}  # 75 points, but procedure scored 0 is 一票否决
    assert case_review.score_file(db, actor, third.id, vetoed, "未告知陈述申辩权利", TODAY, TODAY) == "不合格"
    with pytest.raises(ValidationError, match="执法程序"):
        case_review.score_file(db, actor, third.id, {**full, "procedure": 26}, "", TODAY, TODAY)
    registered = case_review.finding_to_matter(db, actor, third.id, TODAY)
    with db.uow() as session:
        matter = session.get(Matter, registered.id)
        assert matter is not None
        assert (matter.source, matter.method, matter.source_ref, [u.id for u in matter.units]) == (
            "case_review", "case_review", third.file_no, [unit.id])
        assert "未告知陈述申辩权利" in matter.facts and "不合格" in matter.facts
    assert matters.matter_detail(db, registered.id, TODAY).origin == f"评查 {third.file_no}"  # batch and file
    with pytest.raises(ValidationError, match=f"已登记为事项 {registered.reg_no}"):
        case_review.finding_to_matter(db, actor, third.id, TODAY)
    with pytest.raises(ValidationError, match="还没有记录发现的问题"):
        case_review.finding_to_matter(db, actor, first.id, TODAY)


def test_the_review_report_is_drafted_from_the_batch(db: Database, actor: Actor, tmp_path: Path) -> None:
    unit = matters.list_units(db)[1]
    bid = case_review.create_batch(db, actor, case_review.BatchInput("2026年第一季度案卷评查", date(2026, 1, 1),
                                                                      date(2026, 3, 31), "贺村司法所、法治监督员"))
    case_review.add_files(db, actor, bid, _files([unit.name], [2]))
    case_review.draw_sample(db, actor, bid, 11)
    first = case_review.batch_detail(db, bid).files[0]
    full = {"subject": 15, "facts": 25, "law": 20, "procedure": 25, "documents": 10, "filing": 5}
    case_review.score_file(db, actor, first.id, {**full, "documents": 0}, "文书缺少送达日期", TODAY, TODAY)
    doc_id = case_review.draft_report(db, actor, bid, TODAY)
    text = "".join(_pdf_text(documents.document_pdf(db, doc_id, TODAY), tmp_path).split())  # lines wrap anywhere
    assert "关于2026年第一季度案卷评查情况的报告" in text
    assert f"1．{unit.name}：清单2卷，抽取2卷，评查1卷，平均90分，优秀1卷；发现问题1卷。" in text
    assert "文书缺少送达日期" in text


def _certificates(path: Path, unit: str) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "所在单位", "执法证号", "身份证号码", "有效期至"])
    sheet.append(["张伟", unit, "浙J000101", "330881199001011234", date(2026, 2, 20)])
    sheet.append(["李娜", unit, "浙J000102", "330881198805052345", date(2028, 4, 30)])
    book.save(path)
    return path


def test_an_expired_certificate_becomes_a_matter_once(db: Database, actor: Actor, tmp_path: Path) -> None:
    unit = matters.list_units(db)[1]
    personnel.import_list(db, actor, _certificates(tmp_path / "名单.xlsx", unit.name))
    expired, valid = personnel.list_officers(db, TODAY)
    with pytest.raises(ValidationError, match="未过期"):
        personnel.officer_to_matter(db, actor, valid.id, TODAY)
    registered = personnel.officer_to_matter(db, actor, expired.id, TODAY)
    with db.uow() as session:
        matter = session.get(Matter, registered.id)
        assert matter is not None and matter.category == "qualification" and [u.id for u in matter.units] == [unit.id]
    assert personnel.list_officers(db, TODAY)[0].matter_reg_no == registered.reg_no
    assert matters.matter_detail(db, registered.id, TODAY).origin == "张伟 浙J000101"
    with pytest.raises(ValidationError, match="已登记为事项"):
        personnel.officer_to_matter(db, actor, expired.id, TODAY)


def test_a_holder_entered_by_hand_is_kept_by_certificate_number_like_a_listed_one(db: Database,
                                                                                 actor: Actor) -> None:
    unit = matters.list_units(db)[1].name
    entered = personnel.OfficerInput("张伟", unit, "浙J000101", expires_on=date(2026, 2, 20))
    assert personnel.save_officer(db, actor, entered) is True
    assert personnel.save_officer(db, actor, personnel.OfficerInput("张伟", unit, "浙J000101",
                                                                    expires_on=date(2031, 2, 20))) is False
    [row] = personnel.list_officers(db, TODAY)
    assert (row.expires_on, row.expired) == (date(2031, 2, 20), False)
    for bad, field in ((personnel.OfficerInput("", unit, "浙J2"), "name"),
                       (personnel.OfficerInput("李", unit, "浙J2", issued_on=TODAY, expires_on=date(2020, 1, 1)),
                        "expires_on")):
        with pytest.raises(ValidationError) as refused:
            personnel.save_officer(db, actor, bad)
        assert refused.value.field == field
    assert len(personnel.list_officers(db, TODAY)) == 1


def test_a_decision_marked_met_in_the_obligations_register_is_done_in_the_meetings_record(db: Database,
                                                                                        actor: Actor) -> None:
    _meeting(db, actor)
    with db.uow() as session:
        obligation_id = session.scalars(select(Obligation.id).where(Obligation.kind == "meeting_decision")
                                        .order_by(Obligation.due_on)).first()
    assert obligation_id is not None
    obligations.complete_office_obligation(db, actor, obligation_id, date(2026, 3, 2), "已完善记录制度")
    first = meetings.list_meetings(db)[0].decisions[0]
    assert (first.done_on, first.done_note) == (date(2026, 3, 2), "已完善记录制度")
    assert [r for r in obligations.dashboard(db, TODAY, ensure=False).due_today + obligations.dashboard(
        db, TODAY, ensure=False).upcoming if r.kind == "meeting_decision" and r.due == date(2026, 3, 3)] == []
