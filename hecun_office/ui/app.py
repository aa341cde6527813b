"""Composition root of the GUI: QApplication, font, database, set-up, main window (STYLE.md "The house")."""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ..domain.errors import HecunError
from ..services.audit import Actor
from ..services.changes import guard_gui_thread
from ..services.search import ensure_search_index
from ..services.setup import default_actor, ensure_calendar
from ..storage.engine import sqlite_file
from ..storage.lock import InstanceLock
from ..storage.opening import open_database
from ..storage.peek import EarlyCheck
from ..storage.uow import Database
from .collector import install_gui_collector
from .context import UiContext
from .errors import fatal, install_excepthook
from .locale import install_translations
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
        install_gui_collector(app)
        return app
    app = QApplication(sys.argv[:1])
    install_gui_collector(app)  # before any worker starts: collections on the GUI thread only
    install_translations(app)  # SPEC U-1: the application's texts and Qt's own (HECUN_OFFICE_LOCALE, else zh_CN)
    app.setApplicationName("hecun-office")
    app.setApplicationDisplayName(QCoreApplication.translate("app", "行政执法协调监督工作台"))
    return app


def install_qt_translations(app: QApplication) -> bool:
    """Qt's own texts in Chinese (file and print dialogs, the standard buttons: 取消, not Cancel — SPEC U-1), from
    the translations that ship with Qt. Once per application; False when none were found (then English stays)."""
    if app.property("hecun_qt_translated"):
        return True
    translator = QTranslator(app)  # owned by the application, which keeps it alive
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        log.warning("没有找到 Qt 自带的中文界面翻译（%s），系统对话框将显示英文", folder)
        return False
    app.installTranslator(translator)
    app.setProperty("hecun_qt_translated", True)
    return True


def apply_look(app: QApplication) -> None:
    """Font, style sheet and Qt's translations; idempotent. Setting the same style sheet again is not free: Qt
    re-polishes every widget alive (0.8 s with a few windows open), so an unchanged look is left alone."""
    install_qt_translations(app)
    family = choose_font_family(QFontDatabase.families())
    if family and app.font().family() != family:
        app.setFont(QFont(family, FONT_POINT_SIZE))
    if app.styleSheet() != STYLE_SHEET:
        app.setStyleSheet(STYLE_SHEET)


UI_DIR = os.path.dirname(os.path.abspath(__file__))
STRICT_GUI_WRITES_ENV = "HECUN_OFFICE_STRICT_GUI_WRITES"


def build_main_window(db: Database, today: Callable[[], date] = date.today,
                      actor: Actor | None = None, tasks: TaskRunner | None = None) -> MainWindow:
    """The main window on a database that is set up, for the logged-in ``actor``; tests build it directly
    (without an actor: as the first active user)."""
    ensure_calendar(db)  # picks up the years a newer calendar library brings
    ensure_search_index(db)  # counts only, unless the full-text index lost step with the matters (M-6)
    # From here on the window's own code writes only through the runner (STYLE.md habit 4); a write it makes on
    # this thread is a bug: logged in the field, an error under the tests (they set the variable).
    guard_gui_thread(UI_DIR, strict=os.environ.get(STRICT_GUI_WRITES_ENV) == "1")
    own = tasks is None
    runner = tasks if tasks is not None else TaskRunner()
    window = MainWindow(UiContext(db=db, today=today, actor=actor or default_actor(db), tasks=runner))
    if own:
        runner.setParent(window)
    available = window.screen().availableGeometry()  # a 1366×768 screen minus the taskbar
    window.resize(min(SCREEN_SIZE[0], available.width()), min(SCREEN_SIZE[1], available.height()))
    return window


class _Lifetime(QObject):
    """Keeps the application running through the set-up and login dialogs and quits with the main window."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        app.setQuitOnLastWindowClosed(False)  # closing the set-up or login dialog must not end the program

    def ready(self, window: QObject) -> None:
        self._app.setQuitOnLastWindowClosed(True)
        if isinstance(window, MainWindow):
            window.start_daily_backups()
        # Everything alive now (modules, Qt wrappers, the window) lives as long as the program: out of the garbage
        # collector's sight, a full collection triggered by a worker's allocations no longer walks it while
        # holding the GIL. At the county's 390,000 matters that pause stalled the window 84-118 ms at its first
        # show and 130-203 ms during a filter change while the county was read; 44 and 56-81 ms after
        # (bench/bureau_window.py --gc-freeze, issue 12 item 10).
        gc.freeze()

    def cancelled(self) -> None:
        self._app.quit()


# Bench hook only (bench/run.py, N-2): set to the spawning process's time.time(), the program prints how long it
# took from then to a painted main window with its dashboard, and quits. Nothing in the program sets it.
BENCH_STARTUP_ENV = "HECUN_OFFICE_BENCH_STARTUP"


class _BenchStartup(QObject):
    def __init__(self, app: QApplication, since: float) -> None:
        super().__init__(app)
        self._app = app
        self._since = since

    def ready(self, _window: QObject) -> None:
        QTimer.singleShot(0, self._report)  # after the events of the first show, the first paint included

    def _report(self) -> None:
        if sys.stdout is not None:  # a windowed build has none
            print(f"{BENCH_STARTUP_ENV} {time.time() - self._since:.3f}", flush=True)
        self._app.quit()


def _bench_startup(app: QApplication, started: float) -> _BenchStartup | None:
    value = os.environ.get(BENCH_STARTUP_ENV)
    if not value:
        return None
    try:
        since = float(value)
    except ValueError:
        since = started  # no spawn time given: from the start of run_gui
    return _BenchStartup(app, since)


def run_gui(db_url: str, today: Callable[[], date] = date.today, early_check: EarlyCheck | None = None) -> int:
    started = time.time()
    app = application()
    apply_look(app)
    install_excepthook()
    lock: InstanceLock | None = None
    try:
        db_file = sqlite_file(db_url)
        if db_file is not None:  # one window per database file (N-1)
            lock = InstanceLock(db_file)
            lock.acquire()
        db: Database = open_database(db_url, early_check=early_check)
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
    bench = _bench_startup(app, started)
    if bench is not None:
        startup.ready.connect(bench.ready)
    startup.start()
    try:
        return app.exec()
    finally:
        db.dispose()
        if lock is not None:
            lock.release()
