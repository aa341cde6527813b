"""Read SQLite files with the plain sqlite3 module: no engine, no pragmas, no migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

FIXTURE_DBS = Path(__file__).resolve().parents[1] / "fixtures" / "db"


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def scalar(path: Path, sql: str) -> Any:
    return query(path, sql)[0][0]


def revision_of(path: Path) -> str | None:
    rows = query(path, "SELECT version_num FROM alembic_version")
    return rows[0][0] if rows else None
