"""Layout of the county overview (S-7): what waits for the bureau, then one row per office beside a month chart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from ..models.county_table import (
    A_COL_DOCUMENT,
    A_COL_DUE,
    A_COL_KIND,
    A_COL_LEFT,
    A_COL_OFFICE,
    A_COL_RECEIVED,
    A_COL_REG_NO,
    A_COL_TITLE,
    COL_ASSISTANCE,
    COL_NOTICE,
    COL_OFFICE,
    COL_OPEN,
    COL_OVERDUE,
    COL_PACKET,
    COL_RATE,
    AwaitingTableModel,
    CountyTableModel,
)
from ..widgets import ROW_HEIGHT, label, set_column_widths, table_view
from .month_chart import MonthChart

MAX_AWAITING_ROWS = 8  # more scroll inside the table; the office table always shows every office
CHART_WIDTH = 420
TABLE_WIDTH = 600  # narrower than table + chart (150 % scaling, U-1): the chart goes below the table


def fit_height(table: QTableView, rows: int) -> None:
    header = table.horizontalHeader().sizeHint().height()
    table.setFixedHeight(header + max(rows, 1) * ROW_HEIGHT + 2 * table.frameWidth())


class CountyView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(4)

        self.awaiting_title = label("", "sectionTitle")
        self.awaiting_empty = label(self.tr("无"), "emptyNote")
        self.awaiting_model = AwaitingTableModel(self)
        self.awaiting_table = table_view(self.awaiting_model, stretch_column=A_COL_TITLE)
        set_column_widths(self.awaiting_table, {A_COL_KIND: 120, A_COL_OFFICE: 100, A_COL_REG_NO: 150,
                                                A_COL_DOCUMENT: 140, A_COL_RECEIVED: 92, A_COL_DUE: 130,
                                                A_COL_LEFT: 116})
        layout.addWidget(self.awaiting_title)
        layout.addWidget(self.awaiting_empty)
        layout.addWidget(self.awaiting_table)

        self.title = label("", "sectionTitle")
        self.headline: QLabel = label("", wrap=True)
        layout.addWidget(self.title)
        layout.addWidget(self.headline)
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setSpacing(16)
        self._row = row
        self.model = CountyTableModel(self)
        self.table = table_view(self.model, stretch_column=COL_OFFICE)
        set_column_widths(self.table, {COL_PACKET: 134, COL_OPEN: 72, COL_OVERDUE: 86, COL_ASSISTANCE: 92,
                                       COL_NOTICE: 86, COL_RATE: 136})
        row.addWidget(self.table, 1, Qt.AlignmentFlag.AlignTop)
        chart_box = QVBoxLayout()
        chart_box.setSpacing(2)
        self.chart_title = label("", wrap=True)
        bold = self.chart_title.font()
        bold.setBold(True)
        self.chart_title.setFont(bold)
        self.chart = MonthChart()
        self.chart_note = label(self.tr("点选表中的司法所可查看该所各月情况，双击列出该所在办事项；"
                                        "鼠标停在某月上显示数字。"), "muted", wrap=True)
        chart_box.addWidget(self.chart_title)
        chart_box.addWidget(self.chart)
        chart_box.addWidget(self.chart_note)
        chart_box.addStretch(1)
        chart_panel = QWidget()
        chart_panel.setLayout(chart_box)
        chart_box.setContentsMargins(0, 0, 0, 0)
        chart_panel.setFixedWidth(CHART_WIDTH)
        row.addWidget(chart_panel, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)

        # until the figures arrive from the worker (a large county takes a moment)
        self.awaiting_title.setText(self.tr("待本局办理"))
        self.title.setText(self.tr("全县概况"))
        self.headline.setText(self.tr("正在读取各司法所的数据……"))
        self.awaiting_empty.setText(self.tr("正在读取……"))
        self.fit_tables()

    def resizeEvent(self, event: QResizeEvent) -> None:
        side_by_side = event.size().width() >= TABLE_WIDTH + CHART_WIDTH + self._row.spacing()
        self._row.setDirection(QBoxLayout.Direction.LeftToRight if side_by_side
                               else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)

    def fit_tables(self, loaded: bool = False) -> None:
        fit_height(self.table, self.model.rowCount())
        rows = self.awaiting_model.rowCount()
        if loaded:
            self.awaiting_empty.setText(self.tr("无"))
        self.awaiting_empty.setVisible(rows == 0)
        self.awaiting_table.setVisible(rows > 0)
        fit_height(self.awaiting_table, min(rows, MAX_AWAITING_ROWS))
