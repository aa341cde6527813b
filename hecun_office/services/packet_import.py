"""S-3 import: verify, sequence, apply in one transaction — or park, or refuse with a plain reason.

Order of checks: the container and the signature (against keys pinned at enrolment) before the manifest is
parsed; then the packet kind and sender; the sequence number (already imported = nothing to do; the same number
with other content = alarm; a gap = parked until the missing packet arrives); the payload is decrypted and every
member checked against the signed manifest; only then is anything written, all in one transaction. A refused
packet leaves nothing behind but a line in the import history and a copy in the quarantine folder.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import paths
from ..domain.errors import EnvironmentProblem, HecunError
from ..domain.permissions import Permission, require
from ..domain.vocab import Labelled
from ..files import write_atomically
from ..storage import blobs
from ..storage.models import PacketIn, Peer
from ..storage.uow import Database, begin_write
from ..sync import keys as keymat
from ..sync import packet
from ..sync.errors import PacketRejected
from ..sync.packet_file import NotAPacket, NotAPacketFile, check_regular, read_packet_file
from . import audit
from .audit import Actor
from .audit_heads import check_office_head
from .backups import backup_before_import
from .exchange_keys import own_box_keys, profile_of, verify_keys
from .packet_apply import Applied, apply_office_packet, apply_return_packet

log = logging.getLogger(__name__)
MAX_FILE = packet.MAX_PACKET


class ImportStatus(Labelled):
    IMPORTED = "imported", "已导入"
    DUPLICATE = "duplicate", "已导入过（未重复导入）"
    PARKED = "parked", "暂存，等待缺少的数据包"
    REJECTED = "rejected", "拒收"
    ALARM = "alarm", "拒收并告警"
    VALID = "valid", "校验通过"  # packet verify only: an import would apply it


EXIT_CODES = {ImportStatus.IMPORTED: 0, ImportStatus.DUPLICATE: 0, ImportStatus.VALID: 0, ImportStatus.PARKED: 3,
              ImportStatus.REJECTED: 2, ImportStatus.ALARM: 2}


@dataclass(frozen=True)
class ImportOutcome:
    file_name: str
    status: ImportStatus
    sender: str | None = None
    sender_name: str | None = None
    seq: int | None = None
    reason: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    note_kinds: tuple[str, ...] = ()  # the kind of each note ("" for none), for grouping (services/import_report.py)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    @property
    def summary(self) -> str:
        who = f"{self.sender_name or self.sender or '未知发送方'}第 {self.seq} 号" if self.seq else self.file_name
        text = f"{who}：{self.status.label}"
        return f"{text}。{self.reason}" if self.reason else f"{text}。"


def worst_exit(outcomes: Sequence[ImportOutcome]) -> int:
    codes = [o.exit_code for o in outcomes]
    return 2 if 2 in codes else 3 if 3 in codes else 0


def quarantine_dir(db: Database) -> Path:
    return paths.quarantine_dir(db.file)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _quarantine(db: Database, name: str, data: bytes, reason: str, file_sha: str, head_only: bool = False) -> None:
    """Keep a copy of what was refused, with the reason beside it, for whoever investigates: once per content
    (a retry of the same file adds nothing), and of a file that is no packet only its first bytes (``data`` is
    then the head read_packet_file kept: a 2 GiB video was copied whole on every retry)."""
    try:
        folder = quarantine_dir(db)
        if any(folder.glob(f"*-{file_sha[:16]}-*")):
            return
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", Path(name).name)[:80] or "packet"
        stem = f"{datetime.now():%Y%m%d-%H%M%S}-{file_sha[:16]}-{safe}"
        if head_only:
            stem += ".head"
            reason += f"\n（此文件不是数据包，只保留了开头 {len(data)} 字节；文件 SHA-256：{file_sha}）"
        write_atomically(folder / stem, data)
        write_atomically(folder / f"{stem}.reason.txt", (reason + "\n").encode("utf-8"))
    except (OSError, EnvironmentProblem):
        log.exception("could not write a refused packet to quarantine")


def _hint(name: str) -> str | None:
    match = re.match(r"([a-z0-9][a-z0-9-]*)-\d+\.hcpkt$", Path(name).name)
    return match.group(1) if match else None


def not_a_file(path: Path) -> ImportOutcome | None:
    """A folder, FIFO, device or socket offered as a packet, as a refused outcome (nothing recorded: there is no
    content to name); None for a regular file. The window lists it beside the others; import_packets raises."""
    try:
        check_regular(path)
    except NotAPacketFile as exc:
        return ImportOutcome(path.name, ImportStatus.REJECTED, reason=exc.message)
    return None


class _Stop(Exception):
    """Ends one packet's transaction early with an outcome to record (duplicate, parked, alarm)."""

    def __init__(self, outcome: ImportOutcome) -> None:
        super().__init__(outcome.reason)
        self.outcome = outcome


def _record(session: Session, actor: Actor, name: str, data: bytes, outcome: ImportOutcome,
            manifest_sha: str | None = None, keep: bool = False, file_sha: str | None = None) -> None:
    file_sha = file_sha or hashlib.sha256(data).hexdigest()
    session.add(PacketIn(file_name=name[:255], file_sha256=file_sha, sender=outcome.sender,
                         seq=outcome.seq, manifest_sha256=manifest_sha, status=outcome.status.value,
                         reason=outcome.reason, counts=outcome.counts,
                         data_sha256=blobs.put(session, data) if keep else None,
                         received_at=_now(), received_by=actor.name))
    audit.append(session, actor, f"packet.{outcome.status.value}", "packet", name[:64],
                 {"sender": outcome.sender, "seq": outcome.seq, "reason": outcome.reason, "counts": outcome.counts})


class BatchBackup:
    """N-1's backup before an import, once per batch and only when a packet is about to be applied: called right
    before each apply, it backs up the first time (backups.backup_before_import, which also skips the copy when
    today's backup still holds the same data) and does nothing after. A batch of packets already imported, parked
    or refused makes no backup. Whoever imports a batch one file per call (the window) passes the same one to
    every call; on PostgreSQL there is no file to copy (the server's own tools back it up)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.done = False
        self.path: Path | None = None  # the backup holding the state before the batch's first apply

    def __call__(self) -> None:
        if not self.done:
            self.path = backup_before_import(self._db)
            self.done = True


def import_packets(db: Database, actor: Actor, files: Sequence[Path], today: date,
                   backup: bool | BatchBackup = True,
                   unreadable: Callable[[Path, EnvironmentProblem], None] | None = None,
                   after_each: Callable[[Path, list[ImportOutcome]], None] | None = None,
                   ) -> Generator[tuple[int, int], None, list[ImportOutcome]]:
    """导入数据包: each file in its own transaction; yields (done, total). Closing the generator between
    files (cancel) keeps the packets already imported and leaves the rest untouched. ``backup``: True backs up
    once, right before the first packet that will be applied (see BatchBackup). A file that cannot be read stops
    the run, unless ``unreadable`` takes it (the watched inbox: a file still being copied waits for the next
    check); ``after_each`` is told each file's outcomes once they are committed.

    Issue 12 (1,000 matters/s): while one packet is applied, the next one is read, hashed, its signature checked
    and its payload decrypted and checked on a second thread (hashing, decryption and file reads let go of
    Python's lock, so the two cores both work). Only what needs no database state is done ahead; every check of
    the sequence, and the apply, still happen here in file order."""
    require(actor.role, Permission.MATTER_WORK)
    for path in files:  # a FIFO would block the reading thread forever: every file is looked at before any opens
        check_regular(path)
    total = len(files)
    yield 0, total
    before_apply = backup if isinstance(backup, BatchBackup) else BatchBackup(db) if backup else None
    outcomes: list[ImportOutcome] = []
    with ThreadPoolExecutor(1, thread_name_prefix="hecun-packet-open") as ahead:
        keys = _Keys(db)
        coming = ahead.submit(_prepare, db, files[0], keys) if files else None
        try:
            for n, path in enumerate(files, start=1):
                assert coming is not None
                prepared = coming.result()
                coming = ahead.submit(_prepare, db, files[n], keys) if n < total else None
                try:
                    data = prepared.read()
                except NotAPacket as exc:  # no zip, or far too large: refused and recorded like any bad packet
                    mine = [_refuse(db, actor, path.name, exc.head, exc.message, None, None, file_sha=exc.sha256,
                                    head_only=True)]
                except EnvironmentProblem as exc:  # unreadable: the run stops, or the caller keeps it for later
                    if unreadable is None:
                        raise
                    unreadable(path, exc)
                    yield n, total
                    continue
                else:
                    mine = import_bytes(db, actor, path.name, data, today, before_apply, prepared)
                outcomes.extend(mine)
                if after_each is not None:
                    after_each(path, mine)
                yield n, total
        finally:
            if coming is not None:
                coming.cancel()
    return outcomes


class _Keys:
    """The keys a batch opens packets with, read once on the reading thread (importing changes none of them)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._loaded: tuple[list[Any], dict[str, Any]] | None = None

    def get(self) -> tuple[list[Any], dict[str, Any]]:
        if self._loaded is None:
            with self._db.uow() as session:
                self._loaded = verify_keys(session), own_box_keys(session)
        return self._loaded


@dataclass
class _Prepared:
    """One file as far as it can be taken without the database's state: its bytes and their SHA-256, the
    verified envelope and the opened payload — or the error each step met, raised where the import would have
    met it, so that the checks keep their order (a packet already imported is "already imported", not refused
    for a payload it would not have opened)."""

    data: bytes | None = None
    file_sha: str = ""
    read_error: HecunError | None = None
    envelope: packet.Envelope | None = None
    envelope_error: PacketRejected | None = None
    opened: packet.Opened | None = None
    payload_error: PacketRejected | None = None

    def read(self) -> bytes:
        if self.read_error is not None:
            raise self.read_error
        assert self.data is not None
        return self.data

    def open_envelope(self) -> packet.Envelope:
        if self.envelope_error is not None:
            raise self.envelope_error
        assert self.envelope is not None
        return self.envelope

    def open_payload(self) -> packet.Opened:
        if self.payload_error is not None:
            raise self.payload_error
        assert self.opened is not None
        return self.opened


_AHEAD_LIMIT = 256 * 1024 * 1024  # larger packets are opened when their turn comes: two in memory is enough


def _prepare(db: Database, path: Path, keys: _Keys) -> _Prepared:
    out = _Prepared()
    try:
        out.data = read_packet_file(path, MAX_FILE)
    except (PacketRejected, EnvironmentProblem) as exc:
        out.read_error = exc
        return out
    out.file_sha = hashlib.sha256(out.data).hexdigest()
    if len(out.data) > _AHEAD_LIMIT:
        return out
    with db.uow() as session:  # the very bytes imported before: nothing to open (a county re-import)
        if _replay(session, path.name, out.file_sha) is not None:
            return out
    verify, box = keys.get()
    try:
        out.envelope = packet.open_envelope(out.data, verify, keymat.verify, _hint(path.name))
    except PacketRejected as exc:
        out.envelope_error = exc
        return out
    try:
        out.opened = packet.open_payload(out.envelope, box)
    except PacketRejected as exc:
        out.payload_error = exc
    return out


def import_bytes(db: Database, actor: Actor, name: str, data: bytes, today: date,
                 before_apply: Callable[[], None] | None = None,
                 prepared: _Prepared | None = None) -> list[ImportOutcome]:
    """One packet, then any parked packets its arrival lets through, in order. ``before_apply`` runs after a
    packet has passed every check and before its transaction begins (the batch's backup)."""
    outcome, sender = _import_one(db, actor, name, data, today, before_apply=before_apply, prepared=prepared)
    outcomes = [outcome]
    while outcome.status == ImportStatus.IMPORTED and sender is not None:
        parked = _next_parked(db, sender)
        if parked is None:
            break
        row_id, parked_name, parked_data = parked
        outcome, sender = _import_one(db, actor, parked_name, parked_data, today, parked_id=row_id,
                                      before_apply=before_apply)
        outcomes.append(outcome)
    return outcomes


def _next_parked(db: Database, sender: str) -> tuple[int, str, bytes] | None:
    with db.uow() as session:
        in_seq = session.scalar(select(Peer.in_seq).where(Peer.code == sender))
        row = session.scalar(select(PacketIn).where(PacketIn.sender == sender, PacketIn.status == "parked",
                                                    PacketIn.seq == (in_seq or 0) + 1).order_by(PacketIn.id))
        if row is None:
            return None
        return row.id, row.file_name, blobs.get(session, row.data_sha256, f"暂存的数据包“{row.file_name}”") \
            if row.data_sha256 else b""


def _refuse(db: Database, actor: Actor, name: str, data: bytes, reason: str, sender: str | None, seq: int | None,
            status: ImportStatus = ImportStatus.REJECTED, manifest_sha: str | None = None,
            parked_id: int | None = None, file_sha: str | None = None, head_only: bool = False) -> ImportOutcome:
    """Record and quarantine a refusal. ``head_only``: ``data`` is the head of a file that is no packet, and
    ``file_sha`` the whole file's hash (packet_file.NotAPacket)."""
    file_sha = file_sha or hashlib.sha256(data).hexdigest()
    with db.uow() as session:
        # The summary names the sender as the clerk knows it (贺村司法所第 1 号), not by its code (issue 15 item 10).
        sender_name = session.scalar(select(Peer.name).where(Peer.code == sender)) if sender else None
        outcome = ImportOutcome(name, status, sender, sender_name or None, seq, reason)
        if parked_id is not None:
            row = session.get(PacketIn, parked_id)
            if row is not None:
                blobs.release(session, [row.data_sha256])
                row.status, row.reason, row.data_sha256 = status.value, reason, None
        _record(session, actor, name, data, outcome, manifest_sha, file_sha=file_sha)
    _quarantine(db, name, data, reason, file_sha, head_only)
    return outcome


def _import_one(db: Database, actor: Actor, name: str, data: bytes, today: date, parked_id: int | None = None,
                before_apply: Callable[[], None] | None = None,
                prepared: _Prepared | None = None) -> tuple[ImportOutcome, str | None]:
    sender: str | None = None
    seq: int | None = None
    manifest_sha: str | None = None
    if prepared is None or prepared.file_sha == "":
        prepared = _Prepared(data, hashlib.sha256(data).hexdigest())
    file_sha = prepared.file_sha
    try:
        # Every check first, reading only: a packet already imported, parked or refused is settled before anything
        # is backed up or the write lock taken (issue 12: re-importing a county's packets backed up the database).
        with db.uow() as session:
            if parked_id is None and (replay := _replay(session, name, file_sha)) is not None:
                sender, seq, manifest_sha = replay.outcome.sender, replay.outcome.seq, replay.manifest_sha
                raise _Stop(replay.outcome)
            bureau = profile_of(session).mode == "bureau"
            env = prepared.open_envelope() if prepared.envelope or prepared.envelope_error else \
                packet.open_envelope(data, verify_keys(session), keymat.verify, _hint(name))
            sender, seq, manifest_sha = env.sender["code"], env.seq, env.manifest_sha256
            _check_kind(env, bureau)
            peer = _peer(session, sender)
            _sequence(session, peer, env, name)
            opened = prepared.open_payload() if prepared.opened or prepared.payload_error else \
                packet.open_payload(env, own_box_keys(session))
            _admit(session, peer, env, name)
        if before_apply is not None:
            before_apply()  # outside any transaction: other clerks keep writing while a large database is copied
        with db.uow() as session:
            begin_write(session)
            peer = _peer(session, sender)  # again under the lock: another clerk may have imported it meanwhile
            _sequence(session, peer, env, name)
            _admit(session, peer, env, name)
            applied = _apply(db, session, actor, peer, opened, bureau, today)
            peer.in_seq, peer.in_hash = seq, env.manifest_sha256
            outcome = ImportOutcome(name, ImportStatus.IMPORTED, sender, peer.name, seq, "",
                                    dict(applied.counts), tuple(applied.notes),
                                    tuple(applied.kinds.get(n, "") for n in range(len(applied.notes))))
            if parked_id is not None:
                row = session.get(PacketIn, parked_id)
                if row is not None:
                    blobs.release(session, [row.data_sha256])
                    row.status, row.reason, row.data_sha256, row.counts = "imported", "", None, outcome.counts
                audit.append(session, actor, "packet.imported", "packet", name[:64], {"sender": sender, "seq": seq})
            else:
                _record(session, actor, name, data, outcome, manifest_sha, file_sha=file_sha)  # hashed once
            return outcome, sender
    except _Stop as stop:
        outcome = stop.outcome
        if outcome.status == ImportStatus.ALARM:
            return _refuse(db, actor, name, data, outcome.reason, sender, seq, ImportStatus.ALARM, manifest_sha,
                           parked_id), None
        with db.uow() as session:
            already = session.scalar(select(PacketIn.id).where(
                PacketIn.sender == sender, PacketIn.seq == seq, PacketIn.status == "parked").limit(1))
            _record(session, actor, name, data, outcome, manifest_sha,
                    keep=outcome.status == ImportStatus.PARKED and already is None, file_sha=file_sha)
        return outcome, None
    except PacketRejected as exc:
        return _refuse(db, actor, name, data, str(exc), sender, seq, manifest_sha=manifest_sha,
                       parked_id=parked_id), None
    except IntegrityError:
        log.exception("packet %s violated a constraint", name)
        return _refuse(db, actor, name, data, "数据包中的记录与本机已有记录冲突（编号或标识重复），已拒收。"
                       "请与发送方核对其数据。", sender, seq, manifest_sha=manifest_sha, parked_id=parked_id), None


@dataclass(frozen=True)
class _Replay:
    outcome: ImportOutcome
    manifest_sha: str | None


def _replay(session: Session, name: str, file_sha: str) -> _Replay | None:
    """The very bytes of a packet imported here before: already imported, settled by one hash and one look-up
    instead of the container, signature and payload checks (most of a county re-import's time). Those bytes
    passed every check when they were imported, and nothing will be applied, so nothing needs them again."""
    row = session.execute(select(PacketIn.sender, PacketIn.seq, PacketIn.manifest_sha256, Peer.name)
                          .join(Peer, Peer.code == PacketIn.sender)
                          .where(PacketIn.file_sha256 == file_sha, PacketIn.status == "imported").limit(1)).first()
    if row is None:
        return None
    sender, seq, manifest_sha, peer_name = row
    return _Replay(_already_imported(name, sender, peer_name, seq), manifest_sha)


def _already_imported(name: str, sender: str | None, peer_name: str, seq: int | None) -> ImportOutcome:
    return ImportOutcome(name, ImportStatus.DUPLICATE, sender, peer_name, seq,
                         f"{peer_name}第 {seq} 号数据包此前已经导入，本次未作任何改动。")


def _peer(session: Session, code: str) -> Peer:
    peer = session.scalar(select(Peer).where(Peer.code == code))
    assert peer is not None  # verify_keys only knows enrolled peers
    return peer


def _check_kind(env: packet.Envelope, bureau: bool) -> None:
    if env.kind != ("data" if bureau else "return"):
        raise PacketRejected("这是司法局发出的回执数据包，应在司法所端导入。" if bureau
                             else "这是司法所报送的数据包，应在司法局端导入。")


def _sequence(session: Session, peer: Peer, env: packet.Envelope, name: str) -> None:
    """Already imported, or the same number with other content (equivocation), ends here."""
    seq = env.seq
    if seq > peer.in_seq:
        return
    prior = session.scalar(select(PacketIn.manifest_sha256).where(
        PacketIn.sender == peer.code, PacketIn.seq == seq, PacketIn.status == "imported").limit(1))
    if prior == env.manifest_sha256 or (prior is None and seq == peer.in_seq and env.manifest_sha256 == peer.in_hash):
        raise _Stop(_already_imported(name, peer.code, peer.name, seq))
    raise _Stop(ImportOutcome(name, ImportStatus.ALARM, peer.code, peer.name, seq,
                              f"告警：{peer.name}第 {seq} 号数据包与此前导入的同号数据包内容不同。"
                              "可能是对方恢复了旧数据库后重新导出，也可能是伪造，请立即与对方核对。"))


def _admit(session: Session, peer: Peer, env: packet.Envelope, name: str, dry_run: bool = False) -> None:
    """A valid packet that is new comes next in the chain, or waits for a missing one (parked); a packet that
    does not follow the chain head is an alarm. ``dry_run``: packet verify, which keeps nothing."""
    waiting = peer.in_seq + 1
    if env.seq > waiting:
        parked = session.scalar(select(PacketIn.manifest_sha256).where(
            PacketIn.sender == peer.code, PacketIn.seq == env.seq, PacketIn.status == "parked").limit(1))
        if parked is not None and parked != env.manifest_sha256:
            raise _Stop(ImportOutcome(name, ImportStatus.ALARM, peer.code, peer.name, env.seq,
                                      f"告警：{peer.name}第 {env.seq} 号数据包与已暂存的同号数据包内容不同，请与对方核对。"))
        reason = (f"有效，但缺少第 {waiting} 号数据包，导入时将暂存。" if dry_run else
                  f"缺少第 {waiting} 号数据包，本数据包（第 {env.seq} 号）已暂存，收到第 {waiting} 号后自动导入。")
        raise _Stop(ImportOutcome(name, ImportStatus.PARKED, peer.code, peer.name, env.seq, reason))
    if env.prev != (peer.in_hash or packet.GENESIS):
        raise _Stop(ImportOutcome(name, ImportStatus.ALARM, peer.code, peer.name, env.seq,
                                  f"第 {env.seq} 号数据包与本机已导入的第 {peer.in_seq} 号接不上（哈希链不符）："
                                  "发送方可能恢复过旧数据库或数据包被伪造，请与对方核对。"))


def _apply(db: Database, session: Session, actor: Actor, peer: Peer, opened: packet.Opened, bureau: bool,
           today: date) -> Applied:
    if bureau:
        return apply_office_packet(session, peer, opened, today)
    return apply_return_packet(session, actor, peer, opened, today)


# ---- verify without importing, and the history -------------------------------------------------------------------

def verify_packet(db: Database, path: Path) -> ImportOutcome:
    """packet verify: every check of an import, nothing written; the status says what an import would do."""
    try:
        data = read_packet_file(path, MAX_FILE)
    except NotAPacket as exc:
        return ImportOutcome(path.name, ImportStatus.REJECTED, reason=exc.message)
    with db.uow() as session:
        try:
            env = packet.open_envelope(data, verify_keys(session), keymat.verify, _hint(path.name))
            _check_kind(env, profile_of(session).mode == "bureau")
            peer = session.scalar(select(Peer).where(Peer.code == env.sender["code"]))
            assert peer is not None
            _sequence(session, peer, env, path.name)
            packet.open_payload(env, own_box_keys(session))
            counts = {k: int(v) for k, v in env.manifest["counts"].items() if isinstance(v, int)}
            try:
                _admit(session, peer, env, path.name, dry_run=True)
            except _Stop as stop:
                return replace(stop.outcome, counts=counts)
            if peer.kind == "office":  # at the bureau: the import would refuse a cut or rewritten audit chain too
                check_office_head(peer, env.manifest)
            return ImportOutcome(path.name, ImportStatus.VALID, peer.code, peer.name, env.seq,
                                 "签名、收件方和内容均有效，可以导入。", counts)
        except _Stop as stop:
            return stop.outcome
        except PacketRejected as exc:
            return ImportOutcome(path.name, ImportStatus.REJECTED, reason=str(exc))
        finally:
            session.rollback()


@dataclass(frozen=True)
class HistoryRow:
    id: int
    received_at: datetime
    file_name: str
    sender: str | None
    sender_name: str | None
    seq: int | None
    status: ImportStatus
    reason: str
    counts: dict[str, int]
    received_by: str


def history(db: Database, limit: int = 1000) -> list[HistoryRow]:
    with db.uow() as session:
        names = dict(session.execute(select(Peer.code, Peer.name)).all())
        rows = session.scalars(select(PacketIn).order_by(PacketIn.id.desc()).limit(limit)).all()
        return [HistoryRow(r.id, r.received_at, r.file_name, r.sender, names.get(r.sender or ""), r.seq,
                           ImportStatus(r.status), r.reason, dict(r.counts), r.received_by) for r in rows]


def move_to_done(path: Path, done_dir: Path) -> Path:
    """The watched inbox moves a handled file aside so that it is not offered again."""
    done_dir.mkdir(parents=True, exist_ok=True)
    target = done_dir / path.name
    if target.exists():
        target = done_dir / f"{path.stem}-{datetime.now():%Y%m%d%H%M%S%f}{path.suffix}"
    shutil.move(str(path), target)
    return target
