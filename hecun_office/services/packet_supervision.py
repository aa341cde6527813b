"""The pilot's other supervision work in packets (issue 16, SPEC S-1, S-7): supervisors with their activities,
joint meetings with their decisions, review batches with their files and scores, enforcement-certificate holders.

Each record travels whole (its children inside it) with its UUID and version, like a matter: the bureau keeps a
record only when the version is newer, so the same packet twice changes nothing. Personal data stays at the office
(M-7): a supervisor's contact is not sent, a certificate holder's ID number only masked. At the bureau the records
are the township's (``office_code``), read-only. A packet from before issue 16 has none of these members.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..domain.errors import ValidationError
from ..domain.masking import mask_id_no
from ..review.score_sheet import sheet_from_data
from ..storage.models import (
    Document,
    EnforcementOfficer,
    Matter,
    Meeting,
    ReviewBatch,
    ReviewFile,
    Supervisor,
    SupervisorActivity,
)
from ..sync.errors import PacketRejected
from ..sync.packet import Opened
from .packet_records import acked_versions, changed, iso

MEMBERS = {"supervisor": "records/supervisors.json", "meeting": "records/meetings.json",
           "review_batch": "records/review_batches.json", "officer": "records/officers.json"}
_MODELS: dict[str, Any] = {"supervisor": Supervisor, "meeting": Meeting, "review_batch": ReviewBatch,
                           "officer": EnforcementOfficer}
MAX_CHILDREN = 20_000  # files of one batch, activities of one supervisor: far above what an office has


def _changed_ids(session: Session, kind: str, recipient: str, acked_seq: int) -> list[int]:
    model = _MODELS[kind]
    acked = acked_versions(session, recipient, acked_seq, kind)
    return changed(session.execute(select(model.id, model.uuid, model.version).where(model.office_code == "")), acked)


def _matter_uuids(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = sorted(i for i in ids if i is not None)
    return dict(session.execute(select(Matter.id, Matter.uuid).where(Matter.id.in_(wanted))).all()) if wanted else {}


def _supervisor(s: Supervisor, matters: dict[int, str]) -> dict[str, Any]:
    return {"uuid": s.uuid, "version": s.version, "name": s.name, "kind": s.kind, "unit": s.unit,
            "appointed_on": iso(s.appointed_on), "term_ends": iso(s.term_ends), "note": s.note,
            "activities": [{"uuid": a.uuid, "on_date": iso(a.on_date), "kind": a.kind, "description": a.description,
                            "matter_uuid": matters.get(a.matter_id) if a.matter_id else None}
                           for a in s.activities]}


def _meeting(m: Meeting, docs: dict[int, str]) -> dict[str, Any]:
    return {"uuid": m.uuid, "version": m.version, "held_on": iso(m.held_on), "name": m.name, "place": m.place,
            "convener": m.convener, "chair": m.chair, "participants": m.participants, "attendees": m.attendees,
            "observers": m.observers, "topics": m.topics, "decisions": m.decisions or [],
            "minutes_uuid": docs.get(m.minutes_document_id) if m.minutes_document_id else None}


def _batch(b: ReviewBatch, matters: dict[int, str]) -> dict[str, Any]:
    return {"uuid": b.uuid, "version": b.version, "name": b.name, "period_from": iso(b.period_from),
            "period_to": iso(b.period_to), "reviewers": b.reviewers, "seed": b.seed, "per_unit": b.per_unit,
            "sheet_name": b.sheet_name, "sheet": b.sheet or {},
            "files": [{"uuid": f.uuid, "unit_name": f.unit_name, "file_no": f.file_no, "title": f.title,
                       "list_row": f.list_row, "drawn": f.drawn, "scores": f.scores, "total": f.total,
                       "grade": f.grade, "finding": f.finding, "scored_by": f.scored_by, "scored_on": iso(f.scored_on),
                       "matter_uuid": matters.get(f.matter_id) if f.matter_id else None} for f in b.files]}


def _officer(o: EnforcementOfficer, matters: dict[int, str]) -> dict[str, Any]:
    return {"uuid": o.uuid, "version": o.version, "unit_name": o.unit_name, "name": o.name,
            "certificate_no": o.certificate_no, "kind": o.kind, "id_no": mask_id_no(o.id_no) if o.id_no else None,
            "issued_on": iso(o.issued_on), "expires_on": iso(o.expires_on), "status": o.status,
            "matter_uuid": matters.get(o.matter_id) if o.matter_id else None}


def export_records(session: Session, recipient: str, acked_seq: int) -> dict[str, list[dict[str, Any]]]:
    """kind -> records changed since the bureau's acknowledgement (the office side of a data packet)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, model in _MODELS.items():
        ids = _changed_ids(session, kind, recipient, acked_seq)
        rows = session.scalars(select(model).where(model.id.in_(ids)).order_by(model.id)).all() if ids else []
        if kind == "supervisor":
            matters = _matter_uuids(session, {a.matter_id for s in rows for a in s.activities})
            out[kind] = [_supervisor(s, matters) for s in rows]
        elif kind == "meeting":
            wanted = sorted({m.minutes_document_id for m in rows if m.minutes_document_id})
            docs = dict(session.execute(select(Document.id, Document.uuid).where(Document.id.in_(wanted))).all())
            out[kind] = [_meeting(m, docs) for m in rows]
        elif kind == "review_batch":
            matters = _matter_uuids(session, {f.matter_id for b in rows for f in b.files})
            out[kind] = [_batch(b, matters) for b in rows]
        else:
            matters = _matter_uuids(session, {o.matter_id for o in rows})
            out[kind] = [_officer(o, matters) for o in rows]
    return out


def members(records: dict[str, list[dict[str, Any]]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Only the kinds with records: an office that keeps none of them sends packets as before issue 16."""
    return [(MEMBERS[kind], records[kind]) for kind in MEMBERS if records.get(kind)]


def marks(records: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str, int]]:
    return [(kind, r["uuid"], r["version"]) for kind, rows in records.items() for r in rows]


# ---- at the bureau ----------------------------------------------------------------------------------------------

class _Checked:
    """Field access that rejects the packet, naming the member and record, when a value has the wrong type."""

    def __init__(self, raw: Any, where: str) -> None:
        if not isinstance(raw, dict):
            raise PacketRejected(f"数据包中的{where}格式不对。")
        self._raw, self._where = raw, where

    def _bad(self) -> PacketRejected:
        return PacketRejected(f"数据包中的{self._where}字段格式不对。")

    def text(self, key: str, size: int) -> str:
        value = self._raw.get(key)
        if not isinstance(value, str):
            raise self._bad()
        return value[:size]

    def opt_text(self, key: str, size: int) -> str | None:
        return None if self._raw.get(key) is None else self.text(key, size)

    def day(self, key: str) -> date:
        value = self._raw.get(key)
        if not isinstance(value, str):
            raise self._bad()
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self._bad() from None

    def opt_day(self, key: str) -> date | None:
        return None if self._raw.get(key) is None else self.day(key)

    def integer(self, key: str) -> int:
        value = self._raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
            raise self._bad()
        return value

    def number(self, key: str) -> float | None:
        value = self._raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._bad()
        return float(value)

    def flag(self, key: str) -> bool:
        value = self._raw.get(key)
        if not isinstance(value, bool):
            raise self._bad()
        return value

    def items(self, key: str) -> list[Any]:
        value = self._raw.get(key)
        if not isinstance(value, list) or len(value) > MAX_CHILDREN:
            raise self._bad()
        return value

    def mapping(self, key: str) -> dict[str, Any] | None:
        value = self._raw.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self._bad()
        return value


def _decisions(raw: list[Any], where: str) -> list[dict[str, Any]]:
    out = []
    for n, item in enumerate(raw[:200], start=1):
        c = _Checked(item, f"{where}第 {n} 条议定事项")
        due, done = c.opt_day("due_on"), c.opt_day("done_on")
        out.append({"key": c.text("key", 64), "text": c.text("text", 1000), "owner": c.text("owner", 120),
                    "due_on": iso(due), "done_on": iso(done), "done_note": c.opt_text("done_note", 200) or ""})
    return out


def apply_records(session: Session, code: str, opened: Opened, matter_ids: Callable[[list[str]], dict[str, int]],
                  count: Callable[[str, int], None]) -> None:
    """Keep a township's records of the four kinds when newer than held; ``matter_ids`` maps matter UUIDs to this
    bureau's ids of the same township's matters."""
    for kind, member in MEMBERS.items():
        if member not in opened.members:
            continue
        raw = opened.json(member)
        if not isinstance(raw, list):
            raise PacketRejected(f"数据包中的 {member} 格式不对（应为记录列表）。")
        model = _MODELS[kind]
        checked = []
        for n, item in enumerate(raw, start=1):
            c = _Checked(item, f" {member} 第 {n} 条记录")
            uuid = c.text("uuid", 36)
            if uuid is None or len(uuid) != 36:
                raise PacketRejected(f"数据包中的 {member} 第 {n} 条记录的标识不对。")
            checked.append((uuid, c.integer("version"), c, item))
        held = {u: (row_id, version, office) for row_id, u, version, office in session.execute(
            select(model.id, model.uuid, model.version, model.office_code)
            .where(model.uuid.in_([u for u, *_ in checked])))} if checked else {}
        named = [item.get("matter_uuid") for *_, item in checked] + _links(checked)
        ids = matter_ids(sorted({u for u in named if isinstance(u, str)}))
        applied = 0
        for uuid, version, c, _item in checked:
            row_id = None
            if uuid in held:
                row_id, have, office = held[uuid]
                if office != code:
                    raise PacketRejected("数据包中的监督工作记录与其他机构的记录标识冲突，已拒收。")
                if version <= have:
                    continue
            row = session.get(model, row_id) if row_id is not None else None
            _APPLY[kind](session, code, row, uuid, version, c, ids)
            applied += 1
        count(kind, applied)


def _links(checked: list[tuple[str, int, _Checked, Any]]) -> list[Any]:
    """Matter UUIDs named by the records' children (activities, review files)."""
    out: list[Any] = []
    for *_, item in checked:
        for key in ("activities", "files"):
            children = item.get(key) if isinstance(item, dict) else None
            if isinstance(children, list):
                out += [ch.get("matter_uuid") for ch in children if isinstance(ch, dict)]
    return out


def _apply_supervisor(session: Session, code: str, row: Supervisor | None, uuid: str, version: int, c: _Checked,
                      ids: dict[str, int]) -> None:
    if row is None:
        row = Supervisor(uuid=uuid, office_code=code, created_at=_now(), updated_at=_now())
        session.add(row)
    row.version, row.name, row.kind = version, c.text("name", 64), c.text("kind", 32)
    row.unit, row.contact, row.note = c.text("unit", 128), "", c.text("note", 500)
    row.appointed_on = c.day("appointed_on")
    row.term_ends, row.updated_at = c.opt_day("term_ends"), _now()
    activities = []
    for n, item in enumerate(c.items("activities"), start=1):
        a = _Checked(item, f"监督员活动第 {n} 条")
        matter = a.opt_text("matter_uuid", 36)
        activities.append(SupervisorActivity(uuid=a.text("uuid", 36), on_date=a.day("on_date"),
                                             kind=a.text("kind", 32), description=a.text("description", 500),
                                             matter_id=ids.get(matter) if matter else None, created_at=_now()))
    _replace_children(session, row, "activities", SupervisorActivity, [a.uuid for a in activities])
    row.activities = activities


def _apply_meeting(session: Session, code: str, row: Meeting | None, uuid: str, version: int, c: _Checked,
                   ids: dict[str, int]) -> None:
    minutes = c.opt_text("minutes_uuid", 36)
    minutes_id = session.scalar(select(Document.id).where(
        Document.uuid == minutes, Document.office_code == code)) if minutes else None  # before the row is added
    if row is None:
        row = Meeting(uuid=uuid, office_code=code, created_at=_now(), updated_at=_now())
        session.add(row)
    row.version, row.held_on = version, c.day("held_on")
    for name, size in (("name", 120), ("place", 120), ("convener", 120), ("chair", 80), ("participants", 2000),
                       ("attendees", 2000), ("observers", 2000), ("topics", 8000)):
        setattr(row, name, c.text(name, size))
    row.decisions = _decisions(c.items("decisions"), "会议记录")
    row.minutes_document_id = minutes_id
    row.updated_at = _now()


def _apply_batch(session: Session, code: str, row: ReviewBatch | None, uuid: str, version: int, c: _Checked,
                 ids: dict[str, int]) -> None:
    if row is None:
        row = ReviewBatch(uuid=uuid, office_code=code, created_at=_now(), updated_at=_now())
        session.add(row)
    row.version, row.name = version, c.text("name", 120)
    row.period_from, row.period_to = c.day("period_from"), c.day("period_to")
    row.reviewers, row.seed = c.text("reviewers", 2000), c.opt_text("seed", 20)
    row.per_unit, row.sheet_name = c.integer("per_unit"), c.text("sheet_name", 120)
    sheet = c.mapping("sheet") or {}
    try:
        sheet_from_data(sheet)  # the bureau grades and shows the batch by it
    except (ValidationError, AttributeError, TypeError):
        raise PacketRejected("数据包中的评查批次所附评分表不完整或格式不对。") from None
    row.sheet, row.updated_at = sheet, _now()
    files = []
    for n, item in enumerate(c.items("files"), start=1):
        f = _Checked(item, f"评查案卷第 {n} 条")
        matter = f.opt_text("matter_uuid", 36)
        scores = f.mapping("scores")
        if scores is not None and not all(isinstance(v, int | float) and not isinstance(v, bool)
                                          for v in scores.values()):
            raise PacketRejected("数据包中的评查得分格式不对。")
        files.append(ReviewFile(
            uuid=f.text("uuid", 36), unit_name=f.text("unit_name", 128), file_no=f.text("file_no", 120),
            title=f.text("title", 300), list_row=f.integer("list_row"), drawn=f.flag("drawn"), scores=scores,
            total=f.number("total"), grade=f.opt_text("grade", 16), finding=f.text("finding", 5000),
            scored_by=f.text("scored_by", 64), scored_on=f.opt_day("scored_on"),
            matter_id=ids.get(matter) if matter else None))
    if len({(f.unit_name, f.file_no) for f in files}) != len(files):
        raise PacketRejected("数据包中的评查批次列出了重复的案卷。")
    _replace_children(session, row, "files", ReviewFile, [f.uuid for f in files])
    row.files = files


def _apply_officer(session: Session, code: str, row: EnforcementOfficer | None, uuid: str, version: int,
                   c: _Checked, ids: dict[str, int]) -> None:
    certificate = c.text("certificate_no", 64)
    if row is None:
        # A holder listed again under a new record (the office deleted and re-imported): one row per certificate.
        session.execute(delete(EnforcementOfficer).where(EnforcementOfficer.office_code == code,
                                                         EnforcementOfficer.certificate_no == certificate))
        row = EnforcementOfficer(uuid=uuid, office_code=code, created_at=_now(), updated_at=_now())
        session.add(row)
    matter = c.opt_text("matter_uuid", 36)
    row.version, row.unit_name, row.name = version, c.text("unit_name", 128), c.text("name", 64)
    row.certificate_no, row.kind, row.status = certificate, c.text("kind", 64), c.text("status", 32)
    row.id_no = c.opt_text("id_no", 32)  # masked by the office
    row.issued_on, row.expires_on = c.opt_day("issued_on"), c.opt_day("expires_on")
    row.matter_id, row.updated_at = (ids.get(matter) if matter else None), _now()


def _replace_children(session: Session, row: Any, attribute: str, model: Any, uuids: list[str | None]) -> None:
    """The children as the packet has them: the old ones go first, so that a UUID kept reuses no stale row."""
    if row.id is not None:
        getattr(row, attribute).clear()
        session.flush()
    clash = session.scalar(select(model.id).where(model.uuid.in_([u for u in uuids if u])).limit(1))
    if clash is not None:
        raise PacketRejected("数据包中的监督工作记录与已有记录标识冲突，已拒收。")


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


_APPLY: dict[str, Callable[..., None]] = {"supervisor": _apply_supervisor, "meeting": _apply_meeting,
                                          "review_batch": _apply_batch, "officer": _apply_officer}
