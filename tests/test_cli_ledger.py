"""L-4: ``hecun-office ledger KIND --year YYYY [--month M] [--full-names] [--by office] --out FILE.xlsx`` on the
ledger office of tests/ledgers/ledger_data.py: exit 0 saying where and how many rows, else one line in Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from county_data import TODAY, County, copy_county
from db_copies import open_copy
from ledgers.ledger_data import LEDGER_TODAY, LedgerOffice, build_template

from hecun_office import cli_ledger
from hecun_office.cli import main
from hecun_office.services import ledger_export


@pytest.fixture(autouse=True)
def _signed_in(cli_user) -> None:
    cli_user("admin", "secret1")  # writing commands act as a named account (hecun_office/cli_user.py)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, _template_db: Path) -> tuple[Path, Path, LedgerOffice]:
    return build_template(tmp_path_factory.mktemp("cli-ledger"), _template_db)


@pytest.fixture
def db_file(tmp_path: Path, template: tuple[Path, Path, LedgerOffice]) -> Iterator[Path]:
    path = tmp_path / "db" / "office.sqlite3"
    open_copy(template[0], path, template[1]).dispose()
    yield path


def _run(capsys: pytest.CaptureFixture[str], db_file: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(db_file), "--today", LEDGER_TODAY.isoformat(), "ledger", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_names_the_same_ledgers_as_the_service() -> None:
    assert cli_ledger.KINDS == ledger_export.KINDS


def test_a_ledger_is_written_and_the_command_says_where_and_how_many_rows(
        capsys: pytest.CaptureFixture[str], db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "三月台账.xlsx"
    code, printed, err = _run(capsys, db_file, "matters", "--year", "2026", "--month", "3", "--out", str(out))
    assert (code, err) == (0, "")
    assert printed == f"已导出 贺村司法所 监督事项台账（2026年3月）：{out}，共 6 行。\n"
    ws = openpyxl.load_workbook(out).active
    assert ws["L8"].value == "张* 138****5678"  # masked unless asked
    code, printed, _ = _run(capsys, db_file, "matters", "--year", "2026", "--month", "3", "--full-names",
                            "--out", str(out))
    assert code == 0 and openpyxl.load_workbook(out).active["L8"].value == "张三 13812345678"


def test_a_whole_year_when_no_month_is_given(capsys: pytest.CaptureFixture[str], db_file: Path,
                                              tmp_path: Path) -> None:
    code, printed, _ = _run(capsys, db_file, "advices", "--year", "2026", "--out", str(tmp_path / "a.xlsx"))
    assert code == 0 and "建议书制发及整改落实情况表（2026年）" in printed and "共 5 行" in printed


@pytest.mark.parametrize(("argv", "message"), [
    (["matters", "--year", "2026", "--month", "13"], "月份“13”不对：请填写 1—12，或不填表示全年。"),
    (["league", "--year", "2026", "--by", "office"], "按司法所汇总的月度晒绩表只在司法局端提供"),
    (["matters", "--year", "2026", "--by", "office"], "按司法所汇总（--by office）只适用于月度晒绩表（league）。"),
])
def test_a_bad_period_or_option_exits_1_with_one_line_in_chinese(
        capsys: pytest.CaptureFixture[str], db_file: Path, tmp_path: Path, argv: list[str], message: str) -> None:
    code, printed, err = _run(capsys, db_file, *argv, "--out", str(tmp_path / "x.xlsx"))
    assert (code, printed) == (1, "")
    assert err.startswith(message) and err.count("\n") == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_an_unknown_kind_is_a_usage_error_listing_the_ledgers(capsys: pytest.CaptureFixture[str], db_file: Path,
                                                              tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        _run(capsys, db_file, "cases", "--year", "2026", "--out", str(tmp_path / "x.xlsx"))
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert ("参数错误：参数 KIND：无效的选择：'cases'（可选：'matters', 'documents', 'advices', 'league', 'obligations', "
            "'reviews', 'meetings', 'certificates', 'supervisors'）") in err


def test_a_missing_folder_or_a_target_open_in_excel_exits_1_and_leaves_the_file(
        capsys: pytest.CaptureFixture[str], db_file: Path, tmp_path: Path) -> None:
    code, _, err = _run(capsys, db_file, "league", "--year", "2026", "--out", str(tmp_path / "无此文件夹" / "x.xlsx"))
    assert code == 1 and err == f"文件夹“{tmp_path / '无此文件夹'}”不存在，请先建立该文件夹或换一个保存位置。\n"
    target = tmp_path / "晒绩表.xlsx"
    target.write_bytes(b"open in Excel")
    (tmp_path / "~$晒绩表.xlsx").write_bytes(b"")
    code, _, err = _run(capsys, db_file, "league", "--year", "2026", "--out", str(target))
    assert code == 1 and err == f"文件“{target}”正被其他程序（如 Excel、WPS）打开，请关闭后重试，或换一个文件名。\n"
    assert target.read_bytes() == b"open in Excel"


def test_at_the_bureau_league_by_office_ranks_the_townships(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                            county_template: County) -> None:
    county = copy_county(county_template, tmp_path / "county")
    bureau = county.bureau.file
    county.dispose()
    assert bureau is not None
    out = tmp_path / "司法所.xlsx"
    code = main(["--db", str(bureau), "--today", TODAY.isoformat(), "ledger", "league", "--by", "office",
                 "--year", "2026", "--out", str(out)])
    printed = capsys.readouterr().out
    assert (code, printed) == (0, f"已导出 江山市司法局 各司法所年度晒绩表（2026年）：{out}，共 3 行。\n")
    ws = openpyxl.load_workbook(out).active
    assert [ws.cell(r, 2).value for r in (3, 4, 5)] == ["清湖司法所", "贺村司法所", "凤林司法所"]
