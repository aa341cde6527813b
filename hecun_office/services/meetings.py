"""联席会议 (SPEC O-2, seed 002 §二(四)4): a meeting's record — date, convener, participants, topics — and its
decisions, each with an owner and a due date. An open decision is an obligation on the dashboard (kind
联席会议议定事项, rule key ``meeting_decision:<key>``) until it is recorded as done; the minutes are drafted from
the record into the ``meeting_minutes`` form.
"""

from __future__ import annotations

import uuid as uuid_mod
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import NotFound, ValidationError
from ..domain.obligations import MEETING_DECISION_RULE, ObligationKind, ObligationState
from ..domain.permissions import Permission, require
from ..storage.models import Document, Meeting, Obligation
from ..storage.uow import Database, begin_write
from . import audit, documents
from .audit import Actor
from .obligations import mark_met

MINUTES_FORM = "meeting_minutes"
RULE_PREFIX = MEETING_DECISION_RULE
NUMERALS = "一二三四五六七八九十"


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class DecisionInput:
    text: str
    owner: str = ""
    due_on: date | None = None
    key: str = ""  # kept when a meeting is corrected, so that its obligation stays the same one


@dataclass(frozen=True)
class MeetingInput:
    held_on: date
    name: str
    place: str = ""
    convener: str = ""
    chair: str = ""
    participants: str = ""
    attendees: str = ""
    observers: str = ""
    topics: str = ""
    decisions: tuple[DecisionInput, ...] = field(default_factory=tuple)


_LIMITS = (("name", "会议名称", 120), ("place", "会议地点", 120), ("convener", "召集单位", 120),
           ("chair", "主持人", 80), ("participants", "参会单位", 2000), ("attendees", "出席人员", 2000),
           ("observers", "列席人员", 2000), ("topics", "议题", 8000))
MAX_DECISIONS = 50


def check_meeting(data: MeetingInput, today: date) -> None:
    if not data.name.strip():
        raise ValidationError("请填写会议名称。", "name")
    for name, label, limit in _LIMITS:
        if len(getattr(data, name).strip()) > limit:
            raise ValidationError(f"“{label}”过长，请控制在 {limit} 字以内。", name)
    if data.held_on > today:
        raise ValidationError(f"会议日期 {data.held_on:%Y-%m-%d} 晚于今天：会议开过之后再记录。", "held_on")
    if len(data.decisions) > MAX_DECISIONS:
        raise ValidationError(f"议定事项最多 {MAX_DECISIONS} 条。", "decisions")
    for n, d in enumerate(data.decisions, start=1):
        if not d.text.strip():
            raise ValidationError(f"第 {n} 条议定事项没有内容，请填写或删去该条。", "decisions")
        if len(d.text.strip()) > 1000 or len(d.owner.strip()) > 120:
            raise ValidationError(f"第 {n} 条议定事项过长（内容 1000 字、责任单位 120 字以内）。", "decisions")
        if d.due_on is not None and d.due_on < data.held_on:
            raise ValidationError(f"第 {n} 条议定事项的完成时限 {d.due_on:%Y-%m-%d} 早于会议日期，请检查。", "decisions")


def _own(session: Session, meeting_id: int) -> Meeting:
    row = session.get(Meeting, meeting_id)
    if row is None:
        raise NotFound("该会议记录已不存在，请刷新列表。")
    if row.office_code:
        raise ValidationError("该会议记录由司法所报送，本机构只能查看。")
    return row


def _decision_title(meeting: Meeting, decision: dict[str, Any]) -> str:
    owner = f"（{decision['owner']}）" if decision.get("owner") else ""
    return f"{meeting.name}议定：{decision['text']}{owner}"[:300]


def _sync_obligations(session: Session, meeting: Meeting, previous_keys: list[str]) -> None:
    """One obligation per decision with a due date. A decision without one, or struck out of the record
    (``previous_keys``: the decisions as last saved), owes nothing any more: its open obligation is dropped."""
    dated = {d["key"]: d for d in meeting.decisions if d.get("due_on")}
    existing = {o.rule_key: o for o in session.scalars(select(Obligation).where(
        Obligation.rule_key.in_([RULE_PREFIX + k for k in {*(d["key"] for d in meeting.decisions),
                                                           *previous_keys}])))}
    now = _now()
    for key, d in dated.items():
        rule = RULE_PREFIX + key
        row = existing.pop(rule, None)
        if row is None:
            row = Obligation(rule_key=rule, kind=ObligationKind.MEETING_DECISION.value, matter_id=None,
                             state=ObligationState.OPEN.value)
            session.add(row)
        done = date.fromisoformat(d["done_on"]) if d.get("done_on") else None
        state = ObligationState.MET.value if done else ObligationState.OPEN.value
        values = dict(title=_decision_title(meeting, d), trigger_on=meeting.held_on, starts_on=meeting.held_on,
                      due_on=date.fromisoformat(d["due_on"]), provisional=False, state=state, met_on=done,
                      note=(d.get("done_note") or "")[:200])
        if any(getattr(row, k, None) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.updated_at = now
    for row in existing.values():
        if row.state == ObligationState.OPEN.value:
            row.state, row.updated_at = ObligationState.DROPPED.value, now


def save_meeting(db: Database, actor: Actor, data: MeetingInput, today: date, meeting_id: int | None = None) -> int:
    """Record a meeting (``meeting_id`` None) or correct one; its decisions' obligations follow. Returns the id."""
    require(actor.role, Permission.MATTER_WORK)
    check_meeting(data, today)
    now = _now()
    with db.uow() as session:
        begin_write(session)
        if meeting_id is None:
            meeting = Meeting(office_code="", created_at=now, decisions=[])
            session.add(meeting)
        else:
            meeting = _own(session, meeting_id)
        old = {d["key"]: d for d in meeting.decisions or []}
        decisions = []
        for d in data.decisions:
            key = d.key if d.key in old else uuid_mod.uuid4().hex
            kept = old.get(key, {})
            decisions.append({"key": key, "text": d.text.strip(), "owner": d.owner.strip(),
                              "due_on": d.due_on.isoformat() if d.due_on else None,
                              "done_on": kept.get("done_on"), "done_note": kept.get("done_note", "")})
        for name, _label, _limit in _LIMITS:
            setattr(meeting, name, getattr(data, name).strip())
        meeting.held_on, meeting.decisions, meeting.updated_at = data.held_on, decisions, now
        session.flush()
        _sync_obligations(session, meeting, list(old))
        audit.append(session, actor, "meeting.save", "meeting", meeting.uuid,
                     {"new": meeting_id is None, "decisions": len(decisions)})
        return meeting.id


def decision_done(db: Database, actor: Actor, meeting_id: int, key: str, on: date, today: date,
                  note: str = "") -> None:
    """Record a decision as carried out: its obligation is met on ``on``."""
    require(actor.role, Permission.MATTER_WORK)
    if on > today:
        raise ValidationError(f"完成日期 {on:%Y-%m-%d} 晚于今天，请检查日期。", "on")
    with db.uow() as session:
        begin_write(session)
        settle_decision(session, actor, _own(session, meeting_id), key, on, note)


def settle_decision(session: Session, actor: Actor, meeting: Meeting, key: str, on: date, note: str) -> None:
    """The decision ``key`` done on ``on``, in the meeting's record and its obligation both — whether the clerk
    records it on the meeting or marks the obligation met in 整改与时限 (services/obligations.py)."""
    decisions = [dict(d) for d in meeting.decisions]
    match = next((d for d in decisions if d["key"] == key), None)
    if match is None:
        raise NotFound("该议定事项已不在会议记录中，请刷新后重试。")
    if match.get("done_on"):
        raise ValidationError(f"该议定事项已于 {match['done_on']} 记为完成。")
    if on < meeting.held_on:
        raise ValidationError(f"完成日期 {on:%Y-%m-%d} 早于会议日期 {meeting.held_on:%Y-%m-%d}，请检查。", "on")
    match["done_on"], match["done_note"] = on.isoformat(), note.strip()[:200]
    meeting.decisions, meeting.updated_at = decisions, _now()
    row = session.scalar(select(Obligation).where(Obligation.rule_key == RULE_PREFIX + key))
    if row is not None and row.state == ObligationState.OPEN.value:
        mark_met(row, on, note.strip())
    audit.append(session, actor, "meeting.decision_done", "meeting", meeting.uuid, {"key": key, "on": on})


def meeting_of_decision(session: Session, key: str) -> Meeting:
    """The office's meeting whose record holds the decision ``key``."""
    for meeting in session.scalars(select(Meeting).where(Meeting.office_code == "")):
        if any(d.get("key") == key for d in meeting.decisions or []):
            return meeting
    raise NotFound("该议定事项已不在会议记录中，请刷新后重试。")


def decisions_text(decisions: list[dict[str, Any]]) -> str:
    """The 议定事项 paragraph of the minutes: 一、…（责任单位：…，完成时限：…）."""
    lines = []
    for n, d in enumerate(decisions, start=1):
        mark = NUMERALS[n - 1] if n <= len(NUMERALS) else str(n)
        extra = []
        if d.get("owner"):
            extra.append(f"责任单位：{d['owner']}")
        if d.get("due_on"):
            due = date.fromisoformat(d["due_on"])
            extra.append(f"完成时限：{due.year}年{due.month}月{due.day}日")
        text = d["text"].rstrip("。；;.")
        lines.append(f"{mark}、{text}" + (f"（{'，'.join(extra)}）" if extra else "") + "。")
    return "\n".join(lines)


def minutes_values(db: Database, meeting_id: int, today: date) -> dict[str, Any]:
    """The minutes form's values drafted from the record, over the form's defaults (the office's names)."""
    values = documents.draft_values(db, MINUTES_FORM, None, today)
    with db.uow() as session:
        m = session.get(Meeting, meeting_id)
        if m is None:
            raise NotFound("该会议记录已不存在，请刷新列表。")
        values.update({"meeting_name": m.name, "meeting_date": m.held_on, "place": m.place,
                       "chair": m.chair, "participants": m.participants, "discussion": m.topics,
                       "decisions": decisions_text(m.decisions), "attendees": m.attendees,
                       "observers": m.observers})
        if m.convener:
            values["convener"] = m.convener
    return values


def draft_minutes(db: Database, actor: Actor, meeting_id: int, today: date) -> int:
    """Draft the minutes (联席会议纪要) from the record, or return the draft already made; returns its document id."""
    require(actor.role, Permission.DOCUMENT_DRAFT)
    values = minutes_values(db, meeting_id, today)
    with db.uow() as session:
        begin_write(session)
        meeting = _own(session, meeting_id)
        if meeting.minutes_document_id is not None:
            doc = session.get(Document, meeting.minutes_document_id)
            if doc is not None and doc.status != "voided":
                return doc.id
        doc_id = documents.add_draft(session, actor, MINUTES_FORM, None, values)
        meeting.minutes_document_id, meeting.updated_at = doc_id, _now()
        return doc_id


@dataclass(frozen=True)
class DecisionRow:
    key: str
    text: str
    owner: str
    due_on: date | None
    done_on: date | None
    done_note: str


@dataclass(frozen=True)
class MeetingRow:
    id: int
    office_code: str
    held_on: date
    name: str
    convener: str
    participants: str
    decisions: tuple[DecisionRow, ...]
    minutes_document_id: int | None

    @property
    def open_decisions(self) -> int:
        return sum(1 for d in self.decisions if d.due_on is not None and d.done_on is None)


def _decision_rows(raw: list[dict[str, Any]]) -> tuple[DecisionRow, ...]:
    return tuple(DecisionRow(d["key"], d["text"], d.get("owner", ""),
                             date.fromisoformat(d["due_on"]) if d.get("due_on") else None,
                             date.fromisoformat(d["done_on"]) if d.get("done_on") else None,
                             d.get("done_note", "")) for d in raw or [])


def list_meetings(db: Database, office_code: str = "") -> list[MeetingRow]:
    with db.uow() as session:
        rows = session.scalars(select(Meeting).where(Meeting.office_code == office_code)
                               .order_by(Meeting.held_on.desc(), Meeting.id.desc())).all()
        return [MeetingRow(m.id, m.office_code, m.held_on, m.name, m.convener, m.participants,
                           _decision_rows(m.decisions), m.minutes_document_id) for m in rows]


def meeting_input(db: Database, meeting_id: int) -> MeetingInput:
    """A recorded meeting as the form to correct it."""
    with db.uow() as session:
        m = session.get(Meeting, meeting_id)
        if m is None:
            raise NotFound("该会议记录已不存在，请刷新列表。")
        return MeetingInput(m.held_on, m.name, m.place, m.convener, m.chair, m.participants, m.attendees,
                            m.observers, m.topics, tuple(
                                DecisionInput(d.text, d.owner, d.due_on, d.key) for d in _decision_rows(m.decisions)))
