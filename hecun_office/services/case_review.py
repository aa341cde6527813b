"""案卷评查 (SPEC O-3, seed 000: 每季度联合开展案卷评查，每个单位抽取不少于 20 卷，不足的全部评查).

A batch names its period, units and reviewers (supervisors and the procuratorate included). Its case files are
entered or imported from the units' .xlsx lists (review/case_list.py: the intake's header detection); the sample is
drawn once, with a recorded seed, by review/sampling.py — the same seed and list give the same sample anywhere
(``hecun-office review sample``). Each drawn file is scored on the batch's score sheet (a copy of
resources/review/score_sheet.toml taken when the batch was made), and a finding becomes a matter (source 案卷评查,
the unit, the file's number) in one step. The review report is drafted from the batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import NotFound, ValidationError
from ..domain.permissions import Permission, require
from ..domain.vocab import Category, Method, Source
from ..review.case_list import read_case_list
from ..review.sampling import MAX_SEED as MAX_SEED  # the UI's seed field names the bound
from ..review.sampling import PER_UNIT as PER_UNIT  # the batch dialog's default
from ..review.sampling import CaseFile as CaseFile  # re-exported for the case-file entry dialog
from ..review.sampling import check_seed, draw
from ..review.score_sheet import ScoreSheet as ScoreSheet  # re-exported for the score dialog
from ..review.score_sheet import load_score_sheet, sheet_data, sheet_from_data
from ..storage.models import Matter, ReviewBatch, ReviewFile, Unit
from ..storage.uow import Database, begin_write
from . import audit, documents
from .audit import Actor
from .matters import MatterInput, Registered, _register, check_input

MAX_FILES = 20_000  # a batch's lists together; a county's quarter is a few hundred


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class BatchInput:
    name: str
    period_from: date
    period_to: date
    reviewers: str = ""
    per_unit: int = PER_UNIT


def check_batch(data: BatchInput) -> None:
    if not data.name.strip():
        raise ValidationError("请填写评查批次名称（如 2026年第四季度行政执法案卷评查）。", "name")
    if len(data.name.strip()) > 120 or len(data.reviewers.strip()) > 2000:
        raise ValidationError("批次名称（120 字）或评查人员（2000 字）过长。", "name")
    if data.period_to < data.period_from:
        raise ValidationError(f"评查期间的结束日 {data.period_to:%Y-%m-%d} 早于开始日 {data.period_from:%Y-%m-%d}。",
                              "period_to")
    if isinstance(data.per_unit, bool) or not isinstance(data.per_unit, int) or not 1 <= data.per_unit <= 1000:
        raise ValidationError(f"每个单位抽取的卷数应为 1 到 1000 之间的整数（试点要求不少于 {PER_UNIT} 卷）。", "per_unit")


def _own(session: Session, batch_id: int) -> ReviewBatch:
    row = session.get(ReviewBatch, batch_id)
    if row is None:
        raise NotFound("该评查批次已不存在，请刷新列表。")
    if row.office_code:
        raise ValidationError("该评查批次由司法所报送，本机构只能查看。")
    return row


def create_batch(db: Database, actor: Actor, data: BatchInput, sheet: ScoreSheet | None = None) -> int:
    require(actor.role, Permission.MATTER_WORK)
    check_batch(data)
    sheet = sheet or load_score_sheet()
    now = _now()
    with db.uow() as session:
        begin_write(session)
        batch = ReviewBatch(office_code="", name=data.name.strip(), period_from=data.period_from,
                            period_to=data.period_to, reviewers=data.reviewers.strip(), per_unit=data.per_unit,
                            sheet_name=sheet.name, sheet=sheet_data(sheet), created_at=now, updated_at=now)
        session.add(batch)
        session.flush()
        audit.append(session, actor, "review.batch", "review_batch", batch.uuid, {"name": batch.name})
        return batch.id


def _own_file(session: Session, file_id: int) -> tuple[ReviewFile, ReviewBatch]:
    """A case file of one of the office's own batches, with its batch."""
    file = session.get(ReviewFile, file_id)
    if file is None:
        raise NotFound("该案卷已不在评查清单中，请刷新。")
    return file, _own(session, file.batch_id)


def _sampled(batch: ReviewBatch) -> bool:
    return batch.seed is not None


def add_files(db: Database, actor: Actor, batch_id: int, files: Iterable[CaseFile]) -> int:
    """Add case files to a batch's list (by hand or from a unit's list); a file already listed for its unit is
    not listed twice. Refused once the sample is drawn: the draw is defined over the list as it was. Returns how
    many were added."""
    require(actor.role, Permission.MATTER_WORK)
    files = list(files)
    with db.uow() as session:
        begin_write(session)
        batch = _own(session, batch_id)
        if _sampled(batch):
            raise ValidationError(f"本批次已于随机种子 {batch.seed} 抽样，案卷清单不能再增加；如需补充，请另建批次。")
        held = {(f.unit_name, f.file_no) for f in batch.files}
        if len(held) + len(files) > MAX_FILES:
            raise ValidationError(f"一个评查批次最多 {MAX_FILES} 卷，请按单位分批。")
        units = dict(session.execute(select(Unit.name, Unit.id).where(Unit.office_code == "")).all())
        added = 0
        for f in files:
            unit, number = f.unit.strip(), f.number.strip()
            if not unit or not number:
                where = f"第 {f.row} 行" if f.row else "该案卷"
                raise ValidationError(f"{where}缺少被评查单位或案卷编号，请补全后重试。", "files")
            if len(unit) > 128 or len(number) > 120 or len(f.title) > 300:
                raise ValidationError(f"案卷“{number[:40]}”的单位名称、编号或案件名称过长。", "files")
            if (unit, number) in held:
                continue
            held.add((unit, number))
            batch.files.append(ReviewFile(unit_name=unit, unit_id=units.get(unit), file_no=number,
                                          title=f.title.strip(), list_row=f.row))
            added += 1
        batch.version += 1
        batch.updated_at = _now()
        audit.append(session, actor, "review.files", "review_batch", batch.uuid, {"added": added})
        return added


def import_files(db: Database, actor: Actor, batch_id: int, path: Path) -> int:
    """A unit's case-file list (.xlsx), read with the intake's header detection."""
    return add_files(db, actor, batch_id, read_case_list(path))


def draw_sample(db: Database, actor: Actor, batch_id: int, seed: int) -> int:
    """Draw the batch's sample with ``seed`` (recorded with the batch) exactly as ``review sample`` does; returns
    the number of files drawn. Once drawn, it stays: a second draw would let anyone pick the files they like."""
    require(actor.role, Permission.MATTER_WORK)
    check_seed(seed)
    with db.uow() as session:
        begin_write(session)
        batch = _own(session, batch_id)
        if _sampled(batch):
            raise ValidationError(f"本批次已用随机种子 {batch.seed} 抽样，不能重新抽取。")
        if not batch.files:
            raise ValidationError("本批次还没有案卷清单：请先导入或录入各单位的案卷。")
        listed = sorted(batch.files, key=lambda f: f.id)
        sample = draw((CaseFile(f.unit_name, f.file_no, f.title, f.list_row) for f in listed), seed, batch.per_unit)
        chosen = {(u.unit, f.number) for u in sample.units for f in u.drawn}
        for f in listed:
            f.drawn = (f.unit_name, f.file_no) in chosen
        batch.seed, batch.version, batch.updated_at = str(seed), batch.version + 1, _now()
        audit.append(session, actor, "review.sample", "review_batch", batch.uuid, {"seed": seed, "drawn": len(chosen)})
        return len(chosen)


def batch_sheet(batch: ReviewBatch) -> ScoreSheet:
    return sheet_from_data(batch.sheet)


def score_file(db: Database, actor: Actor, file_id: int, scores: Mapping[str, float], finding: str, on: date,
               today: date) -> str:
    """Score a drawn file on its batch's sheet; returns the grade."""
    require(actor.role, Permission.MATTER_WORK)
    if on > today:
        raise ValidationError(f"评查日期 {on:%Y-%m-%d} 晚于今天，请检查日期。", "on")
    if len(finding.strip()) > 5000:
        raise ValidationError("发现的问题过长，请控制在 5000 字以内，详细材料可作为附件。", "finding")
    with db.uow() as session:
        begin_write(session)
        file, batch = _own_file(session, file_id)
        if not file.drawn:
            raise ValidationError(f"案卷 {file.file_no} 未被抽中，不在本批次的评查范围内。")
        scored = batch_sheet(batch).grade(scores)
        file.scores, file.total, file.grade = dict(scores), scored.total, scored.grade
        file.finding, file.scored_by, file.scored_on = finding.strip(), actor.name, on
        batch.version += 1
        batch.updated_at = _now()
        audit.append(session, actor, "review.score", "review_batch", batch.uuid,
                     {"file": file.file_no, "total": scored.total, "grade": scored.grade})
        return scored.grade


def finding_to_matter(db: Database, actor: Actor, file_id: int, today: date) -> Registered:
    """A scored file's finding becomes a supervision matter in one step: source and method 案卷评查, the file's unit,
    its number as the source reference, the finding as the facts."""
    require(actor.role, Permission.MATTER_WORK)
    with db.uow() as session:
        begin_write(session)
        file, batch = _own_file(session, file_id)
        if file.matter_id is not None:
            reg_no = session.scalar(select(Matter.reg_no).where(Matter.id == file.matter_id))
            raise ValidationError(f"该案卷发现的问题已登记为事项 {reg_no}。")
        if not file.finding.strip():
            raise ValidationError(f"案卷 {file.file_no} 还没有记录发现的问题：请先在评分中填写“发现的问题”。", "finding")
        unit_id = file.unit_id or session.scalar(select(Unit.id).where(Unit.office_code == "",
                                                                     Unit.name == file.unit_name))
        if unit_id is None:
            raise ValidationError(f"被评查单位“{file.unit_name}”不在本所的被监督单位名录中：请在“设置 → 被监督单位”中添加"
                                  "（名称与清单一致），再登记事项。", "unit")
        data = MatterInput(received_on=file.scored_on or today, source=Source.CASE_REVIEW.value,
                           title=f"案卷评查发现问题：{file.unit_name} {file.file_no}"[:200],
                           category=Category.LEGALITY.value, unit_ids=[unit_id], method=Method.CASE_REVIEW.value,
                           source_ref=file.file_no, facts=f"{batch.name}，案卷 {file.file_no}"
                           f"{('（' + file.title + '）') if file.title else ''}，"
                           f"得分 {file.total:g}，等次{file.grade}。发现的问题：{file.finding.strip()}")
        check_input(data, today)
        registered = _register(session, actor, data, today)
        file.matter_id = registered.id
        batch.version += 1
        batch.updated_at = _now()
        audit.append(session, actor, "review.finding", "review_batch", batch.uuid,
                     {"file": file.file_no, "matter": registered.reg_no})
        return registered


@dataclass(frozen=True)
class FileRow:
    id: int
    unit: str
    file_no: str
    title: str
    drawn: bool
    scores: dict[str, float] | None
    total: float | None
    grade: str | None
    finding: str
    scored_on: date | None
    matter_reg_no: str | None


@dataclass(frozen=True)
class UnitSummary:
    unit: str
    listed: int
    drawn: int
    scored: int
    average: float | None
    grades: dict[str, int]
    findings: int


@dataclass(frozen=True)
class BatchRow:
    id: int
    office_code: str
    name: str
    period_from: date
    period_to: date
    reviewers: str
    seed: int | None
    per_unit: int
    listed: int
    drawn: int
    scored: int
    units: tuple[str, ...]


@dataclass(frozen=True)
class BatchDetail:
    batch: BatchRow
    sheet: ScoreSheet
    files: tuple[FileRow, ...]
    summary: tuple[UnitSummary, ...]


def _batch_row(b: ReviewBatch) -> BatchRow:
    units = tuple(dict.fromkeys(f.unit_name for f in sorted(b.files, key=lambda f: f.id)))
    return BatchRow(b.id, b.office_code, b.name, b.period_from, b.period_to, b.reviewers,
                    int(b.seed) if b.seed is not None else None, b.per_unit, len(b.files),
                    sum(1 for f in b.files if f.drawn), sum(1 for f in b.files if f.grade), units)


def list_batches(db: Database, office_code: str = "") -> list[BatchRow]:
    with db.uow() as session:
        batches = session.scalars(select(ReviewBatch).where(ReviewBatch.office_code == office_code)
                                  .order_by(ReviewBatch.period_from.desc(), ReviewBatch.id.desc())).all()
        return [_batch_row(b) for b in batches]


def summarize(files: Iterable[FileRow], grades: Iterable[str]) -> tuple[UnitSummary, ...]:
    by_unit: dict[str, list[FileRow]] = {}
    for f in files:
        by_unit.setdefault(f.unit, []).append(f)
    out = []
    labels = list(grades)
    for unit, rows in by_unit.items():
        scored = [r for r in rows if r.total is not None]
        out.append(UnitSummary(
            unit, len(rows), sum(1 for r in rows if r.drawn), len(scored),
            round(sum(r.total for r in scored if r.total is not None) / len(scored), 1) if scored else None,
            {g: sum(1 for r in scored if r.grade == g) for g in labels},
            sum(1 for r in scored if r.finding)))
    return tuple(out)


def batch_detail(db: Database, batch_id: int) -> BatchDetail:
    with db.uow() as session:
        b = session.get(ReviewBatch, batch_id)
        if b is None:
            raise NotFound("该评查批次已不存在，请刷新列表。")
        reg = dict(session.execute(select(Matter.id, Matter.reg_no).join(ReviewFile, ReviewFile.matter_id == Matter.id)
                                   .where(ReviewFile.batch_id == b.id)).all())
        files = tuple(FileRow(f.id, f.unit_name, f.file_no, f.title, f.drawn, f.scores, f.total, f.grade, f.finding,
                              f.scored_on, reg.get(f.matter_id) if f.matter_id else None)
                      for f in sorted(b.files, key=lambda f: f.id))
        sheet = batch_sheet(b)
        return BatchDetail(_batch_row(b), sheet, files, summarize(files, [g.label for g in sheet.grades]))


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def report_text(detail: BatchDetail) -> str:
    """The review report's 评查情况, drafted from the batch: the sample, per unit what was listed, drawn and scored,
    the average, the grades, and the findings (turned into matters or not). Chinese official text: no spaces
    around numbers."""
    b = detail.batch
    seed = f"随机种子{b.seed}" if b.seed is not None else "尚未抽样"
    lines = [f"评查{_day(b.period_from)}至{_day(b.period_to)}期间的行政执法案卷，按每个单位随机抽取不少于{b.per_unit}卷"
             f"（不足的全部评查）的要求抽样（{seed}），共涉及{len(detail.summary)}个单位，清单{b.listed}卷，"
             f"抽取{b.drawn}卷，已评查{b.scored}卷。"]
    for n, s in enumerate(detail.summary, start=1):
        grades = "，".join(f"{g}{c}卷" for g, c in s.grades.items() if c) or "尚无评分"
        avg = f"平均{s.average:g}分，" if s.average is not None else ""
        lines.append(f"{n}．{s.unit}：清单{s.listed}卷，抽取{s.drawn}卷，评查{s.scored}卷，{avg}{grades}；"
                     f"发现问题{s.findings}卷。")
    findings = [f for f in detail.files if f.finding]
    if findings:
        lines.append("发现的主要问题：")
        for f in findings:
            matter = f"（已登记为监督事项{f.matter_reg_no}）" if f.matter_reg_no else ""
            lines.append(f"{f.unit}（{f.file_no}）：{f.finding}{matter}")
    return "\n".join(lines)


REPORT_FORM = "review_report"


def report_values(db: Database, batch_id: int, today: date) -> dict[str, object]:
    """The review report's values drafted from the batch, over the form's defaults."""
    values = documents.draft_values(db, REPORT_FORM, None, today)
    detail = batch_detail(db, batch_id)
    values.update({"batch_name": detail.batch.name, "reviewers": detail.batch.reviewers or "评查人员",
                   "results": report_text(detail)})
    return values


def draft_report(db: Database, actor: Actor, batch_id: int, today: date) -> int:
    """Draft the batch's review report (行政执法案卷评查情况报告); returns the document id."""
    require(actor.role, Permission.DOCUMENT_DRAFT)
    values = report_values(db, batch_id, today)
    with db.uow() as session:
        _own(session, batch_id)
        return documents.add_draft(session, actor, REPORT_FORM, None, values)
