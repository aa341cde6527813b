"""Verified online backups of the SQLite database (N-1)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from .. import paths
from ..domain.errors import EnvironmentProblem


def _verify(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        result = con.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        con.close()
    if result != "ok":
        raise EnvironmentProblem(f"备份文件校验失败（{path.name}：{result}），请检查磁盘后重试。")


def backup_sqlite(engine: Engine, db_file: Path, reason: str = "manual", target: Path | None = None) -> Path:
    """Copy the live database with SQLite's online backup API, then check the copy."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = target or paths.backups_dir(db_file) / f"{db_file.stem}-{stamp}-{reason}.sqlite3"
    tmp = dest.with_suffix(dest.suffix + ".part")
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        out = sqlite3.connect(tmp)
        try:
            source.backup(out)  # type: ignore[union-attr]
        finally:
            out.close()
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EnvironmentProblem(f"无法写入备份（{exc.strerror}），请检查磁盘空间和权限。") from exc
    finally:
        raw.close()
    _verify(tmp)
    tmp.replace(dest)
    return dest


def quick_check(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.exec_driver_sql("PRAGMA quick_check").scalar())
