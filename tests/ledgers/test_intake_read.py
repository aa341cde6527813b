"""M-5: reading work-order exports — header detection, mapping, per-row messages, refusals, size."""

from __future__ import annotations

import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from intake_files import (
    DUPLICATE_REF,
    HOTLINE_HEADERS,
    Order,
    hotline_export,
    hotline_orders,
    order_cells,
    write_orders,
    write_sheet,
)

from hecun_office.ledgers import intake
from hecun_office.ledgers.intake import (
    IntakeFileError,
    IntakeMappingError,
    check_mapping,
    load_sheet,
    parse_date,
    parse_rows,
    read_workbook,
    suggest_mapping,
)

TODAY = date(2026, 3, 23)


def _rows(path: Path, today: date | None = TODAY) -> list[intake.IntakeRow]:
    sheet = load_sheet(path)
    return parse_rows(sheet, suggest_mapping(sheet.headers), today)


def test_hotline_export_header_under_a_merged_title_row(tmp_path: Path) -> None:
    sheet = load_sheet(hotline_export(tmp_path / "12345.xlsx"))
    assert (sheet.sheet_name, sheet.header_row, sheet.headers) == ("工单列表", 2, HOTLINE_HEADERS)
    assert len(sheet.rows) == 37 and sheet.rows[0][0] == 3 and sheet.rows[-1][0] == 39
    assert len(sheet.sha256) == 64
    rows = parse_rows(sheet, suggest_mapping(sheet.headers), TODAY)
    assert [r.row for r in rows] == list(range(3, 40))
    assert all(r.ok and not r.warnings for r in rows)
    related = [r for r in rows if r.enforcement_related]
    assert len(related) == 4 and related[-1].work_order_no == DUPLICATE_REF
    assert {r.keyword for r in related} == {"综合行政执法", "执法人员", "投诉执法人员", "拆除"}
    first = rows[0]
    assert (first.work_order_no, first.received_on, first.title) == ("ZJ12345-20260316-0001", date(2026, 3, 16), "路灯不亮")
    assert (first.complainant, first.phone, first.unit, first.category) == ("李强", "13900000000", "贺村镇村镇建设管理办公室",
                                                                           "求助")


def test_two_row_header_with_merged_group_cells(tmp_path: Path) -> None:
    """工单编号 merged over two rows; 来电人信息 spans 姓名 | 电话 (read-only openpyxl sees the merges as blanks)."""
    top = ["工单编号", "受理时间", "来电人信息", None, "诉求内容", "承办单位"]
    sub = [None, None, "姓名", "电话", None, None]
    data = [["GD-1", "2026-03-05 14:22:01", "张三", 13812345678.0, "城管暂扣三轮车", "贺村镇综合行政执法队"],
            ["GD-2", "2026/3/6", "李四", "0570-4012345", "路灯不亮", "贺村镇人民政府"]]
    path = write_sheet(tmp_path / "two.xlsx", top, [sub, *data], title="贺村镇工单",
                       merges=["A2:A3", "B2:B3", "C2:D2", "E2:E3", "F2:F3"])
    sheet = load_sheet(path)
    assert sheet.header_row == 3
    assert sheet.headers == ("工单编号", "受理时间", "姓名", "电话", "诉求内容", "承办单位")
    mapping = suggest_mapping(sheet.headers)
    assert mapping == {"work_order_no": "工单编号", "received_at": "受理时间", "content": "诉求内容",
                       "complainant": "姓名", "phone": "电话", "unit": "承办单位"}
    one, two = parse_rows(sheet, mapping, TODAY)
    assert (one.row, one.received_on, one.phone, one.title, one.keyword) == (4, date(2026, 3, 5), "13812345678",
                                                                             "城管暂扣三轮车", "城管")
    assert (two.received_on, two.phone, two.keyword) == (date(2026, 3, 6), "0570-4012345", None)


def test_info_rows_and_blank_rows_above_the_header(tmp_path: Path) -> None:
    orders = hotline_orders(5, 1)
    path = write_orders(tmp_path / "info.xlsx", orders, above=[["导出时间：2026-03-21 09:12", None, "导出人：系统"], []])
    sheet = load_sheet(path)
    assert sheet.header_row == 4 and sheet.headers == HOTLINE_HEADERS and len(sheet.rows) == 5


def test_header_synonyms_of_the_provincial_platform() -> None:
    headers = ["序号", "工单号", "登记时间", "工单标题", "工单内容", "诉求人", "来电号码", "处置单位", "诉求类型", "备注"]
    assert suggest_mapping(headers) == {
        "work_order_no": "工单号", "received_at": "登记时间", "title": "工单标题", "content": "工单内容",
        "complainant": "诉求人", "phone": "来电号码", "unit": "处置单位", "category": "诉求类型"}
    # decorated headers ("*受理时间", "联系电话（手机）") and each header used once
    assert suggest_mapping(["工单编号", "*受理时间", "来电人姓名", "联系电话（手机）"]) == {
        "work_order_no": "工单编号", "received_at": "*受理时间", "complainant": "来电人姓名", "phone": "联系电话（手机）"}


def test_duplicate_and_empty_header_cells_stay_addressable(tmp_path: Path) -> None:
    header = ["工单编号", "受理时间", "备注", None, "备注", "诉求内容"]
    path = write_sheet(tmp_path / "dups.xlsx", header, [["GD-1", "2026-03-05", "a", "b", "c", "内容"]], title=None)
    assert load_sheet(path).headers == ("工单编号", "受理时间", "备注", "（第 D 列）", "备注(2)", "诉求内容")


def test_missing_columns_are_named(tmp_path: Path) -> None:
    headers = ("工单编号", "诉求内容", "承办单位")
    with pytest.raises(IntakeMappingError) as err:
        check_mapping(headers, suggest_mapping(headers))
    assert err.value.field == "received_at" and "受理时间" in err.value.message
    with pytest.raises(IntakeMappingError) as err:
        check_mapping(headers, {"work_order_no": "工单编号", "received_at": "登记时间", "content": "诉求内容"})
    assert err.value.field == "received_at" and "“登记时间”" in err.value.message
    with pytest.raises(IntakeMappingError) as err:
        check_mapping(("工单编号", "受理时间"), {"work_order_no": "工单编号", "received_at": "受理时间"})
    assert err.value.field == "title" and "诉求内容" in err.value.message
    path = write_sheet(tmp_path / "x.xlsx", headers, [["GD-1", "a", "b"]])
    sheet = load_sheet(path)
    with pytest.raises(IntakeMappingError):
        parse_rows(sheet, suggest_mapping(sheet.headers))


@pytest.mark.parametrize("value", [
    datetime(2026, 3, 5, 14, 22, 1), date(2026, 3, 5), "2026-03-05", "2026/3/5", "2026年3月5日", "2026-03-05 14:22:01",
    "2026年3月5日 14时22分", "2026.03.05", " 2026-3-5\u00a0", "20260305", "20260305142201", "2026-03-05T14:22:01",
    46086, 46086.6097, "46086",
])
def test_received_dates_in_the_forms_platforms_use(value: object) -> None:
    assert parse_date(value) == date(2026, 3, 5)


@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30", "昨天", "3月5日", "2026-03-05 下午", 12, 1e9, True])
def test_invalid_dates_are_refused(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


def test_bad_dates_are_messages_on_their_rows(tmp_path: Path) -> None:
    orders = hotline_orders(6, 0)
    orders[2] = Order("GD-3", "2026-13-01", "路灯不亮", "路灯不亮")
    orders[3] = Order("GD-4", None, "路灯不亮", "路灯不亮")
    orders[4] = Order("GD-5", "2026-04-01", "路灯不亮", "路灯不亮")  # after today
    rows = _rows(write_orders(tmp_path / "dates.xlsx", orders))
    assert [r.row for r in rows if r.ok] == [3, 4, 8]
    assert rows[2].errors == ("第 5 行：受理时间“2026-13-01”不是有效日期。",)
    assert rows[3].errors == ("第 6 行：没有受理时间。",)
    assert rows[4].errors == ("第 7 行：受理时间 2026-04-01 晚于今天，请检查日期。",)


def test_odd_cells_never_crash(tmp_path: Path) -> None:
    long_content = "城管" + "很长的诉求内容。" * 3000  # 24,002 characters (a cell holds at most 32,767)
    orders = [
        Order(20260305001, datetime(2026, 3, 5), "号码是数字", "内容", "赵六", 13812345678.0),
        Order("GD-2", datetime(2026, 3, 5), "=A1&\"x\"", "公式没有缓存值时标题取自内容"),  # formula, no cached value
        Order("GD-3", datetime(2026, 3, 5), None, "第一行\n第二行", None, None, None, None, None),
        Order("GD-4", datetime(2026, 3, 5), "标" * 300, long_content, "名" * 80, "1" * 40),
        Order("G" * 200, datetime(2026, 3, 5), "编号太长", "内容"),
        Order(None, datetime(2026, 3, 5), "没有编号", "内容"),
        Order("GD-7", datetime(2026, 3, 5), None, None),
        Order("GD-8", True, "布尔值", "内容"),
    ]
    rows = _rows(write_orders(tmp_path / "odd.xlsx", orders))
    one, two, three, four, five, six, seven, eight = rows
    assert (one.work_order_no, one.phone, one.ok) == ("20260305001", "13812345678", True)
    assert (two.title, two.ok) == ("公式没有缓存值时标题取自内容", True)
    assert (three.title, three.content, three.complainant, three.unit, three.ok) == ("第一行", "第一行\n第二行", "", "", True)
    assert four.ok and len(four.title) == intake.TITLE_MAX and len(four.content) == intake.CONTENT_MAX
    assert len(four.complainant) == intake.NAME_MAX and len(four.phone) == intake.PHONE_MAX
    assert len(four.warnings) == 4 and four.warnings[0].startswith("第 6 行：“诉求内容”过长（24002 字）")
    assert four.keyword == "城管"
    assert five.errors and "工单编号" in five.errors[0] and "过长" in five.errors[0]
    assert six.errors == ("第 8 行：没有工单编号，无法判断是否重复。请在文件中补上后重新导入。",)
    assert seven.errors == ("第 9 行：标题和诉求内容都是空的。",)
    assert eight.errors == ("第 10 行：受理时间“是”不是有效日期。",)


def test_ten_thousand_rows_in_reasonable_time(tmp_path: Path) -> None:
    path = hotline_export(tmp_path / "big.xlsx", count=10_000, enforcement=400, duplicate_ref=None)
    started = time.perf_counter()
    reader = read_workbook(path)
    steps = []
    while True:
        try:
            steps.append(next(reader))
        except StopIteration as stop:
            sheet = stop.value
            break
    loaded = time.perf_counter()
    rows = parse_rows(sheet, suggest_mapping(sheet.headers), TODAY)
    parsed = time.perf_counter()
    print(f"\n10,000 rows: read {loaded - started:.2f} s, parse {parsed - loaded:.3f} s")
    assert len(rows) == 10_000 and sum(r.enforcement_related for r in rows) == 400
    assert all(r.ok for r in rows)
    assert len(steps) >= 5 and steps[-1] == (10_002, 10_002)
    assert parsed - started < 10


def _xlsx_bytes(tmp_path: Path) -> bytes:
    return hotline_export(tmp_path / "good.xlsx", count=3).read_bytes()


@pytest.mark.parametrize(("name", "make", "fragment"), [
    ("empty.xlsx", lambda t: b"", "是空的"),
    ("orders.xlsx", lambda t: "工单编号,受理时间\nGD-1,2026-03-05\n".encode(), "不是 Excel 工作簿"),
    ("orders.xls", lambda t: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel（.xls）"),
    ("orders.xls", lambda t: "<html><table><tr><td>工单编号</td></tr></table></html>".encode(), "网页"),
    ("locked.xlsx", lambda t: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptionInfo".encode("utf-16-le")
     + b"\0" * 100, "密码"),
    ("broken.xlsx", lambda t: _xlsx_bytes(t)[:3000], "损坏"),
])
def test_unreadable_files_are_refused_saying_what_to_do(tmp_path: Path, name: str, make, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    with pytest.raises(IntakeFileError) as err:
        load_sheet(path)
    assert fragment in err.value.message
    assert name in err.value.message


def test_other_zip_files_and_missing_files(tmp_path: Path) -> None:
    docx = tmp_path / "notice.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(IntakeFileError, match="不是 Excel 工作簿"):
        load_sheet(docx)
    with pytest.raises(IntakeFileError, match="找不到文件"):
        load_sheet(tmp_path / "gone.xlsx")


def test_a_corrupt_sheet_inside_a_valid_zip(tmp_path: Path) -> None:
    good = hotline_export(tmp_path / "good.xlsx", count=3)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, data[: len(data) // 2] if item.filename.startswith("xl/worksheets/") else data)
    with pytest.raises(IntakeFileError, match="损坏"):
        load_sheet(bad)


def test_empty_sheet_and_header_without_rows(tmp_path: Path) -> None:
    blank = write_sheet(tmp_path / "blank.xlsx", [], [], title=None)
    with pytest.raises(IntakeFileError, match="没有找到工单表格"):
        load_sheet(blank)
    header_only = write_orders(tmp_path / "header.xlsx", [])
    with pytest.raises(IntakeFileError) as err:
        load_sheet(header_only)
    assert "第 2 行是表头" in err.value.message and "没有工单数据" in err.value.message
    # blank rows below the header are not orders either
    spaced = write_sheet(tmp_path / "spaced.xlsx", HOTLINE_HEADERS, [[None] * 10, ["", "  "]])
    with pytest.raises(IntakeFileError, match="没有工单数据"):
        load_sheet(spaced)


def test_the_work_order_sheet_need_not_be_the_first(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "说明"
    orders = book.create_sheet("工单")
    orders.append(list(HOTLINE_HEADERS))
    for n, order in enumerate(hotline_orders(3, 1)):
        orders.append(order_cells(n, order))
    book.save(tmp_path / "two-sheets.xlsx")
    sheet = load_sheet(tmp_path / "two-sheets.xlsx")
    assert sheet.sheet_name == "工单" and len(sheet.rows) == 3


def test_size_and_row_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = hotline_export(tmp_path / "orders.xlsx", count=30)
    monkeypatch.setattr(intake, "MAX_ROWS", 20)
    with pytest.raises(IntakeFileError, match="超过 20 行"):
        load_sheet(path)
    monkeypatch.setattr(intake, "MAX_ROWS", 100_000)
    monkeypatch.setattr(intake, "MAX_BYTES", 1000)
    with pytest.raises(IntakeFileError, match="分批导出"):
        load_sheet(path)


def test_enforcement_keywords() -> None:
    assert intake.enforcement_keyword("城管队员态度粗暴") == "城管"
    assert intake.enforcement_keyword("镇综合行政执法队罚款未开票据") == "综合行政执法"
    assert intake.enforcement_keyword("路灯不亮") is None
    assert intake.enforcement_keyword("路灯不亮", ["路灯"]) == "路灯"
