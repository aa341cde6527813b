"""Environment errors, named once (issue 15 item 3, SPEC N-1 and U-4).

A full disk reached the clerk as "OperationalError: database or disk is full" or as "程序内部错误": SQLite raises
``sqlite3.OperationalError`` (wrapped by SQLAlchemy), the file system an ``OSError`` whose errno (or, on Windows,
winerror) says what happened, and every place that writes caught a different subset. Here each of them becomes
one of the domain's environment problems (DiskFull, FileLocked, ReadOnlyLocation, StorageGone) with a Chinese
message that says what happened and what to do; the original goes to the log and stays chained as the cause.

The places that write use ``environment_errors()`` (the unit of work's commit, the content store, atomic file
writes, the backup copy). Anything not recognised is re-raised unchanged: a bug must stay a bug.

A problem translated from an ``OSError`` is still that OSError too (errno, strerror and file names kept): code
that already explains a refused write in its own words (``except PermissionError`` for a ledger open in Excel,
``except OSError`` for the font cache that gives up quietly) keeps doing so, and everything else gets the
message instead of a traceback.

Beside files.py and paths.py, not under storage/: ``files.write_atomically`` uses it, and commands that never
open a database (``render``) must not load storage code (tests/test_cli_imports.py). Standard library only;
SQLAlchemy's and psycopg's errors are recognised by their attributes.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .domain.errors import (
    DiskFull,
    EnvironmentProblem,
    FileLocked,
    HecunError,
    ReadOnlyLocation,
    StorageGone,
)

log = logging.getLogger(__name__)

Kind = type[EnvironmentProblem]

# SQLite's primary result codes (https://sqlite.org/rescode.html); extended codes keep them in the low byte.
_SQLITE: dict[int, Kind] = {13: DiskFull,  # SQLITE_FULL
           5: FileLocked, 6: FileLocked,  # SQLITE_BUSY, SQLITE_LOCKED
           8: ReadOnlyLocation, 3: ReadOnlyLocation,  # SQLITE_READONLY, SQLITE_PERM
           10: StorageGone, 14: StorageGone}  # SQLITE_IOERR, SQLITE_CANTOPEN
_SQLITE_READONLY_DBMOVED = 8 | (4 << 8)  # the database file was deleted or moved under us
# When no code is attached (an older SQLite, another driver), the message says the same.
_SQLITE_TEXT = (("disk is full", DiskFull), ("database is locked", FileLocked), ("table is locked", FileLocked),
                ("readonly database", ReadOnlyLocation), ("disk i/o error", StorageGone),
                ("unable to open database file", StorageGone))

# PostgreSQL (county mode) SQLSTATEs: the server's disk, a lock we may not wait for, a read-only server, and a
# connection that went away.
_PG = {"53100": DiskFull, "55P03": FileLocked, "25006": ReadOnlyLocation}
_PG_CLASSES = {"08": StorageGone, "57": StorageGone}

# Windows reports these through winerror; errno alone would call a sharing violation "permission denied".
_WINERROR = {32: FileLocked, 33: FileLocked,  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
             112: DiskFull, 39: DiskFull,  # ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL
             19: ReadOnlyLocation,  # ERROR_WRITE_PROTECT (a USB stick's switch)
             64: StorageGone, 53: StorageGone, 59: StorageGone, 67: StorageGone,  # network name deleted / not found
             21: StorageGone, 55: StorageGone, 1167: StorageGone}  # drive not ready, device gone
_ERRNO: dict[int, Kind] = {errno.ENOSPC: DiskFull, errno.EDQUOT: DiskFull,
                           errno.EBUSY: FileLocked, errno.ETXTBSY: FileLocked,
                           errno.EROFS: ReadOnlyLocation, errno.EACCES: ReadOnlyLocation,
                           errno.EPERM: ReadOnlyLocation}
for _name in ("EIO", "ENOENT", "ENXIO", "ENODEV", "ESTALE", "ENOTCONN", "ENETDOWN", "ENETUNREACH", "EHOSTDOWN",
              "EHOSTUNREACH", "ECONNABORTED", "ECONNRESET", "ENOMEDIUM", "EREMOTEIO"):
    if hasattr(errno, _name):  # not every platform names them all
        _ERRNO[getattr(errno, _name)] = StorageGone

UNSAVED = "本次操作的内容没有保存，数据保持操作前的样子。"


def kind_of(exc: BaseException) -> Kind | None:
    """Which environment problem ``exc`` is, or None when it is none of them (a bug, bad data)."""
    orig = getattr(exc, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's error
    if isinstance(orig, BaseException) and orig is not exc:
        return kind_of(orig)
    if isinstance(exc, sqlite3.Error):
        return _sqlite_kind(exc)
    sqlstate = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)  # psycopg 3 / psycopg2
    if isinstance(sqlstate, str) and sqlstate:
        return _PG.get(sqlstate) or _PG_CLASSES.get(sqlstate[:2])
    if isinstance(exc, OSError):
        winerror = getattr(exc, "winerror", None)
        if winerror in _WINERROR:
            return _WINERROR[winerror]
        return _ERRNO.get(exc.errno) if exc.errno is not None else None
    return None


def _sqlite_kind(exc: sqlite3.Error) -> Kind | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        if code == _SQLITE_READONLY_DBMOVED:
            return StorageGone
        if code & 0xFF in _SQLITE:
            return _SQLITE[code & 0xFF]
    text = str(exc).lower()
    return next((kind for words, kind in _SQLITE_TEXT if words in text), None)


def _read_only(where: Path) -> bool:
    """Whether the folder of ``where`` is there but may not be written (access(2) reports a read-only mount too)."""
    folder = where if where.is_dir() else where.parent
    try:
        return folder.is_dir() and not os.access(folder, os.W_OK)
    except OSError:
        return False


def _place(where: str | Path | None) -> str:
    return f"“{where}”" if where else "数据所在的位置"


def message(kind: Kind, what: str = "保存", where: str | Path | None = None, after: str = "") -> str:
    place = _place(where)
    if issubclass(kind, DiskFull):
        text = (f"{what}失败：{place}所在的磁盘已满。请删除不需要的文件、清空回收站，腾出空间后重试；"
                "也可以换到空间足够的磁盘。")
    elif issubclass(kind, FileLocked):
        text = (f"{what}失败：{place}正被其他程序或其他同事使用（已被锁定）。请稍等片刻后重试；一直如此时，"
                "请关闭可能正在使用它的程序（例如另一个打开的本程序、Excel/WPS、杀毒软件）。")
    elif issubclass(kind, ReadOnlyLocation):
        text = (f"{what}失败：{place}是只读的，或当前账户没有写入权限。请换一个可以写入的文件夹；"
                "U盘请检查写保护开关；仍不行时请管理员开放写入权限。")
    else:
        text = (f"{what}失败：无法访问{place}（U盘可能已拔出、网络共享已断开，或文件夹已被移走）。"
                "请重新连接或找回后重试。")
    return text + after


def translate(exc: BaseException, what: str = "保存", where: str | Path | None = None,
              after: str = "") -> EnvironmentProblem | None:
    """``exc`` as the environment problem it is, with its message; None when it is not one."""
    if isinstance(exc, HecunError):
        return None  # already says what to do
    kind = kind_of(exc)
    if kind is None:
        return None
    if kind is StorageGone and where is not None and _read_only(Path(where)):
        kind = ReadOnlyLocation  # SQLite says only "unable to open" when it cannot create its -wal/-shm files
    log.warning("%s: %s (%s: %s)", what, kind.__name__, type(exc).__name__, exc)  # the detail, for the log (U-4)
    text = message(kind, what, where, after)
    if not isinstance(exc, OSError):
        return kind(text)
    problem = _as_os_error(kind, type(exc))(text)
    for attribute in ("errno", "strerror", "filename", "filename2"):  # what callers read off an OSError
        setattr(problem, attribute, getattr(exc, attribute))
    return problem


_BOTH: dict[tuple[Kind, type[OSError]], Kind] = {}


def _as_os_error(kind: Kind, os_error: type[OSError]) -> Kind:
    """``kind`` that is also ``os_error`` (e.g. ReadOnlyLocation and PermissionError), made once per pair."""
    both = _BOTH.get((kind, os_error))
    if both is None:
        both = _BOTH[kind, os_error] = type(kind.__name__, (kind, os_error), {"__module__": __name__})
    return both


@contextmanager
def environment_errors(what: str = "保存", where: str | Path | None = None, after: str = "") -> Iterator[None]:
    """Re-raise an environment error met inside as its EnvironmentProblem, from the original; all else as is."""
    try:
        yield
    except Exception as exc:
        problem = translate(exc, what, where, after)
        if problem is None:
            raise
        raise problem from exc
