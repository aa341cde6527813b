"""Append-only, hash-chained audit log (N-1). ``verify_chain`` is what ``check`` runs."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..storage.models import AuditEntry
from ..storage.uow import begin_write

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who does something; every service that changes data takes one (U-6)."""

    name: str
    user_id: int | None = None
    role: str = "admin"


SYSTEM = Actor("系统")


def _digest(prev: str, at: datetime, actor: str, action: str, entity: str, entity_id: str,
            detail: dict[str, Any]) -> str:
    payload = json.dumps([prev, at.isoformat(), actor, action, entity, entity_id, detail],
                         ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(session: Session, actor: Actor, action: str, entity: str, entity_id: object,
           detail: dict[str, Any] | None = None, at: datetime | None = None) -> AuditEntry:
    begin_write(session)  # two writers must not both chain onto the same last entry (PostgreSQL: no implicit lock)
    prev = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)) or GENESIS
    at = at or datetime.now().replace(microsecond=0)
    detail = json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str))
    entry = AuditEntry(at=at, actor=actor.name, action=action, entity=entity, entity_id=str(entity_id),
                       detail=detail, prev_hash=prev,
                       hash=_digest(prev, at, actor.name, action, entity, str(entity_id), detail))
    session.add(entry)
    session.flush()
    return entry


def verify_chain(session: Session) -> tuple[int, str | None]:
    """Return (entries checked, first problem or None)."""
    prev = GENESIS
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
        count += 1
        if entry.prev_hash != prev:
            return count, f"审计日志第 {entry.id} 条的前序哈希不符，日志可能被删改。"
        expected = _digest(prev, entry.at, entry.actor, entry.action, entry.entity, entry.entity_id, entry.detail)
        if entry.hash != expected:
            return count, f"审计日志第 {entry.id} 条内容与哈希不符，日志可能被篡改。"
        prev = entry.hash
    return count, None
