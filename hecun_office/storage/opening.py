"""Open a database for use: engine with pragmas, integrity check, migrations after a backup (N-1)."""

from __future__ import annotations

import os

from sqlalchemy.exc import DatabaseError

from .. import paths
from ..domain.errors import EnvironmentProblem
from .backup import quick_check
from .engine import make_engine, to_url
from .migrate import upgrade
from .uow import Database


def resolve_url(db_arg: str | None) -> str:
    """``--db`` wins, then HECUN_OFFICE_DB, then SQLite in the per-user data directory (SPEC C)."""
    return to_url(db_arg or os.environ.get("HECUN_OFFICE_DB") or paths.default_db_path())


def open_database(url: str, migrate: bool = True) -> Database:
    db = Database(url, make_engine(url))
    if db.is_sqlite:
        try:
            result = quick_check(db.engine)
        except DatabaseError as exc:  # badly damaged: even the connect pragmas fail
            result = str(exc.orig)
        if result != "ok":
            db.dispose()
            raise EnvironmentProblem(f"数据库完整性检查未通过（{result[:200]}）。请从备份恢复：hecun-office restore。")
    if migrate:
        upgrade(db)
    return db
