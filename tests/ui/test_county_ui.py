"""S-7 on the bureau's 工作台: the county overview table, the month chart and the items awaiting the bureau.

The table models are tested on their own (no widget); then the real main window on a bureau database with two
townships' packets imported (tests/county_data.py) shows the right figures, follows the selected office in the
chart and opens a matter on double-click. Screens are grabbed to /tmp/shots/county_*.png at 1366×768.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from county_data import EXPECTED, County
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from hecun_office.services.county import AwaitingItem, AwaitingKind, MonthFigures, OfficeFigures
from hecun_office.ui import style
from hecun_office.ui.county.month_chart import MonthChart, Series, nice_ceiling
from hecun_office.ui.main_window import DASHBOARD, MATTERS, MainWindow
from hecun_office.ui.models.base import ID_ROLE, ROW_ROLE
from hecun_office.ui.models.county_table import (
    A_COL_DOCUMENT,
    A_COL_DUE,
    A_COL_KIND,
    A_COL_LEFT,
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

DISPLAY = Qt.ItemDataRole.DisplayRole
SHOTS = Path("/tmp/shots")


def figures(code: str, name: str, **values: object) -> OfficeFigures:
    base: dict[str, object] = dict(
        code=code, name=name, active=True, last_seq=0, last_packet_on=None, open_matters=0, overdue_escalations=0,
        awaiting_assistance=0, overdue_assistance=0, awaiting_notice=0, rectification_due=0, rectified_on_time=0,
        months=tuple(MonthFigures(m) for m in range(1, 13)))
    base.update(values)
    return OfficeFigures(**base)  # type: ignore[arg-type]


def awaiting(kind: AwaitingKind, left: int | None, number: str = "", matter_id: int = 7) -> AwaitingItem:
    return AwaitingItem(kind=kind, office_code="hecun", office_name="贺村司法所", matter_id=matter_id,
                        reg_no=f"贺监登〔2026〕{matter_id}号", title="农药经营检查需业务部门技术支持",
                        document_number=number, received_on=date(2026, 3, 17),
                        due=date(2026, 3, 20) if left is not None else None, provisional=False,
                        working_days_left=left, waiting_days=4)


# ---- the models on their own --------------------------------------------------------------------------------------

def test_county_model_rows_texts_and_colours(qapp):
    model = CountyTableModel()
    hecun = figures("hecun", "贺村司法所", last_seq=2, last_packet_on=date(2026, 3, 23), open_matters=7,
                    overdue_escalations=1, awaiting_assistance=2, overdue_assistance=1, awaiting_notice=2,
                    rectification_due=3, rectified_on_time=1)
    old = figures("qinghu", "清湖司法所", active=False, last_seq=1, last_packet_on=date(2026, 1, 9), open_matters=3)
    silent = figures("fenglin", "凤林司法所")
    total = figures("", "全县合计", open_matters=10, overdue_escalations=1, awaiting_assistance=2,
                    overdue_assistance=1, awaiting_notice=2, rectification_due=3, rectified_on_time=1)
    model.set_overview((hecun, old, silent), total)
    assert model.rowCount() == 4 and model.columnCount() == 7
    headers = [model.headerData(c, Qt.Orientation.Horizontal, DISPLAY) for c in range(7)]
    assert headers == ["司法所", "最近数据包", "在办事项", "逾期未提请", "待复协作函", "待发通知书", "整改按期率"]
    assert "3个工作日" in model.headerData(COL_OVERDUE, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)

    def text(row: int, col: int) -> str:
        return model.index(row, col).data(DISPLAY)

    assert [text(0, c) for c in range(7)] == ["贺村司法所", "第2号 2026-03-23", "7", "1", "2（逾期1）", "2",
                                              "33%（1/3）"]
    assert text(1, COL_OFFICE) == "清湖司法所（已停用）"
    assert [text(2, c) for c in (COL_PACKET, COL_OPEN, COL_OVERDUE, COL_ASSISTANCE, COL_NOTICE, COL_RATE)] == [
        "未收到", "0", "0", "0", "0", "—"]
    assert [text(3, c) for c in (COL_OFFICE, COL_PACKET, COL_OPEN)] == ["全县合计", "", "10"]

    red = QColor(style.OVERDUE_TEXT)
    assert model.index(0, COL_OVERDUE).data(Qt.ItemDataRole.ForegroundRole).color() == red
    assert model.index(0, COL_ASSISTANCE).data(Qt.ItemDataRole.ForegroundRole).color() == red
    assert model.index(0, COL_NOTICE).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(2, COL_OVERDUE).data(Qt.ItemDataRole.ForegroundRole) is None  # zero is not red
    assert model.index(1, COL_OPEN).data(Qt.ItemDataRole.ForegroundRole).color() == QColor(style.MUTED_TEXT)
    font: QFont = model.index(3, COL_OPEN).data(Qt.ItemDataRole.FontRole)
    assert font.bold()  # the totals row
    assert model.index(1, COL_OFFICE).data(ROW_ROLE).code == "qinghu"
    assert model.index(0, COL_OPEN).data(Qt.ItemDataRole.TextAlignmentRole) == int(Qt.AlignmentFlag.AlignCenter)


def test_awaiting_model_texts_colours_and_matter_id(qapp):
    model = AwaitingTableModel()
    model.set_rows([awaiting(AwaitingKind.ASSISTANCE_REPLY, -1, "贺司函〔2026〕1号", 8),
                    awaiting(AwaitingKind.ASSISTANCE_REPLY, 1, "贺司函〔2026〕2号", 9),
                    awaiting(AwaitingKind.ASSISTANCE_REPLY, 3, "贺司函〔2026〕3号", 10),
                    awaiting(AwaitingKind.SUPERVISION_NOTICE, None, "", 11)])
    rows = [[model.index(r, c).data(DISPLAY) for c in (A_COL_KIND, A_COL_DOCUMENT, A_COL_DUE, A_COL_LEFT)]
            for r in range(4)]
    assert rows == [["答复执法协作函", "贺司函〔2026〕1号", "2026-03-20 星期五", "逾期 1 个工作日"],
                    ["答复执法协作函", "贺司函〔2026〕2号", "2026-03-20 星期五", "1 个工作日"],
                    ["答复执法协作函", "贺司函〔2026〕3号", "2026-03-20 星期五", "3 个工作日"],
                    ["制发监督通知书", "（未附报告）", "—", "已等 4 个工作日"]]
    foreground = [model.index(r, A_COL_LEFT).data(Qt.ItemDataRole.ForegroundRole) for r in range(4)]
    assert foreground[0].color() == QColor(style.OVERDUE_TEXT)
    assert foreground[1].color() == QColor(style.SOON_TEXT)  # due within one working day: amber
    assert foreground[2] is None and foreground[3] is None
    assert model.index(0, 0).data(ID_ROLE) == 8 and model.find(11) == 3


def test_nice_axis_maximum():
    assert [nice_ceiling(v) for v in (0, 3, 5, 9, 12, 41, 99, 130)] == [4, 4, 8, 12, 12, 60, 100, 160]


def test_month_chart_paints_its_bars_and_names_the_month_under_the_pointer(qtbot):
    chart = MonthChart()
    qtbot.addWidget(chart)
    chart.resize(440, 240)
    colours = ("#1f5fa8", "#e0892b", "#2e7d32")
    chart.set_data([Series("受理事项", colours[0], (2, 2, 9) + (0,) * 9),
                    Series("制发建议书", colours[1], (2, 1, 3) + (0,) * 9),
                    Series("按期整改", colours[2], (1, 1, 0) + (0,) * 9)], 3, [f"{m}月" for m in range(1, 13)])
    image = chart.grab().toImage()
    painted = {image.pixelColor(x, y).name() for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)}
    assert set(colours) <= painted
    plot = chart.plot_rect()
    slot = plot.width() / 12
    assert chart.month_at(plot.left() + slot * 2.5) == 3
    assert chart.month_at(plot.left() - 1) is None
    assert chart.top() == 12


# ---- the bureau's main window -----------------------------------------------------------------------------------

def grab(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    QTest.qWait(60)  # let the layouts settle as in the running event loop
    assert widget.grab().save(str(SHOTS / f"county_{name}.png"))


def test_the_bureau_dashboard_shows_the_county(qtbot, bureau_window: MainWindow, county: County):
    win = bureau_window
    assert win.stack.currentIndex() == DASHBOARD
    section = win.dashboard.county
    assert section is not None
    model = section.model
    table = [[model.index(r, c).data(DISPLAY) for c in range(model.columnCount())] for r in range(model.rowCount())]
    packet_day = date.today().isoformat()  # packets_in records the wall-clock day of the import
    assert table == [
        ["贺村司法所", f"第2号 {packet_day}", "7", "1", "2（逾期1）", "2", "33%（1/3）"],
        ["清湖司法所", f"第1号 {packet_day}", "3", "1", "0", "0", "100%（1/1）"],
        ["凤林司法所", "未收到", "0", "0", "0", "0", "—"],
        ["全县合计", "", "10", "2", "2（逾期1）", "2", "50%（2/4）"],
    ]
    assert model.index(0, COL_OVERDUE).data(Qt.ItemDataRole.ForegroundRole).color() == QColor(style.OVERDUE_TEXT)
    assert section.title.text() == "全县概况（2026年）"
    assert "在办事项 10 件" in section.headline.text() and "逾期未提请 2 件" in section.headline.text()
    assert section.awaiting_title.text() == "待本局办理（4，其中逾期 1）"
    assert [section.awaiting_model.row_at(r).reg_no for r in range(4)] == [
        county.reg_nos[k] for k in ("M6", "M7", "M9", "M5")]
    assert section.table.isVisible() and section.awaiting_table.isVisible() and section.chart.isVisible()
    # the whole county in the chart until an office is chosen
    assert section.chart_code == ""
    received = section.chart.series()[0].values
    assert received[:3] == (2, 2, 9) and sum(received) == 13
    assert section.chart_title.text() == "全县 2026年各月：受理 13 件 · 建议书 6 份 · 按期整改 2/4"
    grab(win, "dashboard_1366x768")
    grab(section, "overview")


def test_choosing_an_office_shows_its_months(qtbot, bureau_window: MainWindow):
    section = bureau_window.dashboard.county
    assert section is not None
    rect = section.table.visualRect(section.model.index(1, COL_OFFICE))
    qtbot.mouseClick(section.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert section.chart_code == "qinghu"
    expected = EXPECTED["qinghu"]["months"]
    assert [s.values[:3] for s in section.chart.series()] == [
        tuple(expected[m][0] for m in (1, 2, 3)), tuple(expected[m][1] for m in (1, 2, 3)),
        tuple(expected[m][3] for m in (1, 2, 3))]
    assert section.chart_title.text().startswith("清湖司法所 2026年各月：受理 4 件")
    grab(section, "qinghu")
    # a refresh keeps the office the clerk chose
    bureau_window.refresh_current()
    qtbot.waitUntil(lambda: not section.busy, timeout=10000)
    assert section.chart_code == "qinghu"


def test_double_click_on_an_awaiting_item_opens_the_matter(qtbot, bureau_window: MainWindow, county: County):
    win = bureau_window
    section = win.dashboard.county
    assert section is not None
    table = section.awaiting_table
    rect = table.visualRect(section.awaiting_model.index(0, 3))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.stack.currentIndex() == MATTERS
    detail = win.matters.detail_page
    assert win.matters.currentWidget() is detail
    assert detail.detail is not None and detail.detail.reg_no == county.reg_nos["M6"]
    grab(win, "matter_from_dashboard")


def test_the_office_dashboard_has_no_county_overview(window: MainWindow):
    assert window.dashboard.county is None
    assert window.dashboard.hint.text() == "提示：双击事项的时限可打开该事项；F5 刷新。"
