"""S-7: the bureau's cross-township view — every office's figures side by side, and what waits for the bureau.

Everything is read from what the townships' packets brought (matters, timelines, documents and the mirrored
``office_obligations``, all marked with the office's code) plus the bureau's own obligations. Each figure is one
grouped query over the whole county (``GROUP BY office_code``, and the month where there is one), so the cost
grows with the number of rows the database scans, not with a Python loop per matter; only the short lists of
items still waiting for the bureau come back row by row.

Definitions (the clerk reads the same sentences as tooltips, ui/models/county_table.py):

* **open matters** (在办事项): the office's matters whose status, as last reported, is not final
  (``FINAL_STATUSES``: 办结, 已移送).
* **overdue escalations** (逾期未提请): the office's obligations to report to the bureau within 3 working days —
  ``escalation_report`` (逾期未改), ``refusal_report`` (拒不整改), ``serious_report`` (情节严重复杂) — still open in its
  last packet with a due date before today.
* **awaiting the bureau**: (a) assistance requests (执法协作函) received and not answered yet: the bureau's own open
  ``assistance_reply`` obligations (3 working days from receipt, §二(四)2), counted for the office that sent the
  request; (b) escalations not answered with a supervision notice: the office's matters whose last reported status
  is 已提请司法局 and for which the bureau has issued no 行政执法监督通知书 on or after the matter's last
  ``escalate`` event (with or without a report document received; the report's number is shown when there is one).
* **advices** (建议书): ``issue_advice`` events on the office's matters, by their business date.
* **rectification on time** (按期整改): each advice's rectification period is the office's ``rectification``
  obligation (its due date is the advice's rectification deadline as the office's rules computed it, including
  periods that run from service, D-8). An advice counts once its deadline has passed (``due_on < today``); it is
  rectified on time when that obligation was met — which the rules do only with a ``confirm_rectified`` event —
  on or before the deadline (``met_on <= due_on``; ``met_on`` is that event's date). An advice whose deadline
  passed while it was open, or that was marked overdue or refused (obligation dropped), is not on time.
  **Rectification rate** = rectified on time / advices counted, over advices whose deadline fell in the current
  year; ``None`` (shown as —) when there are none.
* **per month** (current year): matters received by ``received_on``; advices by the ``issue_advice`` date;
  rectification counted and rectified on time by the month of the deadline — so the months add up to the year's
  rate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import and_, case, extract, func, select
from sqlalchemy.orm import Session

from ..domain.lifecycle import FINAL_STATUSES, Action, Status
from ..domain.obligations import ObligationKind, ObligationState
from ..domain.vocab import Labelled
from ..storage.models import Document, Matter, MatterEvent, Obligation, OfficeObligation, PacketIn, Peer
from ..storage.uow import Database
from ..workdays import PROVISIONAL_LABEL, WorkCalendar, weekday_name
from .calendar import load_calendar

REPORT_KINDS = (ObligationKind.ESCALATION_REPORT.value, ObligationKind.REFUSAL_REPORT.value,
                ObligationKind.SERIOUS_REPORT.value)
_FINAL = tuple(sorted(s.value for s in FINAL_STATUSES))
_OTHER = ""  # ``office_code > _OTHER``: a township's record (the same as ``!= ''``, but it can use the office index)
_ASSISTANCE_PREFIX = f"{ObligationKind.ASSISTANCE_REPLY.value}:"  # rule key of the bureau's reply obligation
MONTHS = 12


class AwaitingKind(Labelled):
    ASSISTANCE_REPLY = "assistance_reply", "答复执法协作函"
    SUPERVISION_NOTICE = "supervision_notice", "制发行政执法监督通知书"


@dataclass(frozen=True)
class MonthFigures:
    month: int  # 1..12 of the overview's year
    received: int = 0  # matters received
    advices: int = 0  # supervision advices issued
    rectification_due: int = 0  # advices whose rectification deadline fell in this month and has passed
    rectified_on_time: int = 0  # … of them rectified on or before the deadline

    def __add__(self, other: MonthFigures) -> MonthFigures:
        return MonthFigures(self.month, self.received + other.received, self.advices + other.advices,
                            self.rectification_due + other.rectification_due,
                            self.rectified_on_time + other.rectified_on_time)


@dataclass(frozen=True)
class OfficeFigures:
    code: str  # '' for the totals row
    name: str
    active: bool  # enrolled and not deactivated
    last_seq: int  # last packet imported from the office (0: none yet)
    last_packet_on: date | None
    open_matters: int
    overdue_escalations: int
    awaiting_assistance: int  # assistance requests the bureau has not answered
    overdue_assistance: int  # … of them past the bureau's 3 working days
    awaiting_notice: int  # escalations not answered with a supervision notice
    rectification_due: int  # this year's advices whose deadline has passed
    rectified_on_time: int
    months: tuple[MonthFigures, ...]  # January to December of the overview's year

    @property
    def is_total(self) -> bool:
        return self.code == ""

    @property
    def awaiting_bureau(self) -> int:
        return self.awaiting_assistance + self.awaiting_notice

    @property
    def rectification_rate(self) -> float | None:
        return self.rectified_on_time / self.rectification_due if self.rectification_due else None

    @property
    def received_this_year(self) -> int:
        return sum(m.received for m in self.months)

    @property
    def advices_this_year(self) -> int:
        return sum(m.advices for m in self.months)


@dataclass(frozen=True, slots=True)
class AwaitingItem:
    """Something a township is waiting for the bureau to do."""

    kind: AwaitingKind
    office_code: str
    office_name: str
    matter_id: int | None
    reg_no: str
    title: str
    document_number: str  # the request or report received ('' when the office escalated without one)
    received_on: date  # when the request arrived here / the office escalated
    due: date | None  # the bureau's reply deadline (assistance requests; escalations have none)
    provisional: bool
    working_days_left: int | None  # to ``due``; negative when overdue
    waiting_days: int  # working days since ``received_on``

    @property
    def overdue(self) -> bool:
        return self.working_days_left is not None and self.working_days_left < 0

    @property
    def due_text(self) -> str:
        if self.due is None:
            return ""
        text = f"{self.due:%Y-%m-%d} {weekday_name(self.due)}"
        return f"{text}（{PROVISIONAL_LABEL}）" if self.provisional else text


@dataclass(frozen=True)
class CountyOverview:
    today: date
    year: int
    offices: tuple[OfficeFigures, ...]
    total: OfficeFigures
    awaiting: tuple[AwaitingItem, ...]  # most urgent first

    def office(self, code: str) -> OfficeFigures | None:
        return self.total if code == "" else next((o for o in self.offices if o.code == code), None)


def county_overview(db: Database, today: date) -> CountyOverview:
    """The cross-township dashboard (S-7) as of ``today``; see the module docstring for every definition."""
    with db.uow() as session:
        cal = load_calendar(session)
        offices = _offices(session)
        names = {code: name for code, name, _ in offices}
        packets = _last_packets(session)
        township = _township_figures(db, session, today, cal, names)
        days = _Days(cal, today)
        assistance = sorted(_assistance_items(session, days, names), key=_urgency)
        answered = _answered(session)
        escalated = township.escalations.on
        notices = [item for item in township.escalations.items
                   if (notice := answered.get(item.matter_id or 0)) is None or notice < escalated[item.matter_id or 0]]
        # every assistance reply has a due date and sorts before every escalation (_urgency)
        awaiting = assistance + notices
        assisting: dict[str, list[AwaitingItem]] = {}
        for item in assistance:
            assisting.setdefault(item.office_code, []).append(item)
        waiting_notice = Counter(item.office_code for item in notices)
        rows = []
        for code, name, active in offices:
            mine = assisting.get(code, [])
            by_month = tuple(township.months.get((code, m), MonthFigures(m)) for m in range(1, MONTHS + 1))
            seq, last_on = packets.get(code, (0, None))
            rows.append(OfficeFigures(
                code=code, name=name, active=active, last_seq=seq, last_packet_on=last_on,
                open_matters=township.open_matters.get(code, 0), overdue_escalations=township.overdue.get(code, 0),
                awaiting_assistance=len(mine), overdue_assistance=sum(a.overdue for a in mine),
                awaiting_notice=waiting_notice.get(code, 0),
                rectification_due=sum(m.rectification_due for m in by_month),
                rectified_on_time=sum(m.rectified_on_time for m in by_month), months=by_month))
        return CountyOverview(today, today.year, tuple(rows), _total(rows), tuple(awaiting))


# ---- what the townships' packets brought, kept between calls -------------------------------------------------------

@dataclass(frozen=True)
class _Escalations:
    items: tuple[AwaitingItem, ...]  # the townships' escalations as the bureau waits on them, most urgent first
    on: dict[int, date]  # matter id -> when it was escalated (a notice issued on or after answers it)


@dataclass(frozen=True)
class _Township:
    """The figures read from the townships' data alone (matters, timelines, documents and office obligations with
    an office code): they change only when a packet is applied — which moves the sender's chain head
    (``peers.in_seq``, ``in_hash``) in the same transaction — and with ``today``. At 390,000 matters reading them
    takes seconds (issue 12 item 10); the bureau's own work (its replies, its supervision notices, the offices'
    enrolment) is read afresh on every call."""

    key: tuple[Any, ...]
    calendar: WorkCalendar
    open_matters: dict[str, int]
    overdue: dict[str, int]
    months: dict[tuple[str, int], MonthFigures]
    escalations: _Escalations


_TOWNSHIP: WeakKeyDictionary[Any, _Township] = WeakKeyDictionary()  # per engine: the last figures read


def _township_key(session: Session, today: date, names: dict[str, str]) -> tuple[Any, ...]:
    """What the cached figures were read from: every office's chain head (a packet applied moves it) and the
    largest ids of the tables most of their rows are in (rows added any other way, e.g. by the demo).
    Read before the figures: a packet applied in between leaves figures newer than the key, read again next time,
    never older ones kept."""
    heads = tuple(session.execute(select(Peer.code, Peer.in_seq, Peer.in_hash).order_by(Peer.code)).all())
    ids = tuple(session.scalar(select(func.max(column))) for column in (Matter.id, MatterEvent.id, OfficeObligation.id))
    imported = session.execute(select(func.count(), func.max(PacketIn.id))
                               .where(PacketIn.status == "imported")).one()
    return (today, heads, ids, tuple(imported), tuple(sorted(names.items())))


def _township_figures(db: Database, session: Session, today: date, cal: WorkCalendar,
                      names: dict[str, str]) -> _Township:
    key = _township_key(session, today, names)
    cached = _TOWNSHIP.get(db.engine)
    if cached is not None and cached.key == key and cached.calendar is cal:
        return cached
    open_matters = _counts(session, select(Matter.office_code, func.count()).where(
        Matter.office_code > _OTHER, Matter.status.not_in(_FINAL)).group_by(Matter.office_code))
    overdue = _counts(session, select(OfficeObligation.office_code, func.count()).where(
        OfficeObligation.kind.in_(REPORT_KINDS), OfficeObligation.state == ObligationState.OPEN.value,
        OfficeObligation.due_on < today).group_by(OfficeObligation.office_code))
    escalations = _escalations(session, _Days(cal, today), names)
    figures = _Township(key, cal, open_matters, overdue, _months(session, today), escalations)
    _TOWNSHIP[db.engine] = figures
    return figures


# ---- the pieces ---------------------------------------------------------------------------------------------------

def _offices(session: Session) -> list[tuple[str, str, bool]]:
    """(code, name, active) of every enrolled office, and of offices no longer active that left data here."""
    peers = session.execute(select(Peer.code, Peer.name, Peer.active, Peer.kind).order_by(Peer.id)).all()
    others = {code for code, _, _, kind in peers if kind != "office"}
    with_data: set[str] = set(session.scalars(
        select(Matter.office_code).where(Matter.office_code > _OTHER).distinct()))
    with_data.update(session.scalars(select(OfficeObligation.office_code).distinct()))
    with_data.update(c for c in session.scalars(select(PacketIn.sender).where(
        PacketIn.status == "imported", PacketIn.sender.is_not(None)).distinct()) if c)
    with_data -= others
    out = [(code, name, active) for code, name, active, kind in peers
           if kind == "office" and (active or code in with_data)]
    known = {code for code, _, _ in out}
    out += [(code, code, False) for code in sorted(with_data - known)]
    return sorted(out, key=lambda o: not o[2])  # stable: enrolment order, offices no longer active last


def _counts(session: Session, query: Any) -> dict[str, int]:
    return {code: int(n) for code, n in session.execute(query)}


def _last_packets(session: Session) -> dict[str, tuple[int, date | None]]:
    rows = session.execute(select(PacketIn.sender, func.max(PacketIn.seq), func.max(PacketIn.received_at))
                           .where(PacketIn.status == "imported", PacketIn.sender.is_not(None))
                           .group_by(PacketIn.sender))
    out: dict[str, tuple[int, date | None]] = {code or "": (int(seq or 0), at.date() if at else None)
                                               for code, seq, at in rows}
    for code, in_seq in session.execute(select(Peer.code, Peer.in_seq).where(Peer.kind == "office")):
        if code in out:  # the chain head: a later packet may only be parked
            out[code] = (in_seq or out[code][0], out[code][1])
    return out


def _month_counts(session: Session, query: Any) -> dict[tuple[str, int], tuple[int, ...]]:
    return {(code, int(month)): tuple(int(v or 0) for v in values)
            for code, month, *values in session.execute(query)}


def _months(session: Session, today: date) -> dict[tuple[str, int], MonthFigures]:
    first, last = date(today.year, 1, 1), date(today.year, 12, 31)
    # by day, in the order of the (office_code, received_on) index: no sort and no date function per matter
    received: dict[tuple[str, int], tuple[int, ...]] = {}
    for code, day, n in session.execute(
            select(Matter.office_code, Matter.received_on, func.count())
            .where(Matter.office_code > _OTHER, Matter.received_on.between(first, last))
            .group_by(Matter.office_code, Matter.received_on)):
        key = (code, day.month)
        received[key] = (received.get(key, (0,))[0] + int(n),)
    advice_month = extract("month", MatterEvent.on_date)
    advices = _month_counts(session, select(Matter.office_code, advice_month, func.count())
                            .join(Matter, Matter.id == MatterEvent.matter_id)
                            .where(MatterEvent.action == Action.ISSUE_ADVICE.value, Matter.office_code > _OTHER,
                                   MatterEvent.on_date.between(first, last))
                            .group_by(advice_month, Matter.office_code))
    oo = OfficeObligation
    due_month = extract("month", oo.due_on)
    on_time = case((and_(oo.state == ObligationState.MET.value, oo.met_on <= oo.due_on), 1), else_=0)
    # grouped by month first: SQLite would otherwise walk the office_code index and fetch every row through it
    rectification = _month_counts(session, select(oo.office_code, due_month, func.count(), func.sum(on_time))
                                  .where(oo.kind == ObligationKind.RECTIFICATION.value,
                                         oo.due_on.between(first, last), oo.due_on < today)
                                  .group_by(due_month, oo.office_code))
    out: dict[tuple[str, int], MonthFigures] = {}
    for key in set(received) | set(advices) | set(rectification):
        due, met = rectification.get(key, (0, 0))
        out[key] = MonthFigures(key[1], received.get(key, (0,))[0], advices.get(key, (0,))[0], due, met)
    return out


def _assistance_items(session: Session, days: _Days, names: dict[str, str]) -> list[AwaitingItem]:
    # the request is found by the UUID in the obligation's rule key (services/packet_apply.py), through its index
    request_uuid = func.substr(Obligation.rule_key, len(_ASSISTANCE_PREFIX) + 1)
    rows = session.execute(
        select(Obligation.trigger_on, Obligation.due_on, Obligation.provisional, Obligation.title, Matter.id,
               Matter.reg_no, Matter.title, func.coalesce(Matter.office_code, Document.office_code),
               Document.number)
        .outerjoin(Matter, Matter.id == Obligation.matter_id)
        .outerjoin(Document, Document.uuid == request_uuid)
        .where(Obligation.kind == ObligationKind.ASSISTANCE_REPLY.value,
               Obligation.state == ObligationState.OPEN.value)
        .order_by(Obligation.due_on, Obligation.id)).all()
    return [AwaitingItem(
        kind=AwaitingKind.ASSISTANCE_REPLY, office_code=code or "", office_name=names.get(code or "", code or ""),
        matter_id=matter_id, reg_no=reg_no or "", title=matter_title or title, document_number=number or "",
        received_on=received, due=due, provisional=provisional, working_days_left=days.left(due),
        waiting_days=days.since(received))
        for received, due, provisional, title, matter_id, reg_no, matter_title, code, number in rows]


def _escalations(session: Session, days: _Days, names: dict[str, str]) -> _Escalations:
    """The townships' matters whose last reported status is 已提请司法局, with the date of their last ``escalate``
    event (their received date when there is none), each as the item the bureau would be waiting on; longest
    waiting first. Whether the bureau has answered one is the caller's (``_answered``).

    At the full county year these are tens of thousands: the rows are read a thousand at a time and kept as plain
    tuples, so that few objects outlive the read. Every object that does makes Python's next full garbage
    collection longer, and a collection holds the GIL — the window's thread waits for it (issue 12 item 10)."""
    escalated_on = (select(func.max(MatterEvent.on_date))
                    .where(MatterEvent.matter_id == Matter.id, MatterEvent.action == Action.ESCALATE.value)
                    .scalar_subquery())
    found: list[tuple[int, str, str, str, date]] = []
    result = session.execute(
        select(Matter.id, Matter.office_code, Matter.reg_no, Matter.title, escalated_on, Matter.received_on)
        .where(Matter.status == Status.ESCALATED.value, Matter.office_code > _OTHER)
        .execution_options(yield_per=1000))
    for part in result.partitions():
        found.extend((matter_id, code, reg_no, title, on or received_on)
                     for matter_id, code, reg_no, title, on, received_on in part)
    found.sort()  # by matter id: plain tuples of unique ids compare in C
    reports = _reports(session, [f[0] for f in found])
    items = []
    for matter_id, code, reg_no, title, escalated in found:
        number, received = reports.get(matter_id, ("", None))
        arrived = received or escalated
        items.append(AwaitingItem(
            kind=AwaitingKind.SUPERVISION_NOTICE, office_code=code, office_name=names.get(code, code),
            matter_id=matter_id, reg_no=reg_no, title=title, document_number=number, received_on=arrived, due=None,
            provisional=False, working_days_left=None, waiting_days=days.since(arrived)))
    items.sort(key=_urgency)
    return _Escalations(tuple(items), {f[0]: f[4] for f in found})


def _answered(session: Session) -> dict[int, date]:
    """The bureau's own supervision notices issued, by matter: the latest issue date (an escalation is answered by
    one issued on or after it)."""
    return {int(matter_id): issued for matter_id, issued in session.execute(
        select(Document.matter_id, func.max(Document.issue_date))
        .where(Document.office_code == "", Document.form_id == AwaitingKind.SUPERVISION_NOTICE.value,
               Document.status == "issued", Document.matter_id.is_not(None), Document.issue_date.is_not(None))
        .group_by(Document.matter_id)) if matter_id is not None and issued is not None}


def _reports(session: Session, matter_ids: Sequence[int]) -> dict[int, tuple[str, date | None]]:
    """The latest escalation report received for each matter: its number and when it arrived."""
    out: dict[int, tuple[str, date | None]] = {}
    for start in range(0, len(matter_ids), 900):
        part = matter_ids[start:start + 900]
        for matter_id, number, received in session.execute(
                select(Document.matter_id, Document.number, Document.received_on)
                .where(Document.matter_id.in_(part), Document.office_code != "",
                       Document.form_id == "escalation_report", Document.status == "issued")
                .order_by(Document.id)):
            if matter_id is not None:
                out[matter_id] = (number or "", received)
    return out



class _Days:
    """Working days between today and other dates, each distinct date counted once (many items share a day)."""

    def __init__(self, cal: WorkCalendar, today: date) -> None:
        self._cal, self._today = cal, today
        self._left: dict[date, int] = {}

    def left(self, due: date) -> int:
        """Working days left until ``due``; negative when it has passed (T-5)."""
        if due not in self._left:
            self._left[due] = self._cal.working_days_left(self._today, due)
        return self._left[due]

    def since(self, day: date) -> int:
        return max(-self.left(day), 0)


def _urgency(item: AwaitingItem) -> tuple[int, date, date, str]:
    """Assistance replies by due date (they have a time limit), then escalations, longest waiting first."""
    if item.due is not None:
        return 0, item.due, item.received_on, item.reg_no
    return 1, date.max, item.received_on, item.reg_no


def _total(rows: Sequence[OfficeFigures]) -> OfficeFigures:
    months = [MonthFigures(m) for m in range(1, MONTHS + 1)]
    for row in rows:
        months = [a + b for a, b in zip(months, row.months, strict=True)]
    dated = [r.last_packet_on for r in rows if r.last_packet_on is not None]
    return OfficeFigures(
        code="", name="全县合计", active=True, last_seq=0, last_packet_on=max(dated) if dated else None,
        open_matters=sum(r.open_matters for r in rows),
        overdue_escalations=sum(r.overdue_escalations for r in rows),
        awaiting_assistance=sum(r.awaiting_assistance for r in rows),
        overdue_assistance=sum(r.overdue_assistance for r in rows),
        awaiting_notice=sum(r.awaiting_notice for r in rows),
        rectification_due=sum(r.rectification_due for r in rows),
        rectified_on_time=sum(r.rectified_on_time for r in rows), months=tuple(months))
