"""Layout of 台账统计 (L-3): the period (and at the bureau the 司法所), the period's figures, three charts and the
月度晒绩表. The page is inside the window's scroll area: at 1366×768 the figures and the first charts show at once,
the league below."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...services.statistics import FIRST_YEAR, LAST_YEAR
from ..charts import MonthChart, RateBars
from ..job_panel import JobPanel
from ..widgets import ROW_HEIGHT, label, page_header, set_column_widths, table_view
from .league_table import LeagueTableModel, OfficeLeagueModel

TILE_COLUMNS = 6  # at 1366×768; fewer on a narrower page (1280×720 at 150 %), never fewer than 3
TILE_WIDTH = 170
CHARTS_SIDE_BY_SIDE = 900  # narrower: the two month charts one above the other, each still readable
CARD_STYLE = ("QFrame#chartCard, QFrame#figureTile { background: white; border: 1px solid #d5dce6; "
              "border-radius: 4px; }")
COUNT_WIDTH = 84
OFFICE_WIDTH = 120
TITLE_HEIGHT = 28


class FigureTile(QFrame):
    """One figure of the period: the number large, what it counts below it."""

    def __init__(self, caption: str, tip: str) -> None:
        super().__init__()
        self.setObjectName("figureTile")
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 6, 10, 6)
        box.setSpacing(0)
        self.value = label("—")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = label(caption, "muted")
        self.detail = label("", "muted")  # "7/8" under a rate, "按期 1 · 逾期 1" under a count
        box.addWidget(self.value)
        box.addWidget(self.caption)
        box.addWidget(self.detail)
        self.setToolTip(tip)


class ChartCard(QFrame):
    """A chart with its title: what "导出图表 PNG" grabs, so the picture says what it shows."""

    def __init__(self, chart: QWidget) -> None:
        super().__init__()
        self.setObjectName("chartCard")
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 8, 10, 8)
        box.setSpacing(4)
        self.top = QHBoxLayout()
        self.title = label("", wrap=True)
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        # as tall as the switch one card has beside its title: the titles of cards side by side line up
        self.title.setMinimumHeight(TITLE_HEIGHT)
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.top.addWidget(self.title, 1)
        box.addLayout(self.top)
        self.chart = chart
        box.addWidget(chart, 1)


def fit_height(table: QTableView, rows: int) -> None:
    """Every row shown: the page scrolls, not the table (a league is read top to bottom). On a narrow page the
    columns scroll sideways: room for that scroll bar too, or it would cover the last row."""
    header = table.horizontalHeader().sizeHint().height()
    sideways = table.horizontalScrollBar()
    bar = sideways.sizeHint().height() if sideways.maximum() > 0 else 0
    table.setFixedHeight(header + max(rows, 1) * ROW_HEIGHT + 2 * table.frameWidth() + 2 + bar)


def _league_table(model: LeagueTableModel, name_column: int) -> QTableView:
    table = table_view(model, stretch_column=name_column)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # as tall as its rows (fit_height)
    widths = {n: COUNT_WIDTH for n in range(model.columnCount()) if n != name_column}
    widths[0] = 56  # 排名
    if name_column == 2:
        widths[1] = OFFICE_WIDTH  # the 司法所 beside the unit, at the bureau
    widths[model.columnCount() - 1] = 130  # 整改按期率 with its fraction
    set_column_widths(table, widths)
    return table


class StatisticsView(QWidget):
    def __init__(self, bureau: bool, job_panel: JobPanel) -> None:
        super().__init__()
        self.bureau = bureau
        self.setStyleSheet(CARD_STYLE)
        layout, top = page_header(self, self.tr("台账统计"))
        self.office = QComboBox()  # the bureau's 司法所: 全部 or one
        self.office.setMinimumContentsLength(8)
        self.office.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.office.setToolTip(self.tr("统计全部司法所，或其中一个"))
        self.year = QSpinBox()
        self.year.setRange(FIRST_YEAR, LAST_YEAR)
        self.year.setSuffix(self.tr(" 年"))
        self.year.setToolTip(self.tr("统计年份"))
        self.month = QComboBox()
        self.month.addItem(self.tr("全年"), None)
        for m in range(1, 13):
            self.month.addItem(self.tr("{m}月").format(m=m), m)
        self.month.setToolTip(self.tr("统计月份；选“全年”统计整年"))
        if bureau:
            top.addWidget(label(self.tr("司法所")))
            top.addWidget(self.office)
            top.addSpacing(12)
        else:
            self.office.hide()
        top.addWidget(label(self.tr("统计期间")))
        top.addWidget(self.year)
        top.addWidget(self.month)
        layout.addLayout(top)

        actions = QHBoxLayout()
        self.headline = label(self.tr("正在读取……"), "pageSubtitle", wrap=True)
        actions.addWidget(self.headline, 1)
        self.png_button = QPushButton(self.tr("导出图表 PNG…"))
        self.png_menu = QMenu(self.png_button)
        self.png_button.setMenu(self.png_menu)
        self.png_button.setToolTip(self.tr("把一张图表（或全部图表）保存为图片，可插入报告"))
        self.full_names = QCheckBox(self.tr("含完整姓名和电话"))
        self.full_names.setToolTip(self.tr("不勾选时台账中的个人信息按列表方式遮蔽；勾选导出完整信息，并记入审计日志"))
        self.ledger_button = QPushButton(self.tr("导出本期全部台账…"))
        self.ledger_button.setToolTip(self.tr("把本期的各类台账（Excel）导出到一个文件夹"))
        for widget in (self.png_button, self.full_names, self.ledger_button):
            actions.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(actions)
        self.job_panel = job_panel
        layout.addWidget(job_panel)

        self._tiles = QGridLayout()
        self._tiles.setSpacing(8)
        layout.addLayout(self._tiles)
        self.tiles: dict[str, FigureTile] = {}
        self._add_tiles()

        self.charts_panel = QWidget()  # what "全部图表" grabs
        charts = QGridLayout(self.charts_panel)
        charts.setContentsMargins(0, 0, 0, 0)
        charts.setSpacing(10)
        self.matters_chart = MonthChart(stacked=True)
        self.matters_card = ChartCard(self.matters_chart)
        self.matters_by = QComboBox()
        self.matters_by.addItem(self.tr("按来源"), "source")
        self.matters_by.addItem(self.tr("按类别"), "category")
        self.matters_by.setToolTip(self.tr("按事项来源或监督内容类别分色"))
        self.matters_card.top.addWidget(self.matters_by, 0, Qt.AlignmentFlag.AlignTop)
        self.obligations_chart = MonthChart(stacked=True)
        self.obligations_card = ChartCard(self.obligations_chart)
        self.rates = RateBars()
        self.rates_card = ChartCard(self.rates)
        self._charts = charts
        self._side_by_side: bool | None = None
        self._place_charts(True)
        layout.addWidget(self.charts_panel)
        self.chart_note = label(self.tr("鼠标停在某月或某单位上显示数字；浅色底的一列是所选月份。"), "muted", wrap=True)
        layout.addWidget(self.chart_note)

        self.office_league_title = label(self.tr("各司法所晒绩表"), "sectionTitle")
        self.office_league_model = OfficeLeagueModel(self)
        self.office_league = _league_table(self.office_league_model, 1)
        layout.addWidget(self.office_league_title)
        layout.addWidget(self.office_league)
        self.league_title = label(self.tr("月度晒绩表"), "sectionTitle")
        self.league_note = label(self.tr("按整改按期率排名（相同时逾期未整改少者在前）；本期没有可评判建议书的单位不排名。"),
                                 "muted", wrap=True)
        self.league_model = LeagueTableModel(offices=bureau, parent=self)
        self.league = _league_table(self.league_model, 2 if bureau else 1)
        layout.addWidget(self.league_title)
        layout.addWidget(self.league_note)
        layout.addWidget(self.league)
        layout.addStretch(1)
        for table in (self.league, self.office_league):
            table.horizontalScrollBar().rangeChanged.connect(self.fit_tables)  # the page grew narrow, or wide
        self.office_league_title.setVisible(bureau)
        self.office_league.setVisible(bureau)
        fit_height(self.league, 0)
        fit_height(self.office_league, 0)

    def _add_tiles(self) -> None:
        tiles = (
            ("received", self.tr("受理事项"), self.tr("本期登记受理的监督事项")),
            ("closed", self.tr("办结事项"), self.tr("本期办结（含未发现问题办结、移送）的事项")),
            ("advices", self.tr("制发建议书"), self.tr("本期制发的行政执法监督建议书")),
            ("rectified", self.tr("确认整改"), self.tr("本期确认整改的事项，按建议书的整改期限分按期与逾期")),
            ("rate", self.tr("按期整改率"), self.tr("本期制发的建议书中，期限已届满者按期整改的比例；期限未到的不计入")),
            ("report_rate", self.tr("3个工作日内报告按时率"),
             self.tr("本期到期的逾期未改、拒不整改、情节严重复杂报告，在3个工作日内按时提请的比例")),
            ("rectifying", self.tr("整改中"), self.tr("期末仍在整改期内的事项")),
            ("overdue", self.tr("逾期未改"), self.tr("期末已逾期未整改、尚未提请司法局的事项")),
            ("escalations", self.tr("提请司法局"), self.tr("本期提请司法局处理的事项")),
            ("assistance", self.tr("执法协作函"), self.tr("本期发出的执法协作函")),
            ("transfers", self.tr("移送线索"), self.tr("本期移送的问题线索")),
            ("reviews", self.tr("案卷评查"), self.tr("本期受理的行政执法案卷评查事项")),
        )
        for key, caption, tip in tiles:
            self.tiles[key] = FigureTile(caption, tip)
        self._tile_columns = 0
        self._place_tiles(TILE_COLUMNS)

    def _place_tiles(self, columns: int) -> None:
        if columns == self._tile_columns:
            return
        self._tile_columns = columns
        for n, tile in enumerate(self.tiles.values()):
            self._tiles.addWidget(tile, n // columns, n % columns)  # adding again moves it
        for column in range(TILE_COLUMNS):
            self._tiles.setColumnStretch(column, 1 if column < columns else 0)

    def _place_charts(self, side_by_side: bool) -> None:
        if side_by_side == self._side_by_side:
            return
        self._side_by_side = side_by_side
        charts = self._charts
        charts.addWidget(self.matters_card, 0, 0)
        if side_by_side:
            charts.addWidget(self.obligations_card, 0, 1)
            charts.addWidget(self.rates_card, 1, 0, 1, 2)
        else:
            charts.addWidget(self.obligations_card, 1, 0)
            charts.addWidget(self.rates_card, 2, 0)
        charts.setColumnStretch(0, 1)
        charts.setColumnStretch(1, 1 if side_by_side else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        width = event.size().width()
        self._place_tiles(max(3, min(TILE_COLUMNS, width // TILE_WIDTH)))
        self._place_charts(width >= CHARTS_SIDE_BY_SIDE)
        super().resizeEvent(event)

    def fit_tables(self) -> None:
        fit_height(self.league, self.league_model.rowCount())
        fit_height(self.office_league, self.office_league_model.rowCount())
