"""Shared fixtures: a real SQLite file per test, set up as 贺村司法所 on 2026-01-05; for county mode (S-7) a real
PostgreSQL server started once per session, with a fresh empty database per test (``pg_url``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pg import NoPostgres, PostgresServer, start_server
from sqlalchemy import select

from hecun_office.services import setup
from hecun_office.services.audit import Actor
from hecun_office.services.passwords import hash_password
from hecun_office.storage.models import User
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the clerk's real data directory."""
    monkeypatch.setenv("HECUN_OFFICE_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "office.sqlite3"


def copy_key_secrets(source_home: Path) -> None:
    """A copied database needs its key-protection secrets (S-6: kept outside the database, in the data directory)."""
    source = source_home / "keys"
    if source.is_dir():
        shutil.copytree(source, Path(os.environ["HECUN_OFFICE_HOME"]) / "keys", dirs_exist_ok=True)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Set up once (seeding 20+ years of calendar takes most of a second), copied for every test."""
    path = tmp_path_factory.mktemp("template") / "office.sqlite3"
    home = path.parent / "home"
    previous = os.environ.get("HECUN_OFFICE_HOME")
    os.environ["HECUN_OFFICE_HOME"] = str(home)  # the template's key secret lives beside it, copied per test
    database = open_database(f"sqlite:///{path}")
    setup.setup_database(database, setup.default_profile(), setup.UserInput("wang", "王晓燕", "clerk", "secret1"),
                         created_at=datetime(2026, 1, 5, 9, 0))
    # The clerk above works matters; settings, calendar and accounts need the administrator (U-6).
    with database.uow() as session:
        session.add(User(username="admin", display_name="管理员", role="admin",
                         password_hash=hash_password("secret1"), created_at=datetime(2026, 1, 5, 9, 0)))
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    if previous is not None:
        os.environ["HECUN_OFFICE_HOME"] = previous
    return path


@pytest.fixture
def db(db_path: Path, _template_db: Path) -> Iterator[Database]:
    shutil.copyfile(_template_db, db_path)
    copy_key_secrets(_template_db.parent / "home")
    database = open_database(f"sqlite:///{db_path}")
    yield database
    database.dispose()


@pytest.fixture
def actor(db: Database) -> Actor:
    return setup.default_actor(db)


@pytest.fixture
def admin(db: Database) -> Actor:
    with db.uow() as session:
        user = session.scalars(select(User).where(User.username == "admin")).one()
        return Actor(user.display_name, user.id, user.role)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL cluster for the whole session (tests/pg.py); started only if a test asks for it.
    Missing server binaries fail the tests: county mode is never left untested (S-7)."""
    try:
        server = start_server()
    except NoPostgres as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> Iterator[str]:
    """SQLAlchemy URL of a new, empty database on the session's server: tests share no state."""
    name = pg_server.create_database()
    yield pg_server.url(name)
    pg_server.drop_database(name)
