"""The one job panel (U-3, STYLE.md habit 5): a status line, a progress bar and 取消 for a long task, shared by the
work-order import and 报送与同步 instead of a hand-written copy in each.

The panel drives a progress generator (progress.py) through the runner: a write on the database worker, a read
(reading a workbook, checking for duplicates) on the reader pool, so a long read never queues behind an import.
It shows the steps as they come, hides itself when the job ends and hands the result — or CANCELLED — to the
caller. 取消 asks the generator to stop at its next step, where the service rolls back what it holds open; the
panel says so at once, because the step running may take a moment to end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from .progress import ProgressJob, Steps
from .tasks import TaskRunner
from .widgets import label

BAR_WIDTH = 320


class JobPanel(QWidget):
    finished = Signal()  # after the caller's handler ran: the panel is free for the next job

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._job: ProgressJob | None = None
        self._on_done: Callable[[Any], None] | None = None
        self._on_failed: Callable[[BaseException], None] | None = None
        self.status = label("", "muted")
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setMinimumWidth(BAR_WIDTH)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setAutoDefault(False)  # Enter in the dialog must not cancel the import
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.status)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)
        self.hide()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.cancel_button.clicked.connect(self.cancel)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def start(self, steps: Callable[[], Steps], text: str, on_done: Callable[[Any], None],
              on_failed: Callable[[BaseException], None], *, writes: bool = True, cancellable: bool = True,
              cancel_text: str = "", bar_format: str = "%p%") -> bool:
        """Run ``steps`` (a write unless ``writes`` is False); ``on_done`` gets its result or CANCELLED.
        Not ``cancellable``: a single step, which a cancel could not stop. False while another job runs."""
        if self._job is not None:
            return False
        self._on_done, self._on_failed = on_done, on_failed
        job = ProgressJob(steps, self)
        job.progressed.connect(self._progressed)
        self._job = job
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.progress.setRange(0, 0)  # busy until the first step says how many there are
        self.progress.setFormat(bar_format)
        self.cancel_button.setText(cancel_text or self.tr("取消"))
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(cancellable)
        self.show()
        run = self._tasks.write if writes else self._tasks.read
        run(job.run, self._done, self._failed)
        return True

    def cancel(self) -> None:
        if self._job is None or self._job.cancelling:
            return
        self._job.cancel()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(self.tr("正在取消…"))

    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _finish(self) -> tuple[Callable[[Any], None] | None, Callable[[BaseException], None] | None]:
        if self._job is not None:
            self._job.deleteLater()  # its run() has returned: the result is what is being delivered
        self._job = None
        self.hide()
        handlers = self._on_done, self._on_failed
        self._on_done = self._on_failed = None
        return handlers

    def _done(self, result: object) -> None:
        on_done, _ = self._finish()
        if on_done is not None:
            on_done(result)
        self.finished.emit()

    def _failed(self, exc: object) -> None:
        _, on_failed = self._finish()
        if on_failed is not None:
            on_failed(exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))
        self.finished.emit()
