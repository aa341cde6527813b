"""Alembic runner: migrations applied at start, after an automatic backup of an existing database (N-1)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from .. import paths
from ..domain.errors import EnvironmentProblem
from .backup import backup_sqlite
from .blobs import FileBlobs
from .uow import Database

if TYPE_CHECKING:
    from alembic.config import Config

# PostgreSQL advisory lock held while migrating: the bytes of "hecun-mg" (see uow.WRITE_LOCK_KEY).
MIGRATION_LOCK_KEY = 0x686563756E2D6D67

# Alembic takes a tenth of a second to import, and almost every start finds the schema at head already: the
# revisions are read from the scripts' own lines, and Alembic is loaded only when there is something to do.
_REVISION = re.compile(r"^revision(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN_REVISION = re.compile(r"^down_revision(?::[^=]*)?=\s*(None|['\"]([^'\"]*)['\"])", re.M)


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@cache
def head_revision() -> str:
    """The newest revision: the one no other script names as its down_revision (one line of scripts, no branches;
    anything else is left to Alembic, which also refuses several heads)."""
    revisions: dict[str, str | None] = {}
    for script in sorted(paths.migrations_dir().joinpath("versions").glob("*.py")):
        source = script.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if rev is None or down is None:
            return _alembic_head()
        revisions[rev.group(1)] = down.group(2)
    heads = set(revisions) - set(revisions.values())
    return heads.pop() if len(heads) == 1 else _alembic_head()


def _alembic_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    """What alembic_version says, read without Alembic; None for a database that has none yet."""
    with db.engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except DBAPIError:  # no table: a new (or foreign) database
            conn.rollback()
            return None
    if len(rows) > 1:  # branches: Alembic's own reading says what to do
        from alembic.runtime.migration import MigrationContext

        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    return rows[0] if rows else None


def has_tables(db: Database) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(db.engine).get_table_names())


def upgrade(db: Database) -> Path | None:
    """Bring the schema to head. Returns the backup taken first, if one was needed."""
    current = current_revision(db)
    if current == head_revision():
        return None
    backup = None
    # A server database (PostgreSQL) has no file to copy: it is backed up with the server's own tools (pg_dump), and
    # its DDL is transactional, so a failed upgrade below leaves the schema as it was.
    if db.file is not None and db.file.exists() and has_tables(db):
        backup = backup_sqlite(db.engine, db.file, reason=f"pre-migration-{current or 'none'}")
    from alembic import command

    cfg = alembic_config(db.url)
    if isinstance(db.blobs, FileBlobs):
        cfg.attributes["blob_root"] = str(db.blobs.root)  # where 0006 puts the bytes it moves out of the rows
    if not db.is_sqlite:
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Several bureau PCs may start the new version at once (S-7): one migrates, the others wait here and
                # then find the schema at head (alembic reads the version again once the lock is theirs).
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        return backup
    # SQLite ALTERs are table rebuilds (copy, drop, rename). With foreign keys on, dropping the old ``matters``
    # would cascade-delete its events and units links, so they are off for the upgrade (the pragma only takes
    # effect outside a transaction) and checked afterwards, before anything is committed.
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()  # end SQLAlchemy's autobegun transaction so that the upgrade gets its own
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise EnvironmentProblem(f"数据库升级后发现 {len(broken)} 处数据关联错误，升级已撤销，数据保持原样。"
                                             f"请联系技术支持，并保留备份 {backup}。")
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
    _compact(db)
    return backup


def _compact(db: Database) -> None:
    """A migration that moved bytes out of the rows (0006: PDFs into the content store) leaves the file as large
    as before, its pages free: give them back once, when a quarter of the file or more is free."""
    with db.engine.connect() as conn:
        free = int(conn.exec_driver_sql("PRAGMA freelist_count").scalar() or 0)
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)
    if pages and free * 4 >= pages:
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM")
