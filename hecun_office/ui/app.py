"""Composition root of the GUI: QApplication, font, database, set-up, main window (STYLE.md "The house")."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ..domain.errors import HecunError
from ..services.setup import default_actor, ensure_calendar
from ..storage.engine import sqlite_file
from ..storage.lock import InstanceLock
from ..storage.opening import open_database
from ..storage.uow import Database
from .context import UiContext
from .errors import fatal, install_excepthook
from .main_window import MainWindow
from .startup import Startup
from .style import STYLE_SHEET
from .tasks import TaskRunner

log = logging.getLogger(__name__)

# Windows first, then the CJK families of Linux desktops.
PREFERRED_FONTS = ("Microsoft YaHei", "Microsoft YaHei UI", "WenQuanYi Zen Hei", "Noto Sans CJK SC",
                   "Source Han Sans SC", "WenQuanYi Micro Hei")
FONT_POINT_SIZE = 10
SCREEN_SIZE = (1366, 768)  # the office PCs (U-1)


def choose_font_family(available: list[str]) -> str | None:
    for family in PREFERRED_FONTS:
        if family in available:
            return family
    return None


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("hecun-office")
    app.setApplicationDisplayName("行政执法协调监督工作台")
    return app


def apply_look(app: QApplication) -> None:
    family = choose_font_family(QFontDatabase.families())
    if family:
        app.setFont(QFont(family, FONT_POINT_SIZE))
    app.setStyleSheet(STYLE_SHEET)


def build_main_window(db: Database, today: Callable[[], date] = date.today) -> MainWindow:
    """The main window on a database that is set up; tests build it directly."""
    ensure_calendar(db)  # picks up the years a newer calendar library brings
    tasks = TaskRunner()
    window = MainWindow(UiContext(db=db, today=today, actor=default_actor(db), tasks=tasks))
    tasks.setParent(window)
    available = window.screen().availableGeometry()  # a 1366×768 screen minus the taskbar
    window.resize(min(SCREEN_SIZE[0], available.width()), min(SCREEN_SIZE[1], available.height()))
    return window


class _Lifetime(QObject):
    """Keeps the application running through the set-up dialog and quits with the main window."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        app.setQuitOnLastWindowClosed(False)  # closing the set-up dialog must not end the program

    def ready(self, _window: QObject) -> None:
        self._app.setQuitOnLastWindowClosed(True)

    def cancelled(self) -> None:
        self._app.quit()


def run_gui(db_url: str, today: Callable[[], date] = date.today) -> int:
    app = application()
    apply_look(app)
    install_excepthook()
    lock: InstanceLock | None = None
    try:
        db_file = sqlite_file(db_url)
        if db_file is not None:  # one window per database file (N-1)
            lock = InstanceLock(db_file)
            lock.acquire()
        db: Database = open_database(db_url)
    except Exception as exc:
        if lock is not None:
            lock.release()
        if isinstance(exc, HecunError):  # DomainError or EnvironmentProblem: the message says what to do
            log.warning("无法打开数据库：%s", exc.message)
        fatal(exc)  # anything else is logged with its traceback and shown as a plain sentence
        return 1
    lifetime = _Lifetime(app)
    startup = Startup(db, partial(build_main_window, db, today))
    startup.ready.connect(lifetime.ready)
    startup.cancelled.connect(lifetime.cancelled)
    startup.start()
    try:
        return app.exec()
    finally:
        db.dispose()
        if lock is not None:
            lock.release()
