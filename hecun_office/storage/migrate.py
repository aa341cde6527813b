"""Alembic runner: migrations applied at start, after an automatic backup of an existing database (N-1)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from .. import paths
from ..domain.errors import EnvironmentProblem
from .backup import backup_sqlite
from .uow import Database

# PostgreSQL advisory lock held while migrating: the bytes of "hecun-mg" (see uow.WRITE_LOCK_KEY).
MIGRATION_LOCK_KEY = 0x686563756E2D6D67


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


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
    cfg = alembic_config(db.url)
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
    return backup
