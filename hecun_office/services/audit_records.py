"""Issue 15 item 8: ``check`` holds the records against the audit chain, end to end.

The chain (services/audit.py) is intact when each entry hashes its predecessor; that alone says nothing about the
rows it speaks of. Here every timeline entry and every issued document of this database's own work must have
its record in the chain with the same content hash; a record whose entry or document is gone means a deletion;
a matter's status is what its last timeline entry moved it to. And since a chain rewritten consistently from
some entry on verifies again, the heads this database handed to the bureau (packets_out) and the one the bureau
acknowledged (peers) must still be in it: the entry at that id with that hash.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..storage.models import Document, DocumentFile, Matter, MatterEvent, PacketOut, Peer
from .audit import Walk, document_hash, document_key, event_hash, event_key, hash_at, walk

_SHOWN = 3  # problems named in the check's one line; the count says how many more


@dataclass
class Findings:
    walked: Walk
    events: int = 0
    documents: int = 0
    problems: list[str] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)  # heads found no longer in the chain

    def summary(self, what: list[str]) -> str:
        shown = "；".join(what[:_SHOWN])
        return shown + (f"；等共 {len(what)} 处" if len(what) > _SHOWN else "")


def examine(session: Session) -> Findings:
    walked = walk(session)
    found = Findings(walked)
    if walked.problem is not None:
        return found  # records of a broken chain prove nothing; the chain's own message says it all
    recorded = dict(walked.records or {})
    _events(session, recorded, found)
    _documents(session, recorded, found)
    gone_events = sum(1 for key in recorded if key.startswith("event:"))
    gone_docs = sum(1 for key in recorded if key.startswith("document:"))
    if gone_events:
        found.problems.append(f"{gone_events} 条时间线记录已从数据库中删除")
    if gone_docs:
        found.problems.append(f"{gone_docs} 份已签发文书已从数据库中删除")
    _heads(session, found)
    return found


def _events(session: Session, recorded: dict[str, str], found: Findings) -> None:
    rows = session.execute(
        select(MatterEvent.uuid, Matter.uuid, MatterEvent.action, MatterEvent.on_date, MatterEvent.from_status,
               MatterEvent.to_status, MatterEvent.actor, MatterEvent.reason, MatterEvent.data, Matter.id,
               Matter.reg_no, Matter.status)
        .join(Matter, Matter.id == MatterEvent.matter_id).where(Matter.office_code == "")
        .order_by(MatterEvent.matter_id, MatterEvent.id)).yield_per(5000)
    changed: list[str] = []
    unrecorded: list[str] = []
    last: tuple[int, str, str, str] | None = None  # matter id, reg_no, status, last event's to_status

    def status_of(last: tuple[int, str, str, str] | None) -> None:
        if last is not None and last[2] != last[3]:
            found.problems.append(f"事项 {last[1]} 的状态与其时间线不符（被直接改动）")

    for row in rows:
        found.events += 1
        content = row[:9]
        kept = recorded.pop(event_key(row[0]), None)
        if kept is None:
            unrecorded.append(row[10])
        elif kept != event_hash(*content):
            changed.append(row[10])
        if last is not None and last[0] != row[9]:
            status_of(last)
        last = (row[9], row[10], row[11], row[5])
    status_of(last)
    if changed:
        found.problems.append(f"{len(changed)} 条时间线记录被改动（事项 {'、'.join(sorted(set(changed))[:_SHOWN])}）")
    if unrecorded:
        found.problems.append(f"{len(unrecorded)} 条时间线记录没有审计记录（事项 "
                              f"{'、'.join(sorted(set(unrecorded))[:_SHOWN])}）：绕过本程序写入，或其审计记录被删除")


def _documents(session: Session, recorded: dict[str, str], found: Findings) -> None:
    rows = session.execute(
        select(Document.uuid, Document.number, DocumentFile.sha256, Document.pdf_sha256, Document.title)
        .join(DocumentFile, DocumentFile.document_id == Document.id).where(Document.office_code == "")
        .order_by(Document.id))
    for uuid, number, sha, pdf_sha, title in rows:
        found.documents += 1
        kept = recorded.pop(document_key(uuid), None)
        name = number or title
        if kept is None:
            found.problems.append(f"文书“{name}”没有审计记录")
        elif kept != document_hash(uuid, number, sha) or (pdf_sha is not None and pdf_sha != sha):
            found.problems.append(f"文书“{name}”的文号或 PDF 与签发时不符")


def _heads(session: Session, found: Findings) -> None:
    """The heads that left this database: each must still be the entry at its id."""
    heads: dict[tuple[int | None, str | None], list[str]] = {}  # the columns are NULL only before 0008
    for seq, h, n in session.execute(select(PacketOut.audit_seq, PacketOut.audit_hash, PacketOut.seq)
                                     .where(PacketOut.audit_seq.is_not(None)).order_by(PacketOut.seq)):
        heads.setdefault((seq, h), []).append(f"第 {n} 号数据包所附")
    for seq, h, name in session.execute(select(Peer.audit_seq, Peer.audit_hash, Peer.name)
                                        .where(Peer.kind == "bureau", Peer.audit_seq.is_not(None))):
        heads.setdefault((seq, h), []).append(f"{name}已确认")
    for (seq, expected), where in sorted(heads.items(), key=lambda item: item[0][0] or 0):
        if seq is not None and hash_at(session, seq) != expected:
            found.heads.append(f"第 {seq} 条（{'、'.join(where)}）")
