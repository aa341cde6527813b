"""Append-only, hash-chained audit log (N-1). ``verify_chain`` is what ``check`` runs.

Issue 15 item 8: the chain also covers what it records. Every timeline entry and every issued (or finalised)
document written through the ORM is noted when it is flushed; when the transaction commits, the SHA-256 of its
content (``event_hash``, ``document_hash``) goes into the ``records`` of the transaction's last audit entry, whose
hash covers them. Editing an event, a matter's status (its last event says what it must be), a number or a PDF
then no longer matches the chain (services/audit_records.py cross-checks). Entries written before migration 0008
carry no records; the migration took the records of that time into the chain (``audit.baseline`` entries).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..storage.models import AuditEntry, Document, DocumentFile, Matter, MatterEvent
from ..storage.uow import begin_write

GENESIS = "0" * 64
BASELINE = "audit.baseline"  # migration 0008's entries: the records of what existed before it
_PENDING = "audit.pending"  # session.info: {"event": ids, "document": ids} flushed in this transaction
_LAST = "audit.last"  # session.info: the last entry this transaction appended


@dataclass(frozen=True)
class Actor:
    """Who does something; every service that changes data takes one (U-6)."""

    name: str
    user_id: int | None = None
    role: str = "admin"


SYSTEM = Actor("系统")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":")).encode("utf-8")


def _digest(prev: str, at: datetime, actor: str, action: str, entity: str, entity_id: str,
            detail: dict[str, Any], records: dict[str, Any] | None = None) -> str:
    fields: list[Any] = [prev, at.isoformat(), actor, action, entity, entity_id, detail]
    if records is not None:  # entries before 0008 hash as they always did
        fields.append(records)
    return hashlib.sha256(_canonical(fields)).hexdigest()


def event_hash(uuid: str, matter_uuid: str, action: str, on: date | str, from_status: str | None, to_status: str,
               actor: str, reason: str, data: dict[str, Any] | None) -> str:
    """A timeline entry's content as the chain records it. Frozen: db/versions/0008 computes the same."""
    return hashlib.sha256(_canonical(["event", uuid, matter_uuid, action, str(on), from_status, to_status, actor,
                                      reason or "", data or {}])).hexdigest()


def document_hash(uuid: str, number: str | None, pdf_sha256: str | None) -> str:
    """An issued document as the chain records it: its number and its PDF's SHA-256 (the content store's name)."""
    return hashlib.sha256(_canonical(["document", uuid, number, pdf_sha256])).hexdigest()


def event_key(uuid: str) -> str:
    return f"event:{uuid}"


def document_key(uuid: str) -> str:
    return f"document:{uuid}"


def append(session: Session, actor: Actor, action: str, entity: str, entity_id: object,
           detail: dict[str, Any] | None = None, at: datetime | None = None,
           records: dict[str, str] | None = None) -> AuditEntry:
    begin_write(session)  # two writers must not both chain onto the same last entry (PostgreSQL: no implicit lock)
    prev = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)) or GENESIS
    at = at or datetime.now().replace(microsecond=0)
    detail = json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str))
    entry = AuditEntry(at=at, actor=actor.name, action=action, entity=entity, entity_id=str(entity_id),
                       detail=detail, prev_hash=prev, records=records,
                       hash=_digest(prev, at, actor.name, action, entity, str(entity_id), detail, records))
    session.add(entry)
    session.flush()
    session.info[_LAST] = entry
    return entry


def entry_digest(entry: AuditEntry, prev: str) -> str:
    return _digest(prev, entry.at, entry.actor, entry.action, entry.entity, entry.entity_id, entry.detail,
                   entry.records)


def verify_chain(session: Session) -> tuple[int, str | None]:
    """Return (entries checked, first problem or None)."""
    walked = walk(session, keep_records=False)
    return walked.count, walked.problem


@dataclass
class Walk:
    count: int = 0
    problem: str | None = None
    records: dict[str, str] | None = None  # key -> recorded hash, over the whole chain
    before_records: int = 0  # entries written before migration 0008 (before its first audit.baseline entry)
    head: tuple[int, str] | None = None


def walk(session: Session, keep_records: bool = True) -> Walk:
    """Every entry in order, each checked against the one before; with ``keep_records`` also what they record."""
    out = Walk(records={} if keep_records else None)
    prev = GENESIS
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
        out.count += 1
        if entry.prev_hash != prev:
            out.problem = f"审计日志第 {entry.id} 条的前序哈希不符，日志可能被删改。"
            return out
        if entry.hash != entry_digest(entry, prev):
            out.problem = f"审计日志第 {entry.id} 条内容与哈希不符，日志可能被篡改。"
            return out
        if entry.records is not None and out.records is not None:
            out.records.update(entry.records)
        if entry.action == BASELINE and not out.before_records:
            out.before_records = out.count - 1
        prev = entry.hash
        out.head = (entry.id, entry.hash)
    return out


def head(session: Session) -> tuple[int, str] | None:
    """The chain's last entry (id, hash): what a packet's manifest carries."""
    row = session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    return (int(row[0]), str(row[1])) if row is not None else None


def hash_at(session: Session, seq: int) -> str | None:
    return session.scalar(select(AuditEntry.hash).where(AuditEntry.id == seq))


# ---- records: noted at flush, hashed into the chain at commit ---------------------------------------------------

def event_records(session: Session, ids: Iterable[int]) -> dict[str, str]:
    """The chain's records of these timeline entries of this database's own matters, read back from the database
    (what was stored, not the objects in memory: the JSON of ``data`` as ``check`` will read it)."""
    out: dict[str, str] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 500):
        # office_code is tested here, not in SQL: with it in the WHERE clause SQLite walks the matters by that
        # index instead of the 500 ids (2 s for 5,000 entries instead of milliseconds)
        rows = session.execute(
            select(MatterEvent.uuid, Matter.uuid, MatterEvent.action, MatterEvent.on_date, MatterEvent.from_status,
                   MatterEvent.to_status, MatterEvent.actor, MatterEvent.reason, MatterEvent.data, Matter.office_code)
            .join(Matter, Matter.id == MatterEvent.matter_id)
            .where(MatterEvent.id.in_(wanted[start:start + 500])))
        for *row, office_code in rows:
            if not office_code:
                out[event_key(row[0])] = event_hash(*row)
    return out


def document_records(session: Session, ids: Iterable[int]) -> dict[str, str]:
    out: dict[str, str] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(Document.uuid, Document.number, DocumentFile.sha256, Document.office_code)
            .join(DocumentFile, DocumentFile.document_id == Document.id)
            .where(Document.id.in_(wanted[start:start + 500])))
        for uuid, number, sha, office_code in rows:
            if not office_code:
                out[document_key(uuid)] = document_hash(uuid, number, sha)
    return out


def _pending(session: Session) -> dict[str, set[int]]:
    pending: dict[str, set[int]] = session.info.setdefault(_PENDING, {"event": set(), "document": set()})
    return pending


def note_events(session: Session, uuids: Iterable[str]) -> None:
    """Timeline entries written by a Core insert (the flush does not see them: ``demo --matters``), to be recorded
    with this transaction like the ORM's."""
    wanted = list(uuids)
    for start in range(0, len(wanted), 500):
        _pending(session)["event"].update(session.scalars(
            select(MatterEvent.id).where(MatterEvent.uuid.in_(wanted[start:start + 500]))))


@event.listens_for(Session, "after_flush")
def _note(session: Session, _context: Any) -> None:
    # Only ORM writes of our own work are noted: a township's records at the bureau arrive by Core inserts and
    # are that township's chain's to record (their office_code is filtered out above as well).
    for obj in session.new:
        if isinstance(obj, MatterEvent):
            _pending(session)["event"].add(obj.id)
        elif isinstance(obj, DocumentFile):
            _pending(session)["document"].add(obj.document_id)


@event.listens_for(Session, "before_commit")
def _record(session: Session) -> None:
    session.flush()  # what was added since the last flush (commit would flush it only after this hook)
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    records = event_records(session, pending["event"]) | document_records(session, pending["document"])
    if not records:
        return
    last: AuditEntry | None = session.info.get(_LAST)
    if last is not None and last in session:
        # The transaction's last entry is still the chain's last (begin_write holds the write lock until commit):
        # it takes the records and is hashed again, rather than a second entry for the same piece of work.
        last.records = {**(last.records or {}), **records}
        last.hash = entry_digest(last, last.prev_hash)
        session.flush()
    else:
        append(session, SYSTEM, "audit.records", "audit", "*", {"count": len(records)}, records=records)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_LAST, None)
