"""Storage tests run on real SQLite files under tmp_path, never in the clerk's data directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hecun_office.storage.uow import Database


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HECUN_OFFICE_HOME", str(home))
    monkeypatch.delenv("HECUN_OFFICE_DB", raising=False)


@pytest.fixture
def opened() -> Iterator[list[Database]]:
    """Append every database a test opens; they are disposed afterwards so no file stays in use."""
    dbs: list[Database] = []
    yield dbs
    for db in dbs:
        db.dispose()
