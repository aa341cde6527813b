"""An office (贺村司法所, ``hecun``) and its bureau (江山市司法局, ``jiangshan``) with keys exchanged, built once per
session from the services and copied per test; a second bureau and an office the bureau never enrolled."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hecun_office.services import setup
from hecun_office.storage.uow import Database

from .pairs import BUREAU_2, OFFICE_2, blank_template, copy_db, enrol, freeze, new_db, shared_home, sqlite


@pytest.fixture(scope="session")
def key_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory for the whole session: the databases built once hold keys whose protection secrets
    live here, and every test that copies them must find those secrets."""
    return tmp_path_factory.mktemp("sync-home")


@pytest.fixture(autouse=True)
def _isolated_home(key_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Overrides the per-test home of tests/conftest.py: still never the clerk's real data directory."""
    monkeypatch.setenv("HECUN_OFFICE_HOME", str(key_home))


@pytest.fixture(scope="session")
def blank(tmp_path_factory: pytest.TempPathFactory, key_home: Path) -> Path:
    with shared_home(key_home):
        return blank_template(tmp_path_factory.mktemp("blank"))


@dataclass(frozen=True)
class PairFiles:
    office: Path
    bureau: Path
    other_bureau: Path  # 衢州市司法局: not the bureau the office pinned
    stranger: Path  # 清湖司法所: pinned our bureau, but the bureau never enrolled it


@pytest.fixture(scope="session")
def pair_files(tmp_path_factory: pytest.TempPathFactory, blank: Path, key_home: Path) -> PairFiles:
    folder = tmp_path_factory.mktemp("pair")
    files = PairFiles(folder / "office.sqlite3", folder / "bureau.sqlite3", folder / "other-bureau.sqlite3",
                      folder / "stranger.sqlite3")
    with shared_home(key_home):
        office = new_db(blank, files.office, setup.default_profile())
        bureau = new_db(blank, files.bureau, setup.default_profile("bureau"))
        other = new_db(blank, files.other_bureau, BUREAU_2)
        stranger = new_db(blank, files.stranger, OFFICE_2)
        enrol(bureau, office)
        enrol(office, bureau)
        enrol(stranger, bureau)
        for db in (office, bureau, other, stranger):
            freeze(db)
    return files


def _open(src: Path, dst: Path) -> Iterator[Database]:
    db = sqlite(copy_db(src, dst))
    yield db
    db.dispose()


@pytest.fixture
def bureau(pair_files: PairFiles, tmp_path: Path) -> Iterator[Database]:
    """A fresh copy of the bureau, in its own folder (its quarantine and attachment store are its own)."""
    yield from _open(pair_files.bureau, tmp_path / "bureau" / "bureau.sqlite3")


@pytest.fixture
def office(pair_files: PairFiles, tmp_path: Path) -> Iterator[Database]:
    yield from _open(pair_files.office, tmp_path / "office" / "office.sqlite3")
