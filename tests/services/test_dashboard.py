"""T-3..T-6: obligations on the dashboard, calendar warnings, recomputation when a year is imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hecun_office.domain.errors import ValidationError
from hecun_office.domain.permissions import NotPermitted
from hecun_office.services import calendar as cal_service
from hecun_office.services import matters, obligations
from hecun_office.services.audit import Actor
from hecun_office.services.matters import MatterInput, TransitionInput
from hecun_office.storage.uow import Database
from hecun_office.workdays import parse_notice

NOTICE_2027 = (Path(__file__).parents[1] / "workdays" / "data" / "notice_2027_madeup.txt").read_text(encoding="utf-8")


def _matter_with_advice(db: Database, actor: Actor, on: date) -> int:
    unit = matters.list_units(db)[1]
    reg = matters.register_matter(db, actor, MatterInput(received_on=on, source="daily", title="扣押物品清单未交当事人签字",
                                                         category="legality", unit_ids=[unit.id]), today=on).id
    for action in ("start_verification", "issue_advice"):
        matters.transition_matter(db, actor, reg, TransitionInput(action, on), today=on)
    return reg


def test_dashboard_sorts_obligations_into_overdue_today_and_next_five_working_days(db: Database, actor: Actor) -> None:
    _matter_with_advice(db, actor, date(2026, 3, 2))   # deadline 03-17 → report due Fri 03-20
    _matter_with_advice(db, actor, date(2026, 3, 5))   # deadline 03-20 → report due Wed 03-25
    board = obligations.dashboard(db, date(2026, 3, 20))
    today_titles = [r.title for r in board.due_today]
    assert any(r.kind == "escalation_report" and r.due == date(2026, 3, 20) for r in board.due_today), today_titles
    assert any(r.kind == "rectification" and r.due == date(2026, 3, 20) for r in board.due_today)
    # the second matter's report only appears once its deadline has passed
    assert not any(r.kind == "escalation_report" and r.due == date(2026, 3, 25) for r in board.upcoming)
    later = obligations.dashboard(db, date(2026, 3, 23))
    assert any(r.kind == "escalation_report" and r.due == date(2026, 3, 20) for r in later.overdue)
    upcoming = [r for r in later.upcoming if r.kind == "escalation_report"]
    assert [(r.due, r.working_days_left) for r in upcoming] == [(date(2026, 3, 25), 2)]
    assert later.horizon == date(2026, 3, 30)
    # office obligations: the February periodic report was due on the 5th working day of March (Fri 03-06)
    assert any(r.kind == "periodic_report" and r.due == date(2026, 3, 6) for r in later.overdue)


def test_from_15_october_the_dashboard_warns_that_next_year_is_missing(db: Database) -> None:
    assert not any("2027年的节假日安排尚未导入" in w for w in obligations.dashboard(db, date(2026, 10, 14)).warnings)
    assert any("2027年的节假日安排尚未导入" in w for w in obligations.dashboard(db, date(2026, 10, 15)).warnings)


def test_importing_next_years_arrangement_recomputes_provisional_deadlines_and_alerts(
        db: Database, actor: Actor, admin: Actor) -> None:
    reg = _matter_with_advice(db, actor, date(2026, 12, 18))  # deadline provisional 2027-01-04
    before = {o.kind: o for o in matters.matter_detail(db, reg, date(2027, 1, 6)).obligations}
    assert before["escalation_report"].provisional
    # a notice in which Mon 2027-01-04 is part of the New Year holiday moves both dates by one working day
    text = NOTICE_2027.replace("一、元旦：1月1日（周五）至3日（周日）放假，共3天。", "一、元旦：1月1日（周五）至4日（周一）放假，共4天。")
    arrangement = parse_notice(text)
    preview = cal_service.preview_arrangement(db, arrangement)
    assert preview and all(ch.day.year in (2026, 2027) for ch in preview)
    alerts = cal_service.import_arrangement(db, admin, arrangement)
    detail = matters.matter_detail(db, reg, date(2027, 1, 6))
    after = {o.kind: o for o in detail.obligations}
    assert before["rectification"].due == date(2027, 1, 4) and before["escalation_report"].due == date(2027, 1, 7)
    assert detail.rectification_deadline == after["rectification"].due == date(2027, 1, 5)
    assert after["escalation_report"].due == date(2027, 1, 8)
    assert not after["escalation_report"].provisional
    assert after["escalation_report"].previous_due == date(2027, 1, 7)
    assert any("2027-01-07" in a and "2027-01-08" in a for a in alerts)
    board = obligations.dashboard(db, date(2027, 1, 5))
    assert not any("2027年的节假日安排尚未导入" in w for w in board.warnings)
    assert any("期限已调整" in w for w in board.warnings)


def test_manual_override_needs_a_reason_and_changes_deadlines(db: Database, actor: Actor, admin: Actor) -> None:
    with pytest.raises(NotPermitted, match="管理员"):  # the clerk may not change the calendar (U-6)
        cal_service.override_day(db, actor, date(2026, 3, 9), False, "江山市防台风停工通知")
    with pytest.raises(ValidationError, match="原因"):
        cal_service.override_day(db, admin, date(2026, 3, 9), False, " ")
    cal_service.override_day(db, admin, date(2026, 3, 9), False, "江山市防台风停工通知")
    with db.uow() as session:
        cal = cal_service.load_calendar(session)
        assert not cal.is_workday(date(2026, 3, 9))
        assert cal.add_working_days(date(2026, 3, 6), 3).due == date(2026, 3, 12)
        cov = {c.year: c for c in cal_service.coverage(session)}
    assert cov[2026].overrides == 1


def test_periodic_report_marked_met_counts_on_time(db: Database, actor: Actor) -> None:
    board = obligations.dashboard(db, date(2026, 2, 3))
    jan = [r for r in board.upcoming + board.due_today if r.kind == "periodic_report"][0]
    assert jan.due == date(2026, 2, 6)
    obligations.complete_office_obligation(db, actor, jan.id, date(2026, 2, 5), "已报送")
    rows = {r.id: r for r in obligations.obligation_rows(db, date(2026, 2, 10), include_closed=True)}
    assert rows[jan.id].status_label == "按时完成"


def test_the_provisional_warning_names_the_time_limits_it_means(db: Database, actor: Actor) -> None:
    """Issue 11 item 15: "some time limit lies in an unconfirmed year" must say which, or nobody can find it."""
    day = date(2026, 12, 21)  # the advice's 15 days run into 2027, whose holidays are not published yet
    matter_id = _matter_with_advice(db, actor, day)
    board = obligations.dashboard(db, day)
    [warning] = [w for w in board.warnings if "尚未确认的年份" in w]
    reg_no = matters.matter_detail(db, matter_id, day).reg_no
    assert reg_no in warning and "2027-" in warning, warning


def test_the_matter_list_marks_a_provisional_rectification_deadline(db: Database, actor: Actor) -> None:
    from hecun_office.services.search import MatterFilter, list_matters

    day = date(2026, 12, 21)
    late = _matter_with_advice(db, actor, day)  # deadline in 2027: not yet confirmed
    early = _matter_with_advice(db, actor, date(2026, 3, 2))  # deadline in 2026: confirmed
    rows = {r.id: r for r in list_matters(db, MatterFilter(), limit=10, today=day)}
    assert rows[late].rectification_deadline is not None and rows[late].rectification_deadline.year == 2027
    assert rows[late].deadline_provisional and not rows[early].deadline_provisional
