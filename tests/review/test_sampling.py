"""SPEC O-3 (issue 16): the case-file review's sample is reproducible from the list and the recorded seed — in
another process, on another computer, whatever the list's order — takes at least 20 files per unit and all of a unit
with fewer, and never takes a file twice."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from hecun_office.cli import main
from hecun_office.domain.errors import ValidationError
from hecun_office.review.case_list import read_case_list
from hecun_office.review.sampling import CaseFile, draw, draw_key

UNITS = {"贺村镇综合行政执法队": 57, "江山市市场监督管理局贺村市场监督管理所": 23, "贺村镇人民政府": 8}


def _files() -> list[CaseFile]:
    return [CaseFile(unit, f"江执罚〔2026〕{n}号", f"案件{n}", row=i + 3)
            for i, (unit, n) in enumerate((u, n) for u, count in UNITS.items() for n in range(1, count + 1))]


def _list_file(path: Path, files: list[CaseFile], title_row: bool = True) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    if title_row:
        sheet.append(["2026年第一季度行政执法案卷评查清单"])  # a title above the header, as units write them
    sheet.append(["序号", "被评查单位", "案卷编号", "案件名称", "办结日期"])
    for n, f in enumerate(files, start=1):
        sheet.append([n, f.unit, f.number, f.title, "2026-03-01"])
    book.save(path)
    return path


def test_at_least_twenty_per_unit_all_of_a_smaller_unit_and_no_file_twice() -> None:
    sample = draw(_files(), seed=20260315)
    got = {u.unit: u for u in sample.units}
    assert [len(got[u].drawn) for u in UNITS] == [20, 20, 8]
    assert got["贺村镇人民政府"].all_taken and not got["贺村镇综合行政执法队"].all_taken
    for unit in sample.units:
        numbers = [f.number for f in unit.drawn]
        assert len(set(numbers)) == len(numbers)
    with_duplicates = _files() + [CaseFile("贺村镇人民政府", "江执罚〔2026〕3号", row=99),
                                  CaseFile(" 贺村镇人民政府 ", "江执罚〔２０２６〕3号", row=100)]  # full-width digits
    again = draw(with_duplicates, seed=20260315)
    assert again.units == sample.units and [f.row for f in again.duplicates] == [99, 100]


def test_the_same_seed_draws_the_same_sample_whatever_the_order_and_another_seed_another() -> None:
    files = _files()
    shuffled = files[:]
    random.Random(7).shuffle(shuffled)
    # the same files drawn for each unit, listed by number either way
    assert {u.unit: u.drawn for u in draw(shuffled, 42).units} == {u.unit: u.drawn for u in draw(files, 42).units}
    assert {f.number for f in draw(files, 43).drawn} != {f.number for f in draw(files, 42).drawn}


def test_the_draw_is_defined_by_sha256_so_any_platform_can_check_it() -> None:
    """The definition, not an implementation detail: the key is SHA-256 of "seed␟unit␟number" (NFKC, trimmed)."""
    import hashlib

    assert draw_key(42, " 贺村镇人民政府", "江执罚〔２０２６〕1号") == hashlib.sha256(
        "42\x1f贺村镇人民政府\x1f江执罚〔2026〕1号".encode()).digest()
    unit = [f for f in _files() if f.unit == "贺村镇综合行政执法队"]
    expected = sorted(unit, key=lambda f: hashlib.sha256(f"42\x1f{f.unit}\x1f{f.number}".encode()).digest())[:20]
    got = next(u for u in draw(_files(), 42).units if u.unit == "贺村镇综合行政执法队")
    assert {f.number for f in got.drawn} == {f.number for f in expected}


def test_the_command_line_in_another_process_draws_what_a_review_batch_draws(tmp_path: Path) -> None:
    path = _list_file(tmp_path / "案卷清单.xlsx", _files())
    assert [(f.unit, f.number) for f in read_case_list(path)] == [(f.unit, f.number) for f in _files()]
    here = draw(read_case_list(path), 20260315)
    proc = subprocess.run([sys.executable, "-m", "hecun_office", "review", "sample", "--files", str(path),
                           "--seed", "20260315", "--json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)
    assert [(u["unit"], u["listed"], [f["number"] for f in u["drawn"]]) for u in printed["units"]] == [
        (u.unit, u.listed, [f.number for f in u.drawn]) for u in here.units]
    assert printed["seed"] == 20260315 and printed["per_unit"] == 20


def test_bad_seeds_lists_and_counts_are_refused_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValidationError, match="随机种子“-1”不对"):
        draw(_files(), -1)
    with pytest.raises(ValidationError, match="抽取的卷数“0”不对"):
        draw(_files(), 1, per_unit=0)
    with pytest.raises(ValidationError, match="第 5 行缺少被评查单位或案卷编号"):
        draw([CaseFile("", "1号", row=5)], 1)
    book = openpyxl.Workbook()
    book.active.append(["序号", "单位", "办结日期"])
    book.active.append([1, "贺村镇人民政府", "2026-03-01"])
    book.save(tmp_path / "无编号.xlsx")
    assert main(["review", "sample", "--files", str(tmp_path / "无编号.xlsx"), "--seed", "1"]) == 1
    assert "没有找到“案卷编号”列" in capsys.readouterr().err
    (tmp_path / "不是表格.xlsx").write_text("序号,单位\n", encoding="utf-8")
    assert main(["review", "sample", "--files", str(tmp_path / "不是表格.xlsx"), "--seed", "1"]) == 1
    assert "不是 Excel 工作簿" in capsys.readouterr().err
