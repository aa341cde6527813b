"""What an import would change, for the preview the clerk confirms (T-4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from .model import DayEntry
from .workcalendar import WorkCalendar


@dataclass(frozen=True)
class DayChange:
    day: date
    before: DayEntry | None
    after: DayEntry


def diff_entries(current: Mapping[date, DayEntry] | WorkCalendar, new: Iterable[DayEntry]) -> list[DayChange]:
    """Days whose working/rest status would change, or which the current table lacks, sorted by day.

    Against a WorkCalendar every day has a current status (possibly the provisional guess), so the preview shows
    exactly the days that would move deadlines; against a bare table, days it does not hold count as new.
    Only the status matters: a renamed note alone moves no deadline and would only clutter the preview.
    """
    changes: list[DayChange] = []
    for after in new:
        before = current.entry(after.day) if isinstance(current, WorkCalendar) else current.get(after.day)
        if before is None or before.is_workday != after.is_workday:
            changes.append(DayChange(day=after.day, before=before, after=after))
    changes.sort(key=lambda c: c.day)
    return changes
