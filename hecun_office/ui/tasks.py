"""The one background-work helper (STYLE.md habits 4 and 4b, SPEC U-3, N-2), shaped like Anki's taskman.

Two executors: one thread for database writes, so they are serialised whatever the GUI asks at once, and a small
pool for reads and file work, which must not wait behind a long import. A finished future queues a closure and
emits one signal; its slot drains the queue on the GUI thread. No Python-owned QRunnable, so no object whose
lifetime the garbage collector decides is ever touched from two threads.

A write runs inside ``collecting()``: the unit of work notes what it changed, and ``changed`` broadcasts that once
on the GUI thread, before the caller's callback — the main window passes it to the pages (habit 4b).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from ..services.changes import Changes, collecting

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
READ_WORKERS = 2  # the machines are small; two readers keep a preview and a list load from queueing


class _Outcome:
    __slots__ = ("changes", "error", "value")

    def __init__(self, value: Any = None, error: BaseException | None = None,
                 changes: Changes | None = None) -> None:
        self.value, self.error, self.changes = value, error, changes


class _Mailbox(QObject):
    """Where workers leave results for the GUI thread: one per application, owned by it, so a worker never emits
    on an object the GUI thread may be destroying at that moment (a runner goes with its window; a worker finishing
    just then emitted on it, and Qt crashed in the test suite)."""

    pending = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._closures: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        # Queued even when emitted on the GUI thread: a job that finishes before add_done_callback runs its
        # callback right there, and a result must never arrive inside the call that started the job.
        self.pending.connect(self.drain, Qt.ConnectionType.QueuedConnection)

    def post(self, closure: Callable[[], None]) -> None:  # any thread
        with self._lock:
            self._closures.append(closure)
        self.pending.emit()

    def drain(self) -> None:  # GUI thread
        with self._lock:
            closures, self._closures = self._closures, []
        for closure in closures:
            try:
                closure()
            except Exception as exc:  # a callback's bug must not stop the other deliveries
                from .errors import show_error  # errors imports widgets; keep this module light
                show_error(None, exc)


_mailbox: _Mailbox | None = None


def _the_mailbox() -> _Mailbox:
    """The application's mailbox, made on the GUI thread with the first runner."""
    global _mailbox
    if _mailbox is None or not shiboken6.isValid(_mailbox):
        app = QCoreApplication.instance()
        assert app is not None, "a TaskRunner needs the application object"
        _mailbox = _Mailbox(app)
    return _mailbox


class TaskRunner(QObject):
    changed = Signal(object)  # Changes of a write, once, on the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hecun-db")
        self._io_executor = ThreadPoolExecutor(max_workers=READ_WORKERS, thread_name_prefix="hecun-io")
        self._mailbox = _the_mailbox()
        self._lock = threading.Lock()
        self._futures: set[Future[_Outcome]] = set()

    # --- starting work ------------------------------------------------------------------------------
    def write(self, fn: Callable[[], Any], on_success: Callback, on_failure: Callback) -> None:
        """Run ``fn()`` on the database worker (writes serialised) and broadcast what it changed."""
        self._submit(self._db_executor, self._collect, fn, on_success, on_failure)

    def read(self, fn: Callable[[], Any], on_success: Callback, on_failure: Callback) -> None:
        """Run ``fn()`` (a read or file work that writes nothing to the database) on the reader pool."""
        self._submit(self._io_executor, self._plain, fn, on_success, on_failure)

    def _submit(self, executor: ThreadPoolExecutor, wrap: Callable[[Callable[[], Any]], _Outcome],
                fn: Callable[[], Any], on_success: Callback, on_failure: Callback) -> None:
        future = executor.submit(wrap, fn)
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(_Delivery(self, future, on_success, on_failure).queue)

    @staticmethod
    def _plain(fn: Callable[[], Any]) -> _Outcome:  # worker thread
        try:
            return _Outcome(value=fn())
        except Exception as exc:  # the failure callback decides what the clerk sees
            return _Outcome(error=exc)

    @staticmethod
    def _collect(fn: Callable[[], Any]) -> _Outcome:  # database worker
        with collecting() as collected:
            try:
                value = fn()
            except Exception as exc:
                # Units of work that committed before the failure stay committed: still broadcast them.
                return _Outcome(error=exc, changes=collected.changes)
        return _Outcome(value=value, changes=collected.changes)

    # --- delivery on the GUI thread -----------------------------------------------------------------
    def run_on_main(self, closure: Callable[[], None]) -> None:
        """Queue ``closure`` for the GUI thread (callable from any thread)."""
        self._mailbox.post(closure)

    def _drain(self) -> None:
        self._mailbox.drain()

    def _finish(self, future: Future[_Outcome]) -> None:
        with self._lock:
            self._futures.discard(future)

    def broadcast(self, changes: Changes) -> None:
        # wait() may be called while the window that owns the runner is being destroyed: nobody left to tell.
        if changes and shiboken6.isValid(self):
            self.changed.emit(changes)

    # --- state --------------------------------------------------------------------------------------
    def busy(self) -> bool:
        with self._lock:
            return bool(self._futures)  # a future is forgotten only once its result is delivered

    def wait(self, msecs: int = -1) -> bool:
        """Block until the workers are idle and everything they finished is delivered (closing the window,
        tests). A callback that starts more work is waited for too. False if ``msecs`` ran out first."""
        deadline = None if msecs < 0 else time.monotonic() + msecs / 1000
        while True:
            self._drain()
            with self._lock:
                futures = list(self._futures)
            if not futures:
                return True
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            wait_futures(futures, timeout=remaining, return_when=FIRST_COMPLETED)
            # A finished future queues its delivery from its done-callback, just after waiters wake.
            time.sleep(0.001)


class _Delivery:
    """Carries one result from a worker's done-callback to the caller's callback on the GUI thread."""

    __slots__ = ("_future", "_on_failure", "_on_success", "_runner")

    def __init__(self, runner: TaskRunner, future: Future[_Outcome], on_success: Callback,
                 on_failure: Callback) -> None:
        self._runner, self._future = runner, future
        self._on_success, self._on_failure = on_success, on_failure

    def queue(self, _future: Future[_Outcome]) -> None:  # worker thread
        try:
            self._runner.run_on_main(self.deliver)
        except RuntimeError:  # the application is gone (exit); what the write did is committed all the same
            log.info("后台任务完成时程序已退出，结果未显示")

    def deliver(self) -> None:  # GUI thread
        runner = self._runner
        runner._finish(self._future)
        outcome = self._future.result()
        if outcome.changes is not None:
            runner.broadcast(outcome.changes)  # pages first, as Anki's operation_did_execute, then the caller
        if outcome.error is None:
            _call(self._on_success, outcome.value)
        else:
            _call(self._on_failure, outcome.error)


def _call(callback: Callback, value: object) -> None:
    owner = getattr(callback, "__self__", None)
    # The window that asked may have been closed meanwhile; then nobody is left to tell.
    if isinstance(owner, QObject) and not shiboken6.isValid(owner):
        log.info("后台任务完成时接收窗口已关闭，结果未显示")
        return
    callback(value)
