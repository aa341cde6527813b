"""Plain value types shared by every part of the working-day calendar (T-1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# Shown next to every date that rests on the provisional rule (T-3), so the clerk knows it may still move.
PROVISIONAL_LABEL = "待国务院通知确认"

WEEKDAY_NAMES: tuple[str, ...] = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# Note carried by weekend days that a notice turns into working days.
ADJUSTED_WORKDAY_NOTE = "调休上班"


def weekday_name(d: date) -> str:
    return WEEKDAY_NAMES[d.weekday()]


class DaySource(StrEnum):
    """Where a day's working/rest status came from; stored in the calendar table, so values never change."""

    LIBRARY = "library"
    NOTICE = "notice"
    OVERRIDE = "override"
    PROVISIONAL = "provisional"


@dataclass(frozen=True)
class DayEntry:
    day: date
    is_workday: bool
    source: DaySource
    note: str = ""


@dataclass(frozen=True)
class Deadline:
    """Result of a deadline computation.

    ``provisional`` is true when any day the computation had to look at lies in a year whose arrangement is not
    known yet; the due date may then move once that year's notice is imported.
    """

    due: date
    provisional: bool
    uncovered_years: tuple[int, ...] = ()

    @property
    def weekday(self) -> str:
        return weekday_name(self.due)

    def label(self) -> str:
        """Text for screens and documents, e.g. ``2027-01-05 星期二（待国务院通知确认）``."""
        text = f"{self.due.isoformat()} {self.weekday}"
        return f"{text}（{PROVISIONAL_LABEL}）" if self.provisional else text


def ordinary_entry(d: date, source: DaySource) -> DayEntry:
    """A day no arrangement mentions: Monday to Friday work, weekends rest."""
    return DayEntry(day=d, is_workday=d.weekday() < 5, source=source)
