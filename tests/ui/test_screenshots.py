"""Grab every screen a clerk sees into screenshots/ (gitignored) so a person can look at them (STYLE.md, Tests).

Run: python -m pytest tests/ui/test_screenshots.py -p no:cacheprovider; then open screenshots/*.png.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from hecun_office.services.matters import (
    MatterInput,
    TransitionInput,
    list_units,
    register_matter,
    transition_matter,
)
from hecun_office.services.setup import default_actor
from hecun_office.ui.app import apply_look
from hecun_office.ui.main_window import PAGE_TITLES
from hecun_office.ui.matters.action_dialog import ActionDialog
from hecun_office.ui.setup.setup_dialog import SetupDialog

from .conftest import TODAY, type_text
from .waiting import settle

OUT = Path(__file__).resolve().parents[2] / "screenshots"
NOTICE_2027 = Path(__file__).resolve().parents[1] / "workdays" / "data" / "notice_2027_madeup.txt"
PAGE_FILES = ("01-dashboard", "02-matters", "03-documents", "04-obligations", "05-exchange", "06-ledgers",
              "07-supervision", "08-settings")

MATTERS = [
    # title, source, unit index, received, steps
    ("占道经营处罚未告知陈述申辩权", "hotline", 1, date(2026, 2, 27),
     [("start_verification", date(2026, 2, 27)), ("issue_advice", date(2026, 3, 2)), ("mark_overdue", date(2026, 3, 18))]),
    ("市场监管所抽检程序不规范", "supervisor", 4, date(2026, 3, 3),
     [("start_verification", date(2026, 3, 4)), ("issue_advice", date(2026, 3, 5)),
      ("start_rectification", date(2026, 3, 10)), ("mark_refused", date(2026, 3, 18))]),
    ("违建拆除决定送达程序存疑", "daily", 3, date(2026, 3, 6),
     [("start_verification", date(2026, 3, 6)), ("issue_advice", date(2026, 3, 9))]),
    ("环保所行政检查未出示执法证件", "complaint_platform", 6, date(2026, 3, 16),
     [("start_verification", date(2026, 3, 17))]),
    ("派出所治安处罚告知书格式问题", "petition", 5, date(2026, 3, 20), []),
    ("农业执法委托协议到期未续签", "special", 9, date(2026, 1, 12),
     [("start_verification", date(2026, 1, 13)), ("close_no_issue", date(2026, 1, 20))]),
]


def populate(db) -> int:
    actor = default_actor(db)
    units = list_units(db)
    first = 0
    for title, source, unit, received, steps in MATTERS:
        reg = register_matter(db, actor, MatterInput(
            received_on=received, source=source, title=title, category="legality", unit_ids=[units[unit].id],
            source_ref=f"GD{received:%Y%m%d}01", facts=f"{title}。经初步了解，相关执法行为存在程序问题，需核查。",
            legal_basis="《中华人民共和国行政处罚法》第四十四条", complainant_name="张三",
            complainant_phone="13812345678"), TODAY)
        first = first or reg.id
        for action, on in steps:
            reason = "经核查，未发现问题。" if action == "close_no_issue" else (
                "单位书面答复拒绝整改。" if action == "mark_refused" else "")
            transition_matter(db, actor, reg.id, TransitionInput(action, on, reason=reason), TODAY)
    return first


def save(widget: QWidget, name: str) -> Path:
    OUT.mkdir(exist_ok=True)
    QTest.qWait(60)  # let nested layouts settle as they would in the running event loop
    path = OUT / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


@pytest.mark.gui
def test_screenshots(qtbot, window, db):
    apply_look(QApplication.instance())
    matter_id = populate(db)
    window.resize(1366, 768)
    window.refresh_current()  # every other page reads its data when it is shown
    for n, name in enumerate(PAGE_FILES):
        window.show_page(n)
        save(window, f"{name}")
    assert len(PAGE_FILES) == len(PAGE_TITLES)

    window.show_page(1)
    register = window.matters.list_page.open_register_dialog()
    register.received_on.setDate(QDate(2026, 3, 23))
    type_text(qtbot, register.source_ref, "ZJ12345-20260323-0107")
    register.unit_model.set_checked(list_units(db)[1].id)
    register.category.setCurrentIndex(4)
    type_text(qtbot, register.title, "流动摊贩暂扣物品未开具清单")
    type_text(qtbot, register.facts, "群众反映执法队暂扣三轮车及货物，未当场开具暂扣物品清单。")
    save(register, "10-register-dialog")
    qtbot.mouseClick(register.ok_button, Qt.MouseButton.LeftButton)  # no title error: registered
    register._ctx.tasks.wait()  # the write runs on the database worker
    qtbot.waitUntil(lambda: not register.isVisible())
    register = window.matters.list_page.open_register_dialog()
    qtbot.mouseClick(register.ok_button, Qt.MouseButton.LeftButton)
    settle(register)
    save(register, "11-register-dialog-error")
    register.reject()

    window.open_matter(matter_id)
    save(window, "12-matter-detail")
    window.open_matter(matter_id + 2)
    save(window, "13-matter-detail-advice")
    detail = window.matters.detail_page
    action = detail.open_action_dialog("mark_refused")
    save(action, "14-action-dialog-refused")
    action.reject()
    window.open_matter(matter_id + 3)
    action: ActionDialog = detail.open_action_dialog("issue_advice")
    save(action, "15-action-dialog-advice")
    action.reject()

    window.show_page(7)
    importer = window.settings.open_import_dialog()
    importer.text.setPlainText(NOTICE_2027.read_text(encoding="utf-8"))
    importer.parse()
    save(importer, "16-calendar-import")
    importer.text.setPlainText("国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日放假")
    importer.parse()
    save(importer, "17-calendar-import-error")
    importer.reject()
    override = window.settings.open_override_dialog()
    override.day.setDate(date(2026, 4, 3))
    save(override, "18-calendar-override")
    override.reject()

    # 1920×1080 at 150 % scaling leaves 1280×720 logical pixels (U-1).
    window.resize(1280, 720)
    window.show_page(0)
    save(window, "20-dashboard-1280x720")
    window.open_matter(matter_id)
    save(window, "21-matter-detail-1280x720")

    setup = SetupDialog(db)
    qtbot.addWidget(setup)
    setup.show()
    save(setup, "19-setup-dialog")
    for path in OUT.glob("*.png"):
        assert path.stat().st_size > 10_000


@pytest.mark.gui
def test_login_lock_users_templates_screenshots(qtbot, window, db):
    """U-6 and M-4: the login, the idle lock, the users and templates sections, registering from a template."""
    from functools import partial

    from hecun_office.ui.app import build_main_window
    from hecun_office.ui.startup import Startup

    from .conftest import add_account, open_window, pinned_today

    apply_look(QApplication.instance())
    clerk = add_account(db, "li", "李明", "clerk")
    add_account(db, "laoli", "李建国", "signer")
    startup = Startup(db, partial(build_main_window, db, pinned_today))
    startup.start()
    login = startup.login_dialog
    qtbot.addWidget(login)
    save(login, "50-login-dialog")
    type_text(qtbot, login.password, "wrong-one")
    qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)
    settle(login)
    save(login, "51-login-error")
    login.reject()

    window.resize(1366, 768)
    window.show_page(7)
    window.settings.tabs.setCurrentWidget(window.settings.users)
    window.settings.users.refresh()
    window.settings.users.table.selectRow(1)
    save(window, "53-settings-users")
    account = window.settings.users.open_account_dialog()
    type_text(qtbot, account.username, "zhao")
    type_text(qtbot, account.display_name, "赵六")
    save(account, "55-new-user-dialog")
    account.reject()
    window.settings.tabs.setCurrentWidget(window.settings.templates)
    window.settings.templates.table.selectRow(0)
    save(window, "56-settings-templates")
    template = window.settings.templates.open_edit_dialog()
    save(template, "57-template-dialog")
    template.reject()

    register = window.open_register_dialog()
    register.template.setCurrentIndex(register.template.findText("占道经营处罚未告知陈述申辩权"))
    register.unit_model.set_checked(list_units(db)[1].id)
    save(register, "58-register-from-template")
    register.reject()

    lock = window.idle_lock
    window.show_page(0)
    lock.lock()
    type_text(qtbot, lock.overlay.password, "x")
    lock.unlock()
    save(window, "52-idle-lock")
    type_text(qtbot, lock.overlay.password, "secret1")
    assert lock.unlock()

    clerk_window = open_window(qtbot, db, clerk)
    clerk_window.resize(1366, 768)
    clerk_window.show_page(7)
    save(clerk_window, "54-settings-clerk")
    clerk_window.settings.tabs.setCurrentWidget(clerk_window.settings.users)
    save(clerk_window, "59-settings-users-clerk")
