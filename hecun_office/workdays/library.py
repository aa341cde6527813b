"""Seed data from the ``chinese-calendar`` package (T-1).

The package holds the State Council arrangements it knows (2004–2026 in 1.11) and raises
``NotImplementedError`` for any other year; that is how we find its range instead of hard-coding it, so a newer
release of the package extends the covered years without a code change.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import cache
from importlib import metadata

import chinese_calendar  # type: ignore[import-untyped,unused-ignore]

from .model import ADJUSTED_WORKDAY_NOTE, DayEntry, DaySource

# chinese-calendar names holidays in English; the clerk reads Chinese.
_HOLIDAY_NAMES_ZH: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# Wide enough to contain any plausible package range; probing a year costs one dictionary lookup.
_PROBE_FIRST, _PROBE_LAST = 1949, 2200


class YearNotCovered(ValueError):
    def __init__(self, year: int) -> None:
        super().__init__(
            f"chinese-calendar 没有 {year} 年的节假日安排数据，请导入国务院办公厅关于 {year} 年部分节假日安排的通知。"
        )
        self.year = year


def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.get_holiday_detail(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@cache
def library_years() -> range:
    """Years the installed chinese-calendar covers, found by probing it."""
    known = [y for y in range(_PROBE_FIRST, _PROBE_LAST + 1) if _library_knows(y)]
    if not known:
        return range(0)
    return range(known[0], known[-1] + 1)


def library_version() -> str:
    try:
        version = metadata.version("chinesecalendar")
    except metadata.PackageNotFoundError:
        version = str(getattr(chinese_calendar, "__version__", "unknown"))
    return f"chinese-calendar {version}"


def _zh_name(english: str | None) -> str:
    if english is None:
        return ""
    return _HOLIDAY_NAMES_ZH.get(english, "节假日")


def _library_entry(d: date) -> DayEntry:
    is_rest, name = chinese_calendar.get_holiday_detail(d)
    is_workday = not bool(is_rest)
    if is_workday and d.weekday() >= 5:
        note = ADJUSTED_WORKDAY_NOTE
    elif not is_workday:
        note = _zh_name(name)
    else:
        note = ""
    return DayEntry(day=d, is_workday=is_workday, source=DaySource.LIBRARY, note=note)


def library_entries(year: int) -> list[DayEntry]:
    """Every day of ``year`` as the package has it; raises YearNotCovered outside its range."""
    if year not in library_years():
        raise YearNotCovered(year)
    first = date(year, 1, 1)
    days = 366 if calendar.isleap(year) else 365
    return [_library_entry(first + timedelta(days=i)) for i in range(days)]
