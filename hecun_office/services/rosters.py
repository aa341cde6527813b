"""S-5 unit roster updates: the bureau keeps each township's list of supervised units (被监督单位) — units first
seen in its packets, and those the bureau adds or retires (a new stationed agency, a body abolished in a
reform) — and sends the list in every return packet; the township takes it over by unit name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import ValidationError
from ..domain.permissions import Permission, require
from ..domain.vocab import UnitKind
from ..storage.models import Peer, Unit
from ..storage.uow import Database, begin_write
from . import audit
from .audit import Actor
from .exchange_keys import profile_of

MAX_NAME = 128


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class RosterUnit:
    name: str
    kind: str
    kind_label: str
    active: bool


def _label(kind: str) -> str:
    try:
        return UnitKind(kind).label
    except ValueError:
        return kind


def roster(db: Database, office_code: str) -> list[RosterUnit]:
    with db.uow() as session:
        rows = session.scalars(select(Unit).where(Unit.office_code == office_code).order_by(Unit.id))
        return [RosterUnit(u.name, u.kind, _label(u.kind), u.active) for u in rows]


def add_roster_unit(db: Database, actor: Actor, office_code: str, name: str, kind: str) -> RosterUnit:
    """新增单位: refused for a unit already on this roster (changing it is ``set_roster_unit``'s job)."""
    with db.uow() as session:
        listed = session.scalar(select(Unit.id).where(Unit.name == name.strip(), Unit.office_code == office_code))
    if listed is not None:
        raise ValidationError(f"单位“{name.strip()}”已在本名录中；要停用或恢复，请在名录中选中它。", "name")
    return set_roster_unit(db, actor, office_code, name, kind)


def set_roster_unit(db: Database, actor: Actor, office_code: str, name: str, kind: str,
                    active: bool = True) -> RosterUnit:
    """Put a unit on a township's roster, or change its kind or whether it is still supervised (bureau)."""
    require(actor.role, Permission.MATTER_WORK)
    name = name.strip()
    if not name:
        raise ValidationError("请填写单位名称。", "name")
    if len(name) > MAX_NAME:
        raise ValidationError(f"单位名称不能超过 {MAX_NAME} 个字。", "name")
    if kind not in {k.value for k in UnitKind}:
        raise ValidationError("请选择单位类型。", "kind")
    with db.uow() as session:
        begin_write(session)
        if profile_of(session).mode != "bureau":
            raise ValidationError("被监督单位名录由司法局维护并随回执下发；司法所请在本所设置中维护本所单位。")
        peer = session.scalar(select(Peer).where(Peer.code == office_code, Peer.kind == "office"))
        if peer is None:
            raise ValidationError(f"机构代码“{office_code}”未登记。", "office_code")
        unit = session.scalar(select(Unit).where(Unit.name == name))
        if unit is not None and unit.office_code not in ("", office_code):
            other = session.scalar(select(Peer.name).where(Peer.code == unit.office_code)) or unit.office_code
            raise ValidationError(f"单位“{name}”已在{other}的名录中。", "name")
        if unit is None:
            unit = Unit(name=name, kind=kind, active=active, created_at=_now(), office_code=office_code)
            session.add(unit)
        else:
            unit.kind, unit.active, unit.office_code = kind, active, office_code
        session.flush()
        audit.append(session, actor, "roster.set", "unit", unit.uuid,
                     {"office": office_code, "name": name, "kind": kind, "active": active})
        return RosterUnit(unit.name, unit.kind, _label(unit.kind), unit.active)


def roster_records(session: Session, office_code: str) -> list[dict[str, Any]]:
    """What a return packet carries: the township's whole roster (small; taken over idempotently)."""
    rows = session.scalars(select(Unit).where(Unit.office_code == office_code).order_by(Unit.id))
    return [{"name": u.name, "kind": u.kind, "active": u.active} for u in rows]


@dataclass(frozen=True)
class RosterChange:
    added: list[str]
    changed: list[str]


def take_over_roster(session: Session, entries: list[tuple[str, str, bool]]) -> RosterChange:
    """At the township: add the units it does not have, update kind and status of those it has, by name."""
    held = {u.name: u for u in session.scalars(select(Unit).where(Unit.name.in_([n for n, _, _ in entries])))}
    added, changed = [], []
    now = _now()
    for name, kind, active in entries:
        unit = held.get(name)
        if unit is None:
            session.add(Unit(name=name, kind=kind, active=active, created_at=now))
            added.append(name)
        elif (unit.kind, unit.active) != (kind, active):
            unit.kind, unit.active = kind, active
            changed.append(name)
    session.flush()
    return RosterChange(added, changed)
