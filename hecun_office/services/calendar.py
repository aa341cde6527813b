"""T-1, T-3, T-4: the working-day calendar table and what changes it."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..domain.errors import ValidationError
from ..domain.permissions import Permission, require
from ..files import read_limited
from ..storage.models import CalendarDay, CalendarYear, NumberSequence
from ..storage.uow import Database
from ..workdays import (
    Arrangement,
    DayChange,
    DayEntry,
    DaySource,
    WorkCalendar,
    arrangement_entries,
    diff_entries,
    library_entries,
    library_version,
    library_years,
)
from . import audit
from .audit import Actor


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def seed_library(session: Session, years: range | None = None) -> int:
    """Fill years that have no arrangement yet from chinese-calendar. Never overwrites imports or overrides."""
    have = set(session.scalars(select(CalendarYear.year)))
    now = _now()
    added = 0
    for year in years or library_years():
        if year in have:
            continue
        overridden = set(session.scalars(select(CalendarDay.day).where(
            CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))))
        session.add_all(
            CalendarDay(day=e.day, is_workday=e.is_workday, source=DaySource.LIBRARY.value, note=e.note,
                        changed_at=now)
            for e in library_entries(year) if e.day not in overridden
        )
        session.add(CalendarYear(year=year, source=DaySource.LIBRARY.value, detail=library_version(),
                                 imported_at=now))
        added += 1
    if added:
        _bump_revision(session)
    return added


_cache: dict[str, tuple[int, WorkCalendar]] = {}
_REVISION = ("calendar_revision", 0)  # a NumberSequence row bumped by every calendar write


def _bump_revision(session: Session) -> None:
    row = session.get(NumberSequence, _REVISION)
    if row is None:
        session.add(NumberSequence(series=_REVISION[0], year=_REVISION[1], last=1))
    else:
        row.last += 1
    session.flush()


def load_calendar(session: Session) -> WorkCalendar:
    """The merged calendar table; cached per database until any writer bumps the calendar revision."""
    revision = session.scalar(select(NumberSequence.last).where(
        NumberSequence.series == _REVISION[0], NumberSequence.year == _REVISION[1])) or 0
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    cached = _cache.get(key)
    if cached is not None and cached[0] == revision:
        return cached[1]
    entries = {
        row.day: DayEntry(row.day, row.is_workday, DaySource(row.source), row.note)
        for row in session.execute(select(CalendarDay.day, CalendarDay.is_workday, CalendarDay.source,
                                          CalendarDay.note))
    }
    cal = WorkCalendar(entries, session.scalars(select(CalendarYear.year)))
    _cache[key] = (revision, cal)
    return cal


def calendar_label(cal: WorkCalendar, uncovered: tuple[int, ...] = ()) -> str:
    """A short description of where the calendar comes from, for T-7's "calendar" field."""
    years = sorted(cal.covered_years)
    text = f"已确认 {years[0]}–{years[-1]} 年" if years else "无已确认年份"
    if uncovered:
        text += f"；{'、'.join(map(str, uncovered))}年安排未导入，按法定节假日推算，待国务院通知确认"
    return text


@dataclass(frozen=True)
class YearCoverage:
    year: int
    source: str
    detail: str
    imported_at: datetime
    overrides: int


def coverage(session: Session) -> list[YearCoverage]:
    overrides: dict[int, int] = {}
    for day in session.scalars(select(CalendarDay.day).where(CalendarDay.source == DaySource.OVERRIDE.value)):
        overrides[day.year] = overrides.get(day.year, 0) + 1
    return [YearCoverage(y.year, y.source, y.detail, y.imported_at, overrides.get(y.year, 0))
            for y in session.scalars(select(CalendarYear).order_by(CalendarYear.year))]


def missing_next_year(session: Session, today: date) -> int | None:
    """From 15 October on, next year's arrangement should be there (T-3)."""
    if (today.month, today.day) < (10, 15):
        return None
    nxt = today.year + 1
    return None if session.get(CalendarYear, nxt) else nxt


def override_day(db: Database, actor: Actor, day: date, is_workday: bool, reason: str,
                 today: date | None = None) -> None:
    """A manual correction of one day, with who and why (T-1)."""
    require(actor.role, Permission.SETTINGS_MANAGE)
    if not reason.strip():
        raise ValidationError("请填写修改原因（例如当地政府的调休通知文号）。", "reason")
    with db.uow() as session:
        row = session.get(CalendarDay, day)
        before = None if row is None else row.is_workday
        if row is None:
            row = CalendarDay(day=day)
            session.add(row)
        row.is_workday = is_workday
        row.source = DaySource.OVERRIDE.value
        row.note = "人工调整为工作日" if is_workday else "人工调整为休息日"
        row.changed_by = actor.name
        row.reason = reason.strip()
        row.changed_at = _now()
        audit.append(session, actor, "calendar.override", "calendar_day", day.isoformat(),
                     {"before": before, "after": is_workday, "reason": reason.strip()})
        _bump_revision(session)
        from .obligations import refresh_all

        refresh_all(session, actor, today)


NOTICE_FILE_LIMIT = 1 << 20  # a State Council notice is 3–5 KB of text; 1 MB is a wrong file, not a long notice
# Tab, line feed, vertical tab, form feed and carriage return are text; any other control character (a NUL above
# all) is not, and GB18030 would otherwise "decode" most binary files into nonsense characters.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SAVE_AS_TEXT = ("请在 WPS 或记事本中打开通知，另存为纯文本文件（.txt，UTF-8 编码）后重试；"
                 "也可以把通知全文复制后粘贴到“导入节假日安排”窗口。")


def read_notice_file(path: Path) -> str:
    """The text of a saved notice: UTF-8 (with or without BOM), UTF-16 with BOM (Notepad's "Unicode") or
    GB18030/GBK (WPS and older Windows). At most NOTICE_FILE_LIMIT bytes are read.

    Raises ValidationError (empty, too large, not a text file, unknown encoding) or EnvironmentProblem (missing,
    locked, unreadable)."""
    data = read_limited(path, NOTICE_FILE_LIMIT)
    text = _decode_notice(data)
    # Undecoded, the bytes are looked at one by one (latin-1 maps each byte to the character of the same number).
    if _NOT_TEXT.search(data.decode("latin-1") if text is None else text):
        raise ValidationError(f"文件“{path.name}”不是文本文件（可能是 Word/WPS 文档、PDF 或图片）。{_SAVE_AS_TEXT}")
    if text is None:
        raise ValidationError(f"无法识别文件“{path.name}”的文字编码（既不是 UTF-8，也不是 GBK/GB18030）。{_SAVE_AS_TEXT}")
    if not text.strip():
        raise ValidationError(f"文件“{path.name}”是空的，没有通知内容。请选择保存了通知全文的文本文件。")
    return text


def _decode_notice(data: bytes) -> str | None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")  # UTF-8 first: GBK bytes are almost never valid UTF-8
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def preview_arrangement(db: Database, arrangement: Arrangement) -> list[DayChange]:
    with db.uow() as session:
        return diff_entries(load_calendar(session), arrangement_entries(arrangement))


def import_arrangement(db: Database, actor: Actor, arrangement: Arrangement, detail: str = "",
                       today: date | None = None) -> list[str]:
    """Replace a year's days with a confirmed State Council arrangement; keep manual overrides.

    Returns the alerts of obligations whose due date moved (T-3)."""
    require(actor.role, Permission.SETTINGS_MANAGE)
    with db.uow() as session:
        return replace_year(session, actor, arrangement.year, arrangement_entries(arrangement),
                            detail or f"国务院办公厅关于{arrangement.year}年部分节假日安排的通知",
                            {"holidays": [(h.name, h.first, h.last) for h in arrangement.holidays],
                             "adjusted_workdays": [d for d, _ in arrangement.adjusted_workdays]}, today)


def replace_year(session: Session, actor: Actor, year: int, entries: Iterable[DayEntry], detail: str,
                 audit_detail: dict[str, Any], today: date | None = None) -> list[str]:
    """A year's confirmed arrangement (pasted notice, or distributed by the bureau in a return packet, T-4)."""
    session.execute(delete(CalendarDay).where(
        CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)),
        CalendarDay.source != DaySource.OVERRIDE.value))
    overridden = set(session.scalars(select(CalendarDay.day).where(
        CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))))
    now = _now()
    session.add_all(CalendarDay(day=e.day, is_workday=e.is_workday, source=DaySource.NOTICE.value,
                                note=e.note, changed_by=actor.name, changed_at=now)
                    for e in entries if e.day not in overridden)
    row = session.get(CalendarYear, year) or CalendarYear(year=year)
    row.source = DaySource.NOTICE.value
    row.detail = detail[:200]
    row.imported_by = actor.name
    row.imported_at = now
    session.add(row)
    session.flush()
    audit.append(session, actor, "calendar.import", "calendar_year", year, audit_detail)
    _bump_revision(session)
    from .obligations import refresh_all

    return refresh_all(session, actor, today)
