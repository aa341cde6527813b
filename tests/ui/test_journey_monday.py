"""Acceptance journey of issue 3 (SPEC §1 "A day at the office"): log in, import last week's hotline orders and merge
the duplicate of Friday's supervisor report, register a frequent matter from its template, flag one matter serious,
find both by search and see their obligations on the dashboard — all through the real main window."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest
from intake_files import DUPLICATE_REF, hotline_export, supervisor_matter_input
from PySide6.QtCore import Qt

from hecun_office.services.matters import (
    MatterInput,
    list_matters,
    list_units,
    matter_detail,
    register_matter,
)
from hecun_office.ui.app import build_main_window
from hecun_office.ui.documents.editor_dialog import EditorDialog
from hecun_office.ui.intake.intake_dialog import IntakeDialog
from hecun_office.ui.main_window import MainWindow
from hecun_office.ui.matters.action_dialog import ActionDialog
from hecun_office.ui.matters.register_dialog import RegisterDialog
from hecun_office.ui.startup import Startup

from .conftest import TODAY, add_account, click_center, click_nav, pinned_today, type_text, visible_child
from .waiting import settle

TEMPLATE = "占道经营处罚未告知陈述申辩权"


def log_in(qtbot, db) -> MainWindow:
    startup = Startup(db, partial(build_main_window, db, pinned_today))
    startup.start()
    dialog = startup.login_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    edit = dialog.username.lineEdit()
    edit.selectAll()
    type_text(qtbot, edit, "xiaowang")
    type_text(qtbot, dialog.password, "monday1")
    with qtbot.waitSignal(startup.ready, timeout=5000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    window = startup.main_window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    return window


def act(qtbot, window: MainWindow, action: str, reason: str = "") -> None:
    detail = window.matters.detail_page
    qtbot.mouseClick(detail.action_button(action), Qt.MouseButton.LeftButton)
    dialog: ActionDialog = visible_child(qtbot, detail, ActionDialog)
    if reason:
        type_text(qtbot, dialog.reason, reason)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert dialog.general_error.isHidden(), dialog.general_error.text()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def search(qtbot, window: MainWindow, text: str) -> list[str]:
    page = window.matters.list_page
    page.search.clear()
    type_text(qtbot, page.search, text)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # Enter searches at once, without the typing pause
    qtbot.waitUntil(lambda: not page.loader.running, timeout=5000)
    return [page.model.row_at(n).reg_no for n in range(page.model.rowCount())]


@pytest.mark.gui
def test_monday_import_merge_template_serious_search_dashboard(qtbot, db, tmp_path):
    # Friday: a 法治监督员 reported the demolition matter (its hotline order comes in again on Monday).
    builder = add_account(db, "builder", "系统管理员", "admin")
    unit = next(u.id for u in list_units(db) if u.name == "贺村镇村镇建设管理办公室")
    friday = register_matter(db, builder, MatterInput(**supervisor_matter_input(unit)), date(2026, 3, 20)).reg_no
    add_account(db, "xiaowang", "小王", "clerk", password="monday1")

    window = log_in(qtbot, db)
    assert window.user_label.text() == "小王（承办人）"

    # 1. last week's 12345 export: 37 rows, 4 about enforcement, one the same order as Friday's matter → merged
    click_nav(qtbot, window, "监督事项")
    page = window.matters.list_page
    click_center(qtbot, page.intake_button)
    intake: IntakeDialog = visible_child(qtbot, page, IntakeDialog)
    intake.load_file(hotline_export(tmp_path / "12345工单.xlsx"))
    qtbot.waitUntil(lambda: not intake.busy, timeout=15_000)
    click_center(qtbot, intake.next_button)
    qtbot.waitUntil(lambda: not intake.busy, timeout=15_000)
    assert "与已有事项重复 1" in intake.summary.text() and "非执法类 33" in intake.summary.text()
    with qtbot.waitSignal(intake.imported, timeout=15_000) as imported:
        click_center(qtbot, intake.confirm_button)
    report = imported.args[0]
    assert [o.reg_no for o in report.merged] == [friday]
    assert len(report.registered) == 3
    click_center(qtbot, intake.close_button)
    intake._ctx.tasks.wait()  # the write runs on the database worker
    qtbot.waitUntil(lambda: not intake.isVisible())
    merged = matter_detail(db, _id_of(db, friday), TODAY)
    assert any(e.action_label == "合并工单" for e in merged.events)

    # 2. a frequent matter from its template (Ctrl+N), the advice text comes with it
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    register: RegisterDialog = visible_child(qtbot, page, RegisterDialog)
    register.template.setCurrentIndex(register.template.findText(TEMPLATE))
    model = register.unit_model
    model.set_checked(model.data(model.index(model.row_of_name("贺村镇综合行政执法队")), Qt.ItemDataRole.UserRole))
    qtbot.mouseClick(register.ok_button, Qt.MouseButton.LeftButton)
    register._ctx.tasks.wait()  # the write runs on the database worker
    qtbot.waitUntil(lambda: not register.isVisible())
    frequent = next(r for r in list_matters(db) if r.title.startswith("占道经营行政处罚未告知"))

    # 3. the imported matter about the impounded tricycle is serious; the frequent one needs the bureau's help
    serious = next(r for r in list_matters(db) if r.title == "流动摊贩三轮车被暂扣未开具清单")
    window.matters.show_matter(serious.id)
    act(qtbot, window, "start_verification")
    act(qtbot, window, "flag_serious", "暂扣物品未开具清单，涉及多名摊贩，情节复杂。")
    window.matters.show_matter(frequent.id)
    act(qtbot, window, "start_verification")
    act(qtbot, window, "need_assistance")
    # 发出协作函 opens the letter drafted from the matter; the clerk sends it for review (it is issued later)
    detail = window.matters.detail_page
    qtbot.mouseClick(detail.action_button("send_assistance_request"), Qt.MouseButton.LeftButton)
    letter: EditorDialog = visible_child(qtbot, detail, EditorDialog)
    assert letter.form_def.id == "assistance_request" and letter.values()["title"] == frequent.title
    letter.editors["questions"].set_value("请就占道经营处罚程序提供咨询意见。")
    qtbot.mouseClick(letter.submit_button, Qt.MouseButton.LeftButton)
    letter._ctx.tasks.wait()
    qtbot.waitUntil(lambda: letter.status.value == "review")
    letter.reject()

    # 4. both are found by search: a two-character word, and a work-order number
    click_nav(qtbot, window, "监督事项")
    assert serious.reg_no in search(qtbot, window, "暂扣")
    assert search(qtbot, window, "占道经营行政处罚") == [frequent.reg_no]
    assert search(qtbot, window, DUPLICATE_REF) == [friday]

    # 5. the dashboard shows the obligations the rules made of it (T-5, T-6)
    click_nav(qtbot, window, "工作台")
    board = window.dashboard
    upcoming = {(r.reg_no, r.kind_label): r for r in board.upcoming.model.rows()}
    report_due = upcoming[(serious.reg_no, "情节严重复杂报告司法局")]
    assert report_due.due_text == "2026-03-26 星期四"  # 3 working days after Monday 2026-03-23
    # the bureau's 3 working days start when the letter is issued, not when it is drafted
    assert (frequent.reg_no, "等待司法局协作反馈") not in upcoming
    assert matter_detail(db, frequent.id, TODAY).status == "assistance_needed"


def _id_of(db, reg_no: str) -> int:
    return next(r.id for r in list_matters(db) if r.reg_no == reg_no)
