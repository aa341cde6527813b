"""pg text search

Revision ID: 0005_pg_text_search
Revises: 0004_units_per_office
Create Date: 2026-12-02 17:00:00

Issue 12 item 6: text filters on PostgreSQL (county mode) without scanning every matter with ILIKE.

Nothing changes on SQLite (its FTS5 table ``matter_search`` is made in 0002). On PostgreSQL,
``matter_search_grams``: one row per matter, the bigram tokens of domain/searchtext.py (the same tokens as SQLite's
FTS5 table) as a ``tsvector`` with a GIN index, built into PostgreSQL (no extension, no superuser). It is kept in
step by services/search.py (``index_matter``, ``bulk_index``, ``ensure_search_index``) and filled here from the
existing matters and their merged work orders' references.

No pg_trgm. Its trigrams cannot narrow a one- or two-character run (占道, 张三: the commonest Chinese query), and
under a C LC_CTYPE it makes no trigrams of Chinese letters at all, so the bigram table is needed on every server
anyway; measured at 100,000 matters (bench/pg_search.py) it was as fast as or faster than the trigram indexes for
runs of three characters or more too, and a query mixing the two kinds of index was planned badly (160 ms against
50). Trigram indexes on the five searched columns would only cost space (20-45 MB) and writes.

The name starts with ``matter_search`` so the models/migrations comparison leaves it out, like the FTS5 table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005_pg_text_search'
down_revision: str | None = '0004_units_per_office'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5000


def _fill_grams(bind: sa.Connection) -> None:
    from hecun_office.domain.searchtext import index_tokens

    refs: dict[int, list[str]] = {}
    for matter_id, ref in bind.execute(sa.text("SELECT matter_id, source_ref FROM matter_refs")):
        refs.setdefault(matter_id, []).append(ref)
    insert = sa.text("INSERT INTO matter_search_grams (matter_id, grams) "
                     "VALUES (:id, array_to_tsvector(CAST(:grams AS text[])))")
    result = bind.execute(sa.text(
        "SELECT id, title, facts, parties, reg_no, coalesce(source_ref, '') FROM matters ORDER BY id"))
    while chunk := result.fetchmany(_BATCH):
        bind.execute(insert, [{"id": r[0], "grams": sorted(set(index_tokens(*r[1:], *refs.get(r[0], ())).split()))}
                              for r in chunk])


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.create_table(
        'matter_search_grams',
        sa.Column('matter_id', sa.Integer(), nullable=False),
        sa.Column('grams', postgresql.TSVECTOR(), nullable=False),
        sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name='matter_search_grams_matter_id_fkey',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('matter_id', name='matter_search_grams_pkey'),
    )
    _fill_grams(bind)
    op.execute("CREATE INDEX matter_search_grams_gin ON matter_search_grams USING gin (grams)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS matter_search_grams")
