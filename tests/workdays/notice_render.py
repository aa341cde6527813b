"""Writes notice text from chinese-calendar's own tables, so the parser can be checked against 2008–2026.

This is test scaffolding: it renders each year the way the State Council writes it ("一、元旦：…至…放假调休，共N天。
…上班。"), including 元旦 breaks that start in the previous December.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import chinese_calendar  # type: ignore[import-untyped,unused-ignore]

_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
_ORDINALS = "一二三四五六七八九十"
_WEEK = "一二三四五六日"


def _runs() -> list[tuple[list[date], list[str]]]:
    """Consecutive holiday days as runs, each with the holiday names in order of appearance."""
    runs: list[tuple[list[date], list[str]]] = []
    for day in sorted(chinese_calendar.holidays):
        name = _ZH[chinese_calendar.holidays[day]]
        if runs and runs[-1][0][-1] + timedelta(days=1) == day:
            runs[-1][0].append(day)
            if name not in runs[-1][1]:
                runs[-1][1].append(name)
        else:
            runs.append(([day], [name]))
    return runs


def _notice_year(days: list[date]) -> int:
    # A break containing 1 January belongs to that January's notice even if it starts in December.
    return days[-1].year


def _fmt(day: date, with_month: bool) -> str:
    text = f"{day.month}月{day.day}日" if with_month else f"{day.day}日"
    return f"{text}（周{_WEEK[day.weekday()]}）"


def render_notice(year: int) -> str:
    runs = [r for r in _runs() if _notice_year(r[0]) == year]
    workdays: dict[int, list[date]] = defaultdict(list)
    for day, english in sorted(chinese_calendar.workdays.items()):
        name = _ZH[english]
        # Each 上班 day goes with the nearest break of the same holiday.
        candidates = [i for i, (_d, names) in enumerate(runs) if name in names]
        if not candidates:
            continue
        best = min(candidates, key=lambda i: min(abs((d - day).days) for d in runs[i][0]))
        if min(abs((d - day).days) for d in runs[best][0]) < 20:
            workdays[best].append(day)
    named = {n for _d, names in runs for n in names}
    for days, names in runs:
        # chinese-calendar files a 中秋 that falls inside the National Day break under 国庆; the notice names both.
        if date(year, 10, 1) in days and "中秋节" not in named:
            names.append("中秋节")
    lines = [f"国务院办公厅关于{year}年部分节假日安排的通知", ""]
    for index, (days, names) in enumerate(runs):
        first, last = days[0], days[-1]
        span = _fmt(first, True)
        if last != first:
            span += "至" + _fmt(last, last.month != first.month)
        line = f"{_ORDINALS[index]}、{'、'.join(names)}：{span}放假调休，共{len(days)}天。"
        if workdays[index]:
            line += "、".join(_fmt(d, True) for d in workdays[index]) + "上班。"
        lines.append(line)
    return "\n".join(lines) + "\n"
