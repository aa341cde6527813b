"""Verified online backups of the SQLite database (N-1), with the content store the copy names.

A database file's PDFs, attachments and kept packets are files in the folder ``attachments`` beside it
(storage/blobs.py); a backup's are in ``attachments`` beside the backup (``backups/attachments``, shared by every
backup there, or beside a copy written elsewhere). A stored file never changes, so each backup adds only the files
it names that are not there yet, by hard link (no extra disk, the backup does not grow by the store's size) or
by copy on another drive; restore brings back into the live store whatever the restored database names and the
live store lacks."""

from __future__ import annotations

import glob
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from .. import paths
from ..domain.errors import EnvironmentProblem
from . import blobs
from .peek import peek_profile

log = logging.getLogger(__name__)


def _verify(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        result = con.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        con.close()
    if result != "ok":
        raise EnvironmentProblem(f"备份文件校验失败（{path.name}：{result}），请检查磁盘后重试。")


# What the clerk reads for the reason part of a backup's name (``office-20260302-101500-000000-daily.sqlite3``).
REASONS = {"daily": "每日自动备份", "manual": "手动备份", "before-restore": "恢复前自动备份",
           "before-intake": "导入工单前自动备份", "before-packet-import": "导入数据包前自动备份"}
_NAME = re.compile(r"-(\d{8}-\d{6})-\d{6}-(.+)\.sqlite3$")

Progress = Callable[[int, int], None]  # (pages copied, pages in all); raising in it stops the copy
PAGES_PER_STEP = 256  # 1 MiB at SQLite's default page size: a progress step per megabyte


def reason_label(backup: Path) -> str:
    """Why ``backup`` was made, in Chinese, from its name; '' for a name this program did not give."""
    match = _NAME.search(backup.name)
    if match is None:
        return ""
    reason = match.group(2)
    if reason.startswith("pre-migration"):
        return "升级前自动备份"
    return REASONS.get(reason, reason)


def backup_sqlite(engine: Engine, db_file: Path, reason: str = "manual", target: Path | None = None,
                  progress: Progress | None = None) -> Path:
    """Copy the live database with SQLite's online backup API, then check the copy. ``progress`` is called after
    each step; an exception it raises stops the copy, and no backup (not even a part file) is left."""
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        return _copy(source, db_file, reason, target, progress)
    finally:
        raw.close()


def backup_file(db_file: Path, reason: str) -> Path:
    """The same verified copy of a database file no engine has open (restore, from the command line too)."""
    try:
        source = sqlite3.connect(db_file)
    except sqlite3.Error as exc:
        raise EnvironmentProblem(f"无法打开 {db_file.name} 进行备份（{exc}）。") from None
    try:
        return _copy(source, db_file, reason, None, None)
    finally:
        source.close()


def _copy(source: sqlite3.Connection, db_file: Path, reason: str, target: Path | None,
          progress: Progress | None) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = target or paths.backups_dir(db_file) / f"{db_file.stem}-{stamp}-{reason}.sqlite3"
    tmp = dest.with_suffix(dest.suffix + ".part")

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    try:
        out = sqlite3.connect(tmp)
        try:
            source.backup(out, pages=PAGES_PER_STEP if progress is not None else -1, progress=step)
        finally:
            out.close()
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EnvironmentProblem(f"无法写入备份（{exc.strerror}），请检查磁盘空间和权限。") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)  # stopped (cancelled) or failed: no half copy is left to look like a backup
        raise
    _verify(tmp)
    missing = carry_blobs(tmp, blobs.beside(db_file), blobs.beside(dest))
    if missing:
        log.warning("备份 %s：内容库中缺少 %d 个文件（请运行 check）", dest.name, len(missing))
    tmp.replace(dest)
    return dest


# Where a database names stored bytes: (table, column). Older schemas lack some; they are skipped.
BLOB_REFERENCES = (("document_files", "sha256"), ("attachments", "sha256"), ("packets_out", "data_sha256"),
                   ("packets_in", "data_sha256"))


def referenced_blobs(db_path: Path) -> set[str]:
    """Every SHA-256 the database file at ``db_path`` names in its content store (read-only)."""
    # immutable: a backup is never written again, and a read-only open of a WAL-mode copy would otherwise leave
    # -wal and -shm files beside it.
    con = sqlite3.connect(f"{db_path.resolve().as_uri()}?immutable=1", uri=True)
    found: set[str] = set()
    try:
        for table, column in BLOB_REFERENCES:
            columns = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
            if column not in columns or columns & {"pdf", "data"}:
                continue  # not there yet, or a schema before 0006 that keeps the bytes in its rows
            try:
                found.update(r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {table} "
                                                       f"WHERE {column} IS NOT NULL"))
            except sqlite3.OperationalError:
                continue
    finally:
        con.close()
    return found


def prune_blobs(folder: Path) -> int:
    """Drop from a backups folder's store the files no backup there names any more (after thinning): without this,
    the packets an office sent and the bureau confirmed would stay on the disk for ever through the backups'
    links. Every database file of the folder counts (several databases may share it); while a backup is being
    written (a .part file) nothing is dropped, since its files are linked before its name appears."""
    store = folder / "attachments"
    if not store.is_dir() or any(folder.glob("*.part")):
        return 0
    named: set[str] = set()
    for backup in folder.glob("*.sqlite3"):
        try:
            named |= referenced_blobs(backup)
        except sqlite3.Error:
            return 0  # a backup that cannot be read may still name files: keep them all
    dropped = 0
    for item in store.glob("??/*"):
        if item.name not in named and not item.name.startswith("."):
            try:
                os.chmod(item, 0o600)
                item.unlink()
                dropped += 1
            except OSError:
                continue
    return dropped


def carry_blobs(db_path: Path, source: Path, target: Path) -> list[str]:
    """The stored files ``db_path`` names, from the store ``source`` into the store ``target`` where missing
    there (link, else copy). Returns the names found in neither."""
    if source.resolve() == target.resolve():
        return []
    missing = []
    for sha in sorted(referenced_blobs(db_path)):
        if (target / sha[:2] / sha).is_file():
            continue
        origin = source / sha[:2] / sha
        if not origin.is_file():
            missing.append(sha)
            continue
        try:
            blobs.link_file(origin, target / sha[:2] / sha)
        except OSError as exc:
            raise EnvironmentProblem(f"无法把内容库文件复制到“{target}”（{exc.strerror or exc}），请检查磁盘空间和权限。"
                                     ) from None
    return missing


def audit_head(backup: Path) -> tuple[int, str] | None:
    """The last audit entry a backup holds (id, hash), read without changing the file; None when it holds none or
    cannot be read. Every change the services make is audited (N-1), so this says which state the backup is of."""
    try:
        con = sqlite3.connect(f"{backup.resolve().as_uri()}?immutable=1", uri=True)  # no -wal/-shm left beside it
    except sqlite3.Error:
        return None
    try:
        row = con.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return (int(row[0]), str(row[1])) if row is not None else None


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

    Returns where the replaced database was kept, if there was one. The caller must have closed every connection
    to ``db_file`` first. The database file is never missing, whenever the process is killed: the copy is made
    and flushed beside it first, the old file gets its second name by a hard link (a copy where links are not
    possible), its -wal and -shm move aside with it, and one atomic rename puts the copy in place. A -wal left
    next to the restored file would be replayed into it, so it goes before the rename, never after."""
    if not backup.is_file():
        raise EnvironmentProblem(f"找不到备份文件 {backup}。可用 hecun-office restore 列出现有备份。")
    try:
        _verify(backup)
    except sqlite3.DatabaseError as exc:
        raise EnvironmentProblem(f"备份文件 {backup.name} 已损坏或不是数据库（{exc}），请选择其他备份。") from None
    tmp = db_file.with_name(db_file.name + ".restoring")
    try:
        shutil.copyfile(backup, tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EnvironmentProblem(f"无法复制备份（{exc.strerror}），请检查磁盘空间和权限。数据库没有改动。") from exc
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_file.with_name(f"{db_file.stem}-replaced-{stamp}{db_file.suffix}") if db_file.exists() else None
    moved: list[tuple[Path, Path]] = []
    try:
        if aside is not None:
            try:
                os.link(db_file, aside)
            except OSError:
                shutil.copy2(db_file, aside)
            for suffix in ("-wal", "-shm"):
                side = db_file.with_name(db_file.name + suffix)
                if side.exists():
                    side.replace(aside.with_name(aside.name + suffix))
                    moved.append((aside.with_name(aside.name + suffix), side))
        tmp.replace(db_file)
    except OSError as exc:  # Windows: the file is still open somewhere. Put back what moved; nothing changed.
        for now, was in reversed(moved):
            now.replace(was)
        if aside is not None:
            aside.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
        raise EnvironmentProblem(f"数据库文件正被使用，无法替换（{exc.strerror}）。请关闭使用它的程序后重试。"
                                 "数据库没有改动。") from exc
    return aside
