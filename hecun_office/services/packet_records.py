"""S-1 records: what of ours goes into a packet, as JSON, and what changed since the peer's acknowledgement (S-2).

Every record carries its UUID and version; the receiver keeps a record only when the version is newer, so that
the same packet twice, or an older one, changes nothing. Matter events and attachments never change once
written, so they are selected by id above what the last acknowledged packet carried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.documents import DocStatus
from ..domain.lifecycle import BY_DOCUMENT
from ..storage import blobs
from ..storage.models import (
    Attachment,
    Document,
    DocumentFile,
    Matter,
    MatterEvent,
    MatterRef,
    Obligation,
    PacketOut,
    PacketRecord,
    Unit,
    User,
    matter_units,
)

CHUNK = 500

# M-7: complainants' personal data leaves the office only for matters handed to the bureau, from the moment the
# document that hands it over is issued: the escalation report, the clue transfer letter or the assistance request
# (issue 15 item 11). A status on the way there (情节严重复杂, 超出范围, 需要协作) is not yet a hand-over.
HANDING_OVER_FORMS = tuple(sorted(set(BY_DOCUMENT.values())))
# Documents the bureau receives: issued ones, and voided ones so that the number register stays complete.
_SENT_DOC_STATUSES = ("issued", "voided")


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def acked_versions(session: Session, recipient: str, acked_seq: int, kind: str) -> dict[str, int]:
    """The newest version of each record that reached the peer in a packet it acknowledged."""
    rows = session.execute(
        select(PacketRecord.uuid, func.max(PacketRecord.version))
        .join(PacketOut, PacketOut.id == PacketRecord.packet_id)
        .where(PacketOut.recipient == recipient, PacketOut.seq <= acked_seq, PacketRecord.kind == kind)
        .group_by(PacketRecord.uuid))
    return {u: v for u, v in rows}


def acked_upto(session: Session, recipient: str, acked_seq: int) -> tuple[int, int]:
    row = session.execute(select(func.max(PacketOut.events_upto), func.max(PacketOut.attachments_upto))
                          .where(PacketOut.recipient == recipient, PacketOut.seq <= acked_seq)).one()
    return row[0] or 0, row[1] or 0


def changed(current: Iterable[tuple[int, str, int]], acked: dict[str, int]) -> list[int]:
    """Ids of rows (id, uuid, version) whose version the peer has not acknowledged."""
    return [i for i, u, v in current if acked.get(u, 0) < v]


# ---- office -> bureau -------------------------------------------------------------------------------------------

def office_matter_ids(session: Session, recipient: str, acked_seq: int) -> list[int]:
    acked = acked_versions(session, recipient, acked_seq, "matter")
    current = session.execute(select(Matter.id, Matter.uuid, Matter.version).where(Matter.office_code == ""))
    return changed(current, acked)


def matter_records(session: Session, ids: Sequence[int]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in chunks(ids):
        matters = session.scalars(select(Matter).where(Matter.id.in_(part)).order_by(Matter.id)).all()
        units: dict[int, list[dict[str, Any]]] = {}
        for mid, uuid, name, kind, active in session.execute(
                select(matter_units.c.matter_id, Unit.uuid, Unit.name, Unit.kind, Unit.active)
                .join(Unit, Unit.id == matter_units.c.unit_id)
                .where(matter_units.c.matter_id.in_(part)).order_by(Unit.name, Unit.uuid)):
            # Issue 12: the UUID identifies the unit at the bureau; the name alone could be another township's.
            units.setdefault(mid, []).append({"uuid": uuid, "name": name, "kind": kind, "active": active})
        refs: dict[int, list[dict[str, Any]]] = {}
        for ref in session.scalars(select(MatterRef).where(MatterRef.matter_id.in_(part)).order_by(MatterRef.id)):
            refs.setdefault(ref.matter_id, []).append(
                {"source": ref.source, "source_ref": ref.source_ref, "received_on": iso(ref.received_on)})
        handlers = dict(session.execute(select(User.id, User.display_name)).all())
        handed = set(session.scalars(select(Document.matter_id).where(
            Document.matter_id.in_(part), Document.form_id.in_(HANDING_OVER_FORMS),
            Document.status == DocStatus.ISSUED.value)))
        for m in matters:
            personal = None
            if m.id in handed and (m.complainant_name or m.complainant_phone or m.complainant_id_no):
                personal = {"name": m.complainant_name, "phone": m.complainant_phone, "id_no": m.complainant_id_no}
            out.append({
                "uuid": m.uuid, "version": m.version, "reg_no": m.reg_no, "reg_year": m.reg_year,
                "reg_seq": m.reg_seq, "received_on": iso(m.received_on), "source": m.source,
                "source_ref": m.source_ref, "category": m.category, "method": m.method, "track": m.track,
                "title": m.title, "facts": m.facts, "legal_basis": m.legal_basis, "parties": m.parties,
                "serious": m.serious, "in_scope": m.in_scope, "status": m.status,
                "handler": handlers.get(m.handler_id) if m.handler_id else None,
                "rectification_deadline": iso(m.rectification_deadline), "complainant": personal,
                "units": units.get(m.id, []), "refs": refs.get(m.id, []),
                "created_at": iso(m.created_at), "updated_at": iso(m.updated_at),
            })
    return out


def event_records(session: Session, above_id: int) -> tuple[list[dict[str, Any]], int]:
    rows = session.execute(
        select(MatterEvent, Matter.uuid).join(Matter, Matter.id == MatterEvent.matter_id)
        .where(MatterEvent.id > above_id, Matter.office_code == "").order_by(MatterEvent.id)).all()
    records = [{"uuid": e.uuid, "matter_uuid": mu, "action": e.action, "from_status": e.from_status,
                "to_status": e.to_status, "on_date": iso(e.on_date), "recorded_at": iso(e.recorded_at),
                "actor": e.actor, "reason": e.reason, "data": e.data or {}} for e, mu in rows]
    return records, max([above_id] + [e.id for e, _ in rows])


def document_ids(session: Session, recipient: str, acked_seq: int, forms: Sequence[str] | None = None,
                 matter_office: str | None = None) -> list[int]:
    """Our issued (and voided) documents not yet acknowledged; optionally only some forms / one office's matters."""
    acked = acked_versions(session, recipient, acked_seq, "document")
    query = select(Document.id, Document.uuid, Document.version).where(
        Document.office_code == "", Document.status.in_(_SENT_DOC_STATUSES), Document.number.is_not(None)
        | Document.issued_at.is_not(None))
    if forms is not None:
        query = query.where(Document.form_id.in_(forms))
    if matter_office is not None:
        query = query.join(Matter, Matter.id == Document.matter_id).where(Matter.office_code == matter_office)
    return changed(session.execute(query), acked)


Source = Callable[[], bytes]  # a member's bytes, read from the content store when the packet writer needs them


def stored(session: Session, sha: str, what: str) -> Source:
    return lambda: blobs.get(session, sha, what)


def document_records(session: Session, ids: Sequence[int]) -> tuple[list[dict[str, Any]], dict[str, Source]]:
    """Metadata records and the issued PDFs by member name (files/<sha256>.pdf), read when written (issue 12
    item 7: a year's PDFs are never all in memory at once)."""
    records: list[dict[str, Any]] = []
    files: dict[str, Source] = {}
    for part in chunks(ids):
        rows = session.execute(
            select(Document, Matter.uuid).outerjoin(Matter, Matter.id == Document.matter_id)
            .where(Document.id.in_(part)).order_by(Document.id)).all()
        kept = dict(session.execute(select(DocumentFile.document_id, DocumentFile.sha256)
                                    .where(DocumentFile.document_id.in_(part))).all())
        for d, mu in rows:
            sha = kept.get(d.id)
            member = f"files/{d.pdf_sha256}.pdf" if sha is not None and d.pdf_sha256 else None
            if member is not None and sha is not None and member not in files:
                files[member] = stored(session, sha, f"文书“{d.number or d.title}”")
            records.append({
                "uuid": d.uuid, "version": d.version, "matter_uuid": mu, "form_id": d.form_id, "status": d.status,
                "title": d.title, "number": d.number, "year": d.year, "seq": d.seq, "issue_date": iso(d.issue_date),
                "issued_at": iso(d.issued_at), "signed_by": d.signed_by, "void_reason": d.void_reason,
                "served_on": iso(d.served_on), "service_method": d.service_method, "in_reply_to": d.in_reply_to,
                "pdf": member, "pdf_sha256": d.pdf_sha256,
            })
    return records, files


def obligation_ids(session: Session, recipient: str, acked_seq: int) -> list[int]:
    acked = acked_versions(session, recipient, acked_seq, "obligation")
    return changed(session.execute(select(Obligation.id, Obligation.uuid, Obligation.version)), acked)


def obligation_records(session: Session, ids: Sequence[int]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in chunks(ids):
        for o, mu in session.execute(select(Obligation, Matter.uuid).outerjoin(Matter, Matter.id == Obligation.matter_id)
                                     .where(Obligation.id.in_(part)).order_by(Obligation.id)):
            out.append({"uuid": o.uuid, "version": o.version, "matter_uuid": mu, "kind": o.kind, "title": o.title,
                        "trigger_on": iso(o.trigger_on), "due_on": iso(o.due_on), "provisional": o.provisional,
                        "state": o.state, "met_on": iso(o.met_on)})
    return out


def attachment_records(session: Session, above_id: int) -> tuple[list[dict[str, Any]], dict[str, Source], int]:
    rows = session.execute(
        select(Attachment, Matter.uuid, Document.uuid).outerjoin(Matter, Matter.id == Attachment.matter_id)
        .outerjoin(Document, Document.id == Attachment.document_id)
        .where(Attachment.id > above_id, func.coalesce(Matter.office_code, "") == "").order_by(Attachment.id)).all()
    records, files = [], {}
    for a, mu, du in rows:
        member = f"files/{a.sha256}.bin"
        if member not in files:
            files[member] = stored(session, a.sha256, f"附件“{a.file_name}”")
        records.append({"uuid": a.uuid, "matter_uuid": mu, "document_uuid": du, "file_name": a.file_name,
                        "sha256": a.sha256, "size": a.size, "file": member, "added_by": a.added_by,
                        "added_at": iso(a.added_at)})
    return records, files, max([above_id] + [a.id for a, _, _ in rows])
