"""supervision work: supervisors, joint meetings, case-file reviews

Revision ID: 0010_supervision_work
Revises: 0009_enforcement_officers
Create Date: 2026-12-03 02:40:00

Issue 16 (SPEC O-1..O-3): the township's 法治监督员 and what each took part in or reported; 联席会议 with their
decisions (an open decision with a due date is an obligation); 案卷评查 batches with their case files, the seed of
their sample and the scores. ``office_code`` '' at an office, the township's at the bureau (S-7, read-only there).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_supervision_work'
down_revision: str | None = '0009_enforcement_officers'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'supervisors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('office_code', sa.String(length=32), server_default='', nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('unit', sa.String(length=128), nullable=False),
        sa.Column('contact', sa.String(length=64), nullable=False),
        sa.Column('appointed_on', sa.Date(), nullable=False),
        sa.Column('term_ends', sa.Date(), nullable=True),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_supervisors'),
        sa.UniqueConstraint('uuid', name='uq_supervisors_uuid'),
    )
    op.create_index('ix_supervisors_office_term', 'supervisors', ['office_code', 'term_ends'], unique=False)
    op.create_table(
        'supervisor_activities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('supervisor_id', sa.Integer(), nullable=False),
        sa.Column('on_date', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('description', sa.String(length=500), nullable=False),
        sa.Column('matter_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['supervisor_id'], ['supervisors.id'], ondelete='CASCADE',
                                name='fk_supervisor_activities_supervisor_id_supervisors'),
        sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], ondelete='SET NULL',
                                name='fk_supervisor_activities_matter_id_matters'),
        sa.PrimaryKeyConstraint('id', name='pk_supervisor_activities'),
        sa.UniqueConstraint('uuid', name='uq_supervisor_activities_uuid'),
    )
    op.create_index('ix_supervisor_activities_supervisor_id', 'supervisor_activities', ['supervisor_id'])
    op.create_index('ix_supervisor_activities_matter_id', 'supervisor_activities', ['matter_id'])
    op.create_table(
        'meetings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('office_code', sa.String(length=32), server_default='', nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('place', sa.String(length=120), nullable=False),
        sa.Column('convener', sa.String(length=120), nullable=False),
        sa.Column('chair', sa.String(length=80), nullable=False),
        sa.Column('participants', sa.Text(), nullable=False),
        sa.Column('attendees', sa.Text(), nullable=False),
        sa.Column('observers', sa.Text(), nullable=False),
        sa.Column('topics', sa.Text(), nullable=False),
        sa.Column('decisions', sa.JSON(), nullable=False),
        sa.Column('minutes_document_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['minutes_document_id'], ['documents.id'], ondelete='SET NULL',
                                name='fk_meetings_minutes_document_id_documents'),
        sa.PrimaryKeyConstraint('id', name='pk_meetings'),
        sa.UniqueConstraint('uuid', name='uq_meetings_uuid'),
    )
    op.create_index('ix_meetings_office_held', 'meetings', ['office_code', 'held_on'], unique=False)
    op.create_table(
        'review_batches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('office_code', sa.String(length=32), server_default='', nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('period_from', sa.Date(), nullable=False),
        sa.Column('period_to', sa.Date(), nullable=False),
        sa.Column('reviewers', sa.Text(), nullable=False),
        sa.Column('seed', sa.String(length=20), nullable=True),
        sa.Column('per_unit', sa.Integer(), nullable=False),
        sa.Column('sheet_name', sa.String(length=120), nullable=False),
        sa.Column('sheet', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_review_batches'),
        sa.UniqueConstraint('uuid', name='uq_review_batches_uuid'),
    )
    op.create_table(
        'review_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('unit_name', sa.String(length=128), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('file_no', sa.String(length=120), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('list_row', sa.Integer(), nullable=False),
        sa.Column('drawn', sa.Boolean(), nullable=False),
        sa.Column('scores', sa.JSON(), nullable=True),
        sa.Column('total', sa.Float(), nullable=True),
        sa.Column('grade', sa.String(length=16), nullable=True),
        sa.Column('finding', sa.Text(), nullable=False),
        sa.Column('scored_by', sa.String(length=64), nullable=False),
        sa.Column('scored_on', sa.Date(), nullable=True),
        sa.Column('matter_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['batch_id'], ['review_batches.id'], ondelete='CASCADE',
                                name='fk_review_files_batch_id_review_batches'),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name='fk_review_files_unit_id_units'),
        sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], ondelete='SET NULL',
                                name='fk_review_files_matter_id_matters'),
        sa.PrimaryKeyConstraint('id', name='pk_review_files'),
        sa.UniqueConstraint('uuid', name='uq_review_files_uuid'),
    )
    op.create_index('ix_review_files_batch_id', 'review_files', ['batch_id'])
    op.create_index('uq_review_files_batch_unit_no', 'review_files', ['batch_id', 'unit_name', 'file_no'], unique=True)
    # O-4: the matter a holder with an expired certificate was turned into
    with op.batch_alter_table('enforcement_officers') as batch:
        batch.add_column(sa.Column('matter_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_enforcement_officers_matter_id_matters', 'matters', ['matter_id'], ['id'],
                                 ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('enforcement_officers') as batch:
        batch.drop_constraint('fk_enforcement_officers_matter_id_matters', type_='foreignkey')
        batch.drop_column('matter_id')
    op.drop_index('uq_review_files_batch_unit_no', table_name='review_files')
    op.drop_index('ix_review_files_batch_id', table_name='review_files')
    op.drop_table('review_files')
    op.drop_table('review_batches')
    op.drop_index('ix_meetings_office_held', table_name='meetings')
    op.drop_table('meetings')
    op.drop_index('ix_supervisor_activities_matter_id', table_name='supervisor_activities')
    op.drop_index('ix_supervisor_activities_supervisor_id', table_name='supervisor_activities')
    op.drop_table('supervisor_activities')
    op.drop_index('ix_supervisors_office_term', table_name='supervisors')
    op.drop_table('supervisors')
