"""The provisional rule for years with no known arrangement (T-3).

Only what the law itself fixes: weekends plus the statutory holidays of 全国年节及纪念日放假办法 as revised with
effect from 2025-01-01. The State Council's 调休 (weekend days moved to make longer breaks) cannot be predicted, so
none is guessed; a date computed this way is labelled 待国务院通知确认 until the year's notice is imported.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from .lunar import lunar_to_solar
from .model import DayEntry, DaySource
from .qingming import qingming


@cache
def statutory_holidays(year: int) -> dict[date, str]:
    """Statutory rest days of ``year`` (Gregorian), each with its holiday name."""
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    new_year = lunar_to_solar(year, 1, 1)
    # 除夕 is the last day of the twelfth month, which may be the 29th or the 30th: take the eve of 正月初一.
    for offset in range(-1, 3):
        days[new_year + timedelta(days=offset)] = "春节"
    days[qingming(year)] = "清明节"
    days[date(year, 5, 1)] = "劳动节"
    days[date(year, 5, 2)] = "劳动节"
    days[lunar_to_solar(year, 5, 5)] = "端午节"
    days[lunar_to_solar(year, 8, 15)] = "中秋节"
    for day in (1, 2, 3):
        # 中秋 can fall on 1–3 October; the day stays one rest day, named for the bigger holiday.
        days[date(year, 10, day)] = "国庆节"
    return days


def provisional_rule(d: date) -> DayEntry:
    name = statutory_holidays(d.year).get(d)
    if name is not None:
        return DayEntry(day=d, is_workday=False, source=DaySource.PROVISIONAL, note=name)
    return DayEntry(day=d, is_workday=d.weekday() < 5, source=DaySource.PROVISIONAL)
