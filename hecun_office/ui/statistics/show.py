"""From a statistics snapshot to what 台账统计 shows: the headline, the figure tiles, the three charts and the
league tables. The service's labels (sources, categories) are vocabulary and go through vocab_text (U-1)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, QSignalBlocker

from ...services.statistics import LeagueRow, MonthSeries, Period, Rate, Snapshot
from .. import charts
from ..charts import Bar, Series
from ..formatting import vocab_text
from .league_table import rate_text
from .statistics_view import FigureTile, StatisticsView

# obligations_per_month's three series, in its order: met on time, met late, still open past the date
OBLIGATION_COLOURS = (charts.GOOD, "#e0892b", charts.POOR)


def months_shown(year: int, today: date) -> int:
    """The months that have begun: a future month has no bar, not a zero one."""
    return 12 if year < today.year else today.month if year == today.year else 0


class Shower(QObject):
    def __init__(self, view: StatisticsView) -> None:
        super().__init__(view)
        self._view = view

    # --- words -------------------------------------------------------------------------------------------------
    def period_text(self, period: Period) -> str:
        if period.month is None:
            return self.tr("{y}年").format(y=period.year)
        return self.tr("{y}年{m}月").format(y=period.year, m=period.month)

    def who(self, snapshot: Snapshot) -> str:
        names = dict(snapshot.offices)
        if snapshot.office_code is not None:
            return names.get(snapshot.office_code, snapshot.office_code)
        if self._view.bureau:
            return self.tr("全部司法所")
        return next(iter(names.values()), "")

    # --- the whole page ----------------------------------------------------------------------------------------
    def show(self, snapshot: Snapshot, today: date) -> None:
        view = self._view
        self._offer_offices(snapshot)
        period = snapshot.period
        figures = snapshot.figures
        view.headline.setText(self.tr("{who}　{period}　数字截至 {as_of}").format(
            who=self.who(snapshot), period=self.period_text(period), as_of=figures.as_of.isoformat()))
        self._show_tiles(snapshot)
        self.show_matters(snapshot, today)
        self._show_obligations(snapshot, today)
        self._show_rates(snapshot)
        self._show_league(snapshot)

    def _offer_offices(self, snapshot: Snapshot) -> None:
        """The bureau's 司法所 choices, as the database knows them; the choice made stays."""
        combo = self._view.office
        if not self._view.bureau:
            return
        wanted = [(code, name) for code, name in snapshot.offices]
        have = [(combo.itemData(n), combo.itemText(n)) for n in range(1, combo.count())]
        if wanted == have:
            return
        chosen = combo.currentData()
        with QSignalBlocker(combo):
            while combo.count() > 1:
                combo.removeItem(1)
            for code, name in wanted:
                combo.addItem(name, code)
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)

    def _show_tiles(self, snapshot: Snapshot) -> None:
        f = snapshot.figures
        tiles = self._view.tiles
        counts = {"received": f.matters_received, "closed": f.matters_closed, "advices": f.advices_issued,
                  "rectified": f.rectified, "rectifying": f.rectifying, "overdue": f.overdue,
                  "escalations": f.escalations, "assistance": f.assistance_requests, "transfers": f.clue_transfers,
                  "reviews": f.case_files_reviewed}
        for key, n in counts.items():
            self._set(tiles[key], str(n), "")
        tiles["rectified"].detail.setText(self.tr("按期 {a} · 逾期 {b}").format(a=f.rectified_on_time,
                                                                            b=f.rectified_late))
        self._set_rate(tiles["rate"], f.rectification_rate, self.tr("期限已届满的尚无"))
        self._set_rate(tiles["report_rate"], f.report_rate, self.tr("本期没有到期的报告"))

    @staticmethod
    def _set(tile: FigureTile, value: str, detail: str) -> None:
        tile.value.setText(value)
        tile.detail.setText(detail)

    def _set_rate(self, tile: FigureTile, rate: Rate, none: str) -> None:
        detail = f"{rate.numerator}/{rate.denominator}" if rate.denominator else none
        self._set(tile, rate.text, detail)

    # --- charts ------------------------------------------------------------------------------------------------
    def show_matters(self, snapshot: Snapshot, today: date) -> None:
        view = self._view
        by = view.matters_by.currentData()
        data: MonthSeries = snapshot.by_category if by == "category" else snapshot.by_source
        series = [Series(vocab_text(name), charts.colour(n), values) for n, (name, values) in enumerate(data.series)]
        year = snapshot.period.year
        view.matters_chart.set_data(series, months_shown(year, today), highlight=snapshot.period.month)
        total = sum(sum(values) for _, values in data.series)
        view.matters_card.title.setText(self.tr("{year}年各月受理事项（共 {n} 件）").format(year=year, n=total))

    def _show_obligations(self, snapshot: Snapshot, today: date) -> None:
        view = self._view
        names = (self.tr("按时完成"), self.tr("逾期完成"), self.tr("逾期未完成"))
        data = snapshot.obligations.series
        series = [Series(names[n] if n < len(names) else vocab_text(name),
                         OBLIGATION_COLOURS[n] if n < len(OBLIGATION_COLOURS) else charts.colour(n), values)
                  for n, (name, values) in enumerate(data)]
        year = snapshot.period.year
        view.obligations_chart.set_data(series, months_shown(year, today), highlight=snapshot.period.month)
        met = sum(data[0][1]) if data else 0
        due = sum(sum(values) for _, values in data)
        view.obligations_card.title.setText(self.tr("{year}年各月到期的时限：按时完成 {met}/{due}").format(
            year=year, met=met, due=due))

    def _show_rates(self, snapshot: Snapshot) -> None:
        view = self._view
        by_office = bool(snapshot.office_league)
        rows = snapshot.office_league if by_office else tuple(r for r in snapshot.league if r.received)
        view.rates.set_data([self._bar(row, by_office) for row in rows])
        title = self.tr("{period}各司法所整改按期率") if by_office else self.tr("{period}各单位整改按期率")
        view.rates_card.title.setText(title.format(period=self.period_text(snapshot.period)))

    def _bar(self, row: LeagueRow, by_office: bool) -> Bar:
        name = row.office_name if by_office else row.unit
        percent = row.rate.percent
        if row.rate.denominator:
            text = rate_text(row)
        else:  # nothing to judge yet: say why there is no bar
            text = self.tr("—（期限未到 {n}）").format(n=row.pending) if row.pending else "—"
        tip = self.tr("{name}：收到建议书 {r} 份，按期整改 {a}，逾期整改 {b}，逾期未整改 {c}，期限未到 {d}").format(
            name=name, r=row.received, a=row.on_time, b=row.late, c=row.outstanding, d=row.pending)
        return Bar(name, None if percent is None else percent / 100, text, tip)

    # --- the league --------------------------------------------------------------------------------------------
    def _show_league(self, snapshot: Snapshot) -> None:
        view = self._view
        period = self.period_text(snapshot.period)
        kind = self.tr("年度晒绩表") if snapshot.period.month is None else self.tr("月度晒绩表")
        view.league_title.setText(self.tr("{kind}（{period}，按被监督单位）").format(kind=kind, period=period))
        view.league_model.set_rows(snapshot.league)
        shown = bool(snapshot.office_league)
        view.office_league_title.setText(self.tr("{kind}（{period}，按司法所）").format(kind=kind, period=period))
        view.office_league_model.set_rows(snapshot.office_league)
        view.office_league_title.setVisible(shown)
        view.office_league.setVisible(shown)
        view.fit_tables()
