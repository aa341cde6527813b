"""The one background-work helper (STYLE.md habit 4, SPEC U-3).

A callable runs on a worker thread; its result or exception comes back on the GUI thread through a
queued signal and is handed to the caller's success or failure callback. The pool has one thread, so
database writes started from the GUI are serialised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]


class _Job(QRunnable):
    def __init__(self, task: _Task, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the task keeps the reference until it has delivered
        self._task = task
        self._fn = fn

    def run(self) -> None:  # worker thread
        try:
            result = self._fn()
        except Exception as exc:  # delivered to the failure callback, which decides what the clerk sees
            self._task.failed.emit(exc)
        else:
            self._task.succeeded.emit(result)


class _Task(QObject):
    """Lives on the GUI thread; its signals are emitted from the worker and so arrive queued."""

    succeeded = Signal(object)
    failed = Signal(object)
    delivered = Signal(QObject)

    def __init__(self, fn: Callable[[], Any], on_success: Callback, on_failure: Callback,
                 parent: QObject) -> None:
        super().__init__(parent)
        self._on_success = on_success
        self._on_failure = on_failure
        self.job = _Job(self, fn)
        self.succeeded.connect(self._deliver_success)
        self.failed.connect(self._deliver_failure)

    def _deliver_success(self, result: object) -> None:
        self._call(self._on_success, result)

    def _deliver_failure(self, exc: object) -> None:
        self._call(self._on_failure, exc)

    def _call(self, callback: Callback, value: object) -> None:
        owner = getattr(callback, "__self__", None)
        try:
            # The window that asked may have been closed meanwhile; then nobody is left to tell.
            if not isinstance(owner, QObject) or shiboken6.isValid(owner):
                callback(value)
            else:
                log.info("后台任务完成时接收窗口已关闭，结果未显示")
        finally:
            self.delivered.emit(self)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._active: set[_Task] = set()

    def run(self, fn: Callable[[], Any], on_success: Callback, on_failure: Callback) -> None:
        """Run ``fn()`` off the GUI thread; pass bound methods of GUI objects as callbacks."""
        task = _Task(fn, on_success, on_failure, self)
        task.delivered.connect(self._forget)
        self._active.add(task)
        self._pool.start(task.job)

    def busy(self) -> bool:
        return bool(self._active)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (closing the window, tests). Results still arrive queued."""
        return self._pool.waitForDone(msecs)

    def _forget(self, task: QObject) -> None:
        self._active.discard(task)  # type: ignore[arg-type]
        task.deleteLater()
