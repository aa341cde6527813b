"""The one statistics service (SPEC L-1..L-3): the figures the ledgers, the report drafts and the charts show.

Everything is computed from the timelines and the obligations — nothing typed twice — for a **period** (a month or
a year) and **as of its end**: a report on March drafted in May says what stood at 31 March, not today. When the
period has not ended yet, "as of" is today.

Definitions (the same sentences are in the ledgers' notes and the page's tooltips):

* **advice** (建议书): an ``issue_advice`` event on a matter, by its business date; it goes to every unit of the
  matter. Its **deadline** is the matter's ``rectification`` obligation that the advice started (the rules compute
  it, including periods that run from service, D-8): the first one whose start is on or after the advice's date.
* **outcome** of an advice, as of a day: 按期整改 when a ``confirm_rectified`` on or after the advice came on or
  before the deadline; 逾期整改 when it came after the deadline; 逾期未整改 when none came and the deadline has
  passed; 整改期限未到 when none came and the deadline has not passed (or is unknown yet: awaiting service).
* **rectification rate** (按期整改率) = 按期整改 / (按期整改 + 逾期整改 + 逾期未整改), over the advices issued in
  the period; advices still within their period do not count either way. ``—`` when there are none.
* **league** (月度晒绩表, seed 001 "一月一晒绩"): per supervised unit (or per 司法所 at the bureau), the advices it
  received in the period and their outcomes, ranked by rectification rate (equal rates share a rank, then fewer
  outstanding first); a unit with no advice to judge is listed without a rank.
* **3-working-day reports on time** (报告按时率): the obligations to report to the bureau within 3 working days
  (逾期未改, 拒不整改, 情节严重复杂) that fell due in the period by the as-of day: met on or before the due date /
  all of them. An obligation the rules dropped as no longer required (the unit rectified, the matter was closed)
  is left out, here and in the per-month chart: the office's and the bureau's copies agree on that (the reason
  for dropping does not travel in packets), and a rectification that came late shows in the advices' outcomes.
* **status as of a day**: the ``to_status`` of the matter's last timeline entry on or before that day.

Office and bureau alike: at the bureau the townships' matters carry their ``office_code`` and their obligations are
the mirrored ``office_obligations``; ``office_code=None`` covers everything, a code one township, ``""`` the
database's own matters.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..domain.documents import DocStatus
from ..domain.errors import ValidationError
from ..domain.lifecycle import Action, Status
from ..domain.obligations import ObligationKind, ObligationState
from ..domain.vocab import Category, Labelled, Mode, Source
from ..storage.models import (
    Document,
    Matter,
    MatterEvent,
    Obligation,
    OfficeObligation,
    OfficeProfile,
    Peer,
    ReviewBatch,
    ReviewFile,
    Unit,
    matter_units,
)
from ..storage.uow import Database

FIRST_YEAR, LAST_YEAR = 2000, 2100
REPORT_KINDS = (ObligationKind.ESCALATION_REPORT.value, ObligationKind.REFUSAL_REPORT.value,
                ObligationKind.SERIOUS_REPORT.value)
CLOSING_ACTIONS = (Action.CLOSE.value, Action.CLOSE_NO_ISSUE.value, Action.RECORD_BUREAU_REPLY.value,
                   Action.TRANSFER.value)


# ---- the period ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class Period:
    """A month (``month`` 1..12) or a whole year (``month`` None)."""

    year: int
    month: int | None = None

    @classmethod
    def of(cls, year: int, month: int | None = None) -> Period:
        if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(f"年份“{year}”不对：请填写 {FIRST_YEAR}—{LAST_YEAR} 之间的四位年份，如 2026。", "year")
        if month is not None and (not isinstance(month, int) or not 1 <= month <= 12):
            raise ValidationError(f"月份“{month}”不对：请填写 1—12，或不填表示全年。", "month")
        return cls(year, month)

    @property
    def start(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def end(self) -> date:
        if self.month is None or self.month == 12:
            return date(self.year, 12, 31)
        return date(self.year, self.month + 1, 1) - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}年" if self.month is None else f"{self.year}年{self.month}月"

    @property
    def slug(self) -> str:
        return f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"

    def months(self) -> list[Period]:
        return [Period(self.year, self.month)] if self.month else [Period(self.year, m) for m in range(1, 13)]

    def as_of(self, today: date | None) -> date:
        """The day the period's figures stand at: its end, or today while it runs."""
        return self.end if today is None else min(self.end, today)



@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return None if self.denominator == 0 else 100.0 * self.numerator / self.denominator

    @property
    def text(self) -> str:
        percent = self.percent
        return "—" if percent is None else f"{percent:.1f}%"


@dataclass(frozen=True)
class Count:
    code: str
    label: str
    count: int


# ---- advices and their outcomes -----------------------------------------------------------------------------------

class Outcome(Labelled):
    ON_TIME = "on_time", "按期整改"
    LATE = "late", "逾期整改"
    OUTSTANDING = "outstanding", "逾期未整改"
    PENDING = "pending", "整改期限未到"


@dataclass(frozen=True)
class AdviceOutcome:
    matter_id: int
    office_code: str
    reg_no: str
    matter_title: str
    number: str  # the advice's document number ('' when issued without one on record)
    issued_on: date
    units: tuple[str, ...]
    served_on: date | None
    deadline: date | None  # None: the period runs from service and the advice is not served yet
    provisional: bool  # the deadline lies in a year without the State Council's notice yet (T-4)
    rectified_on: date | None  # by the as-of day
    outcome: Outcome
    escalated_on: date | None  # 提请司法局 after this advice, by the as-of day
    unit_ids: tuple[int, ...] = ()

    @property
    def judged(self) -> bool:
        """Counts in the rectification rate: rectified, or its deadline has passed."""
        return self.outcome != Outcome.PENDING


_Query = TypeVar("_Query", bound=Select)  # type: ignore[type-arg]  # any row shape


def _files_reviewed(session: Session, start: date, end: date, office_code: str | None) -> int:
    """O-3: case files scored in the period in the review batches (the office's, one township's, or all)."""
    query = select(func.count(ReviewFile.id)).join(ReviewBatch, ReviewBatch.id == ReviewFile.batch_id).where(
        ReviewFile.scored_on.between(start, end))
    if office_code is not None:
        query = query.where(ReviewBatch.office_code == office_code)
    return int(session.scalar(query) or 0)


def _in_scope(query: _Query, office_code: str | None) -> _Query:
    return query if office_code is None else query.where(Matter.office_code == office_code)


def advice_outcomes(session: Session, period: Period, office_code: str | None = None, *,
                    today: date | None = None) -> list[AdviceOutcome]:
    """Every advice issued in ``period``, its outcome as of the period's end (or today, while it runs)."""
    as_of = period.as_of(today)
    return _advices(session, period.start, as_of, as_of, office_code)


def _advices(session: Session, since: date, until: date, as_of: date, office_code: str | None,
             among: Select[Any] | None = None) -> list[AdviceOutcome]:
    """The advices issued between ``since`` and ``until`` (of the matters ``among`` selects, when given)."""
    def narrowed(query: _Query) -> _Query:
        query = _in_scope(query.join(Matter, Matter.id == MatterEvent.matter_id).where(
            MatterEvent.action == Action.ISSUE_ADVICE.value, MatterEvent.on_date.between(since, until)), office_code)
        return query if among is None else query.where(MatterEvent.matter_id.in_(among.scalar_subquery()))

    issued = session.execute(narrowed(
        select(MatterEvent.matter_id, MatterEvent.on_date, Matter.office_code, Matter.reg_no, Matter.title))
        .order_by(MatterEvent.matter_id, MatterEvent.on_date, MatterEvent.id)).all()
    if not issued:
        return []
    # The matters concerned, as a subquery: no parameter list however many advices there are.
    concerned = narrowed(select(MatterEvent.matter_id))
    deadlines = _rectification_periods(session, concerned)
    later = _event_days(session, concerned, (Action.CONFIRM_RECTIFIED.value,), as_of)
    escalated = _event_days(session, concerned, (Action.ESCALATE.value,), as_of)
    units = _units_of(session, concerned)
    numbers = _documents(session, concerned)
    out: list[AdviceOutcome] = []
    taken: dict[int, int] = defaultdict(int)  # matter -> rectification periods already given to earlier advices
    used: dict[int, int] = defaultdict(int)  # matter -> advice documents already given to earlier advices
    for matter_id, on, code, reg_no, title in issued:
        periods = deadlines.get(matter_id, [])
        start = bisect.bisect_left(periods, (on,), lo=taken[matter_id])
        period = periods[start] if start < len(periods) else None
        if period is not None:
            taken[matter_id] = start + 1
        deadline = period[1] if period else None
        docs = numbers.get(matter_id, [])
        at = bisect.bisect_left(docs, (on,), lo=used[matter_id])
        document = (docs[at][1], docs[at][2]) if at < len(docs) else None
        if document is not None:
            used[matter_id] = at + 1
        served = document[1] if document else None
        rectified = _first_from(later.get(matter_id, ()), on)
        out.append(AdviceOutcome(
            matter_id=matter_id, office_code=code or "", reg_no=reg_no, matter_title=title,
            number=document[0] if document else "", issued_on=on,
            units=tuple(name for _, name in units.get(matter_id, ())), served_on=served, deadline=deadline,
            provisional=bool(period[2]) if period else False, rectified_on=rectified,
            outcome=_outcome(deadline, rectified, as_of), escalated_on=_first_from(escalated.get(matter_id, ()), on),
            unit_ids=tuple(uid for uid, _ in units.get(matter_id, ()))))
    return out


def _outcome(deadline: date | None, rectified: date | None, as_of: date) -> Outcome:
    if rectified is not None:
        return Outcome.ON_TIME if deadline is None or rectified <= deadline else Outcome.LATE
    if deadline is not None and deadline < as_of:
        return Outcome.OUTSTANDING
    return Outcome.PENDING


def _first_from(days: Sequence[date], since: date) -> date | None:
    at = bisect.bisect_left(days, since)
    return days[at] if at < len(days) else None


def _rectification_periods(session: Session, concerned: Select[Any]) -> dict[int, list[tuple[date, date, bool]]]:
    """matter -> its rectification obligations as (start, deadline, provisional), in order of start; the office's
    own and the townships' mirrored ones (at an office the second table is empty, at the bureau mostly the first)."""
    out: dict[int, list[tuple[date, date, bool]]] = defaultdict(list)
    for table in (Obligation, OfficeObligation):
        rows = session.execute(select(table.matter_id, table.trigger_on, table.due_on, table.provisional).where(
            table.kind == ObligationKind.RECTIFICATION.value, table.matter_id.in_(concerned.scalar_subquery())))
        for matter_id, start, due, provisional in rows:
            if matter_id is not None:
                out[matter_id].append((start, due, bool(provisional)))
    for periods in out.values():
        periods.sort()
    return out


def _event_days(session: Session, concerned: Select[Any], actions: tuple[str, ...],
                as_of: date) -> dict[int, list[date]]:
    out: dict[int, list[date]] = defaultdict(list)
    for matter_id, on in session.execute(select(MatterEvent.matter_id, MatterEvent.on_date).where(
            MatterEvent.action.in_(actions), MatterEvent.on_date <= as_of,
            MatterEvent.matter_id.in_(concerned.scalar_subquery())).order_by(MatterEvent.on_date)):
        out[matter_id].append(on)
    return out


def _units_of(session: Session, concerned: Select[Any]) -> dict[int, list[tuple[int, str]]]:
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for matter_id, unit_id, name in session.execute(
            select(matter_units.c.matter_id, Unit.id, Unit.name).join(Unit, Unit.id == matter_units.c.unit_id)
            .where(matter_units.c.matter_id.in_(concerned.scalar_subquery())).order_by(Unit.id)):
        out[matter_id].append((unit_id, name))
    return out


def _documents(session: Session, concerned: Select[Any]) -> dict[int, list[tuple[date, str, date | None]]]:
    """matter -> its issued advices as (issue date, number, served on), in order (a voided one is not the advice the
    unit works to). Paired with the advice events by date, not by the ``document_id`` an event records: at the
    bureau that id is the township's own, not a row here."""
    out: dict[int, list[tuple[date, str, date | None]]] = defaultdict(list)
    for matter_id, issued, number, served in session.execute(
            select(Document.matter_id, Document.issue_date, Document.number, Document.served_on).where(
                Document.form_id == "supervision_advice", Document.status == DocStatus.ISSUED.value,
                Document.issue_date.is_not(None), Document.matter_id.in_(concerned.scalar_subquery()))
            .order_by(Document.matter_id, Document.issue_date, Document.id)):
        if matter_id is not None and issued is not None:
            out[matter_id].append((issued, number or "", served))
    return out


# ---- the league (月度晒绩表) -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LeagueRow:
    office_code: str
    office_name: str
    unit: str  # '' in the league of 司法所
    received: int
    on_time: int
    late: int
    outstanding: int
    pending: int
    escalated: int
    rate: Rate
    rank: int | None  # None: nothing to judge yet


@dataclass
class _Tally:
    received: int = 0
    on_time: int = 0
    late: int = 0
    outstanding: int = 0
    pending: int = 0
    escalated: int = 0

    def add(self, advice: AdviceOutcome) -> None:
        self.received += 1
        self.escalated += advice.escalated_on is not None
        if advice.outcome == Outcome.ON_TIME:
            self.on_time += 1
        elif advice.outcome == Outcome.LATE:
            self.late += 1
        elif advice.outcome == Outcome.OUTSTANDING:
            self.outstanding += 1
        else:
            self.pending += 1

    @property
    def rate(self) -> Rate:
        return Rate(self.on_time, self.on_time + self.late + self.outstanding)


def league(session: Session, period: Period, by_office: bool = False, office_code: str | None = None, *,
           today: date | None = None) -> list[LeagueRow]:
    """Every supervised unit (active, or named by an advice of the period), or every 司法所, ranked."""
    advices = advice_outcomes(session, period, office_code, today=today)
    names = dict(offices(session))
    tallies: dict[tuple[str, int], _Tally] = {}
    labels: dict[tuple[str, int], str] = {}
    if by_office:
        for code in names:
            if office_code is None or code == office_code:
                tallies[(code, 0)] = _Tally()
        for advice in advices:
            tallies.setdefault((advice.office_code, 0), _Tally()).add(advice)
    else:
        query = select(Unit.office_code, Unit.id, Unit.name).where(Unit.active.is_(True))
        if office_code is not None:
            query = query.where(Unit.office_code == office_code)
        for code, unit_id, name in session.execute(query.order_by(Unit.office_code, Unit.id)):
            tallies[(code or "", unit_id)] = _Tally()
            labels[(code or "", unit_id)] = name
        for advice in advices:
            for unit_id, name in zip(advice.unit_ids, advice.units, strict=True):
                key = (advice.office_code, unit_id)
                labels.setdefault(key, name)
                tallies.setdefault(key, _Tally()).add(advice)
    order = list(tallies)  # enrolment / roster order breaks the last ties
    position = {key: n for n, key in enumerate(order)}

    def standing(key: tuple[str, int]) -> tuple[float, int, int, int]:
        tally = tallies[key]
        percent = tally.rate.percent
        return (-(percent if percent is not None else -1.0), tally.outstanding, -tally.received, position[key])

    ranked = sorted(order, key=standing)
    rows: list[LeagueRow] = []
    rank = 0
    previous: tuple[float | None, int] | None = None
    for n, key in enumerate(ranked, start=1):
        tally = tallies[key]
        percent = tally.rate.percent
        this_rank: int | None = None
        if percent is not None:
            mark = (percent, tally.outstanding)
            rank = rank if mark == previous else n
            previous, this_rank = mark, rank
        code = key[0]
        rows.append(LeagueRow(office_code=code, office_name=names.get(code, code), unit=labels.get(key, ""),
                              received=tally.received, on_time=tally.on_time, late=tally.late,
                              outstanding=tally.outstanding, pending=tally.pending, escalated=tally.escalated,
                              rate=tally.rate, rank=this_rank))
    return rows


# ---- the period's figures (L-2: the periodic report and the annual summary) --------------------------------------

@dataclass(frozen=True)
class Figures:
    period: Period
    as_of: date
    matters_received: int
    matters_closed: int
    advices_issued: int
    rectified: int  # confirmations of rectification in the period
    rectified_on_time: int  # … of them on or before their deadline
    rectified_late: int
    rectifying: int  # as of the period's end: advice issued or rectification under way
    overdue: int  # as of the period's end: 逾期未改, not yet escalated
    escalations: int
    assistance_requests: int
    clue_transfers: int
    case_files_reviewed: int
    rectification_rate: Rate  # over the advices issued in the period (module docstring)
    report_rate: Rate  # the 3-working-day reports due in the period, met on time
    by_source: tuple[Count, ...]
    by_category: tuple[Count, ...]
    by_unit: tuple[Count, ...]
    by_outcome: tuple[Count, ...]  # the period's matters by their status as of its end


def figures(session: Session, period: Period, office_code: str | None = None, *,
            today: date | None = None) -> Figures:
    as_of = period.as_of(today)
    start, end = period.start, as_of  # a running period counts up to today
    received = _in_scope(select(Matter.id).where(Matter.received_on.between(start, end)), office_code)

    # One pass over the period's timeline entries for every count of actions (one query each took 0.3 s apiece
    # at 390,000 matters: the entries are not indexed by date).
    counted = (*CLOSING_ACTIONS, Action.ISSUE_ADVICE.value, Action.CONFIRM_RECTIFIED.value, Action.ESCALATE.value,
               Action.SEND_ASSISTANCE_REQUEST.value)
    by_action = {action: int(n) for action, n in session.execute(_in_scope(
        select(MatterEvent.action, func.count(MatterEvent.id)).join(Matter, Matter.id == MatterEvent.matter_id)
        .where(MatterEvent.action.in_(counted), MatterEvent.on_date.between(start, end)), office_code)
        .group_by(MatterEvent.action))}

    def events(*actions: str) -> int:
        return sum(by_action.get(action, 0) for action in actions)

    # Rectifications confirmed in the period, judged against the deadline of the advice they answer: only the
    # matters with a confirmation in the period are looked at (all advices ever took 6 s at 390,000 matters).
    rectified_in_period = select(MatterEvent.matter_id).where(
        MatterEvent.action == Action.CONFIRM_RECTIFIED.value, MatterEvent.on_date.between(start, end))
    confirmed = [a for a in _advices(session, date(FIRST_YEAR, 1, 1), end, as_of, office_code, rectified_in_period)
                 if a.rectified_on is not None and start <= a.rectified_on <= end]
    this_period = advice_outcomes(session, period, office_code, today=today)
    judged = [a for a in this_period if a.judged]
    at_end = _statuses_as_of(session, as_of, office_code)
    of_period = _statuses_as_of(session, as_of, office_code, received_between=(start, end))
    return Figures(
        period=period, as_of=as_of,
        matters_received=int(session.scalar(select(func.count()).select_from(received.subquery())) or 0),
        matters_closed=events(*CLOSING_ACTIONS), advices_issued=events(Action.ISSUE_ADVICE.value),
        rectified=events(Action.CONFIRM_RECTIFIED.value),
        rectified_on_time=sum(a.outcome == Outcome.ON_TIME for a in confirmed),
        rectified_late=sum(a.outcome == Outcome.LATE for a in confirmed),
        rectifying=at_end.get(Status.ADVICE_ISSUED.value, 0) + at_end.get(Status.RECTIFYING.value, 0),
        overdue=at_end.get(Status.OVERDUE.value, 0),
        escalations=events(Action.ESCALATE.value), assistance_requests=events(Action.SEND_ASSISTANCE_REQUEST.value),
        clue_transfers=events(Action.TRANSFER.value),
        case_files_reviewed=_files_reviewed(session, start, end, office_code),
        rectification_rate=Rate(sum(a.outcome == Outcome.ON_TIME for a in judged), len(judged)),
        report_rate=_report_rate(session, start, as_of, office_code),
        by_source=_vocab_counts(Source, _grouped(session, Matter.source, start, end, office_code)),
        by_category=_vocab_counts(Category, _grouped(session, Matter.category, start, end, office_code)),
        by_unit=_unit_counts(session, start, end, office_code),
        by_outcome=_vocab_counts(Status, of_period),
    )


def _grouped(session: Session, column: Any, start: date, end: date, office_code: str | None) -> dict[str, int]:
    return {code: int(n) for code, n in session.execute(_in_scope(
        select(column, func.count(Matter.id)).where(Matter.received_on.between(start, end)), office_code)
        .group_by(column))}


def _vocab_counts(vocab: type[Labelled], counts: dict[str, int]) -> tuple[Count, ...]:
    """In the vocabulary's order, only what occurs; a code the vocabulary does not know is shown as it is."""
    known = [Count(m.value, m.label, counts[m.value]) for m in vocab if counts.get(m.value)]
    codes = {m.value for m in vocab}
    return tuple(known + [Count(code, code, n) for code, n in sorted(counts.items()) if code not in codes and n])


def _unit_counts(session: Session, start: date, end: date, office_code: str | None) -> tuple[Count, ...]:
    rows = session.execute(_in_scope(
        select(Unit.id, Unit.name, func.count(Matter.id)).join(matter_units, matter_units.c.unit_id == Unit.id)
        .join(Matter, Matter.id == matter_units.c.matter_id).where(Matter.received_on.between(start, end)),
        office_code).group_by(Unit.id, Unit.name).order_by(func.count(Matter.id).desc(), Unit.id))
    return tuple(Count(str(unit_id), name, int(n)) for unit_id, name, n in rows)


def _statuses_as_of(session: Session, as_of: date, office_code: str | None,
                    received_between: tuple[date, date] | None = None) -> dict[str, int]:
    """Matters by the status of their last timeline entry on or before ``as_of``.

    A matter with no entry after ``as_of`` has that status now (matters.status); only the others need their
    timeline read back (a window over every matter's entries took 1.8 s at 390,000 matters)."""
    first, last = received_between or (date(FIRST_YEAR, 1, 1), as_of)
    later = select(MatterEvent.matter_id).where(MatterEvent.on_date > as_of).distinct().scalar_subquery()
    counts: Counter[str] = Counter()
    for status, n in session.execute(_in_scope(
            select(Matter.status, func.count(Matter.id))
            .where(Matter.received_on.between(first, min(last, as_of)), Matter.id.not_in(later)), office_code)
            .group_by(Matter.status)):
        counts[status] += int(n)
    ranked = _in_scope(
        select(MatterEvent.to_status.label("status"), func.row_number().over(
            partition_by=MatterEvent.matter_id, order_by=(MatterEvent.on_date.desc(), MatterEvent.id.desc()),
        ).label("n")).join(Matter, Matter.id == MatterEvent.matter_id)
        .where(MatterEvent.on_date <= as_of, MatterEvent.matter_id.in_(later),
               Matter.received_on.between(first, min(last, as_of))), office_code).subquery()
    for status, n in session.execute(
            select(ranked.c.status, func.count()).where(ranked.c.n == 1).group_by(ranked.c.status)):
        counts[status] += int(n)
    return dict(counts)


def _report_rate(session: Session, start: date, as_of: date, office_code: str | None) -> Rate:
    due = met = 0
    for table in _obligation_tables(office_code):
        query = select(table.state, table.due_on, table.met_on).where(
            table.kind.in_(REPORT_KINDS), table.due_on.between(start, as_of),
            table.state != ObligationState.DROPPED.value)
        if table is OfficeObligation and office_code is not None:
            query = query.where(OfficeObligation.office_code == office_code)
        for state, due_on, met_on in session.execute(query):
            due += 1
            met += state == ObligationState.MET.value and met_on is not None and met_on <= due_on
    return Rate(met, due)


def _obligation_tables(office_code: str | None) -> tuple[type[Obligation] | type[OfficeObligation], ...]:
    """The database's own obligations (office_code '') and the townships' mirrored ones."""
    if office_code is None:
        return (Obligation, OfficeObligation)
    return (Obligation,) if office_code == "" else (OfficeObligation,)


# ---- per month, for the charts ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MonthSeries:
    months: tuple[Period, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]  # (label, one count per month)

    def total(self, label: str) -> int:
        return sum(next((values for name, values in self.series if name == label), ()))


def matters_per_month(session: Session, year: int, by: str, office_code: str | None = None) -> MonthSeries:
    """Matters received in each month of ``year``, one series per source or per category (those that occur)."""
    vocab: type[Labelled]
    if by == "source":
        column, vocab = Matter.source, Source
    elif by == "category":
        column, vocab = Matter.category, Category
    else:
        raise ValidationError(f"不支持按“{by}”分组：请选择来源或监督内容类别。", "by")
    period = Period.of(year)
    counts: dict[str, list[int]] = {}
    for code, day, n in session.execute(_in_scope(
            select(column, Matter.received_on, func.count(Matter.id))
            .where(Matter.received_on.between(period.start, period.end)), office_code)
            .group_by(column, Matter.received_on)):
        counts.setdefault(code, [0] * 12)[day.month - 1] += int(n)
    labels = {m.value: m.label for m in vocab}
    ordered = [m.value for m in vocab if m.value in counts] + sorted(c for c in counts if c not in labels)
    return MonthSeries(tuple(period.months()),
                       tuple((labels.get(code, code), tuple(counts[code])) for code in ordered))


ON_TIME_LABEL, LATE_LABEL, MISSED_LABEL = "按时完成", "逾期完成", "逾期未完成"


def obligations_per_month(session: Session, year: int, office_code: str | None = None, *,
                          today: date | None = None) -> MonthSeries:
    """The time limits that fell due in each month (by the as-of day, dropped ones left out): met on time, met
    late, or still open past their date."""
    period = Period.of(year)
    as_of = period.as_of(today)
    tallies = [[0, 0, 0] for _ in range(12)]
    for table in _obligation_tables(office_code):
        query = select(table.due_on, table.state, table.met_on).where(
            table.due_on.between(period.start, as_of), table.state != ObligationState.DROPPED.value)
        if table is OfficeObligation and office_code is not None:
            query = query.where(OfficeObligation.office_code == office_code)
        for due, state, met_on in session.execute(query):
            month = tallies[due.month - 1]
            if state == ObligationState.MET.value and met_on is not None:
                month[0 if met_on <= due else 1] += 1
            elif due < as_of:
                month[2] += 1
    return MonthSeries(tuple(period.months()), tuple(
        (label, tuple(month[i] for month in tallies))
        for i, label in enumerate((ON_TIME_LABEL, LATE_LABEL, MISSED_LABEL))))


# ---- a period at a glance (the 台账统计 page) ----------------------------------------------------------------------

@dataclass(frozen=True)
class Snapshot:
    """Everything the 台账统计 page shows for one period and one office (``office_code`` None: all of them)."""

    period: Period
    office_code: str | None
    offices: tuple[tuple[str, str], ...]  # (code, name); at an office its own only
    figures: Figures
    by_source: MonthSeries
    by_category: MonthSeries
    obligations: MonthSeries
    league: tuple[LeagueRow, ...]  # per supervised unit
    office_league: tuple[LeagueRow, ...]  # per 司法所: at the bureau over all of them, else empty


def snapshot(db: Database, period: Period, office_code: str | None, bureau: bool, today: date) -> Snapshot:
    """One unit of work, so every figure on the page comes from the same state of the database."""
    with db.uow() as session:
        return Snapshot(
            period=period, office_code=office_code, offices=tuple(offices(session)),
            figures=figures(session, period, office_code, today=today),
            by_source=matters_per_month(session, period.year, "source", office_code),
            by_category=matters_per_month(session, period.year, "category", office_code),
            obligations=obligations_per_month(session, period.year, office_code, today=today),
            league=tuple(league(session, period, office_code=office_code, today=today)),
            office_league=tuple(league(session, period, by_office=True, today=today))
            if bureau and office_code is None else ())


# ---- who ----------------------------------------------------------------------------------------------------------

def offices(session: Session) -> list[tuple[str, str]]:
    """(office_code, name): every township at the bureau (enrolled, or with data here); the office itself at an
    office (its own matters carry the code '')."""
    profile = session.scalar(select(OfficeProfile).limit(1))
    if profile is not None and profile.mode != Mode.BUREAU.value:
        return [("", profile.name)]
    peers = [(code, name) for code, name in session.execute(
        select(Peer.code, Peer.name).where(Peer.kind == "office").order_by(Peer.id))]
    known = {code for code, _ in peers}
    with_data = set(session.scalars(select(Matter.office_code).where(Matter.office_code != "").distinct()))
    return peers + [(code, code) for code in sorted(with_data - known)]


def counts_text(counts: Iterable[Count], unit: str = "件") -> str:
    """"12345政务服务热线 5件、日常监督 3件" — a breakdown as a report sentence; '无' when empty."""
    parts = [f"{c.label} {c.count}{unit}" for c in counts]
    return "、".join(parts) if parts else "无"
