"""Issue 11: quitting the first-run set-up leaves no database behind; an account without a password (made by an
older `setup --mode bureau`) gets one at the first start, before the login."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import text

from hecun_office.services.setup import is_set_up
from hecun_office.services.users import accounts_without_password, authenticate
from hecun_office.storage.lock import InstanceLock
from hecun_office.storage.opening import open_database
from hecun_office.ui.app import build_main_window
from hecun_office.ui.login.first_password_dialog import FirstPasswordDialog
from hecun_office.ui.startup import Startup

from .conftest import pinned_today, type_text


def _start(qtbot, db) -> Startup:
    startup = Startup(db, partial(build_main_window, db, pinned_today))
    startup.start()
    return startup


def test_quitting_the_first_run_set_up_deletes_the_database_it_created(qtbot, tmp_path: Path):
    file = tmp_path / "new" / "office.sqlite3"
    lock = InstanceLock(file)  # as the GUI's first run opens it (app.run_gui)
    lock.acquire()
    db = open_database(f"sqlite:///{file}")
    try:
        startup = _start(qtbot, db)
        dialog = startup.setup_dialog
        qtbot.addWidget(dialog)
        type_text(qtbot, dialog.username, "wang")
        with qtbot.waitSignal(startup.cancelled, timeout=5000):
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()
        assert list(file.parent.iterdir()) == []  # the file, its -wal/-shm and the lock's file
    finally:
        db.dispose()
        lock.release()


def test_quitting_set_up_keeps_a_file_that_holds_other_tables(qtbot, tmp_path: Path):
    file = tmp_path / "notes.sqlite3"
    db = open_database(f"sqlite:///{file}")
    try:
        with db.engine.begin() as conn:  # somebody's own data in a file opened by mistake
            conn.execute(text("CREATE TABLE notes (body TEXT)"))
        startup = _start(qtbot, db)
        qtbot.addWidget(startup.setup_dialog)
        with qtbot.waitSignal(startup.cancelled, timeout=5000):
            startup.setup_dialog.reject()
        assert file.exists()
    finally:
        db.dispose()


def _passwordless_bureau(tmp_path: Path):
    """A bureau set up as the README showed before issue 11: admin without a password."""
    from hecun_office.services import setup

    db = open_database(f"sqlite:///{tmp_path / 'bureau.sqlite3'}")
    setup.setup_database(db, setup.default_profile("bureau"), setup.UserInput("admin", "管理员"))
    return db


def test_an_account_without_a_password_is_given_one_before_the_login(qtbot, tmp_path: Path):
    db = _passwordless_bureau(tmp_path)
    try:
        assert [a.username for a in accounts_without_password(db)] == ["admin"]
        startup = _start(qtbot, db)
        dialog = startup.first_password_dialog
        assert isinstance(dialog, FirstPasswordDialog) and dialog.isVisible()
        qtbot.addWidget(dialog)
        assert startup.login_dialog is None
        assert "管理员（admin）" in dialog.account_label.text()

        type_text(qtbot, dialog.password, "county1")
        type_text(qtbot, dialog.password_again, "county2")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert "不一致" in dialog.errors.showing("password_again") and dialog.isVisible()
        dialog.password.clear()
        dialog.password_again.clear()
        type_text(qtbot, dialog.password, "abc")
        type_text(qtbot, dialog.password_again, "abc")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        startup.tasks.wait()
        assert "至少 6 位" in dialog.errors.showing("password")  # the rules of set_password
        dialog.password.clear()
        dialog.password_again.clear()
        type_text(qtbot, dialog.password, "county1")
        type_text(qtbot, dialog.password_again, "county1")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        startup.tasks.wait()
        qtbot.waitUntil(lambda: startup.login_dialog is not None, timeout=5000)
        qtbot.addWidget(startup.login_dialog)
        assert not dialog.isVisible() and startup.login_dialog.isVisible()
        assert accounts_without_password(db) == []
        assert authenticate(db, "admin", "county1").role == "admin"
    finally:
        db.dispose()


def test_quitting_the_new_password_dialog_ends_the_program_without_a_password_set(qtbot, tmp_path: Path):
    db = _passwordless_bureau(tmp_path)
    try:
        startup = _start(qtbot, db)
        qtbot.addWidget(startup.first_password_dialog)
        with qtbot.waitSignal(startup.cancelled, timeout=5000):
            startup.first_password_dialog.reject()
        assert startup.login_dialog is None and is_set_up(db)
        assert [a.username for a in accounts_without_password(db)] == ["admin"]
    finally:
        db.dispose()
