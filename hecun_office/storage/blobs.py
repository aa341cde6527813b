"""The content store (issue 12 item 4): issued and received PDFs, attachments and the packets kept until they are
acknowledged, addressed by their SHA-256, outside the rows that name them.

A database file (SQLite, the office's and a one-PC bureau's) keeps them as files in a folder beside it
(``attachments/ab/abcdef…``): the database stays a few per cent of its old size, so the start-up ``quick_check``
and every backup walk megabytes, not gigabytes. Files first (S-3): a file is written under a temporary name,
flushed to disk and renamed before the transaction that refers to it commits; a crash in between leaves at most a
file nothing refers to, never a row without its file. Identical bytes are stored once, and a stored file is never
changed, so a backup links it instead of copying it (storage/backup.py).

A server database (PostgreSQL, the bureau's shared one, S-7) keeps them in its ``blobs`` table, in the same
transaction as the rows: several bureau PCs share the server, not a folder on one of them, and the server is
backed up with its own tools. The column is ``STORAGE EXTERNAL`` (db/versions 0006): PDFs do not compress, and
the server spent its CPU trying.

Every read checks the bytes against the hash they are stored under.
"""

from __future__ import annotations

import ctypes
import hashlib
import itertools
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from ..domain.errors import EnvironmentProblem
from ..environment import UNSAVED, environment_errors, translate
from .models import Blob

_CHUNK = 1 << 20
_BATCH = 64
_RELEASED = "blobs_released"
# A stored file never changes: read-only keeps other programs (and the clerk's own Save) from writing into it.
_READ_ONLY = 0o444
_SERIAL = itertools.count()  # temporary names unique within the process; the pid makes them unique across


def beside(db_file: Path) -> Path:
    """The content store of a database file: the folder ``attachments`` next to it."""
    return db_file.parent / "attachments"


def sha256_of(data: bytes | memoryview) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobStore(Protocol):
    """Bytes by their SHA-256. ``session`` is the transaction the referring rows are written in."""

    def put_many(self, session: Session, items: Iterable[bytes | memoryview]) -> list[str]: ...

    def put_hashed(self, session: Session, pairs: Iterable[tuple[str, bytes | memoryview]]) -> None: ...

    def get(self, session: Session, sha: str, what: str) -> bytes: ...

    def after_commit(self, session: Session) -> None: ...

    def abandon(self, session: Session, shas: Iterable[str]) -> None:
        """Bytes stored for a transaction that will roll back, and that nothing else can name (a packet made in
        it): gone now (files), or with the rollback (rows)."""
        ...

    def sizes(self, session: Session, shas: Iterable[str]) -> dict[str, int]:
        """Bytes of each stored item that is there (without reading it)."""
        ...

    def verify(self, session: Session, sha: str) -> str | None:
        """None when the bytes are there and whole, else what is wrong ("缺失", "已损坏")."""
        ...

    def release(self, session: Session, shas: Iterable[str]) -> None:
        """The rows that named ``shas`` no longer do (an acknowledged packet): the bytes go once ``session``
        commits, never before, so a rollback still finds them."""
        ...


def put(session: Session, data: bytes | memoryview) -> str:
    """Store ``data`` for a row about to be written in ``session``; returns its SHA-256."""
    return of(session).put_many(session, [data])[0]


def put_all(session: Session, items: Iterable[bytes | memoryview]) -> list[str]:
    return of(session).put_many(session, items)


def put_hashed(session: Session, pairs: Iterable[tuple[str, bytes | memoryview]]) -> None:
    """Bytes whose SHA-256 the caller checked a moment ago (a packet's members against its signed manifest)."""
    of(session).put_hashed(session, pairs)


def get(session: Session, sha: str, what: str) -> bytes:
    return of(session).get(session, sha, what)


def of(session: Session) -> BlobStore:
    """The store of the database ``session`` belongs to (set by Database.uow)."""
    store = session.info.get("blobs")
    if store is None:
        raise RuntimeError("session has no content store: open it with Database.uow()")
    return store  # type: ignore[no-any-return]


def release(session: Session, shas: Iterable[str | None]) -> None:
    of(session).release(session, [s for s in shas if s])


def _lost(what: str, where: str) -> EnvironmentProblem:
    return EnvironmentProblem(f"{what}的文件已丢失（{where}）。请运行“hecun-office check”，并从备份恢复数据。")


def _damaged(what: str) -> EnvironmentProblem:
    return EnvironmentProblem(f"{what}的文件已被改动或损坏，与保存时的校验值不一致。请从备份恢复数据。")


class _Hashing:
    """What both stores share: bytes are named by their SHA-256, taken here unless the caller has it."""

    def put_many(self, session: Any, items: Iterable[bytes | memoryview]) -> list[str]:
        pairs = [(sha256_of(data), data) for data in items]
        self.put_hashed(session, pairs)
        return [sha for sha, _ in pairs]

    def put_hashed(self, session: Any, pairs: Iterable[tuple[str, bytes | memoryview]]) -> None:
        raise NotImplementedError


def _checked(data: bytes, sha: str, what: str) -> bytes:
    if sha256_of(data) != sha:
        raise _damaged(what)
    return data


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class FileBlobs(_Hashing):
    """Files in a folder beside the database file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def put_hashed(self, session: Session | None, pairs: Iterable[tuple[str, bytes | memoryview]]) -> None:
        """Store bytes whose SHA-256 the caller has just checked (a packet's members, against its signed
        manifest): hashing them again was a tenth of an import."""
        new: dict[str, bytes | memoryview] = {}
        for sha, data in pairs:
            if sha not in new and not self.path(sha).is_file():
                new[sha] = data
        if not new:
            return
        try:
            if _syncfs is not None and len(new) > 1:
                self._write_then_syncfs(list(new.items()))
            else:
                batch = list(new.items())
                for start in range(0, len(batch), _BATCH):
                    self._write(batch[start:start + _BATCH])
        except OSError as exc:
            # A full disk, a read-only folder or a share gone away says so (hecun_office/environment.py); anything
            # else still names the folder. The temporary files are gone and the caller's transaction rolls back.
            problem = translate(exc, "保存文件", self.root, UNSAVED)
            raise problem or EnvironmentProblem(f"无法在“{self.root}”保存文件（{exc.strerror or exc}）。"
                                                f"请检查磁盘空间和权限。{UNSAVED}") from exc

    def _write_then_syncfs(self, items: list[tuple[str, bytes | memoryview]]) -> None:
        """Linux: every file written and closed, ONE flush of the file system, then the renames and a second
        flush. A packet's 600 PDFs took 600 fsyncs (2.5 s of a 6-packet import); the disk now takes them in two
        barriers. The data is on the disk before any name points at it, and the names before the caller commits."""
        written: list[tuple[str, Path]] = []
        try:
            made: set[str] = set()
            stamp = f".incoming-{os.getpid()}-{next(_SERIAL)}-"
            for n, (sha, data) in enumerate(items):
                target = self.path(sha)
                if sha[:2] not in made:  # one mkdir per folder, not per file
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(sha[:2])
                tmp = str(target.parent / f"{stamp}{n}")
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                written.append((tmp, target))
                try:
                    _write_all(fd, data)
                    os.fchmod(fd, _READ_ONLY)
                finally:
                    os.close(fd)
            _flush_file_system(self.root)
            while written:
                tmp, target = written.pop()
                os.replace(tmp, target)
            _flush_file_system(self.root)
        finally:
            for tmp, _target in written:
                Path(tmp).unlink(missing_ok=True)

    def _write(self, batch: list[tuple[str, bytes | memoryview]]) -> None:
        """Elsewhere (Windows): the batch written, then each file flushed, then renamed; a batch keeps the open
        handles well under Windows' 512."""
        pending: list[tuple[int, str, Path]] = []
        try:
            for sha, data in batch:
                target = self.path(sha)
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
                pending.append((fd, tmp, target))
                _write_all(fd, data)
            for fd, _tmp, _target in pending:
                os.fsync(fd)
            folders = {target.parent for _fd, _tmp, target in pending} | {self.root}
            while pending:
                fd, tmp, target = pending.pop()
                os.close(fd)
                os.chmod(tmp, _READ_ONLY)
                os.replace(tmp, target)
            _sync_dirs(folders)
        finally:
            for fd, tmp, _target in pending:
                try:
                    os.close(fd)
                except OSError:
                    pass
                Path(tmp).unlink(missing_ok=True)

    def get(self, session: Session | None, sha: str, what: str) -> bytes:
        target = self.path(sha)
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            raise _lost(what, str(target)) from None
        except OSError as exc:  # there, but locked, unreadable or on a share gone away: not lost
            raise translate(exc, f"读取{what}", target) or _lost(what, str(target)) from exc
        return _checked(data, sha, what)

    def release(self, session: Session, shas: Iterable[str]) -> None:
        session.info.setdefault(_RELEASED, set()).update(shas)

    def abandon(self, session: Session | None, shas: Iterable[str]) -> None:
        for sha in shas:
            _remove(self.path(sha))

    def after_commit(self, session: Session) -> None:
        for sha in session.info.pop(_RELEASED, ()):
            _remove(self.path(sha))  # a backup keeps its own link to it (storage/backup.py)

    def sizes(self, session: Session | None, shas: Iterable[str]) -> dict[str, int]:
        out = {}
        for sha in shas:
            try:
                out[sha] = self.path(sha).stat().st_size
            except OSError:
                continue
        return out

    def verify(self, session: Session | None, sha: str) -> str | None:
        """None when the file is there and whole; else what is wrong (for ``check``), read in chunks."""
        target = self.path(sha)
        digest = hashlib.sha256()
        try:
            with target.open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    digest.update(chunk)
        except OSError:
            return "缺失"
        return None if digest.hexdigest() == sha else "已损坏"


def link_tree(source: Path, target: Path) -> int:
    """Every stored file of ``source`` also in ``target`` (a backup's store, a copied database's): hard links
    where the file system allows (a stored file never changes, so a link costs nothing and cannot drift), copies
    where it does not. Files already there are skipped. Returns how many were added."""
    added = 0
    if not source.is_dir():
        return 0
    for folder in source.iterdir():
        if not folder.is_dir() or len(folder.name) != 2:
            continue
        for item in folder.iterdir():
            if not item.name.startswith(".") and link_file(item, target / folder.name / item.name):
                added += 1
    return added


def link_file(source: Path, target: Path) -> bool:
    """``source`` at ``target`` too, by a hard link or else a flushed copy; False when it was there already."""
    if target.is_file():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    except OSError:  # another drive, FAT32 on a USB stick: a copy, written under a temporary name first
        with environment_errors("复制文件", target.parent):
            _copy_file(source, target)
    return True


def _copy_file(source: Path, target: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(_CHUNK):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, _READ_ONLY)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove(target: Path) -> None:
    try:
        os.chmod(target, 0o600)  # Windows refuses to delete a read-only file
        target.unlink()
    except OSError:
        pass  # already gone; or still open elsewhere, and then only a little disk is not yet given back


def _load_syncfs() -> Callable[[int], int] | None:
    """Linux's syncfs(2): flush one file system (data and names) in one call. None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.syncfs
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int]
    fn.restype = ctypes.c_int
    return fn


_syncfs = _load_syncfs()


def _flush_file_system(folder: Path) -> None:
    assert _syncfs is not None
    fd = os.open(folder, os.O_RDONLY)
    try:
        if _syncfs(fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))
    finally:
        os.close(fd)


def _sync_dirs(folders: Iterable[Path]) -> None:
    """Make the renames durable (POSIX); Windows has no directory handles to flush and needs none."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    for folder in folders:
        fd = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class TableBlobs(_Hashing):
    """Rows of the ``blobs`` table, written in the caller's transaction (PostgreSQL)."""

    def put_hashed(self, session: Session, pairs: Iterable[tuple[str, bytes | memoryview]]) -> None:
        rows: dict[str, bytes] = {}
        for sha, data in pairs:
            rows.setdefault(sha, bytes(data))
        if rows:
            session.execute(pg_insert(Blob).on_conflict_do_nothing(index_elements=["sha256"]),
                            [{"sha256": s, "data": d} for s, d in rows.items()])

    def get(self, session: Session, sha: str, what: str) -> bytes:
        data = session.scalar(select(Blob.data).where(Blob.sha256 == sha))
        if data is None:
            raise _lost(what, "数据库 blobs 表")
        return _checked(bytes(data), sha, what)

    def release(self, session: Session, shas: Iterable[str]) -> None:
        wanted = sorted(set(shas))
        if wanted:
            session.execute(delete(Blob).where(Blob.sha256.in_(wanted)))

    def after_commit(self, session: Session) -> None:
        pass

    def abandon(self, session: Session, shas: Iterable[str]) -> None:
        pass  # the rows go with the rollback

    def sizes(self, session: Session, shas: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(shas))
        out: dict[str, int] = {}
        for start in range(0, len(wanted), 1000):
            out.update((sha, int(n)) for sha, n in session.execute(
                select(Blob.sha256, func.length(Blob.data)).where(Blob.sha256.in_(wanted[start:start + 1000]))))
        return out

    def verify(self, session: Session, sha: str) -> str | None:
        data = session.scalar(select(Blob.data).where(Blob.sha256 == sha))
        if data is None:
            return "缺失"
        return None if sha256_of(data) == sha else "已损坏"
