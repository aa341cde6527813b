"""U-6 in 设置 → 用户管理: an administrator manages accounts; everyone else sees them, disabled, and changes only
their own password. The services refuse as well, and the refusal is shown in Chinese."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from hecun_office.services.users import list_accounts
from hecun_office.ui.app import build_main_window
from hecun_office.ui.main_window import SETTINGS
from hecun_office.ui.settings.account_dialog import AccountDialog, RoleDialog
from hecun_office.ui.settings.password_dialog import PasswordDialog
from hecun_office.ui.startup import Startup

from .conftest import add_account, open_window, pinned_today, type_text, visible_child
from .waiting import settle


def users_tab(qtbot, window):
    window.show_page(SETTINGS)
    settings = window.settings
    settings.tabs.setCurrentWidget(settings.users)
    return settings.users


def row_of(section, username: str) -> int:
    return next(n for n, a in enumerate(section.model.rows()) if a.username == username)


def test_clerk_sees_management_disabled_with_who_may(qtbot, db):
    clerk = add_account(db, "li", "李明", "clerk")
    window = open_window(qtbot, db, clerk)
    assert window.user_label.text() == "李明（承办人）"
    users = users_tab(qtbot, window)
    assert [a.username for a in users.model.rows()] == ["wang", "li"]  # read-only list
    assert users.model.index(0, 2).data() == "管理员" and users.model.index(1, 4).data() != "—"
    for button in users.manage_buttons:
        assert not button.isEnabled()
        assert button.toolTip() == "只有管理员可以使用此功能（您的角色：承办人）。"
    assert users.own_password_button.isEnabled()
    assert "只有管理员" in users.note.text()

    settings = window.settings
    for button in (settings.import_button, settings.override_button):
        assert not button.isEnabled() and "只有管理员" in button.toolTip()
    assert not settings.calendar_note.isHidden()
    templates = settings.templates
    assert not templates.add_button.isEnabled()
    assert templates.add_button.toolTip() == "只有签发人、管理员可以使用此功能（您的角色：承办人）。"

    # A button enabled by mistake still gets a refusal from the service, shown in Chinese.
    dialog = users.open_account_dialog()
    type_text(qtbot, dialog.username, "zhao")
    type_text(qtbot, dialog.display_name, "赵六")
    type_text(qtbot, dialog.password, "secret9")
    type_text(qtbot, dialog.password_again, "secret9")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert dialog.isVisible()
    assert "您的角色（承办人）不能管理用户" in dialog.errors.showing("")
    dialog.reject()


def test_clerk_changes_own_password(qtbot, db):
    clerk = add_account(db, "li", "李明", "clerk")
    window = open_window(qtbot, db, clerk)
    users = users_tab(qtbot, window)
    qtbot.mouseClick(users.own_password_button, Qt.MouseButton.LeftButton)
    dialog: PasswordDialog = visible_child(qtbot, users, PasswordDialog)
    assert dialog.windowTitle() == "修改我的密码" and dialog.old_password.isVisible()
    type_text(qtbot, dialog.old_password, "not-it")
    type_text(qtbot, dialog.password, "newpass1")
    type_text(qtbot, dialog.password_again, "newpass1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert dialog.errors.showing("old_password") == "原密码不正确。"
    dialog.old_password.setText("secret1")
    with qtbot.waitSignal(users.message) as message:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert message.args == ["已修改您的密码"]
    assert not dialog.isVisible()
    window.idle_lock.lock()  # the lock now wants the new password
    window.idle_lock.overlay.password.setText("newpass1")
    assert window.idle_lock.unlock()


def test_admin_creates_a_user_who_can_then_log_in(qtbot, window, db):
    users = users_tab(qtbot, window)
    assert all(b.isEnabled() for b in (users.add_button,))
    assert not users.role_button.isEnabled()  # nothing selected yet
    qtbot.mouseClick(users.add_button, Qt.MouseButton.LeftButton)
    dialog: AccountDialog = visible_child(qtbot, users, AccountDialog)
    assert dialog.role.currentText() == "承办人" and "起草文书" in dialog.role_note.text()
    type_text(qtbot, dialog.username, "zhao")
    type_text(qtbot, dialog.display_name, "赵六")
    dialog.role.setCurrentIndex(dialog.role.findText("审核人"))
    assert "审核文书" in dialog.role_note.text()
    type_text(qtbot, dialog.password, "short")
    type_text(qtbot, dialog.password_again, "shorter")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert "不一致" in dialog.errors.showing("password_again")
    dialog.password_again.setText("short")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert dialog.errors.showing("password") == "密码至少 6 位。"
    dialog.password.setText("zhao2026")
    dialog.password_again.setText("zhao2026")
    dialog.username.setText("WANG")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert "已被使用" in dialog.errors.showing("username")
    dialog.username.setText("zhao")
    with qtbot.waitSignal(users.message):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert users.selected().username == "zhao"
    assert [users.model.index(row_of(users, "zhao"), c).data() for c in range(4)] == ["zhao", "赵六", "审核人", "正常"]

    startup = Startup(db, partial(build_main_window, db, pinned_today))
    startup.start()
    login = startup.login_dialog
    qtbot.addWidget(login)
    login.username.setCurrentIndex(login.username.findText("赵六（zhao）"))
    type_text(qtbot, login.password, "zhao2026")
    with qtbot.waitSignal(startup.ready, timeout=5000):
        qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)
    qtbot.addWidget(startup.main_window)
    assert startup.main_window.user_label.text() == "赵六（审核人）"


def test_admin_changes_role_disables_and_resets_password(qtbot, window, db):
    add_account(db, "li", "李明", "clerk")
    users = users_tab(qtbot, window)
    users.refresh()
    users.table.selectRow(row_of(users, "wang"))
    assert not users.role_button.isEnabled() and not users.active_button.isEnabled()  # not one's own
    assert "另一位管理员" in users.role_button.toolTip()

    users.table.selectRow(row_of(users, "li"))
    assert users.role_button.isEnabled() and users.active_button.text() == "停用"
    qtbot.mouseClick(users.role_button, Qt.MouseButton.LeftButton)
    dialog: RoleDialog = visible_child(qtbot, users, RoleDialog)
    assert dialog.heading.text() == "修改角色：李明（li）" and dialog.role.currentText() == "承办人"
    dialog.role.setCurrentIndex(dialog.role.findText("签发人"))
    with qtbot.waitSignal(users.message) as message:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert message.args == ["已将 李明 的角色改为签发人"]
    assert users.model.index(row_of(users, "li"), 2).data() == "签发人"

    qtbot.mouseClick(users.active_button, Qt.MouseButton.LeftButton)
    settle(users)
    assert users.model.index(row_of(users, "li"), 3).data() == "已停用"
    assert users.active_button.text() == "启用"
    assert "li" not in {a.username for a in list_accounts(db, include_inactive=False)}
    qtbot.mouseClick(users.active_button, Qt.MouseButton.LeftButton)
    settle(users)
    assert users.model.index(row_of(users, "li"), 3).data() == "正常"

    qtbot.mouseClick(users.reset_button, Qt.MouseButton.LeftButton)
    reset: PasswordDialog = visible_child(qtbot, users, PasswordDialog)
    assert reset.heading.text() == "重设密码：李明" and not reset.old_password.isVisible()
    type_text(qtbot, reset.password, "fresh123")
    type_text(qtbot, reset.password_again, "fresh123")
    with qtbot.waitSignal(users.message):
        qtbot.mouseClick(reset.ok_button, Qt.MouseButton.LeftButton)

    startup = Startup(db, partial(build_main_window, db, pinned_today))
    startup.start()
    qtbot.addWidget(startup.login_dialog)
    startup.login_dialog.username.setCurrentIndex(startup.login_dialog.username.findData("li"))
    type_text(qtbot, startup.login_dialog.password, "fresh123")
    with qtbot.waitSignal(startup.ready, timeout=5000):
        qtbot.mouseClick(startup.login_dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.addWidget(startup.main_window)


def test_the_last_administrator_cannot_be_disabled(qtbot, window, db):
    second = add_account(db, "admin2", "第二管理员", "admin")
    win2 = open_window(qtbot, db, second)
    users = users_tab(qtbot, win2)
    # admin2 disables wang; wang's window, still open, then tries to disable admin2, the last administrator.
    users.table.selectRow(row_of(users, "wang"))
    qtbot.mouseClick(users.active_button, Qt.MouseButton.LeftButton)
    settle(users)
    assert users.model.index(row_of(users, "wang"), 3).data() == "已停用"
    admin_users = users_tab(qtbot, window)
    admin_users.refresh()
    admin_users.table.selectRow(row_of(admin_users, "admin2"))
    qtbot.mouseClick(admin_users.active_button, Qt.MouseButton.LeftButton)
    box = visible_child(qtbot, admin_users, QMessageBox)
    assert "唯一的管理员" in box.text()
    box.close()
