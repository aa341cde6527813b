"""From an open database to a main window, through the first-run set-up when the database is new (U-5)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow

from ..services.setup import is_set_up
from ..storage.uow import Database
from .setup.setup_dialog import SetupDialog


class Startup(QObject):
    """Shows the set-up dialog if needed, then the main window; says when the clerk gave up."""

    ready = Signal(QObject)  # the main window, shown
    cancelled = Signal()

    def __init__(self, db: Database, build_window: Callable[[], QMainWindow]) -> None:
        super().__init__()
        self._db = db
        self._build_window = build_window
        self.setup_dialog: SetupDialog | None = None
        self.main_window: QMainWindow | None = None

    def start(self) -> None:
        if is_set_up(self._db):
            self._show_main_window()
            return
        self.setup_dialog = SetupDialog(self._db)
        self.setup_dialog.accepted.connect(self._show_main_window)
        self.setup_dialog.rejected.connect(self.cancelled)
        self.setup_dialog.show()

    def _show_main_window(self) -> None:
        self.main_window = self._build_window()
        self.main_window.show()
        self.ready.emit(self.main_window)
