"""The county overview's behaviour: figures in, the chart follows the selected office; double-click on a waiting
item opens its matter, on an office its open matters in 监督事项."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QItemSelection, QModelIndex, QTimer, Signal
from PySide6.QtGui import QShowEvent

from ...services.county import CountyOverview, OfficeFigures, county_overview
from .. import style
from ..context import UiContext
from ..errors import message_for
from ..models.base import ROW_ROLE
from ..models.county_table import office_name
from .county_view import CountyView
from .month_chart import Series

RECEIVED_COLOUR = style.ACCENT
ADVICE_COLOUR = "#e0892b"
ON_TIME_COLOUR = "#2e7d32"
FIRST_READ_AFTER_MS = 100  # from the section's first show to its first read


class CountySection(CountyView):
    matter_requested = Signal(int)
    office_requested = Signal(str)  # the office's code; '' = the county's totals row

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._overview: CountyOverview | None = None
        self._chart_code = ""  # the office the chart shows; '' = the whole county
        self._running = False  # one overview at a time; a refresh meanwhile asks for one more after it
        self._again = False
        self._shown = False
        self._waiting_for_show = False
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.awaiting_table.activated.connect(self._open_item)
        self.table.activated.connect(self._open_office)
        self.table.selectionModel().selectionChanged.connect(self._office_selected)

    @property
    def overview(self) -> CountyOverview | None:
        return self._overview

    @property
    def busy(self) -> bool:
        return self._running

    def refresh(self) -> None:
        """Read the county's figures on the worker (grouped queries over every township's data: seconds the first
        time at the full county year, too long for the GUI thread, N-2) and show them when they come. Before the
        section was first shown the read waits for it (``showEvent``): at start-up the window paints first."""
        if not self._shown:
            self._waiting_for_show = True
            return
        if self._running:
            self._again = True
            return
        self._running, self._again = True, False
        self._ctx.tasks.read(partial(county_overview, self._ctx.db, self._ctx.today()), self._loaded, self._failed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            # after the first paint: the worker's first read of a large county (allocating, so collecting garbage
            # under the GIL) must not hold up the window's start-up
            QTimer.singleShot(FIRST_READ_AFTER_MS, self._first_refresh)

    def _first_refresh(self) -> None:
        if self._waiting_for_show:
            self._waiting_for_show = False
            self.refresh()

    def _loaded(self, overview: object) -> None:
        if isinstance(overview, CountyOverview):
            self.show_overview(overview)
        self._done()

    def _failed(self, exc: object) -> None:
        self.headline.setText(self.tr("全县概况未能读取：{reason}").format(
            reason=message_for(exc) if isinstance(exc, BaseException) else exc))
        self._done()

    def _done(self) -> None:
        self._running = False
        if self._again:
            self.refresh()

    @property
    def chart_code(self) -> str:
        return self._chart_code

    def show_overview(self, overview: CountyOverview) -> None:
        self._overview = overview
        self._show_awaiting(overview)
        self._show_offices(overview)
        self.fit_tables(loaded=True)

    def _show_awaiting(self, overview: CountyOverview) -> None:
        items = overview.awaiting
        overdue = overview.total.overdue_assistance  # only a reply has a deadline (tens of thousands of items)
        self.awaiting_title.setText(self.tr("待本局办理（{n}）").format(n=len(items)) if not overdue else
                                    self.tr("待本局办理（{n}，其中逾期 {m}）").format(n=len(items), m=overdue))
        self.awaiting_title.setProperty("urgency", "overdue" if overdue else "")
        self.awaiting_title.style().unpolish(self.awaiting_title)
        self.awaiting_title.style().polish(self.awaiting_title)
        self.awaiting_model.set_rows(items)

    def _show_offices(self, overview: CountyOverview) -> None:
        total = overview.total
        self.title.setText(self.tr("全县概况（{year}年）").format(year=overview.year))
        active = sum(o.active for o in overview.offices)
        self.headline.setText(self.tr(
            "{n} 个司法所：在办事项 {open} 件，逾期未提请 {overdue} 件，待本局答复协作函 {assist} 件、"
            "待制发监督通知书 {notice} 件；本年整改按期率 {rate}。").format(
            n=active, open=total.open_matters, overdue=total.overdue_escalations, assist=total.awaiting_assistance,
            notice=total.awaiting_notice,
            rate=f"{total.rectification_rate:.0%}" if total.rectification_rate is not None else "—"))
        code = self._chart_code
        self.model.set_overview(overview.offices, total)
        row = next((n for n, o in enumerate(overview.offices) if o.code == code), None) if code else None
        if row is not None:
            self.table.selectRow(row)  # keeps the chart on the office the clerk chose
        else:
            self.show_chart("")

    def _office_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        row: OfficeFigures | None = indexes[0].data(ROW_ROLE) if indexes else None
        self.show_chart(row.code if row is not None else "")

    def show_chart(self, code: str) -> None:
        overview = self._overview
        figures = overview.office(code) if overview is not None else None
        if overview is None or figures is None:
            return
        self._chart_code = code
        months = figures.months
        shown = overview.today.month if overview.today.year == overview.year else 12
        self.chart.set_data(
            [Series(self.tr("受理事项"), RECEIVED_COLOUR, tuple(m.received for m in months)),
             Series(self.tr("制发建议书"), ADVICE_COLOUR, tuple(m.advices for m in months)),
             Series(self.tr("按期整改"), ON_TIME_COLOUR, tuple(m.rectified_on_time for m in months))],
            shown,
            [self.tr("{m}月：受理 {r} 件，制发建议书 {a} 份；整改期限届满 {d} 件，按期整改 {t} 件").format(
                m=m.month, r=m.received, a=m.advices, d=m.rectification_due, t=m.rectified_on_time)
             for m in months])
        who = self.tr("全县") if figures.is_total else office_name(figures)
        self.chart_title.setText(self.tr("{who} {year}年各月：受理 {r} 件 · 建议书 {a} 份 · 按期整改 {t}/{d}").format(
            who=who, year=overview.year, r=figures.received_this_year, a=figures.advices_this_year,
            t=figures.rectified_on_time, d=figures.rectification_due))

    def _open_item(self, index: QModelIndex) -> None:
        item = index.data(ROW_ROLE)
        if item is not None and item.matter_id is not None:
            self.matter_requested.emit(item.matter_id)

    def _open_office(self, index: QModelIndex) -> None:
        row: OfficeFigures | None = index.data(ROW_ROLE)
        if row is not None:
            self.office_requested.emit(row.code)
