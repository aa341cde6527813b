"""S-7 in 监督事项 at the bureau: every township's matters with a 司法所 column and a 司法所 filter box, and the county
overview's office row opening that office's open matters on double-click (tests/county_data.py). An office's list
has neither. The bureau's list is grabbed to /tmp/shots/bureau_matters.png at 1366×768.
"""

from __future__ import annotations

from pathlib import Path

from county_data import SHARED_UNIT, County
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from hecun_office.ui.main_window import MATTERS, MainWindow
from hecun_office.ui.models.county_table import COL_OFFICE as COUNTY_COL_OFFICE
from hecun_office.ui.models.matter_table import COL_OFFICE, COL_REG_NO, MatterTableModel

from .conftest import click_nav

DISPLAY = Qt.ItemDataRole.DisplayRole
SHOTS = Path("/tmp/shots")


def offices_shown(page) -> list[str]:
    model = page.model
    return [model.index(r, COL_OFFICE).data(DISPLAY) for r in range(model.rowCount())]


def test_the_model_has_the_office_column_only_when_asked(qapp):
    assert MatterTableModel().columnCount() == 9
    model = MatterTableModel(offices=True)
    assert model.columnCount() == 10
    assert model.headerData(COL_OFFICE, Qt.Orientation.Horizontal, DISPLAY) == "司法所"


def test_the_bureau_list_shows_and_filters_by_office(qtbot, bureau_window: MainWindow, county: County):
    win = bureau_window
    click_nav(qtbot, win, "监督事项")
    page = win.matters.list_page
    header = page.table.horizontalHeader()
    assert header.visualIndex(COL_OFFICE) == COL_REG_NO + 1 and not page.table.isColumnHidden(COL_OFFICE)
    assert page.model.rowCount() == 13
    assert set(offices_shown(page)) == {"贺村司法所", "清湖司法所"}
    box = page.filters.office
    assert box.isVisible()
    assert [box.itemText(i) for i in range(box.count())] == ["全部司法所", "贺村司法所", "清湖司法所", "凤林司法所"]

    box.setCurrentIndex(box.findData("qinghu"))
    assert page.current_filter().office_code == "qinghu"
    assert offices_shown(page) == ["清湖司法所"] * 4
    assert page.count_label.text() == "共 4 项"

    box.setCurrentIndex(0)
    assert page.model.rowCount() == 13
    # the agency both townships supervise is on each roster: the unit box says whose is whose (issue 12 item 1)
    units = page.filters.unit
    texts = [units.itemText(i) for i in range(units.count())]
    assert len(texts) == len(set(texts))
    assert {t for t in texts if t.startswith(SHARED_UNIT)} == {f"{SHARED_UNIT}（贺村司法所）", f"{SHARED_UNIT}（清湖司法所）"}
    SHOTS.mkdir(parents=True, exist_ok=True)
    QTest.qWait(60)
    assert win.grab().save(str(SHOTS / "bureau_matters.png"))


def test_double_click_on_an_office_opens_its_open_matters(qtbot, bureau_window: MainWindow, county: County):
    win = bureau_window
    section = win.dashboard.county
    assert section is not None
    rect = section.table.visualRect(section.model.index(0, COUNTY_COL_OFFICE))  # 贺村司法所
    qtbot.mouseClick(section.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(section.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.stack.currentIndex() == MATTERS
    page = win.matters.list_page
    assert win.matters.currentWidget() is page
    flt = page.current_filter()
    assert flt.office_code == "hecun" and flt.open_only
    assert page.filters.office.currentText() == "贺村司法所" and page.filters.status.currentText() == "未办结"
    assert offices_shown(page) == ["贺村司法所"] * 7  # the row's 在办事项
    assert page.count_label.text() == "共 7 项"
    SHOTS.mkdir(parents=True, exist_ok=True)
    QTest.qWait(60)
    assert win.grab().save(str(SHOTS / "bureau_matters_hecun.png"))


def test_an_offices_list_has_no_office_column_or_box(qtbot, window: MainWindow):
    click_nav(qtbot, window, "监督事项")
    page = window.matters.list_page
    assert page.model.columnCount() == 9
    assert not page.filters.office.isVisible() and page.filters.office.count() == 1
    assert page.current_filter().office_code is None
