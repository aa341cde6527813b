"""N-1: a verified backup once a day (at start and while the program runs), then thinning of old ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from ..storage.backup import backup_sqlite, list_backups
from ..storage.thinning import to_delete
from ..storage.uow import Database

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


def thin(db_file: Path, now: datetime) -> list[Path]:
    backups = {p.name: p for p in list_backups(db_file)}
    doomed = to_delete([(name, _taken_at(p)) for name, p in backups.items()], now)
    for name in doomed:
        backups[name].unlink(missing_ok=True)
    return [backups[n] for n in doomed]
