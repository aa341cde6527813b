"""content store

Revision ID: 0006_content_store
Revises: 0005_pg_text_search
Create Date: 2026-12-02 17:10:00

Issue 12 item 4: the bytes of issued and received PDFs and of packets kept until acknowledged (or parked) leave
the rows that name them for the content store (hecun_office/storage/blobs.py):

* beside a database file, the folder ``attachments/`` the attachments already live in (``ab/abcdef…``). Each file
  is written under a temporary name, flushed to disk and renamed before this migration commits (S-3's files-first
  order): a failure leaves the database as it was and at most files nothing refers to yet;
* in a server database (PostgreSQL), the new ``blobs`` table, ``STORAGE EXTERNAL`` (PDFs do not compress, and the
  server spent its CPU trying). Attachments a bureau PC kept in its local folder move into it too, so every PC on
  the server sees them.

What happens to existing data: every PDF and kept packet keeps its bytes, now under its SHA-256;
``document_files.pdf``, ``packets_out.data`` and ``packets_in.data`` go, ``data_sha256`` names the packet's bytes
instead. The database file shrinks once the upgrade has VACUUMed it (storage/migrate.py).
"""

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import context, op

revision: str = '0006_content_store'
down_revision: str | None = '0005_pg_text_search'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ROWS = 200  # PDFs read per query: memory stays a few MB whatever the database holds


def _folder() -> Path:
    """Where a database file keeps its store: given by the application, else beside the file."""
    given = context.config.attributes.get("blob_root")
    if given:
        return Path(given)
    database = op.get_bind().engine.url.database
    if not database or database == ":memory:":
        from hecun_office.paths import data_dir

        return data_dir() / "attachments"
    return Path(database).parent / "attachments"


class _Store:
    def __init__(self) -> None:
        self.bind = op.get_bind()
        self.server = self.bind.dialect.name != "sqlite"
        self.root = None if self.server else _folder()

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        if self.server:
            self.bind.execute(sa.text("INSERT INTO blobs (sha256, data) VALUES (:s, :d) ON CONFLICT DO NOTHING"),
                              {"s": sha, "d": data})
            return sha
        assert self.root is not None
        target = self.root / sha[:2] / sha
        if target.is_file():
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha


    def get(self, sha: str) -> bytes:
        if self.server:
            return bytes(self.bind.execute(sa.text("SELECT data FROM blobs WHERE sha256 = :s"), {"s": sha}).scalar_one())
        assert self.root is not None
        return (self.root / sha[:2] / sha).read_bytes()


def _move_pdfs(store: _Store) -> None:
    bind = op.get_bind()
    last = -1
    while True:
        rows = bind.execute(sa.text("SELECT document_id, pdf FROM document_files WHERE document_id > :last "
                                    "ORDER BY document_id LIMIT :n"), {"last": last, "n": _ROWS}).all()
        if not rows:
            return
        for doc_id, pdf in rows:
            sha = store.put(bytes(pdf))
            bind.execute(sa.text("UPDATE document_files SET sha256 = :s WHERE document_id = :d"),
                         {"s": sha, "d": doc_id})
        last = rows[-1][0]


def _move_packets(store: _Store, table: str) -> None:
    bind = op.get_bind()
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("data_sha256", sa.String(length=64), nullable=True))
    for row_id, in bind.execute(sa.text(f"SELECT id FROM {table} WHERE data IS NOT NULL ORDER BY id")).all():
        data = bind.execute(sa.text(f"SELECT data FROM {table} WHERE id = :i"), {"i": row_id}).scalar_one()
        bind.execute(sa.text(f"UPDATE {table} SET data_sha256 = :s WHERE id = :i"),
                     {"s": store.put(bytes(data)), "i": row_id})
    with op.batch_alter_table(table) as batch:
        batch.drop_column("data")


def _attachments_into_server(store: _Store) -> None:
    """PostgreSQL: the attachment files this PC kept locally go into the shared table (others stay to be found by
    ``check`` on the PC that has them)."""
    from hecun_office.paths import data_dir

    root = data_dir() / "attachments"
    for sha, in op.get_bind().execute(sa.text("SELECT DISTINCT sha256 FROM attachments")).all():
        path = root / sha[:2] / sha
        if path.is_file():
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() == sha:
                store.put(data)


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blobs")),
    )
    store = _Store()
    if store.server:
        op.execute("ALTER TABLE blobs ALTER COLUMN data SET STORAGE EXTERNAL")
    _move_pdfs(store)
    with op.batch_alter_table("document_files") as batch:
        batch.drop_column("pdf")
        batch.create_index(batch.f("ix_document_files_sha256"), ["sha256"], unique=False)
    _move_packets(store, "packets_out")
    _move_packets(store, "packets_in")
    if store.server:
        _attachments_into_server(store)


def downgrade() -> None:
    """The bytes back into the rows (the store keeps its files: other databases or backups may name them)."""
    store = _Store()
    bind = op.get_bind()
    with op.batch_alter_table("document_files") as batch:
        batch.drop_index(batch.f("ix_document_files_sha256"))
        batch.add_column(sa.Column("pdf", sa.LargeBinary(), nullable=True))
    for doc_id, sha in bind.execute(sa.text("SELECT document_id, sha256 FROM document_files")).all():
        bind.execute(sa.text("UPDATE document_files SET pdf = :p WHERE document_id = :d"),
                     {"p": store.get(sha), "d": doc_id})
    with op.batch_alter_table("document_files") as batch:
        batch.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=False)
    for table in ("packets_out", "packets_in"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("data", sa.LargeBinary(), nullable=True))
        for row_id, sha in bind.execute(sa.text(f"SELECT id, data_sha256 FROM {table} "
                                                "WHERE data_sha256 IS NOT NULL")).all():
            bind.execute(sa.text(f"UPDATE {table} SET data = :p WHERE id = :i"), {"p": store.get(sha), "i": row_id})
        with op.batch_alter_table(table) as batch:
            batch.drop_column("data_sha256")
    op.drop_table("blobs")
