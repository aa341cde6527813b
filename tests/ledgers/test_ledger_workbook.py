"""L-1: the one ledger layout (hecun_office/ledgers/workbook.py), read back with openpyxl, and how a ledger file is
written: whole or not at all, with the clerk's message when the target is open in Excel or WPS."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from hecun_office.domain.errors import EnvironmentProblem
from hecun_office.ledgers.workbook import Column, Kind, Sheet, display_width, write_ledger

SHEET = Sheet("监督事项台账", "贺村司法所 监督事项台账（2026年3月）", (
    Column("序号", Kind.NUMBER, 5), Column("登记编号", Kind.TEXT, 19), Column("受理日期", Kind.DATE),
    Column("事项名称", Kind.LONG_TEXT, 20), Column("按期整改率", Kind.PERCENT, 10)), [
    (1, "贺监登〔2026〕1号", date(2026, 3, 2), "行政许可超期办结", 0.5),
    (2, "贺监登〔2026〕2号", date(2026, 3, 6), "群众反映噪音扰民执法不力，经初步了解相关执法行为存在程序问题需要核查", None),
], note="说明：按期整改率不含整改期限未到的建议书。")


def _sheet(path: Path) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(path).active


def test_the_ledger_has_title_headers_real_dates_numbers_and_print_set_up(tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    write_ledger(SHEET, out)
    ws = _sheet(out)
    assert ws.title == "监督事项台账"
    assert ws["A1"].value == "贺村司法所 监督事项台账（2026年3月）"
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:E1", "A6:E6"}  # title and note across every column
    assert [c.value for c in ws[2]] == ["序号", "登记编号", "受理日期", "事项名称", "按期整改率"]
    received = ws["C3"]
    assert received.is_date and received.value.date() == date(2026, 3, 2) and received.number_format == "yyyy-mm-dd"
    assert ws["A4"].value == 2 and ws["A4"].data_type == "n"  # numbers as numbers
    assert ws["E3"].value == 0.5 and ws["E3"].number_format == "0.0%" and ws["E4"].value == "—"
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:E4"  # header and data: not the title, not the note below
    assert ws["A6"].value == SHEET.note
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$2"
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_columns_are_as_wide_as_their_text_with_cjk_counted_double_and_long_text_wraps(tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    write_ledger(SHEET, out)
    ws = _sheet(out)
    assert display_width("贺监登〔2026〕1号") == 17
    assert ws.column_dimensions["B"].width == 19  # 17 and a margin, at its ceiling
    assert ws.column_dimensions["D"].width == 20  # the long title is cut to the ceiling and wraps…
    assert ws["D4"].alignment.wrap_text
    assert ws.row_dimensions[3].height is None  # one line: the default height
    assert ws.row_dimensions[4].height >= 13 * 4  # …in a row tall enough for its lines (Excel keeps stored heights)


def test_a_target_open_in_excel_or_wps_is_refused_with_the_clerks_message_and_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    out.write_bytes(b"the clerk's earlier ledger")
    owner = tmp_path / "~$台账.xlsx"  # what Excel leaves beside a workbook it has open
    owner.write_bytes(b"")
    with pytest.raises(EnvironmentProblem, match=r"正被其他程序（如 Excel、WPS）打开，请关闭后重试，或换一个文件名。"):
        write_ledger(SHEET, out)
    assert out.read_bytes() == b"the clerk's earlier ledger"
    owner.unlink()
    (tmp_path / ".~lock.台账.xlsx#").write_text("WPS")  # WPS and LibreOffice
    with pytest.raises(EnvironmentProblem, match="正被其他程序"):
        write_ledger(SHEET, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".~lock.台账.xlsx#", "台账.xlsx"]  # no temporary file


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[Path]:
    """A target whose replacement the file system refuses with EPERM, as Windows refuses to rename over a file
    Excel holds open: ``chattr +i`` (root may not rename over an immutable file either)."""
    out = tmp_path / "台账.xlsx"
    out.write_bytes(b"the clerk's earlier ledger")
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(out)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available on this file system")
    yield out
    subprocess.run(["chattr", "-i", str(out)], check=True)


def test_a_refused_rename_says_the_file_is_open_and_leaves_the_old_file_and_no_temporary_one(immutable: Path) -> None:
    with pytest.raises(EnvironmentProblem, match=f"文件“{immutable}”正被其他程序（如 Excel、WPS）打开"):
        write_ledger(SHEET, immutable)
    assert immutable.read_bytes() == b"the clerk's earlier ledger"
    assert [p.name for p in immutable.parent.iterdir()] == ["台账.xlsx"]


def test_a_missing_folder_is_named_and_not_created(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentProblem, match="文件夹“.*没有这个”不存在"):
        write_ledger(SHEET, tmp_path / "没有这个" / "台账.xlsx")
    assert not (tmp_path / "没有这个").exists()


def test_an_existing_ledger_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    out.write_bytes(b"old")
    write_ledger(SHEET, out)
    assert _sheet(out)["B3"].value == "贺监登〔2026〕1号"
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]


def test_text_is_escaped_and_kept_as_typed_and_characters_xml_forbids_are_dropped(tmp_path: Path) -> None:
    """The rows are written as SpreadsheetML text (ledgers/sheet_rows.py): what a clerk typed must come back."""
    typed = ' 油烟<扰民> & "噪声"\x07投诉 '
    sheet = Sheet("台账", "标题", (Column("事项名称", Kind.LONG_TEXT), Column("日期", Kind.DATE)),
                  [(typed, date(2026, 12, 31)), ("", None)])
    out = tmp_path / "台账.xlsx"
    write_ledger(sheet, out)
    ws = _sheet(out)
    assert ws["A3"].value == ' 油烟<扰民> & "噪声"投诉 '  # leading and trailing spaces kept, the BEL dropped
    assert ws["B3"].value.date() == date(2026, 12, 31) and ws["B3"].is_date
    assert ws["A4"].value is None and ws["B4"].value is None
    assert ws["A4"].border.left.style == "thin"  # an empty cell keeps the ledger's grid


def test_a_long_header_in_a_narrow_column_gets_a_taller_header_row(tmp_path: Path) -> None:
    sheet = Sheet("台账", "标题", (Column("期限为推算", Kind.TEXT, 8),), [("是",)])
    write_ledger(sheet, tmp_path / "台账.xlsx")
    assert _sheet(tmp_path / "台账.xlsx").row_dimensions[2].height == 30
