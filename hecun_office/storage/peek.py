"""A read-only look at the office profile with the standard library only.

`render` on a set-up PC needs the office's names for the letterhead, not the ORM: importing SQLAlchemy, the models
and the migration runner costs about half a second, three times the rest of the command (issue 10, cold start).
Anything unexpected — another schema, a locked or damaged file, no profile yet — gives None, and the caller takes
the full path through storage, which also says what is wrong.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

# The fields of services.setup.ProfileView, in its order; a test keeps the two equal.
PROFILE_COLUMNS = ("mode", "name", "abbr", "code", "bureau_name", "county", "township", "rectification_days")


def _read_only(file: Path, timeout: float) -> sqlite3.Connection:
    """A connection that never creates or changes the file (SQLite's read-only URI)."""
    return sqlite3.connect(file.resolve().as_uri() + "?mode=ro", uri=True, timeout=timeout)


def peek_profile(file: Path) -> dict[str, object] | None:
    try:
        with closing(_read_only(file, timeout=5)) as conn:
            row = conn.execute(f"SELECT {', '.join(PROFILE_COLUMNS)} FROM office_profile ORDER BY id LIMIT 1"
                               ).fetchone()
    except (sqlite3.Error, OSError, ValueError):
        return None
    return dict(zip(PROFILE_COLUMNS, row, strict=True)) if row is not None else None


class EarlyCheck:
    """SQLite's quick_check of the database file (N-1), started on its own thread before the window's imports.

    The check reads every page — half a second for 100,000 matters — and SQLite releases the GIL while it runs, so
    it overlaps the import of Qt and the user interface instead of adding to the start-up (issue 10). A result of
    None means the check could not run this way (no file yet, a file SQLite cannot open read-only): the opening
    then checks as before, through the engine.
    """

    def __init__(self, file: Path) -> None:
        self._file = file
        self._result: str | None = None
        self._thread = threading.Thread(target=self._run, name="hecun-quick-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with closing(_read_only(self._file, timeout=30)) as conn:
                row = conn.execute("PRAGMA quick_check").fetchone()
            self._result = str(row[0]) if row is not None else None
        except (sqlite3.Error, OSError, ValueError):
            self._result = None

    def result(self) -> str | None:
        self._thread.join()
        return self._result
