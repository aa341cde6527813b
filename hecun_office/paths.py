"""The one place that finds forms/, db/ and resources/ (N-3) and the per-user data and cache directories.

Three layouts are supported: an installed wheel (bundled under hecun_office/_bundled/), the source
tree (top-level folders beside the package), and a PyInstaller bundle (sys._MEIPASS).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

APP_NAME = "hecun-office"
_PACKAGE = Path(__file__).resolve().parent


@cache
def _root_for(name: str) -> Path:
    candidates = [_PACKAGE / "_bundled" / name, _PACKAGE.parent / name]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.insert(0, Path(frozen) / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"程序文件不完整：找不到 {name} 目录（已查找 {', '.join(map(str, candidates))}），请重新安装。")


def forms_dir() -> Path:
    return _root_for("forms")


def migrations_dir() -> Path:
    return _root_for("db")


def resources_dir() -> Path:
    return _root_for("resources")


def data_dir() -> Path:
    """Per-user *local* (not roaming) data directory; HECUN_OFFICE_HOME overrides it (tests, portable use)."""
    override = os.environ.get("HECUN_OFFICE_HOME")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Per-user cache (font metrics): what is in it can be rebuilt, so it may be deleted at any time. Not created here.

    HECUN_OFFICE_CACHE overrides it; with HECUN_OFFICE_HOME set (tests, portable use) it is ``cache`` inside that
    folder, so a portable copy or a test run leaves nothing in the user's own cache; otherwise the OS's per-user
    cache directory (``%LOCALAPPDATA%\\hecun-office\\Cache`` on Windows, ``~/.cache/hecun-office`` on Linux)."""
    override = os.environ.get("HECUN_OFFICE_CACHE")
    if override:
        return Path(override)
    home = os.environ.get("HECUN_OFFICE_HOME")
    if home:
        return Path(home) / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "hecun-office.sqlite3"


def backups_dir(db_file: Path) -> Path:
    path = db_file.parent / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def quarantine_dir(db_file: Path | None) -> Path:
    return store_dir(db_file, "quarantine")


def store_dir(db_file: Path | None, name: str) -> Path:
    """A folder of files that belong with the database: beside its SQLite file, or (a database on a server) in
    this PC's data directory."""
    path = (db_file.parent if db_file is not None else data_dir()) / name
    path.mkdir(parents=True, exist_ok=True)
    return path
