"""N-1: a verified backup once a day (at start and while the program runs), then thinning of old ones; one before
an import that will change something, unless today's still holds the same data; a backup on request with progress,
this database's backups listed, and restore with its checks — one set of functions for `backup`/`restore` on the
command line and 设置 → 数据维护 in the window (SPEC C)."""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from ..domain.errors import DomainError, HecunError, ValidationError
from ..domain.permissions import Permission, require
from ..storage import blobs
from ..storage.backup import (
    audit_head,
    backup_file,
    backup_profile,
    backup_sqlite,
    carry_blobs,
    list_backups,
    prune_blobs,
    reason_label,
    restore_sqlite,
    safety_copies,
)
from ..storage.models import AuditEntry
from ..storage.peek import peek_profile
from ..storage.restore_file import header_problem
from ..storage.thinning import to_delete
from ..storage.uow import Database
from .audit import Actor

log = logging.getLogger(__name__)

# PostgreSQL (county mode) keeps its data on the server: the program neither copies nor replaces it (opening.py).
PG_BACKUP = "PostgreSQL 数据库由数据库服务器保存，不能在本程序中备份；请数据库管理员用 pg_dump 备份。"
PG_RESTORE = "PostgreSQL 数据库由数据库服务器保存，不能在本程序中恢复；请数据库管理员用 pg_restore 恢复。"

DAILY = timedelta(hours=24)


def _taken_at(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime)


def last_backup(db: Database) -> datetime | None:
    """Time of the newest verified backup (shown in the status bar; decides whether today's is due)."""
    if db.file is None:
        return None
    backups = list_backups(db.file)  # finished copies only: an interrupted one is still a .part file
    return _taken_at(backups[0]).replace(microsecond=0) if backups else None


def ensure_daily_backup(db: Database, now: datetime | None = None) -> Path | None:
    """Back up if the newest backup is a day old (or there is none); then thin. Returns the new backup, if any."""
    if db.file is None:  # PostgreSQL is backed up by its own tools (pg_dump), not by the application
        return None
    now = now or datetime.now()
    latest = last_backup(db)
    made = None
    if latest is None or now - latest >= DAILY:
        made = backup_sqlite(db.engine, db.file, reason="daily")
    thin(db.file, now)
    return made


# Backups of the live database as it was, at the current schema: one of them taken today that still holds the
# state an import starts from makes a new copy pointless (a before-restore backup holds a replaced database, a
# pre-migration one the older schema).
_REUSABLE = ("daily", "manual", "before-intake", "before-packet-import")
# Audit entries that change no data, only the import history: a packet already imported, or refused. A parked packet
# is kept in the database (until its turn comes), so parking counts as a change.
_NO_CHANGE = frozenset({"packet.duplicate", "packet.rejected", "packet.alarm"})


def backup_before_import(db: Database, now: datetime | None = None,
                         reason: str = "before-packet-import") -> Path | None:
    """N-1's backup before an import (issue 12): a verified copy of the database as it is, then thinning.

    Not taken again when a backup made today still holds this state: its last audit entry is still the live
    chain's, and nothing after it changed data (only "already imported" and refused packets were recorded). Every
    change the services make is audited, so the chain head says whether anything changed; the audit log is
    append-only and hash-chained, so a restored or re-written database does not pass for the same state.
    Returns the backup that holds the state before the import (new or today's), None on PostgreSQL, which the
    database server backs up (pg_dump), not this program."""
    if db.file is None:
        return None
    now = now or datetime.now()
    current = _current_backup(db, db.file, now)
    if current is not None:
        log.info("备份 %s 仍是当前数据，本次导入前不再备份", current.name)
        return current
    made = backup_sqlite(db.engine, db.file, reason=reason)
    thin(db.file, now)
    return made


def _current_backup(db: Database, db_file: Path, now: datetime) -> Path | None:
    newest = next((p for p in list_backups(db_file) if p.name.endswith(tuple(f"-{r}.sqlite3" for r in _REUSABLE))),
                  None)
    if newest is None or _taken_at(newest).date() != now.date():
        return None
    head = audit_head(newest)
    if head is None:
        return None
    with db.uow() as session:
        if session.scalar(select(AuditEntry.hash).where(AuditEntry.id == head[0])) != head[1]:
            return None
        since = set(session.scalars(select(AuditEntry.action).where(AuditEntry.id > head[0]).distinct()))
    return newest if since <= _NO_CHANGE else None


def thin(db_file: Path, now: datetime) -> list[Path]:
    backups = {p.name: p for p in list_backups(db_file)}
    doomed = to_delete([(name, _taken_at(p)) for name, p in backups.items()], now)
    for name in doomed:
        backups[name].unlink(missing_ok=True)
    if doomed:
        prune_blobs(db_file.parent / "backups")
    return [backups[n] for n in doomed]


@dataclass(frozen=True)
class BackupRow:
    path: Path
    taken_at: datetime
    kind: str  # why it was made, in Chinese (每日自动备份, 手动备份, …)
    size: int  # bytes


def backup_rows(db_file: Path) -> list[BackupRow]:
    """This database's backups, newest first (never those of another database in the same folder)."""
    rows = []
    for path in list_backups(db_file):
        try:
            rows.append(describe_backup(path))
        except OSError:  # thinned meanwhile
            continue
    return rows


def describe_backup(path: Path) -> BackupRow:
    stat = path.stat()
    return BackupRow(path, datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0), reason_label(path),
                     stat.st_size)


def vet_backup(backup: Path, db_file: Path) -> BackupRow:
    """What the window shows before it asks to confirm a restore: the backup checked as restore will check it."""
    if not backup.is_file():
        raise ValidationError(f"找不到备份文件 {backup}。")
    check_backup_belongs(backup, db_file)
    return describe_backup(backup)


class _Stop(Exception):
    """Raised in SQLite's progress callback: stops the copy (the clerk cancelled)."""


def backup_steps(db: Database, reason: str = "manual") -> Generator[tuple[int, int], None, Path]:
    """A verified backup now, yielding (pages copied, pages); closing the generator stops the copy, and no part of
    it is left. SQLite copies in one call that reports through a callback, so the copy runs on a helper thread
    and the callback's reports come back here as steps."""
    file = db.file
    if file is None:
        raise DomainError(PG_BACKUP)
    updates: queue.Queue[tuple[int, int] | None] = queue.Queue()
    stop = threading.Event()
    outcome: dict[str, object] = {}

    def progress(done: int, total: int) -> None:
        if stop.is_set():
            raise _Stop
        updates.put((done, total))

    def work() -> None:
        try:
            outcome["path"] = backup_sqlite(db.engine, file, reason=reason, progress=progress)
        except BaseException as exc:  # handed to the generator's caller
            outcome["error"] = exc
        finally:
            updates.put(None)

    thread = threading.Thread(target=work, name="hecun-backup", daemon=True)
    thread.start()
    try:
        while (item := updates.get()) is not None:
            yield item
    finally:
        stop.set()
        thread.join()
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    path = outcome["path"]
    assert isinstance(path, Path)
    return path


def installation(profile: dict[str, object]) -> str:
    side = "司法局端" if profile.get("mode") == "bureau" else "司法所端"
    return f"{profile.get('name')}（{side}，机构代码 {profile.get('code')}）"


def check_backup_belongs(backup: Path, db_file: Path) -> None:
    """A backup is put in place only over the installation it was made of: same office code and mode (issue 11).
    A missing backup file passes here; restore_sqlite names it."""
    if not backup.is_file():
        return
    saved = backup_profile(backup, db_file)
    live = peek_profile(db_file) if db_file.is_file() else None
    if live is None:
        if db_file.is_file() or any(backup.resolve() == p.resolve() for p in (*list_backups(db_file),
                                                                              *safety_copies(db_file))):
            # Set-up never completed there, or the database file is lost and this is one of its backups or the
            # copy an interrupted restore kept of it.
            return
        raise ValidationError(f"数据库文件 {db_file} 不存在，{backup.name} 也不是它的备份，未恢复。请检查 --db 的路径；"
                              f"可用 hecun-office --db \"{db_file}\" restore 列出它的备份。")
    if saved is None:
        raise ValidationError(f"备份 {backup.name} 中没有机构信息（初始设置未完成），不是 {installation(live)} 的备份，"
                              "未恢复。")
    if (saved.get("code"), saved.get("mode")) != (live.get("code"), live.get("mode")):
        raise ValidationError(f"备份 {backup.name} 属于 {installation(saved)}，而此数据库是 {installation(live)}，"
                              "未恢复。请选择本数据库的备份（不带参数运行 restore 可列出），或用 --db 指定对应的数据库。")


@dataclass(frozen=True)
class Restored:
    backup: Path
    aside: Path | None  # the replaced database file, renamed and kept
    safety_copy: Path | None  # a verified backup of the replaced state, in the backups folder (listed with them)
    safety_problem: str  # why no such copy could be made (a damaged database: what restore is often for)
    missing_files: int = 0  # stored files (PDFs, attachments) the restored database names and no store holds


RESTORE_STEPS = 3


def restore_steps(db_file: Path, backup: Path, *, actor: Actor | None = None,
                  close: Callable[[], None] | None = None) -> Generator[tuple[int, int], None, Restored]:
    """Check that ``backup`` is this database's, back up the state it replaces, put it in place.

    ``actor``: the user restoring in the window (SETTINGS_MANAGE); the command line restores as whoever may
    write the file, since a damaged database may not let anyone log in. ``close``: closes the caller's
    connections (the window's engine) once the checks have passed, before any file is touched. Not cancellable
    past the checks: the caller must not stop it half-way."""
    if actor is not None:
        require(actor.role, Permission.SETTINGS_MANAGE)
    yield 0, RESTORE_STEPS
    check_backup_belongs(backup, db_file)
    if close is not None:
        close()
    yield 1, RESTORE_STEPS
    safety, problem = None, ""
    unusable = header_problem(db_file) if db_file.is_file() else ""
    if unusable:  # an empty or foreign file: a "backup" of it would only push the good ones down the list
        problem = f"数据库文件{unusable}"
    elif db_file.is_file():
        try:
            safety = backup_file(db_file, "before-restore")
        except (HecunError, sqlite3.Error, OSError) as exc:
            problem = str(exc)
            log.warning("恢复前未能备份 %s：%s", db_file, exc)
    yield 2, RESTORE_STEPS
    # Files first: what the restored database names is in the live store before the database is swapped in.
    missing = carry_blobs(backup, blobs.beside(backup), blobs.beside(db_file))
    aside = restore_sqlite(backup, db_file)
    log.info("从 %s 恢复了 %s（原文件保留为 %s）", backup, db_file, aside)
    if missing:
        log.warning("恢复 %s：内容库中找不到 %d 个文件", backup.name, len(missing))
    yield RESTORE_STEPS, RESTORE_STEPS
    return Restored(backup, aside, safety, problem, len(missing))


def restore_database(db_file: Path, backup: Path, *, actor: Actor | None = None,
                     close: Callable[[], None] | None = None) -> Restored:
    """restore_steps without progress (the command line)."""
    steps = restore_steps(db_file, backup, actor=actor, close=close)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            result = done.value
            assert isinstance(result, Restored)
            return result

