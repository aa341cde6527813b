"""The program's charts, painted with QPainter: a month bar chart (grouped or stacked, with a legend) and horizontal
rate bars (one per unit, with its percentage written beside it).

Why hand-painted (issue 14): PySide6-Essentials has no QtCharts. QtCharts is in PySide6-Addons, which the installer
keeps out (installer/hecun-office.spec lists it among the excludes); taking it in would add libQt6Charts (2.2 MB),
its binding (1 MB) and the OpenGL libraries it links (0.8 MB) to every installation, and matplotlib with numpy
would add tens of MB more — for a few bars that a hundred lines of QPainter draw in the program's own look, with
Chinese labels in the program's font and tooltips in the same words as the tables. The county overview (S-7) and
台账统计 (L-3) use these same widgets.

A chart never prints a number it has no room for: hovering a month or a bar shows its figures as a tooltip.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from . import style

GRID = "#e3e7ed"
AXIS = "#c9d3df"
TEXT = "#33475b"
HIGHLIGHT = "#eef3fa"  # behind the month the page is about
TRACK = "#eef1f5"
# Distinct on screen and on a grey-scale printout, in the order series are given; more series reuse them.
PALETTE = (style.ACCENT, "#e0892b", "#2e7d32", "#8e44ad", "#c62828", "#00838f", "#8d6e63", "#7f8c8d",
           "#f4b400", "#5c6bc0")
GOOD, FAIR, POOR = "#2e7d32", style.ACCENT, style.OVERDUE_TEXT
GOOD_RATE, FAIR_RATE = 0.9, 0.6  # a rate bar's colour: 90 % and above green, below 60 % red


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: tuple[int, ...]  # one per month, January first


def colour(n: int) -> str:
    """The ``n``-th series' colour."""
    return PALETTE[n % len(PALETTE)]


def nice_ceiling(value: int, ticks: int = 4) -> int:
    """The axis maximum: ``ticks`` whole, round steps, at least ``value``."""
    need = max(value, 1) / ticks
    power = 10 ** max(math.floor(math.log10(need)), 0)
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        size = step * power
        if size >= need and size == int(size):
            return int(size) * ticks
    return int(10 * power) * ticks


def _paint_empty(widget: QWidget, painter: QPainter, text: str) -> None:
    painter.setPen(QColor(style.MUTED_TEXT))
    painter.drawText(QRectF(widget.rect()), Qt.AlignmentFlag.AlignCenter, text)


class MonthChart(QWidget):
    """One slot per month of a year, a bar per series in it (``stacked``: the series on top of each other)."""

    MARGIN_LEFT, MARGIN_RIGHT, MARGIN_BOTTOM = 34, 8, 22
    LEGEND_TOP, LEGEND_GAP = 6, 8
    TICKS = 4

    def __init__(self, parent: QWidget | None = None, *, stacked: bool = False) -> None:
        super().__init__(parent)
        self._series: tuple[Series, ...] = ()
        self._stacked = stacked
        self._months_shown = 12
        self._tips: tuple[str, ...] = ()
        self._highlight: int | None = None
        self.setMinimumSize(380, 210)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(440, 230)

    def set_data(self, series: Sequence[Series], months_shown: int = 12, tips: Sequence[str] = (),
                 highlight: int | None = None) -> None:
        """``months_shown``: January up to that month carry data (a year still running); ``tips``: one tooltip
        per month (made from the series when not given); ``highlight``: a month (1–12) to set off."""
        self._series = tuple(series)
        self._months_shown = months_shown
        self._tips = tuple(tips) or self._default_tips()
        self._highlight = highlight
        self.update()

    def set_stacked(self, stacked: bool) -> None:
        self._stacked = stacked
        self.update()

    def series(self) -> tuple[Series, ...]:
        return self._series

    def tips(self) -> tuple[str, ...]:
        return self._tips

    def is_empty(self) -> bool:
        return not any(v > 0 for s in self._series for v in s.values)

    def _default_tips(self) -> tuple[str, ...]:
        tips = []
        for month in range(12):
            values = [(s.name, s.values[month] if month < len(s.values) else 0) for s in self._series]
            parts = "、".join(f"{name} {value}" for name, value in values)
            total = sum(v for _, v in values)
            text = self.tr("{m}月：{parts}").format(m=month + 1, parts=parts)
            if self._stacked and len(values) > 1:
                text += self.tr("（合计 {n}）").format(n=total)
            tips.append(text)
        return tuple(tips)

    # --- geometry -----------------------------------------------------------------------------------
    def _legend_name(self, metrics: QFontMetrics, name: str) -> str:
        # a category's full name runs to thirty characters: the legend shows its start, the tooltip all of it
        return metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(int(self.width() * 0.45), 60))

    def _legend_lines(self, metrics: QFontMetrics, left: float) -> list[list[tuple[float, Series]]]:
        """The legend's entries, (x, series), wrapped into lines that fit the width."""
        box = metrics.height() * 0.6
        lines: list[list[tuple[float, Series]]] = [[]]
        x = left
        for s in self._series:
            width = box + 5 + metrics.horizontalAdvance(self._legend_name(metrics, s.name))
            if lines[-1] and x + width > self.width() - self.MARGIN_RIGHT:
                lines.append([])
                x = left
            lines[-1].append((x, s))
            x += width + 16
        return lines if lines[-1] else []

    def _left(self, metrics: QFontMetrics) -> float:
        # room on the left for the longest value label, however many digits it has
        return max(self.MARGIN_LEFT, metrics.horizontalAdvance(str(self.top())) + 12)

    def plot_rect(self) -> QRectF:
        metrics = QFontMetrics(self.font())
        left = self._left(metrics)
        lines = len(self._legend_lines(metrics, left)) or 1
        top = self.LEGEND_TOP + lines * metrics.height() + self.LEGEND_GAP
        return QRectF(left, top, self.width() - left - self.MARGIN_RIGHT,
                      self.height() - top - self.MARGIN_BOTTOM)

    def month_at(self, x: float) -> int | None:
        """The month (1–12) under the horizontal position ``x``, if any."""
        plot = self.plot_rect()
        if not plot.left() <= x < plot.right():
            return None
        return int((x - plot.left()) / (plot.width() / 12)) + 1

    def _value(self, s: Series, month: int) -> int:
        return s.values[month] if month < len(s.values) else 0

    def top(self) -> int:
        if self._stacked:
            peak = max((sum(self._value(s, m) for s in self._series) for m in range(12)), default=0)
        else:
            peak = max((v for s in self._series for v in s.values), default=0)
        return nice_ceiling(peak, self.TICKS)

    # --- painting -----------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        metrics = QFontMetrics(self.font())
        plot = self.plot_rect()
        top = self.top()
        self._paint_legend(painter, metrics)
        if self._highlight is not None:
            slot = plot.width() / 12
            painter.fillRect(QRectF(plot.left() + (self._highlight - 1) * slot, plot.top(), slot, plot.height()),
                             QColor(HIGHLIGHT))
        self._paint_grid(painter, metrics, plot, top)
        if self._stacked:
            self._paint_stacks(painter, plot, top)
        else:
            self._paint_bars(painter, plot, top)
        self._paint_months(painter, metrics, plot)
        if self.is_empty():
            painter.setPen(QColor(style.MUTED_TEXT))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("本期没有数据"))
        painter.end()

    def _paint_legend(self, painter: QPainter, metrics: QFontMetrics) -> None:
        box = metrics.height() * 0.6
        for n, line in enumerate(self._legend_lines(metrics, self._left(metrics))):
            y = self.LEGEND_TOP + n * metrics.height()
            for x, s in line:
                painter.fillRect(QRectF(x, y + (metrics.height() - box) / 2, box, box), QColor(s.colour))
                painter.setPen(QColor(TEXT))
                painter.drawText(QPointF(x + box + 5, y + metrics.ascent()), self._legend_name(metrics, s.name))

    def _paint_grid(self, painter: QPainter, metrics: QFontMetrics, plot: QRectF, top: int) -> None:
        for n in range(self.TICKS + 1):
            value = top * n // self.TICKS
            y = plot.bottom() - plot.height() * n / self.TICKS
            painter.setPen(QPen(QColor(AXIS if n == 0 else GRID), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor(style.MUTED_TEXT))
            text = str(value)
            painter.drawText(QPointF(plot.left() - 6 - metrics.horizontalAdvance(text), y + metrics.ascent() / 2 - 1),
                             text)

    def _paint_bars(self, painter: QPainter, plot: QRectF, top: int) -> None:
        if not self._series:
            return
        slot = plot.width() / 12
        gap = max(slot * 0.22, 3)
        bar = (slot - gap) / len(self._series)
        for month in range(min(self._months_shown, 12)):
            for k, s in enumerate(self._series):
                value = self._value(s, month)
                if value <= 0:
                    continue
                height = plot.height() * value / top
                rect = QRectF(plot.left() + month * slot + gap / 2 + k * bar, plot.bottom() - height,
                              max(bar - 1, 1), height)
                painter.fillRect(rect, QColor(s.colour))

    def _paint_stacks(self, painter: QPainter, plot: QRectF, top: int) -> None:
        slot = plot.width() / 12
        width = slot * 0.6
        for month in range(min(self._months_shown, 12)):
            base = plot.bottom()
            for s in self._series:
                value = self._value(s, month)
                if value <= 0:
                    continue
                height = plot.height() * value / top
                painter.fillRect(QRectF(plot.left() + month * slot + (slot - width) / 2, base - height, width,
                                        height), QColor(s.colour))
                base -= height

    def _paint_months(self, painter: QPainter, metrics: QFontMetrics, plot: QRectF) -> None:
        slot = plot.width() / 12
        for month in range(12):
            painter.setPen(QColor(style.MUTED_TEXT if month < self._months_shown else AXIS))
            text = str(month + 1)  # "10月11月12月" would run together; the title says these are months
            x = plot.left() + month * slot + (slot - metrics.horizontalAdvance(text)) / 2
            painter.drawText(QPointF(x, plot.bottom() + 4 + metrics.ascent()), text)

    # --- tooltips -----------------------------------------------------------------------------------
    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            month = self.month_at(e.pos().x())
            if month is not None and month <= len(self._tips) and not self.is_empty():
                QToolTip.showText(e.globalPos(), self._tips[month - 1], self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)


@dataclass(frozen=True)
class Bar:
    label: str  # a unit's or an office's name
    value: float | None  # 0.0–1.0; None: nothing to judge yet ("—", no bar)
    text: str  # written beside the bar: "87.5%（7/8）"
    tip: str = ""


def rate_colour(value: float) -> str:
    return GOOD if value >= GOOD_RATE else FAIR if value >= FAIR_RATE else POOR


class RateBars(QWidget):
    """One horizontal bar per row, its length the rate, its figures written after it."""

    ROW, BAR, MARGIN, LABEL_SHARE = 26, 14, 6, 0.42

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: tuple[Bar, ...] = ()
        self.setMinimumSize(380, self._height())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # as tall as its rows
        self.setMouseTracking(True)

    def set_data(self, bars: Sequence[Bar]) -> None:
        self._bars = tuple(bars)
        # every unit gets its row: the page scrolls rather than squeezing names together
        self.setMinimumHeight(self._height())
        self.updateGeometry()
        self.update()

    def bars(self) -> tuple[Bar, ...]:
        return self._bars

    def _height(self) -> int:
        return 2 * self.MARGIN + max(len(self._bars), 2) * self.ROW

    def sizeHint(self) -> QSize:
        return QSize(440, self._height())

    def row_at(self, y: float) -> int | None:
        n = int((y - self.MARGIN) // self.ROW)
        return n if y >= self.MARGIN and n < len(self._bars) else None

    def _columns(self, metrics: QFontMetrics) -> tuple[float, float, float]:
        """x where the names end, where the bars end, and the width of the figures' column."""
        names = max((metrics.horizontalAdvance(b.label) for b in self._bars), default=0) + 10
        label_end = min(names, self.width() * self.LABEL_SHARE)
        figures = max((metrics.horizontalAdvance(b.text) for b in self._bars), default=0) + 10
        return label_end, self.width() - figures - self.MARGIN, figures

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if not self._bars:
            _paint_empty(self, painter, self.tr("本期没有数据"))
            painter.end()
            return
        metrics = QFontMetrics(self.font())
        label_end, bar_end, _ = self._columns(metrics)
        track = max(bar_end - label_end, 1)
        for n, b in enumerate(self._bars):
            y = self.MARGIN + n * self.ROW
            middle = y + self.ROW / 2
            baseline = middle + metrics.ascent() / 2 - 1
            painter.setPen(QColor(TEXT))
            name = metrics.elidedText(b.label, Qt.TextElideMode.ElideMiddle, int(label_end - 10))
            painter.drawText(QPointF(label_end - 10 - metrics.horizontalAdvance(name), baseline), name)
            bar = QRectF(label_end, middle - self.BAR / 2, track, self.BAR)
            painter.fillRect(bar, QColor(TRACK))
            if b.value is not None and b.value > 0:
                painter.fillRect(QRectF(bar.left(), bar.top(), track * min(b.value, 1.0), self.BAR),
                                 QColor(rate_colour(b.value)))
            painter.setPen(QColor(TEXT if b.value is not None else style.MUTED_TEXT))
            painter.drawText(QPointF(bar_end + 8, baseline), b.text)
        painter.end()

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            row = self.row_at(e.pos().y())
            if row is not None:
                b = self._bars[row]
                QToolTip.showText(e.globalPos(), b.tip or f"{b.label}：{b.text}", self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)
