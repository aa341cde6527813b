"""U-5: the first-run set-up creates the profile and the first user, then the main window appears."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt

from hecun_office.services.matters import list_users
from hecun_office.services.setup import is_set_up, read_profile
from hecun_office.ui.app import build_main_window
from hecun_office.ui.main_window import MainWindow
from hecun_office.ui.startup import Startup

from .conftest import pinned_today, type_text
from .waiting import settle


def start(qtbot, db) -> Startup:
    startup = Startup(db, partial(build_main_window, db, pinned_today))
    startup.start()
    assert startup.setup_dialog is not None
    qtbot.addWidget(startup.setup_dialog)
    return startup


def test_setup_creates_profile_and_shows_main_window(qtbot, fresh_db):
    startup = start(qtbot, fresh_db)
    dialog = startup.setup_dialog
    assert dialog.isVisible() and startup.main_window is None
    # Prefilled with the Hecun defaults.
    assert [dialog.name.text(), dialog.abbr.text(), dialog.bureau_name.text(), dialog.county.text(),
            dialog.township.text(), dialog.code.text(), dialog.registration_pattern.text()] == [
        "贺村司法所", "贺司", "江山市司法局", "江山市", "贺村镇", "hecun", "贺监登〔{year}〕{n}号"]
    assert dialog.rectification_days.value() == 15
    type_text(qtbot, dialog.username, "wang")
    type_text(qtbot, dialog.display_name, "王晓")
    type_text(qtbot, dialog.password, "secret1")
    type_text(qtbot, dialog.password_again, "secret1")
    with qtbot.waitSignal(startup.ready, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    window = startup.main_window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert window.isVisible() and not dialog.isVisible()
    assert is_set_up(fresh_db)
    profile = read_profile(fresh_db)
    assert profile is not None and (profile.name, profile.abbr, profile.mode) == ("贺村司法所", "贺司", "office")
    assert [u.display_name for u in list_users(fresh_db)] == ["王晓"]
    assert window.windowTitle().startswith("贺村司法所")
    # The first user has just typed the password: logged in directly, no login dialog (U-6).
    assert startup.login_dialog is None and window.user_label.text() == "王晓（管理员）"
    assert dialog.actor is not None and window._ctx.actor == dialog.actor


def test_setup_errors_are_shown_next_to_the_field(qtbot, fresh_db):
    startup = start(qtbot, fresh_db)
    dialog = startup.setup_dialog
    dialog.code.setText("Hecun Office")
    type_text(qtbot, dialog.username, "wang")
    type_text(qtbot, dialog.display_name, "王晓")
    type_text(qtbot, dialog.password, "secret1")
    type_text(qtbot, dialog.password_again, "secret2")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert "不一致" in dialog.errors.showing("password_again")
    dialog.password_again.setText("secret1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert "机构代码" in dialog.errors.showing("code")
    assert dialog.errors.showing("password_again") == ""
    assert dialog.isVisible() and not is_set_up(fresh_db)
    dialog.code.setText("hecun")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert is_set_up(fresh_db)
    qtbot.addWidget(startup.main_window)


def test_bureau_mode_fills_bureau_defaults(qtbot, fresh_db):
    startup = start(qtbot, fresh_db)  # kept: quitting deletes the empty database through its runner
    dialog = startup.setup_dialog
    qtbot.mouseClick(dialog.bureau_mode, Qt.MouseButton.LeftButton)
    assert (dialog.name.text(), dialog.code.text()) == ("江山市司法局", "jiangshan")
    with qtbot.waitSignal(dialog.rejected):
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert not fresh_db.file.exists()  # quitting set-up leaves no empty database (tests/ui/test_first_run.py)
