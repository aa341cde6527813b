"""From an open database to a main window: the first-run set-up when the database is new (U-5), otherwise the
login (U-6); the main window is built for the person who logged in."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, Signal

from ..domain.errors import DomainError
from ..services.audit import Actor
from ..services.database import Database
from ..services.setup import is_set_up
from ..services.users import accounts_without_password, authenticate
from .login.first_password_dialog import FirstPasswordDialog
from .login.login_dialog import LoginDialog
from .main_window import MainWindow
from .setup.setup_dialog import SetupDialog
from .tasks import TaskRunner

log = logging.getLogger(__name__)

# Bench and test hook only, never for an office PC: "username:password" logs in without showing the dialog, so
# that bench/ can time a start up to the main window and scripted runs need no keyboard. Nothing in the program
# sets it; a wrong value falls back to the login dialog.
BENCH_LOGIN_ENV = "HECUN_OFFICE_BENCH_LOGIN"


class Startup(QObject):
    """Shows the set-up or login dialog, then the main window; says when the clerk gave up or quit."""

    ready = Signal(QObject)  # the main window, shown
    cancelled = Signal()  # set-up or login cancelled, or 退出程序 on the idle lock: the program ends

    def __init__(self, db: Database, build_window: Callable[..., MainWindow], tasks: TaskRunner | None = None) -> None:
        # Owned by the application: the windows it shows are reachable through it for as long as they live. A
        # Startup dropped by its caller took its shown window into Python's garbage, and the collector could then
        # delete the window in the middle of painting it (a segfault in QTableView::paintEvent).
        super().__init__(QCoreApplication.instance())
        self._db = db
        self._build_window = build_window
        # One runner for the program's life: the dialogs before the window write through it too.
        self.tasks = tasks or TaskRunner(self)
        self.setup_dialog: SetupDialog | None = None
        self.first_password_dialog: FirstPasswordDialog | None = None
        self.login_dialog: LoginDialog | None = None
        self.main_window: MainWindow | None = None

    def start(self) -> None:
        if not is_set_up(self._db):
            self.setup_dialog = SetupDialog(self._db, self.tasks)
            self.setup_dialog.accepted.connect(self._set_up)
            self.setup_dialog.rejected.connect(self.cancelled)
            self.setup_dialog.show()
            return
        if self._ask_first_password():
            return
        value = os.environ.get(BENCH_LOGIN_ENV, "")
        if ":" in value:
            username, password = value.split(":", 1)
            # A login writes (last login): on the database worker like every write.
            self.tasks.write(partial(authenticate, self._db, username, password), self._bench_logged_in,
                             self._bench_refused)
        else:
            self.show_login()

    def _ask_first_password(self) -> bool:
        """An account nobody can log in to (set up without a password) gets one before the login (issue 11)."""
        accounts = accounts_without_password(self._db)
        if not accounts:
            return False
        self.first_password_dialog = FirstPasswordDialog(self._db, accounts[0], self.tasks)
        self.first_password_dialog.accepted.connect(self._first_password_set)
        self.first_password_dialog.rejected.connect(self.cancelled)
        self.first_password_dialog.show()
        return True

    def _first_password_set(self) -> None:
        if not self._ask_first_password():
            self.show_login()

    def show_login(self) -> LoginDialog:
        self.login_dialog = LoginDialog(self._db, self.tasks)
        self.login_dialog.accepted.connect(self._logged_in)
        self.login_dialog.rejected.connect(self.cancelled)
        self.login_dialog.show()
        return self.login_dialog

    def _bench_logged_in(self, actor: object) -> None:
        assert isinstance(actor, Actor)
        self._show_main_window(actor)

    def _bench_refused(self, exc: object) -> None:
        log.warning("%s 登录失败：%s", BENCH_LOGIN_ENV, exc.message if isinstance(exc, DomainError) else exc)
        self.show_login()

    def _set_up(self) -> None:
        assert self.setup_dialog is not None
        actor = self.setup_dialog.actor  # the first user has just typed the password: no second login
        if actor is None:
            self.show_login()
        else:
            self._show_main_window(actor)

    def _logged_in(self) -> None:
        assert self.login_dialog is not None and self.login_dialog.actor is not None
        self._show_main_window(self.login_dialog.actor)

    def _show_main_window(self, actor: Actor) -> None:
        self.main_window = self._build_window(actor, tasks=self.tasks)
        if self.tasks.parent() is self:
            # The window outlives this start-up object (a caller may drop it): the runner goes with the window.
            self.tasks.setParent(self.main_window)
        self.main_window.idle_lock.exit_requested.connect(self._quit)
        self.main_window.switch_user_requested.connect(self.switch_user)
        self.main_window.show()
        self.ready.emit(self.main_window)

    def switch_user(self) -> LoginDialog:
        """切换用户 (U-6): the login again, then a new window for whoever logs in. The runner stays with this object
        while the old window goes (it is the program's one runner); the login shows first, so that closing the old
        window is never the last window closing (which ends the program)."""
        window, self.main_window = self.main_window, None
        if window is not None and self.tasks.parent() is window:
            self.tasks.setParent(self)
        previous = self.login_dialog
        dialog = self.show_login()
        if previous is not None and previous is not dialog:
            previous.deleteLater()
        if window is not None:
            window.close()  # waits for a running write to commit
            window.deleteLater()
        return dialog

    def _quit(self) -> None:
        # Every change is committed when it is made; closing waits for a running import to commit.
        if self.main_window is not None:
            self.main_window.close()
        self.cancelled.emit()
