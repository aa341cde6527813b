"""S-3/S-5: applying an opened, verified packet inside the importing transaction.

At the bureau a township's records are kept in the same tables as the bureau's own, marked with the office's
code, so the matter and document views, search and the bureau's own forms work on them unchanged; they are
read-only there. A record is written only when its version is newer than what is held, which makes importing
the same packet again, or an older state, change nothing. Everything is checked before it is used: a record
of the wrong shape rejects the whole packet.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from ..domain.errors import DomainError
from ..domain.lifecycle import Action, Status
from ..domain.vocab import UnitKind
from ..storage import blobs
from ..storage.models import (
    Attachment,
    Document,
    DocumentFile,
    Matter,
    MatterEvent,
    OfficeObligation,
    PacketOut,
    Peer,
    matter_units,
)
from ..sync.errors import PacketRejected
from ..sync.packet import Opened
from ..workdays import DayEntry, DaySource, diff_entries
from . import packet_supervision, search
from .audit import Actor
from .audit_heads import take_acknowledged_head, take_office_head
from .bureau_obligations import update_assistance_obligations
from .calendar import load_calendar, replace_year
from .matters import TransitionInput, apply_transition
from .packet_records import chunks
from .rosters import Entry, sync_office_roster, take_over_roster, unit_ids

_MT: Table = Matter.__table__  # type: ignore[assignment]
_DT: Table = Document.__table__  # type: ignore[assignment]
_OT: Table = OfficeObligation.__table__  # type: ignore[assignment]
_FT: Table = DocumentFile.__table__  # type: ignore[assignment]
_ET: Table = MatterEvent.__table__  # type: ignore[assignment]
_AT: Table = Attachment.__table__  # type: ignore[assignment]
# Core tables, not ORM classes, for the bulk inserts: the ORM's bulk insert groups rows by which values are None
# and so splits one executemany into thousands of single-row statements (bench/packets.py).


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass
class Applied:
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    kinds: dict[int, str] = field(default_factory=dict)  # position in notes -> kind, for notes made by note()

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def note(self, kind: str, text: str) -> None:
        """A note of a kind: the import report groups such notes by kind and counts them (one note per item)."""
        self.kinds[len(self.notes)] = kind
        self.notes.append(text)


# ---- checking the shape of records ----------------------------------------------------------------------------

_STR, _OPT_STR, _INT, _BOOL = "str", "str?", "int", "bool"
_UUID, _OPT_UUID = "uuid", "uuid?"
_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_INT_RANGE = range(-2**31, 2**31)  # what an INTEGER column holds on SQLite and PostgreSQL alike
_DATE, _OPT_DATE, _DT_, _OPT_DT = "date", "date?", "datetime", "datetime?"


def _is_str(v: Any) -> Any:
    if isinstance(v, str):
        return v
    raise ValueError


def _is_int(v: Any) -> Any:
    if isinstance(v, int) and not isinstance(v, bool) and v in _INT_RANGE:
        return v
    raise ValueError


def _is_uuid(v: Any) -> Any:
    if isinstance(v, str) and _UUID_RE.fullmatch(v):
        return v
    raise ValueError


def _is_bool(v: Any) -> Any:
    if isinstance(v, bool):
        return v
    raise ValueError


def _is_date(v: Any) -> Any:
    if isinstance(v, str):
        return date.fromisoformat(v)
    raise ValueError


def _is_datetime(v: Any) -> Any:
    if isinstance(v, str):
        return datetime.fromisoformat(v)
    raise ValueError


_CHECKS: dict[str, Callable[[Any], Any]] = {
    _STR: _is_str, _INT: _is_int, _UUID: _is_uuid, _BOOL: _is_bool, _DATE: _is_date, _DT_: _is_datetime}


def _checker(kind: str) -> Callable[[Any], Any]:
    """The check of one field kind ("str", "date?", …); "?" also lets None through. Looked up once per shape,
    not once per field of every record (a county's packets carry 760,000 fields)."""
    check = _CHECKS[kind.rstrip("?")]
    if not kind.endswith("?"):
        return check
    return lambda v: None if v is None else check(v)


def _value(kind: str, v: Any) -> Any:
    return _checker(kind)(v)


_compiled: dict[tuple[tuple[str, str], ...], list[tuple[str, Callable[[Any], Any]]]] = {}


def records(opened: Opened, name: str, shape: dict[str, str]) -> list[dict[str, Any]]:
    """The member's records with every field in ``shape`` checked and converted; anything else rejects."""
    raw = opened.json(name)
    if not isinstance(raw, list):
        raise PacketRejected(f"数据包中的 {name} 格式不对（应为记录列表）。")
    key = tuple(shape.items())
    fields = _compiled.get(key)
    if fields is None:
        fields = _compiled[key] = [(k, _checker(kind)) for k, kind in shape.items()]
    out = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise PacketRejected(f"数据包中的 {name} 第 {n} 条记录格式不对。")
        get = item.get
        try:
            row = {k: check(get(k)) for k, check in fields}
        except (ValueError, TypeError):
            raise PacketRejected(f"数据包中的 {name} 第 {n} 条记录的字段格式不对。") from None
        row["_raw"] = item
        out.append(row)
    return out


def _limited(text: str | None, size: int) -> str | None:
    return text[:size] if text is not None else None


MATTER_SHAPE = {"uuid": _UUID, "version": _INT, "reg_no": _STR, "reg_year": _INT, "reg_seq": _INT,
                "received_on": _DATE, "source": _STR, "source_ref": _OPT_STR, "category": _STR, "method": _OPT_STR,
                "track": _STR, "title": _STR, "facts": _STR, "legal_basis": _STR, "parties": _STR,
                "serious": _BOOL, "in_scope": _BOOL, "status": _STR, "handler": _OPT_STR,
                "rectification_deadline": _OPT_DATE, "created_at": _DT_, "updated_at": _DT_}
EVENT_SHAPE = {"uuid": _UUID, "matter_uuid": _UUID, "action": _STR, "from_status": _OPT_STR, "to_status": _STR,
               "on_date": _DATE, "recorded_at": _DT_, "actor": _STR, "reason": _STR}
DOCUMENT_SHAPE = {"uuid": _UUID, "version": _INT, "matter_uuid": _OPT_UUID, "form_id": _STR, "status": _STR,
                  "title": _STR, "number": _OPT_STR, "year": "int?", "seq": "int?", "issue_date": _OPT_DATE,
                  "issued_at": _OPT_DT, "signed_by": _OPT_STR, "void_reason": _OPT_STR, "served_on": _OPT_DATE,
                  "service_method": _OPT_STR, "in_reply_to": _OPT_UUID, "pdf": _OPT_STR, "pdf_sha256": _OPT_STR}
OBLIGATION_SHAPE = {"uuid": _UUID, "version": _INT, "matter_uuid": _OPT_UUID, "kind": _STR, "title": _STR,
                    "trigger_on": _DATE, "due_on": _DATE, "provisional": _BOOL, "state": _STR, "met_on": _OPT_DATE}
ATTACHMENT_SHAPE = {"uuid": _UUID, "matter_uuid": _OPT_UUID, "document_uuid": _OPT_UUID, "file_name": _STR,
                    "sha256": _STR, "size": _INT, "file": _STR, "added_by": _STR, "added_at": _DT_}


def _existing(session: Session, column: Any, keys: list[str], *extra: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for part in chunks(keys, 900):
        for row in session.execute(select(column, *extra).where(column.in_(part))):
            found[row[0]] = row[1:] if extra else True
    return found


def _file(opened: Opened, member: str | None, what: str) -> bytes | memoryview | None:
    if member is None:
        return None
    if member not in opened.members or not member.startswith("files/"):
        raise PacketRejected(f"数据包中{what}引用的文件“{member}”不存在。")
    return opened.members[member]


# ---- at the bureau: a township's data packet --------------------------------------------------------------------

def apply_office_packet(session: Session, peer: Peer, opened: Opened, today: date) -> Applied:
    result = Applied()
    code = peer.code
    take_office_head(peer, opened.envelope.manifest)  # issue 15 item 8: before anything of it is applied
    _apply_ack(session, peer, opened, result)
    matters = records(opened, "records/matters.json", MATTER_SHAPE)
    events = records(opened, "records/events.json", EVENT_SHAPE)
    documents = records(opened, "records/documents.json", DOCUMENT_SHAPE)
    obligations = records(opened, "records/obligations.json", OBLIGATION_SHAPE)
    atts = records(opened, "records/attachments.json", ATTACHMENT_SHAPE)
    _apply_office_roster(session, code, opened, result)
    # Files first (content-addressed, harmless if the transaction rolls back), then the database. Each member's
    # SHA-256 was checked against the signed manifest when the payload was opened; the record must name the same.
    listed = _listed(opened)
    files = []
    for a in atts:
        data = _file(opened, a["file"], "附件")
        if data is None or listed.get(a["file"]) != a["sha256"]:
            raise PacketRejected(f"数据包中附件“{a['file_name'][:40]}”的文件与记录的校验值不符。")
        files.append((a["sha256"], data))
    blobs.put_hashed(session, files)
    matter_ids = _apply_matters(session, code, matters, result)
    matter_ids.update({u: i for u, (i, oc) in _existing(session, Matter.uuid, sorted(
        {r["matter_uuid"] for r in events + documents + obligations + atts if r["matter_uuid"]} - set(matter_ids)),
        Matter.id, Matter.office_code).items() if oc == code})
    _apply_events(session, events, matter_ids, result)
    received = _apply_documents(session, code, documents, matter_ids, opened, today, result)
    _apply_office_obligations(session, code, obligations, matter_ids, result)
    _apply_attachments(session, atts, matter_ids, result)
    packet_supervision.apply_records(session, code, opened, lambda uuids: {
        u: i for u, (i, oc) in _existing(session, Matter.uuid, uuids, Matter.id, Matter.office_code).items()
        if oc == code}, result.add)
    update_assistance_obligations(session, peer, received, today, result)
    return result


UNIT_SHAPE = {"uuid": _OPT_UUID, "name": _STR, "kind": _STR, "active": "bool?", "version": "int?"}


def _unit_entry(u: dict[str, Any], kind_default: str | None = None) -> Entry:
    """A unit as a packet names it (issue 12: with its UUID and version; earlier packets carry name and kind)."""
    try:
        row = {k: _value(kind, u.get(k)) for k, kind in UNIT_SHAPE.items()}
    except (ValueError, TypeError):
        raise PacketRejected("数据包中的被监督单位格式不对。") from None
    name = " ".join(row["name"].split())
    kind = row["kind"] if row["kind"] in _UNIT_KINDS else kind_default
    if not 0 < len(name) <= 128 or kind is None:
        raise PacketRejected("数据包中的被监督单位格式不对。")
    active = True if row["active"] is None else row["active"]
    return Entry(row["uuid"], name, kind, active, row["version"] or 1)


def _unit_key(u: dict[str, Any]) -> str:
    return f"u:{u['uuid']}" if isinstance(u.get("uuid"), str) and u["uuid"] else f"n:{u['name']}"


def _unit_ids(session: Session, code: str, matters: list[dict[str, Any]]) -> dict[str, int]:
    """The township's units its matters name, on its own roster, keyed as ``_unit_key`` keys them."""
    wanted: dict[str, Entry] = {}
    for m in matters:
        if not isinstance(m["_raw"].get("units") or [], list):
            raise PacketRejected("数据包中事项的被监督单位格式不对。")
        for u in m["_raw"].get("units") or []:
            if not isinstance(u, dict) or not isinstance(u.get("name"), str) or not u["name"].strip():
                raise PacketRejected("数据包中事项的被监督单位格式不对。")
            wanted[_unit_key(u)] = _unit_entry(u, "internal_body")
    return unit_ids(session, code, wanted) if wanted else {}


def _apply_office_roster(session: Session, code: str, opened: Opened, result: Applied) -> None:
    """The township's own units as it holds them (renamed, retired, added), keyed by (code, uuid)."""
    if "records/units.json" not in opened.members:
        return  # a packet of an earlier version: its matters still name their units
    entries = [_unit_entry(e["_raw"]) for e in records(opened, "records/units.json", UNIT_SHAPE)]
    active = [e.name for e in entries if e.active]
    if any(e.uuid is None for e in entries) or len({e.uuid for e in entries}) != len(entries) \
            or len(set(active)) != len(active):
        raise PacketRejected("数据包中的被监督单位名录格式不对（单位标识缺失或重复，或在用单位重名）。")
    change = sync_office_roster(session, code, entries)
    if change.added or change.changed:
        result.add("units", len(change.added) + len(change.changed))


def _matter_values(code: str, m: dict[str, Any]) -> dict[str, Any]:
    personal = m["_raw"].get("complainant") if isinstance(m["_raw"].get("complainant"), dict) else {}
    return {
        "uuid": m["uuid"], "version": m["version"], "reg_no": m["reg_no"][:64], "reg_year": m["reg_year"],
        "reg_seq": m["reg_seq"], "received_on": m["received_on"], "source": m["source"][:32],
        "source_ref": _limited(m["source_ref"], 128), "category": m["category"][:32],
        "method": _limited(m["method"], 32), "track": m["track"][:16], "title": m["title"][:200],
        "facts": m["facts"], "legal_basis": m["legal_basis"], "parties": m["parties"], "serious": m["serious"],
        "in_scope": m["in_scope"], "status": m["status"][:32], "handler_id": None,
        "handler_name": _limited(m["handler"], 64), "rectification_deadline": m["rectification_deadline"],
        "complainant_name": _limited(_str(personal.get("name")), 64),
        "complainant_phone": _limited(_str(personal.get("phone")), 32),
        "complainant_id_no": _limited(_str(personal.get("id_no")), 32),
        "template_id": None, "created_at": m["created_at"], "updated_at": m["updated_at"], "office_code": code,
    }


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


_STATUSES = {s.value for s in Status}


def _known_status(*values: str | None) -> None:
    unknown = [v for v in values if v is not None and v not in _STATUSES]
    if unknown:
        raise PacketRejected(f"数据包中的事项状态“{unknown[0][:20]}”本程序不认识：发送方的程序版本可能更新，请升级本程序后再导入。")


def _apply_matters(session: Session, code: str, matters: list[dict[str, Any]], result: Applied) -> dict[str, int]:
    if len({m["uuid"] for m in matters}) != len(matters):
        raise PacketRejected("数据包中同一事项出现了两次。")
    _known_status(*(m["status"] for m in matters))
    units = _unit_ids(session, code, matters)
    held = _existing(session, Matter.uuid, [m["uuid"] for m in matters], Matter.id, Matter.version,
                     Matter.office_code)
    new, newer = [], []
    for m in matters:
        if m["uuid"] in held:
            _, version, office = held[m["uuid"]]
            if office != code:
                raise PacketRejected(f"数据包中的事项 {m['reg_no']} 与其他机构的记录标识冲突，已拒收。")
            if m["version"] > version:
                newer.append(m)
        else:
            new.append(m)
    ids = {u: row[0] for u, row in held.items()}
    if new:
        session.execute(insert(_MT), [_matter_values(code, m) for m in new])
        ids.update(_existing_ids(session, [m["uuid"] for m in new]))
        search.bulk_index(session, [{"id": ids[m["uuid"]], "title": m["title"], "facts": m["facts"],
                                     "parties": m["parties"], "reg_no": m["reg_no"], "source_ref": m["source_ref"]}
                                    for m in new])
    if newer:
        rows = [dict(_matter_values(code, m), _id=ids[m["uuid"]]) for m in newer]
        session.execute(update(_MT).where(_MT.c.id == bindparam("_id")),
                        [{k: v for k, v in r.items() if k != "uuid"} for r in rows])
        session.execute(delete(matter_units).where(matter_units.c.matter_id.in_([ids[m["uuid"]] for m in newer])))
        for m in newer:
            search.reindex_matter(session, ids[m["uuid"]])
    links = [{"matter_id": ids[m["uuid"]], "unit_id": unit_id} for m in new + newer
             for unit_id in sorted({units[_unit_key(u)] for u in m["_raw"].get("units") or []})]
    if links:
        session.execute(insert(matter_units), links)
    result.add("matters_new", len(new))
    result.add("matters_updated", len(newer))
    return ids


def _existing_ids(session: Session, uuids: list[str]) -> dict[str, int]:
    return {u: row[0] for u, row in _existing(session, Matter.uuid, uuids, Matter.id).items()}


def _matter_id(matter_ids: dict[str, int], uuid: str | None, what: str) -> int | None:
    if uuid is None:
        return None
    if uuid not in matter_ids:
        raise PacketRejected(f"数据包中的{what}引用了本机没有的事项（可能缺少更早的数据包）。")
    return matter_ids[uuid]


def _apply_events(session: Session, events: list[dict[str, Any]], matter_ids: dict[str, int],
                  result: Applied) -> None:
    _known_status(*(e["from_status"] for e in events), *(e["to_status"] for e in events))
    held = _existing(session, MatterEvent.uuid, [e["uuid"] for e in events])
    rows = []
    for e in events:
        if e["uuid"] in held:
            continue
        data = e["_raw"].get("data")
        rows.append({"uuid": e["uuid"], "matter_id": _matter_id(matter_ids, e["matter_uuid"], "办理记录"),
                     "action": e["action"][:32], "from_status": _limited(e["from_status"], 32),
                     "to_status": e["to_status"][:32], "on_date": e["on_date"], "recorded_at": e["recorded_at"],
                     "actor": e["actor"][:64], "reason": e["reason"], "data": data if isinstance(data, dict) else {}})
        held[e["uuid"]] = True
    if rows:
        session.execute(insert(_ET), rows)
    result.add("events_new", len(rows))


def _document_values(code: str, d: dict[str, Any], matter_id: int | None) -> dict[str, Any]:
    return {"version": d["version"], "matter_id": matter_id, "form_id": d["form_id"][:64],
            "status": d["status"][:16], "title": d["title"][:300], "number": _limited(d["number"], 64),
            "year": d["year"], "seq": d["seq"], "issue_date": d["issue_date"], "issued_at": d["issued_at"],
            "signed_by": _limited(d["signed_by"], 64), "void_reason": d["void_reason"], "served_on": d["served_on"],
            "service_method": _limited(d["service_method"], 16), "in_reply_to": _limited(d["in_reply_to"], 36),
            "pdf_sha256": _limited(d["pdf_sha256"], 64), "office_code": code}


def _listed(opened: Opened) -> dict[str, str]:
    """Member path -> SHA-256 in the signed manifest (every member's bytes were checked against it on opening)."""
    return {e["path"]: e["sha256"] for e in opened.envelope.manifest["members"]}


def _pdf_of(opened: Opened, listed: dict[str, str], d: dict[str, Any]) -> bytes | memoryview | None:
    """The document's PDF member; its name and the signed manifest's hash must agree with the record."""
    pdf = _file(opened, d["pdf"], "文书")
    if pdf is not None:
        if not d["pdf_sha256"] or listed.get(d["pdf"]) != d["pdf_sha256"]:
            raise PacketRejected(f"数据包中文书“{d['title'][:40]}”的 PDF 与记录的校验值不符。")
    return pdf


def _apply_documents(session: Session, code: str, documents: list[dict[str, Any]], matter_ids: dict[str, int],
                     opened: Opened, today: date, result: Applied) -> list[tuple[int, dict[str, Any]]]:
    """Insert or update the sender's documents and their PDFs in bulk; returns (id, record) of those newly
    received, in packet order. Thousands of PDFs per packet: one statement per kind, not per document."""
    if len({d["uuid"] for d in documents}) != len(documents):
        raise PacketRejected("数据包中同一文书出现了两次。")
    held = _existing(session, Document.uuid, [d["uuid"] for d in documents], Document.id, Document.version,
                     Document.office_code)
    now = _now()
    new_rows: list[dict[str, Any]] = []
    newer_rows: list[dict[str, Any]] = []
    pdfs: dict[str, tuple[str, bytes | memoryview]] = {}  # uuid -> (sha, bytes)
    fresh: list[dict[str, Any]] = []
    listed = _listed(opened)
    for d in documents:
        pdf = _pdf_of(opened, listed, d)
        values = _document_values(code, d, _matter_id(matter_ids, d["matter_uuid"], "文书"))
        if d["uuid"] in held:
            doc_id, version, office = held[d["uuid"]]
            if office != code:
                raise PacketRejected(f"数据包中的文书“{d['title'][:40]}”与其他机构的记录标识冲突，已拒收。")
            if d["version"] <= version:
                continue
            newer_rows.append(dict(values, _id=doc_id, updated_at=now))
        else:
            new_rows.append(dict(values, uuid=d["uuid"], fields={}, created_at=now, updated_at=now,
                                 received_on=today, preprinted=False))
            fresh.append(d)
        if pdf is not None:
            pdfs[d["uuid"]] = (d["pdf_sha256"], pdf)
    if new_rows:
        session.execute(insert(_DT), new_rows)
    if newer_rows:
        session.execute(update(_DT).where(_DT.c.id == bindparam("_id")), newer_rows)
        session.execute(delete(DocumentFile).where(DocumentFile.document_id.in_([r["_id"] for r in newer_rows])))
    ids = {u: row[0] for u, row in _existing(session, Document.uuid, list(pdfs) + [d["uuid"] for d in fresh],
                                             Document.id).items()}
    if pdfs:
        blobs.put_hashed(session, pdfs.values())  # files first, then the rows naming them (hashes as checked)
        session.execute(insert(_FT), [{"document_id": ids[u], "sha256": sha} for u, (sha, _pdf) in pdfs.items()])
    result.add("documents_new", len(new_rows))
    result.add("documents_updated", len(newer_rows))
    return [(ids[d["uuid"]], d) for d in fresh]


def _apply_office_obligations(session: Session, code: str, obligations: list[dict[str, Any]],
                              matter_ids: dict[str, int], result: Applied) -> None:
    held = _existing(session, OfficeObligation.uuid, [o["uuid"] for o in obligations], OfficeObligation.id,
                     OfficeObligation.version, OfficeObligation.office_code)
    new, newer = [], []
    for o in obligations:
        values = {"version": o["version"], "office_code": code,
                  "matter_id": _matter_id(matter_ids, o["matter_uuid"], "时限"), "kind": o["kind"][:32],
                  "title": o["title"][:300], "trigger_on": o["trigger_on"], "due_on": o["due_on"],
                  "provisional": o["provisional"], "state": o["state"][:16], "met_on": o["met_on"]}
        if o["uuid"] in held:
            row_id, version, office = held[o["uuid"]]
            if office != code:
                raise PacketRejected("数据包中的时限与其他机构的记录标识冲突，已拒收。")
            if o["version"] > version:
                newer.append(dict(values, _id=row_id))
        else:
            new.append(dict(values, uuid=o["uuid"]))
            held[o["uuid"]] = (0, o["version"], code)
    if new:
        session.execute(insert(_OT), new)
    if newer:
        session.execute(update(_OT).where(_OT.c.id == bindparam("_id")), newer)
    result.add("obligations", len(new) + len(newer))


def _apply_attachments(session: Session, atts: list[dict[str, Any]], matter_ids: dict[str, int],
                       result: Applied) -> None:
    held = _existing(session, Attachment.uuid, [a["uuid"] for a in atts])
    docs = _existing(session, Document.uuid, sorted({a["document_uuid"] for a in atts if a["document_uuid"]}),
                     Document.id)
    rows = []
    for a in atts:
        if a["uuid"] in held:
            continue
        doc = docs.get(a["document_uuid"]) if a["document_uuid"] else None
        rows.append({"uuid": a["uuid"], "matter_id": _matter_id(matter_ids, a["matter_uuid"], "附件"),
                     "document_id": doc[0] if doc else None, "file_name": a["file_name"][:255],
                     "sha256": a["sha256"][:64], "size": a["size"], "added_by": a["added_by"][:64],
                     "added_at": a["added_at"]})
        held[a["uuid"]] = True
    if rows:
        session.execute(insert(_AT), rows)
    result.add("attachments", len(rows))


# ---- at an office: the bureau's return packet --------------------------------------------------------------------

ACK_SHAPE = {"last_seq": _INT, "last_hash": _STR}
CALENDAR_SHAPE = {"year": _INT, "detail": _STR}
_FOLLOW = {"assistance_reply": (Action.RECORD_ASSISTANCE_REPLY, Status.ASSISTING),
           "supervision_notice": (Action.RECORD_BUREAU_REPLY, Status.ESCALATED)}


def apply_return_packet(session: Session, actor: Actor, peer: Peer, opened: Opened, today: date) -> Applied:
    result = Applied()
    _apply_ack(session, peer, opened, result)
    documents = records(opened, "records/documents.json", DOCUMENT_SHAPE)
    matter_ids = {u: i for u, (i, oc) in _existing(
        session, Matter.uuid, sorted({d["matter_uuid"] for d in documents if d["matter_uuid"]}), Matter.id,
        Matter.office_code).items() if oc == ""}
    for _, d in _apply_documents(session, peer.code, documents, matter_ids, opened, today, result):
        _follow_document(session, actor, d, matter_ids, result)
    _apply_calendar(session, actor, opened, today, result)
    _apply_roster(session, opened, result)
    return result


ROSTER_SHAPE = {"name": _STR, "kind": _STR, "active": _BOOL}
_UNIT_KINDS = {k.value for k in UnitKind}


def _apply_roster(session: Session, opened: Opened, result: Applied) -> None:
    """At the township: the bureau's roster for it, taken over by UUID (issue 12)."""
    checked = records(opened, "records/units.json", ROSTER_SHAPE)
    if any(e["kind"] not in _UNIT_KINDS for e in checked):
        raise PacketRejected("回执数据包中的被监督单位名录格式不对。")
    entries = [_unit_entry(e["_raw"]) for e in checked]
    change = take_over_roster(session, entries)
    if change.added or change.changed:
        result.add("units", len(change.added) + len(change.changed))
        result.notes.append("被监督单位名录已按司法局更新：" + "；".join(
            part for part in (f"新增 {'、'.join(change.added)}" if change.added else "",
                              f"调整 {'、'.join(change.changed)}" if change.changed else "") if part) + "。")


def _apply_ack(session: Session, peer: Peer, opened: Opened, result: Applied) -> None:
    """The other side says up to which of our packets it has imported: what we send next starts from there.

    Both directions carry one (S-5: the bureau's return packets; the office's data packets acknowledge the return
    packets in turn, so the bureau does not send its replies again and again)."""
    if "records/ack.json" not in opened.members:
        return
    raw = opened.json("records/ack.json")
    if not isinstance(raw, dict):
        raise PacketRejected("数据包中的确认信息格式不对。")
    try:
        last, last_hash = _value(_INT, raw.get("last_seq")), _value(_STR, raw.get("last_hash"))
    except (ValueError, TypeError):
        raise PacketRejected("数据包中的确认信息格式不对。") from None
    # An acknowledgement that does not match what we sent (we restored an older database, say) is ignored, not
    # fatal: refusing the whole packet for it would block everything else the peer sends. We then simply send
    # more than needed, which the receiver's version checks make harmless.
    ours = session.scalar(select(PacketOut.manifest_sha256).where(PacketOut.recipient == peer.code,
                                                                  PacketOut.seq == last)) if last > 0 else ""
    if last > peer.out_seq or ours != (last_hash if last > 0 else ""):
        result.notes.append(f"注意：{peer.name}确认收到第 {last} 号数据包，与本机导出记录不符，已忽略该确认；"
                            "如本机恢复过备份，这是正常的，下次导出会补发。")
        return
    if last > peer.acked_seq:
        peer.acked_seq = last
        # Received means it can no longer be lost: its kept copy is not needed any more.
        done = PacketOut.recipient == peer.code, PacketOut.seq <= last, PacketOut.data_sha256.is_not(None)
        blobs.release(session, session.scalars(select(PacketOut.data_sha256).where(*done)))
        session.execute(update(PacketOut).where(*done).values(data_sha256=None))
        result.note("ack", f"{peer.name}已确认收到第 {last} 号及以前的数据包。")
    result.counts["acknowledged"] = peer.acked_seq
    if peer.kind == "bureau" and (warning := take_acknowledged_head(session, peer, raw.get("audit"))):
        result.notes.append(warning)
    for item in raw.get("rejected") or []:
        if isinstance(item, dict) and isinstance(item.get("seq"), int):
            result.notes.append(f"{peer.name}拒收了第 {item['seq']} 号数据包：{str(item.get('reason', ''))[:200]}")


def _follow_document(session: Session, actor: Actor, d: dict[str, Any], matter_ids: dict[str, int],
                     result: Applied) -> None:
    """A reply closes the office's awaiting-bureau obligation; a notice records the bureau's handling (S-5)."""
    matter_id = matter_ids.get(d["matter_uuid"] or "")
    follow = _FOLLOW.get(d["form_id"])
    if matter_id is None or follow is None or d["status"] != "issued":
        return
    action, status = follow
    matter = session.get(Matter, matter_id)
    assert matter is not None
    label = f"《{d['title']}》{d['number'] or ''}"
    if matter.status != status.value:
        result.notes.append(f"已收到{label}，事项 {matter.reg_no} 当前为“{Status(matter.status).label}”，未自动变更状态。")
        return
    last = matter.events[-1].on_date if matter.events else matter.received_on
    on = max(d["issue_date"] or last, last)
    try:
        apply_transition(session, actor, matter_id, action, TransitionInput(
            action.value, on, reason=f"收到司法局{label}", extra={"document_uuid": d["uuid"]}))
    except DomainError as exc:
        result.notes.append(f"已收到{label}，但未能登记到事项 {matter.reg_no}：{exc}")
        return
    result.add("matters_followed")
    result.notes.append(f"事项 {matter.reg_no} 已登记司法局{label}。")


def _apply_calendar(session: Session, actor: Actor, opened: Opened, today: date, result: Applied) -> None:
    years = records(opened, "records/calendar.json", CALENDAR_SHAPE)
    for y in years:
        try:
            entries = [DayEntry(date.fromisoformat(e["day"]), bool(e["is_workday"]), DaySource.NOTICE,
                                str(e.get("note", ""))[:64]) for e in y["_raw"].get("days") or []]
        except (KeyError, TypeError, ValueError):
            raise PacketRejected("回执数据包中的节假日安排格式不对。") from None
        if any(e.day.year != y["year"] for e in entries) or not 2000 <= y["year"] <= 2100:
            raise PacketRejected("回执数据包中的节假日安排年份不对。")
        cal = load_calendar(session)
        notice_year = y["year"] in cal.covered_years
        if notice_year and not diff_entries(cal, entries):
            continue
        alerts = replace_year(session, actor, y["year"], entries, f"司法局随回执下发：{y['detail']}",
                              {"via": "return packet", "days": len(entries)}, today)
        result.add("calendar_years")
        result.notes.append(f"已更新{y['year']}年节假日安排（司法局下发）。")
        result.notes.extend(alerts)
