"""pg text search

Revision ID: 0005_pg_text_search
Revises: 0004_units_per_office
Create Date: 2026-12-02 17:00:00

Issue 12 item 6: text filters on PostgreSQL (county mode) without scanning every matter with ILIKE.

Nothing changes on SQLite (its FTS5 table ``matter_search`` is made in 0002). On PostgreSQL:

* ``matter_search_grams``: one row per matter, the bigram tokens of domain/searchtext.py (the same tokens as
  SQLite's FTS5 table) as a ``tsvector``, with a GIN index. Built into PostgreSQL, no extension needed. It is
  kept in step by services/search.py (``index_matter``, ``bulk_index``) and filled here from existing matters.
* where the server has ``pg_trgm`` (created here inside a savepoint: a role without the right or a server
  without contrib fails, and the bigram table alone is used), GIN trigram indexes on the columns the filter
  matches with ILIKE: matters.title, facts, parties, reg_no, source_ref and matter_refs.source_ref.

Every name starts with ``matter_search`` so the models/migrations comparison leaves them out, like the FTS5 table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005_pg_text_search'
down_revision: str | None = '0004_units_per_office'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (index name, table, column): what the ILIKE text filter reads (services/search.py ``_text_terms``).
TRGM_INDEXES = (
    ("matter_search_trgm_title", "matters", "title"),
    ("matter_search_trgm_facts", "matters", "facts"),
    ("matter_search_trgm_parties", "matters", "parties"),
    ("matter_search_trgm_reg_no", "matters", "reg_no"),
    ("matter_search_trgm_source_ref", "matters", "source_ref"),
    ("matter_search_trgm_ref", "matter_refs", "source_ref"),
)
_BATCH = 5000


def _has_pg_trgm(bind: sa.Connection) -> bool:
    """Create pg_trgm if we may; a failure (no contrib, no right to create it) is rolled back to the savepoint."""
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        return False
    return bool(bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).scalar())


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
    if _has_pg_trgm(bind):
        for name, table, col in TRGM_INDEXES:
            op.execute(f"CREATE INDEX {name} ON {table} USING gin ({col} gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _, _ in TRGM_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS matter_search_grams")
