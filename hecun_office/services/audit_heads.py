"""Issue 15 item 8: the office's audit chain head travels in every packet's manifest, and the bureau keeps it.

A chain rewritten consistently from some entry on verifies again on its own, and one cut short is simply shorter:
only a head kept elsewhere tells. So each packet's manifest carries the sender's head (last entry's id and hash)
and what the entry at the previous packet's head hashes to now (``prev``); the bureau keeps, per office, the head
of the last packet it imported (``peers.audit_seq/audit_hash``) and refuses a packet whose head does not extend it:
a shorter chain, the same id with another hash, or an earlier entry that hashes differently now. The bureau
returns what it keeps in its acknowledgement, and the office's ``check`` holds its chain against it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..storage.models import PacketOut, Peer
from ..sync.errors import PacketRejected
from .audit import hash_at, head


def manifest_head(session: Session, recipient: str) -> dict[str, Any] | None:
    """What this packet's manifest says of our chain: its head, and the entry the last packet's head named."""
    now = head(session)
    if now is None:
        return None
    before = session.scalar(select(PacketOut.audit_seq).where(PacketOut.recipient == recipient,
                                                             PacketOut.audit_seq.is_not(None))
                            .order_by(PacketOut.seq.desc()).limit(1))
    prev = None if before is None else {"seq": before, "hash": hash_at(session, before) or ""}
    return {"seq": now[0], "hash": now[1], "prev": prev}


def _seq_hash(value: Any) -> tuple[int, str] | None:
    if (isinstance(value, dict) and isinstance(value.get("seq"), int) and not isinstance(value["seq"], bool)
            and value["seq"] >= 1 and isinstance(value.get("hash"), str) and len(value["hash"]) <= 64):
        return value["seq"], value["hash"]
    return None


def take_office_head(peer: Peer, manifest: dict[str, Any]) -> None:
    """At the bureau, before a township's packet is applied: its head must extend the one kept, then is kept."""
    now = check_office_head(peer, manifest)
    if now is not None:
        peer.audit_seq, peer.audit_hash = now


def check_office_head(peer: Peer, manifest: dict[str, Any]) -> tuple[int, str] | None:
    """The head a township's packet carries, if it extends the one kept (``packet verify`` asks this too);
    None for a packet of an office that has not upgraded yet."""
    given = manifest.get("audit")
    if given is None:
        if peer.audit_seq is not None:
            raise PacketRejected(f"告警：{peer.name}的数据包没有附带审计日志链头，而此前的数据包附带过："
                                 "该所可能换用了旧版程序或数据包被伪造，请与该所核对。")
        return None
    now = _seq_hash(given)
    prev_raw = given.get("prev") if isinstance(given, dict) else None
    prev = _seq_hash(prev_raw)
    if now is None or (prev_raw is not None and prev is None):
        raise PacketRejected("数据包清单中的审计日志链头格式不对。")
    kept = (peer.audit_seq, peer.audit_hash) if peer.audit_seq is not None else None
    if kept is not None:
        broken = (now[0] < kept[0] or (now[0] == kept[0] and now[1] != kept[1])
                  or (now[0] > kept[0] and prev != kept))
        if broken:
            raise PacketRejected(
                f"告警：{peer.name}的审计日志与此前数据包所附的不相接（本局保存的链头为第 {kept[0]} 条，"
                f"本数据包为第 {now[0]} 条）：该所的审计日志被截断或改写过，记录可能被篡改，也可能恢复过旧数据库。"
                "本数据包未导入，请与该所核对。")
    return now


def acknowledged_head(peer: Peer) -> dict[str, Any] | None:
    """At the bureau, for a return packet's acknowledgement: the office's head as kept here."""
    if peer.audit_seq is None:
        return None
    return {"seq": peer.audit_seq, "hash": peer.audit_hash}


def take_acknowledged_head(session: Session, peer: Peer, raw: Any) -> str | None:
    """At an office: keep the head the bureau acknowledged; a note when our chain no longer holds it."""
    given = _seq_hash(raw)
    if given is None:
        return None
    if peer.audit_seq is None or given[0] >= peer.audit_seq:
        peer.audit_seq, peer.audit_hash = given
    if hash_at(session, given[0]) != given[1]:
        return (f"注意：{peer.name}确认收到的审计日志第 {given[0]} 条与本机的不符，本机审计日志可能被改动过。"
                "请运行数据维护中的“检查”，并与司法局核对。")
    return None
