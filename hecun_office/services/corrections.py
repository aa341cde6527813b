"""Correcting a registered matter (issue 11 item 5): a misspelt complainant, the facts, the units.

A correction is an action like any other: a timeline entry 更正登记信息 with the reason and what changed (before →
after), an audit entry, and a new version of the matter, so the next packet carries it. Personal data (投诉人,
电话, 身份证号) is named as changed but its values stay out of the timeline, which travels to the bureau, and are
masked in the audit log. A matter another office reported (held read-only at the bureau) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from ..domain.errors import NotFound, ValidationError
from ..domain.lifecycle import Action
from ..domain.masking import mask_id_no, mask_name, mask_phone
from ..domain.permissions import Permission, require
from ..domain.vocab import Category, Method, Source, Track
from ..storage.models import Matter, Unit, User
from ..storage.uow import Database
from . import audit
from .audit import Actor
from .matters import MatterInput, check_input, record_fact
from .search import label as vocab_label
from .search import reindex_matter

CORRECT = Action.CORRECT

# field → (label, kind): "text" is shown before → after, "personal" only named, "vocab" shown by its label.
FIELDS: dict[str, tuple[str, str]] = {
    "title": ("事项标题", "text"),
    "source": ("来源", "vocab"),
    "source_ref": ("来源编号", "text"),
    "category": ("监督内容", "vocab"),
    "method": ("监督方式", "vocab"),
    "track": ("事项类型", "vocab"),
    "facts": ("基本事实", "text"),
    "legal_basis": ("法律依据", "text"),
    "units": ("被监督单位", "text"),
    "handler": ("承办人", "text"),
    "complainant_name": ("投诉人/反映人", "personal"),
    "complainant_phone": ("联系电话", "personal"),
    "complainant_id_no": ("身份证号", "personal"),
}
_VOCAB: dict[str, type[Source] | type[Category] | type[Method] | type[Track]] = {
    "source": Source, "category": Category, "method": Method, "track": Track}
_MASK = {"complainant_name": mask_name, "complainant_phone": mask_phone, "complainant_id_no": mask_id_no}
SHOWN_MAX = 60  # a long text's before/after is cut in the timeline (the full text is the matter itself)


@dataclass(frozen=True)
class Corrected:
    fields: list[str]  # the labels of what changed, in FIELDS order


def _current(matter: Matter) -> dict[str, Any]:
    return {
        "title": matter.title, "source": matter.source, "source_ref": matter.source_ref or "",
        "category": matter.category, "method": matter.method or "", "track": matter.track, "facts": matter.facts,
        "legal_basis": matter.legal_basis, "units": sorted(u.id for u in matter.units),
        "handler": matter.handler_id, "complainant_name": matter.complainant_name or "",
        "complainant_phone": matter.complainant_phone or "", "complainant_id_no": matter.complainant_id_no or "",
    }


def _wanted(data: MatterInput) -> dict[str, Any]:
    return {
        "title": data.title.strip(), "source": data.source, "source_ref": data.source_ref.strip(),
        "category": data.category, "method": data.method or "", "track": data.track, "facts": data.facts.strip(),
        "legal_basis": data.legal_basis.strip(), "units": sorted(set(data.unit_ids)), "handler": data.handler_id,
        "complainant_name": data.complainant_name.strip(), "complainant_phone": data.complainant_phone.strip(),
        "complainant_id_no": data.complainant_id_no.strip(),
    }


def _shown(session: Any, name: str, value: Any) -> str:
    """A value as the timeline and the audit log show it."""
    if name in _VOCAB:
        return vocab_label(_VOCAB[name], value) if value else "（无）"
    if name == "units":
        names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(value))).all())
        return "、".join(names.get(i, str(i)) for i in value)
    if name == "handler":
        return session.scalar(select(User.display_name).where(User.id == value)) or "（无）" if value else "（无）"
    text = str(value) if value else "（空）"
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX] + "…"


def correct_matter(db: Database, actor: Actor, matter_id: int, data: MatterInput, reason: str,
                   today: date) -> Corrected:
    """Apply the corrections in ``data`` (every field as it should read) with the clerk's reason."""
    require(actor.role, Permission.MATTER_WORK)
    if not reason.strip():
        raise ValidationError("请填写更正理由（例如：投诉人姓名登记有误，经核对身份证更正）。", "reason")
    check_input(data, today)
    with db.uow() as session:
        matter = session.get(Matter, matter_id)
        if matter is None:
            raise NotFound("该事项不存在或已被删除，请刷新列表。")
        if matter.office_code:
            raise ValidationError("该事项由司法所通过数据包报送，只能由该所更正；本局只能查看。")
        before, after = _current(matter), _wanted(data)
        if after["handler"] is None:
            after["handler"] = before["handler"]  # no handler chosen: the matter keeps its own
        changed = [name for name in FIELDS if before[name] != after[name]]
        if not changed:
            raise ValidationError("没有需要更正的内容：各项与登记时相同。", "title")
        units = session.scalars(select(Unit).where(Unit.id.in_(after["units"]))).all()
        if len(units) != len(after["units"]):
            raise ValidationError("所选被监督单位不存在，请刷新单位列表后重新选择。", "unit_ids")
        timeline: dict[str, list[str]] = {}
        logged: dict[str, list[str]] = {}
        for name in changed:
            label, kind = FIELDS[name]
            if kind == "personal":
                timeline[label] = []
                logged[label] = [_MASK[name](before[name]), _MASK[name](after[name])]
            else:
                timeline[label] = logged[label] = [_shown(session, name, before[name]), _shown(session, name, after[name])]
        _apply(matter, after, list(units))
        on = max(today, matter.events[-1].on_date) if matter.events else today  # the timeline stays in order
        record_fact(session, actor, matter, CORRECT, on, reason.strip(), {"changes": timeline})
        reindex_matter(session, matter.id)
        audit.append(session, actor, "matter.correct", "matter", matter.uuid,
                     {"reg_no": matter.reg_no, "reason": reason.strip(), "changes": logged})
        return Corrected([FIELDS[name][0] for name in changed])


def _apply(matter: Matter, after: dict[str, Any], units: list[Unit]) -> None:
    matter.title, matter.source, matter.category, matter.track = (after["title"], after["source"], after["category"],
                                                                  after["track"])
    matter.source_ref = after["source_ref"] or None
    matter.method = after["method"] or None
    matter.facts, matter.legal_basis = after["facts"], after["legal_basis"]
    if after["handler"]:
        matter.handler_id = after["handler"]
    for name in ("complainant_name", "complainant_phone", "complainant_id_no"):
        setattr(matter, name, after[name] or None)
    if sorted(u.id for u in matter.units) != after["units"]:
        matter.units = units


def describe(data: dict[str, Any]) -> str:
    """The timeline's detail column for a correction: 事项标题：旧 → 新；联系电话（已更正）."""
    parts = []
    for label, values in (data.get("changes") or {}).items():
        parts.append(f"{label}：{values[0]} → {values[1]}" if len(values) == 2 else f"{label}（已更正）")
    return "；".join(parts)
