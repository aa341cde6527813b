"""S-7 watched inbox (收件箱): the bureau names a folder; packets that appear there are imported on the worker and
moved into its 已处理 subfolder.

Which folder is a per-PC setting, declared in ``services/settings.py`` (``INBOX_FOLDER``) with the reasons it is
kept in the data directory and not in the database.

Finding files: a QFileSystemWatcher for quick reaction plus a check every 30 seconds, because watchers miss
events on network drives and when a USB stick is plugged in again. A file counts only once it is the same size
and age at two checks in a row, so a packet still being copied in is not read half-written.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from ...services.database import Database
from ...services.settings import INBOX_FOLDER, read_setting, write_setting

log = logging.getLogger(__name__)
PACKET_SUFFIX = ".hcpkt"
CHECK_MS = 30_000
SETTLE_MS = 2_000


# TODO after controller split: exchange_page.py calls read_setting / write_setting(INBOX_FOLDER, ...) itself, the
# write through ctx.tasks.write; these two names stay only for it and tests/ui/test_exchange_ui.py.
def inbox_folder(db: Database) -> Path | None:
    return read_setting(INBOX_FOLDER, db)


def set_inbox_folder(db: Database, folder: Path | None) -> None:
    write_setting(INBOX_FOLDER, db, folder)


def packets_in(folder: Path) -> dict[Path, tuple[int, int]]:
    """The packet files directly in ``folder`` with (size, mtime); hidden and temporary files are not packets."""
    found: dict[Path, tuple[int, int]] = {}
    for entry in os.scandir(folder):
        if entry.name.startswith(".") or not entry.name.lower().endswith(PACKET_SUFFIX):
            continue
        try:
            if entry.is_file():
                stat = entry.stat()
                found[Path(entry.path)] = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            continue
    return found


class InboxWatcher(QObject):
    ready = Signal(list)  # list[Path]: packets that have settled in the inbox
    availability_changed = Signal(bool)  # the folder can (not) be read

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folder: Path | None = None
        self._seen: dict[Path, tuple[int, int]] = {}
        self._available = True
        self.paused = False  # an import is running: look again when it is done
        self._watcher = QFileSystemWatcher(self)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._watcher.directoryChanged.connect(self._changed)
        self._timer.timeout.connect(self.check)
        self._settle.timeout.connect(self.check)

    @property
    def folder(self) -> Path | None:
        return self._folder

    @property
    def available(self) -> bool:
        return self._available

    def set_settle_ms(self, ms: int) -> None:
        """How long to wait after a change before looking (tests shorten it)."""
        self._settle.setInterval(ms)

    def watch(self, folder: Path | None) -> None:
        self.stop()
        self._folder = folder
        if folder is None:
            return
        self._timer.start()
        self.check()

    def stop(self) -> None:
        self._timer.stop()
        self._settle.stop()
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        self._seen = {}
        self._folder = None

    def _changed(self, _path: str) -> None:
        self._settle.start()

    def _set_available(self, available: bool) -> None:
        if available != self._available:
            self._available = available
            self.availability_changed.emit(available)

    def check(self) -> list[Path]:
        """Look now; emits ``ready`` with the files that did not change since the last look."""
        folder = self._folder
        if folder is None:
            return []
        try:
            current = packets_in(folder)
        except OSError:
            self._set_available(False)  # an unplugged drive: the periodic check tries again
            return []
        self._set_available(True)
        if str(folder) not in self._watcher.directories():
            self._watcher.addPath(str(folder))
        settled = sorted(p for p, sig in current.items() if self._seen.get(p) == sig)
        self._seen = current
        if len(settled) < len(current):
            self._settle.start()  # some are new or still growing: look again shortly
        if self.paused or not settled:
            return []
        self.ready.emit(settled)
        return settled
