"""S-5 unit roster updates: the bureau keeps each township's list of supervised units (被监督单位) — the office's
own units, which every data packet carries, and those the bureau adds or retires (a new stationed agency, a body
abolished in a reform) — and sends the list in every return packet.

Units are identified per office (issue 12): the bureau keys a township's units by (office_code, uuid), never by
name alone, so two townships' 贺村镇人民政府 are two rows, and a county agency supervised by several townships is
one row on each roster. Each side takes the other's entry over only when it is newer (``Unit.version``); on a tie
the bureau yields, the office having the last word on its own units.
"""

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
    uuid: str = ""


def _label(kind: str) -> str:
    try:
        return UnitKind(kind).label
    except ValueError:
        return kind


def roster(db: Database, office_code: str) -> list[RosterUnit]:
    with db.uow() as session:
        rows = session.scalars(select(Unit).where(Unit.office_code == office_code).order_by(Unit.id))
        return [RosterUnit(u.name, u.kind, _label(u.kind), u.active, u.uuid) for u in rows]


def add_roster_unit(db: Database, actor: Actor, office_code: str, name: str, kind: str) -> RosterUnit:
    """新增单位: refused for a unit already on this roster (changing it is ``set_roster_unit``'s job)."""
    with db.uow() as session:
        listed = session.scalar(select(Unit.id).where(Unit.name == " ".join(name.split()),
                                                      Unit.office_code == office_code))
    if listed is not None:
        raise ValidationError(f"单位“{name.strip()}”已在本名录中；要停用或恢复，请在名录中选中它。", "name")
    return set_roster_unit(db, actor, office_code, name, kind)


def set_roster_unit(db: Database, actor: Actor, office_code: str, name: str, kind: str,
                    active: bool = True) -> RosterUnit:
    """Put a unit on a township's roster, or change its kind or whether it is still supervised (bureau). The unit
    is looked up on this township's roster only: another township's unit of the same name is another unit."""
    require(actor.role, Permission.MATTER_WORK)
    name = " ".join(name.split())
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
        unit = session.scalar(select(Unit).where(Unit.office_code == office_code, Unit.name == name)
                              .order_by(Unit.active.desc(), Unit.id.desc()).limit(1))
        if unit is None:
            unit = Unit(name=name, kind=kind, active=active, created_at=_now(), office_code=office_code, version=1)
            session.add(unit)
        elif (unit.kind, unit.active) != (kind, active):
            unit.kind, unit.active, unit.version = kind, active, unit.version + 1
        session.flush()
        audit.append(session, actor, "roster.set", "unit", unit.uuid,
                     {"office": office_code, "name": name, "kind": kind, "active": active})
        return RosterUnit(unit.name, unit.kind, _label(unit.kind), unit.active, unit.uuid)


def roster_records(session: Session, office_code: str) -> list[dict[str, Any]]:
    """What a packet carries: a roster whole (small; taken over idempotently). At the office ``office_code`` is
    '' (its own units, in its data packets); at the bureau, the township's (in its return packet)."""
    rows = session.scalars(select(Unit).where(Unit.office_code == office_code).order_by(Unit.id))
    return [{"uuid": u.uuid, "name": u.name, "kind": u.kind, "active": u.active, "version": u.version}
            for u in rows]


@dataclass(frozen=True)
class Entry:
    """One unit of a roster in a packet; ``uuid`` None and ``version`` 1 in packets of earlier versions."""

    uuid: str | None
    name: str
    kind: str
    active: bool
    version: int = 1


@dataclass(frozen=True)
class RosterChange:
    added: list[str]
    changed: list[str]


def take_over_roster(session: Session, entries: list[Entry]) -> RosterChange:
    """At the township: the bureau's roster from a return packet. A unit is found by its UUID (by name only for an
    entry without one, or one the bureau made and has not yet matched to ours); it is changed when the bureau's
    entry is newer than ours; a unit the bureau added is added, one it added and retired is left out."""
    own = list(session.scalars(select(Unit).where(Unit.office_code == "")))
    by_uuid = {u.uuid: u for u in own}
    active_by_name = {u.name: u for u in own if u.active}
    added, changed = [], []
    now = _now()
    for e in entries:
        unit = by_uuid.get(e.uuid) if e.uuid else None
        if unit is None:
            unit = active_by_name.get(e.name)
        if unit is None:
            if e.active:
                unit = Unit(name=e.name, kind=e.kind, active=True, created_at=now, version=e.version)
                if e.uuid:
                    unit.uuid = e.uuid
                session.add(unit)
                session.flush()
                by_uuid[unit.uuid], active_by_name[unit.name] = unit, unit
                added.append(e.name)
            continue
        if e.version > unit.version and (unit.kind, unit.active) != (e.kind, e.active):
            if e.active and not unit.active and unit.name in active_by_name:
                continue  # restoring it would give two active units one name: ours stands
            unit.kind, unit.active, unit.version = e.kind, e.active, e.version
            if unit.active:
                active_by_name[unit.name] = unit
            elif active_by_name.get(unit.name) is unit:
                del active_by_name[unit.name]
            changed.append(unit.name)
    session.flush()
    return RosterChange(added, changed)


# ---- at the bureau: a township's own units, from its data packets -----------------------------------------------

def _adopt(session: Session, held: dict[str, Unit], known: set[str], uuid: str, name: str) -> Unit | None:
    """A row on this township's roster that has no UUID from the township yet — made before units travelled with
    their UUIDs (migration 0004), or added by the bureau — and has the name of a unit the township now sends: it
    is that unit (same roster, same name), and takes the township's UUID, keeping its matters."""
    for unit in held.values():
        if unit.active and unit.name == name and unit.uuid not in known:
            del held[unit.uuid]
            unit.uuid = uuid
            held[uuid] = unit
            session.flush()
            return unit
    return None


def sync_office_roster(session: Session, code: str, entries: list[Entry],
                       known: set[str] | None = None) -> RosterChange:
    """At the bureau: the township's own units from its data packet, keyed by (code, uuid). An entry is taken over
    when it is not older than the bureau's row (the office decides about its own units). ``known``: every UUID
    this packet names (roster and matters), which no bureau row may be adopted under. Returns names added and
    changed; entries must have UUIDs and distinct active names (checked by the caller)."""
    held = {u.uuid: u for u in session.scalars(select(Unit).where(Unit.office_code == code))}
    known = (known or set()) | {e.uuid for e in entries if e.uuid}
    added, changed = [], []
    now = _now()
    updates: list[tuple[Unit, Entry]] = []
    for e in entries:
        assert e.uuid is not None
        unit = held.get(e.uuid) or _adopt(session, held, known, e.uuid, e.name)
        if unit is None:
            continue
        if e.version >= unit.version and (unit.name, unit.kind, unit.active) != (e.name, e.kind, e.active):
            updates.append((unit, e))
    # Names are unique among a roster's active units, checked row by row: renames that swap or reuse names go
    # through a placeholder first; a bureau-made row whose name the township's unit now takes is retired.
    if updates:
        for unit, _ in updates:
            unit.name = f"#{unit.uuid}"
        session.flush()
    for unit, e in updates:
        unit.name, unit.kind, unit.active, unit.version = e.name, e.kind, e.active, max(e.version, unit.version)
        changed.append(e.name)
    taken = {e.name for _, e in updates if e.active} | {e.name for e in entries if e.active and e.uuid not in held}
    for unit in held.values():
        if unit.active and unit.uuid not in known and unit.name in taken:
            unit.active, unit.version = False, unit.version + 1
    session.flush()
    for e in entries:
        if e.uuid not in held:
            unit = Unit(uuid=e.uuid, name=e.name, kind=e.kind, active=e.active, created_at=now, office_code=code,
                        version=e.version)
            session.add(unit)
            held[unit.uuid] = unit
            added.append(e.name)
    session.flush()
    return RosterChange(added, changed)


def unit_ids(session: Session, code: str, wanted: dict[str, Entry]) -> dict[str, int]:
    """At the bureau: the ids of the units a township's matters name, by UUID (by name for a packet of an earlier
    version, whose units carry none), on that township's roster only; a unit not yet there is added to it."""
    with_uuid = {k: e for k, e in wanted.items() if e.uuid}
    by_name = {k: e for k, e in wanted.items() if not e.uuid}
    missing = [Entry(e.uuid, e.name, e.kind, e.active, e.version) for e in with_uuid.values()]
    held = {u.uuid: u for u in session.scalars(select(Unit).where(Unit.office_code == code))}
    if any(e.uuid not in held for e in missing):
        sync_office_roster(session, code, [e for e in missing if e.uuid not in held],
                           known={e.uuid for e in missing if e.uuid})
        held = {u.uuid: u for u in session.scalars(select(Unit).where(Unit.office_code == code))}
    ids = {k: held[e.uuid].id for k, e in with_uuid.items() if e.uuid}
    if by_name:
        rows = session.scalars(select(Unit).where(Unit.office_code == code, Unit.name.in_([e.name for e in
                                                                                          by_name.values()]))
                               .order_by(Unit.active, Unit.id))
        named = {u.name: u.id for u in rows}  # active rows last: they win
        now = _now()
        for k, e in by_name.items():
            if e.name not in named:
                unit = Unit(name=e.name, kind=e.kind, active=True, created_at=now, office_code=code, version=1)
                session.add(unit)
                session.flush()
                named[e.name] = unit.id
            ids[k] = named[e.name]
    return ids
