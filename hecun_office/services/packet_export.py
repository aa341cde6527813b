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
from dataclasses import dataclass, replace
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
from ..sync.errors import KeyProblem, PacketRejected
from . import audit, packet_supervision
from . import packet_records as rec
from .audit import Actor
from .audit_heads import acknowledged_head, manifest_head
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
    # An export larger than PART_BYTES went out as consecutive packets (issue 12 item 7): each of them, in order;
    # then path/file_name/seq are the first one's and size/counts the whole export's.
    parts: tuple[ExportResult, ...] = ()

    def each(self) -> tuple[ExportResult, ...]:
        return self.parts or (self,)


# A packet's member bytes at most (before encryption): a larger export is split into consecutive packets, so the
# memory an export needs stays about twice this whatever the history (a township's first export after years of
# work), and each file fits a FAT32 USB stick and an e-mail gateway's limit comfortably.
PART_BYTES = 256 * 1024 * 1024


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
        # Issue 12: the office's own units whole (a few dozen), so a rename or retirement reaches the bureau's
        # roster for this township with the next packet.
        units = roster_records(session, "")
        records = {"matters": matters, "events": events, "documents": documents, "obligations": obligations,
                   "attachments": atts}
        # Issue 16: supervisors, meetings, review batches and certificate holders, with the last part (they name
        # matters, which the earlier parts carry).
        work = packet_supervision.export_records(session, peer.code, acked)
        groups = _split(records, files, _member_sizes(session, documents, atts))
        parts = []
        for n, group in enumerate(groups):
            last = n == len(groups) - 1
            part_files = {name: files[name] for name in group["files"]}
            members = [("records/ack.json", _json(ack))] + [
                (f"records/{kind}.json", _json(group[kind])) for kind in _KINDS] + [
                ("records/units.json", _json(units))]
            counts = {kind: len(group[kind]) for kind in _KINDS} | {"files": len(part_files)}
            marks = ([("matter", r["uuid"], r["version"]) for r in group["matters"]]
                     + [("document", r["uuid"], r["version"]) for r in group["documents"]]
                     + [("obligation", r["uuid"], r["version"]) for r in group["obligations"]])
            if last:
                members += [(name, _json(rows)) for name, rows in packet_supervision.members(work)]
                counts |= {kind: len(rows) for kind, rows in work.items()}
                marks += packet_supervision.marks(work)
            # Only the last part moves the "sent up to" marks of events and attachments: if the bureau confirms
            # only the first parts, the next export sends those of the later parts again (harmless duplicates)
            # rather than skipping them.
            parts.append(_Part(members, part_files, counts, marks, events_upto if last else events_above,
                               attachments_upto if last else attachments_above))
        result = yield from _finish(session, actor, peer, "data", parts, out_dir, today)
        return result


_KINDS = ("matters", "events", "documents", "obligations", "attachments")


@dataclass
class _Part:
    members: list[tuple[str, bytes]]
    files: dict[str, rec.Source]
    counts: dict[str, int]
    marks: list[tuple[str, str, int]]
    events_upto: int
    attachments_upto: int


def _member_sizes(session: Session, documents: list[dict[str, Any]], atts: list[dict[str, Any]]) -> dict[str, int]:
    """Member name -> bytes, from the content store (a stat per file, not a read)."""
    named = {d["pdf"]: d["pdf_sha256"] for d in documents if d["pdf"]} | {a["file"]: a["sha256"] for a in atts}
    sizes = blobs.of(session).sizes(session, sorted(set(named.values())))
    return {member: sizes.get(sha, 0) for member, sha in named.items()}


def _split(records: dict[str, list[dict[str, Any]]], files: dict[str, rec.Source],
           sizes: dict[str, int]) -> list[dict[str, Any]]:
    """The records and files of one export in consecutive groups of at most PART_BYTES of files each (one group
    when it all fits: the usual case). A matter's records and files stay together, matters in their order; a
    group follows the ones before it, so at the bureau a document always finds its matter already applied.
    Records of no matter go with the last group. One matter larger than the limit is a group of its own."""
    by_matter: dict[str | None, dict[str, Any]] = {}
    order: list[str | None] = []

    def bucket(key: str | None) -> dict[str, Any]:
        if key not in by_matter:
            by_matter[key] = {kind: [] for kind in _KINDS} | {"files": [], "bytes": 0}
            order.append(key)
        return by_matter[key]

    for r in records["matters"]:
        bucket(r["uuid"])["matters"].append(r)
    for kind in ("events", "documents", "obligations", "attachments"):
        for r in records[kind]:
            b = bucket(r.get("matter_uuid"))
            b[kind].append(r)
            member = r.get("pdf") if kind == "documents" else r.get("file") if kind == "attachments" else None
            if member and member in files and member not in b["files"]:
                b["files"].append(member)
                b["bytes"] += sizes.get(member, 0)
    if None in by_matter:  # no matter: last
        order.remove(None)
        order.append(None)
    groups: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    seen: set[str] = set()
    for key in order:
        b = by_matter[key]
        if current is None or (current["bytes"] and current["bytes"] + b["bytes"] > PART_BYTES):
            current = {kind: [] for kind in _KINDS} | {"files": [], "bytes": 0}
            groups.append(current)
        for kind in _KINDS:
            current[kind].extend(b[kind])
        for member in b["files"]:
            if member not in seen:  # the same bytes named twice travel once
                seen.add(member)
                current["files"].append(member)
                current["bytes"] += sizes.get(member, 0)
    return groups or [{kind: [] for kind in _KINDS} | {"files": [], "bytes": 0}]


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
        if (kept := acknowledged_head(peer)) is not None:
            ack["audit"] = kept  # issue 15 item 8: the office's audit chain head as this bureau holds it
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
        result = yield from _finish(session, actor, peer, "return", [_Part(members, files, counts, marks, 0, 0)],
                                    out_dir, today)
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


def _finish(session: Session, actor: Actor, peer: Peer, kind: str, parts: list[_Part], out_dir: Path,
            today: date) -> Progress:
    """Seal each part into a temporary file on the medium, read it back and check it as the recipient would, keep
    it in the content store (for a rewrite), record it; commit once every part is safely written, then give the
    files their names. A failure anywhere leaves no number used and no file under a final name."""
    profile = profile_of(session)
    pair = ensure_own_keys(session)
    private = private_keys(pair)
    recipient_key = next((k for k in reversed(peer.keys) if k.status == "active"), None)
    if recipient_key is None:
        raise KeyProblem(f"“{peer.name}”没有可用的公钥，请重新登记。")
    previous = session.scalar(select(PacketOut.created_at).where(PacketOut.recipient == peer.code)
                              .order_by(PacketOut.seq.desc()).limit(1))
    period = {"from": (previous.date() if previous else profile.created_at.date()).isoformat(),
              "to": today.isoformat()}
    own = packet.VerifyKey(profile.code, pair.fingerprint, pair.sign_public)
    made: list[tuple[Path, ExportResult]] = []
    kept: list[str] = []  # the parts' copies in the content store, given back if the export does not complete
    try:
        for part in parts:
            seq = peer.out_seq + 1
            # A return packet names its office too: the bureau writes one per township into the same folder.
            name = packet.file_name(profile.code if kind == "data" else f"{profile.code}-{peer.code}", seq)
            inner = [(n, data, True) for n, data in part.members] + [(n, part.files[n], False)
                                                                    for n in sorted(part.files)]
            head = manifest_head(session, peer.code)
            fd, tmp = _open_temp(out_dir, name)
            made.append((tmp, ExportResult(out_dir / name, name, peer.code, seq, 0, part.counts)))
            try:
                with os.fdopen(fd, "wb") as out:
                    sealed = packet.seal(
                        kind=kind, sender=packet.Party(profile.code, profile.name, pair.fingerprint),
                        recipient=packet.Party(peer.code, peer.name, recipient_key.fingerprint),
                        recipient_box=recipient_key.box_public, seq=seq, prev=peer.out_hash or packet.GENESIS,
                        created=_now().isoformat(), period=period, counts=part.counts, members=inner,
                        sign=private.sign.sign, out=out, audit=head)
                    out.flush()
                    os.fsync(out.fileno())
            except OSError as exc:
                raise _medium_problem(out_dir, exc) from None
            if not keymat.verify(pair.sign_public, sealed.signature, sealed.manifest_bytes):
                raise EnvironmentProblem("数据包签名自检失败：本机私钥与登记的公钥不一致，请检查密钥（check）。")
            written = _read_back(tmp, own, sealed.manifest_sha256)
            yield 5, 6
            row = PacketOut(recipient=peer.code, seq=seq, kind=kind, file_name=name,
                            manifest_sha256=sealed.manifest_sha256, prev_sha256=peer.out_hash or packet.GENESIS,
                            size=len(written), counts=part.counts, events_upto=part.events_upto,
                            attachments_upto=part.attachments_upto, data_sha256=blobs.put(session, written),
                            created_at=_now(), created_by=actor.name,
                            audit_seq=head["seq"] if head else None, audit_hash=head["hash"] if head else None)
            kept.append(row.data_sha256 or "")
            del written
            session.add(row)
            session.flush()
            for chunk in rec.chunks(part.marks, 5000):
                session.execute(insert(PacketRecord), [{"packet_id": row.id, "kind": k, "uuid": u, "version": v}
                                                       for k, u, v in chunk])
            peer.out_seq, peer.out_hash = seq, sealed.manifest_sha256
            made[-1] = (tmp, replace(made[-1][1], size=row.size))
            audit.append(session, actor, "packet.export", "packet", name,
                         {"recipient": peer.code, "seq": seq, "sha256": sealed.manifest_sha256,
                          "counts": part.counts})
        session.commit()  # the numbers are used only once every file is safely on the medium
    except BaseException:
        for tmp, _result in made:
            tmp.unlink(missing_ok=True)
        blobs.of(session).abandon(session, kept)  # a packet's bytes are its own: nothing else names them
        raise
    for tmp, result in made:
        _place(tmp, result.path)  # no yield after the commit: a cancel from here on would wrongly say nothing was made
    results = tuple(r for _tmp, r in made)
    if len(results) == 1:
        return results[0]
    totals: dict[str, int] = {}
    for r in results:
        for key, n in r.counts.items():
            totals[key] = totals.get(key, 0) + n
    first = results[0]
    return replace(first, size=sum(r.size for r in results), counts=totals, parts=results)


def _open_temp(out_dir: Path, name: str) -> tuple[int, Path]:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".part")
        os.chmod(tmp_name, 0o644)  # an ordinary file for whoever copies it on, not mkstemp's private 0600
    except OSError as exc:
        raise _medium_problem(out_dir, exc) from None
    return fd, Path(tmp_name)


def _medium_problem(out_dir: Path, exc: OSError) -> EnvironmentProblem:
    return EnvironmentProblem(f"无法在“{out_dir}”写入数据包（{exc.strerror or exc}）。请检查U盘是否已插好、"
                              "是否写保护或空间已满，然后重试。")


def _write_temp(out_dir: Path, name: str, data: bytes) -> Path:
    fd, tmp = _open_temp(out_dir, name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _medium_problem(out_dir, exc) from None
    return tmp


def _read_back(path: Path, own: packet.VerifyKey, manifest_sha: str) -> bytes:
    """Read the file back from the medium (S-2) and check it as the recipient will: container, signature and
    payload hash against the manifest just signed. Any byte the USB stick changed fails one of them."""
    try:
        written = path.read_bytes()
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise EnvironmentProblem(f"写入后无法读回数据包（{exc.strerror or exc}），U盘可能有故障，请换一个再试。") from None
    try:
        envelope = packet.open_envelope(written, [own], keymat.verify)
    except PacketRejected:
        envelope = None
    if envelope is None or envelope.manifest_sha256 != manifest_sha:
        path.unlink(missing_ok=True)
        raise EnvironmentProblem("写入U盘的数据包与生成的内容不一致，U盘可能有故障，请换一个再试。")
    return written


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
    try:
        same = tmp.read_bytes() == data
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EnvironmentProblem(f"写入后无法读回数据包（{exc.strerror or exc}），U盘可能有故障，请换一个再试。") from None
    if not same:
        tmp.unlink(missing_ok=True)
        raise EnvironmentProblem("写入U盘的数据包与保存的内容不一致，U盘可能有故障，请换一个再试。")
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
