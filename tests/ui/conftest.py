"""Fixtures for the GUI tests: a real SQLite office database and the real main window, today pinned."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from county_data import County, build_county
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


@pytest.fixture
def fresh_db(tmp_path) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / 'office.sqlite3'}")
    yield db
    db.dispose()


@pytest.fixture
def db(fresh_db: Database) -> Database:
    setup_database(fresh_db, default_profile("office"), UserInput("wang", "王晓", password="secret1"),
                   created_at=datetime(2026, 1, 5))
    return fresh_db


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
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[County]:
    built = build_county(tmp_path_factory.mktemp("county"))
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
