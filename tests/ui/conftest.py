"""Fixtures for the GUI tests: a real SQLite office database and the real main window, today pinned.

The databases are built once per session and copied for every test (``db``: set up as 贺村司法所 by 王晓, the
administrator, password secret1, on 2026-01-05; ``fresh_db``: migrated, not set up; the county of
tests/county_data.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from county_data import County, copy_county
from db_copies import freeze, open_copy, shared_home
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QListWidget, QWidget

from hecun_office.services.audit import Actor
from hecun_office.services.setup import UserInput, default_actor, default_profile, setup_database
from hecun_office.services.users import authenticate, create_account
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database
from hecun_office.ui.app import apply_look, build_main_window
from hecun_office.ui.main_window import MainWindow

TODAY = date(2026, 3, 23)  # a Monday


def pinned_today() -> date:
    return TODAY


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database as open_database leaves it: migrated to head, nothing else."""
    path = tmp_path_factory.mktemp("ui-migrated") / "office.sqlite3"
    freeze(open_database(f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def _office_template(tmp_path_factory: pytest.TempPathFactory, _migrated_template: Path) -> Path:
    """The migrated database set up as the office (seeding the calendar takes most of a second); its key secret
    lives in ``home`` beside it."""
    path = tmp_path_factory.mktemp("ui-office") / "office.sqlite3"
    with shared_home(path.parent / "home"):
        db = open_copy(_migrated_template, path)
        setup_database(db, default_profile("office"), UserInput("wang", "王晓", password="secret1"),
                       created_at=datetime(2026, 1, 5))
        freeze(db)
    return path


@pytest.fixture
def fresh_db(tmp_path: Path, _migrated_template: Path) -> Iterator[Database]:
    db = open_copy(_migrated_template, tmp_path / "office.sqlite3")
    yield db
    db.dispose()


@pytest.fixture
def db(tmp_path: Path, _office_template: Path) -> Iterator[Database]:
    db = open_copy(_office_template, tmp_path / "office.sqlite3", _office_template.parent / "home")
    yield db
    db.dispose()


@pytest.fixture
def window(qtbot, db: Database) -> Iterator[MainWindow]:
    apply_look(QApplication.instance())
    win = build_main_window(db, pinned_today)
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
    yield win
    win.close()


def click_nav(qtbot, win: MainWindow, title: str) -> None:
    nav: QListWidget = win.navigation
    item = nav.findItems(title, Qt.MatchFlag.MatchExactly)[0]
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(item).center())
    assert nav.currentItem() is item


def visible_child(qtbot, parent: QWidget, cls: type) -> QWidget:
    """The visible dialog of ``cls`` opened on ``parent`` (dialogs are opened with open(), not exec())."""
    found: list[QWidget] = []

    def shown() -> bool:
        found[:] = [w for w in parent.findChildren(cls) if w.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=3000)
    return found[0]


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type like a clerk with a Chinese input method: ASCII as key presses, the rest as committed IME text.

    (QTest.keyClicks cannot synthesise non-Latin characters.)"""
    widget.setFocus()
    for chunk in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def click_center(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(widget.width() // 2, widget.height() // 2))


def add_account(db: Database, username: str, display_name: str, role: str, password: str = "secret1") -> Actor:
    """Another account, made by the first user (an administrator in these tests), and logged in."""
    create_account(db, default_actor(db), username, display_name, role, password)
    return authenticate(db, username, password)


def open_window(qtbot, db: Database, actor: Actor) -> MainWindow:
    """The main window as ``actor`` would see it after logging in."""
    apply_look(QApplication.instance())
    win = build_main_window(db, pinned_today, actor)
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
    return win


# ---- county mode: a bureau with three townships' packets imported (tests/county_data.py) ------------------------

@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory, county_template: County) -> Iterator[County]:
    built = copy_county(county_template, tmp_path_factory.mktemp("county"))
    yield built
    built.dispose()


@pytest.fixture
def bureau_window(qtbot, county: County) -> Iterator[MainWindow]:
    win = open_window(qtbot, county.bureau, default_actor(county.bureau))
    win.resize(1366, 768)
    section = win.dashboard.county
    assert section is not None
    qtbot.waitUntil(lambda: section.overview is not None and not section.busy, timeout=10000)
    yield win
    win.close()
