"""The composition root: status bar, placeholders, and a database that cannot be opened."""

from __future__ import annotations

import gc
import os
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from hecun_office.ui import app as app_module
from hecun_office.ui.main_window import PAGE_TITLES, MainWindow
from hecun_office.ui.placeholder import PlaceholderPage

from .conftest import click_nav, pinned_today


def test_navigation_has_every_section_and_placeholders_are_honest(qtbot, window):
    titles = [window.navigation.item(n).text() for n in range(window.navigation.count())]
    assert titles == ["工作台", "监督事项", "文书", "整改与时限", "报送与同步", "台账统计", "监督员与会议", "设置"]
    assert len(PAGE_TITLES) == window.stack.count()
    click_nav(qtbot, window, "台账统计")  # a real page since issue 14 (tests/ui/test_statistics_page.py)
    assert not isinstance(window.current_page(), PlaceholderPage)
    click_nav(qtbot, window, "监督员与会议")  # a real page since issue 16 (tests/ui/test_supervision_page.py)
    assert not isinstance(window.current_page(), PlaceholderPage)
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.navigation.currentItem().text() == "整改与时限"


def test_status_bar_shows_database_calendar_and_backup(qtbot, window, db):
    assert str(db.file.name) in window.database_label.text() or "…" in window.database_label.text()
    assert window.calendar_label.text() == "工作日历：2004–2026 已确认"
    assert window.backup_label.text() == "尚无备份"
    backups = db.file.parent / "backups"
    backups.mkdir()
    made = backups / "office-20260320-180000-000000-daily.sqlite3"
    made.write_bytes(b"x")
    stamp = datetime(2026, 3, 20, 18, 0).timestamp()
    os.utime(made, (stamp, stamp))
    (backups / "unfinished.sqlite3.part").write_bytes(b"x")
    qtbot.keyClick(window, Qt.Key.Key_F5)
    window.refresh_status()
    assert window.backup_label.text() == "最近备份：2026-03-20 18:00"


def test_unopenable_database_gives_a_message_and_exit_status_1(qtbot, tmp_path, monkeypatch):
    shown: list[BaseException] = []
    monkeypatch.setattr(app_module, "fatal", shown.append)
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    assert app_module.run_gui(f"sqlite:///{broken}") == 1
    assert len(shown) == 1
    assert "restore" in str(shown[0])


def test_second_window_on_the_same_database_is_refused(qtbot, tmp_path, monkeypatch):
    from hecun_office.storage.lock import InstanceLock

    shown: list[BaseException] = []
    monkeypatch.setattr(app_module, "fatal", shown.append)
    db_file = tmp_path / "busy.sqlite3"
    with InstanceLock(db_file):  # as if another copy of the program had it open
        assert app_module.run_gui(f"sqlite:///{db_file}") == 1
    assert len(shown) == 1 and "已经在使用这个数据库" in str(shown[0])


def test_font_preference():
    assert app_module.choose_font_family(["Arial", "WenQuanYi Zen Hei", "Noto Sans CJK SC"]) == "WenQuanYi Zen Hei"
    assert app_module.choose_font_family(["Microsoft YaHei", "WenQuanYi Zen Hei"]) == "Microsoft YaHei"
    assert app_module.choose_font_family(["Arial"]) is None


def _close_main_windows() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            widget.close()


def test_run_gui_opens_the_main_window_and_returns_0_when_it_closes(qtbot, db, monkeypatch):
    from hecun_office.ui.startup import BENCH_LOGIN_ENV

    monkeypatch.setenv(BENCH_LOGIN_ENV, "wang:secret1")  # no login dialog to type into
    db.dispose()  # run_gui opens its own engine, as the real program does
    frozen: list[int] = []

    def close() -> None:
        frozen.append(gc.get_freeze_count())
        _close_main_windows()

    QTimer.singleShot(300, close)
    QTimer.singleShot(10_000, QApplication.instance().quit)  # never hang the suite
    try:
        assert app_module.run_gui(db.url, today=pinned_today) == 0
        # Once the window is up, what lives as long as the program is out of the collector's sight (issue 12:
        # full collections walking it under the GIL stalled the bureau's window).
        assert frozen and frozen[0] > 10_000
    finally:
        gc.unfreeze()


def _cancel_login() -> None:
    from hecun_office.ui.login.login_dialog import LoginDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, LoginDialog) and widget.isVisible():
            widget.quit_button.click()


def test_run_gui_asks_for_a_login_and_cancelling_it_quits(qtbot, db):
    db.dispose()
    QTimer.singleShot(300, _cancel_login)
    QTimer.singleShot(10_000, QApplication.instance().quit)  # never hang the suite
    assert app_module.run_gui(db.url, today=pinned_today) == 0
    assert not any(isinstance(w, MainWindow) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_the_running_window_makes_the_daily_backup_off_the_gui_thread(qtbot, window, db):
    """N-1: once the main window is up, a verified backup is made (on the worker) and the status bar shows it."""
    from hecun_office.storage.backup import list_backups

    assert window.backup_label.text() == "尚无备份"
    window.start_daily_backups()
    qtbot.waitUntil(lambda: window.backup_label.text().startswith("最近备份："), timeout=10_000)
    assert [p.name for p in list_backups(db.file) if p.name.endswith("-daily.sqlite3")]
    window.start_daily_backups()  # not due again the same day
    window._ctx.tasks.wait()
    assert len([p for p in list_backups(db.file) if p.name.endswith("-daily.sqlite3")]) == 1
