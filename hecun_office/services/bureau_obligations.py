"""S-7, T-5: the bureau's own obligation to answer a township's 执法协作函 (pilot plan §二(四)2).

“司法局自收到执法协作文书之日起3个工作日内予以反馈”: the rule, decided precisely.

* **Received** is the import date of the first data packet that carries the request issued (the import's
  ``today``), not the date the office issued it: a year of history imported at once gives the bureau three working
  days from that import for what is still waiting, and nothing for the rest. The date is kept as the
  obligation's ``trigger_on``; a later import never moves it.
* **Owed only while the office is waiting.** A request is *settled* when any of these is true of what the bureau
  holds after applying the packet:
  - the request is no longer issued (voided at the office);
  - after the request was sent, the matter's timeline has an entry that ends the office's own “等待司法局协作反馈”
    (domain/obligations.py): 登记司法局反馈 (RECORD_ASSISTANCE_REPLY — the answer came by another route),
    办结, 办结(无问题), 登记司法局处理结果, 移送司法局 or 重新办理. Every later step (继续核查 after an answer,
    a new 建议书, …) comes after one of these, so “moved on” needs no rule of its own;
  - the matter is 办结 or 已移送 now (a request issued on a finished matter is not waited for either).
  “After the request was sent” starts at the 发出协作函 entry that names the request's number (the office's events
  arrive in its own order, so the bureau's event ids keep that order); a request issued outside that step counts
  entries on or after its issue date. Flagging the matter serious while it waits does not settle the request:
  the office still waits, and so does the obligation. A request with no matter is settled only by being voided.
* **New requests** (first carried by this packet) open an obligation, due 3 working days after the import date,
  only if not settled; a settled one opens none and is reported once (``assistance_settled``).
* **Open obligations** of the sending office are looked at again on every packet from it: one whose request is
  now settled is dropped (state ``dropped``, ``met_on`` the day of the settling entry, the reason in its note) and
  reported (``assistance_dropped``). The bureau's own 执法协作反馈函 meets the obligation as before
  (services/documents.py); a met or dropped obligation is never reopened, and importing the same packet again
  changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.lifecycle import FINAL_STATUSES, Action
from ..domain.obligations import REPORT_WORKING_DAYS, ObligationKind, ObligationState
from ..storage.models import Document, Matter, MatterEvent, Obligation, Peer
from .calendar import load_calendar
from .packet_records import chunks

REQUEST_FORM = "assistance_request"
_KEY = f"{ObligationKind.ASSISTANCE_REPLY.value}:"
# The entries that end the office's own wait for the bureau (domain/obligations.py), with what the note says.
_SETTLING = {
    Action.RECORD_ASSISTANCE_REPLY.value: "司法所已登记司法局反馈",
    Action.CLOSE.value: "事项已办结",
    Action.CLOSE_NO_ISSUE.value: "事项已办结",
    Action.RECORD_BUREAU_REPLY.value: "事项已办结",
    Action.TRANSFER.value: "事项已移送",
    Action.REOPEN.value: "事项已重新办理",
}
_FINAL = {s.value for s in FINAL_STATUSES}


class Report(Protocol):
    """What the rule reports to (packet_apply.Applied fits): counts, and notes of a kind."""

    def add(self, key: str, n: int = 1) -> None: ...
    def note(self, kind: str, text: str) -> None: ...


@dataclass(frozen=True)
class _Request:
    doc_id: int
    uuid: str
    status: str
    number: str
    title: str
    issue_date: date | None
    matter_id: int | None


@dataclass(frozen=True)
class _Event:
    action: str
    on: date
    number: str


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def settled(request: _Request, matter_status: str | None, events: Sequence[_Event]) -> tuple[str, date | None] | None:
    """Why the office no longer waits for an answer to ``request`` and since when, or None while it waits."""
    if request.status != "issued":
        return "协作函已作废", None
    if request.matter_id is None:
        return None
    sent = [n for n, e in enumerate(events)
            if e.action == Action.SEND_ASSISTANCE_REQUEST.value and request.number and e.number == request.number]
    if sent:
        later: Iterable[_Event] = events[sent[-1] + 1:]
    else:
        later = [e for e in events if request.issue_date is None or e.on >= request.issue_date]
    for e in later:
        if e.action in _SETTLING:
            return _SETTLING[e.action], e.on
    if matter_status in _FINAL:
        return "事项已办结" if matter_status != "transferred" else "事项已移送", None
    return None


def _requests(session: Session, doc_ids: Sequence[int]) -> list[_Request]:
    out = []
    for part in chunks(list(doc_ids), 900):
        out += [_Request(i, u, s, n or "", t, d, m) for i, u, s, n, t, d, m in session.execute(
            select(Document.id, Document.uuid, Document.status, Document.number, Document.title,
                   Document.issue_date, Document.matter_id).where(Document.id.in_(part)))]
    return out


def _timelines(session: Session, matter_ids: set[int]) -> tuple[dict[int, str], dict[int, list[_Event]]]:
    statuses: dict[int, str] = {}
    events: dict[int, list[_Event]] = {m: [] for m in matter_ids}
    for part in chunks(sorted(matter_ids), 900):
        statuses.update({i: s for i, s in session.execute(select(Matter.id, Matter.status).where(Matter.id.in_(part)))})
        for matter_id, action, on, data in session.execute(
                select(MatterEvent.matter_id, MatterEvent.action, MatterEvent.on_date, MatterEvent.data)
                .where(MatterEvent.matter_id.in_(part)).order_by(MatterEvent.id)):
            number = data.get("number") if isinstance(data, dict) else None
            events[matter_id].append(_Event(action, on, number if isinstance(number, str) else ""))
    return statuses, events


def update_assistance_obligations(session: Session, peer: Peer, received: Iterable[tuple[int, dict[str, Any]]],
                                  today: date, result: Report) -> None:
    """Open, or not, the obligations of the requests first carried by this packet (``received``: id and record
    of each newly received document), and drop the sending office's open ones whose request is now settled."""
    fresh_ids = [i for i, d in received if d["form_id"] == REQUEST_FORM and d["status"] == "issued"]
    open_rows = session.scalars(
        select(Obligation).join(Document, Document.uuid == func.substr(Obligation.rule_key, len(_KEY) + 1))
        .where(Obligation.kind == ObligationKind.ASSISTANCE_REPLY.value,
               Obligation.state == ObligationState.OPEN.value, Document.office_code == peer.code)).all()
    if not fresh_ids and not open_rows:
        return
    by_uuid = {r.rule_key[len(_KEY):]: r for r in open_rows}
    held = {r.uuid: r for r in _requests(session, fresh_ids)}
    if by_uuid:
        pending = session.scalars(select(Document.id).where(Document.uuid.in_(list(by_uuid))))
        held.update({r.uuid: r for r in _requests(session, list(pending))})
    statuses, events = _timelines(session, {r.matter_id for r in held.values() if r.matter_id is not None})

    def why(r: _Request) -> tuple[str, date | None] | None:
        return settled(r, statuses.get(r.matter_id) if r.matter_id else None, events.get(r.matter_id or 0, []))

    now = _now()
    for request_uuid, row in by_uuid.items():
        request = held.get(request_uuid)
        reason = why(request) if request is not None else None
        if reason is None:
            continue
        text, since = reason
        row.state, row.met_on, row.updated_at = ObligationState.DROPPED.value, since or today, now
        row.note = f"{text}，无需答复"[:200]
        result.add("assistance_dropped")
        result.note("assistance_dropped", f"{peer.name}的执法协作函 {request.number if request else ''}："
                                          f"{text}，不再需要答复。")
    by_id = {r.doc_id: r for r in held.values()}
    fresh = [by_id[i] for i in fresh_ids if i in by_id]
    if not fresh:
        return
    due = load_calendar(session).add_working_days(today, REPORT_WORKING_DAYS)
    known = {key for part in chunks([_KEY + r.uuid for r in fresh], 900)
             for key in session.scalars(select(Obligation.rule_key).where(Obligation.rule_key.in_(part)))}
    for r in fresh:
        key = _KEY + r.uuid
        if key in known:
            continue
        reason = why(r)
        if reason is not None:
            result.add("assistance_settled")
            result.note("assistance_settled", f"{peer.name}的执法协作函 {r.number}：收到前{reason[0]}，无需答复。")
            continue
        session.add(Obligation(
            rule_key=key, kind=ObligationKind.ASSISTANCE_REPLY.value, matter_id=r.matter_id,
            title=f"答复{peer.name}《执法协作函》{r.number}：{r.title}"[:300], trigger_on=today,
            starts_on=today, due_on=due.due, provisional=due.provisional, state=ObligationState.OPEN.value,
            note="", updated_at=now))
        result.add("assistance_requests")
        result.note("assistance_open", f"收到{peer.name}的执法协作函 {r.number}，应于 {due.due:%Y-%m-%d} 前答复。")

