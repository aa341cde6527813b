"""The office's supervised units (被监督单位, 设置 → 被监督单位): add, rename, retire and restore, audited.

A unit is identified by its UUID, which travels in packets: the bureau keeps it on this office's roster under the
office's code (issue 12), so a rename or a retirement here shows there after the next packet. Names are unique
among the office's active units; a retired unit stays on the matters that name it and is not offered for new ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.errors import NotFound, ValidationError
from ..domain.permissions import Permission, require
from ..domain.vocab import UnitKind
from ..storage.models import Unit, matter_units
from ..storage.uow import Database, begin_write
from . import audit
from .audit import Actor

MAX_NAME = 128
KINDS = frozenset(k.value for k in UnitKind)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def kind_label(kind: str) -> str:
    try:
        return UnitKind(kind).label
    except ValueError:
        return kind


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    kind: str
    active: bool = True
    office_code: str = ""  # at the bureau: the township whose roster it is on ('' = the installation's own)


@dataclass(frozen=True)
class OwnUnit:
    """A row of 设置 → 被监督单位."""

    id: int
    name: str
    kind: str
    kind_label: str
    active: bool
    matters: int  # how many matters name it


def list_units(db: Database, active_only: bool = True) -> list[UnitRow]:
    """The units a matter may name (active ones by default), in the order they were added."""
    with db.uow() as session:
        query = select(Unit).order_by(Unit.id)
        if active_only:
            query = query.where(Unit.active.is_(True))
        return [UnitRow(u.id, u.name, u.kind, u.active, u.office_code) for u in session.scalars(query)]


def own_units(db: Database) -> list[OwnUnit]:
    """The office's own roster, active first, then retired, each in the order added."""
    with db.uow() as session:
        counts: dict[int, int] = {uid: n for uid, n in session.execute(
            select(matter_units.c.unit_id, func.count()).group_by(matter_units.c.unit_id))}
        rows = session.scalars(select(Unit).where(Unit.office_code == "")
                               .order_by(Unit.active.desc(), Unit.id))
        return [OwnUnit(u.id, u.name, u.kind, kind_label(u.kind), u.active, counts.get(u.id, 0)) for u in rows]


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("请填写单位名称。", "name")
    if len(name) > MAX_NAME:
        raise ValidationError(f"单位名称不能超过 {MAX_NAME} 个字。", "name")
    return name


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValidationError("请选择单位类型。", "kind")


def _refuse_duplicate(session: Session, name: str, unit_id: int | None = None) -> None:
    query = select(Unit.id).where(Unit.office_code == "", Unit.active.is_(True), Unit.name == name)
    if unit_id is not None:
        query = query.where(Unit.id != unit_id)
    if session.scalar(query) is not None:
        raise ValidationError(f"本所已有在用的单位“{name}”，单位名称不能重复。", "name")


def _own(session: Session, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.office_code != "":
        raise NotFound("该单位不存在，请刷新单位列表。")
    return unit


def add_unit(db: Database, actor: Actor, name: str, kind: str) -> int:
    """新增单位. Returns its id."""
    require(actor.role, Permission.SETTINGS_MANAGE)
    name = clean_name(name)
    _check_kind(kind)
    with db.uow() as session:
        begin_write(session)
        _refuse_duplicate(session, name)
        unit = Unit(name=name, kind=kind, active=True, created_at=_now(), version=1)
        session.add(unit)
        session.flush()
        audit.append(session, actor, "unit.add", "unit", unit.uuid, {"name": name, "kind": kind})
        return unit.id


def update_unit(db: Database, actor: Actor, unit_id: int, name: str, kind: str) -> bool:
    """改名 or change the kind. Matters that name the unit show the new name. False: nothing changed."""
    require(actor.role, Permission.SETTINGS_MANAGE)
    name = clean_name(name)
    _check_kind(kind)
    with db.uow() as session:
        begin_write(session)
        unit = _own(session, unit_id)
        if (unit.name, unit.kind) == (name, kind):
            return False
        if unit.active:
            _refuse_duplicate(session, name, unit.id)
        before = {"name": unit.name, "kind": unit.kind}
        unit.name, unit.kind, unit.version = name, kind, unit.version + 1
        audit.append(session, actor, "unit.update", "unit", unit.uuid,
                     {"before": before, "after": {"name": name, "kind": kind}})
        return True


def set_unit_active(db: Database, actor: Actor, unit_id: int, active: bool) -> bool:
    """停用 (retire) or 恢复 (restore) a unit. False: it already was."""
    require(actor.role, Permission.SETTINGS_MANAGE)
    with db.uow() as session:
        begin_write(session)
        unit = _own(session, unit_id)
        if unit.active == active:
            return False
        if active:
            _refuse_duplicate(session, unit.name, unit.id)
        unit.active, unit.version = active, unit.version + 1
        audit.append(session, actor, "unit.restore" if active else "unit.retire", "unit", unit.uuid,
                     {"name": unit.name})
        return True
