"""Runs the 监督事项 list's queries so that the window never waits on them (N-2: no freeze over 100 ms).

On a small database every query takes a few milliseconds and runs in place, so the list is in step the moment a
clerk's change is saved. From BACKGROUND_FROM matters on, the first page and the count of a new filter are read
on a worker of their own (a long import on the shared worker must not hold up a search); the newest filter wins:
while one query runs, later requests collapse into one, and a result for a filter no longer shown is dropped.
Following pages are read in place, by keyset, which costs the same at the end of the list as at its start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import QObject, Signal

from ...services.database import Database
from ...services.search import (
    MatterFilter,
    MatterPage,
    MatterRow,
    list_matters,
    matter_volume,
    search_matters,
)
from ..models.matter_table import MatterTableModel
from ..tasks import TaskRunner

log = logging.getLogger(__name__)

BACKGROUND_FROM = 20_000  # matters


class MatterListLoader(QObject):
    loaded = Signal()  # the model holds the first page of the newest filter
    failed = Signal(object)  # the exception, for the page to show

    def __init__(self, db: Database, today: Callable[[], date], model: MatterTableModel,
                 parent: QObject | None = None, tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._today = today
        self._model = model
        # The program's one runner (its reader pool); a loader of its own only where none is given (model tests).
        self._runner = tasks if tasks is not None else TaskRunner(self)
        self._generation = 0
        self._running = False
        self._waiting: MatterFilter | None = None
        self.background_from = BACKGROUND_FROM  # tests set 0 to exercise the worker path

    @property
    def running(self) -> bool:
        return self._running

    def load(self, flt: MatterFilter, background: bool = False) -> None:
        """``background``: on the reader pool whatever the volume (a refresh after a write: the clerk is looking
        at something else, and the list must not hold up the window that shows the write's result)."""
        self._generation += 1
        if not background and not self._running and matter_volume(self._db) < self.background_from:
            try:
                page = search_matters(self._db, flt, self._model.PAGE, self._today())
            except Exception as exc:
                self.failed.emit(exc)
                return
            self._show(flt, page)
            return
        if self._running:
            self._waiting = flt
            return
        self._start(flt)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle and its result delivered (tests, bench)."""
        return self._runner.wait(msecs)

    def _start(self, flt: MatterFilter) -> None:
        self._running = True
        self._runner.read(partial(self._query, self._generation, flt, self._today()), self._done, self._error)

    def _query(self, generation: int, flt: MatterFilter, today: date) -> tuple[int, MatterFilter, MatterPage]:
        # On the worker: services only, with a session of its own.
        return generation, flt, search_matters(self._db, flt, self._model.PAGE, today)

    def _done(self, result: tuple[int, MatterFilter, MatterPage]) -> None:
        self._running = False
        generation, flt, page = result
        if self._next():
            return  # a newer filter is on its way; this result is already out of date
        if generation == self._generation:
            self._show(flt, page)

    def _error(self, exc: object) -> None:
        self._running = False
        if not self._next():
            self.failed.emit(exc)

    def _next(self) -> bool:
        if self._waiting is None:
            return False
        flt, self._waiting = self._waiting, None
        self._start(flt)
        return True

    def _show(self, flt: MatterFilter, page: MatterPage) -> None:
        self._model.show_page(page.rows, page.total, page.at_least, fetch=partial(self._more, flt))
        self.loaded.emit()

    def _more(self, flt: MatterFilter, limit: int, offset: int) -> list[MatterRow]:
        after = None
        if offset:
            last: MatterRow = self._model.row_at(offset - 1)
            after = (last.received_on, last.id)
        try:
            return list_matters(self._db, flt, limit=limit, offset=offset, today=self._today(), after=after)
        except Exception as exc:  # inside the view's scrolling: report it, end the list here
            log.warning("加载更多事项失败：%s", exc)
            self.failed.emit(exc)
            return []
