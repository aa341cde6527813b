"""Databases built once and copied per test.

Setting up an office database seeds twenty-odd years of calendar and the frequent-matter templates (about half a
second); copying the finished file takes milliseconds. A copy needs the template's key-protection secrets too
(S-6: kept outside the database, under HECUN_OFFICE_HOME), so a template is built with a data directory of its own
(``shared_home``) and ``copy_key_secrets`` brings those secrets into the test's data directory.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from hecun_office.storage.blobs import link_tree
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database


@contextmanager
def shared_home(path: Path) -> Iterator[Path]:
    """HECUN_OFFICE_HOME for fixtures wider than one test (the autouse per-test home is not set up yet)."""
    old = os.environ.get("HECUN_OFFICE_HOME")
    os.environ["HECUN_OFFICE_HOME"] = str(path)
    try:
        yield path
    finally:
        if old is None:
            os.environ.pop("HECUN_OFFICE_HOME", None)
        else:
            os.environ["HECUN_OFFICE_HOME"] = old


def freeze(db: Database) -> None:
    """Fold the WAL into the file and close, so that a plain file copy is the whole database."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()


def copy_key_secrets(source_home: Path) -> None:
    """A copied database needs its key-protection secrets (S-6: kept outside the database, in the data directory)."""
    source = source_home / "keys"
    if source.is_dir():
        shutil.copytree(source, Path(os.environ["HECUN_OFFICE_HOME"]) / "keys", dirs_exist_ok=True)


def open_copy(template: Path, path: Path, home: Path | None = None) -> Database:
    """``template`` (a frozen SQLite file) copied to ``path`` and opened; with the key secrets of ``home``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    link_tree(template.parent / "attachments", path.parent / "attachments")  # its content store goes with it
    if home is not None:
        copy_key_secrets(home)
    return open_database(f"sqlite:///{path}")


DEMO_DAY = "2026-11-20"  # a Friday


@dataclass(frozen=True)
class DemoTemplate:
    path: Path  # the frozen database the CLI's `demo` made
    home: Path  # its key secrets
    code: int  # what `demo` returned and printed
    output: str


def demo_copy(template: DemoTemplate, path: Path) -> Path:
    """A copy of the demo database at ``path`` with its key secrets in this test's home."""
    assert template.code == 0, template.output
    open_copy(template.path, path, template.home).dispose()
    return path
