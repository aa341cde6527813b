"""Read-only queries the desktop UI needs beyond the use-case services (status bar, settings page).

Plain data out, one short unit of work each, no Qt (STYLE.md habit 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..storage.uow import Database
from ..workdays import DayEntry
from .calendar import YearCoverage, coverage, load_calendar


def calendar_coverage(db: Database) -> list[YearCoverage]:
    with db.uow() as session:
        return coverage(session)


@dataclass(frozen=True)
class CoverageSummary:
    years: tuple[int, ...]  # years with a confirmed arrangement (library or imported notice)
    today_year: int

    @property
    def first(self) -> int | None:
        return self.years[0] if self.years else None

    @property
    def last(self) -> int | None:
        return self.years[-1] if self.years else None

    @property
    def gaps(self) -> tuple[int, ...]:
        if not self.years:
            return ()
        have = set(self.years)
        return tuple(y for y in range(self.years[0], self.years[-1] + 1) if y not in have)

    @property
    def today_covered(self) -> bool:
        return self.today_year in self.years


def coverage_summary(db: Database, today: date) -> CoverageSummary:
    return CoverageSummary(tuple(c.year for c in calendar_coverage(db)), today.year)


def day_entry(db: Database, day: date) -> DayEntry:
    """How the calendar currently treats ``day`` (its source says whether it is confirmed)."""
    with db.uow() as session:
        return load_calendar(session).entry(day)


