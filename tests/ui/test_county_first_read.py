"""Issue 12 item 10: the bureau's window paints before the county's figures are read (at the full county year the
first read takes seconds on the worker, and what it allocates is collected under the GIL)."""

from __future__ import annotations

from county_data import County
from PySide6.QtWidgets import QApplication

from hecun_office.services.setup import default_actor
from hecun_office.ui.app import apply_look, build_main_window
from hecun_office.ui.main_window import MainWindow

from .conftest import pinned_today


def test_the_county_is_read_once_the_window_is_shown(qtbot, county: County) -> None:
    apply_look(QApplication.instance())
    win: MainWindow = build_main_window(county.bureau, pinned_today, default_actor(county.bureau))
    qtbot.addWidget(win)
    section = win.dashboard.county
    assert section is not None
    qtbot.wait(150)
    assert section.overview is None and not section.busy  # built, not shown: nothing read yet
    assert section.headline.text() == "正在读取各司法所的数据……"
    with qtbot.waitActive(win):
        win.show()
    qtbot.waitUntil(lambda: section.overview is not None and not section.busy, timeout=10000)
    assert section.overview is not None and section.overview.total.open_matters == 10
    win.close()
