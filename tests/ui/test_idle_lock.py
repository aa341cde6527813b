"""U-6: after some idle minutes the main window locks and asks for the same user's password."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from hecun_office.ui.app import build_main_window
from hecun_office.ui.idle_lock import IDLE_MINUTES, IdleLock
from hecun_office.ui.main_window import DASHBOARD, MATTERS
from hecun_office.ui.matters.register_dialog import RegisterDialog
from hecun_office.ui.startup import BENCH_LOGIN_ENV, Startup

from .conftest import pinned_today, type_text

SHORT_MS = 300


def test_the_main_window_has_a_ten_minute_lock(window):
    assert window.idle_lock.timeout_ms == IDLE_MINUTES * 60_000 == 600_000
    assert not window.idle_lock.is_locked()


def test_locks_after_the_timeout_and_unlocks_with_the_password(qtbot, window, db):
    lock = IdleLock(window, db, window._ctx.actor, timeout_ms=SHORT_MS)
    window.open_register_dialog()
    dialog = window.findChild(RegisterDialog)
    assert dialog is not None and dialog.isVisible()
    type_text(qtbot, dialog.title, "锁定前填写的标题")

    qtbot.waitUntil(lock.is_locked, timeout=3000)
    overlay = lock.overlay
    assert overlay.geometry() == window.rect()  # covers the whole window, status bar included
    assert not dialog.isVisible()  # nothing with personal data stays on screen
    assert not window.centralWidget().isEnabled()
    assert "王晓（管理员）" in overlay.note.text() and "自动锁定" in overlay.note.text()
    qtbot.waitUntil(overlay.password.hasFocus)

    # Shortcuts of the window do nothing behind the lock.
    window.show_page(DASHBOARD)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == DASHBOARD

    type_text(qtbot, overlay.password, "wrong-one")
    qtbot.mouseClick(overlay.unlock_button, Qt.MouseButton.LeftButton)
    assert lock.is_locked()
    assert overlay.error.text() == "密码不正确，请重新输入。" and not overlay.error.isHidden()
    assert overlay.password.text() == ""

    type_text(qtbot, overlay.password, "secret1")
    with qtbot.waitSignal(lock.unlocked):
        qtbot.keyClick(overlay.password, Qt.Key.Key_Return)
    assert not overlay.isVisible() and window.centralWidget().isEnabled()
    assert dialog.isVisible() and dialog.title.text() == "锁定前填写的标题"  # back as it was
    dialog.reject()


def test_input_keeps_the_window_unlocked(qtbot, window, db):
    lock = IdleLock(window, db, window._ctx.actor, timeout_ms=SHORT_MS)
    for _ in range(8):  # twice the timeout, with input all along
        QTest.mouseMove(window.navigation.viewport(), QPoint(20, 20 + _))
        qtbot.wait(SHORT_MS // 4)
        assert not lock.is_locked()
    qtbot.waitUntil(lock.is_locked, timeout=3000)  # and locks once the input stops


def test_exit_from_the_lock_quits(qtbot, db, monkeypatch):
    monkeypatch.setenv(BENCH_LOGIN_ENV, "wang:secret1")
    startup = Startup(db, partial(build_main_window, db, pinned_today))
    startup.start()
    startup.tasks.wait()  # the bench login runs on the database worker
    window = startup.main_window
    qtbot.addWidget(window)
    window.show_page(MATTERS)
    window.idle_lock.lock()
    assert window.idle_lock.is_locked()
    with qtbot.waitSignal(startup.cancelled):
        qtbot.mouseClick(window.idle_lock.overlay.exit_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_a_message_arriving_while_locked_waits_behind_the_lock(qtbot, window):
    from PySide6.QtWidgets import QMessageBox

    from hecun_office.ui.errors import show_info

    lock = window.idle_lock
    lock.lock()
    box = show_info(window, "导入完成", "已导入 37 条工单。")
    qtbot.waitUntil(lambda: not box.isVisible())
    assert lock.is_locked()
    lock.overlay.password.setText("secret1")
    assert lock.unlock()
    assert box.isVisible() and isinstance(box, QMessageBox)
    box.close()
