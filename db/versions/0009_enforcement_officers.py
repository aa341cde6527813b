"""enforcement officers

Revision ID: 0009_enforcement_officers
Revises: 0008_audit_records
Create Date: 2026-12-03 00:20:00

Issue 16 (SPEC O-4): the register of enforcement-certificate holders per supervised unit, imported from the units'
.xlsx lists (hecun-office personnel import) or entered; certificates expiring within 60 days and expired ones are
warnings. One row per (office, certificate number); ``office_code`` '' at an office, the township's at the bureau.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_enforcement_officers'
down_revision: str | None = '0008_audit_records'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'enforcement_officers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('office_code', sa.String(length=32), server_default='', nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('unit_name', sa.String(length=128), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('certificate_no', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=64), nullable=False),
        sa.Column('id_no', sa.String(length=32), nullable=True),
        sa.Column('issued_on', sa.Date(), nullable=True),
        sa.Column('expires_on', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name='fk_enforcement_officers_unit_id_units'),
        sa.PrimaryKeyConstraint('id', name='pk_enforcement_officers'),
        sa.UniqueConstraint('uuid', name='uq_enforcement_officers_uuid'),
    )
    op.create_index('uq_enforcement_officers_office_cert', 'enforcement_officers', ['office_code', 'certificate_no'],
                    unique=True)
    op.create_index('ix_enforcement_officers_expires', 'enforcement_officers', ['office_code', 'expires_on'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_enforcement_officers_expires', table_name='enforcement_officers')
    op.drop_index('uq_enforcement_officers_office_cert', table_name='enforcement_officers')
    op.drop_table('enforcement_officers')
