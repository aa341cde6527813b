"""T-5, T-6: keep the obligations table in step with the rules, and build the dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import NotFound, ValidationError
from ..domain.obligations import (
    MEETING_DECISION_RULE,
    EventFact,
    ObligationKind,
    ObligationSpec,
    ObligationState,
    matter_obligations,
    obligation_status,
    office_obligations,
)
from ..storage.models import Matter, MatterEvent, Obligation, OfficeProfile
from ..storage.uow import Database
from ..workdays import PROVISIONAL_LABEL, WorkCalendar, weekday_name
from . import audit
from .audit import Actor
from .calendar import load_calendar, missing_next_year
from .reminders import certificate_warnings, term_warnings


def _upsert(session: Session, specs: list[ObligationSpec], existing: dict[str, Obligation]) -> list[str]:
    alerts: list[str] = []
    now = datetime.now().replace(microsecond=0)
    for spec in specs:
        row = existing.get(spec.rule_key)
        if row is None:
            row = Obligation(rule_key=spec.rule_key, kind=spec.kind.value, matter_id=spec.matter_id)
            session.add(row)
        elif row.due_on != spec.due and row.state == ObligationState.OPEN:
            row.previous_due_on = row.due_on
            alerts.append(f"“{spec.title}”的期限由 {row.due_on:%Y-%m-%d} 调整为 {spec.due:%Y-%m-%d}"
                          f"（{weekday_name(spec.due)}）。")
        values = dict(title=spec.title[:300], trigger_on=spec.trigger_on, starts_on=spec.starts_on, due_on=spec.due,
                      provisional=spec.provisional, state=spec.state.value, met_on=spec.met_on, note=spec.note)
        if any(getattr(row, k, None) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.updated_at = now
    return alerts


def event_facts(events: list[MatterEvent]) -> list[EventFact]:
    return [EventFact(e.id, e.action, e.on_date, e.data or {}) for e in events]


def refresh_matter(session: Session, matter: Matter, cal: WorkCalendar) -> list[str]:
    if matter.office_code:
        return []  # a township's matter held at the bureau: its obligations are the township's (office_obligations)
    specs = matter_obligations(matter.id, matter.title, event_facts(matter.events), cal)
    rectification = [s for s in specs if s.kind == ObligationKind.RECTIFICATION]
    if rectification and matter.rectification_deadline != rectification[-1].due:
        matter.rectification_deadline = rectification[-1].due
    existing = {o.rule_key: o for o in session.scalars(select(Obligation).where(Obligation.matter_id == matter.id))}
    return _upsert(session, specs, existing)


def refresh_office(session: Session, cal: WorkCalendar, today: date) -> list[str]:
    profile = session.scalar(select(OfficeProfile))
    if profile is None or profile.mode != "office":
        return []
    rows = {o.rule_key: o for o in session.scalars(select(Obligation).where(Obligation.matter_id.is_(None)))}
    met = {k: r.met_on for k, r in rows.items() if r.state == ObligationState.MET and r.met_on}
    since = profile.created_at.date()
    specs = office_obligations(since, today, cal, profile.periodic_report_workday, met)
    # A met report keeps the note it was met with (the document, or what the clerk wrote): the rules know only dates.
    specs = [replace(s, note=rows[s.rule_key].note or "") if s.rule_key in met else s for s in specs]
    return _upsert(session, specs, rows)


def refresh_all(session: Session, actor: Actor, today: date | None = None) -> list[str]:
    """Recompute every open obligation, e.g. after a year's holidays were imported (T-3)."""
    cal = load_calendar(session)
    matter_ids = set(session.scalars(select(Obligation.matter_id).where(
        Obligation.state == ObligationState.OPEN, Obligation.matter_id.is_not(None))))
    alerts: list[str] = []
    for matter_id in sorted(i for i in matter_ids if i is not None):
        matter = session.get(Matter, matter_id)
        if matter is not None:
            alerts += refresh_matter(session, matter, cal)
    alerts += refresh_office(session, cal, today or date.today())
    if alerts:
        audit.append(session, actor, "obligations.moved", "obligation", "*", {"alerts": alerts})
    return alerts


def complete_office_obligation(db: Database, actor: Actor, obligation_id: int, on: date, note: str = "") -> None:
    """Record that a periodic report or annual summary was sent (the documents issue links the form)."""
    with db.uow() as session:
        row = session.get(Obligation, obligation_id)
        if row is None:
            raise NotFound("该时限已不存在，请刷新后重试。")
        if row.matter_id is not None:
            raise ValidationError("事项的时限随事项办理自动完成，请在事项中执行相应操作。")
        if row.kind == ObligationKind.MEETING_DECISION.value:
            # the meeting's record says so too (and its packet to the bureau); meetings imports this module
            from .meetings import meeting_of_decision, settle_decision

            key = row.rule_key.removeprefix(MEETING_DECISION_RULE)
            settle_decision(session, actor, meeting_of_decision(session, key), key, on, note)
            return
        mark_met(row, on, note)
        audit.append(session, actor, "obligation.met", "obligation", row.rule_key, {"on": on, "note": note})


def mark_met(row: Obligation, on: date, note: str) -> None:
    """An obligation met on ``on``: by hand (above), or by the document that answers it (services/documents)."""
    row.state, row.met_on, row.note = ObligationState.MET.value, on, note[:200]
    row.updated_at = datetime.now().replace(microsecond=0)


def meet_open(session: Session, rule_key: str, on: date, note: str) -> Obligation | None:
    """Mark the open obligation ``rule_key`` met; None when there is none (already met, or not owed)."""
    row = session.scalar(select(Obligation).where(Obligation.rule_key == rule_key,
                                                  Obligation.state == ObligationState.OPEN.value))
    if row is not None:
        mark_met(row, on, note)
    return row


@dataclass(frozen=True)
class ObligationRow:
    id: int
    kind: str
    kind_label: str
    title: str
    matter_id: int | None
    reg_no: str | None
    trigger_on: date
    starts_on: date
    due: date
    weekday: str
    working_days_left: int
    status: str
    status_label: str
    provisional: bool
    previous_due: date | None
    met_on: date | None
    note: str

    @property
    def due_text(self) -> str:
        text = f"{self.due:%Y-%m-%d} {self.weekday}"
        return f"{text}（{PROVISIONAL_LABEL}）" if self.provisional else text


def to_row(o: Obligation, reg_no: str | None, cal: WorkCalendar, today: date) -> ObligationRow:
    status = obligation_status(o.state, o.due_on, o.met_on, today)
    return ObligationRow(
        id=o.id, kind=o.kind, kind_label=ObligationKind(o.kind).label, title=o.title, matter_id=o.matter_id,
        reg_no=reg_no, trigger_on=o.trigger_on, starts_on=o.starts_on, due=o.due_on, weekday=weekday_name(o.due_on),
        working_days_left=cal.working_days_left(today, o.due_on) if o.state == ObligationState.OPEN else 0,
        status=status.value, status_label=status.label, provisional=o.provisional,
        previous_due=o.previous_due_on, met_on=o.met_on, note=o.note,
    )


@dataclass
class Dashboard:
    today: date
    overdue: list[ObligationRow] = field(default_factory=list)
    due_today: list[ObligationRow] = field(default_factory=list)
    upcoming: list[ObligationRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    horizon: date | None = None


UPCOMING_WORKING_DAYS = 5


def ensure_office_obligations(db: Database, today: date) -> list[str]:
    """A write: the periodic reports and the annual summary due by ``today`` exist as obligations (T-5). The GUI
    runs it on the database worker at start and hourly; the reads below then write nothing."""
    with db.uow() as session:
        return refresh_office(session, load_calendar(session), today)


def dashboard(db: Database, today: date, *, ensure: bool = True) -> Dashboard:
    """What the office must see before anything else (T-6). ``ensure=False``: a pure read (the GUI thread)."""
    if ensure:
        ensure_office_obligations(db, today)
    with db.uow() as session:
        cal = load_calendar(session)
        horizon = cal.add_working_days(today, UPCOMING_WORKING_DAYS).due
        rows = session.execute(
            select(Obligation, Matter.reg_no).outerjoin(Matter, Obligation.matter_id == Matter.id)
            .where(Obligation.state == ObligationState.OPEN, Obligation.starts_on <= today,
                   Obligation.due_on <= horizon)
            .order_by(Obligation.due_on, Obligation.id)
        ).all()
        board = Dashboard(today=today, horizon=horizon)
        for o, reg_no in rows:
            row = to_row(o, reg_no, cal, today)
            (board.overdue if o.due_on < today else board.due_today if o.due_on == today else board.upcoming).append(row)
        board.warnings = (calendar_warnings(session, cal, today) + certificate_warnings(session, today)
                          + term_warnings(session, today))
        return board


PROVISIONAL_NAMED = 3  # provisional obligations named in the dashboard's warning; the rest are counted


def calendar_warnings(session: Session, cal: WorkCalendar, today: date) -> list[str]:
    warnings: list[str] = []
    if today.year not in cal.covered_years:
        warnings.append(f"{today.year}年的节假日安排尚未导入，所有期限均为推算（{PROVISIONAL_LABEL}）。请在“设置 → 工作日历”中导入国务院通知。")
    nxt = missing_next_year(session, today)
    if nxt is not None:
        warnings.append(f"{nxt}年的节假日安排尚未导入。国务院通知发布后，请在“设置 → 工作日历”中粘贴导入；在此之前跨年期限按法定节假日推算（{PROVISIONAL_LABEL}）。")
    provisional = session.execute(
        select(Obligation.title, Obligation.due_on, Matter.reg_no)
        .outerjoin(Matter, Obligation.matter_id == Matter.id)
        .where(Obligation.state == ObligationState.OPEN, Obligation.provisional.is_(True))
        .order_by(Obligation.due_on, Obligation.id)).all()
    if provisional:
        # Name them: a warning about obligations nobody can find is no help (issue 11 item 15).
        named = "；".join(f"{reg_no + ' ' if reg_no else ''}{title}（{due:%Y-%m-%d}）"
                         for title, due, reg_no in provisional[:PROVISIONAL_NAMED])
        more = f"等 {len(provisional)} 项" if len(provisional) > PROVISIONAL_NAMED else ""
        warnings.append(f"以下未完成的时限落在尚未确认的年份，日期为推算（{PROVISIONAL_LABEL}），导入安排后会自动重算："
                        f"{named}{more}。")
    moved = session.scalars(select(Obligation).where(
        Obligation.state == ObligationState.OPEN, Obligation.previous_due_on.is_not(None))).all()
    for o in moved:
        warnings.append(f"期限已调整：“{o.title}”由 {o.previous_due_on:%Y-%m-%d} 改为 {o.due_on:%Y-%m-%d}（{weekday_name(o.due_on)}）。")
    return warnings


def matter_obligation_rows(session: Session, matter_id: int, cal: WorkCalendar, today: date) -> list[ObligationRow]:
    # An obligation that has not arisen yet (the report due only if the deadline passes) is not shown.
    rows = session.scalars(select(Obligation).where(Obligation.matter_id == matter_id, Obligation.starts_on <= today)
                           .order_by(Obligation.due_on, Obligation.id)).all()
    reg_no = session.scalar(select(Matter.reg_no).where(Matter.id == matter_id))
    return [to_row(o, reg_no, cal, today) for o in rows]


def obligation_rows(db: Database, today: date, include_closed: bool = False, *,
                    ensure: bool = True) -> list[ObligationRow]:
    """The obligations register (整改与时限 view); ``ensure=False``: a pure read (the GUI thread)."""
    if ensure:
        ensure_office_obligations(db, today)
    with db.uow() as session:
        cal = load_calendar(session)
        query = (select(Obligation, Matter.reg_no).outerjoin(Matter, Obligation.matter_id == Matter.id)
                 .where(Obligation.starts_on <= today).order_by(Obligation.due_on.desc(), Obligation.id))
        if not include_closed:
            query = query.where(Obligation.state == ObligationState.OPEN)
        return [to_row(o, reg_no, cal, today) for o, reg_no in session.execute(query.limit(5000)).all()]
