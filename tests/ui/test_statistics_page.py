"""SPEC L-3 (issue 14): 台账统计 in the real main window, at an office and at the bureau.

The office's figures are checked against March 2026 of tests/statistics_data.py (answers spelled out there): 5
matters, 4 advices, one rectified on time, one late, one outstanding and escalated, one still within its period on
31 March — seen in May. The bureau's page is checked against the statistics service on the county of
tests/county_data.py. Screens are grabbed to /tmp/shots/statistics_*.png at 1366×768."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from county_data import County
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from statistics_data import TODAY, KnownMonth, build_known_month

from hecun_office.ledgers import kinds
from hecun_office.services import statistics as st
from hecun_office.services.matters import MatterInput, list_units, register_matter
from hecun_office.services.setup import default_actor
from hecun_office.storage.uow import Database
from hecun_office.ui.app import apply_look, build_main_window
from hecun_office.ui.main_window import LEDGERS, MainWindow
from hecun_office.ui.statistics import ledger_job, statistics_page
from hecun_office.ui.statistics.statistics_page import StatisticsPage, last_complete_month
from tests.ui.conftest import click_nav, visible_child

pytestmark = pytest.mark.gui
SHOTS = Path("/tmp/shots")


def today() -> date:
    return TODAY  # 2026-05-06: March is weeks behind, the figures must stand as of 31 March


@pytest.fixture
def known(db: Database) -> KnownMonth:
    return build_known_month(db, default_actor(db))


@pytest.fixture
def office_window(qtbot, db: Database, known: KnownMonth) -> Iterator[MainWindow]:
    apply_look(QApplication.instance())
    win = build_main_window(db, today)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    with qtbot.waitActive(win):
        win.show()
    yield win
    win.close()


def loaded(qtbot, page: StatisticsPage) -> None:
    qtbot.waitUntil(lambda: page.snapshot is not None and not page.busy, timeout=10000)


def choose(qtbot, page: StatisticsPage, year: int, month: int | None, office: str | None = None) -> None:
    if office is not None or page.bureau:
        page.set_office(office)
    page.set_period(year, month)
    qtbot.waitUntil(lambda: not page.busy and page.snapshot is not None
                    and page.snapshot.period == st.Period.of(year, month)
                    and page.snapshot.office_code == office, timeout=10000)


def open_page(qtbot, win: MainWindow) -> StatisticsPage:
    click_nav(qtbot, win, "台账统计")
    page = win.statistics
    assert win.current_page() is page
    loaded(qtbot, page)
    return page


def table(model) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def grab(widget: QWidget, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    QTest.qWait(60)
    path = SHOTS / f"statistics_{name}.png"
    assert widget.grab().save(str(path))
    return path


def test_the_default_period_is_the_last_complete_month() -> None:
    assert last_complete_month(date(2026, 5, 6)) == st.Period(2026, 4)
    assert last_complete_month(date(2027, 1, 2)) == st.Period(2026, 12)


def test_the_office_page_shows_the_known_month(qtbot, office_window: MainWindow, known: KnownMonth):
    page = open_page(qtbot, office_window)
    assert page.period() == st.Period(2026, 4)  # the month before 6 May
    assert not page.office.isVisible()  # an office has no 司法所 to choose
    choose(qtbot, page, 2026, 3)
    tiles = page.tiles
    assert [tiles[k].value.text() for k in ("received", "closed", "advices", "rectified", "rectifying",
                                             "escalations")] == ["5", "1", "4", "2", "1", "1"]
    assert tiles["rectified"].detail.text() == "按期 1 · 逾期 1"
    assert (tiles["rate"].value.text(), tiles["rate"].detail.text()) == ("33.3%", "1/3")
    assert page.headline.text() == "贺村司法所　2026年3月　数字截至 2026-03-31"
    a, b, c = known.units
    rows = table(page.league_model)
    assert rows[0] == ["1", a, "2", "1", "1", "0", "0", "0", "50.0%（1/2）"]
    assert rows[1] == ["2", b, "2", "0", "0", "1", "1", "1", "0.0%（0/1）"]
    assert rows[2][:3] == ["—", c, "0"] and all(r[0] == "—" for r in rows[2:])  # nothing to judge: no rank
    assert page.league_title.text() == "月度晒绩表（2026年3月，按被监督单位）"
    # the rate per unit: the units that received an advice, as long as their rate
    assert [(bar.label, bar.value, bar.text) for bar in page.rates.bars()] == [
        (a, 0.5, "50.0%（1/2）"), (b, 0.0, "0.0%（0/1）")]
    # matters per month by source (stacked), then by category: March's column adds up to the 5 received
    march = {s.name: s.values[2] for s in page.matters_chart.series()}
    assert march == {"12345政务服务热线": 2, "日常监督": 2, "案卷评查": 1}
    assert page.matters_chart.series()[0].values[3] == 0  # nothing received in April
    page.matters_by.setCurrentIndex(page.matters_by.findData("category"))
    assert {s.name: s.values[2] for s in page.matters_chart.series()} == {
        "法律法规规章在乡镇层面的实施情况": 1, "具体行政行为的合法性": 4}
    assert page.matters_card.title.text() == "2026年各月受理事项（共 5 件）"
    grab(office_window, "office")
    grab(page, "office_page")  # the whole page, the league below the fold included


def test_switching_the_period_reads_it_again(qtbot, office_window: MainWindow):
    page = open_page(qtbot, office_window)
    choose(qtbot, page, 2026, None)  # 全年
    assert page.tiles["received"].value.text() == "5"
    assert page.league_title.text().startswith("年度晒绩表（2026年")
    choose(qtbot, page, 2025, 12)
    assert page.tiles["received"].value.text() == "0"
    assert page.tiles["rate"].value.text() == "—"
    assert page.matters_chart.is_empty() and page.rates.bars() == ()
    assert all(row[0] == "—" for row in table(page.league_model))


def test_the_page_reads_on_the_reader_pool_and_again_on_a_change_notice(qtbot, office_window: MainWindow,
                                                                       monkeypatch, db: Database):
    threads: list[threading.Thread] = []
    real = statistics_page.load

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(statistics_page, "load", spy)
    page = open_page(qtbot, office_window)
    choose(qtbot, page, 2026, 3)
    assert threads and all(t is not threading.main_thread() for t in threads)
    reads = len(threads)
    # a matter registered (a write on the database worker): its change notice reads the shown page again
    ctx = office_window._ctx
    unit = list_units(db)[0]
    work = partial(register_matter, db, ctx.actor, MatterInput(
        received_on=date(2026, 3, 30), source="daily", title="新登记的事项", category="legality", unit_ids=[unit.id],
        facts="有关情况。"), TODAY)
    done: list[object] = []
    ctx.tasks.write(work, done.append, done.append)
    qtbot.waitUntil(lambda: page.tiles["received"].value.text() == "6", timeout=10000)
    assert len(threads) == reads + 1
    # hidden, the page reads nothing; shown again, it does
    click_nav(qtbot, office_window, "工作台")
    ctx.tasks.write(partial(register_matter, db, ctx.actor, MatterInput(
        received_on=date(2026, 3, 31), source="daily", title="又一件", category="legality", unit_ids=[unit.id],
        facts="有关情况。"), TODAY), done.append, done.append)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=10000)
    ctx.tasks.wait()
    assert len(threads) == reads + 1
    click_nav(qtbot, office_window, "台账统计")
    qtbot.waitUntil(lambda: page.tiles["received"].value.text() == "7", timeout=10000)


def test_a_narrow_window_stacks_the_charts_and_keeps_every_league_row_in_view(qtbot, office_window: MainWindow):
    """1280×720 at 150 % leaves a page about 700 pixels wide (U-1)."""
    page = open_page(qtbot, office_window)
    choose(qtbot, page, 2026, 3)
    side_by_side = page.obligations_card.geometry().top() == page.matters_card.geometry().top()
    assert side_by_side
    office_window.resize(853, 480)
    qtbot.waitUntil(lambda: page.obligations_card.geometry().top() > page.matters_card.geometry().bottom())
    assert page.matters_chart.width() >= page.matters_chart.minimumWidth()
    table = page.league
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() > 0)  # the columns scroll sideways…
    rows = page.league_model.rowCount()
    header = table.horizontalHeader().height()
    # …and the scroll bar covers no row: the table is as tall as its header, its rows and the bar
    assert table.height() >= header + rows * 30 + table.horizontalScrollBar().height()
    grab(page, "narrow_page")


class Chooser:
    """Stands in for the file dialogs: answers with ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.asked: list[str] = []

    def save_file(self, parent, title, suggested_name, name_filter):
        self.asked.append(suggested_name)
        return self.path

    def folder(self, parent, title):
        self.asked.append(title)
        return self.path


def test_a_chart_is_exported_as_a_png(qtbot, office_window: MainWindow, tmp_path: Path):
    page = open_page(qtbot, office_window)
    choose(qtbot, page, 2026, 3)
    page.chooser = Chooser(tmp_path / "受理")
    action = next(a for a in page.png_menu.actions() if a.objectName() == "png_matters")
    action.trigger()
    saved = tmp_path / "受理.png"  # the suffix is added when the clerk leaves it off
    image = QImage(str(saved))
    assert not image.isNull() and saved.stat().st_size > 0
    assert image.width() == 2 * page.matters_card.width()  # twice the screen's pixels, sharp in print
    assert page.chooser.asked == ["贺村司法所_2026-03_受理事项图.png"]
    page.chooser = Chooser(tmp_path / "all.png")
    next(a for a in page.png_menu.actions() if a.objectName() == "png_all").trigger()
    assert QImage(str(tmp_path / "all.png")).height() == 2 * page.charts_panel.height()
    assert office_window.statusBar().currentMessage() == "已导出图表 all.png"


# ---- the bureau ----------------------------------------------------------------------------------------------------

def service(county: County, period: st.Period, **kw) -> list[st.LeagueRow]:
    with county.bureau.uow() as session:
        return st.league(session, period, today=date(2026, 3, 23), **kw)


def test_the_bureau_page_covers_every_township(qtbot, bureau_window: MainWindow, county: County):
    win = bureau_window
    assert win.current_page() is not win.pages[LEDGERS]
    page = open_page(qtbot, win)
    assert page.period() == st.Period(2026, 2) and page.office.isVisible()
    assert [page.office.itemText(n) for n in range(page.office.count())] == [
        "全部司法所", "贺村司法所", "清湖司法所", "凤林司法所"]
    choose(qtbot, page, 2026, None)
    by_office = service(county, st.Period(2026), by_office=True)
    assert [row[1] for row in table(page.office_league_model)] == [r.office_name for r in by_office]
    assert page.office_league.isVisible() and page.office_league_title.text() == "年度晒绩表（2026年，按司法所）"
    hecun = next(r for r in by_office if r.office_code == "hecun")
    assert hecun.received > 0  # the county's 贺村 issued advices this year
    assert [b.label for b in page.rates.bars()] == [r.office_name for r in by_office]  # per 司法所 at the bureau
    units = service(county, st.Period(2026))
    assert [(row[1], row[2]) for row in table(page.league_model)] == [(r.office_name, r.unit) for r in units]
    assert page.headline.text().startswith("全部司法所　2026年")
    grab(win, "bureau")
    grab(page, "bureau_page")
    # one township: its units only, no league of townships
    choose(qtbot, page, 2026, None, "qinghu")
    assert page.headline.text().startswith("清湖司法所　2026年")
    assert not page.office_league.isVisible()
    assert {row[1] for row in table(page.league_model)} == {"清湖司法所"}
    assert int(page.tiles["received"].value.text()) == sum(
        s.values[m] for s in page.matters_chart.series() for m in range(12))


# ---- 导出本期全部台账 ---------------------------------------------------------------------------------------------

def test_the_periods_ledgers_are_exported_with_progress(qtbot, office_window: MainWindow, tmp_path: Path):
    tmp_path = tmp_path / "U盘"  # beside the database: a folder of its own
    tmp_path.mkdir()
    page = open_page(qtbot, office_window)
    choose(qtbot, page, 2026, 3)
    page.chooser = Chooser(tmp_path)
    qtbot.mouseClick(page.ledger_button, Qt.MouseButton.LeftButton)
    assert page.job_panel.busy and page.job_panel.isVisible() and not page.ledger_button.isEnabled()
    qtbot.waitUntil(lambda: not page.job_panel.busy, timeout=20000)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(kinds.file_name(kinds.LEDGERS[k], "2026年3月") for k in kinds.KINDS), names
    assert all(load_workbook(tmp_path / n).active.max_row > 2 for n in names)  # title, header, rows
    assert office_window.statusBar().currentMessage() == f"已导出 {len(kinds.KINDS)} 份台账到 {tmp_path}"
    assert page.ledger_button.isEnabled()
    box = visible_child(qtbot, page, QMessageBox)
    assert "监督事项台账_2026年3月.xlsx" in box.text()
    box.close()


def test_cancelling_the_ledger_export_leaves_no_file(qtbot, office_window: MainWindow, tmp_path: Path, monkeypatch):
    reached, go = threading.Event(), threading.Event()
    real = ledger_job.export_ledgers_steps

    def held(*args, **kwargs):
        """The real export, held after its first ledger is made (staged beside its target, not yet in place)."""
        steps = real(*args, **kwargs)
        try:
            for n, step in enumerate(steps):
                if n == 2:
                    reached.set()
                    go.wait(10)
                yield step
        finally:
            steps.close()

    monkeypatch.setattr(ledger_job, "export_ledgers_steps", held)
    tmp_path = tmp_path / "U盘"
    tmp_path.mkdir()
    page = open_page(qtbot, office_window)
    page.chooser = Chooser(tmp_path)
    page.ledger_button.click()
    assert reached.wait(10)
    assert any(tmp_path.iterdir())  # the first ledger is being made
    page.job_panel.cancel()
    go.set()
    qtbot.waitUntil(lambda: not page.job_panel.busy, timeout=10000)
    assert list(tmp_path.iterdir()) == []
    assert office_window.statusBar().currentMessage() == "已取消导出台账：没有写出文件。"


def test_the_bureau_exports_every_ledger_and_the_league_of_townships(qtbot, bureau_window: MainWindow,
                                                                      tmp_path: Path):
    page = open_page(qtbot, bureau_window)
    page.chooser = Chooser(tmp_path)
    page.ledger_button.click()
    qtbot.waitUntil(lambda: not page.job_panel.busy, timeout=20000)
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {kinds.file_name(kinds.LEDGERS[k], "2026年2月") for k in kinds.KINDS} | {
        kinds.file_name(kinds.LEAGUE_BY_OFFICE, "2026年2月")}
    box = visible_child(qtbot, page, QMessageBox)
    box.close()
