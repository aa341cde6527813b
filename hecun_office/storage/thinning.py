"""N-1: automatic backups thinned over time, so that the backup folder stays small but deep.

Kept: every backup of the last 7 days, the newest of each day for 30 days, of each ISO week for 26 weeks, of each
month for 2 years, of each year for ever; and always the newest three. Pure: file names and times in, the files to
delete out — the caller deletes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import datetime, timedelta

KEEP_ALL_DAYS = 7
KEEP_NEWEST = 3

_BUCKETS: list[tuple[timedelta | None, Callable[[datetime], Hashable]]] = [
    (timedelta(days=30), lambda t: t.date()),
    (timedelta(weeks=26), lambda t: t.isocalendar()[:2]),
    (timedelta(days=730), lambda t: (t.year, t.month)),
    (None, lambda t: t.year),
]


def to_delete(backups: Sequence[tuple[str, datetime]], now: datetime) -> list[str]:
    """Names of backups no rule keeps. ``backups``: (name, time taken)."""
    newest_first = sorted(backups, key=lambda b: b[1], reverse=True)
    keep = {name for name, _ in newest_first[:KEEP_NEWEST]}
    keep |= {name for name, at in newest_first if now - at <= timedelta(days=KEEP_ALL_DAYS)}
    for horizon, bucket in _BUCKETS:
        seen: set[Hashable] = set()
        for name, at in newest_first:
            if horizon is not None and now - at > horizon:
                continue
            key = bucket(at)
            if key not in seen:  # the newest backup of this day/week/month/year
                seen.add(key)
                keep.add(name)
    return [name for name, _ in newest_first if name not in keep]
