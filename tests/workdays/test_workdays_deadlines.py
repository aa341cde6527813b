"""Deadline arithmetic (T-2, T-3). Every expected date was worked out by hand from the published arrangements
(2026 notice: 元旦 1/1–1/3, 上班 1/4; 春节 2/15–2/23, 上班 2/14 and 2/28; 中秋 9/25–9/27; 国庆 10/1–10/7, 上班 9/20
and 10/10) and, for 2027, from the statutory holidays alone (元旦 1/1 Fri; 春节 除夕 2/5 Fri to 初三 2/8 Mon)."""

from __future__ import annotations

from datetime import date

import pytest

from hecun_office.workdays import DayEntry, DaySource, Deadline, WorkCalendar

D = date

ADD_CASES = [
    # trigger, n, due, uncovered years
    pytest.param(D(2026, 3, 6), 3, D(2026, 3, 11), (), id="spec: Fri over a weekend"),
    pytest.param(D(2026, 2, 12), 3, D(2026, 2, 24), (), id="spec: Thu, Sat 2/14 works, then 春节"),
    pytest.param(D(2026, 2, 15), 3, D(2026, 2, 26), (), id="trigger inside 春节"),
    pytest.param(D(2026, 3, 9), 1, D(2026, 3, 10), (), id="working trigger never counts"),
    pytest.param(D(2026, 1, 3), 1, D(2026, 1, 4), (), id="reaches adjusted Sun 1/4"),
    pytest.param(D(2026, 1, 4), 1, D(2026, 1, 5), (), id="trigger adjusted Sun 1/4"),
    pytest.param(D(2026, 1, 4), 3, D(2026, 1, 7), (), id="trigger adjusted Sun 1/4 +3"),
    pytest.param(D(2026, 2, 13), 1, D(2026, 2, 14), (), id="reaches adjusted Sat 2/14"),
    pytest.param(D(2026, 2, 14), 1, D(2026, 2, 24), (), id="trigger adjusted Sat 2/14"),
    pytest.param(D(2026, 2, 14), 3, D(2026, 2, 26), (), id="trigger adjusted Sat 2/14 +3"),
    pytest.param(D(2026, 2, 27), 1, D(2026, 2, 28), (), id="reaches adjusted Sat 2/28"),
    pytest.param(D(2026, 2, 28), 1, D(2026, 3, 2), (), id="trigger adjusted Sat 2/28"),
    pytest.param(D(2026, 5, 8), 1, D(2026, 5, 9), (), id="reaches adjusted Sat 5/9"),
    pytest.param(D(2026, 9, 19), 1, D(2026, 9, 20), (), id="reaches adjusted Sun 9/20"),
    pytest.param(D(2026, 9, 20), 3, D(2026, 9, 23), (), id="trigger adjusted Sun 9/20"),
    pytest.param(D(2026, 9, 24), 3, D(2026, 9, 30), (), id="over 中秋 2026"),
    pytest.param(D(2026, 9, 30), 3, D(2026, 10, 10), (), id="over 国庆, ends on adjusted Sat 10/10"),
    pytest.param(D(2026, 10, 9), 1, D(2026, 10, 10), (), id="reaches adjusted Sat 10/10"),
    pytest.param(D(2026, 10, 10), 1, D(2026, 10, 12), (), id="trigger adjusted Sat 10/10"),
    pytest.param(D(2026, 12, 29), 2, D(2026, 12, 31), (), id="stops before 2027: not provisional"),
    pytest.param(D(2026, 12, 30), 3, D(2027, 1, 5), (2027,), id="into 2027 over 元旦"),
    pytest.param(D(2026, 12, 31), 1, D(2027, 1, 4), (2027,), id="12/31 trigger, 2027 provisional"),
    pytest.param(D(2027, 2, 4), 1, D(2027, 2, 9), (2027,), id="2027 春节 除夕 to 初三"),
    pytest.param(D(2027, 2, 4), 2, D(2027, 2, 10), (2027,), id="2027 春节 +2"),
    pytest.param(D(2027, 9, 30), 1, D(2027, 10, 4), (2027,), id="2027 国庆 no 调休 guessed"),
]


@pytest.mark.parametrize(("trigger", "n", "due", "uncovered"), ADD_CASES)
def test_add_working_days(cal: WorkCalendar, trigger: date, n: int, due: date, uncovered: tuple[int, ...]) -> None:
    assert cal.add_working_days(trigger, n) == Deadline(due=due, provisional=bool(uncovered), uncovered_years=uncovered)


@pytest.mark.parametrize("n", [0, -1])
def test_add_working_days_needs_positive_n(cal: WorkCalendar, n: int) -> None:
    with pytest.raises(ValueError, match="至少为 1"):
        cal.add_working_days(D(2026, 3, 6), n)


PERIOD_CASES = [
    # start, days, due, uncovered years
    pytest.param(D(2026, 9, 16), 15, D(2026, 10, 8), (), id="ends 10/1, moved past 国庆"),
    pytest.param(D(2026, 3, 6), 15, D(2026, 3, 23), (), id="ends Sat 3/21, moved to Mon"),
    pytest.param(D(2026, 3, 1), 15, D(2026, 3, 16), (), id="ends on a working day"),
    pytest.param(D(2026, 2, 13), 15, D(2026, 2, 28), (), id="ends on adjusted Sat 2/28, stays"),
    pytest.param(D(2026, 9, 25), 15, D(2026, 10, 10), (), id="ends Sat 10/10 (adjusted), stays"),
    pytest.param(D(2026, 12, 16), 15, D(2026, 12, 31), (), id="ends 12/31, not provisional"),
    pytest.param(D(2026, 12, 17), 15, D(2027, 1, 4), (2027,), id="ends on 元旦 2027, provisional"),
]


@pytest.mark.parametrize(("start", "days", "due", "uncovered"), PERIOD_CASES)
def test_period_end(cal: WorkCalendar, start: date, days: int, due: date, uncovered: tuple[int, ...]) -> None:
    assert cal.period_end(start, days) == Deadline(due=due, provisional=bool(uncovered), uncovered_years=uncovered)


LEFT_CASES = [
    pytest.param(D(2026, 2, 12), D(2026, 2, 24), 3, id="13th, adjusted 14th, 24th"),
    pytest.param(D(2026, 3, 6), D(2026, 3, 6), 0, id="due today"),
    pytest.param(D(2026, 3, 6), D(2026, 3, 9), 1, id="over a weekend"),
    pytest.param(D(2026, 2, 26), D(2026, 2, 24), -2, id="overdue two working days"),
    pytest.param(D(2026, 2, 16), D(2026, 2, 13), -1, id="overdue over 春节: only 2/14 works"),
    pytest.param(D(2026, 3, 8), D(2026, 3, 6), 0, id="overdue by a weekend only"),
    pytest.param(D(2026, 12, 31), D(2027, 1, 5), 2, id="into provisional 2027"),
]


@pytest.mark.parametrize(("today", "due", "left"), LEFT_CASES)
def test_working_days_left(cal: WorkCalendar, today: date, due: date, left: int) -> None:
    assert cal.working_days_left(today, due) == left


def test_entries_of_covered_and_uncovered_years(cal: WorkCalendar) -> None:
    assert cal.entry(D(2026, 2, 14)) == DayEntry(D(2026, 2, 14), True, DaySource.LIBRARY, "调休上班")
    assert cal.entry(D(2027, 1, 1)) == DayEntry(D(2027, 1, 1), False, DaySource.PROVISIONAL, "元旦")
    assert not cal.is_provisional(D(2026, 12, 31))
    assert cal.is_provisional(D(2027, 3, 1))
    assert 2026 in cal.covered_years and 2027 not in cal.covered_years


def test_missing_days_of_covered_year_are_ordinary() -> None:
    cal = WorkCalendar({}, [2026])
    assert cal.is_workday(D(2026, 1, 1))  # no entry: an ordinary Thursday
    assert not cal.is_workday(D(2026, 1, 4))  # no entry: an ordinary Sunday
    assert not cal.is_provisional(D(2026, 1, 1))


def test_override_in_uncovered_year_beats_provisional_rule(library_table: dict[date, DayEntry]) -> None:
    overrides = {
        D(2027, 1, 4): DayEntry(D(2027, 1, 4), False, DaySource.OVERRIDE, "县政府通知停止办公"),
        D(2027, 1, 2): DayEntry(D(2027, 1, 2), True, DaySource.OVERRIDE, "调休上班"),
    }
    cal = WorkCalendar({**library_table, **overrides}, range(2004, 2027))
    assert cal.entry(D(2027, 1, 4)).source is DaySource.OVERRIDE
    assert not cal.is_provisional(D(2027, 1, 4))
    # 12/31 is day 1, Sat 1/2 works by override (day 2), Mon 1/4 is off by override, Tue 1/5 is day 3.
    assert cal.add_working_days(D(2026, 12, 30), 3) == Deadline(D(2027, 1, 5), True, (2027,))
    assert cal.add_working_days(D(2026, 12, 31), 1) == Deadline(D(2027, 1, 2), True, (2027,))
    assert cal.add_working_days(D(2026, 12, 31), 2) == Deadline(D(2027, 1, 5), True, (2027,))


def test_entry_key_must_match_its_day() -> None:
    with pytest.raises(ValueError):
        WorkCalendar({D(2026, 1, 1): DayEntry(D(2026, 1, 2), True, DaySource.OVERRIDE)}, [2026])


def test_deadline_label() -> None:
    assert Deadline(D(2027, 1, 5), True, (2027,)).label() == "2027-01-05 星期二（待国务院通知确认）"
    assert Deadline(D(2026, 3, 11), False).label() == "2026-03-11 星期三"
