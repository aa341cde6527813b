"""The chinese-calendar seed (T-1) and the provisional rule for uncovered years (T-3)."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar  # type: ignore[import-untyped,unused-ignore]
import pytest
from lunardate import LunarDate  # type: ignore[import-untyped,unused-ignore]

from hecun_office.workdays import (
    DayEntry,
    DaySource,
    YearNotCovered,
    library_entries,
    library_version,
    library_years,
    provisional_rule,
    qingming,
    weekday_name,
)

D = date


def test_library_years_are_probed() -> None:
    years = library_years()
    assert years.start == 2004 and 2026 in years
    for year in years:
        chinese_calendar.is_workday(D(year, 6, 1))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(years.stop, 6, 1))


def test_library_version() -> None:
    assert library_version() == f"chinese-calendar {chinese_calendar.__version__}"


def test_library_entries_2026() -> None:
    entries = library_entries(2026)
    assert len(entries) == 365 and entries[0].day == D(2026, 1, 1) and entries[-1].day == D(2026, 12, 31)
    by_day = {e.day: e for e in entries}
    assert by_day[D(2026, 2, 14)] == DayEntry(D(2026, 2, 14), True, DaySource.LIBRARY, "调休上班")
    assert by_day[D(2026, 2, 17)] == DayEntry(D(2026, 2, 17), False, DaySource.LIBRARY, "春节")
    assert by_day[D(2026, 10, 7)] == DayEntry(D(2026, 10, 7), False, DaySource.LIBRARY, "国庆节")
    assert by_day[D(2026, 3, 7)] == DayEntry(D(2026, 3, 7), False, DaySource.LIBRARY, "")
    assert by_day[D(2026, 3, 9)] == DayEntry(D(2026, 3, 9), True, DaySource.LIBRARY, "")


def test_library_names_mid_autumn_inside_national_day() -> None:
    by_day = {e.day: e for e in library_entries(2025)}
    assert by_day[D(2025, 10, 6)].note == "中秋节"


@pytest.mark.parametrize("year", [2003, 2027])
def test_uncovered_year_raises(year: int) -> None:
    with pytest.raises(YearNotCovered, match=f"没有 {year} 年") as info:
        library_entries(year)
    assert isinstance(info.value, ValueError) and info.value.year == year


@pytest.mark.parametrize("year", range(2004, 2027))
def test_qingming_matches_chinese_calendar(year: int) -> None:
    terms = chinese_calendar.get_solar_terms(D(year, 4, 1), D(year, 4, 30))
    assert qingming(year) == next(day for day, name in terms if name == "清明")


# 清明 (Beijing time) for the first provisional years, as almanacs list them; chinese_calendar's empirical 寿星
# formula (a different method from ours) is checked to agree as well.
QINGMING_LATER = {
    2027: D(2027, 4, 5),
    2028: D(2028, 4, 4),
    2029: D(2029, 4, 4),
    2030: D(2030, 4, 5),
    2031: D(2031, 4, 5),
    2032: D(2032, 4, 4),
    2033: D(2033, 4, 4),
    2034: D(2034, 4, 5),
    2035: D(2035, 4, 5),
}


@pytest.mark.parametrize(("year", "expected"), QINGMING_LATER.items())
def test_qingming_later_years(year: int, expected: date) -> None:
    assert qingming(year) == expected
    terms = chinese_calendar.get_solar_terms(D(year, 4, 1), D(year, 4, 30))
    assert expected == next(day for day, name in terms if name == "清明")


def test_2027_spring_festival_from_lunardate() -> None:
    # 正月初一 of lunar 2027 is Sat 2027-02-06; lunar 2026's twelfth month has 29 days, so 除夕 is 腊月廿九, 2/5.
    assert LunarDate.from_solar_date(2027, 2, 6) == LunarDate(2027, 1, 1)
    assert LunarDate.from_solar_date(2027, 2, 5) == LunarDate(2026, 12, 29)
    with pytest.raises(ValueError):
        LunarDate(2026, 12, 30).to_solar_date()


PROVISIONAL_REST = {
    D(2027, 1, 1): "元旦",
    D(2027, 2, 5): "春节",  # 除夕
    D(2027, 2, 6): "春节",
    D(2027, 2, 7): "春节",
    D(2027, 2, 8): "春节",  # 初三, a Monday
    D(2027, 4, 5): "清明节",
    D(2027, 5, 1): "劳动节",
    D(2027, 5, 2): "劳动节",
    D(2027, 6, 9): "端午节",  # 五月初五
    D(2027, 9, 15): "中秋节",  # 八月十五
    D(2027, 10, 1): "国庆节",
    D(2027, 10, 2): "国庆节",
    D(2027, 10, 3): "国庆节",
}


@pytest.mark.parametrize(("day", "name"), PROVISIONAL_REST.items())
def test_provisional_rule_rest_days(day: date, name: str) -> None:
    assert provisional_rule(day) == DayEntry(day, False, DaySource.PROVISIONAL, name)


def test_provisional_rule_guesses_no_adjusted_days() -> None:
    rest = {d for d in PROVISIONAL_REST}
    day = D(2027, 1, 1)
    while day.year == 2027:
        entry = provisional_rule(day)
        assert entry.source is DaySource.PROVISIONAL
        assert entry.is_workday == (day.weekday() < 5 and day not in rest), day
        day += timedelta(days=1)


def test_weekday_name() -> None:
    assert weekday_name(D(2026, 3, 11)) == "星期三"
    assert weekday_name(D(2026, 2, 15)) == "星期日"
