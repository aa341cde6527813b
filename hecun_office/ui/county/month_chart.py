"""A small grouped bar chart of the year's months, painted with QPainter (PySide6-Essentials has no QtCharts).

One group of bars per month, one bar per series; months after the current one are left empty. Hovering a month
shows its figures as a tooltip, so the chart never has to print numbers it has no room for.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from .. import style

GRID = "#e3e7ed"
AXIS = "#c9d3df"


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: tuple[int, ...]  # one per month, January first


def nice_ceiling(value: int, ticks: int = 4) -> int:
    """The axis maximum: ``ticks`` whole, round steps, at least ``value``."""
    need = max(value, 1) / ticks
    power = 10 ** max(math.floor(math.log10(need)), 0)
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        size = step * power
        if size >= need and size == int(size):
            return int(size) * ticks
    return int(10 * power) * ticks


class MonthChart(QWidget):
    MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 34, 8, 30, 22
    TICKS = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._series: tuple[Series, ...] = ()
        self._months_shown = 12
        self._tips: tuple[str, ...] = ()
        self.setMinimumSize(380, 210)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(440, 230)

    def set_data(self, series: Sequence[Series], months_shown: int, tips: Sequence[str] = ()) -> None:
        """``months_shown``: January up to the current month carry data; ``tips``: one tooltip per month."""
        self._series = tuple(series)
        self._months_shown = months_shown
        self._tips = tuple(tips)
        self.update()

    def series(self) -> tuple[Series, ...]:
        return self._series

    # --- geometry -----------------------------------------------------------------------------------
    def plot_rect(self) -> QRectF:
        # room on the left for the longest value label, however many digits it has
        left = max(self.MARGIN_LEFT, QFontMetrics(self.font()).horizontalAdvance(str(self.top())) + 12)
        return QRectF(left, self.MARGIN_TOP, self.width() - left - self.MARGIN_RIGHT,
                      self.height() - self.MARGIN_TOP - self.MARGIN_BOTTOM)

    def month_at(self, x: float) -> int | None:
        """The month (1–12) under the horizontal position ``x``, if any."""
        plot = self.plot_rect()
        if not plot.left() <= x < plot.right():
            return None
        return int((x - plot.left()) / (plot.width() / 12)) + 1

    def top(self) -> int:
        return nice_ceiling(max((v for s in self._series for v in s.values), default=0), self.TICKS)

    # --- painting -----------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        metrics = QFontMetrics(self.font())
        plot = self.plot_rect()
        top = self.top()
        self._paint_legend(painter, metrics)
        self._paint_grid(painter, metrics, plot, top)
        self._paint_bars(painter, plot, top)
        self._paint_months(painter, metrics, plot)
        painter.end()

    def _paint_legend(self, painter: QPainter, metrics: QFontMetrics) -> None:
        x = self.plot_rect().left()
        y = 6.0
        box = metrics.height() * 0.6
        for s in self._series:
            painter.fillRect(QRectF(x, y + (metrics.height() - box) / 2, box, box), QColor(s.colour))
            x += box + 5
            painter.setPen(QColor("#33475b"))
            painter.drawText(QPointF(x, y + metrics.ascent()), s.name)
            x += metrics.horizontalAdvance(s.name) + 16

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
                value = s.values[month] if month < len(s.values) else 0
                if value <= 0:
                    continue
                height = plot.height() * value / top
                rect = QRectF(plot.left() + month * slot + gap / 2 + k * bar, plot.bottom() - height,
                              max(bar - 1, 1), height)
                painter.fillRect(rect, QColor(s.colour))

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
            if month is not None and month <= len(self._tips):
                QToolTip.showText(e.globalPos(), self._tips[month - 1], self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)

