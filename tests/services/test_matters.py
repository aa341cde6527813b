"""M-1..M-3 through the real services on a real SQLite file."""

from __future__ import annotations

from datetime import date

import pytest
from issuing import issue_document
from people import add_director
from sqlalchemy import select

from hecun_office.domain.errors import TransitionNotAllowed, ValidationError
from hecun_office.domain.lifecycle import Status
from hecun_office.services import matters
from hecun_office.services.audit import Actor, verify_chain
from hecun_office.services.matters import MatterInput, TransitionInput
from hecun_office.storage.models import Matter, MatterEvent
from hecun_office.storage.uow import Database


def _input(db: Database, **kw: object) -> MatterInput:
    unit = matters.list_units(db)[1]
    base = dict(received_on=date(2026, 3, 2), source="hotline", title="占道经营处罚未告知陈述申辩权",
                category="legality", unit_ids=[unit.id])
    base.update(kw)
    return MatterInput(**base)  # type: ignore[arg-type]


def _walk(db: Database, actor: Actor, matter_id: int, steps: list[tuple[str, date]], today: date) -> None:
    for action, on in steps:
        matters.transition_matter(db, actor, matter_id, TransitionInput(action, on, reason="理由"), today=today)


def test_registration_numbers_are_gapless_per_year_and_follow_the_pattern(db: Database, actor: Actor) -> None:
    nos = [matters.register_matter(db, actor, _input(db), today=date(2026, 3, 2)).reg_no for _ in range(3)]
    assert nos == ["贺监登〔2026〕1号", "贺监登〔2026〕2号", "贺监登〔2026〕3号"]
    with pytest.raises(ValidationError):
        matters.register_matter(db, actor, _input(db, title=" "), today=date(2026, 3, 2))
    # a refused registration does not consume a number
    assert matters.register_matter(db, actor, _input(db), today=date(2026, 3, 2)).reg_no == "贺监登〔2026〕4号"
    next_year = matters.register_matter(db, actor, _input(db, received_on=date(2027, 1, 4)), today=date(2027, 1, 4))
    assert next_year.reg_no == "贺监登〔2027〕1号"


@pytest.mark.parametrize(
    ("override", "field", "fragment"),
    [
        ({"title": ""}, "title", "标题"),
        ({"title": "长" * 201}, "title", "200"),
        ({"unit_ids": []}, "unit_ids", "被监督单位"),
        ({"received_on": date(2026, 3, 3)}, "received_on", "晚于今天"),
        ({"category": "nonsense"}, "category", "监督内容"),
        ({"source": ""}, "source", "来源"),
        ({"unit_ids": [9999]}, "unit_ids", "不存在"),
        ({"facts": "事" * 20_001}, "facts", "基本事实"),
    ],
)
def test_bad_registration_input_is_refused_in_chinese_and_saves_nothing(
    db: Database, actor: Actor, override: dict[str, object], field: str, fragment: str
) -> None:
    with pytest.raises(ValidationError) as err:
        matters.register_matter(db, actor, _input(db, **override), today=date(2026, 3, 2))
    assert err.value.field == field
    assert fragment in err.value.message
    assert matters.count_matters(db) == 0


def test_duplicate_work_order_numbers_are_flagged_across_sources(db: Database, actor: Actor) -> None:
    first = matters.register_matter(db, actor, _input(db, source_ref="GD20260302001"), today=date(2026, 3, 2))
    second = matters.register_matter(db, actor, _input(db, source="supervisor", source_ref="GD20260302001"),
                                     today=date(2026, 3, 2))
    assert first.duplicates == []
    assert second.duplicates == [first.reg_no]
    assert matters.matter_detail(db, first.id, date(2026, 3, 2)).duplicates == [second.reg_no]


def test_lifecycle_records_every_step_on_the_timeline_with_who_and_why(db: Database, actor: Actor) -> None:
    reg = matters.register_matter(db, actor, _input(db), today=date(2026, 3, 2))
    _walk(db, actor, reg.id, [("start_verification", date(2026, 3, 3)), ("issue_advice", date(2026, 3, 5)),
                              ("start_rectification", date(2026, 3, 9)), ("confirm_rectified", date(2026, 3, 16)),
                              ("close", date(2026, 3, 17))], today=date(2026, 3, 20))
    detail = matters.matter_detail(db, reg.id, date(2026, 3, 20))
    assert detail.status == Status.CLOSED
    assert [e.action_label for e in detail.events] == ["登记", "开始核查", "制发建议书", "单位开始整改", "确认已整改", "办结"]
    assert [e.to_label for e in detail.events][-1] == "办结"
    assert all(e.actor == "王晓燕" for e in detail.events)
    # 15 calendar days from Thu 2026-03-05 is Fri 2026-03-20
    assert detail.rectification_deadline == date(2026, 3, 20)
    rect = [o for o in detail.obligations if o.kind == "rectification"][0]
    assert (rect.status, rect.met_on) == ("met_on_time", date(2026, 3, 16))
    # rectified in time: the report never arose, so it is not listed
    assert [o.kind for o in detail.obligations] == ["rectification"]
    assert detail.actions == [("reopen", "重新办理")]
    with db.uow() as session:
        assert verify_chain(session) == (8, None)  # setup + key generation + register + 5 transitions


def test_illegal_transition_is_refused_with_the_allowed_actions_named(db: Database, actor: Actor) -> None:
    reg = matters.register_matter(db, actor, _input(db), today=date(2026, 3, 2))
    with pytest.raises(TransitionNotAllowed) as err:
        matters.transition_matter(db, actor, reg.id, TransitionInput("mark_overdue", date(2026, 3, 2)),
                                  today=date(2026, 3, 2))
    assert "当前状态为“登记”" in err.value.message
    assert "“开始核查”" in err.value.message and "“超出监督范围”" in err.value.message
    with db.uow() as session:
        assert session.scalar(select(Matter.status)) == "registered"
        assert len(session.scalars(select(MatterEvent)).all()) == 1


def test_missed_rectification_deadline_creates_the_three_working_day_report(db: Database, actor: Actor) -> None:
    reg = matters.register_matter(db, actor, _input(db), today=date(2026, 3, 2))
    # advice on Mon 2026-03-02 → deadline Tue 2026-03-17; the report is due on the 3rd working day after: Fri 03-20
    _walk(db, actor, reg.id, [("start_verification", date(2026, 3, 2)), ("issue_advice", date(2026, 3, 2))],
          today=date(2026, 3, 2))
    detail = matters.matter_detail(db, reg.id, date(2026, 3, 18))
    report = [o for o in detail.obligations if o.kind == "escalation_report"][0]
    assert (report.trigger_on, report.due, report.weekday) == (date(2026, 3, 17), date(2026, 3, 20), "星期五")
    assert report.working_days_left == 2 and not report.provisional
    _walk(db, actor, reg.id, [("mark_overdue", date(2026, 3, 18))], today=date(2026, 3, 18))
    director = add_director(db)
    issue_document(db, actor, director, director, "escalation_report", reg.id, date(2026, 3, 23))
    report = [o for o in matters.matter_detail(db, reg.id, date(2026, 3, 23)).obligations
              if o.kind == "escalation_report"][0]
    assert (report.status, report.status_label, report.met_on) == ("met_late", "逾期完成", date(2026, 3, 23))


def test_rectified_after_the_deadline_no_longer_owes_the_report(db: Database, actor: Actor) -> None:
    """提请 is impossible once rectified (M-3), so the report obligation ends, its lateness noted."""
    reg = matters.register_matter(db, actor, _input(db), today=date(2026, 3, 2))
    _walk(db, actor, reg.id, [("start_verification", date(2026, 3, 2)), ("issue_advice", date(2026, 3, 2)),
                              ("mark_overdue", date(2026, 3, 18)), ("confirm_rectified", date(2026, 3, 19))],
          today=date(2026, 3, 19))
    report = [o for o in matters.matter_detail(db, reg.id, date(2026, 3, 25)).obligations
              if o.kind == "escalation_report"][0]
    assert (report.status, report.note) == ("dropped", "逾期后已整改，无需再报告")


def test_overdue_cannot_be_marked_before_the_deadline_has_passed(db: Database, actor: Actor) -> None:
    reg = matters.register_matter(db, actor, _input(db), today=date(2026, 3, 2))
    _walk(db, actor, reg.id, [("start_verification", date(2026, 3, 2)), ("issue_advice", date(2026, 3, 2))],
          today=date(2026, 3, 2))
    with pytest.raises(ValidationError, match="尚未届满"):
        matters.transition_matter(db, actor, reg.id, TransitionInput("mark_overdue", date(2026, 3, 17)),
                                  today=date(2026, 3, 17))


def test_serious_flag_and_refusal_each_start_a_report_from_their_own_date(db: Database, actor: Actor) -> None:
    a = matters.register_matter(db, actor, _input(db), today=date(2026, 9, 28)).id
    _walk(db, actor, a, [("start_verification", date(2026, 9, 28)), ("flag_serious", date(2026, 9, 29))],
          today=date(2026, 9, 29))
    serious = [o for o in matters.matter_detail(db, a, date(2026, 9, 29)).obligations if o.kind == "serious_report"][0]
    # Tue 09-29 → 09-30 (1), National Day 10-01..07 off, 10-08 (2), 10-09 (3)
    assert serious.due == date(2026, 10, 9)
    b = matters.register_matter(db, actor, _input(db, received_on=date(2026, 2, 11)), today=date(2026, 2, 11)).id
    _walk(db, actor, b, [("start_verification", date(2026, 2, 11)), ("issue_advice", date(2026, 2, 11)),
                         ("mark_refused", date(2026, 2, 12))], today=date(2026, 2, 12))
    refusal = [o for o in matters.matter_detail(db, b, date(2026, 2, 12)).obligations if o.kind == "refusal_report"][0]
    assert refusal.due == date(2026, 2, 24)  # Thu 02-12 → 02-13, (Sat 02-14 adjusted working day), 02-24


def test_assistance_request_is_issued_as_a_letter_and_then_awaits_the_bureau_three_working_days(
        db: Database, actor: Actor) -> None:
    reg = matters.register_matter(db, actor, _input(db), today=date(2026, 3, 2)).id
    matters.transition_matter(db, actor, reg, TransitionInput("start_verification", date(2026, 3, 2)), today=date(2026, 3, 6))
    matters.transition_matter(db, actor, reg, TransitionInput("need_assistance", date(2026, 3, 3)), today=date(2026, 3, 6))
    with pytest.raises(TransitionNotAllowed, match="行政执法协作函"):  # a click alone sends nothing
        matters.transition_matter(db, actor, reg, TransitionInput("send_assistance_request", date(2026, 3, 5)),
                                  today=date(2026, 3, 6))
    director = add_director(db)
    issue_document(db, actor, director, director, "assistance_request", reg, date(2026, 3, 5))
    assert matters.matter_detail(db, reg, date(2026, 3, 6)).status == "assisting"
    wait = [o for o in matters.matter_detail(db, reg, date(2026, 3, 6)).obligations if o.kind == "bureau_reply"][0]
    assert (wait.trigger_on, wait.due) == (date(2026, 3, 5), date(2026, 3, 10))  # Thu → Fri, Mon, Tue
    matters.transition_matter(db, actor, reg, TransitionInput("record_assistance_reply", date(2026, 3, 10)),
                              today=date(2026, 3, 10))
    wait = [o for o in matters.matter_detail(db, reg, date(2026, 3, 10)).obligations if o.kind == "bureau_reply"][0]
    assert wait.status == "met_on_time"


def test_reason_required_for_refusal_and_timeline_cannot_run_backwards(db: Database, actor: Actor) -> None:
    reg = matters.register_matter(db, actor, _input(db), today=date(2026, 3, 2)).id
    with pytest.raises(ValidationError, match="理由"):
        matters.transition_matter(db, actor, reg, TransitionInput("close_no_issue", date(2026, 3, 2)), today=date(2026, 3, 2))
    with pytest.raises(ValidationError, match="早于"):
        matters.transition_matter(db, actor, reg, TransitionInput("start_verification", date(2026, 3, 1)),
                                  today=date(2026, 3, 2))
    with pytest.raises(ValidationError, match="晚于今天"):
        matters.transition_matter(db, actor, reg, TransitionInput("start_verification", date(2026, 3, 3)),
                                  today=date(2026, 3, 2))


def test_reopen_is_an_action_and_keeps_history(db: Database, actor: Actor) -> None:
    reg = matters.register_matter(db, actor, _input(db), today=date(2026, 3, 2)).id
    _walk(db, actor, reg, [("close_no_issue", date(2026, 3, 2)), ("reopen", date(2026, 3, 4))], today=date(2026, 3, 4))
    detail = matters.matter_detail(db, reg, date(2026, 3, 4))
    assert detail.status == "verifying"
    assert [e.action_label for e in detail.events] == ["登记", "办结(无问题)", "重新办理"]


def test_deadline_reaching_an_unimported_year_is_provisional(db: Database, actor: Actor) -> None:
    reg = matters.register_matter(db, actor, _input(db, received_on=date(2026, 12, 18)), today=date(2026, 12, 18)).id
    matters.transition_matter(db, actor, reg, TransitionInput("start_verification", date(2026, 12, 18)),
                              today=date(2026, 12, 18))
    alerts = matters.transition_matter(db, actor, reg, TransitionInput("issue_advice", date(2026, 12, 18)),
                                       today=date(2026, 12, 18))
    detail = matters.matter_detail(db, reg, date(2027, 1, 5))
    # 2026-12-18 + 15 = Sat 2027-01-02 → provisional rule: next working day Mon 2027-01-04
    assert detail.rectification_deadline == date(2027, 1, 4)
    assert alerts and "待国务院通知确认" in alerts[0]
    assert all(o.provisional for o in detail.obligations)
    report = [o for o in detail.obligations if o.kind == "escalation_report"][0]
    assert report.provisional and "待国务院通知确认" in report.due_text


def test_report_obligation_is_listed_on_the_matter_only_once_the_deadline_has_passed(db: Database, actor: Actor) -> None:
    reg = matters.register_matter(db, actor, _input(db), today=date(2026, 3, 2))
    _walk(db, actor, reg.id, [("start_verification", date(2026, 3, 2)), ("issue_advice", date(2026, 3, 2))],
          today=date(2026, 3, 2))
    assert [o.kind for o in matters.matter_detail(db, reg.id, date(2026, 3, 17)).obligations] == ["rectification"]
    assert [o.kind for o in matters.matter_detail(db, reg.id, date(2026, 3, 18)).obligations] == [
        "rectification", "escalation_report"]
