"""Python's cycle collector runs on the GUI thread only (STYLE.md habit 4: one thread owns the widgets), and only in
the main event loop, never inside a modal dialog's.

CPython starts a collection on whichever thread happens to allocate when a generation's count trips its threshold.
A database worker building thousands of ORM objects trips it constantly, and the collection then finalizes
whatever garbage is waiting — a dialog closed a moment ago, a page's model — on that worker: Qt objects destroyed
off their thread. The test suite died of exactly that (segmentation fault in the set-up dialog's worker, in
``Session.add_all``). So, as GitFourchette, Anki and many PyQt programs do, automatic collection is switched off
once the application exists and the GUI thread collects on a timer, by the same thresholds CPython would use.

Not inside a nested event loop (a modal dialog's exec(), a wait): an object whose method is still on the stack below
it may be garbage by then, and destroying it there pulls the floor from under that method. CI caught the collector
destroying a test's still-open windows from a timer inside Qt's event processing (segmentation fault in
``collect_due``); the tests therefore collect only after the widgets were closed and deleted (tests/conftest.py).
"""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

INTERVAL_MS = 1000  # often enough that memory does not pile up during an import, rare enough to cost nothing
_PROPERTY = "hecun_gui_collector"


class GuiThreadCollector(QObject):
    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._thresholds = gc.get_threshold()
        gc.disable()  # process-wide: from now on no worker's allocation starts a collection
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer)
        self._timer.start(INTERVAL_MS)

    def stop_timer(self) -> None:
        """Collect only when asked (the tests: after each test's widgets are closed and deleted)."""
        self._timer.stop()

    def _on_timer(self) -> None:
        if QThread.currentThread().loopLevel() <= 1:  # the main loop, not a modal dialog's: see the module's note
            self.collect_due()

    def collect_due(self) -> int:
        """Collect the generations CPython would have collected by now; on the GUI thread. Returns the number of
        unreachable objects found (for tests)."""
        return collect_due(self._thresholds)


def collect_due(thresholds: tuple[int, int, int]) -> int:
    """On the main (GUI) thread: what CPython's automatic collection would have done by now with ``thresholds``
    (gc.get_threshold() before it was switched off). The tests call it between tests too."""
    assert threading.current_thread() is threading.main_thread(), "collect on the GUI thread only"
    count0, count1, count2 = gc.get_count()
    threshold0, threshold1, threshold2 = thresholds
    if threshold0 == 0 or count0 < threshold0:
        return 0
    generation = 0
    if count1 >= threshold1:
        generation = 2 if count2 >= threshold2 else 1
    return gc.collect(generation)


def install_gui_collector(app: QCoreApplication) -> GuiThreadCollector:
    """Once per application (the composition root and the tests' application call it); returns the collector.
    Asked again, it makes sure automatic collection is still off."""
    existing = app.findChild(GuiThreadCollector)
    if isinstance(existing, GuiThreadCollector):
        gc.disable()
        return existing
    collector = GuiThreadCollector(app)
    collector.setObjectName(_PROPERTY)
    return collector
