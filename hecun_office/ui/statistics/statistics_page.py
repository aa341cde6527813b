"""Behaviour of 台账统计 (L-3), office and bureau: the chosen period's figures are read on the reader pool and shown
when they come; a write elsewhere (its change notice) reads them again while the page is shown, or when it is next
shown. Charts are saved as PNG; the period's ledgers are exported with progress and 取消 (ledger_export.py)."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import Signal

from ...services.changes import Changes
from ...services.statistics import Period, Snapshot
from ...services.statistics import snapshot as load
from ..context import UiContext
from ..errors import message_for
from ..exchange.choosers import FileChooser
from ..job_panel import JobPanel
from ..latest_read import LatestRead
from .ledger_job import LedgerExport
from .png_export import PngExport
from .show import Shower
from .statistics_view import StatisticsView


def last_complete_month(today: date) -> Period:
    """What a clerk opens the page for: the month just ended (the bureau's monthly 晒绩)."""
    return Period(today.year - 1, 12) if today.month == 1 else Period(today.year, today.month - 1)


class StatisticsPage(StatisticsView):
    # What the figures are read from: a change to users, templates or the audit log leaves them alone.
    READS = frozenset({"matters", "matter_events", "matter_units", "documents", "obligations", "office_obligations",
                       "units", "peers", "office_profile"})
    message = Signal(str)  # for the status bar

    def __init__(self, ctx: UiContext, bureau: bool = False) -> None:
        super().__init__(bureau, JobPanel(ctx.tasks))
        self._ctx = ctx
        self.chooser = FileChooser()  # the file dialogs; tests put a stand-in here
        self._snapshot: Snapshot | None = None
        self._reads = LatestRead(ctx.tasks, self._loaded, self._failed, self.refresh, self)
        self._shower = Shower(self)
        self.png = PngExport(self)
        self.ledgers = LedgerExport(self)
        period = last_complete_month(ctx.today())
        self.office.addItem(self.tr("全部司法所"), None)
        self.year.setValue(period.year)
        self.month.setCurrentIndex(self.month.findData(period.month))
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.year.valueChanged.connect(self.refresh)
        self.month.currentIndexChanged.connect(self.refresh)
        self.office.currentIndexChanged.connect(self.refresh)
        self.matters_by.currentIndexChanged.connect(self._show_matters)

    # --- what is chosen -----------------------------------------------------------------------------------------
    def period(self) -> Period:
        month = self.month.currentData()
        return Period.of(self.year.value(), month if isinstance(month, int) else None)

    def set_period(self, year: int, month: int | None) -> None:
        self.year.setValue(year)
        self.month.setCurrentIndex(self.month.findData(month) if month is not None else 0)

    def office_code(self) -> str | None:
        code = self.office.currentData() if self.bureau else None
        return code if isinstance(code, str) else None

    def set_office(self, code: str | None) -> None:
        index = self.office.findData(code) if code is not None else 0
        if index >= 0:
            self.office.setCurrentIndex(index)

    def period_text(self) -> str:
        return self._shower.period_text(self.period())

    def who_text(self) -> str:
        """Whose figures are shown: the office, 全部司法所 or one township ('' before the first read)."""
        return self._shower.who(self._snapshot) if self._snapshot is not None else ""

    @property
    def context(self) -> UiContext:
        return self._ctx

    @property
    def snapshot(self) -> Snapshot | None:
        return self._snapshot

    @property
    def busy(self) -> bool:
        return self._reads.running

    # --- reading ------------------------------------------------------------------------------------------------
    def apply_changes(self, changes: Changes) -> None:
        if changes.touches(self.READS):
            self.refresh()

    def refresh(self) -> None:
        """Read the chosen period on the reader pool. A hidden page reads nothing: the window refreshes a page when
        it is shown."""
        if not self.isVisible():
            return
        ctx = self._ctx
        if self._reads.start(partial(load, ctx.db, self.period(), self.office_code(), self.bureau, ctx.today())):
            self.headline.setText(self.tr("正在读取……"))

    def _loaded(self, snapshot: object) -> None:
        if isinstance(snapshot, Snapshot):
            self._snapshot = snapshot
            self._shower.show(snapshot, self._ctx.today())

    def _failed(self, exc: object) -> None:
        self.headline.setText(self.tr("统计数据未能读取：{reason}").format(
            reason=message_for(exc) if isinstance(exc, BaseException) else exc))

    def _show_matters(self) -> None:
        if self._snapshot is not None:
            self._shower.show_matters(self._snapshot, self._ctx.today())
