"""M-1..M-3: register matters, move them through their lifecycle, read them back as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..domain.errors import NotFound, NotSetUp, TransitionNotAllowed, ValidationError
from ..domain.lifecycle import (
    BY_DOCUMENT,
    REASON_REQUIRED,
    TRANSITIONS,
    Action,
    Status,
    allowed_actions,
    transition,
)
from ..domain.permissions import Permission, require
from ..domain.vocab import Category, Method, Source, Track
from ..storage.models import (
    EnforcementOfficer,
    Matter,
    MatterEvent,
    NumberSequence,
    OfficeProfile,
    Peer,
    ReviewBatch,
    ReviewFile,
    Supervisor,
    SupervisorActivity,
    Unit,
    User,
)
from ..storage.uow import Database, begin_write
from ..workdays import PROVISIONAL_LABEL
from . import audit
from .audit import Actor
from .calendar import load_calendar
from .obligations import ObligationRow, matter_obligation_rows, refresh_matter
from .search import MatterFilter as MatterFilter  # the list and its filters live in search.py (M-6)
from .search import MatterRow as MatterRow
from .search import count_matters as count_matters
from .search import index_matter
from .search import label as vocab_label
from .search import list_matters as list_matters
from .units import UnitRow as UnitRow  # the units moved to units.py (issue 12); kept here for callers
from .units import add_unit as add_unit
from .units import list_units as list_units

TITLE_MAX = 200
TEXT_MAX = 20_000


@dataclass
class MatterInput:
    received_on: date
    source: str
    title: str
    category: str
    unit_ids: list[int]
    track: str = Track.GENERAL.value
    source_ref: str = ""
    method: str | None = None
    facts: str = ""
    legal_basis: str = ""
    in_scope: bool = True
    handler_id: int | None = None
    complainant_name: str = ""
    complainant_phone: str = ""
    complainant_id_no: str = ""
    parties: str = ""  # 当事人 (the party the enforcement act concerned), searchable
    template_id: int | None = None  # M-4: registered from this frequent-matter template


@dataclass(frozen=True)
class Registered:
    id: int
    reg_no: str
    duplicates: list[str]  # registration numbers of matters with the same source reference


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def check_input(data: MatterInput, today: date) -> None:
    """What registration and correction both refuse (M-1)."""
    title = data.title.strip()
    if not title:
        raise ValidationError("请填写事项标题。", "title")
    if len(title) > TITLE_MAX:
        raise ValidationError(f"事项标题过长（{len(title)} 字），请控制在 {TITLE_MAX} 字以内，详细情况写入“基本事实”。", "title")
    for name, text, label in (("facts", data.facts, "基本事实"), ("legal_basis", data.legal_basis, "法律依据")):
        if len(text) > TEXT_MAX:
            raise ValidationError(f"“{label}”过长（{len(text)} 字），请控制在 {TEXT_MAX} 字以内，材料可作为附件上传。", name)
    if data.received_on > today:
        raise ValidationError(f"受理日期 {data.received_on:%Y-%m-%d} 晚于今天，请检查日期。", "received_on")
    for value, enum, label, name in ((data.source, Source, "来源", "source"), (data.category, Category, "监督内容", "category"),
                                     (data.track, Track, "事项类型", "track")):
        if value not in {m.value for m in enum}:
            raise ValidationError(f"请选择{label}。", name)
    if data.method and data.method not in {m.value for m in Method}:
        raise ValidationError("监督方式无效，请重新选择。", "method")
    if not data.unit_ids:
        raise ValidationError("请至少选择一个被监督单位。", "unit_ids")


def next_number(session: Session, series: str, year: int) -> int:
    """Gapless counter inside the caller's transaction: the write lock is taken before the row is read (on
    PostgreSQL two registrations of a new year would otherwise both insert the counter row)."""
    begin_write(session)
    if session.get(NumberSequence, (series, year)) is None:
        session.add(NumberSequence(series=series, year=year, last=0))
        session.flush()
    session.execute(update(NumberSequence).where(NumberSequence.series == series, NumberSequence.year == year)
                    .values(last=NumberSequence.last + 1))
    value = session.scalar(select(NumberSequence.last).where(NumberSequence.series == series,
                                                             NumberSequence.year == year))
    assert value is not None
    return value


def profile(session: Session) -> OfficeProfile:
    row: OfficeProfile | None = session.scalar(select(OfficeProfile))
    if row is None:
        raise NotSetUp("尚未完成初始设置，请先运行“hecun-office setup”或在程序中完成首次设置。")
    return row


def register_matter(db: Database, actor: Actor, data: MatterInput, today: date) -> Registered:
    require(actor.role, Permission.MATTER_WORK)
    check_input(data, today)
    with db.uow() as session:
        return _register(session, actor, data, today)


def _register(session: Session, actor: Actor, data: MatterInput, today: date) -> Registered:
    """Register inside the caller's transaction (M-5 imports many matters in one). ``data`` must have passed
    ``check_input``; what is refused here is refused before anything is written."""
    office = profile(session)
    units = session.scalars(select(Unit).where(Unit.id.in_(data.unit_ids))).all()
    if len(units) != len(set(data.unit_ids)):
        raise ValidationError("所选被监督单位不存在，请刷新单位列表后重新选择。", "unit_ids")
    retired = [u.name for u in units if not u.active]
    if retired:  # issue 12: a retired unit stays on old matters and is not offered for new ones
        raise ValidationError(f"被监督单位“{retired[0]}”已停用，不能用于新登记的事项。", "unit_ids")
    ref = data.source_ref.strip() or None
    duplicates = list(session.scalars(select(Matter.reg_no).where(Matter.source_ref == ref))) if ref else []
    year = today.year
    seq = next_number(session, "matter_registration", year)
    now = _now()
    matter = Matter(
        reg_no=office.registration_pattern.format(year=year, n=seq), reg_year=year, reg_seq=seq,
        received_on=data.received_on, source=data.source, source_ref=ref, category=data.category,
        method=data.method or None, track=data.track, title=data.title.strip(), facts=data.facts.strip(),
        legal_basis=data.legal_basis.strip(), serious=False, in_scope=data.in_scope,
        handler_id=data.handler_id or actor.user_id, status=Status.REGISTERED.value,
        complainant_name=data.complainant_name.strip() or None,
        complainant_phone=data.complainant_phone.strip() or None,
        complainant_id_no=data.complainant_id_no.strip() or None,
        parties=data.parties.strip(), template_id=data.template_id,
        created_at=now, updated_at=now, units=list(units),
    )
    session.add(matter)
    session.flush()
    index_matter(session, matter.id, matter.title, matter.facts, matter.parties, matter.reg_no, ref)
    session.add(MatterEvent(matter_id=matter.id, action=Action.REGISTER.value, from_status=None,
                            to_status=Status.REGISTERED.value, on_date=data.received_on, recorded_at=now,
                            actor=actor.name, reason="",
                            data={"source": data.source, "source_ref": ref, "duplicates": duplicates}))
    audit.append(session, actor, "matter.register", "matter", matter.uuid, {"reg_no": matter.reg_no})
    return Registered(matter.id, matter.reg_no, duplicates)


@dataclass
class TransitionInput:
    action: str
    on: date
    reason: str = ""
    rectification_days: int | None = None  # ISSUE_ADVICE: calendar days, default from the profile
    rectification_deadline: date | None = None  # ISSUE_ADVICE: an explicit deadline wins
    extra: dict[str, Any] = field(default_factory=dict)


def transition_matter(db: Database, actor: Actor, matter_id: int, step: TransitionInput, today: date) -> list[str]:
    """Apply one lifecycle action; returns alerts (e.g. a provisional deadline) for the clerk."""
    require(actor.role, Permission.MATTER_WORK)
    try:
        action = Action(step.action)
    except ValueError:
        raise ValidationError("未知的操作，请刷新后重试。", "action") from None
    if action in BY_DOCUMENT:
        from .documents import form  # the document service builds on this one

        name = form(BY_DOCUMENT[action]).name
        raise TransitionNotAllowed(
            f"“{action.label}”以签发“{name}”完成：请在事项页点击“{action.label}”起草该文书，经审核、签发后，"
            f"事项于签发之日自动转为“{TRANSITIONS[action][1].label}”，相应的报送时限同时完成。")
    reason = step.reason.strip()
    if action in REASON_REQUIRED and not reason:
        raise ValidationError(f"执行“{action.label}”需要填写理由。", "reason")
    if step.on > today:
        raise ValidationError(f"办理日期 {step.on:%Y-%m-%d} 晚于今天，请检查日期。", "on")
    with db.uow() as session:
        return apply_transition(session, actor, matter_id, action, step)


def apply_transition(session: Session, actor: Actor, matter_id: int, action: Action, step: TransitionInput) -> list[str]:
    """The transition inside the caller's transaction (issuing a document moves its matter in the same one)."""
    reason = step.reason.strip()
    alerts: list[str] = []
    matter = session.get(Matter, matter_id)
    if matter is None:
        raise NotFound("该事项不存在或已被删除，请刷新列表。")
    if matter.office_code:
        raise ValidationError("该事项由司法所通过数据包报送，只能由该所办理；本局可以查看并制发答复文书。")
    move = transition(Status(matter.status), action)
    last = matter.events[-1].on_date if matter.events else matter.received_on
    if step.on < last:
        raise ValidationError(f"办理日期 {step.on:%Y-%m-%d} 早于上一步的日期 {last:%Y-%m-%d}，时间线不能倒序。"
                              "请核对日期；如需更正历史，请“重新办理”。", "on")
    cal = load_calendar(session)
    data: dict[str, Any] = dict(step.extra)
    if action == Action.ISSUE_ADVICE and data.get("deadline_from_service"):
        # D-8: the period starts on service; record_service sets the deadline (domain/obligations.py).
        days = step.rectification_days or profile(session).rectification_days
        data["rectification_days"] = days
        matter.rectification_deadline = None
        alerts.append(f"整改期限为送达之日起 {days} 日，请在送达后登记送达情况。")
    elif action == Action.ISSUE_ADVICE:
        if step.rectification_deadline is not None:
            if step.rectification_deadline <= step.on:
                raise ValidationError("整改期限应晚于建议书制发日期。", "rectification_deadline")
            due, provisional = step.rectification_deadline, cal.is_provisional(step.rectification_deadline)
        else:
            days = step.rectification_days or profile(session).rectification_days
            if not 1 <= days <= 365:
                raise ValidationError("整改期限天数应在 1 到 365 天之间。", "rectification_days")
            deadline = cal.period_end(step.on, days)
            due, provisional = deadline.due, deadline.provisional
            data["rectification_days"] = days
        data["rectification_deadline"] = due.isoformat()
        data["deadline_provisional"] = provisional
        matter.rectification_deadline = due
        if provisional:
            alerts.append(f"整改期限 {due:%Y-%m-%d} 为推算日期（{PROVISIONAL_LABEL}）。")
    elif action == Action.MARK_OVERDUE and matter.rectification_deadline is not None:
        if step.on <= matter.rectification_deadline:
            raise ValidationError(f"整改期限 {matter.rectification_deadline:%Y-%m-%d} 尚未届满，不能标记逾期未改。", "on")
        data["deadline"] = matter.rectification_deadline.isoformat()
    elif action == Action.FLAG_SERIOUS:
        matter.serious = True
    elif action == Action.MARK_OUT_OF_SCOPE:
        matter.in_scope = False
    now = _now()
    matter.events.append(MatterEvent(action=action.value, from_status=move.source.value,
                                     to_status=move.target.value, on_date=step.on, recorded_at=now,
                                     actor=actor.name, reason=reason, data=data))
    matter.status = move.target.value
    matter.updated_at = now
    session.flush()
    refresh_matter(session, matter, cal)
    audit.append(session, actor, f"matter.{action.value}", "matter", matter.uuid,
                 {"reg_no": matter.reg_no, "from": move.source.value, "to": move.target.value, "on": step.on,
                  "reason": reason})
    return alerts


# ---- reading ------------------------------------------------------------------------------------


def _label(enum: type[Source] | type[Category] | type[Method] | type[Track], value: str | None) -> str:
    return vocab_label(enum, value)


@dataclass(frozen=True)
class EventRow:
    on: date
    action_label: str
    from_label: str
    to_label: str
    actor: str
    reason: str
    recorded_at: datetime
    detail: str


@dataclass(frozen=True)
class MatterDetail:
    id: int
    uuid: str
    reg_no: str
    received_on: date
    source: str
    source_label: str
    source_ref: str
    category_label: str
    method_label: str
    track_label: str
    title: str
    facts: str
    legal_basis: str
    serious: bool
    in_scope: bool
    units: list[str]
    handler: str
    status: str
    status_label: str
    complainant_name: str
    complainant_phone: str
    complainant_id_no: str
    rectification_deadline: date | None
    events: list[EventRow]
    obligations: list[ObligationRow]
    actions: list[tuple[str, str]]  # (code, label) allowed now
    duplicates: list[str]
    # the codes behind the labels, for 更正登记信息 (issue 11 item 5)
    category: str = ""
    method: str = ""
    track: str = ""
    unit_ids: tuple[int, ...] = ()
    handler_id: int | None = None
    correctable: bool = False  # this office's own matter: a township's matter at the bureau is read-only
    reported_by: str = ""  # at the bureau: the township office that reported the matter (S-7)
    # Issue 16: where the matter came from, when a record says so: the supervisor who reported it, the review
    # batch and case file whose finding it is, or the certificate holder whose certificate expired. Data only.
    origin: str = ""


def _event_detail(ev: MatterEvent) -> str:
    data = ev.data or {}
    parts = []
    if data.get("rectification_deadline"):
        text = f"整改期限 {data['rectification_deadline']}"
        if data.get("deadline_provisional"):
            text += f"（{PROVISIONAL_LABEL}）"
        parts.append(text)
    if data.get("duplicates"):
        parts.append("与 " + "、".join(data["duplicates"]) + " 来源编号相同")
    if data.get("received_on"):
        parts.append(f"司法局收到日期 {data['received_on']}")
    if ev.action == Action.CORRECT.value:
        from .corrections import describe  # corrections build on this module

        parts.append(describe(data))
    return "；".join(parts)


def matter_detail(db: Database, matter_id: int, today: date) -> MatterDetail:
    with db.uow() as session:
        m = session.get(Matter, matter_id)
        if m is None:
            raise NotFound("该事项不存在或已被删除，请刷新列表。")
        cal = load_calendar(session)
        duplicates = list(session.scalars(select(Matter.reg_no).where(
            Matter.source_ref == m.source_ref, Matter.id != m.id))) if m.source_ref else []
        status = Status(m.status)
        return MatterDetail(
            id=m.id, uuid=m.uuid, reg_no=m.reg_no, received_on=m.received_on, source=m.source,
            source_label=_label(Source, m.source), source_ref=m.source_ref or "",
            category_label=_label(Category, m.category), method_label=_label(Method, m.method),
            track_label=_label(Track, m.track), title=m.title, facts=m.facts, legal_basis=m.legal_basis,
            serious=m.serious, in_scope=m.in_scope, units=[u.name for u in m.units],
            handler=m.handler.display_name if m.handler else (m.handler_name or ""), status=m.status,
            status_label=status.label,
            complainant_name=m.complainant_name or "", complainant_phone=m.complainant_phone or "",
            complainant_id_no=m.complainant_id_no or "", rectification_deadline=m.rectification_deadline,
            events=[EventRow(e.on_date, action_label(e.action), Status(e.from_status).label if e.from_status else "",
                             Status(e.to_status).label, e.actor, e.reason, e.recorded_at, _event_detail(e))
                    for e in m.events],
            obligations=matter_obligation_rows(session, m.id, cal, today),
            # A township's matter held at the bureau is moved only by that township (S-7).
            actions=[] if m.office_code else [(a.value, a.label) for a in allowed_actions(status)],
            duplicates=duplicates, category=m.category, method=m.method or "", track=m.track,
            unit_ids=tuple(u.id for u in m.units), handler_id=m.handler_id, correctable=not m.office_code,
            reported_by=(session.scalar(select(Peer.name).where(Peer.code == m.office_code)) or m.office_code)
            if m.office_code else "",
            origin=_origin(session, m.id),
        )


def _origin(session: Session, matter_id: int) -> str:
    """The supervisor, review file or certificate holder the matter was registered from (issue 16), or ""."""
    supervisor = session.scalar(select(Supervisor.name).join(SupervisorActivity)
                                .where(SupervisorActivity.matter_id == matter_id).limit(1))
    if supervisor is not None:
        return supervisor
    found = session.execute(select(ReviewBatch.name, ReviewFile.file_no).join(ReviewFile)
                            .where(ReviewFile.matter_id == matter_id).limit(1)).first()
    if found is not None:
        return f"{found[0]} {found[1]}"
    holder = session.execute(select(EnforcementOfficer.name, EnforcementOfficer.certificate_no)
                             .where(EnforcementOfficer.matter_id == matter_id).limit(1)).first()
    return f"{holder[0]} {holder[1]}" if holder is not None else ""


def record_fact(session: Session, actor: Actor, matter: Matter, action: Action, on: date, reason: str,
                data: dict[str, Any]) -> None:
    """A timeline entry that records a fact without a status change (送达, 合并工单): Action outside TRANSITIONS."""
    now = _now()
    matter.events.append(MatterEvent(action=action.value, from_status=matter.status, to_status=matter.status,
                                     on_date=on, recorded_at=now, actor=actor.name, reason=reason, data=data))
    matter.updated_at = now
    session.flush()


def action_label(code: str) -> str:
    try:
        return Action(code).label
    except ValueError:
        return code


# ---- reference data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str


def list_users(db: Database) -> list[UserRow]:
    with db.uow() as session:
        return [UserRow(u.id, u.username, u.display_name, u.role)
                for u in session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))]
