"""L-1 at the bureau: the same ledgers over every township with a 司法所 column first, and the league of 司法所
(``league --by office``), on the county of tests/county_data.py (贺村 and 清湖 reported, 凤林 silent) on its day."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import openpyxl
from county_data import EXPECTED, TODAY, County

from hecun_office.services.intake import run_to_end
from hecun_office.services.ledger_export import KINDS, Period, export_ledger, export_ledgers_steps

MARCH = Period.of(2026, 3)


def _rows(county: County, kind: str, period: Period, out: Path, by_office: bool = False) -> list[list[object]]:
    export_ledger(county.bureau, kind, period, out, actor=county.bureau_admin, by_office=by_office, today=TODAY)
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value.startswith("江山市司法局 ")
    rows = [[c.value.date() if isinstance(c.value, datetime) else c.value for c in row] for row in ws.iter_rows(min_row=2)]
    return [r for r in rows if r[0] is not None and not str(r[0]).startswith("说明")]


def test_the_matters_ledger_covers_every_township_with_the_office_first(county: County, tmp_path: Path) -> None:
    headers, *rows = _rows(county, "matters", MARCH, tmp_path / "matters.xlsx")
    assert headers[:3] == ["司法所", "序号", "登记编号"]
    per_office = Counter(r[0] for r in rows)
    assert per_office == {EXPECTED[code]["name"]: EXPECTED[code]["months"][3][0] for code in ("hecun", "qinghu")}
    assert {county.reg_nos["M3"], county.reg_nos["Q4"]} <= {r[2] for r in rows}


def test_the_league_of_offices_ranks_townships_and_lists_the_silent_one_unranked(county: County,
                                                                                 tmp_path: Path) -> None:
    headers, *rows = _rows(county, "league", Period.of(2026), tmp_path / "offices.xlsx", by_office=True)
    assert headers == ["排名", "司法所", "收到建议书", "按期整改", "逾期整改", "逾期未整改", "整改期限未到", "提请司法局",
                       "按期整改率"]
    assert rows[0] == [1, "清湖司法所", 2, 1, 0, 0, 1, 0, 1]
    assert rows[1][:8] == [2, "贺村司法所", 4, 1, 1, 1, 1, 0] and round(rows[1][8], 4) == 0.3333
    assert rows[2] == ["—", "凤林司法所", 0, 0, 0, 0, 0, 0, "—"]
    # a whole year's league is the 年度晒绩表, as the 台账统计 page names it
    assert openpyxl.load_workbook(tmp_path / "offices.xlsx").active["A1"].value == "江山市司法局 各司法所年度晒绩表（2026年）"


def test_the_league_of_units_names_each_units_township(county: County, tmp_path: Path) -> None:
    headers, *rows = _rows(county, "league", Period.of(2026), tmp_path / "units.xlsx")
    assert headers[:3] == ["司法所", "排名", "被监督单位"]
    assert rows[0][:4] == ["清湖司法所", 1, "清湖镇综合行政执法队", 1]
    # the county agency's station on both rosters is one row per township (issue 12)
    shared = [r[0] for r in rows if r[2] == "江山市市场监督管理局贺村市场监督管理所"]
    assert sorted(shared) == ["清湖司法所", "贺村司法所"]


def test_documents_and_obligations_hold_the_bureaus_own_and_the_townships(county: County, tmp_path: Path) -> None:
    _headers, *documents = _rows(county, "documents", MARCH, tmp_path / "documents.xlsx")
    notice = next(r for r in documents if r[2] == "行政执法监督通知书")
    assert (notice[0], notice[3]) == ("江山市司法局", "江司执监〔2026〕1号")
    assert {r[0] for r in documents} == {"江山市司法局", "贺村司法所"}
    _headers, *obligations = _rows(county, "obligations", MARCH, tmp_path / "obligations.xlsx")
    reply = [r for r in obligations if r[0] == "江山市司法局"]
    assert [(r[2], r[9]) for r in reply] == [(county.reg_nos["M6"], "已逾期"), (county.reg_nos["M7"], "未到期")]
    refusal = next(r for r in obligations if r[0] == "清湖司法所" and r[4] == "拒不整改报告司法局")
    assert (refusal[2], refusal[9]) == (county.reg_nos["Q4"], "已逾期")


def test_the_bureau_gets_the_league_of_offices_among_the_periods_ledgers(county: County, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    results = run_to_end(export_ledgers_steps(county.bureau, MARCH, out, actor=county.bureau_admin, today=TODAY))
    assert [(r.kind, r.by_office) for r in results][-2:] == [("supervisors", False), ("league", True)]
    assert (out / "月度晒绩表_司法所_2026年3月.xlsx").is_file() and len(list(out.iterdir())) == len(KINDS) + 1
