"""A page's read on the reader pool, one at a time (STYLE.md habits 4 and 4b): asked again while one runs (the clerk
chose another period, a change notice came), one more read follows it and the result already out of date is not
shown; a failure is shown either way. The 台账统计 and 监督员与会议 pages read this way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from .tasks import TaskRunner


class LatestRead(QObject):
    """A child of its page: when the page is gone, a read still under way finds nobody to tell (tasks._call)."""

    def __init__(self, tasks: TaskRunner, shown: Callable[[Any], None], failed: Callable[[object], None],
                 again: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._tasks, self._shown, self._failed_with, self._again_with = tasks, shown, failed, again
        self._running = False
        self._again = False

    @property
    def running(self) -> bool:
        return self._running

    def start(self, job: Callable[[], Any]) -> bool:
        """Run ``job`` on the reader pool now (True), or once the running read is back (False): then the page is
        asked to read again (``again``), with what it wants by then."""
        if self._running:
            self._again = True
            return False
        self._running, self._again = True, False
        self._tasks.read(job, self._loaded, self._failed)
        return True

    def _loaded(self, value: object) -> None:
        self._running = False
        if self._again:
            self._again_with()
        else:
            self._shown(value)

    def _failed(self, exc: object) -> None:
        self._running = False
        self._failed_with(exc)
        if self._again:
            self._again_with()
