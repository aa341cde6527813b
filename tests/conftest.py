"""Shared fixtures: a real SQLite file per test, set up as 贺村司法所 on 2026-01-05 (copied from a session template);
for county mode (S-7) a real PostgreSQL server started once per session, with a fresh empty database per test
(``pg_url``); ``backend_url`` for a test parametrized over ``backend`` ("sqlite", "postgresql"); and the county of
tests/county_data.py, built once per session and copied (``county_template``).

Tests that use ``qtbot`` are marked ``gui`` here, so ``-m "not gui"`` leaves out every widget test."""

from __future__ import annotations

import contextlib
import gc
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from county_data import County, build_county
from db_copies import DEMO_DAY, DemoTemplate, freeze, open_copy, shared_home
from pg import NoPostgres, PostgresServer, start_server
from sqlalchemy import select

from hecun_office.services import setup
from hecun_office.services.audit import Actor
from hecun_office.services.passwords import hash_password
from hecun_office.storage.models import User
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database
from hecun_office.ui.collector import collect_due


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the clerk's real data directory."""
    monkeypatch.setenv("HECUN_OFFICE_HOME", str(tmp_path_factory.mktemp("home")))


_THRESHOLDS = gc.get_threshold()


def pytest_configure(config: pytest.Config) -> None:
    """As in the program (hecun_office/ui/collector.py), no thread but the main one ever starts a garbage
    collection, from the first test on: a worker thread of any test (packet import's reader, a runner's database
    worker) that tripped the threshold would finalize whatever garbage was waiting, Qt objects of an earlier test
    included, off the GUI thread. CI lost two runs to that segmentation fault while collection was switched off
    only once a qtbot test had run: a test using ``qapp`` without ``qtbot`` (the table models) made Qt objects
    before it. The main thread collects after every test instead (_collect_on_the_main_thread)."""
    gc.disable()


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    widgets = "qtbot" in request.fixturenames or "qapp" in request.fixturenames
    if widgets:
        from hecun_office.ui.collector import install_gui_collector

        # Not on the program's 1 s timer: it fired inside pytest-qt's event processing after a test had returned,
        # while that test's windows were still open but already garbage, and destroying them there crashed a CI
        # run (segmentation fault in collect_due). Here a collection happens only below, once pytest-qt has closed
        # the test's widgets and called deleteLater on them and Qt has deleted them, in order.
        install_gui_collector(request.getfixturevalue("qapp")).stop_timer()
    yield
    gc.disable()  # whatever a test did (the collector's own test switches it on)
    if widgets:
        from PySide6.QtCore import QCoreApplication, QEvent

        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # what pytest-qt closed, deleted now
    collect_due(_THRESHOLDS)


@pytest.fixture
def cli_user(monkeypatch: pytest.MonkeyPatch):
    """Writing commands act as a named account (hecun_office/cli_user.py): ``cli_user("admin", "secret1")`` gives
    them one the way a script does, through HECUN_OFFICE_USER and HECUN_OFFICE_PASSWORD."""
    def sign_in(username: str, password: str) -> None:
        monkeypatch.setenv("HECUN_OFFICE_USER", username)
        monkeypatch.setenv("HECUN_OFFICE_PASSWORD", password)

    return sign_in


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "office.sqlite3"


def _set_up_office(database: Database) -> None:
    """贺村司法所, set up on 2026-01-05 by the clerk 王晓燕 (wang, password secret1)."""
    setup.setup_database(database, setup.default_profile(), setup.UserInput("wang", "王晓燕", "clerk", "secret1"),
                         created_at=datetime(2026, 1, 5, 9, 0))
    # The clerk above works matters; settings, calendar and accounts need the administrator (U-6).
    with database.uow() as session:
        session.add(User(username="admin", display_name="管理员", role="admin",
                         password_hash=hash_password("secret1"), created_at=datetime(2026, 1, 5, 9, 0)))


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Set up once (seeding 20+ years of calendar takes most of a second), copied for every test; its key secret
    lives in ``home`` beside it."""
    path = tmp_path_factory.mktemp("template") / "office.sqlite3"
    with shared_home(path.parent / "home"):
        database = open_database(f"sqlite:///{path}")
        _set_up_office(database)
        freeze(database)
    return path


@pytest.fixture
def db(db_path: Path, _template_db: Path) -> Iterator[Database]:
    database = open_copy(_template_db, db_path, _template_db.parent / "home")
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


@pytest.fixture
def backend_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on ``backend``, for tests parametrized with ``backend`` ("sqlite" or "postgresql"): a new
    SQLite file, or a new database on the session's PostgreSQL server (``pg_url``)."""
    if backend == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    assert backend == "sqlite", backend
    return f"sqlite:///{tmp_path / 'office.sqlite3'}"


@pytest.fixture
def backend_db(backend: str, request: pytest.FixtureRequest) -> Iterator[Database]:
    """``db`` on ``backend``, for tests parametrized with ``backend``: on SQLite the copy of the template, on
    PostgreSQL a new database on the session's server set up the same way."""
    if backend == "sqlite":
        yield request.getfixturevalue("db")
        return
    database = open_database(request.getfixturevalue("backend_url"))
    _set_up_office(database)
    yield database
    database.dispose()


# ---- the demo office (`hecun-office --today 2026-11-20 demo`), built once through the command line ---------------

@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> DemoTemplate:
    """The realistic demo takes about ten seconds (it issues some 200 documents): built once per test process by
    the real command, then copied (``demo_copy``) by the CLI, packet and demo tests."""
    from hecun_office.cli import main

    folder = tmp_path_factory.mktemp("demo-template")
    path = folder / "demo.sqlite3"
    printed = io.StringIO()
    with shared_home(folder / "home"), contextlib.redirect_stdout(printed):
        code = main(["--db", str(path), "--today", DEMO_DAY, "demo"])
    if code == 0:
        freeze(open_database(f"sqlite:///{path}"))
    return DemoTemplate(path, folder / "home", code, printed.getvalue())


# ---- county mode: a bureau with three townships' packets imported (tests/county_data.py) ------------------------

@pytest.fixture(scope="session")
def county_template(tmp_path_factory: pytest.TempPathFactory) -> County:
    """The county built once (about two seconds) and closed; fixtures take a ``copy_county`` of it."""
    built = build_county(tmp_path_factory.mktemp("county-template"))
    for database in (built.bureau, built.hecun.db, built.qinghu.db):
        freeze(database)
    return built
