"""Engines with the pragmas of N-1, built only in the composition root (cli.py, ui/app.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from ..domain.errors import EnvironmentProblem

BUSY_TIMEOUT_MS = 10_000
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "9p", "afs"}


def to_url(path_or_url: str | os.PathLike[str]) -> str:
    """Accept a file path or an SQLAlchemy URL (``--db`` and HECUN_OFFICE_DB, SPEC C)."""
    text = os.fspath(path_or_url)
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve())


def sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def refuse_network_share(path: Path) -> None:
    """SQLite's locking is unreliable on network file systems; a clerk's data must not live there (N-1)."""
    text = str(path)
    if sys.platform == "win32":
        if text.startswith("\\\\"):
            raise EnvironmentProblem(f"数据库位于网络共享目录（{text}），可能造成数据损坏。请把数据库放在本机磁盘上。")
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0] + "\\"
        if ctypes.windll.kernel32.GetDriveTypeW(drive) == 4:  # DRIVE_REMOTE
            raise EnvironmentProblem(f"数据库位于网络驱动器（{drive}），可能造成数据损坏。请把数据库放在本机磁盘上。")
        return
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return
    best, fstype = "", ""
    resolved = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
            best, fstype = parts[1], parts[2]
    if fstype in _NETWORK_FS:
        raise EnvironmentProblem(f"数据库位于网络文件系统（{best}，{fstype}），可能造成数据损坏。请把数据库放在本机磁盘上。")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    db_file = sqlite_file(url)
    if db_file is not None:
        db_file.parent.mkdir(parents=True, exist_ok=True)
        refuse_network_share(db_file.parent)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)
