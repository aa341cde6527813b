"""Parsing a pasted State Council notice (T-4) and the import preview."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from hecun_office.workdays import (
    Arrangement,
    DayEntry,
    DaySource,
    Deadline,
    HolidaySpan,
    NoticeParseError,
    WorkCalendar,
    arrangement_entries,
    diff_entries,
    library_entries,
    parse_notice,
)

from .notice_render import render_notice

D = date
DATA = Path(__file__).parent / "data"
NOTICE_2026 = (DATA / "notice_2026.txt").read_text(encoding="utf-8")
NOTICE_2027 = (DATA / "notice_2027_madeup.txt").read_text(encoding="utf-8")


def _replace_line(text: str, prefix: str, new_line: str) -> str:
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith(prefix))
    lines[index] = new_line
    return "\n".join(lines)


def test_2026_notice_equals_library() -> None:
    arrangement = parse_notice(NOTICE_2026)
    assert arrangement.year == 2026
    assert [d for d, _ in arrangement.adjusted_workdays] == [
        D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10),
    ]
    entries = arrangement_entries(arrangement)
    library = library_entries(2026)
    assert [e.day for e in entries] == [e.day for e in library]
    assert all(e.source is DaySource.NOTICE for e in entries)
    assert [e.is_workday for e in entries] == [e.is_workday for e in library]


@pytest.mark.parametrize("year", range(2008, 2027))
def test_rendered_past_notices_round_trip(year: int) -> None:
    # Notices of 2008–2026 written out from chinese-calendar's tables (元旦 of 2008 and 2019 start in December).
    table = {e.day: e for e in arrangement_entries(parse_notice(render_notice(year)))}
    if year < 2026:
        # The next notice decides this December's last days (e.g. 2018-12-30/31 were set by the 2019 notice).
        table.update({e.day: e for e in arrangement_entries(parse_notice(render_notice(year + 1)))})
    for expected in library_entries(year):
        assert table[expected.day].is_workday == expected.is_workday, expected


def test_madeup_2027_notice() -> None:
    arrangement = parse_notice(NOTICE_2027)
    assert arrangement.year == 2027
    assert arrangement.holidays[1] == HolidaySpan("春节", D(2027, 2, 5), D(2027, 2, 12))
    assert arrangement.holidays[4] == HolidaySpan("端午节", D(2027, 6, 9), D(2027, 6, 9))
    assert arrangement.holidays[5] == HolidaySpan("中秋节", D(2027, 9, 15), D(2027, 9, 15))
    by_day = {e.day: e for e in arrangement_entries(arrangement)}
    assert len(by_day) == 365
    assert by_day[D(2027, 1, 31)] == DayEntry(D(2027, 1, 31), True, DaySource.NOTICE, "调休上班")
    assert by_day[D(2027, 2, 12)] == DayEntry(D(2027, 2, 12), False, DaySource.NOTICE, "春节")
    assert by_day[D(2027, 3, 1)] == DayEntry(D(2027, 3, 1), True, DaySource.NOTICE, "")
    assert not by_day[D(2027, 3, 6)].is_workday


def test_importing_2027_makes_deadlines_final(cal: WorkCalendar, library_table: dict[date, DayEntry]) -> None:
    entries = arrangement_entries(parse_notice(NOTICE_2027))
    imported = WorkCalendar({**library_table, **{e.day: e for e in entries}}, [*cal.covered_years, 2027])
    # 12/31 (1); 元旦 1/1-1/3; Mon 1/4 (2); Tue 1/5 (3) — same date, no longer provisional.
    assert imported.add_working_days(D(2026, 12, 30), 3) == Deadline(D(2027, 1, 5), False)
    # 春节 2027 per the notice runs to Fri 2/12; the provisional rule only knew 2/5-2/8.
    assert imported.add_working_days(D(2027, 2, 4), 1) == Deadline(D(2027, 2, 15), False)


def test_diff_against_provisional_calendar(cal: WorkCalendar) -> None:
    changes = diff_entries(cal, arrangement_entries(parse_notice(NOTICE_2027)))
    changed = [c.day for c in changes]
    assert changed == sorted(changed)
    expected = {
        D(2027, 1, 31), D(2027, 2, 9), D(2027, 2, 10), D(2027, 2, 11), D(2027, 2, 12), D(2027, 2, 20),
        D(2027, 4, 25), D(2027, 5, 3), D(2027, 5, 4), D(2027, 5, 5), D(2027, 5, 8),
        D(2027, 9, 26), D(2027, 10, 4), D(2027, 10, 5), D(2027, 10, 6), D(2027, 10, 7), D(2027, 10, 9),
    }
    assert set(changed) == expected
    first = changes[0]
    assert first.before is not None and first.before.source is DaySource.PROVISIONAL and first.after.is_workday


def test_diff_against_bare_table_reports_new_days() -> None:
    current = {D(2027, 1, 1): DayEntry(D(2027, 1, 1), False, DaySource.OVERRIDE, "元旦")}
    new = [
        DayEntry(D(2027, 1, 2), False, DaySource.NOTICE, "元旦"),
        DayEntry(D(2027, 1, 1), False, DaySource.NOTICE, "元旦"),
    ]
    changes = diff_entries(current, new)
    assert [(c.day, c.before) for c in changes] == [(D(2027, 1, 2), None)]


def test_halfwidth_no_brackets_one_line_and_chinese_year() -> None:
    body = "".join(
        [
            "一、元旦:1月1日至3日放假,共3天。",
            "二、春节:2月5日至12日放假调休,共八天。1月31日、2月20日上班。",
            "三、清明节:4月3日-5日放假,共3天。",
            "四、劳动节:5月1日~5日放假调休,共5天。4月25日、5月8日上班。",
            "五、端午节:6月9日放假1天,不调休。",
            "六、中秋节:9月15日放假。",
            "七、国庆节:10 月 1 日至 7 日放假调休,共7天。9月26日(星期日)、10月9日(礼拜六)上班。",
        ]
    )
    arrangement = parse_notice("国务院办公厅关于二〇二七年部分节假日安排的通知 " + body)
    assert arrangement == parse_notice(NOTICE_2027)


def test_whole_notice_pasted_as_one_line() -> None:
    assert parse_notice(NOTICE_2026.replace("\n", "")) == parse_notice(NOTICE_2026)


def test_year_argument_without_title() -> None:
    items = "\n".join(line for line in NOTICE_2027.splitlines() if line[:2] in {"一、", "二、", "三、", "四、", "五、", "六、", "七、"})
    assert parse_notice(items, 2027) == parse_notice(NOTICE_2027)
    with pytest.raises(NoticeParseError, match="没有找到通知的年份"):
        parse_notice(items)


def test_new_year_span_from_previous_december() -> None:
    text = _replace_line(NOTICE_2027, "一、", "一、元旦：12月31日（周四）至1月2日（周六）放假调休，共3天。12月27日（周日）上班。")
    arrangement = parse_notice(text)
    assert arrangement.holidays[0] == HolidaySpan("元旦", D(2026, 12, 31), D(2027, 1, 2))
    assert arrangement.adjusted_workdays[0] == (D(2026, 12, 27), "元旦")
    by_day = {e.day: e for e in arrangement_entries(arrangement)}
    # The December days the notice names are part of the import; the rest of 2026 is not.
    assert not by_day[D(2026, 12, 31)].is_workday and by_day[D(2026, 12, 27)].is_workday
    assert D(2026, 12, 30) not in by_day
    assert not by_day[D(2027, 1, 1)].is_workday and not by_day[D(2027, 1, 3)].is_workday


def test_explicit_years_in_dates() -> None:
    text = _replace_line(
        NOTICE_2027, "一、", "一、元旦：2026年12月31日（周四）至2027年1月2日（周六）放假调休，共3天。2026年12月27日（周日）上班。"
    )
    assert parse_notice(text).holidays[0] == HolidaySpan("元旦", D(2026, 12, 31), D(2027, 1, 2))


def test_combined_holiday_names() -> None:
    text = _replace_line(NOTICE_2027, "六、", "")
    text = _replace_line(text, "七、", "六、国庆节、中秋节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。")
    assert parse_notice(text).holidays[-1].name == "国庆节、中秋节"


def _error(text: str, year: int | None = None) -> str:
    with pytest.raises(NoticeParseError) as info:
        parse_notice(text, year)
    assert isinstance(info.value, ValueError)
    return str(info.value)


@pytest.mark.parametrize(
    ("prefix", "bad_line", "words"),
    [
        ("三、", "三、清明节：4月3日（周日）至5日（周一）放假，共3天。", ["第7行", "清明节", "星期六", "请检查"]),
        ("三、", "三、清明节：4月3日（周六）至5日（周一）放假，共4天。", ["第7行", "共4天", "3天", "请检查"]),
        ("四、", "四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。5月7日（周五）上班。", ["第8行", "星期五", "周六或周日"]),
        ("三、", "三、清明节：4月3日至5日休息，共3天。", ["第7行", "放假日期", "重新粘贴"]),
        ("三、", "三、清明节：4月31日至5月2日放假。", ["第7行", "4月31日", "不是有效日期"]),
        ("三、", "三、清明节：4月5日至3日放假。", ["第7行", "早于"]),
        ("一、", "一、元旦：1月1日（周五）至3日（周日）放假，共3天。其中1月1日为法定节假日。", ["第5行", "无法理解"]),
        ("三、", "三、清明节4月3日至5日放假", ["第7行", "无法识别"]),
        ("四、", "四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。5月2日（周日）上班。", ["5月2日", "既是"]),
        ("七、", "", ["国庆节", "没有粘贴完整"]),
    ],
)
def test_errors_name_the_line(prefix: str, bad_line: str, words: list[str]) -> None:
    message = _error(_replace_line(NOTICE_2027, prefix, bad_line))
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("text", ["", "   \n\n", "今天天气很好。", "2027年的通知没有内容"])
def test_empty_or_garbage_text(text: str) -> None:
    assert "请粘贴" in _error(text)


def test_year_argument_must_match_title() -> None:
    assert "2027 年" in _error(NOTICE_2027, 2026)


def test_arrangement_is_plain_data() -> None:
    arrangement = Arrangement(2027, (HolidaySpan("元旦", D(2027, 1, 1), D(2027, 1, 1)),), ())
    entries = arrangement_entries(arrangement)
    assert len(entries) == 365
    assert [e.day for e in entries if not e.is_workday][:3] == [D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3)]
    assert all(entries[i].day + timedelta(days=1) == entries[i + 1].day for i in range(364))
