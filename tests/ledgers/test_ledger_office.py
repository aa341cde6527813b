"""L-1 at an office: the five ledgers of the ledger office (ledger_data.py), written to real .xlsx files and read back
with openpyxl, against the story's known answers; masking (M-7) and the audit entry of every export (N-1); the
period's ledgers in one go, cancelled without a trace (U-3)."""

from __future__ import annotations

from collections.abc import Generator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from hecun_office.domain.errors import EnvironmentProblem, ValidationError
from hecun_office.services.audit import Actor, verify_chain
from hecun_office.services.intake import run_to_end
from hecun_office.services.ledger_export import KINDS, Period, export_ledger, export_ledgers_steps
from hecun_office.services.setup import default_actor
from hecun_office.storage.models import AuditEntry
from hecun_office.storage.uow import Database

from .ledger_data import COMPLAINANT, LEDGER_TODAY, VOID_REASON, VOIDED_NUMBER, LedgerOffice

MARCH = Period.of(2026, 3)


def _export(db: Database, kind: str, period: Period, out: Path, **options: Any) -> list[list[object]]:
    result = export_ledger(db, kind, period, out, actor=default_actor(db), today=LEDGER_TODAY, **options)
    ws = openpyxl.load_workbook(out).active
    rows = [[_plain(c.value) for c in row] for row in ws.iter_rows(min_row=3, max_row=2 + result.rows)]
    assert result.rows == len(rows) and result.path == out
    return [[c.value for c in ws[1]][:1], [c.value for c in ws[2]], *rows]


def _plain(value: object) -> object:
    return value.date() if isinstance(value, datetime) else value  # openpyxl reads a date cell as a datetime


def test_the_matters_ledger_has_one_row_per_matter_received_in_the_month_with_labels_not_codes(
        ledger_db: Database, tmp_path: Path) -> None:
    title, headers, *rows = _export(ledger_db, "matters", MARCH, tmp_path / "matters.xlsx")
    assert title == ["贺村司法所 监督事项台账（2026年3月）"]
    assert headers == ["序号", "登记编号", "受理日期", "来源", "来源编号", "事项名称", "被监督单位", "监督内容类别",
                       "事项类型", "状态", "承办人", "投诉人", "整改期限", "办结日期"]
    assert [r[1] for r in rows] == [f"贺监登〔2026〕{n}号" for n in (1, 2, 3, 5, 4, 6)]  # by date received
    on_time, _late, escalated, no_issue, _pending, complaint = rows
    assert on_time == [1, "贺监登〔2026〕1号", date(2026, 3, 2), "12345政务服务热线", None, "行政许可超期办结", "贺村镇人民政府",
                       "法律法规规章在乡镇层面的实施情况", "一般事项", "已整改", "王晓燕", None, date(2026, 3, 18), None]
    assert escalated[9] == "已提请司法局"
    assert (no_issue[9], no_issue[13]) == ("办结", date(2026, 3, 6))  # closed: its closing day
    assert (complaint[4], complaint[11]) == ("GD2026032500001", "张* 138****5678")  # masked as in the list


def test_full_names_show_the_complainant_and_the_audit_log_names_user_ledger_and_period(
        ledger_db: Database, tmp_path: Path) -> None:
    *_, complaint = _export(ledger_db, "matters", MARCH, tmp_path / "full.xlsx", full_names=True)
    assert complaint[11] == " ".join(COMPLAINANT)
    with ledger_db.uow() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        assert verify_chain(session)[1] is None
    assert (entry.actor, entry.action, entry.entity_id) == ("王晓燕", "ledger.export", "matters")
    assert entry.detail == {"kind": "matters", "by_office": False, "period": "2026年3月", "file": "full.xlsx",
                            "rows": 6, "full_names": True}


def test_the_documents_register_holds_every_number_with_the_voided_one_and_its_reason(
        ledger_db: Database, tmp_path: Path) -> None:
    _title, headers, *rows = _export(ledger_db, "documents", MARCH, tmp_path / "documents.xlsx")
    assert headers == ["序号", "文书种类", "文号", "事项名称/标题", "事项登记编号", "成文日期", "状态", "作废理由",
                       "签发人", "送达日期", "送达方式", "受送达人"]
    assert [r[2] for r in rows] == ["贺司建〔2026〕1号", "贺司建〔2026〕2号", "贺司建〔2026〕3号", "贺司报〔2026〕1号",
                                    "贺司建〔2026〕4号", VOIDED_NUMBER]
    assert rows[0] == [1, "行政执法协调监督建议书", "贺司建〔2026〕1号", "行政许可超期办结", "贺监登〔2026〕1号",
                       date(2026, 3, 2), "已签发", None, "李志明", date(2026, 3, 3), "直接送达", "单位内勤"]
    voided = rows[-1]
    assert (voided[1], voided[5], voided[6], voided[7]) == ("联席会议纪要", date(2026, 3, 26), "已作废", VOID_REASON)


def test_the_advices_table_shows_each_outcome_the_late_rectification_and_the_provisional_deadline(
        ledger_db: Database, ledger_office: LedgerOffice, tmp_path: Path) -> None:
    _title, headers, *rows = _export(ledger_db, "advices", Period.of(2026), tmp_path / "advices.xlsx")
    assert headers == ["序号", "事项登记编号", "事项名称", "建议书文号", "制发日期", "被监督单位", "送达日期", "整改期限",
                       "期限为推算", "整改完成日期", "整改情况", "提请司法局日期"]
    by_reg = {r[1]: r for r in rows}
    late = by_reg["贺监登〔2026〕2号"]
    assert late[3:] == ["贺司建〔2026〕2号", date(2026, 3, 2), "贺村镇人民政府", date(2026, 3, 3), date(2026, 3, 13),
                        None, date(2026, 3, 25), "逾期整改", None]
    assert by_reg["贺监登〔2026〕3号"][10:] == ["逾期未整改", date(2026, 3, 20)]
    december = by_reg[ledger_office.december_reg_no]
    assert december[7:11] == [date(2027, 1, 6), "是", None, "整改期限未到"]  # 2027's holidays are not known yet
    ws = openpyxl.load_workbook(tmp_path / "advices.xlsx").active
    assert str(ws.cell(3 + len(rows) + 1, 1).value).startswith("说明：整改情况以统计期末")


def test_the_league_ranks_units_with_rates_as_numbers_and_the_rest_unranked(ledger_db: Database,
                                                                              tmp_path: Path) -> None:
    _title, headers, *rows = _export(ledger_db, "league", MARCH, tmp_path / "league.xlsx")
    assert headers == ["排名", "被监督单位", "收到建议书", "按期整改", "逾期整改", "逾期未整改", "整改期限未到",
                       "提请司法局", "按期整改率"]
    assert rows[0] == [1, "贺村镇人民政府", 2, 1, 1, 0, 0, 0, 0.5]
    assert rows[1] == [2, "贺村镇综合行政执法队", 2, 0, 0, 1, 1, 1, 0]
    assert {r[0] for r in rows[2:]} == {"—"} and {r[8] for r in rows[2:]} == {"—"}
    ws = openpyxl.load_workbook(tmp_path / "league.xlsx").active
    assert ws["I3"].number_format == "0.0%" and ws["A1"].value == "贺村司法所 月度晒绩表（2026年3月）"


def test_the_obligations_register_gives_each_status_and_flags_a_provisional_date(ledger_db: Database,
                                                                                 tmp_path: Path) -> None:
    _title, headers, *rows = _export(ledger_db, "obligations", MARCH, tmp_path / "obligations.xlsx")
    assert headers == ["序号", "事项登记编号", "时限事项", "类型", "起算日", "到期日", "日期为推算", "完成日期", "状态",
                       "备注"]
    report = next(r for r in rows if r[1] == "贺监登〔2026〕3号" and r[3] == "逾期未改报告司法局")
    assert report[4:9] == [date(2026, 3, 13), date(2026, 3, 18), None, date(2026, 3, 20), "逾期完成"]
    assert {r[8] for r in rows} == {"按时完成", "逾期完成", "无需办理"}
    *_, provisional = _export(ledger_db, "obligations", Period.of(2027, 1), tmp_path / "january.xlsx")
    assert provisional[3:9] == ["整改期限", date(2026, 12, 22), date(2027, 1, 6), "是", None, "未到期"]


def test_bad_requests_are_refused_in_chinese_before_any_file(ledger_db: Database, out: Path) -> None:
    actor = default_actor(ledger_db)
    with pytest.raises(ValidationError, match="没有名为“cases”的台账"):
        export_ledger(ledger_db, "cases", MARCH, out / "x.xlsx", actor=actor)
    with pytest.raises(ValidationError, match="只在司法局端提供"):
        export_ledger(ledger_db, "league", MARCH, out / "x.xlsx", actor=actor, by_office=True)
    with pytest.raises(ValidationError, match="只适用于月度晒绩表"):
        export_ledger(ledger_db, "matters", MARCH, out / "x.xlsx", actor=actor, by_office=True)
    with pytest.raises(ValidationError, match=r"应以 \.xlsx 结尾"):
        export_ledger(ledger_db, "matters", MARCH, out / "x.pdf", actor=actor)
    with pytest.raises(EnvironmentProblem, match="不存在"):
        export_ledger(ledger_db, "matters", MARCH, out / "无" / "x.xlsx", actor=actor)
    assert list(out.iterdir()) == []


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of its own for the ledgers (the database copy is beside it)."""
    folder = tmp_path / "ledgers"
    folder.mkdir()
    return folder


def _audit_count(db: Database) -> int:
    with db.uow() as session:
        return len(session.scalars(select(AuditEntry.id)).all())


def test_the_periods_ledgers_in_one_go_with_the_file_names_of_the_folder(ledger_db: Database, out: Path) -> None:
    before = _audit_count(ledger_db)
    steps = export_ledgers_steps(ledger_db, MARCH, out, actor=default_actor(ledger_db), today=LEDGER_TODAY)
    results = run_to_end(steps)
    assert [r.kind for r in results] == list(KINDS)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{name}_2026年3月.xlsx" for name in ("监督事项台账", "文书登记簿", "建议书制发及整改落实情况表", "月度晒绩表", "时限登记簿",
                                             "案卷评查情况表", "联席会议议定事项落实情况表", "执法人员持证情况表",
                                             "法治监督员名册"))
    # the two case files scored in March; the other supervision ledgers: tests/ledgers/test_ledger_supervision.py
    assert [r.rows for r in results] == [6, 6, 4, 10, 10, 2, 0, 0, 0]
    assert _audit_count(ledger_db) == before + len(KINDS)


def test_cancel_leaves_no_file_no_temporary_file_and_the_earlier_ledger_as_it_was(ledger_db: Database,
                                                                                   out: Path) -> None:
    earlier = out / "监督事项台账_2026年3月.xlsx"
    earlier.write_bytes(b"last month's print")
    before = _audit_count(ledger_db)
    actor = Actor("王晓燕", None, "clerk")
    steps: Generator[tuple[int, int], None, Any] = export_ledgers_steps(ledger_db, MARCH, out, actor=actor,
                                                                        today=LEDGER_TODAY)
    progress = [next(steps) for _ in range(4)]  # three ledgers made, the fourth about to be
    assert progress == [(0, 9), (1, 9), (2, 9), (3, 9)]
    assert len(list(out.iterdir())) == 4  # the earlier file and three made beside their targets
    steps.close()  # what the job panel does on 取消
    assert [p.name for p in out.iterdir()] == [earlier.name]
    assert earlier.read_bytes() == b"last month's print"
    assert _audit_count(ledger_db) == before
