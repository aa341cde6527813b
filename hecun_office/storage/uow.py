"""Short units of work (STYLE.md habit 2): one session per use case, committed or rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from .engine import sqlite_file


@dataclass
class Database:
    """An engine and its session factory; the services receive this, never a global."""

    url: str
    engine: Engine
    _factory: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def file(self) -> Path | None:
        return sqlite_file(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def uow(self) -> Iterator[Session]:
        """Commit on success, roll back on any exception: nothing is ever half-saved."""
        session = self._factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def begin_write(session: Session) -> None:
    """Take the database's write lock now, before the first read of a read-check-write use case.

    Python's sqlite3 begins a transaction only at the first INSERT/UPDATE, so what a use case read before that
    (e.g. "this document is approved") could be stale by the time it writes. BEGIN IMMEDIATE makes the reads and
    the writes one serialised transaction; other writers wait (busy timeout), readers in WAL mode do not.
    Elsewhere (PostgreSQL) callers lock the rows they read with SELECT … FOR UPDATE.
    """
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return
    raw = conn.connection.dbapi_connection
    if raw is not None and not getattr(raw, "in_transaction", True):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
