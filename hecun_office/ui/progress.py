"""Progress generators (STYLE.md habit 5) on the one worker (habit 4): progress and cancel for U-3.

The service yields (done, total); the worker drives it, reports progress through a queued signal and, when the
clerk cancels, closes the generator — which rolls back whatever transaction it holds open. The job panel
(job_panel.py) runs it and shows it, for the work-order import (ui/intake) and 报送与同步 (ui/exchange) alike.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, Signal

Steps = Generator[tuple[int, int], None, Any]
PROGRESS_INTERVAL_S = 0.05  # at most twenty updates a second: the GUI stays quick however fast the steps are
EVERY_STEP_UP_TO = 200  # short jobs show every step (a slow step must not hide behind the throttle)


class Cancelled:
    """The result of a job the clerk cancelled; nothing of it was kept."""


CANCELLED = Cancelled()


class ProgressJob(QObject):
    """Lives on the GUI thread; ``run`` is handed to TaskRunner and executes on the worker."""

    progressed = Signal(int, int)

    def __init__(self, steps: Callable[[], Steps], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps = steps
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> Any:  # worker thread
        steps = self._steps()
        last = 0.0
        try:
            while True:
                if self._cancel.is_set():
                    steps.close()  # GeneratorExit inside the service: its unit of work rolls back
                    return CANCELLED
                try:
                    done, total = next(steps)
                except StopIteration as stop:
                    return stop.value
                now = time.monotonic()
                if total <= EVERY_STEP_UP_TO or done >= total or now - last >= PROGRESS_INTERVAL_S:
                    last = now
                    self.progressed.emit(done, total)
        finally:
            steps.close()
