"""Typed wrapper around ``lunardate`` for the three lunar holidays of the provisional rule (T-3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from lunardate import LunarDate  # type: ignore[import-untyped,unused-ignore]

# lunardate's own table; outside it we cannot place 春节/端午/中秋 at all.
LUNAR_YEARS = range(1900, 2100)


def _to_solar(lunar: Any) -> date:
    # 0.3 renamed the camelCase methods and deprecates the old ones (a warning is an error in our tests);
    # older releases only have the camelCase name.
    convert = getattr(lunar, "to_solar_date", None) or lunar.toSolarDate
    result = convert()
    assert isinstance(result, date)
    return result


def lunar_to_solar(lunar_year: int, month: int, day: int) -> date:
    """Gregorian date of a day in an ordinary (non-leap) lunar month."""
    if lunar_year not in LUNAR_YEARS:
        raise ValueError(f"农历换算只支持 {LUNAR_YEARS.start}–{LUNAR_YEARS.stop - 1} 年，无法推算 {lunar_year} 年的农历节日。")
    return _to_solar(LunarDate(lunar_year, month, day))
