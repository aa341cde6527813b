"""The working-day calendar and deadline arithmetic (T-1, T-2, T-3)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta

from .model import DayEntry, DaySource, Deadline, ordinary_entry
from .provisional import provisional_rule

_ONE_DAY = timedelta(days=1)


class WorkCalendar:
    """Answers "is this a working day" from the caller's merged calendar table.

    ``entries`` is the table as stored (library seed, imported notices and manual overrides already merged);
    ``covered_years`` are the years whose arrangement is known. In a covered year a day missing from the table
    is an ordinary day; in an uncovered year a table entry (typically a manual override) still wins, and every
    other day falls back to the provisional rule.
    """

    def __init__(self, entries: Mapping[date, DayEntry], covered_years: Iterable[int]) -> None:
        for key, value in entries.items():
            if key != value.day:
                raise ValueError(f"日历表数据不一致：键 {key} 对应的条目日期是 {value.day}。")
        self._entries = dict(entries)
        self._covered = frozenset(covered_years)
        self._year_source = _year_sources(self._entries.values())

    @property
    def covered_years(self) -> frozenset[int]:
        return self._covered

    def entry(self, d: date) -> DayEntry:
        found = self._entries.get(d)
        if found is not None:
            return found
        if d.year in self._covered:
            # An ordinary day of a known year carries the source the rest of that year came from.
            return ordinary_entry(d, self._year_source.get(d.year, DaySource.LIBRARY))
        return provisional_rule(d)

    def is_workday(self, d: date) -> bool:
        return self.entry(d).is_workday

    def is_provisional(self, d: date) -> bool:
        """True when the day's status is only the provisional guess (an override in an uncovered year is not)."""
        return self.entry(d).source is DaySource.PROVISIONAL

    def add_working_days(self, trigger: date, n: int) -> Deadline:
        """The n-th working day after ``trigger`` (T-2); the trigger day never counts, whatever it is."""
        if n < 1:
            raise ValueError(f"工作日数必须至少为 1，收到 {n}。")
        examined: list[date] = []
        remaining = n
        day = trigger
        while remaining:
            day += _ONE_DAY
            examined.append(day)
            if self.is_workday(day):
                remaining -= 1
        return self._deadline(day, examined)

    def period_end(self, start: date, days: int) -> Deadline:
        """End of a calendar-day period: ``start + days``, moved forward to the next working day if it is a rest day.

        Only the last day and the days it is moved over depend on the calendar, so only those can make the
        result provisional.
        """
        if days < 0:
            raise ValueError(f"期间天数不能为负数，收到 {days}。")
        day = start + timedelta(days=days)
        examined = [day]
        while not self.is_workday(day):
            day += _ONE_DAY
            examined.append(day)
        return self._deadline(day, examined)

    def working_days_left(self, today: date, due: date) -> int:
        """Working days in (today, due]; when overdue, minus the working days in (due, today].

        An overdue date with no working day in between still gives 0: callers decide "overdue" by ``due < today``.
        """
        if due >= today:
            return sum(1 for d in _days_after(today, due) if self.is_workday(d))
        return -sum(1 for d in _days_after(due, today) if self.is_workday(d))

    def _deadline(self, due: date, examined: Iterable[date]) -> Deadline:
        uncovered = tuple(sorted({d.year for d in examined} - self._covered))
        return Deadline(due=due, provisional=bool(uncovered), uncovered_years=uncovered)


def _days_after(start: date, end: date) -> Iterator[date]:
    """The days in (start, end]."""
    day = start + _ONE_DAY
    while day <= end:
        yield day
        day += _ONE_DAY


def _year_sources(entries: Iterable[DayEntry]) -> dict[int, DaySource]:
    # A year that has any notice entry was imported from a notice; otherwise it came from the library seed.
    sources: dict[int, DaySource] = {}
    for e in entries:
        if e.source is DaySource.NOTICE:
            sources[e.day.year] = DaySource.NOTICE
        elif e.source is DaySource.LIBRARY:
            sources.setdefault(e.day.year, DaySource.LIBRARY)
    return sources
