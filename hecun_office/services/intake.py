"""M-5: importing hotline / complaint-platform work orders: saved column mappings, preview, import.

The import is one transaction: either every decision of the clerk is carried out, or (cancel, error) nothing is
and no registration number is used. Every row of the file ends in exactly one bucket of the report.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import NotFound, ValidationError
from ..domain.lifecycle import Action
from ..domain.permissions import Permission, require
from ..domain.vocab import Category, Source, Track
from ..ledgers.intake import (
    ENFORCEMENT_KEYWORDS,
    FIELDS,
    IntakeFileError,
    IntakeMappingError,
    IntakeRow,
    RawSheet,
    cell_text,
    check_mapping,
    load_sheet,
    parse_rows,
    read_workbook,
    suggest_mapping,
)
from ..storage.backup import backup_sqlite
from ..storage.models import IntakeMapping, Matter, MatterRef, Unit
from ..storage.uow import Database
from . import audit
from .audit import Actor
from .matters import MatterInput, _register, check_input, record_fact
from .search import label as vocab_label
from .search import reindex_matter

__all__ = [
    "FIELDS", "cell_text", "IntakeFileError", "IntakeMappingError", "IntakeRow", "RawSheet", "read_workbook", "load_sheet",
    "suggest_mapping", "check_mapping", "ColumnMapping", "save_mapping", "list_mappings", "get_mapping",
    "delete_mapping", "RowStatus", "Decision", "ExistingMatter", "PreviewRow", "IntakePreview", "preview_intake",
    "IntakeDefaults", "Outcome", "RowOutcome", "IntakeReport", "apply_intake", "run_to_end", "INTAKE_SOURCES",
]

# The platforms whose exports are imported (M-1 sources).
INTAKE_SOURCES = (Source.HOTLINE, Source.COMPLAINT_PLATFORM)
NAME_MAX = 64
_CHUNK = 500  # IN (...) lists stay well below SQLite's variable limit


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# ---- saved mappings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnMapping:
    """Which spreadsheet header feeds which matter field, for one platform (``source``)."""

    source: str
    columns: dict[str, str]  # field key (ledgers.intake.FIELDS) -> header text
    name: str = ""
    id: int | None = None


def _checked_columns(source: str, columns: Mapping[str, str]) -> dict[str, str]:
    if source not in {s.value for s in Source}:
        raise ValidationError("请选择工单来源（12345热线或省投诉举报平台）。", "source")
    keys = {f.key for f in FIELDS}
    unknown = [k for k in columns if k not in keys]
    if unknown:
        raise ValidationError(f"映射中有未知的字段：{'、'.join(unknown)}。", "columns")
    clean = {k: v.strip() for k, v in columns.items() if v and v.strip()}
    if not clean:
        raise ValidationError("映射是空的：请至少为“工单编号”和“受理时间”选择列。", "columns")
    return clean


def _row(m: IntakeMapping) -> ColumnMapping:
    return ColumnMapping(m.source, {str(k): str(v) for k, v in m.columns.items()}, m.name, m.id)


def save_mapping(db: Database, actor: Actor, name: str, source: str, columns: Mapping[str, str]) -> ColumnMapping:
    """Save under ``name``; a mapping of that name is replaced (the clerk chose to overwrite it)."""
    require(actor.role, Permission.MATTER_WORK)
    name = " ".join(name.split())
    if not name:
        raise ValidationError("请给映射起个名字，例如“12345热线导出”。", "name")
    if len(name) > NAME_MAX:
        raise ValidationError(f"映射名称过长（{len(name)} 字），请控制在 {NAME_MAX} 字以内。", "name")
    clean = _checked_columns(source, columns)
    with db.uow() as session:
        now = _now()
        row = session.scalar(select(IntakeMapping).where(IntakeMapping.name == name))
        if row is None:
            row = IntakeMapping(name=name, source=source, columns=clean, created_at=now, updated_at=now)
            session.add(row)
        else:
            row.source, row.columns, row.updated_at = source, clean, now
        session.flush()
        audit.append(session, actor, "intake_mapping.save", "intake_mapping", row.id,
                     {"name": name, "source": source, "columns": clean})
        return _row(row)


def list_mappings(db: Database) -> list[ColumnMapping]:
    with db.uow() as session:
        return [_row(m) for m in session.scalars(select(IntakeMapping).order_by(IntakeMapping.name))]


def get_mapping(db: Database, name: str) -> ColumnMapping:
    with db.uow() as session:
        row = session.scalar(select(IntakeMapping).where(IntakeMapping.name == name))
        if row is None:
            raise NotFound(f"没有名为“{name}”的映射，它可能已被删除。请重新选择。")
        return _row(row)


def delete_mapping(db: Database, actor: Actor, name: str) -> None:
    require(actor.role, Permission.MATTER_WORK)
    with db.uow() as session:
        row = session.scalar(select(IntakeMapping).where(IntakeMapping.name == name))
        if row is None:
            raise NotFound(f"没有名为“{name}”的映射，它可能已被删除。")
        audit.append(session, actor, "intake_mapping.delete", "intake_mapping", row.id, {"name": name})
        session.delete(row)


# ---- preview ----------------------------------------------------------------------------------------


class RowStatus(StrEnum):
    NEW = "new"
    DUPLICATE_EXISTING = "duplicate_existing"  # the work order number is already on a matter
    DUPLICATE_IN_FILE = "duplicate_in_file"  # a second row with a number seen earlier in the file
    NOT_ENFORCEMENT = "not_enforcement"  # no enforcement keyword: left out unless the clerk includes it
    ERROR = "error"


class Decision(StrEnum):
    REGISTER = "register"
    MERGE = "merge"
    SKIP = "skip"


@dataclass(frozen=True)
class ExistingMatter:
    id: int
    reg_no: str
    title: str
    imported: bool  # this very work order (same number, same platform) is already recorded on the matter


@dataclass(frozen=True)
class PreviewRow:
    row: IntakeRow
    status: RowStatus
    default: Decision
    allowed: tuple[Decision, ...]
    existing: ExistingMatter | None = None
    first_row: int | None = None  # DUPLICATE_IN_FILE: the row the number first appeared in
    unit_id: int | None = None  # the supervised unit whose name matches 承办单位, if exactly one does
    unit_name: str = ""


@dataclass(frozen=True)
class IntakePreview:
    file_name: str
    sha256: str
    sheet_name: str
    header_row: int
    mapping: ColumnMapping
    rows: tuple[PreviewRow, ...]

    def count(self, status: RowStatus) -> int:
        return sum(1 for r in self.rows if r.status == status)

    def counts(self) -> dict[RowStatus, int]:
        return {s: self.count(s) for s in RowStatus}


def _existing(session: Session, refs: Sequence[str], source: str) -> dict[str, ExistingMatter]:
    """Work-order number -> the (oldest) matter carrying it as its own source reference or a merged one."""
    found: dict[str, tuple[int, str, str, bool]] = {}

    def keep(ref: str, matter_id: int, reg_no: str, title: str, same: bool) -> None:
        old = found.get(ref)
        if old is None or (same and not old[3]) or (same == old[3] and matter_id < old[0]):
            found[ref] = (matter_id, reg_no, title, same)

    for n in range(0, len(refs), _CHUNK):
        chunk = refs[n:n + _CHUNK]
        for mid, reg_no, title, ref, src in session.execute(
                select(Matter.id, Matter.reg_no, Matter.title, Matter.source_ref, Matter.source)
                .where(Matter.source_ref.in_(chunk))):
            keep(ref or "", mid, reg_no, title, src == source)
        for mid, reg_no, title, ref, src in session.execute(
                select(Matter.id, Matter.reg_no, Matter.title, MatterRef.source_ref, MatterRef.source)
                .join(MatterRef, MatterRef.matter_id == Matter.id).where(MatterRef.source_ref.in_(chunk))):
            keep(ref, mid, reg_no, title, src == source)
    return {ref: ExistingMatter(mid, reg_no, title, same) for ref, (mid, reg_no, title, same) in found.items()}


def match_unit(text: str, units: Sequence[tuple[int, str]]) -> tuple[int, str] | None:
    """The supervised unit named by 承办单位: the same name, or one name containing the other (4+ characters).
    None when nothing or more than one unit fits: then the default unit is used."""
    text = "".join(text.split())
    if len(text) < 2:
        return None
    for uid, name in units:
        if name == text:
            return uid, name
    if len(text) < 4:
        return None
    fits = [(uid, name) for uid, name in units if text in name or name in text]
    return fits[0] if len(fits) == 1 else None


def _classify(row: IntakeRow, existing: ExistingMatter | None, first_row: int | None) -> tuple[
        RowStatus, Decision, tuple[Decision, ...]]:
    D = Decision
    if row.errors:
        return RowStatus.ERROR, D.SKIP, (D.SKIP,)
    if first_row is not None:
        return RowStatus.DUPLICATE_IN_FILE, D.SKIP, (D.SKIP,)
    if existing is not None:
        if existing.imported:  # the same work order again (e.g. the same export imported twice)
            return RowStatus.DUPLICATE_EXISTING, D.SKIP, (D.SKIP,)
        return RowStatus.DUPLICATE_EXISTING, D.MERGE, (D.MERGE, D.REGISTER, D.SKIP)
    if not row.enforcement_related:
        return RowStatus.NOT_ENFORCEMENT, D.SKIP, (D.SKIP, D.REGISTER)
    return RowStatus.NEW, D.REGISTER, (D.REGISTER, D.SKIP)


def preview_intake(db: Database, file: Path | RawSheet, mapping: ColumnMapping, today: date,
                   keywords: Sequence[str] = ENFORCEMENT_KEYWORDS) -> IntakePreview:
    """Classify every row of the file; nothing is written."""
    sheet = file if isinstance(file, RawSheet) else load_sheet(Path(file))
    if mapping.source not in {s.value for s in Source}:
        raise ValidationError("请选择工单来源（12345热线或省投诉举报平台）。", "source")
    rows = parse_rows(sheet, mapping.columns, today, keywords)
    refs = sorted({r.work_order_no for r in rows if r.work_order_no and r.ok})
    with db.uow() as session:
        existing = _existing(session, refs, mapping.source)
        units = [(u.id, u.name) for u in session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.id))]
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        first = None
        if row.ok:
            first = seen.get(row.work_order_no)
            seen.setdefault(row.work_order_no, row.row)
        found = existing.get(row.work_order_no) if row.ok else None
        status, default, allowed = _classify(row, found, first)
        unit = match_unit(row.unit, units) if row.unit else None
        out.append(PreviewRow(row, status, default, allowed, found, first, unit[0] if unit else None,
                              unit[1] if unit else ""))
    return IntakePreview(sheet.file_name, sheet.sha256, sheet.sheet_name, sheet.header_row, mapping, tuple(out))


# ---- import -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeDefaults:
    unit_id: int | None = None  # when 承办单位 names no supervised unit
    category: str = Category.LEGALITY.value
    category_map: dict[str, str] = field(default_factory=dict)  # platform's 诉求类型 -> Category code
    handler_id: int | None = None


class Outcome(StrEnum):
    REGISTERED = "registered"
    MERGED = "merged"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass(frozen=True)
class RowOutcome:
    row: int
    work_order_no: str
    outcome: Outcome
    reg_no: str = ""  # the matter registered or merged into
    matter_id: int | None = None
    detail: str = ""
    title: str = ""


@dataclass(frozen=True)
class IntakeReport:
    file_name: str
    outcomes: tuple[RowOutcome, ...]

    def of(self, outcome: Outcome) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.outcome == outcome]

    @property
    def registered(self) -> list[RowOutcome]:
        return self.of(Outcome.REGISTERED)

    @property
    def merged(self) -> list[RowOutcome]:
        return self.of(Outcome.MERGED)

    @property
    def skipped(self) -> list[RowOutcome]:
        return self.of(Outcome.SKIPPED)

    @property
    def errors(self) -> list[RowOutcome]:
        return self.of(Outcome.ERROR)


def _facts(row: IntakeRow) -> str:
    lines = [row.content] if row.content else []
    for label, value in (("事发地址", row.address), ("原承办单位", row.unit), ("诉求类型", row.category)):
        if value:
            lines.append(f"{label}：{value}")
    return "\n".join(lines)


def _category(row: IntakeRow, defaults: IntakeDefaults) -> str:
    if row.category in defaults.category_map:
        return defaults.category_map[row.category]
    try:
        return Category.from_label(row.category).value
    except ValueError:
        return defaults.category


def _skip_reason(item: PreviewRow, chosen: bool) -> str:
    if item.status == RowStatus.DUPLICATE_IN_FILE:
        return f"与第 {item.first_row} 行工单编号相同，未重复导入。"
    if item.existing is not None and item.existing.imported:
        return f"该工单已在 {item.existing.reg_no} 中，未重复导入。"
    if chosen:
        return "按选择跳过。"
    if item.status == RowStatus.NOT_ENFORCEMENT:
        return "未发现执法相关内容，未导入。"
    return "未导入。"


_DECISION_LABEL = {Decision.REGISTER: "登记为新事项", Decision.MERGE: "合并到已有事项", Decision.SKIP: "跳过"}


@dataclass
class _Plan:
    item: PreviewRow
    decision: Decision
    data: MatterInput | None = None


def _plan(db: Database, preview: IntakePreview, decisions: Mapping[int, Decision | str],
          defaults: IntakeDefaults, today: date) -> tuple[list[_Plan], dict[int, RowOutcome]]:
    """Decide and check every row before anything is written: refusals become error outcomes."""
    with db.uow() as session:
        active = set(session.scalars(select(Unit.id).where(Unit.active.is_(True))))
    if defaults.unit_id is not None and defaults.unit_id not in active:
        raise ValidationError("所选的默认被监督单位不存在或已停用，请重新选择。", "unit_id")
    if defaults.category not in {c.value for c in Category}:
        raise ValidationError("请选择默认的监督内容。", "category")
    known = {p.row.row for p in preview.rows}
    stray = sorted(set(decisions) - known)
    if stray:
        raise ValidationError(f"处理意见中的第 {stray[0]} 行不在预览中，请重新预览后再导入。", "decisions")
    plans: list[_Plan] = []
    done: dict[int, RowOutcome] = {}
    for item in preview.rows:
        row = item.row
        chosen = decisions.get(row.row)
        try:
            decision = Decision(chosen) if chosen is not None else item.default
        except ValueError:
            raise ValidationError(f"第 {row.row} 行的处理意见无效，请重新选择。", "decisions") from None
        if row.errors:
            done[row.row] = RowOutcome(row.row, row.work_order_no, Outcome.ERROR, detail="；".join(row.errors),
                                       title=row.title)
            continue
        if decision not in item.allowed:
            raise ValidationError(f"第 {row.row} 行不能“{_DECISION_LABEL[decision]}”，请重新选择。", "decisions")
        if decision == Decision.SKIP:
            done[row.row] = RowOutcome(row.row, row.work_order_no, Outcome.SKIPPED,
                                       detail=_skip_reason(item, chosen is not None), title=row.title)
            continue
        if decision == Decision.MERGE:
            plans.append(_Plan(item, decision))
            continue
        unit_id = item.unit_id or defaults.unit_id
        if unit_id is None or unit_id not in active:
            done[row.row] = RowOutcome(row.row, row.work_order_no, Outcome.ERROR, title=row.title, detail=(
                f"第 {row.row} 行：承办单位“{row.unit or '（空）'}”对应不到被监督单位，且没有选择默认被监督单位。"))
            continue
        assert row.received_on is not None  # rows without a date are errors
        data = MatterInput(
            received_on=row.received_on, source=preview.mapping.source, title=row.title,
            category=_category(row, defaults), unit_ids=[unit_id], track=Track.GENERAL.value,
            source_ref=row.work_order_no, facts=_facts(row), handler_id=defaults.handler_id,
            complainant_name=row.complainant, complainant_phone=row.phone,
        )
        try:
            check_input(data, today)
        except ValidationError as exc:
            done[row.row] = RowOutcome(row.row, row.work_order_no, Outcome.ERROR, detail=f"第 {row.row} 行：{exc.message}",
                                       title=row.title)
            continue
        plans.append(_Plan(item, decision, data))
    return plans, done


def _merge(session: Session, actor: Actor, item: PreviewRow, source: str) -> tuple[str, int]:
    assert item.existing is not None
    row = item.row
    matter = session.get(Matter, item.existing.id)
    if matter is None:
        raise NotFound(f"第 {row.row} 行要合并到的事项 {item.existing.reg_no} 已不存在，请重新预览后再导入。")
    assert row.received_on is not None
    now = _now()
    session.add(MatterRef(matter_id=matter.id, source=source, source_ref=row.work_order_no,
                          received_on=row.received_on, summary=row.title, merged_by=actor.name, merged_at=now))
    last = matter.events[-1].on_date if matter.events else matter.received_on
    # The business date is the day the further work order came in, but never before the timeline's last
    # entry: the timeline stays in order and the merge constrains no later step.
    on = max(last, row.received_on)
    reason = f"合并工单 {row.work_order_no}（{vocab_label(Source, source)}，受理时间 {row.received_on:%Y-%m-%d}）：{row.title}"
    record_fact(session, actor, matter, Action.MERGE_REF, on, reason,
                {"source": source, "source_ref": row.work_order_no, "ref_received_on": row.received_on.isoformat()})
    reindex_matter(session, matter.id)  # the merged number finds the matter too (M-6)
    audit.append(session, actor, "matter.merge_ref", "matter", matter.uuid,
                 {"reg_no": matter.reg_no, "source": source, "source_ref": row.work_order_no})
    return matter.reg_no, matter.id


def apply_intake(db: Database, actor: Actor, preview: IntakePreview, decisions: Mapping[int, Decision | str],
                 defaults: IntakeDefaults, today: date,
                 backup: bool = True) -> Generator[tuple[int, int], None, IntakeReport]:
    """Carry out the clerk's decisions (rows not in ``decisions`` take their default), yielding (done, total).

    Everything happens in one transaction that commits only after the last step: closing the generator early
    (cancel) rolls back and leaves the database and the number sequence as they were. A verified backup of
    the SQLite file is taken first (N-1)."""
    require(actor.role, Permission.MATTER_WORK)
    plans, done = _plan(db, preview, decisions, defaults, today)
    total = len(plans)
    yield 0, total
    if backup and db.file is not None:
        backup_sqlite(db.engine, db.file, reason="before-intake")
    with db.uow() as session:
        for n, plan in enumerate(plans, start=1):
            row = plan.item.row
            if plan.decision == Decision.MERGE:
                reg_no, matter_id = _merge(session, actor, plan.item, preview.mapping.source)
                done[row.row] = RowOutcome(row.row, row.work_order_no, Outcome.MERGED, reg_no, matter_id,
                                           f"已作为补充工单合并到 {reg_no}。", row.title)
            else:
                assert plan.data is not None
                result = _register(session, actor, plan.data, today)
                note = f"已登记为 {result.reg_no}。"
                if result.duplicates:
                    note += f"注意：与 {'、'.join(result.duplicates)} 工单编号相同。"
                done[row.row] = RowOutcome(row.row, row.work_order_no, Outcome.REGISTERED, result.reg_no,
                                           result.id, note, row.title)
            yield n, total
        report = IntakeReport(preview.file_name, tuple(done[p.row.row] for p in preview.rows))
        audit.append(session, actor, "intake.import", "intake_file", preview.sha256, {
            "file": preview.file_name, "source": preview.mapping.source, "rows": len(report.outcomes),
            "registered": [o.reg_no for o in report.registered],
            "merged": [[o.work_order_no, o.reg_no] for o in report.merged],
            "skipped": len(report.skipped), "errors": len(report.errors)})
    return report


def run_to_end(steps: Generator[tuple[int, int], None, Any]) -> Any:
    """Drive a progress generator to its result (CLI, tests)."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value
