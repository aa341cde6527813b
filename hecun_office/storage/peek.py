"""A read-only look at the office profile with the standard library only.

`render` on a set-up PC needs the office's names for the letterhead, not the ORM: importing SQLAlchemy, the models
and the migration runner costs about half a second, three times the rest of the command (issue 10, cold start).
Anything unexpected — another schema, a locked or damaged file, no profile yet — gives None, and the caller takes
the full path through storage, which also says what is wrong.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

# The fields of services.setup.ProfileView, in its order; a test keeps the two equal.
PROFILE_COLUMNS = ("mode", "name", "abbr", "code", "bureau_name", "county", "township", "rectification_days")


def peek_profile(file: Path) -> dict[str, object] | None:
    try:
        uri = file.resolve().as_uri() + "?mode=ro"  # never creates or changes the file
        with closing(sqlite3.connect(uri, uri=True, timeout=5)) as conn:
            row = conn.execute(f"SELECT {', '.join(PROFILE_COLUMNS)} FROM office_profile ORDER BY id LIMIT 1"
                               ).fetchone()
    except (sqlite3.Error, OSError, ValueError):
        return None
    return dict(zip(PROFILE_COLUMNS, row, strict=True)) if row is not None else None
