"""Issue 16 feeds the ledgers (L-1, SPEC O-1..O-4): 案卷评查情况表 (the files scored in the period),
联席会议议定事项落实情况表 (the decisions of the period's meetings, their progress at the period's end),
执法人员持证情况表 (every holder, the certificate's state at the period's end, ID numbers masked) and
法治监督员名册 (the supervisors in office, what each did in the period) — read back from the real .xlsx files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl

from hecun_office.review.sampling import CaseFile
from hecun_office.services import case_review, matters, meetings, personnel, supervisors
from hecun_office.services.audit import Actor
from hecun_office.services.ledger_export import Period, export_ledger
from hecun_office.services.matters import MatterInput
from hecun_office.storage.uow import Database

MARCH = Period.of(2026, 3)
TODAY = date(2026, 4, 10)
FULL = {"subject": 15, "facts": 25, "law": 20, "procedure": 25, "documents": 10, "filing": 5}


def _rows(db: Database, actor: Actor, kind: str, out: Path) -> tuple[str, list[object], list[list[object]]]:
    result = export_ledger(db, kind, MARCH, out, actor=actor, today=TODAY)
    ws = openpyxl.load_workbook(out).active
    rows = [[c.value.date() if isinstance(c.value, datetime) else c.value for c in row]
            for row in ws.iter_rows(min_row=3, max_row=2 + result.rows)]
    return ws["A1"].value, [c.value for c in ws[2]], rows


def test_the_review_ledger_lists_the_files_scored_in_the_period(db: Database, actor: Actor, tmp_path: Path) -> None:
    unit = matters.list_units(db)[1].name
    bid = case_review.create_batch(db, actor, case_review.BatchInput("一季度评查", date(2026, 1, 1), date(2026, 3, 31)))
    case_review.add_files(db, actor, bid, [CaseFile(unit, f"江执罚〔2026〕{n}号", f"案件{n}", n) for n in (1, 2, 3)])
    case_review.draw_sample(db, actor, bid, 5)
    first, second, third = case_review.batch_detail(db, bid).files
    case_review.score_file(db, actor, first.id, FULL, "", date(2026, 3, 10), TODAY)
    case_review.score_file(db, actor, second.id, {**FULL, "procedure": 0}, "未告知", date(2026, 3, 11), TODAY)
    case_review.score_file(db, actor, third.id, FULL, "", date(2026, 4, 1), TODAY)  # April: not in March's
    reg_no = case_review.finding_to_matter(db, actor, second.id, TODAY).reg_no
    title, headers, rows = _rows(db, actor, "reviews", tmp_path / "reviews.xlsx")
    assert title == "贺村司法所 案卷评查情况表（2026年3月）"
    assert headers[:4] == ["序号", "评查批次", "被评查单位", "案卷编号"]
    assert rows == [[1, "一季度评查", unit, first.file_no, "案件1", 100, "优秀", None, date(2026, 3, 10), None],
                    [2, "一季度评查", unit, second.file_no, "案件2", 75, "不合格", "未告知", date(2026, 3, 11), reg_no]]


def test_the_meetings_ledger_shows_each_decisions_progress_at_the_periods_end(db: Database, actor: Actor,
                                                                              tmp_path: Path) -> None:
    mid = meetings.save_meeting(db, actor, meetings.MeetingInput(
        date(2026, 3, 5), "联席会议", decisions=(
            meetings.DecisionInput("甲", "执法队", date(2026, 3, 20)), meetings.DecisionInput("乙", "司法所", date(2026, 3, 25)),
            meetings.DecisionInput("丙", "", date(2026, 4, 30)), meetings.DecisionInput("丁", "司法所", date(2026, 3, 31)))),
        TODAY)
    keys = [d.key for d in meetings.list_meetings(db)[0].decisions]
    meetings.decision_done(db, actor, mid, keys[0], date(2026, 3, 18), TODAY, "已完成")
    meetings.decision_done(db, actor, mid, keys[1], date(2026, 3, 28), TODAY)
    meetings.decision_done(db, actor, mid, keys[3], date(2026, 4, 2), TODAY)  # after March: not done in March's
    _title, _headers, rows = _rows(db, actor, "meetings", tmp_path / "meetings.xlsx")
    assert [(r[3], r[7], r[8]) for r in rows] == [("甲", "按期完成", "已完成"), ("乙", "逾期完成", None),
                                                  ("丙", "未完成", None), ("丁", "未完成", None)]


def test_the_certificates_ledger_states_each_certificate_at_the_periods_end_with_id_numbers_masked(
        db: Database, actor: Actor, tmp_path: Path) -> None:
    unit = matters.list_units(db)[1].name
    book = openpyxl.Workbook()
    book.active.append(["姓名", "所在单位", "执法证号", "身份证号码", "有效期至"])
    for name, number, expires in (("张伟", "浙J01", date(2026, 3, 20)), ("李娜", "浙J02", date(2026, 5, 1)),
                                  ("王强", "浙J03", date(2027, 1, 1)), ("赵六", "浙J04", None)):
        book.active.append([name, unit, number, "330881199001011234", expires])
    book.save(tmp_path / "名单.xlsx")
    personnel.import_list(db, actor, tmp_path / "名单.xlsx")
    _title, headers, rows = _rows(db, actor, "certificates", tmp_path / "certificates.xlsx")
    assert headers[5] == "身份证号码" and {r[5] for r in rows} == {"330881********1234"}
    assert [(r[2], r[8]) for r in rows] == [("张伟", "已过期"), ("李娜", "即将到期"), ("王强", "有效"),
                                            ("赵六", "有效期未登记")]  # as of 31 March


def test_the_roster_lists_the_supervisors_in_office_with_what_they_did_in_the_period(db: Database, actor: Actor,
                                                                                    tmp_path: Path) -> None:
    unit = matters.list_units(db)[0].id
    active = supervisors.save_supervisor(db, actor, supervisors.SupervisorInput(
        "赵敏", "deputy", date(2024, 3, 21), date(2027, 3, 20), "镇人大", "13812345678"))
    supervisors.save_supervisor(db, actor, supervisors.SupervisorInput("钱二", "public", date(2023, 1, 1),
                                                                      date(2026, 2, 28)))  # ended before March
    supervisors.record_activity(db, actor, active, supervisors.ActivityInput(date(2026, 3, 3), "inspection"), TODAY)
    supervisors.record_activity(db, actor, active, supervisors.ActivityInput(date(2026, 4, 3), "inspection"), TODAY)
    supervisors.report_matter(db, actor, active, MatterInput(date(2026, 3, 9), "supervisor", "占道经营", "legality",
                                                             [unit]), TODAY)
    _title, headers, rows = _rows(db, actor, "supervisors", tmp_path / "supervisors.xlsx")
    assert "联系方式" not in headers
    assert rows == [[1, "赵敏", "人大代表", "镇人大", date(2024, 3, 21), date(2027, 3, 20), 2, 1]]
