"""The shared chart widgets (ui/charts.py) on their own: what they paint, where, and what they say when empty.

The county overview's chart (tests/ui/test_county_ui.py) and 台账统计 (test_statistics_page.py) use these."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from hecun_office.ui import charts
from hecun_office.ui.charts import Bar, MonthChart, RateBars, Series
from hecun_office.ui.county import month_chart


def colours_in(image: QImage, x0: int = 0, x1: int | None = None) -> set[str]:
    x1 = image.width() if x1 is None else x1
    return {image.pixelColor(x, y).name() for x in range(x0, x1) for y in range(0, image.height(), 2)}


def test_the_county_chart_is_the_shared_widget():
    assert month_chart.MonthChart is MonthChart and month_chart.Series is Series


def test_a_stacked_chart_scales_to_the_months_total_and_paints_every_series(qtbot):
    chart = MonthChart(stacked=True)
    qtbot.addWidget(chart)
    chart.resize(480, 260)
    chart.set_data([Series("日常监督", "#1f5fa8", (3, 0, 5) + (0,) * 9),
                    Series("12345政务服务热线", "#e0892b", (4, 1, 0) + (0,) * 9)])
    assert chart.top() == 8  # January's 3 + 4 = 7 on one bar; grouped it would be 5 → 8 too, so check March
    chart.set_data([Series("a", "#1f5fa8", (9, 0, 0) + (0,) * 9), Series("b", "#e0892b", (9, 0, 0) + (0,) * 9)])
    assert chart.top() == 20  # 18 stacked
    chart.set_stacked(False)
    assert chart.top() == 12  # 9 side by side
    chart.set_stacked(True)
    image = chart.grab().toImage()
    plot = chart.plot_rect()
    january = colours_in(image, int(plot.left()), int(plot.left() + plot.width() / 12))
    assert {"#1f5fa8", "#e0892b"} <= january
    # the tooltips are made from the series when the caller gives none
    assert chart.tips()[0] == "1月：a 9、b 9（合计 18）"


def test_the_legend_wraps_instead_of_running_off_the_chart(qtbot):
    chart = MonthChart(stacked=True)
    qtbot.addWidget(chart)
    chart.resize(400, 260)
    names = ["12345政务服务热线", "行政执法案卷评查", "群众投诉举报", "上级交办", "日常监督", "媒体曝光", "其他来源"]
    chart.set_data([Series(n, charts.colour(k), (1,) * 12) for k, n in enumerate(names)])
    one_line = MonthChart()
    qtbot.addWidget(one_line)
    one_line.resize(400, 260)
    one_line.set_data([Series("日常监督", "#1f5fa8", (1,) * 12)])
    assert chart.plot_rect().top() >= one_line.plot_rect().top() + chart.fontMetrics().height()
    assert chart.plot_rect().height() > 100  # still room for the bars


def test_an_empty_chart_says_so_and_shows_no_tooltip(qtbot):
    chart = MonthChart()
    qtbot.addWidget(chart)
    chart.resize(440, 240)
    chart.set_data([Series("受理事项", "#1f5fa8", (0,) * 12)])
    assert chart.is_empty()
    image = chart.grab().toImage()
    plot = chart.plot_rect().toRect()
    inside = {image.pixelColor(x, y).name() for x in range(plot.left(), plot.right())
              for y in range(plot.top(), plot.bottom())}
    assert "#1f5fa8" not in inside  # no bar…
    middle = plot.center().y()
    band = {image.pixelColor(x, y).lightness() for x in range(plot.left(), plot.right())
            for y in range(middle - 8, middle + 8)}
    assert min(band) < 160  # …but the words 本期没有数据 across the middle
    chart.set_data([Series("受理事项", "#1f5fa8", (1,) + (0,) * 11)])
    assert not chart.is_empty()


def test_rate_bars_are_as_long_as_the_rate_and_coloured_by_it(qtbot):
    bars = RateBars()
    qtbot.addWidget(bars)
    bars.resize(500, 200)
    bars.set_data([Bar("贺村镇人民政府", 1.0, "100.0%（2/2）"), Bar("江山市市场监督管理局贺村市场监督管理所", 0.5, "50.0%（1/2）"),
                   Bar("贺村镇综合行政执法队", None, "—")])
    assert bars.minimumHeight() >= 3 * RateBars.ROW
    image = bars.grab().toImage()
    width = {}
    for n in range(2):
        y = int(RateBars.MARGIN + n * RateBars.ROW + RateBars.ROW / 2)
        row = [image.pixelColor(x, y).name() for x in range(image.width())]
        width[n] = row
    assert QColor(charts.GOOD).name() in width[0] and QColor(charts.POOR).name() in width[1]
    full = width[0].count(QColor(charts.GOOD).name())
    half = width[1].count(QColor(charts.POOR).name())
    assert abs(half - full / 2) <= 2
    assert bars.row_at(RateBars.MARGIN + 2.5 * RateBars.ROW) == 2
    assert bars.row_at(RateBars.MARGIN + 3.5 * RateBars.ROW) is None


def test_rate_bars_without_rows_paint_no_bar(qtbot):
    bars = RateBars()
    qtbot.addWidget(bars)
    bars.resize(400, 120)
    bars.set_data([])
    image = bars.grab().toImage()
    assert not colours_in(image) & {QColor(c).name() for c in (charts.GOOD, charts.FAIR, charts.POOR, charts.TRACK)}
