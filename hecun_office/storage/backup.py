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
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from .. import paths
from ..domain.errors import EnvironmentProblem
from ..environment import translate
from . import blobs
from .peek import peek_profile
from .restore_file import file_problem, sync_folder
from .restore_file import restore_sqlite as restore_sqlite  # its callers import it from here

log = logging.getLogger(__name__)


def _verify(path: Path) -> None:
    """A copy this program has just written must read back whole: if not, the disk is at fault."""
    problem = file_problem(path)
    if problem:
        raise EnvironmentProblem(f"刚写入的备份 {path.name} 校验未通过（{problem}），请检查磁盘后重试。")


def verify_backup(backup: Path, db_file: Path | None = None) -> None:
    """A backup the clerk chose, checked before it is used: a damaged one is refused with the advice to choose
    another, and the newest of this database's backups that passes the same check is named (issue 15 item 10)."""
    problem = file_problem(backup)
    if not problem:
        return
    advice = "请选择其他备份。"
    if db_file is not None:
        good = next_good_backup(db_file, backup)
        if good is not None:
            advice = f"请选择其他备份，例如 {good}（{reason_label(good) or '备份'}，{_shown_time(good)}，已校验完好）。"
        else:
            advice = "本数据库的其他备份也都不能使用，请找回别处保存的备份（如U盘上的副本）。"
    raise EnvironmentProblem(f"备份文件 {backup.name} 已损坏或不是数据库（{problem}），不能用来恢复。{advice}")


CHECKED_AT_MOST = 5  # backups tried for a good one: each check reads the whole file


def next_good_backup(db_file: Path, but: Path | None = None) -> Path | None:
    """The newest of ``db_file``'s backups (other than ``but``) that is whole, or None."""
    others = [p for p in list_backups(db_file) if but is None or not _same(p, but)]
    return next((p for p in others[:CHECKED_AT_MOST] if not file_problem(p)), None)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _shown_time(path: Path) -> str:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except OSError:
        return "时间不明"


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
    except (OSError, sqlite3.Error) as exc:  # SQLite's backup reports a full disk as OperationalError, not OSError
        tmp.unlink(missing_ok=True)
        problem = translate(exc, "备份", dest.parent)
        if problem is not None:
            raise problem from exc
        if isinstance(exc, OSError):
            raise EnvironmentProblem(f"无法写入备份（{exc.strerror}），请检查磁盘空间和权限。") from exc
        raise
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
    touched: set[Path] = set()
    for sha in sorted(referenced_blobs(db_path)):
        if (target / sha[:2] / sha).is_file():
            continue
        origin = source / sha[:2] / sha
        if not origin.is_file():
            missing.append(sha)
            continue
        try:
            blobs.link_file(origin, target / sha[:2] / sha)
            touched.add(target / sha[:2])
        except OSError as exc:
            raise EnvironmentProblem(f"无法把内容库文件复制到“{target}”（{exc.strerror or exc}），请检查磁盘空间和权限。"
                                     ) from None
    # Durable before the caller goes on: restore swaps in a database that names these files right after.
    for folder in (*sorted(touched), *((target,) if touched else ())):
        sync_folder(folder)
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
    """SQLite's quick_check: "ok", or every problem it reports, one per line (summarise_check for a message)."""
    with engine.connect() as conn:
        return "\n".join(str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check"))


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


def backup_profile(backup: Path, db_file: Path | None = None) -> dict[str, object] | None:
    """The office profile a backup holds (read-only), or None when it holds none (set-up never completed). A
    damaged backup is refused (verify_backup: the advice names a good one of ``db_file``'s backups)."""
    verify_backup(backup, db_file)
    return peek_profile(backup)


def safety_copies(db_file: Path) -> list[Path]:
    """The replaced databases restore kept beside ``db_file`` (``office-replaced-…``), newest first."""
    return sorted(db_file.parent.glob(f"{glob.escape(db_file.stem)}-replaced-*{db_file.suffix}"), reverse=True)
