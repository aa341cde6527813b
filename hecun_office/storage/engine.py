"""Engines with the pragmas of N-1, built only in the composition root (cli.py, ui/app.py).

SQLite (a township office, and a bureau by default) or PostgreSQL through a URL (county mode with several clerks,
S-7). The pragmas, the network-share refusal and everything else about files are SQLite's; a PostgreSQL server
keeps its own files safe.
"""

from __future__ import annotations

import os
import sys
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from ..domain.errors import EnvironmentProblem

BUSY_TIMEOUT_MS = 10_000
PG_CONNECT_TIMEOUT_S = 10  # an unreachable server is reported after this long instead of hanging the start
PG_DRIVER = "postgresql+psycopg"  # psycopg 3, a dependency with wheels for Windows
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "9p", "afs"}


def to_url(path_or_url: str | os.PathLike[str]) -> str:
    """Accept a file path or an SQLAlchemy URL (``--db`` and HECUN_OFFICE_DB, SPEC C)."""
    text = os.fspath(path_or_url)
    if "://" in text:
        return _with_driver(text)
    return "sqlite:///" + str(Path(text).expanduser().resolve())


def _with_driver(url: str) -> str:
    """``postgresql://`` and ``postgres://`` (as psql and pg_dump write them) name no driver; SQLAlchemy would then
    load psycopg2, which is not installed. The driver shipped is psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return PG_DRIVER + "://" + url[len(prefix):]
    return url


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


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
    """Every engine hides its SQL parameters (N-4): an error's text, and so the log, never carries the values."""
    url = _with_driver(url)
    try:
        parsed = make_url(url)
    except ArgumentError:  # the URL is not echoed: it may hold a password
        raise EnvironmentProblem("数据库地址格式不正确。请填写数据库文件路径，或 PostgreSQL 地址，例如 "
                                 "postgresql+psycopg://用户名:密码@服务器:5432/数据库名。") from None
    db_file = sqlite_file(url)
    if db_file is not None:
        db_file.parent.mkdir(parents=True, exist_ok=True)
        refuse_network_share(db_file.parent)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
                               hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # N-4: an error's text names its statement, never the values bound to it (a complainant's phone, name, ID).
    options: dict[str, Any] = {"pool_pre_ping": True,  # a server restarted overnight must not break the morning
                               "hide_parameters": True}
    if parsed.get_backend_name() == "postgresql":
        # begin_write's advisory lock serialises writers only if every later statement sees what was committed
        # before the lock was granted: READ COMMITTED, whatever the server's default_transaction_isolation says.
        options["isolation_level"] = "READ COMMITTED"
        if "connect_timeout" not in parsed.query:
            options["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    try:
        engine = create_engine(url, **options)
    except (NoSuchModuleError, ImportError):
        raise EnvironmentProblem(f"不支持的数据库类型或驱动（{parsed.drivername}）。请使用数据库文件路径，或 PostgreSQL 地址 "
                                 f"{PG_DRIVER}://用户名:密码@服务器:5432/数据库名。") from None
    # A server keeps a session per pooled connection. An engine nobody disposed (cli.py's commands just return)
    # closes them when it is collected, rather than leaving sockets for the garbage collector to drop unclosed.
    weakref.finalize(engine, engine.pool.dispose)
    return engine

