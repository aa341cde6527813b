"""SPEC O-4 (issue 16): the units' lists of enforcement-certificate holders are imported by their certificate
numbers (a second import updates, nothing doubles), units matched by name, ID numbers masked in lists, and the
certificates expired or expiring within the warning window listed soonest first — also from the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from hecun_office.cli import main
from hecun_office.domain.errors import ValidationError
from hecun_office.services import matters
from hecun_office.services.audit import Actor
from hecun_office.services.personnel import import_list, list_officers
from hecun_office.storage.models import AuditEntry, EnforcementOfficer
from hecun_office.storage.uow import Database

TODAY = date(2026, 3, 2)


def _list(path: Path, db: Database, rows: list[list[object]] | None = None) -> Path:
    unit = matters.list_units(db)[1].name  # 贺村镇综合行政执法队
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["贺村镇行政执法人员持证情况表"])
    sheet.append(["序号", "姓名", "所在单位", "执法证号", "身份证号码", "证件类型", "发证日期", "有效期至"])
    for row in rows if rows is not None else [
            [1, "张伟", unit, "浙J000101", "330881199001011234", "行政执法证", date(2021, 4, 1), date(2026, 3, 20)],
            [2, "李娜", unit, "浙J000102", "330881198805052345", "行政执法证", "2022-05-01", "2027-04-30"],
            [3, "王强", "某未知单位", "浙J000103", "", "行政执法证", "2020年6月1日", "2026年2月28日"]]:
        sheet.append(row)
    book.save(path)
    return path


def test_a_list_is_kept_by_certificate_number_and_a_second_import_updates(db: Database, actor: Actor,
                                                                          tmp_path: Path) -> None:
    result = import_list(db, actor, _list(tmp_path / "名单.xlsx", db))
    assert (result.added, result.updated, result.unmatched_units, result.problems) == (3, 0, ("某未知单位",), ())
    again = import_list(db, actor, _list(tmp_path / "名单2.xlsx", db, [
        [1, "张伟", matters.list_units(db)[1].name, "浙J000101", "330881199001011234", "行政执法证",
         "2021-04-01", "2031-03-31"]]))
    assert (again.added, again.updated) == (0, 1)
    with db.uow() as session:
        assert session.scalar(select(func.count()).select_from(EnforcementOfficer)) == 3
        renewed = session.scalars(select(EnforcementOfficer).where(EnforcementOfficer.certificate_no == "浙J000101")).one()
        assert renewed.expires_on == date(2031, 3, 31) and renewed.unit_id == matters.list_units(db)[1].id
        assert session.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)).one() == \
            "personnel.import"


def test_expired_and_expiring_certificates_are_listed_soonest_first_with_id_numbers_masked(
        db: Database, actor: Actor, tmp_path: Path) -> None:
    import_list(db, actor, _list(tmp_path / "名单.xlsx", db))
    warned = list_officers(db, TODAY, expiring_within=60)
    assert [(r.name, r.days_left, r.expired) for r in warned] == [("王强", -2, True), ("张伟", 18, False)]
    assert warned[1].id_no == "330881********1234"
    assert [r.name for r in list_officers(db, TODAY)] == ["王强", "张伟", "李娜"]
    assert list_officers(db, TODAY, full_id=True)[1].id_no == "330881199001011234"


def test_bad_rows_are_left_out_with_their_row_and_a_list_without_the_columns_is_refused(
        db: Database, actor: Actor, tmp_path: Path) -> None:
    unit = matters.list_units(db)[1].name
    result = import_list(db, actor, _list(tmp_path / "名单.xlsx", db, [
        [1, "张伟", unit, "浙J000101", "", "", "2021-04-01", "2026-13-01"],
        [2, "", unit, "浙J000102", "", "", "", ""],
        [3, "李娜", unit, "浙J000103", "", "", "", "2027-04-30"],
        [4, "李娜", unit, "浙J000103", "", "", "", "2027-04-30"]]))
    assert result.added == 1
    assert result.problems == ("第 3 行的日期无法识别（应为 2026-03-01 这样的日期）", "第 4 行缺少姓名",
                               "第 6 行的执法证号与第 5 行重复，只取前一行")
    book = openpyxl.Workbook()
    book.active.append(["姓名", "所在单位", "备注"])
    book.active.append(["张伟", unit, "无"])
    book.save(tmp_path / "缺列.xlsx")
    with pytest.raises(ValidationError, match="没有找到“执法证号”列"):
        import_list(db, actor, tmp_path / "缺列.xlsx")


def test_the_command_line_imports_as_a_named_account_and_lists_as_json(
        db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_user,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = _list(tmp_path / "名单.xlsx", db)
    monkeypatch.delenv("HECUN_OFFICE_USER", raising=False)
    assert main(["--db", str(db.file), "personnel", "import", str(path)]) == 2  # no account given
    cli_user("wang", "secret1")
    assert main(["--db", str(db.file), "personnel", "import", str(path)]) == 0
    assert "新增 3 人" in capsys.readouterr().out
    assert main(["--db", str(db.file), "--today", TODAY.isoformat(), "personnel", "list", "--expiring-within", "60",
                 "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["expired"], r["id_no"]) for r in listed] == [("王强", True, ""),
                                                                       ("张伟", False, "330881********1234")]


def test_the_dashboard_warns_of_a_certificate_as_its_expiry_comes_near_and_no_more_once_renewed(
        db: Database, actor: Actor, tmp_path: Path) -> None:
    from hecun_office.services.obligations import dashboard

    unit = matters.list_units(db)[1].name
    import_list(db, actor, _list(tmp_path / "名单.xlsx", db, [
        [1, "张伟", unit, "浙J000101", "", "", "2021-04-01", "2026-03-20"]]))

    def certificate_lines(day: date) -> list[str]:
        return [w for w in dashboard(db, day).warnings if w.startswith("执法证")]

    assert certificate_lines(date(2026, 1, 10)) == []  # 69 days before: not yet
    assert certificate_lines(date(2026, 1, 19)) == [
        f"执法证60 天内到期 1 人：张伟（{unit}，2026-03-20到期）。请督促所在单位及时换证；执法证过期的人员不得从事执法活动"
        "（乡镇行政执法主体和行政执法人员资格的合法性）。"]
    assert "已过期 1 人" in certificate_lines(date(2026, 3, 21))[0]
    import_list(db, actor, _list(tmp_path / "换证.xlsx", db, [
        [1, "张伟", unit, "浙J000101", "", "", "2026-03-18", "2031-03-17"]]))
    assert certificate_lines(date(2026, 3, 21)) == []
