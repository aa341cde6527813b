"""Working-day calendar and deadline arithmetic (SPEC §4, T-1 … T-4).

Pure: data in, dates out. Imports only the standard library, ``chinese_calendar`` and ``lunardate`` — nothing
else of hecun_office, no Qt, no database — so every deadline rule is testable on its own.
"""

from .diff import DayChange, diff_entries
from .library import YearNotCovered, library_entries, library_version, library_years
from .model import (
    ADJUSTED_WORKDAY_NOTE,
    PROVISIONAL_LABEL,
    WEEKDAY_NAMES,
    DayEntry,
    DaySource,
    Deadline,
    weekday_name,
)
from .notice import (
    STATUTORY_HOLIDAYS,
    Arrangement,
    HolidaySpan,
    NoticeParseError,
    arrangement_entries,
    parse_notice,
)
from .provisional import provisional_rule, statutory_holidays
from .qingming import qingming
from .workcalendar import WorkCalendar

__all__ = [
    "ADJUSTED_WORKDAY_NOTE",
    "PROVISIONAL_LABEL",
    "STATUTORY_HOLIDAYS",
    "WEEKDAY_NAMES",
    "Arrangement",
    "DayChange",
    "DayEntry",
    "DaySource",
    "Deadline",
    "HolidaySpan",
    "NoticeParseError",
    "WorkCalendar",
    "YearNotCovered",
    "arrangement_entries",
    "diff_entries",
    "library_entries",
    "library_version",
    "library_years",
    "parse_notice",
    "provisional_rule",
    "qingming",
    "statutory_holidays",
    "weekday_name",
]
