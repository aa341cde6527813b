"""S-2 export: the office's data packet to the bureau, and the bureau's return packet to an office (S-5).

One transaction allocates the sequence number, records what went out and keeps the packet's bytes; the file is
written to a temporary name, flushed to disk and read back and verified before that transaction commits, and
renamed into place after it. A failure anywhere leaves no used number and no file under the final name; a
packet lost on the way is written again byte for byte from what was kept (``rewrite_packet``).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Generator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..domain.errors import EnvironmentProblem, NotFound, ValidationError
from ..domain.permissions import Permission, require
from ..storage import blobs
from ..storage.models import CalendarDay, CalendarYear, PacketIn, PacketOut, PacketRecord, Peer
from ..storage.uow import Database, begin_write
from ..sync import keys as keymat
from ..sync import packet
from ..sync.errors import KeyProblem
from . import audit
from . import packet_records as rec
from .audit import Actor
from .documents import REPLY_TO
from .exchange_keys import ensure_own_keys, private_keys, profile_of
from .rosters import roster_records

Progress = Generator[tuple[int, int], None, "ExportResult"]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    file_name: str
    recipient: str
    seq: int
    size: int
    counts: dict[str, int]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _json(records: Any) -> bytes:
    return json.dumps(records, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _peer(session: Session, kind: str, code: str | None = None) -> Peer:
    query = select(Peer).where(Peer.kind == kind, Peer.active.is_(True))
    if code is not None:
        query = query.where(Peer.code == code)
    peer = session.scalar(query.order_by(Peer.id))
    if peer is None:
        if kind == "bureau":
            raise KeyProblem("尚未绑定司法局的公钥，不能导出数据包。请在“报送与同步”中导入司法局的公钥文件并核对指纹。")
        raise NotFound(f"机构代码“{code}”未登记。请先登记该司法所的公钥。")
    return peer


def export_data_packet(db: Database, actor: Actor, out_dir: Path, today: date) -> Progress:
    """导出数据包 (office): everything changed since the packet the bureau last acknowledged."""
    require(actor.role, Permission.MATTER_WORK)
    with db.uow() as session:
        begin_write(session)
        if profile_of(session).mode != "office":
            raise ValidationError("司法局端不导出数据包，请为各司法所导出回执数据包。")
        peer = _peer(session, "bureau")
        acked = peer.acked_seq
        yield 0, 6
        matter_ids = rec.office_matter_ids(session, peer.code, acked)
        matters = rec.matter_records(session, matter_ids)
        yield 1, 6
        events_above, attachments_above = rec.acked_upto(session, peer.code, acked)
        events, events_upto = rec.event_records(session, events_above)
        yield 2, 6
        documents, files = rec.document_records(session, rec.document_ids(session, peer.code, acked))
        yield 3, 6
        obligations = rec.obligation_records(session, rec.obligation_ids(session, peer.code, acked))
        atts, att_files, attachments_upto = rec.attachment_records(session, attachments_above)
        files.update(att_files)
        yield 4, 6
        ack = {"last_seq": peer.in_seq, "last_hash": peer.in_hash}  # the return packets imported here
        members = [("records/ack.json", _json(ack)),
                   ("records/matters.json", _json(matters)), ("records/events.json", _json(events)),
                   ("records/documents.json", _json(documents)), ("records/obligations.json", _json(obligations)),
                   ("records/attachments.json", _json(atts)),
                   # Issue 12: the office's own units whole (a few dozen), so a rename or retirement reaches the
                   # bureau's roster for this township with the next packet.
                   ("records/units.json", _json(roster_records(session, "")))]
        counts = {"matters": len(matters), "events": len(events), "documents": len(documents),
                  "obligations": len(obligations), "attachments": len(atts), "files": len(files)}
        marks = ([("matter", r["uuid"], r["version"]) for r in matters]
                 + [("document", r["uuid"], r["version"]) for r in documents]
                 + [("obligation", r["uuid"], r["version"]) for r in obligations])
        result = yield from _finish(session, actor, peer, "data", members, files, counts, marks, out_dir, today,
                                    events_upto, attachments_upto)
        return result


def export_return_packet(db: Database, actor: Actor, office_code: str, out_dir: Path, today: date) -> Progress:
    """回执数据包 (bureau → one office): acknowledgement, replies and notices with their PDFs, holiday arrangements
    and the office's roster of supervised units."""
    require(actor.role, Permission.MATTER_WORK)
    with db.uow() as session:
        begin_write(session)
        if profile_of(session).mode != "bureau":
            raise ValidationError("只有司法局端可以导出回执数据包。")
        peer = _peer(session, "office", office_code)
        yield 0, 3
        rejected = [{"seq": s, "reason": r} for s, r in session.execute(
            select(PacketIn.seq, PacketIn.reason).where(PacketIn.sender == peer.code, PacketIn.seq.is_not(None),
                                                        PacketIn.seq > peer.in_seq,
                                                        PacketIn.status.in_(("rejected", "alarm")))
            .order_by(PacketIn.seq))]
        ack = {"last_seq": peer.in_seq, "last_hash": peer.in_hash, "rejected": rejected}
        ids = rec.document_ids(session, peer.code, peer.acked_seq, forms=sorted(REPLY_TO), matter_office=peer.code)
        documents, files = rec.document_records(session, ids)
        yield 1, 3
        calendar = calendar_records(session, today)
        units = roster_records(session, peer.code)
        members = [("records/ack.json", _json(ack)), ("records/documents.json", _json(documents)),
                   ("records/calendar.json", _json(calendar)), ("records/units.json", _json(units))]
        counts = {"documents": len(documents), "calendar_years": len(calendar), "units": len(units),
                  "files": len(files), "acknowledged": peer.in_seq}
        marks = [("document", r["uuid"], r["version"]) for r in documents]
        result = yield from _finish(session, actor, peer, "return", members, files, counts, marks, out_dir, today,
                                    0, 0)
        return result


def calendar_records(session: Session, today: date) -> list[dict[str, Any]]:
    """T-4: the holiday arrangements the bureau confirmed from State Council notices, this year and later."""
    out = []
    for year in session.scalars(select(CalendarYear).where(CalendarYear.source == "notice",
                                                           CalendarYear.year >= today.year)
                                .order_by(CalendarYear.year)):
        days = session.scalars(select(CalendarDay).where(
            CalendarDay.day.between(date(year.year, 1, 1), date(year.year, 12, 31)),
            CalendarDay.source == "notice").order_by(CalendarDay.day))
        out.append({"year": year.year, "detail": year.detail,
                    "days": [{"day": d.day.isoformat(), "is_workday": d.is_workday, "note": d.note} for d in days]})
    return out


def _finish(session: Session, actor: Actor, peer: Peer, kind: str, members: list[tuple[str, bytes]],
            files: dict[str, bytes], counts: dict[str, int], marks: list[tuple[str, str, int]], out_dir: Path,
            today: date, events_upto: int, attachments_upto: int) -> Progress:
    profile = profile_of(session)
    pair = ensure_own_keys(session)
    private = private_keys(pair)
    recipient_key = next((k for k in reversed(peer.keys) if k.status == "active"), None)
    if recipient_key is None:
        raise KeyProblem(f"“{peer.name}”没有可用的公钥，请重新登记。")
    seq = peer.out_seq + 1
    previous = session.scalar(select(PacketOut.created_at).where(PacketOut.recipient == peer.code)
                              .order_by(PacketOut.seq.desc()).limit(1))
    period = {"from": (previous.date() if previous else profile.created_at.date()).isoformat(),
              "to": today.isoformat()}
    inner = [(name, data, True) for name, data in members] + [(n, files[n], False) for n in sorted(files)]
    sealed = packet.seal(
        kind=kind, sender=packet.Party(profile.code, profile.name, pair.fingerprint),
        recipient=packet.Party(peer.code, peer.name, recipient_key.fingerprint),
        recipient_box=recipient_key.box_public, seq=seq, prev=peer.out_hash or packet.GENESIS,
        created=_now().isoformat(), period=period, counts=counts, members=inner, sign=private.sign.sign)
    yield 5, 6
    # A return packet names its office too: the bureau writes one per township into the same folder.
    name = packet.file_name(profile.code if kind == "data" else f"{profile.code}-{peer.code}", seq)
    row = PacketOut(recipient=peer.code, seq=seq, kind=kind, file_name=name, manifest_sha256=sealed.manifest_sha256,
                    prev_sha256=peer.out_hash or packet.GENESIS, size=len(sealed.data), counts=counts,
                    events_upto=events_upto, attachments_upto=attachments_upto,
                    data_sha256=blobs.put(session, sealed.data),
                    created_at=_now(), created_by=actor.name)
    session.add(row)
    session.flush()
    for part in rec.chunks(marks, 5000):
        session.execute(insert(PacketRecord), [{"packet_id": row.id, "kind": k, "uuid": u, "version": v}
                                               for k, u, v in part])
    peer.out_seq, peer.out_hash = seq, sealed.manifest_sha256
    audit.append(session, actor, "packet.export", "packet", name,
                 {"recipient": peer.code, "seq": seq, "sha256": sealed.manifest_sha256, "counts": counts})
    if not keymat.verify(pair.sign_public, sealed.signature, sealed.manifest_bytes):
        raise EnvironmentProblem("数据包签名自检失败：本机私钥与登记的公钥不一致，请检查密钥（check）。")
    tmp = _write_temp(out_dir, name, sealed.data)
    try:
        _read_back(tmp, sealed.data)
        session.commit()  # the number is used only once the file is safely on the medium
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    final = out_dir / name
    _place(tmp, final)  # no yield after the commit: a cancel from here on would wrongly say nothing was made
    return ExportResult(final, name, peer.code, seq, len(sealed.data), counts)


def _write_temp(out_dir: Path, name: str, data: bytes) -> Path:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".part")
        os.chmod(tmp_name, 0o644)  # an ordinary file for whoever copies it on, not mkstemp's private 0600
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        raise EnvironmentProblem(f"无法在“{out_dir}”写入数据包（{exc.strerror or exc}）。请检查U盘是否已插好、"
                                 "是否写保护或空间已满，然后重试。") from None
    return Path(tmp_name)


def _read_back(path: Path, expected: bytes) -> None:
    """Read the file back from the medium (S-2): byte for byte what was made, or the USB stick is suspect."""
    try:
        written = path.read_bytes()
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise EnvironmentProblem(f"写入后无法读回数据包（{exc.strerror or exc}），U盘可能有故障，请换一个再试。") from None
    if written != expected:
        path.unlink(missing_ok=True)
        raise EnvironmentProblem("写入U盘的数据包与生成的内容不一致，U盘可能有故障，请换一个再试。")


def _place(tmp: Path, final: Path) -> None:
    try:
        os.replace(tmp, final)
        if hasattr(os, "O_DIRECTORY"):
            fd = os.open(final.parent, os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    except OSError as exc:
        raise EnvironmentProblem(f"数据包已生成并登记，但无法改名为“{final.name}”（{exc.strerror or exc}）。"
                                 "请在“报送与同步”中用“重新写出”再写一次。") from None


def rewrite_packet(db: Database, recipient: str, seq: int, out_dir: Path) -> Path:
    """Write a packet made earlier again, byte for byte (the USB stick was lost)."""
    with db.uow() as session:
        row = session.scalar(select(PacketOut).where(PacketOut.recipient == recipient, PacketOut.seq == seq))
        if row is None:
            raise NotFound(f"没有发给“{recipient}”的第 {seq} 号数据包。")
        if row.data_sha256 is None:
            raise NotFound(f"第 {seq} 号数据包对方已确认收到，无需重新写出；如需补发内容，直接导出新的数据包即可。")
        data, name = blobs.get(session, row.data_sha256, f"第 {seq} 号数据包"), row.file_name
    tmp = _write_temp(out_dir, name, data)
    _read_back(tmp, data)
    final = out_dir / name
    _place(tmp, final)
    return final


@dataclass(frozen=True)
class SentPacket:
    recipient: str
    seq: int
    kind: str
    file_name: str
    size: int
    counts: dict[str, int]
    created_at: datetime
    created_by: str
    acknowledged: bool


def sent_packets(db: Database, limit: int = 500) -> list[SentPacket]:
    with db.uow() as session:
        acked = dict(session.execute(select(Peer.code, Peer.acked_seq)).all())
        rows = session.execute(select(PacketOut.recipient, PacketOut.seq, PacketOut.kind, PacketOut.file_name,
                                      PacketOut.size, PacketOut.counts, PacketOut.created_at, PacketOut.created_by)
                               .order_by(PacketOut.id.desc()).limit(limit)).all()
        return [SentPacket(r, s, k, f, z, dict(c), at, by, s <= acked.get(r, 0)) for r, s, k, f, z, c, at, by in rows]
