"""Verified online backups of the SQLite database (N-1)."""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from .. import paths
from ..domain.errors import EnvironmentProblem
from .peek import peek_profile


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


def list_backups(db_file: Path) -> list[Path]:
    """This database's backups, newest first. Databases in one folder share its backups/ folder, and each backup is
    named after its database file (``office-20260302-…``): a name that starts with a longer sibling's name
    (``office-2-…`` next to office-2.sqlite3) is that database's, not this one's."""
    folder = db_file.parent / "backups"
    if not folder.is_dir():
        return []
    siblings = [f.stem for f in db_file.parent.glob(f"{glob.escape(db_file.stem)}-*{db_file.suffix}")]
    own = [p for p in folder.glob(f"{glob.escape(db_file.stem)}-*.sqlite3")
           if not any(p.name.startswith(f"{stem}-") for stem in siblings)]
    return sorted(own, key=lambda p: p.stat().st_mtime, reverse=True)


def backup_profile(backup: Path) -> dict[str, object] | None:
    """The office profile a backup holds (read-only), or None when it holds none (set-up never completed)."""
    try:
        _verify(backup)
    except sqlite3.DatabaseError as exc:
        raise EnvironmentProblem(f"备份文件 {backup.name} 已损坏或不是数据库（{exc}），请选择其他备份。") from None
    return peek_profile(backup)


def restore_sqlite(backup: Path, db_file: Path) -> Path | None:
    """Put a verified backup in place of the database; the replaced files are kept aside, never deleted.

    Returns where the replaced database was moved, if there was one. The caller must have closed every
    connection to ``db_file`` first."""
    if not backup.is_file():
        raise EnvironmentProblem(f"找不到备份文件 {backup}。可用 hecun-office restore 列出现有备份。")
    try:
        _verify(backup)
    except sqlite3.DatabaseError as exc:
        raise EnvironmentProblem(f"备份文件 {backup.name} 已损坏或不是数据库（{exc}），请选择其他备份。") from None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = None
    if db_file.exists():
        aside = db_file.with_name(f"{db_file.stem}-replaced-{stamp}{db_file.suffix}")
        db_file.replace(aside)
        for suffix in ("-wal", "-shm"):
            side = db_file.with_name(db_file.name + suffix)
            if side.exists():
                side.replace(aside.with_name(aside.name + suffix))
    tmp = db_file.with_name(db_file.name + ".restoring")
    shutil.copyfile(backup, tmp)
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    tmp.replace(db_file)
    return aside
