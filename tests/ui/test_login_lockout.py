"""Issue 11 item 7: the fourth wrong password warns before the lock-out, and the lock-out message is shown whole
in the login dialog (wrapped, not clipped top and bottom)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from .conftest import add_account, type_text
from .test_login import start

SHOTS = Path(os.environ.get("HECUN_SHOTS", "/tmp/hecun-shots"))


def wrong_password(qtbot, startup) -> str:
    dialog = startup.login_dialog
    type_text(qtbot, dialog.password, "wrong-one")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    startup.tasks.wait()
    qtbot.wait(20)
    return dialog.errors.showing("password")


def test_the_fourth_wrong_password_warns_and_the_lock_out_message_is_fully_visible(qtbot, db):
    add_account(db, "li", "李明", "clerk")
    startup = start(qtbot, db)
    dialog = startup.login_dialog
    for _ in range(3):
        assert wrong_password(qtbot, startup) == "用户名或密码不正确，请重新输入。"
    assert "再错 1 次账户将被锁定 5 分钟" in wrong_password(qtbot, startup)
    message = wrong_password(qtbot, startup)
    assert "已暂时锁定" in message and "5 分钟" in message

    error = dialog.errors_password
    assert error.isVisible() and error.wordWrap()
    # Every line of the message fits the label, and the label fits inside the dialog.
    needed = error.heightForWidth(error.width())
    assert error.height() >= needed, (error.height(), needed)
    bottom = error.mapTo(dialog, error.rect().bottomLeft()).y()
    assert bottom <= dialog.login_button.mapTo(dialog, dialog.login_button.rect().topLeft()).y()
    assert dialog.height() >= dialog.minimumSizeHint().height()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "login-locked.png"))
