"""Acceptance journey (SPEC §1, M-1..M-3, T-5, T-6): register a matter through the real main window, take it
through 开始核查 → 制发建议书 → 逾期未改 with the action buttons, and find the 3-working-day report on the 工作台."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt

from hecun_office.services.matters import list_matters
from hecun_office.ui.main_window import DASHBOARD, MATTERS
from hecun_office.ui.matters.action_dialog import ActionDialog
from hecun_office.ui.matters.register_dialog import RegisterDialog

from .conftest import click_center, click_nav, type_text, visible_child
from .waiting import settle

TITLE = "占道经营处罚未告知陈述申辩权"


def register_through_dialog(qtbot, window) -> None:
    page = window.matters.list_page
    qtbot.mouseClick(page.register_button, Qt.MouseButton.LeftButton)
    dialog: RegisterDialog = visible_child(qtbot, page, RegisterDialog)
    dialog.received_on.setDate(QDate(2026, 2, 27))
    dialog.source.setCurrentIndex(dialog.source.findText("12345政务服务热线"))
    type_text(qtbot, dialog.source_ref, "ZJ12345-20260227-0031")
    units = dialog.units
    units.setFocus()
    units.setCurrentIndex(dialog.unit_model.index(dialog.unit_model.row_of_name("贺村镇综合行政执法队")))
    qtbot.keyClick(units, Qt.Key.Key_Space)  # toggles the check box of the current unit
    dialog.category.setCurrentIndex(dialog.category.findText("具体行政行为的合法性"))
    dialog.method.setCurrentIndex(dialog.method.findText("专项监督"))
    qtbot.mouseClick(dialog.track_frequent, Qt.MouseButton.LeftButton)
    type_text(qtbot, dialog.title, TITLE)
    type_text(qtbot, dialog.facts, "当事人在贺村镇某路段占道经营，执法队作出罚款决定前未告知陈述、申辩权。")
    type_text(qtbot, dialog.legal_basis, "《中华人民共和国行政处罚法》第四十四条")
    type_text(qtbot, dialog.complainant_name, "张三")
    type_text(qtbot, dialog.complainant_phone, "13812345678")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    dialog._ctx.tasks.wait()  # the write runs on the database worker
    qtbot.waitUntil(lambda: not dialog.isVisible())


def perform(qtbot, window, action: str, on: date | None = None) -> None:
    detail = window.matters.detail_page
    qtbot.mouseClick(detail.action_button(action), Qt.MouseButton.LeftButton)
    dialog: ActionDialog = visible_child(qtbot, detail, ActionDialog)
    if on is not None:
        dialog.on.setDate(on)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert dialog.general_error.isHidden(), dialog.general_error.text()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_register_advise_overdue_then_dashboard(qtbot, window, db):
    assert window.stack.currentIndex() == DASHBOARD  # T-6: the dashboard comes first
    click_nav(qtbot, window, "监督事项")
    register_through_dialog(qtbot, window)
    [row] = list_matters(db)
    assert row.reg_no == "贺监登〔2026〕1号" and row.units == "贺村镇综合行政执法队"

    page = window.matters.list_page
    type_text(qtbot, page.search, "申辩权")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.search.text() == "申辩权")
    type_text(qtbot, page.search, "不存在的词")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    page.search.clear()
    type_text(qtbot, page.search, "申辩权")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    detail = window.matters.detail_page
    assert window.matters.currentWidget() is detail
    assert detail.reg_no.text() == "贺监登〔2026〕1号"
    assert detail.status.text() == "登记"
    assert detail.fields["complainant"].text() == "张三　13812345678"  # in full only here (M-7)
    assert [b.text() for b in detail._action_buttons] == [label for _, label in detail.detail.actions]

    perform(qtbot, window, "start_verification", date(2026, 2, 27))
    assert detail.status.text() == "核查"
    perform(qtbot, window, "issue_advice", date(2026, 3, 2))  # 15 days -> Tue 2026-03-17
    assert detail.status.text() == "建议书已制发"
    assert detail.fields["deadline"].text() == "2026-03-17"
    perform(qtbot, window, "mark_overdue")  # today, 2026-03-23
    assert detail.status.text() == "逾期未改"
    timeline = [(e.on.isoformat(), e.action_label, e.to_label) for e in detail.event_model.rows()]
    assert timeline == [("2026-02-27", "登记", "登记"), ("2026-02-27", "开始核查", "核查"),
                        ("2026-03-02", "制发建议书", "建议书已制发"), ("2026-03-23", "逾期未改", "逾期未改")]
    assert page.model.row_at(0).status_label == "逾期未改"  # the list was refreshed too

    click_nav(qtbot, window, "工作台")
    board = window.dashboard
    # Deadline Tue 2026-03-17; the 3rd working day after it is Fri 2026-03-20, which is before today: overdue.
    reports = [r for r in board.overdue.model.rows() if r.kind_label == "逾期未改报告司法局"]
    assert len(reports) == 1
    assert reports[0].due_text == "2026-03-20 星期五"
    assert reports[0].reg_no == "贺监登〔2026〕1号"
    assert board.overdue.title.text() == f"已逾期（{board.overdue.model.rowCount()}）"
    assert all(r.kind_label != "逾期未改报告司法局" for r in board.due_today.model.rows() + board.upcoming.model.rows())

    # Double-clicking the obligation opens the matter again.
    row = next(n for n, r in enumerate(board.overdue.model.rows()) if r.kind_label == "逾期未改报告司法局")
    table = board.overdue.table
    rect = table.visualRect(board.overdue.model.index(row, 2))
    # A real double click is press, release, then the double-click press: QTest needs the first click spelled out.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.stack.currentIndex() == MATTERS
    assert window.matters.currentWidget() is detail and detail.reg_no.text() == "贺监登〔2026〕1号"

    # Esc goes back to the list with the matter selected (shortcuts need the window to be active).
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(detail, Qt.Key.Key_Escape)
    assert window.matters.currentWidget() is page
    assert page.selected_id() == reports[0].matter_id
    click_center(qtbot, page.table)  # still responsive


def test_reason_required_is_shown_in_the_action_dialog(qtbot, window, db):
    click_nav(qtbot, window, "监督事项")
    register_through_dialog(qtbot, window)
    window.matters.show_matter(list_matters(db)[0].id)
    detail = window.matters.detail_page
    qtbot.mouseClick(detail.action_button("close_no_issue"), Qt.MouseButton.LeftButton)
    dialog: ActionDialog = visible_child(qtbot, detail, ActionDialog)
    assert dialog.reason_label.text() == "理由（必填）"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert dialog.isVisible()
    assert "需要填写理由" in dialog.errors.showing("reason")
    type_text(qtbot, dialog.reason, "经核查，处罚程序合法。")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    dialog._ctx.tasks.wait()  # the write runs on the database worker
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert detail.status.text() == "办结"
    assert [code for code, _ in detail.detail.actions] == ["reopen"]
