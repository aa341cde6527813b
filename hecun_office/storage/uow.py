"""Short units of work (STYLE.md habit 2): one session per use case, committed or rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from .. import paths
from ..environment import UNSAVED, translate
from .blobs import BlobStore, FileBlobs, TableBlobs, beside
from .engine import sqlite_file

# The key of the PostgreSQL advisory lock that stands for SQLite's database write lock in begin_write: any fixed
# 64-bit number no other program on the same database uses; these are the bytes of "hecun-wr".
WRITE_LOCK_KEY = 0x686563756E2D7772


@dataclass
class Database:
    """An engine and its session factory; the services receive this, never a global."""

    url: str
    engine: Engine
    _factory: sessionmaker[Session] = field(init=False)
    blobs: BlobStore = field(init=False)

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        # Beside a database file, inside a server database (storage/blobs.py says why).
        file = self.file
        self.blobs = (FileBlobs(beside(file) if file is not None else paths.data_dir() / "attachments")
                                 if self.engine.dialect.name == "sqlite" else TableBlobs())

    @property
    def file(self) -> Path | None:
        return sqlite_file(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def display(self) -> str:
        """Where the data is, for people (status bar, messages, logs): the file, or the URL without its password."""
        file = self.file
        return str(file) if file is not None else make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def uow(self) -> Iterator[Session]:
        """Commit on success, roll back on any exception: nothing is ever half-saved.

        The database's own environment errors (disk full, locked, read-only, gone; issue 15 item 3) leave as
        hecun_office/environment.py's problems naming the database, after the rollback. Other errors raised in
        the block (a file the use case reads, a rule it breaks) pass through as they are: not the database's."""
        session = self._factory()
        session.info["blobs"] = self.blobs
        try:
            try:
                yield session
                session.commit()
                self.blobs.after_commit(session)
            except BaseException:
                session.rollback()
                raise
        except DBAPIError as exc:
            problem = translate(exc, "保存", self.display, UNSAVED)
            if problem is None:
                raise
            raise problem from exc
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def begin_write(session: Session) -> None:
    """Take the database's write lock now, before the first read of a read-check-write use case.

    Python's sqlite3 begins a transaction only at the first INSERT/UPDATE, so what a use case read before that
    (e.g. "this document is approved") could be stale by the time it writes. BEGIN IMMEDIATE makes the reads and
    the writes one serialised transaction; other writers wait (busy timeout), readers in WAL mode do not.

    PostgreSQL (county mode) gets the same guarantee from a transaction-level advisory lock on one fixed key: every
    begin_write transaction waits for the one before it to commit or roll back, and, the engine being READ
    COMMITTED (engine.py), each of its statements then sees everything that one wrote. That covers what a row lock
    could not: the first number of a new series or year, whose number_sequences row does not exist yet, and the
    audit chain's last hash. Readers never wait; the lock is released with the transaction, also when the
    connection dies. Taking it again in the same transaction is harmless.
    """
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
        return
    if conn.dialect.name != "sqlite":
        return
    raw = conn.connection.dbapi_connection
    if raw is not None and not getattr(raw, "in_transaction", True):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
