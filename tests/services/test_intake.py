"""M-5 through the real services on a real SQLite file: mappings, preview, import, merge, cancel."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from intake_files import (
    DUPLICATE_REF,
    Order,
    hotline_export,
    hotline_orders,
    supervisor_matter_input,
    write_orders,
)
from sqlalchemy import func, select

from hecun_office.domain.errors import NotFound, ValidationError
from hecun_office.domain.permissions import NotPermitted
from hecun_office.services import intake, matters
from hecun_office.services.audit import Actor, verify_chain
from hecun_office.services.intake import (
    ColumnMapping,
    Decision,
    IntakeDefaults,
    IntakePreview,
    Outcome,
    RowStatus,
    apply_intake,
    preview_intake,
    run_to_end,
)
from hecun_office.storage.models import AuditEntry, Matter, MatterEvent, MatterRef, NumberSequence
from hecun_office.storage.uow import Database

TODAY = date(2026, 3, 23)
HOTLINE = ColumnMapping("hotline", {"work_order_no": "工单编号", "received_at": "受理时间", "title": "诉求标题",
                                    "content": "诉求内容", "complainant": "来电人", "phone": "联系电话",
                                    "address": "事发地址", "unit": "承办单位", "category": "诉求类型"})


def _unit(db: Database, name: str) -> int:
    return next(u.id for u in matters.list_units(db) if u.name == name)


@pytest.fixture
def friday_matter(db: Database, actor: Actor) -> matters.Registered:
    """The matter a 法治监督员 reported on Friday, carrying the hotline order's number."""
    data = matters.MatterInput(**supervisor_matter_input(_unit(db, "贺村镇村镇建设管理办公室")))
    return matters.register_matter(db, actor, data, today=date(2026, 3, 20))


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return hotline_export(tmp_path / "12345-0316-0320.xlsx")


def _defaults(db: Database) -> IntakeDefaults:
    return IntakeDefaults(unit_id=_unit(db, "贺村镇人民政府"))


def _state(db: Database) -> tuple[int, int, int, int, int]:
    with db.uow() as session:
        return (int(session.scalar(select(func.count(Matter.id))) or 0),
                int(session.scalar(select(func.count(MatterRef.id))) or 0),
                int(session.scalar(select(func.count(MatterEvent.id))) or 0),
                int(session.scalar(select(func.count(AuditEntry.id))) or 0),
                int(session.scalar(select(NumberSequence.last).where(NumberSequence.series == "matter_registration",
                                                                     NumberSequence.year == 2026)) or 0))


# ---- mappings -------------------------------------------------------------------------------------------


def test_saved_mapping_round_trip(db: Database, actor: Actor) -> None:
    saved = intake.save_mapping(db, actor, " 12345热线  导出 ", "hotline", HOTLINE.columns | {"category": ""})
    assert saved.name == "12345热线 导出" and saved.id is not None
    assert "category" not in saved.columns  # an empty choice means "not imported"
    intake.save_mapping(db, actor, "省平台", "complaint_platform", {"work_order_no": "工单号", "received_at": "登记时间",
                                                                  "content": "工单内容"})
    assert [m.name for m in intake.list_mappings(db)] == ["12345热线 导出", "省平台"]
    assert intake.get_mapping(db, "省平台").columns == {"work_order_no": "工单号", "received_at": "登记时间",
                                                       "content": "工单内容"}
    again = intake.save_mapping(db, actor, "省平台", "complaint_platform", {"work_order_no": "编号", "received_at": "时间"})
    assert intake.get_mapping(db, "省平台").columns == {"work_order_no": "编号", "received_at": "时间"}
    assert again.id == intake.get_mapping(db, "省平台").id and len(intake.list_mappings(db)) == 2
    intake.delete_mapping(db, actor, "省平台")
    assert [m.name for m in intake.list_mappings(db)] == ["12345热线 导出"]
    with pytest.raises(NotFound):
        intake.get_mapping(db, "省平台")
    with pytest.raises(NotFound):
        intake.delete_mapping(db, actor, "省平台")
    with db.uow() as session:
        assert verify_chain(session)[1] is None
        assert session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action.like("intake_mapping.%"))) == 4


@pytest.mark.parametrize(("name", "source", "columns", "field"), [
    ("", "hotline", {"work_order_no": "工单编号"}, "name"),
    ("名" * 65, "hotline", {"work_order_no": "工单编号"}, "name"),
    ("热线", "nonsense", {"work_order_no": "工单编号"}, "source"),
    ("热线", "hotline", {"colour": "颜色"}, "columns"),
    ("热线", "hotline", {"work_order_no": " "}, "columns"),
])
def test_bad_mappings_are_refused(db: Database, actor: Actor, name: str, source: str, columns: dict[str, str],
                                  field: str) -> None:
    with pytest.raises(ValidationError) as err:
        intake.save_mapping(db, actor, name, source, columns)
    assert err.value.field == field
    assert intake.list_mappings(db) == []


# ---- preview ----------------------------------------------------------------------------------------------


def test_preview_classifies_the_mondays_export(db: Database, friday_matter: matters.Registered, export: Path) -> None:
    preview = preview_intake(db, export, HOTLINE, TODAY)
    assert (preview.file_name, preview.sheet_name, preview.header_row) == ("12345-0316-0320.xlsx", "工单列表", 2)
    assert preview.counts() == {RowStatus.NEW: 3, RowStatus.DUPLICATE_EXISTING: 1, RowStatus.DUPLICATE_IN_FILE: 0,
                                RowStatus.NOT_ENFORCEMENT: 33, RowStatus.ERROR: 0}
    [dup] = [r for r in preview.rows if r.status == RowStatus.DUPLICATE_EXISTING]
    assert dup.row.work_order_no == DUPLICATE_REF
    assert dup.existing is not None and dup.existing.reg_no == friday_matter.reg_no == "贺监登〔2026〕1号"
    assert dup.existing.title == "违建拆除决定送达程序存疑" and not dup.existing.imported
    assert (dup.default, dup.allowed) == (Decision.MERGE, (Decision.MERGE, Decision.REGISTER, Decision.SKIP))
    new = [r for r in preview.rows if r.status == RowStatus.NEW]
    assert all(r.default == Decision.REGISTER for r in new)
    assert {r.unit_name for r in new} == {"贺村镇综合行政执法队", "江山市市场监督管理局贺村市场监督管理所"}
    other = [r for r in preview.rows if r.status == RowStatus.NOT_ENFORCEMENT]
    assert all(r.default == Decision.SKIP and Decision.REGISTER in r.allowed for r in other)
    assert _state(db)[0] == 1  # nothing written


def test_duplicates_inside_the_file_and_error_rows(db: Database, tmp_path: Path) -> None:
    orders = hotline_orders(6, 6, duplicate_ref=None)  # all six about enforcement
    orders[1] = Order(orders[1].ref, "2026-13-01", "城管罚款", "城管罚款")  # error: does not claim its number
    orders[2] = Order(orders[1].ref, "2026-03-17", "城管罚款（补充）", "城管罚款")  # so this one is the first good one
    orders[4] = Order(orders[0].ref, "2026-03-18", "再次来电：城管罚款", "城管罚款")
    preview = preview_intake(db, write_orders(tmp_path / "dups.xlsx", orders), HOTLINE, TODAY)
    statuses = [(r.row.row, r.status, r.first_row) for r in preview.rows]
    assert statuses == [(3, RowStatus.NEW, None), (4, RowStatus.ERROR, None), (5, RowStatus.NEW, None),
                        (6, RowStatus.NEW, None), (7, RowStatus.DUPLICATE_IN_FILE, 3), (8, RowStatus.NEW, None)]
    assert preview.rows[1].row.errors == ("第 4 行：受理时间“2026-13-01”不是有效日期。",)
    assert preview.rows[1].allowed == preview.rows[4].allowed == (Decision.SKIP,)


def test_a_mapping_that_does_not_fit_names_the_column(db: Database, export: Path) -> None:
    mapping = ColumnMapping("hotline", {"work_order_no": "工单号", "received_at": "受理时间", "title": "诉求标题"})
    with pytest.raises(intake.IntakeMappingError) as err:
        preview_intake(db, export, mapping, TODAY)
    assert err.value.field == "work_order_no" and "“工单号”" in err.value.message


# ---- import -------------------------------------------------------------------------------------------------


def test_import_registers_only_confirmed_good_rows_with_gapless_numbers(
        db: Database, actor: Actor, friday_matter: matters.Registered, export: Path) -> None:
    preview = preview_intake(db, export, HOTLINE, TODAY)
    new = [r.row.row for r in preview.rows if r.status == RowStatus.NEW]
    included = next(r.row.row for r in preview.rows if r.status == RowStatus.NOT_ENFORCEMENT)
    steps = []
    gen = apply_intake(db, actor, preview, {new[1]: Decision.SKIP, included: "register"}, _defaults(db), TODAY)
    report = None
    while report is None:
        try:
            steps.append(next(gen))
        except StopIteration as stop:
            report = stop.value
    assert steps == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]  # 3 registrations + 1 merge
    assert [o.reg_no for o in report.registered] == ["贺监登〔2026〕2号", "贺监登〔2026〕3号", "贺监登〔2026〕4号"]
    assert [o.reg_no for o in report.merged] == ["贺监登〔2026〕1号"]
    assert len(report.skipped) == 33 and report.errors == []
    # every row of the file in exactly one bucket, in file order
    assert [o.row for o in report.outcomes] == list(range(3, 40))
    skipped = {o.row: o.detail for o in report.skipped}
    assert skipped[new[1]] == "按选择跳过。"
    assert sum(d == "未发现执法相关内容，未导入。" for d in skipped.values()) == 32

    with db.uow() as session:
        by_ref = {m.source_ref: m for m in session.scalars(select(Matter).where(Matter.source == "hotline"))}
        assert len(by_ref) == 3
        first = by_ref[preview.rows[new[0] - 3].row.work_order_no]
        assert (first.title, first.category, first.status) == ("流动摊贩三轮车被暂扣未开具清单", "legality", "registered")
        assert (first.complainant_name, first.complainant_phone) == ("刘建国", "13905701234")
        assert [u.name for u in first.units] == ["贺村镇综合行政执法队"]  # matched by 承办单位
        assert first.received_on == date(2026, 3, 20) and first.handler_id == actor.user_id
        assert "事发地址：贺村镇菜市场门口" in first.facts and "原承办单位：贺村镇综合行政执法队" in first.facts
        plain = next(m for m in by_ref.values() if m.source_ref == preview.rows[included - 3].row.work_order_no)
        assert [u.name for u in plain.units] == ["贺村镇村镇建设管理办公室"]
        assert verify_chain(session)[1] is None
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "intake.import"))
        assert entry is not None and entry.entity_id == preview.sha256
        assert entry.detail["registered"] == ["贺监登〔2026〕2号", "贺监登〔2026〕3号", "贺监登〔2026〕4号"]
        assert entry.detail["skipped"] == 33
    assert db.file is not None
    assert len(list((db.file.parent / "backups").glob("*-before-intake.sqlite3"))) == 1  # N-1
    # the next registration by hand continues the sequence
    assert matters.register_matter(db, actor, matters.MatterInput(**supervisor_matter_input(1)), TODAY).reg_no == \
        "贺监登〔2026〕5号"


def test_merge_adds_a_reference_a_timeline_entry_and_an_audit_entry(
        db: Database, actor: Actor, friday_matter: matters.Registered, export: Path) -> None:
    preview = preview_intake(db, export, HOTLINE, TODAY)
    report = run_to_end(apply_intake(db, actor, preview, {}, _defaults(db), TODAY))
    [merged] = report.merged
    assert (merged.work_order_no, merged.matter_id) == (DUPLICATE_REF, friday_matter.id)
    with db.uow() as session:
        [ref] = session.scalars(select(MatterRef)).all()
        assert (ref.matter_id, ref.source, ref.source_ref, ref.received_on) == (
            friday_matter.id, "hotline", DUPLICATE_REF, date(2026, 3, 17))
        assert (ref.summary, ref.merged_by) == ("违建拆除决定未送达即强制拆除", "王晓燕")
        matter = session.get(Matter, friday_matter.id)
        assert matter is not None and matter.status == "registered" and matter.source == "supervisor"
        assert matter.version == 2  # changed: a packet carries the merge (S-)
        audit_entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "matter.merge_ref"))
        assert audit_entry is not None and audit_entry.entity_id == matter.uuid
        assert audit_entry.detail["source_ref"] == DUPLICATE_REF
    detail = matters.matter_detail(db, friday_matter.id, TODAY)
    assert [e.action_label for e in detail.events] == ["登记", "合并工单"]
    event = detail.events[-1]
    assert (event.from_label, event.to_label, event.on) == ("登记", "登记", date(2026, 3, 20))  # not before the timeline
    assert DUPLICATE_REF in event.reason and "12345政务服务热线" in event.reason
    # the merge does not stand in the way of the next step
    matters.transition_matter(db, actor, friday_matter.id, matters.TransitionInput("start_verification",
                                                                                    date(2026, 3, 20)), TODAY)


def test_cancel_mid_way_leaves_nothing_behind(db: Database, actor: Actor, friday_matter: matters.Registered,
                                              export: Path) -> None:
    before = _state(db)
    preview = preview_intake(db, export, HOTLINE, TODAY)
    gen = apply_intake(db, actor, preview, {}, _defaults(db), TODAY)
    assert [next(gen) for _ in range(4)] == [(0, 4), (1, 4), (2, 4), (3, 4)]
    gen.close()  # the clerk pressed 取消
    assert _state(db) == before
    # also after the last step, before the commit
    gen = apply_intake(db, actor, preview, {}, _defaults(db), TODAY)
    assert [next(gen) for _ in range(5)][-1] == (4, 4)
    gen.close()
    assert _state(db) == before
    report = run_to_end(apply_intake(db, actor, preview, {}, _defaults(db), TODAY))
    assert [o.reg_no for o in report.registered] == ["贺监登〔2026〕2号", "贺监登〔2026〕3号", "贺监登〔2026〕4号"]


def test_a_second_import_of_the_same_file_finds_everything_imported(
        db: Database, actor: Actor, friday_matter: matters.Registered, export: Path) -> None:
    preview = preview_intake(db, export, HOTLINE, TODAY)
    run_to_end(apply_intake(db, actor, preview, {}, _defaults(db), TODAY))
    again = preview_intake(db, export, HOTLINE, TODAY)
    dups = [r for r in again.rows if r.status == RowStatus.DUPLICATE_EXISTING]
    assert len(dups) == 4 and again.count(RowStatus.NEW) == 0
    assert all(r.existing is not None and r.existing.imported and r.allowed == (Decision.SKIP,) for r in dups)
    [merged] = [r for r in dups if r.row.work_order_no == DUPLICATE_REF]
    assert merged.existing is not None and merged.existing.reg_no == friday_matter.reg_no
    before = _state(db)
    report = run_to_end(apply_intake(db, actor, again, {}, _defaults(db), TODAY))
    assert report.registered == [] and report.merged == [] and len(report.skipped) == 37
    assert {o.detail for o in report.skipped if o.work_order_no in {r.row.work_order_no for r in dups}} == {
        f"该工单已在 {r.existing.reg_no} 中，未重复导入。" for r in dups if r.existing}
    after = _state(db)
    assert after[:3] == before[:3] and after[4] == before[4]  # only the import itself is audited


def test_rows_that_cannot_be_registered_are_reported_not_dropped(db: Database, actor: Actor, tmp_path: Path) -> None:
    orders = [Order("GD-1", "2026-03-16", "城管罚款未开票据", "城管罚款未开票据", unit="某某局"),
              Order("GD-2", "2026-03-16", "城管罚款", "城管罚款", unit="江山市市场监督管理局贺村市场监督管理所"),
              Order("GD-3", "2026-13-16", "城管罚款", "城管罚款")]
    preview = preview_intake(db, write_orders(tmp_path / "u.xlsx", orders), HOTLINE, TODAY)
    assert [r.unit_name for r in preview.rows] == ["", "江山市市场监督管理局贺村市场监督管理所", "贺村镇人民政府"]
    report = run_to_end(apply_intake(db, actor, preview, {}, IntakeDefaults(), TODAY))  # no default unit
    assert [(o.row, o.outcome) for o in report.outcomes] == [(3, Outcome.ERROR), (4, Outcome.REGISTERED),
                                                             (5, Outcome.ERROR)]
    assert "某某局" in report.errors[0].detail and "默认被监督单位" in report.errors[0].detail
    assert report.errors[1].detail == "第 5 行：受理时间“2026-13-16”不是有效日期。"
    assert report.registered[0].reg_no == "贺监登〔2026〕1号"


def test_decisions_the_row_does_not_allow_are_refused(db: Database, actor: Actor, export: Path) -> None:
    preview = preview_intake(db, export, HOTLINE, TODAY)
    new = next(r.row.row for r in preview.rows if r.status == RowStatus.NEW)
    for decisions in ({new: Decision.MERGE}, {new: "approve"}, {999: Decision.SKIP}):
        with pytest.raises(ValidationError):
            run_to_end(apply_intake(db, actor, preview, decisions, _defaults(db), TODAY))
    with pytest.raises(ValidationError, match="默认被监督单位"):
        run_to_end(apply_intake(db, actor, preview, {}, IntakeDefaults(unit_id=9999), TODAY))
    with pytest.raises(NotPermitted):
        run_to_end(apply_intake(db, Actor("访客", None, "guest"), preview, {}, _defaults(db), TODAY))
    assert _state(db)[0] == 0


def test_category_from_the_platform_type(db: Database, actor: Actor, tmp_path: Path) -> None:
    orders = [Order("GD-1", "2026-03-16", "城管", "城管", category="执法争议"),
              Order("GD-2", "2026-03-16", "城管", "城管", category="乡镇行政执法信息公开、行政执法与刑事司法衔接情况"),
              Order("GD-3", "2026-03-16", "城管", "城管", category="投诉")]
    preview = preview_intake(db, write_orders(tmp_path / "c.xlsx", orders), HOTLINE, TODAY)
    defaults = IntakeDefaults(unit_id=_unit(db, "贺村镇人民政府"), category="other", category_map={"执法争议": "dispute"})
    run_to_end(apply_intake(db, actor, preview, {}, defaults, TODAY))
    with db.uow() as session:
        assert list(session.scalars(select(Matter.category).order_by(Matter.id))) == ["dispute", "disclosure", "other"]


def test_ten_thousand_rows_preview_and_import(db: Database, actor: Actor, tmp_path: Path) -> None:
    path = hotline_export(tmp_path / "big.xlsx", count=10_000, enforcement=400, duplicate_ref=None)
    started = time.perf_counter()
    sheet = intake.load_sheet(path)
    loaded = time.perf_counter()
    preview: IntakePreview = preview_intake(db, sheet, HOTLINE, TODAY)
    previewed = time.perf_counter()
    report = run_to_end(apply_intake(db, actor, preview, {}, _defaults(db), TODAY))
    applied = time.perf_counter()
    print(f"\n10,000 rows: read {loaded - started:.2f} s, preview {previewed - loaded:.2f} s, "
          f"import of 400 {applied - previewed:.2f} s")
    assert len(report.registered) == 400 and len(report.skipped) == 9_600
    assert report.registered[-1].reg_no == "贺监登〔2026〕400号"
    again = preview_intake(db, sheet, HOTLINE, TODAY)
    assert again.count(RowStatus.DUPLICATE_EXISTING) == 400
