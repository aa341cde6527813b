"""U-6 (issue 11.4): 切换用户 — the clerk logs out and the director logs in on the same PC without quitting, from
the status bar, with Ctrl+Shift+L, or from the idle lock; the program's one runner survives the old window."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from shiboken6 import isValid

from hecun_office.ui.app import build_main_window
from hecun_office.ui.login.login_dialog import LoginDialog
from hecun_office.ui.main_window import MainWindow
from hecun_office.ui.startup import BENCH_LOGIN_ENV, Startup

from .conftest import add_account, click_center, pinned_today, type_text, visible_child

pytestmark = pytest.mark.gui


@pytest.fixture
def clerk_logged_in(qtbot, db, monkeypatch) -> Iterator[Startup]:
    add_account(db, "li", "李明", "clerk")
    add_account(db, "zhao", "赵建国", "signer", password="director9")
    monkeypatch.setenv(BENCH_LOGIN_ENV, "li:secret1")  # the clerk is logged in without the dialog
    startup = Startup(db, partial(build_main_window, db, pinned_today))
    with qtbot.waitSignal(startup.ready, timeout=5000):
        startup.start()
    monkeypatch.delenv(BENCH_LOGIN_ENV)
    window = startup.main_window
    assert window is not None and window.user_label.text() == "李明（承办人）"
    assert startup.tasks.parent() is window
    yield startup
    # the start-up owns its dialogs and deletes a replaced one: close what is left here, not through qtbot
    for widget in (startup.login_dialog, startup.main_window):
        if widget is not None and isValid(widget):
            widget.close()
    startup.tasks.wait()


def _log_in_as_director(qtbot, startup: Startup, old: MainWindow) -> MainWindow:
    dialog = startup.login_dialog
    assert isinstance(dialog, LoginDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: not isValid(old), timeout=3000)  # the clerk's window is closed and gone
    edit = dialog.username.lineEdit()
    edit.selectAll()
    type_text(qtbot, edit, "zhao")
    type_text(qtbot, dialog.password, "director9")
    with qtbot.waitSignal(startup.ready, timeout=5000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    window = startup.main_window
    assert isinstance(window, MainWindow) and window is not old
    assert window.isVisible() and window._ctx.actor.name == "赵建国"
    assert window.user_label.text() == "赵建国（签发人）"
    # the one runner went with the new window and still writes (the window's own start-up write ran on it)
    assert window._ctx.tasks is startup.tasks and startup.tasks.parent() is window
    startup.tasks.wait()
    return window


def test_the_clerk_logs_out_and_the_director_logs_in_on_the_same_startup(qtbot, clerk_logged_in):
    startup = clerk_logged_in
    old = startup.main_window
    assert old.switch_user_button.isVisible()
    assert "Ctrl+Shift+L" in old.switch_user_button.toolTip()
    click_center(qtbot, old.switch_user_button)
    new = _log_in_as_director(qtbot, startup, old)
    # and the shortcut does the same from the director's window
    with qtbot.waitActive(new):
        new.activateWindow()
    qtbot.keyClick(new.navigation, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert startup.main_window is None and startup.login_dialog.isVisible()
    startup.login_dialog.reject()


def test_switching_user_from_the_idle_lock(qtbot, clerk_logged_in):
    startup = clerk_logged_in
    old = startup.main_window
    old.idle_lock.lock()
    overlay = old.idle_lock.overlay
    assert overlay.switch_button.isVisible() and "切换用户" in overlay.switch_button.text()
    qtbot.mouseClick(overlay.switch_button, Qt.MouseButton.LeftButton)
    _log_in_as_director(qtbot, startup, old)


def test_an_editor_with_unsaved_changes_asks_before_the_user_is_switched(qtbot, clerk_logged_in):
    startup = clerk_logged_in
    window = startup.main_window
    editor = window.documents.draft("meeting_minutes")
    assert editor is not None
    qtbot.waitUntil(lambda: not editor.preview_busy(), timeout=20_000)
    type_text(qtbot, editor.editors["place"].input, "贺村镇人民政府三楼会议室")
    window.switch_user_action.trigger()
    box = visible_child(qtbot, editor, QMessageBox)
    assert editor.isVisible() and startup.main_window is window  # still the clerk's, until she answers
    assert "切换用户" in window.statusBar().currentMessage()
    box.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not editor.isVisible())
    window.switch_user_action.trigger()
    assert startup.main_window is None and startup.login_dialog.isVisible()
