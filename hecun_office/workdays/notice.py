"""Parse a pasted 国务院办公厅关于××××年部分节假日安排的通知 into an arrangement (T-4).

The parser is strict on purpose: a notice that is misread silently would move every deadline of the year, so
anything it does not understand, or that contradicts itself (weekday in brackets, 共N天, a 上班 day that is not a
weekend), stops the import with a message naming the line.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .model import ADJUSTED_WORKDAY_NOTE, WEEKDAY_NAMES, DayEntry, DaySource, ordinary_entry
from .notice_text import (
    ITEM_NAME,
    ITEM_ORDINAL,
    NUMBER,
    Segment,
    cn_number,
    normalize,
    segments,
    snippet,
    title_year,
)

# Every notice since 2008 names all seven; a missing one means the paste was cut short.
STATUTORY_HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")

_FIX_HINT = "请检查通知原文后重新粘贴。"
_DATE = r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^)]*)\))?"
_DATE_TOKEN = re.compile(_DATE)
_ITEM = re.compile(rf"^(?:{ITEM_ORDINAL})?(?P<name>{ITEM_NAME}):(?P<body>.*)$")
_SPAN = re.compile(rf"^(?P<start>{_DATE})(?:至(?P<end>{_DATE}))?放假(?P<rest>.*)$")
_TOTAL = re.compile(rf"(?:共|^)({NUMBER})天")
_WEEKDAY_MARK = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_WEEKDAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_LOOSE_DATE = re.compile(r"\d{1,2}月\d{1,2}日")
_BODY_START = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日")


class NoticeParseError(ValueError):
    """The pasted text is not a notice we can read; the message is for the clerk."""


@dataclass(frozen=True)
class HolidaySpan:
    name: str
    first: date
    last: date

    def days(self) -> Iterator[date]:
        day = self.first
        while day <= self.last:
            yield day
            day += timedelta(days=1)


@dataclass(frozen=True)
class Arrangement:
    year: int
    holidays: tuple[HolidaySpan, ...]
    adjusted_workdays: tuple[tuple[date, str], ...]


@dataclass(frozen=True)
class _Token:
    year: int | None
    month: int | None
    day: int
    bracket: str | None


def _token(match: re.Match[str]) -> _Token:
    year, month, day, bracket = match.group(1, 2, 3, 4)
    return _Token(
        year=int(year) if year else None,
        month=int(month) if month else None,
        day=int(day),
        bracket=bracket,
    )


class _ItemParser:
    """Reads one list item such as "二、春节:2月15日(…)至23日(…)放假调休,共9天。2月14日(周六)上班。"."""

    def __init__(self, segment: Segment, name: str, year: int) -> None:
        self.segment = segment
        self.name = name
        self.year = year

    def fail(self, problem: str, check: str = "这一行") -> NoticeParseError:
        where = f"第{self.segment.line_no}行（{self.name}）「{snippet(self.segment.text)}」"
        return NoticeParseError(f"{where}：{problem}请检查{check}后重新粘贴。")

    def parse(self, body: str) -> tuple[HolidaySpan, list[tuple[date, str]]]:
        span = _SPAN.match(body)
        if span is None:
            raise self.fail("没有找到“×月×日至×日放假”这样的放假日期。")
        start = _token_of(span.group("start"))
        end = _token_of(span.group("end")) if span.group("end") else start
        if start.month is None:
            raise self.fail("放假开始日期没有写月份。")
        end_month = end.month if end.month is not None else start.month
        crosses_year = end_month < start.month
        first = self.resolve(start, start.month, self.year - 1 if crosses_year else self.year)
        last = self.resolve(end, end_month, self.year)
        if last < first:
            raise self.fail(f"放假结束日期 {last.month}月{last.day}日 早于开始日期 {first.month}月{first.day}日。")
        holiday = HolidaySpan(name=self.name, first=first, last=last)
        rest = span.group("rest")
        self.check_total(rest, holiday)
        return holiday, self.adjusted_days(rest, holiday)

    def resolve(self, token: _Token, month: int, default_year: int) -> date:
        year = token.year if token.year is not None else default_year
        if abs(year - self.year) > 1:
            raise self.fail(f"日期中的 {year} 年与通知年份 {self.year} 年不符。")
        try:
            day = date(year, month, token.day)
        except ValueError:
            raise self.fail(f"{month}月{token.day}日 不是有效日期。") from None
        self.check_weekday(day, token.bracket)
        return day

    def check_weekday(self, day: date, bracket: str | None) -> None:
        marks = _WEEKDAY_MARK.findall(bracket or "")
        if not marks:
            return
        if len(marks) > 1 or _WEEKDAY_INDEX[marks[0]] != day.weekday():
            raise self.fail(
                f"{day.month}月{day.day}日 标注为“{bracket}”，但 {day.year}年{day.month}月{day.day}日 是"
                f"{WEEKDAY_NAMES[day.weekday()]}。",
                "这一行的日期和星期",
            )

    def check_total(self, rest: str, holiday: HolidaySpan) -> None:
        first_sentence = rest.split("。", 1)[0]
        total = _TOTAL.search(first_sentence)
        if total is None:
            return
        stated = cn_number(total.group(1))
        actual = (holiday.last - holiday.first).days + 1
        if stated != actual:
            raise self.fail(
                f"写明共{stated}天，但 {holiday.first.month}月{holiday.first.day}日 至 "
                f"{holiday.last.month}月{holiday.last.day}日 是{actual}天。",
                "这一行的放假天数和起止日期",
            )

    def adjusted_days(self, rest: str, holiday: HolidaySpan) -> list[tuple[date, str]]:
        found: list[tuple[date, str]] = []
        for index, sentence in enumerate(re.split(r"[。;]", rest)):
            tokens = list(_DATE_TOKEN.finditer(sentence))
            if not tokens:
                if index > 0 and sentence:
                    # Prose after the list ("节假日期间……", the signature and its date) ends the item; it only
                    # shares a line with it when the notice was pasted as one line.
                    break
                continue
            if "上班" not in sentence:
                raise self.fail(f"无法理解“{snippet(sentence, 30)}”：放假日期之后只应列出调休上班的日期。")
            month: int | None = None
            for match in tokens:
                token = _token(match)
                month = token.month if token.month is not None else month
                if month is None:
                    raise self.fail("调休上班日期没有写月份。")
                # A December working day on the 元旦 item belongs to the previous year (e.g. 12月28日(周日)上班).
                new_year_item = holiday.first.month == 1 or holiday.first.year < self.year
                default_year = self.year - 1 if month == 12 and new_year_item else self.year
                day = self.resolve(token, month, default_year)
                if day.weekday() < 5:
                    raise self.fail(
                        f"{day.month}月{day.day}日 是{WEEKDAY_NAMES[day.weekday()]}，调休上班日应为周六或周日。",
                        "这一行的调休上班日期",
                    )
                found.append((day, self.name))
        return found


def _token_of(text: str) -> _Token:
    match = _DATE_TOKEN.fullmatch(text)
    assert match is not None, "the span pattern only captures whole date tokens"
    return _token(match)


def _notice_year(normalized: str, year: int | None) -> int:
    stated = title_year(normalized)
    if year is None:
        if stated is None:
            raise NoticeParseError(
                "没有找到通知的年份。请粘贴包含标题“国务院办公厅关于××××年部分节假日安排的通知”的全文，"
                "或在导入时选择年份。"
            )
        return stated
    if stated is not None and stated != year:
        raise NoticeParseError(f"通知标题写的是 {stated} 年，而导入选择的是 {year} 年。请确认年份后重新粘贴。")
    return year


def parse_notice(text: str, year: int | None = None) -> Arrangement:
    normalized = normalize(text)
    if not _LOOSE_DATE.search(normalized):
        raise NoticeParseError(
            "没有识别出任何放假日期。请粘贴国务院办公厅关于部分节假日安排的通知全文（含“一、元旦：…”各条）后重试。"
        )
    notice_year = _notice_year(normalized, year)
    holidays: list[HolidaySpan] = []
    adjusted: list[tuple[date, str]] = []
    for segment in segments(normalized):
        item = _ITEM.match(segment.text)
        if item is None or not _BODY_START.match(item.group("body")):
            if _LOOSE_DATE.search(segment.text) and ("放假" in segment.text or "上班" in segment.text):
                raise NoticeParseError(
                    f"第{segment.line_no}行「{snippet(segment.text)}」：无法识别这一行的放假安排，"
                    f"应为“一、元旦：1月1日至3日放假调休，共3天。1月4日（周日）上班。”这样的格式。{_FIX_HINT}"
                )
            continue
        parser = _ItemParser(segment, item.group("name"), notice_year)
        holiday, days = parser.parse(item.group("body"))
        holidays.append(holiday)
        adjusted.extend(days)
    _check_consistency(notice_year, holidays, adjusted)
    return Arrangement(
        year=notice_year,
        holidays=tuple(sorted(holidays, key=lambda h: h.first)),
        adjusted_workdays=tuple(sorted(adjusted)),
    )


def _check_consistency(year: int, holidays: list[HolidaySpan], adjusted: list[tuple[date, str]]) -> None:
    named = "、".join(h.name for h in holidays)
    missing = [name for name in STATUTORY_HOLIDAYS if name not in named]
    if missing:
        raise NoticeParseError(
            f"{year}年通知中没有找到{'、'.join(missing)}的放假安排，可能没有粘贴完整。{_FIX_HINT}"
        )
    rest_days: dict[date, str] = {}
    for holiday in holidays:
        for day in holiday.days():
            if day in rest_days:
                raise NoticeParseError(
                    f"{day.month}月{day.day}日 同时出现在{rest_days[day]}和{holiday.name}的放假日期中。{_FIX_HINT}"
                )
            rest_days[day] = holiday.name
    seen: set[date] = set()
    for day, name in adjusted:
        if day in rest_days:
            raise NoticeParseError(
                f"{day.month}月{day.day}日 既是{rest_days[day]}放假日，又被列为{name}调休上班日。{_FIX_HINT}"
            )
        if day in seen:
            raise NoticeParseError(f"{day.month}月{day.day}日 被重复列为调休上班日。{_FIX_HINT}")
        seen.add(day)


def arrangement_entries(arr: Arrangement) -> list[DayEntry]:
    """Every day of ``arr.year`` with source NOTICE, plus any day of a neighbouring year the notice names
    (a 元旦 break may start in the previous December, and that December day must change too)."""
    named: dict[date, DayEntry] = {}
    for holiday in arr.holidays:
        for day in holiday.days():
            named[day] = DayEntry(day=day, is_workday=False, source=DaySource.NOTICE, note=holiday.name)
    for day, _name in arr.adjusted_workdays:
        named[day] = DayEntry(day=day, is_workday=True, source=DaySource.NOTICE, note=ADJUSTED_WORKDAY_NOTE)
    first = date(arr.year, 1, 1)
    year_days = (first + timedelta(days=i) for i in range(366 if calendar.isleap(arr.year) else 365))
    entries = {d: named.get(d) or ordinary_entry(d, DaySource.NOTICE) for d in year_days}
    entries.update(named)
    return [entries[d] for d in sorted(entries)]
