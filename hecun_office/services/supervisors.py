"""法治监督员 (SPEC O-1, seed 002 §二(三)2): the roster, what each supervisor took part in, and the matters each
reported (source 法治监督员反映, linked to the person). Terms ending within ``TERM_WARN_DAYS`` days and ended
terms are dashboard warnings. Contacts are personal data: masked in lists (M-7) and never sent in packets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.errors import NotFound, ValidationError
from ..domain.masking import mask_phone
from ..domain.permissions import Permission, require
from ..domain.supervision import ActivityKind, SupervisorKind
from ..domain.vocab import Source
from ..storage.models import Matter, Supervisor, SupervisorActivity
from ..storage.uow import Database, begin_write
from . import audit
from .audit import Actor
from .matters import MatterInput, Registered, _register, check_input
from .reminders import TERM_WARN_DAYS, term_warnings  # noqa: F401  (named here for callers)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class SupervisorInput:
    name: str
    kind: str
    appointed_on: date
    term_ends: date | None = None
    unit: str = ""
    contact: str = ""
    note: str = ""


_LIMITS = (("name", "姓名", 64), ("unit", "工作单位", 128), ("contact", "联系方式", 64), ("note", "备注", 500))


def check_supervisor(data: SupervisorInput) -> None:
    if not data.name.strip():
        raise ValidationError("请填写监督员姓名。", "name")
    for field, label, limit in _LIMITS:
        if len(getattr(data, field).strip()) > limit:
            raise ValidationError(f"“{label}”过长，请控制在 {limit} 字以内。", field)
    if data.kind not in {k.value for k in SupervisorKind}:
        raise ValidationError("请选择监督员类别（人大代表、政协委员、法律工作者、新闻工作者、群众代表或其他）。", "kind")
    if data.term_ends is not None and data.term_ends < data.appointed_on:
        raise ValidationError(f"任期届满日 {data.term_ends:%Y-%m-%d} 早于聘任日 {data.appointed_on:%Y-%m-%d}，请检查日期。",
                              "term_ends")


def _own(session: Session, supervisor_id: int) -> Supervisor:
    row = session.get(Supervisor, supervisor_id)
    if row is None:
        raise NotFound("该监督员已不存在，请刷新列表。")
    if row.office_code:
        raise ValidationError("该监督员由司法所报送，本机构只能查看。")
    return row


def save_supervisor(db: Database, actor: Actor, data: SupervisorInput, supervisor_id: int | None = None) -> int:
    """Register a supervisor (``supervisor_id`` None) or correct one; returns the id."""
    require(actor.role, Permission.MATTER_WORK)
    check_supervisor(data)
    now = _now()
    with db.uow() as session:
        begin_write(session)
        if supervisor_id is None:
            row = Supervisor(office_code="", created_at=now)
            session.add(row)
        else:
            row = _own(session, supervisor_id)
        row.name, row.kind, row.unit = data.name.strip(), data.kind, data.unit.strip()
        row.contact, row.note = data.contact.strip(), data.note.strip()
        row.appointed_on, row.term_ends, row.updated_at = data.appointed_on, data.term_ends, now
        session.flush()
        audit.append(session, actor, "supervisor.save", "supervisor", row.uuid,
                     {"new": supervisor_id is None, "kind": data.kind})
        return row.id


@dataclass(frozen=True)
class ActivityInput:
    on_date: date
    kind: str
    description: str = ""


def record_activity(db: Database, actor: Actor, supervisor_id: int, data: ActivityInput, today: date) -> int:
    """Something the supervisor took part in (a matter they reported is linked by report_matter instead)."""
    require(actor.role, Permission.MATTER_WORK)
    if data.kind not in {k.value for k in ActivityKind} or data.kind == ActivityKind.REPORT:
        raise ValidationError("请选择活动类别（反映的问题请用“登记其反映的事项”）。", "kind")
    if data.on_date > today:
        raise ValidationError(f"活动日期 {data.on_date:%Y-%m-%d} 晚于今天，请检查日期。", "on_date")
    if len(data.description.strip()) > 500:
        raise ValidationError("活动情况过长，请控制在 500 字以内。", "description")
    with db.uow() as session:
        begin_write(session)
        supervisor = _own(session, supervisor_id)
        activity = SupervisorActivity(on_date=data.on_date, kind=data.kind, description=data.description.strip(),
                                      created_at=_now())
        supervisor.activities.append(activity)
        supervisor.version += 1
        supervisor.updated_at = _now()
        session.flush()
        audit.append(session, actor, "supervisor.activity", "supervisor", supervisor.uuid,
                     {"kind": data.kind, "on": data.on_date})
        return activity.id


def report_matter(db: Database, actor: Actor, supervisor_id: int, data: MatterInput, today: date) -> Registered:
    """Register the matter a supervisor reported, linked to them, in one transaction: the source is 法治监督员反映
    whatever the form said, and the report is one of the supervisor's activities."""
    require(actor.role, Permission.MATTER_WORK)
    data = replace(data, source=Source.SUPERVISOR.value)
    check_input(data, today)
    with db.uow() as session:
        begin_write(session)
        supervisor = _own(session, supervisor_id)
        registered = _register(session, actor, data, today)
        supervisor.activities.append(SupervisorActivity(
            on_date=data.received_on, kind=ActivityKind.REPORT.value, description=data.title.strip()[:500],
            matter_id=registered.id, created_at=_now()))
        supervisor.version += 1
        supervisor.updated_at = _now()
        audit.append(session, actor, "supervisor.report", "supervisor", supervisor.uuid, {"matter": registered.reg_no})
        return registered


def link_matter(db: Database, actor: Actor, supervisor_id: int, reg_no: str) -> None:
    """Link a matter registered earlier (its source 法治监督员反映) to the supervisor who reported it."""
    require(actor.role, Permission.MATTER_WORK)
    with db.uow() as session:
        begin_write(session)
        supervisor = _own(session, supervisor_id)
        matter = session.scalar(select(Matter).where(Matter.reg_no == reg_no.strip(), Matter.office_code == ""))
        if matter is None:
            raise ValidationError(f"没有登记号为“{reg_no.strip()}”的事项，请检查登记号。", "reg_no")
        if matter.source != Source.SUPERVISOR.value:
            raise ValidationError(f"事项 {matter.reg_no} 的来源不是“{Source.SUPERVISOR.label}”，"
                                  "请先在事项中更正来源，再与监督员关联。", "reg_no")
        taken = session.scalar(select(Supervisor.name).join(SupervisorActivity)
                               .where(SupervisorActivity.matter_id == matter.id))
        if taken is not None:
            raise ValidationError(f"事项 {matter.reg_no} 已记为监督员{taken}反映的问题。", "reg_no")
        supervisor.activities.append(SupervisorActivity(
            on_date=matter.received_on, kind=ActivityKind.REPORT.value, description=matter.title[:500],
            matter_id=matter.id, created_at=_now()))
        supervisor.version += 1
        supervisor.updated_at = _now()
        audit.append(session, actor, "supervisor.report", "supervisor", supervisor.uuid, {"matter": matter.reg_no})


@dataclass(frozen=True)
class SupervisorRow:
    id: int
    office_code: str
    name: str
    kind: str
    unit: str
    contact: str  # masked
    appointed_on: date
    term_ends: date | None
    activities: int
    reports: int
    term_state: str  # "" | "ending" | "ended"

    @property
    def kind_label(self) -> str:
        return SupervisorKind(self.kind).label if self.kind in SupervisorKind._value2member_map_ else self.kind


def term_state(term_ends: date | None, today: date) -> str:
    if term_ends is None:
        return ""
    if term_ends < today:
        return "ended"
    return "ending" if term_ends <= today + timedelta(days=TERM_WARN_DAYS) else ""


def list_supervisors(db: Database, today: date, office_code: str = "") -> list[SupervisorRow]:
    with db.uow() as session:
        counts = dict(session.execute(select(SupervisorActivity.supervisor_id, func.count())
                                      .group_by(SupervisorActivity.supervisor_id)).all())
        reports = dict(session.execute(select(SupervisorActivity.supervisor_id, func.count())
                                       .where(SupervisorActivity.kind == ActivityKind.REPORT.value)
                                       .group_by(SupervisorActivity.supervisor_id)).all())
        rows = session.scalars(select(Supervisor).where(Supervisor.office_code == office_code)
                               .order_by(Supervisor.appointed_on, Supervisor.id)).all()
        return [SupervisorRow(s.id, s.office_code, s.name, s.kind, s.unit, mask_phone(s.contact) if s.contact else "",
                              s.appointed_on, s.term_ends, counts.get(s.id, 0), reports.get(s.id, 0),
                              term_state(s.term_ends, today)) for s in rows]


@dataclass(frozen=True)
class ActivityRow:
    on_date: date
    kind: str
    kind_label: str
    description: str
    matter_id: int | None
    reg_no: str | None


@dataclass(frozen=True)
class SupervisorDetail:
    row: SupervisorInput
    contact_full: str
    activities: list[ActivityRow]


def supervisor_detail(db: Database, supervisor_id: int) -> SupervisorDetail:
    with db.uow() as session:
        s = session.get(Supervisor, supervisor_id)
        if s is None:
            raise NotFound("该监督员已不存在，请刷新列表。")
        reg = dict(session.execute(select(Matter.id, Matter.reg_no).join(
            SupervisorActivity, SupervisorActivity.matter_id == Matter.id)
            .where(SupervisorActivity.supervisor_id == s.id)).all())
        acts = [ActivityRow(a.on_date, a.kind, ActivityKind(a.kind).label if a.kind in ActivityKind._value2member_map_
                            else a.kind, a.description, a.matter_id, reg.get(a.matter_id) if a.matter_id else None)
                for a in sorted(s.activities, key=lambda a: (a.on_date, a.id))]
        data = SupervisorInput(s.name, s.kind, s.appointed_on, s.term_ends, s.unit, s.contact, s.note)
        return SupervisorDetail(data, s.contact, acts)
