"""audit records

Revision ID: 0008_audit_records
Revises: 0007_events_by_date
Create Date: 2026-12-02 23:40:00

Issue 15 item 8: the audit chain covers what it records, and its head travels with the packets.

* ``audit_log.records``: per entry, the SHA-256 of the timeline entries and issued documents it records
  (services/audit.py), covered by the entry's hash. Entries written before keep their hashes unchanged (None).
* ``packets_out.audit_seq/audit_hash``: the sender's chain head each packet carried.
* ``peers.audit_seq/audit_hash``: the office's chain head as the bureau holds it (at the bureau per office, at
  an office what the bureau acknowledged).

Backfill: the records of every existing timeline entry and issued document of this database's own work are taken
into the chain now, in ``audit.baseline`` entries appended at its end (2,000 records each), so that from here on
an edit of an old entry, status, number or PDF is found as well. What was changed before this upgrade cannot be
told; ``check`` says how many entries predate it. An empty chain (a new database) gets no baseline. A county's
bureau holds few records of its own; an office of 100,000 matters writes about 250 entries.

The hashing below is a frozen copy of services/audit.py (``_digest``, ``event_hash``, ``document_hash``): a
migration must compute what that release computed, whatever the code becomes.
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0008_audit_records'
down_revision: str | None = '0007_events_by_date'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PER_ENTRY = 2000


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":")).encode("utf-8")


def _sha(value: Any) -> str:
    return hashlib.sha256(_canonical(value)).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table('audit_log') as batch:
        batch.add_column(sa.Column('records', sa.JSON(), nullable=True))
    with op.batch_alter_table('packets_out') as batch:
        batch.add_column(sa.Column('audit_seq', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('audit_hash', sa.String(length=64), nullable=True))
    with op.batch_alter_table('peers') as batch:
        batch.add_column(sa.Column('audit_seq', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('audit_hash', sa.String(length=64), nullable=True))
    _baseline()


def _baseline() -> None:
    bind = op.get_bind()
    audit = sa.table('audit_log', sa.column('id', sa.Integer), sa.column('at', sa.DateTime),
                     sa.column('actor', sa.String), sa.column('action', sa.String), sa.column('entity', sa.String),
                     sa.column('entity_id', sa.String), sa.column('detail', sa.JSON),
                     sa.column('prev_hash', sa.String), sa.column('hash', sa.String), sa.column('records', sa.JSON))
    last = bind.execute(sa.select(audit.c.hash).order_by(audit.c.id.desc()).limit(1)).scalar()
    if last is None:
        return
    matters = sa.table('matters', sa.column('id', sa.Integer), sa.column('uuid', sa.String),
                       sa.column('office_code', sa.String))
    events = sa.table('matter_events', sa.column('id', sa.Integer), sa.column('uuid', sa.String),
                      sa.column('matter_id', sa.Integer), sa.column('action', sa.String),
                      sa.column('on_date', sa.Date), sa.column('from_status', sa.String),
                      sa.column('to_status', sa.String), sa.column('actor', sa.String),
                      sa.column('reason', sa.String), sa.column('data', sa.JSON))
    documents = sa.table('documents', sa.column('id', sa.Integer), sa.column('uuid', sa.String),
                         sa.column('number', sa.String), sa.column('office_code', sa.String))
    files = sa.table('document_files', sa.column('document_id', sa.Integer), sa.column('sha256', sa.String))
    records: list[tuple[str, str]] = []
    for r in bind.execute(sa.select(events.c.uuid, matters.c.uuid, events.c.action, events.c.on_date,
                                    events.c.from_status, events.c.to_status, events.c.actor, events.c.reason,
                                    events.c.data)
                          .join(matters, matters.c.id == events.c.matter_id).where(matters.c.office_code == "")
                          .order_by(events.c.id)):
        records.append((f"event:{r[0]}", _sha(["event", r[0], r[1], r[2], str(r[3]), r[4], r[5], r[6], r[7] or "",
                                               r[8] or {}])))
    for uuid, number, sha in bind.execute(
            sa.select(documents.c.uuid, documents.c.number, files.c.sha256)
            .join(files, files.c.document_id == documents.c.id).where(documents.c.office_code == "")
            .order_by(documents.c.id)):
        records.append((f"document:{uuid}", _sha(["document", uuid, number, sha])))
    at = datetime.now().replace(microsecond=0)
    parts = [dict(records[i:i + _PER_ENTRY]) for i in range(0, len(records), _PER_ENTRY)] or [{}]
    for n, part in enumerate(parts, 1):
        detail = {"revision": revision, "part": n, "parts": len(parts), "records": len(part)}
        digest = _sha([last, at.isoformat(), "系统", "audit.baseline", "audit", revision, detail, part])
        bind.execute(sa.insert(audit).values(at=at, actor="系统", action="audit.baseline", entity="audit",
                                             entity_id=revision, detail=detail, prev_hash=last, hash=digest,
                                             records=part))
        last = digest


def downgrade() -> None:
    # The baseline entries go with the column that gave them their meaning: their hashes cover ``records``, which
    # the older release cannot read, so its check would find them broken. They are the chain's last entries
    # unless work was done after the upgrade, whose entries would then fail the older check as well (said so
    # in the release notes: downgrade right after an upgrade, or restore the pre-upgrade backup).
    op.execute(sa.text("DELETE FROM audit_log WHERE action = 'audit.baseline' AND entity_id = :r")
               .bindparams(r=revision))
    with op.batch_alter_table('peers') as batch:
        batch.drop_column('audit_hash')
        batch.drop_column('audit_seq')
    with op.batch_alter_table('packets_out') as batch:
        batch.drop_column('audit_hash')
        batch.drop_column('audit_seq')
    with op.batch_alter_table('audit_log') as batch:
        batch.drop_column('records')
