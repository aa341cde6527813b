"""U-6: the login dialog at start; the main window is built for the person who logged in."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt

from hecun_office.ui.app import build_main_window
from hecun_office.ui.login.login_dialog import LoginDialog
from hecun_office.ui.main_window import MainWindow
from hecun_office.ui.startup import BENCH_LOGIN_ENV, Startup

from .conftest import add_account, pinned_today, type_text
from .waiting import settle


def start(qtbot, db) -> Startup:
    startup = Startup(db, partial(build_main_window, db, pinned_today))
    startup.start()
    startup.tasks.wait()  # the bench login runs on the database worker
    dialog = startup.login_dialog
    assert dialog is not None and dialog.isVisible() and startup.main_window is None
    qtbot.addWidget(dialog)
    return startup


def choose_user(qtbot, dialog: LoginDialog, text: str) -> None:
    edit = dialog.username.lineEdit()
    edit.selectAll()
    type_text(qtbot, edit, text)


def test_wrong_password_is_refused_then_the_right_one_opens_the_main_window(qtbot, db):
    clerk = add_account(db, "li", "李明", "clerk")
    startup = start(qtbot, db)
    dialog = startup.login_dialog
    assert dialog.office_name.text() == "贺村司法所"
    assert dialog.username_text() == "li"  # whoever logged in last (add_account logged li in)
    assert [dialog.username.itemText(n) for n in range(dialog.username.count())] == ["王晓（wang）", "李明（li）"]

    type_text(qtbot, dialog.password, "wrong-one")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    startup.tasks.wait()  # the login runs on the database worker
    assert dialog.isVisible() and startup.main_window is None
    assert dialog.errors.showing("password") == "用户名或密码不正确，请重新输入。"
    assert not dialog.errors_password.isHidden()
    assert dialog.password.text() == ""

    type_text(qtbot, dialog.password, "secret1")
    with qtbot.waitSignal(startup.ready, timeout=5000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter logs in
    window = startup.main_window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert window.isVisible() and not dialog.isVisible()
    assert window._ctx.actor == clerk
    assert window.user_label.text() == "李明（承办人）"


def test_a_typed_login_name_or_display_name_works_and_enter_in_the_name_submits(qtbot, db):
    add_account(db, "li", "李明", "clerk")
    startup = start(qtbot, db)
    dialog = startup.login_dialog
    choose_user(qtbot, dialog, "WANG")  # login names are case-insensitive
    assert dialog.username_text() == "WANG"
    choose_user(qtbot, dialog, "王晓")
    assert dialog.username_text() == "wang"
    type_text(qtbot, dialog.password, "secret1")
    with qtbot.waitSignal(startup.ready, timeout=5000):
        qtbot.keyClick(dialog.username.lineEdit(), Qt.Key.Key_Return)
    assert dialog.username.count() == 2  # Enter added no item to the list
    qtbot.addWidget(startup.main_window)
    assert startup.main_window.user_label.text() == "王晓（管理员）"


def test_empty_name_and_cancel(qtbot, db):
    startup = start(qtbot, db)
    dialog = startup.login_dialog
    dialog.username.lineEdit().clear()
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert dialog.errors.showing("username") == "请选择或输入登录名。"
    with qtbot.waitSignal(startup.cancelled):
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    assert startup.main_window is None


def test_bench_login_skips_the_dialog(qtbot, db, monkeypatch):
    monkeypatch.setenv(BENCH_LOGIN_ENV, "wang:secret1")
    startup = Startup(db, partial(build_main_window, db, pinned_today))
    startup.start()
    startup.tasks.wait()  # the bench login runs on the database worker
    assert startup.login_dialog is None and startup.main_window is not None
    qtbot.addWidget(startup.main_window)
    assert startup.main_window.user_label.text() == "王晓（管理员）"


def test_bench_login_with_a_wrong_password_falls_back_to_the_dialog(qtbot, db, monkeypatch):
    monkeypatch.setenv(BENCH_LOGIN_ENV, "wang:nope")
    startup = start(qtbot, db)
    assert startup.main_window is None
