"""The one background-work helper: work off the GUI thread, results back on it (STYLE.md habit 4)."""

from __future__ import annotations

import threading
from functools import partial

from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication

from hecun_office.domain.errors import ValidationError
from hecun_office.ui.tasks import TaskRunner


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[object] = []
        self.errors: list[BaseException] = []
        self.threads: list[bool] = []

    def done(self, result: object) -> None:
        self.threads.append(QThread.currentThread() is QApplication.instance().thread())
        self.results.append(result)

    def failed(self, exc: BaseException) -> None:
        self.threads.append(QThread.currentThread() is QApplication.instance().thread())
        self.errors.append(exc)


def worker_thread_name() -> str:
    return threading.current_thread().name


def refuse() -> None:
    raise ValidationError("请填写修改原因。", "reason")


def test_success_and_failure_arrive_on_the_gui_thread(qtbot):
    runner = TaskRunner()
    receiver = Receiver()
    runner.read(worker_thread_name, receiver.done, receiver.failed)
    runner.read(refuse, receiver.done, receiver.failed)
    qtbot.waitUntil(lambda: len(receiver.threads) == 2)
    assert receiver.results[0] != threading.current_thread().name  # it ran elsewhere
    assert isinstance(receiver.errors[0], ValidationError) and receiver.errors[0].field == "reason"
    assert receiver.threads == [True, True]
    qtbot.waitUntil(lambda: not runner.busy())


def test_result_for_a_closed_window_is_dropped(qtbot):
    runner = TaskRunner()
    receiver = Receiver()
    gate = threading.Event()
    runner.read(gate.wait, receiver.done, receiver.failed)
    receiver.deleteLater()
    QApplication.sendPostedEvents(None, 52)  # QEvent.DeferredDelete: the receiver is gone now
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy())



def test_a_job_that_finishes_at_once_is_still_delivered_later_never_inside_the_call(qtbot):
    # A future already done when add_done_callback runs calls back on the calling (GUI) thread at once, which
    # queues the delivery from the GUI thread itself; it must still wait for the event loop, or a caller's
    # "running" state would be cleared under its feet (the matter list's loader was).
    runner = TaskRunner()
    delivered: list[int] = []
    runner.run_on_main(partial(delivered.append, 1))
    assert delivered == []
    qtbot.waitUntil(lambda: delivered == [1])
