"""Garbage is collected on the GUI thread only (hecun_office/ui/collector.py): a worker's allocations never destroy
Qt objects off their thread. CI lost a whole run to that: a segmentation fault while the set-up dialog's worker
added the calendar's rows."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from hecun_office.ui.app import application
from hecun_office.ui.collector import GuiThreadCollector, install_gui_collector


def _garbage_cycle_holding_a_qobject(seen_on: list[str]) -> None:
    class Holder:
        pass

    holder = Holder()
    holder.itself = holder  # only the cycle collector can free it
    holder.qobject = QObject()
    weakref.finalize(holder, lambda: seen_on.append(threading.current_thread().name))


def _allocate_cycles(count: int) -> None:
    for _ in range(count):
        cycle: list[object] = []
        cycle.append(cycle)


def test_a_workers_allocations_leave_the_collection_to_the_gui_thread(qtbot):
    gc.enable()  # as at a program's start (the test process keeps it off: tests/conftest.py)
    collector = install_gui_collector(application())
    assert not gc.isenabled()
    finalized_on: list[str] = []
    _garbage_cycle_holding_a_qobject(finalized_on)
    worker = threading.Thread(target=_allocate_cycles, args=(300_000,), name="hecun-db-test")
    worker.start()
    worker.join()
    assert finalized_on == []  # with automatic collection it ran on "hecun-db-test"
    assert collector.collect_due() > 0
    assert finalized_on == [threading.main_thread().name]


def test_the_application_has_one_collector_however_often_it_is_asked():
    app = application()
    first = install_gui_collector(app)
    assert install_gui_collector(app) is first
    assert app.findChildren(GuiThreadCollector) == [first]


def test_the_timer_does_not_collect_inside_a_nested_event_loop(qtbot):
    """A modal dialog's exec() (a nested loop) may sit above objects that are garbage by then; the timer leaves the
    collection to the main loop."""
    from PySide6.QtCore import QEventLoop, QTimer

    collector = install_gui_collector(application())
    finalized_on: list[str] = []
    _garbage_cycle_holding_a_qobject(finalized_on)
    _allocate_cycles(1_000)  # past the first generation's threshold
    outer, inner = QEventLoop(), QEventLoop()
    seen: list[list[str]] = []

    def in_the_nested_loop() -> None:
        collector._on_timer()
        seen.append(list(finalized_on))
        inner.quit()

    def in_the_main_loop() -> None:
        QTimer.singleShot(0, in_the_nested_loop)
        inner.exec()  # loop level 2, as inside a modal dialog
        outer.quit()

    QTimer.singleShot(0, in_the_main_loop)
    outer.exec()  # loop level 1: the program's main loop
    assert seen == [[]]  # nothing collected inside the nested loop
    QTimer.singleShot(0, lambda: (collector._on_timer(), outer.quit()))
    outer.exec()
    assert finalized_on == [threading.main_thread().name]
