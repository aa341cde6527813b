"""The ledger office (ledger_data.py) built once per session and copied per test; the county likewise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from county_data import County, copy_county
from db_copies import copy_key_secrets, open_copy

from hecun_office.storage.uow import Database

from .ledger_data import LedgerOffice, build_template


@pytest.fixture(scope="session")
def ledger_office_template(tmp_path_factory: pytest.TempPathFactory,
                           _template_db: Path) -> tuple[Path, Path, LedgerOffice]:
    return build_template(tmp_path_factory.mktemp("ledger-office"), _template_db)


@pytest.fixture
def ledger_office(ledger_office_template: tuple[Path, Path, LedgerOffice]) -> LedgerOffice:
    return ledger_office_template[2]


@pytest.fixture
def ledger_db(tmp_path: Path, ledger_office_template: tuple[Path, Path, LedgerOffice]) -> Iterator[Database]:
    path, home, _ = ledger_office_template
    database = open_copy(path, tmp_path / "office" / "office.sqlite3", home)
    yield database
    database.dispose()


@pytest.fixture
def county(tmp_path: Path, county_template: County) -> Iterator[County]:
    copied = copy_county(county_template, tmp_path / "county")
    copy_key_secrets(tmp_path / "county" / "home")
    yield copied
    copied.dispose()
