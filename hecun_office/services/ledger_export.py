"""L-1, L-4: the period's ledgers as print-ready Excel files, at an office and at the bureau.

One function per ledger reads plain columns with Core queries (no ORM objects, no lazy loads: 10,000 matters in a
fraction of a second) and returns the rows; ``export_ledger`` writes one file (the CLI), ``export_ledgers_steps``
all of them with progress for the job panel (U-3). The advices and the league come from the statistics service,
so that the ledgers, the report drafts and the charts show the same figures.

Personal data (M-7): the complainant's name and phone are masked as in the lists unless the clerk asks for full
data. Every export is an entry in the audit log (N-1) naming the user, the ledger, the period and whether full
data went out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ..documents.forms import load_forms
from ..domain.documents import DocStatus
from ..domain.errors import NotSetUp, ValidationError
from ..domain.lifecycle import FINAL_STATUSES, Status
from ..domain.masking import mask_id_no
from ..domain.obligations import ObligationKind, ObligationState, obligation_status
from ..domain.supervision import ActivityKind, SupervisorKind
from ..domain.vocab import Category, Mode, Source, Track
from ..ledgers import workbook
from ..ledgers.kinds import KINDS, LEAGUE_BY_OFFICE, LEDGERS, LedgerKind, columns_for, file_name
from ..storage.models import (
    Document,
    EnforcementOfficer,
    Matter,
    MatterEvent,
    Meeting,
    Obligation,
    OfficeObligation,
    OfficeProfile,
    ReviewBatch,
    ReviewFile,
    Supervisor,
    SupervisorActivity,
    Unit,
    User,
    matter_units,
)
from ..storage.uow import Database
from . import audit, statistics
from .audit import Actor
from .reminders import WARN_DAYS
from .search import label, masked_complainant
from .statistics import CLOSING_ACTIONS, Period

__all__ = ["KINDS", "LedgerResult", "Period", "export_ledger", "export_ledgers_steps", "ledger_sheet"]

Row = tuple[object, ...]


@dataclass(frozen=True)
class LedgerResult:
    path: Path
    rows: int
    kind: str
    title: str  # the title row: 贺村司法所 监督事项台账（2026年3月）
    by_office: bool = False


@dataclass(frozen=True)
class _Scope:
    """Whose ledger: the office's own, or at the bureau every township's (names by code, '' the bureau itself)."""

    bureau: bool
    owner: str
    names: dict[str, str]
    today: date

    def office(self, code: str | None) -> str:
        return self.names.get(code or "", code or "")


def _scope(session: Session, today: date) -> _Scope:
    profile = session.scalar(select(OfficeProfile).limit(1))
    if profile is None:
        raise NotSetUp("此数据库尚未完成初始设置，没有可导出的台账。")
    bureau = profile.mode == Mode.BUREAU.value
    names = dict(statistics.offices(session)) if bureau else {}
    names[""] = profile.name
    return _Scope(bureau, profile.name, names, today)


def _complainant(name: str | None, phone: str | None, full: bool) -> str:
    """"张* 138****5678" as the matter list shows it (M-7), or in full when the clerk asked for full data."""
    if not full:
        return masked_complainant(name, phone)
    return " ".join(part for part in (name or "", phone or "") if part)


def _yes(flag: object) -> str:
    return "是" if flag else ""


# ---- the ledgers ----------------------------------------------------------------------------------------------------

def _matters(session: Session, scope: _Scope, period: Period, full_names: bool) -> list[Row]:
    in_period: ColumnElement[bool] = Matter.received_on.between(period.start, period.end)
    if not scope.bureau:
        in_period = in_period & (Matter.office_code == "")
    ids = select(Matter.id).where(in_period).scalar_subquery()
    units: dict[int, list[str]] = defaultdict(list)
    for matter_id, name in session.execute(
            select(matter_units.c.matter_id, Unit.name).join(Unit, Unit.id == matter_units.c.unit_id)
            .where(matter_units.c.matter_id.in_(ids)).order_by(matter_units.c.matter_id, Unit.id)):
        units[matter_id].append(name)
    closed_on: dict[int, date] = dict(session.execute(
        select(MatterEvent.matter_id, func.max(MatterEvent.on_date))
        .where(MatterEvent.action.in_(CLOSING_ACTIONS), MatterEvent.matter_id.in_(ids))
        .group_by(MatterEvent.matter_id)).all())
    final = {s.value for s in FINAL_STATUSES}
    rows: list[Row] = []
    query = (select(Matter.id, Matter.office_code, Matter.reg_no, Matter.received_on, Matter.source,
                    Matter.source_ref, Matter.title, Matter.category, Matter.track, Matter.status,
                    func.coalesce(User.display_name, Matter.handler_name), Matter.complainant_name,
                    Matter.complainant_phone, Matter.rectification_deadline)
             .outerjoin(User, User.id == Matter.handler_id).where(in_period)
             .order_by(Matter.office_code, Matter.received_on, Matter.reg_year, Matter.reg_seq, Matter.id))
    for n, (matter_id, code, reg_no, received, source, ref, title, category, track, status, handler, name, phone,
            deadline) in enumerate(session.execute(query), start=1):
        row: Row = (n, reg_no, received, label(Source, source), ref or "", title, "、".join(units.get(matter_id, ())),
                    label(Category, category), label(Track, track), label(Status, status), handler or "",
                    _complainant(name, phone, full_names), deadline,
                    closed_on.get(matter_id) if status in final else None)
        rows.append((scope.office(code),) + row if scope.bureau else row)
    return rows


def _documents(session: Session, scope: _Scope, period: Period) -> list[Row]:
    """Every number given in the period, voided ones with their reason (D-3: a number is never reused), and the
    documents issued without a number (送达回证, 登记表) by their date."""
    names = {form_id: form.name for form_id, form in load_forms().items()}
    registered = (Document.issue_date.between(period.start, period.end)
                  & ((Document.status == DocStatus.ISSUED.value)
                     | ((Document.status == DocStatus.VOIDED.value) & Document.number.is_not(None))))
    if not scope.bureau:  # an office's register holds its own numbers, not the bureau's documents it received
        registered = registered & (Document.office_code == "")
    query = (select(Document.office_code, Document.form_id, Document.number,
                    func.coalesce(Matter.title, Document.title), Matter.reg_no,
                    Document.issue_date, Document.status, Document.void_reason, Document.signed_by,
                    Document.served_on, Document.service_method, Document.service_receiver)
             .outerjoin(Matter, Matter.id == Document.matter_id).where(registered)
             .order_by(Document.office_code, Document.issue_date, Document.form_id, Document.year, Document.seq,
                       Document.id))
    rows: list[Row] = []
    for n, (code, form_id, number, title, reg_no, issued, status, reason, signer, served, method,
            receiver) in enumerate(session.execute(query), start=1):
        row: Row = (n, names.get(form_id, form_id), number or "", title, reg_no or "", issued,
                    label(DocStatus, status), reason or "", signer or "", served, method or "", receiver or "")
        rows.append((scope.office(code),) + row if scope.bureau else row)
    return rows


def _advices(session: Session, scope: _Scope, period: Period) -> list[Row]:
    office = None if scope.bureau else ""
    rows: list[Row] = []
    advices = statistics.advice_outcomes(session, period, office, today=scope.today)
    advices.sort(key=lambda a: (a.office_code, a.issued_on, a.reg_no))
    for n, a in enumerate(advices, start=1):
        row: Row = (n, a.reg_no, a.matter_title, a.number, a.issued_on, "、".join(a.units), a.served_on, a.deadline,
                    _yes(a.provisional), a.rectified_on, a.outcome.label, a.escalated_on)
        rows.append((scope.office(a.office_code),) + row if scope.bureau else row)
    return rows


def _league(session: Session, scope: _Scope, period: Period, by_office: bool) -> list[Row]:
    office = None if scope.bureau else ""
    rows: list[Row] = []
    for r in statistics.league(session, period, by_office=by_office, office_code=office, today=scope.today):
        rate = r.rate.percent
        row: Row = (r.rank if r.rank is not None else "—", r.office_name if by_office else r.unit, r.received,
                    r.on_time, r.late, r.outstanding, r.pending, r.escalated, None if rate is None else rate / 100)
        rows.append((scope.office(r.office_code),) + row if scope.bureau and not by_office else row)
    return rows


def _arisen(today: date) -> ColumnElement[bool]:
    """A township's obligation as the office's own register would show it on ``today``: the mirrored rows carry no
    ``starts_on``, and the report on an unmet deadline (the only kind that starts later than its trigger,
    domain/obligations.py) is owed from the day after the deadline."""
    return ((OfficeObligation.kind != ObligationKind.ESCALATION_REPORT.value)
            | (OfficeObligation.trigger_on < today))


def _obligations(session: Session, scope: _Scope, period: Period) -> list[Row]:
    """Every obligation due in the period that has arisen (an escalation report is owed only once the deadline
    passed unmet: before that it is not in the register), with its status on ``today``."""
    found: list[tuple[Any, ...]] = []
    due = Obligation.due_on.between(period.start, period.end)
    for values in session.execute(
            select(Matter.reg_no, Obligation.title, Obligation.kind, Obligation.trigger_on, Obligation.due_on,
                   Obligation.provisional, Obligation.met_on, Obligation.state, Obligation.note)
            .outerjoin(Matter, Matter.id == Obligation.matter_id)
            .where(due, Obligation.starts_on <= scope.today)):
        found.append(("",) + tuple(values))
    if scope.bureau:  # the townships' own, as their packets last reported them
        mirrored = OfficeObligation.due_on.between(period.start, period.end)
        for code, *mirrored_values in session.execute(
                select(OfficeObligation.office_code, Matter.reg_no, OfficeObligation.title, OfficeObligation.kind,
                       OfficeObligation.trigger_on, OfficeObligation.due_on, OfficeObligation.provisional,
                       OfficeObligation.met_on, OfficeObligation.state)
                .outerjoin(Matter, Matter.id == OfficeObligation.matter_id).where(mirrored, _arisen(scope.today))):
            found.append((code, *mirrored_values, ""))
    found.sort(key=lambda f: (f[0], f[5], f[4], f[2]))
    rows: list[Row] = []
    for n, (code, reg_no, title, kind, trigger, due_on, provisional, met_on, state, note) in enumerate(found, start=1):
        status = obligation_status(state, due_on, met_on, scope.today)
        row: Row = (n, reg_no or "", title, label(ObligationKind, kind), trigger, due_on, _yes(provisional),
                    met_on if state == ObligationState.MET.value else None, status.label, note or "")
        rows.append((scope.office(code),) + row if scope.bureau else row)
    return rows


def _reviews(session: Session, scope: _Scope, period: Period) -> list[Row]:
    """O-3: the case files scored in the period, batch by batch."""
    query = (select(ReviewBatch.office_code, ReviewBatch.name, ReviewFile.unit_name, ReviewFile.file_no,
                    ReviewFile.title, ReviewFile.total, ReviewFile.grade, ReviewFile.finding, ReviewFile.scored_on,
                    Matter.reg_no)
             .join(ReviewBatch, ReviewBatch.id == ReviewFile.batch_id)
             .outerjoin(Matter, Matter.id == ReviewFile.matter_id)
             .where(ReviewFile.scored_on.between(period.start, period.end), _own(ReviewBatch.office_code, scope))
             .order_by(ReviewBatch.office_code, ReviewBatch.period_from, ReviewBatch.id, ReviewFile.unit_name,
                       ReviewFile.id))
    rows: list[Row] = []
    for n, (code, batch, unit, file_no, title, total, grade, finding, scored_on, reg_no) in enumerate(
            session.execute(query), start=1):
        row: Row = (n, batch, unit, file_no, title, total, grade or "", finding, scored_on, reg_no or "")
        rows.append((scope.office(code),) + row if scope.bureau else row)
    return rows


def _own(column: InstrumentedAttribute[str], scope: _Scope) -> ColumnElement[bool]:
    """An office's ledger holds its own records; the bureau's every township's."""
    return column.is_not(None) if scope.bureau else column == ""


def _progress(due: date | None, done: date | None, as_of: date) -> str:
    if done is not None:
        return "按期完成" if due is None or done <= due else "逾期完成"
    if due is not None and due < as_of:
        return "已逾期"
    return "未完成"


def _meetings(session: Session, scope: _Scope, period: Period) -> list[Row]:
    """O-2: the decisions of the meetings held in the period, each with its progress at the period's end."""
    as_of = min(period.end, scope.today)
    query = (select(Meeting.office_code, Meeting.held_on, Meeting.name, Meeting.decisions)
             .where(Meeting.held_on.between(period.start, period.end), _own(Meeting.office_code, scope))
             .order_by(Meeting.office_code, Meeting.held_on, Meeting.id))
    rows: list[Row] = []
    for code, held_on, name, decisions in session.execute(query):
        for d in decisions or []:
            due = date.fromisoformat(d["due_on"]) if d.get("due_on") else None
            done = date.fromisoformat(d["done_on"]) if d.get("done_on") else None
            done = done if done is not None and done <= as_of else None
            row: Row = (len(rows) + 1, held_on, name, d.get("text", ""), d.get("owner", ""), due, done,
                        _progress(due, done, as_of), d.get("done_note", "") if done else "")
            rows.append((scope.office(code),) + row if scope.bureau else row)
    return rows


def _certificates(session: Session, scope: _Scope, period: Period) -> list[Row]:
    """O-4: every certificate holder with the state of the certificate at the period's end."""
    as_of = min(period.end, scope.today)
    query = (select(EnforcementOfficer.office_code, EnforcementOfficer.unit_name, EnforcementOfficer.name,
                    EnforcementOfficer.certificate_no, EnforcementOfficer.kind, EnforcementOfficer.id_no,
                    EnforcementOfficer.issued_on, EnforcementOfficer.expires_on, Matter.reg_no)
             .outerjoin(Matter, Matter.id == EnforcementOfficer.matter_id)
             .where(_own(EnforcementOfficer.office_code, scope))
             .order_by(EnforcementOfficer.office_code, EnforcementOfficer.unit_name, EnforcementOfficer.name,
                       EnforcementOfficer.certificate_no))
    rows: list[Row] = []
    for n, (code, unit, name, number, kind, id_no, issued, expires, reg_no) in enumerate(
            session.execute(query), start=1):
        state = ("有效期未登记" if expires is None else "已过期" if expires < as_of
                 else "即将到期" if expires <= as_of + timedelta(days=WARN_DAYS) else "有效")
        row: Row = (n, unit, name, number, kind, mask_id_no(id_no) if id_no else "", issued, expires, state,
                    reg_no or "")
        rows.append((scope.office(code),) + row if scope.bureau else row)
    return rows


def _supervisors(session: Session, scope: _Scope, period: Period) -> list[Row]:
    """O-1: the supervisors in office during the period, with what each did in it."""
    in_period = SupervisorActivity.on_date.between(period.start, period.end)
    done = {(sid, kind): count for sid, kind, count in session.execute(
        select(SupervisorActivity.supervisor_id, SupervisorActivity.kind == ActivityKind.REPORT.value, func.count())
        .where(in_period).group_by(SupervisorActivity.supervisor_id,
                                   SupervisorActivity.kind == ActivityKind.REPORT.value))}
    query = (select(Supervisor.id, Supervisor.office_code, Supervisor.name, Supervisor.kind, Supervisor.unit,
                    Supervisor.appointed_on, Supervisor.term_ends)
             .where(_own(Supervisor.office_code, scope), Supervisor.appointed_on <= period.end,
                    Supervisor.term_ends.is_(None) | (Supervisor.term_ends >= period.start))
             .order_by(Supervisor.office_code, Supervisor.appointed_on, Supervisor.id))
    rows: list[Row] = []
    for n, (sid, code, name, kind, unit, appointed, term_ends) in enumerate(session.execute(query), start=1):
        row: Row = (n, name, label(SupervisorKind, kind), unit, appointed, term_ends,
                    done.get((sid, False), 0) + done.get((sid, True), 0), done.get((sid, True), 0))
        rows.append((scope.office(code),) + row if scope.bureau else row)
    return rows


# ---- writing ----------------------------------------------------------------------------------------------------

def _kind(kind: str, by_office: bool, bureau: bool) -> LedgerKind:
    if kind not in LEDGERS:
        raise ValidationError(f"没有名为“{kind}”的台账。可用的台账：{'、'.join(KINDS)}。", "kind")
    if by_office and kind != "league":
        raise ValidationError("按司法所汇总（--by office）只适用于月度晒绩表（league）。", "by_office")
    if by_office and not bureau:
        raise ValidationError("按司法所汇总的月度晒绩表只在司法局端提供：司法所端的晒绩表按被监督单位排名。", "by_office")
    return LEAGUE_BY_OFFICE if by_office else LEDGERS[kind]


def _rows(session: Session, scope: _Scope, kind: str, period: Period, full_names: bool, by_office: bool) -> list[Row]:
    if kind == "matters":
        return _matters(session, scope, period, full_names)
    if kind == "documents":
        return _documents(session, scope, period)
    if kind == "advices":
        return _advices(session, scope, period)
    if kind == "league":
        return _league(session, scope, period, by_office)
    if kind in _SUPERVISION_LEDGERS:
        return _SUPERVISION_LEDGERS[kind](session, scope, period)
    return _obligations(session, scope, period)


_SUPERVISION_LEDGERS = {"reviews": _reviews, "meetings": _meetings, "certificates": _certificates,
                        "supervisors": _supervisors}


def ledger_sheet(session: Session, kind: str, period: Period, *, today: date, full_names: bool = False,
                 by_office: bool = False) -> workbook.Sheet:
    """The ledger ``kind`` of ``period`` as a sheet: title, columns, rows (no file yet)."""
    scope = _scope(session, today)
    ledger = _kind(kind, by_office, scope.bureau)
    rows = _rows(session, scope, kind, period, full_names, by_office)
    name = ledger.name_for(whole_year=period.month is None)
    title = f"{scope.owner} {name}（{period.label}）"
    return workbook.Sheet(name[:31], title, columns_for(ledger, scope.bureau), rows, ledger.note)


def _audit(session: Session, actor: Actor, results: Sequence[LedgerResult], period: Period, full_names: bool) -> None:
    for r in results:
        audit.append(session, actor, "ledger.export", "ledger", r.kind,
                     {"kind": r.kind, "by_office": r.by_office, "period": period.label, "file": r.path.name,
                      "rows": r.rows, "full_names": full_names})


def export_ledger(db: Database, kind: str, period: Period, out: Path, *, actor: Actor, full_names: bool = False,
                  by_office: bool = False, today: date | None = None) -> LedgerResult:
    """Write the ledger ``kind`` of ``period`` to ``out`` (replaced only when the new file is complete)."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ValidationError(f"台账文件名应以 .xlsx 结尾（收到：{out.name}）。", "out")
    workbook.check_target(out)  # a missing folder or an open file is said before the work, not after
    with db.uow() as session:
        sheet = ledger_sheet(session, kind, period, today=today or date.today(), full_names=full_names,
                             by_office=by_office)
    data = workbook.build(sheet)
    result = LedgerResult(out, len(sheet.rows), kind, sheet.title, by_office)
    with db.uow() as session:
        # The entry and the file together: a failed write rolls the entry back, a refused entry writes no file.
        _audit(session, actor, [result], period, full_names)
        workbook.save(data, out)
    return result


def ledgers_for(db: Database) -> list[tuple[str, bool]]:
    """(kind, by_office) of every ledger of a period: at the bureau the league of 司法所 too."""
    with db.uow() as session:
        bureau = _scope(session, date.today()).bureau
    return [(k, False) for k in KINDS] + ([("league", True)] if bureau else [])


def export_ledgers_steps(db: Database, period: Period, folder: Path, *, actor: Actor, full_names: bool = False,
                         today: date | None = None) -> Generator[tuple[int, int], None, list[LedgerResult]]:
    """Every ledger of ``period`` into ``folder`` (监督事项台账_2026年3月.xlsx, …), yielding (done, total).

    Each file is made beside its target first and all are renamed into place at the end, so a cancel (the job
    panel closes the generator) or an error leaves no new file and the earlier ones as they were."""
    folder = Path(folder)
    wanted = ledgers_for(db)
    total = len(wanted)
    staged: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    results: list[LedgerResult] = []
    try:
        for n, (kind, by_office) in enumerate(wanted):
            yield n, total
            with db.uow() as session:
                sheet = ledger_sheet(session, kind, period, today=today or date.today(), full_names=full_names,
                                     by_office=by_office)
            target = folder / file_name(LEAGUE_BY_OFFICE if by_office else LEDGERS[kind], period.label,
                                        whole_year=period.month is None)
            staged.append((workbook.stage(workbook.build(sheet), target), target))
            results.append(LedgerResult(target, len(sheet.rows), kind, sheet.title, by_office))
        yield total, total  # the last moment to cancel: nothing is in place yet
        with db.uow() as session:
            _audit(session, actor, results, period, full_names)
            for tmp, target in staged:
                workbook.place(tmp, target)
                placed.append(target)
    except BaseException:  # GeneratorExit (cancel) included
        for tmp, _target in staged:
            tmp.unlink(missing_ok=True)
        for target in placed:  # the audit entries were rolled back: no file without its entry
            target.unlink(missing_ok=True)
        raise
    return results
