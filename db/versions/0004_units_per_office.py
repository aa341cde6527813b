"""units per office

Revision ID: 0004_units_per_office
Revises: 0003_exchange
Create Date: 2026-12-02 13:40:00

Issue 12 item 1: a unit is identified by (office_code, uuid), not by its name. The county-wide unique names and
UUIDs go; a name is unique among one roster's active units (a partial index, on SQLite and PostgreSQL alike);
a version on units lets a rename or retirement travel in packets either way.

What happens to existing data: every unit keeps its row, id, UUID and matters. At an office nothing else changes.
At a bureau, where units used to be matched by name across townships, a unit on one township's roster that also
carries another township's matters is split: that township gets a row of its own (same name, kind and status, a
new UUID) and its matters' links move to it — the bug of issue 12 undone. The rows keep their bureau-made UUIDs;
the next packet of each township attaches them to the township's own units by name within that township's
roster (services/units.py ``sync_office_roster``), once, after which the UUIDs rule.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = '0004_units_per_office'
down_revision: str | None = '0003_exchange'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _split_merged_units() -> None:
    bind = op.get_bind()
    crossed = bind.execute(sa.text(
        "SELECT DISTINCT u.id, u.name, u.kind, u.active, u.created_at, m.office_code "
        "FROM matter_units mu JOIN units u ON u.id = mu.unit_id JOIN matters m ON m.id = mu.matter_id "
        "WHERE m.office_code <> '' AND m.office_code <> u.office_code ORDER BY u.id, m.office_code")).all()
    for unit_id, name, kind, active, created_at, office in crossed:
        own = bind.execute(sa.text("SELECT id FROM units WHERE office_code = :o AND name = :n ORDER BY id"),
                           {"o": office, "n": name}).scalar()
        if own is None:
            bind.execute(sa.text(
                "INSERT INTO units (uuid, name, kind, active, created_at, office_code, version) "
                "VALUES (:u, :n, :k, :a, :c, :o, 1)"),
                {"u": str(uuid.uuid4()), "n": name, "k": kind, "a": active,
                 "c": created_at or datetime.now().replace(microsecond=0), "o": office})
            own = bind.execute(sa.text("SELECT id FROM units WHERE office_code = :o AND name = :n ORDER BY id"),
                               {"o": office, "n": name}).scalar()
        # A matter linked to both (impossible today, but cheap to guard) keeps one link.
        bind.execute(sa.text(
            "DELETE FROM matter_units WHERE unit_id = :old AND matter_id IN "
            "(SELECT mu.matter_id FROM matter_units mu WHERE mu.unit_id = :new)"), {"old": unit_id, "new": own})
        bind.execute(sa.text(
            "UPDATE matter_units SET unit_id = :new WHERE unit_id = :old AND matter_id IN "
            "(SELECT id FROM matters WHERE office_code = :o)"), {"new": own, "old": unit_id, "o": office})


def upgrade() -> None:
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.drop_constraint('uq_units_name', type_='unique')
        batch_op.drop_constraint('uq_units_uuid', type_='unique')
        batch_op.create_unique_constraint('uq_units_office_uuid', ['office_code', 'uuid'])
    _split_merged_units()
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index('uq_units_office_active_name', ['office_code', 'name'], unique=True,
                              sqlite_where=sa.text('active'), postgresql_where=sa.text('active'))


def downgrade() -> None:
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index('uq_units_office_active_name')
        batch_op.drop_constraint('uq_units_office_uuid', type_='unique')
        batch_op.create_unique_constraint('uq_units_uuid', ['uuid'])
        batch_op.create_unique_constraint('uq_units_name', ['name'])
        batch_op.drop_column('version')
