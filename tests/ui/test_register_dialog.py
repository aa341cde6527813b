"""M-1: the register dialog keeps the clerk's input when the service refuses it."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from hecun_office.services.matters import list_matters
from hecun_office.ui.matters.register_dialog import RegisterDialog
from hecun_office.ui.models.unit_choice import UnitChoiceModel

from .conftest import click_nav, type_text, visible_child
from .waiting import settle


def open_dialog(qtbot, window) -> RegisterDialog:
    click_nav(qtbot, window, "监督事项")
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Ctrl+N
    return visible_child(qtbot, window.matters.list_page, RegisterDialog)


def check_unit(model: UnitChoiceModel, name: str) -> None:
    model.set_checked(model.data(model.index(model.row_of_name(name)), Qt.ItemDataRole.UserRole))


def test_validation_error_keeps_dialog_open_with_input(qtbot, window, db):
    dialog = open_dialog(qtbot, window)
    dialog.received_on.setDate(QDate(2026, 3, 5))
    type_text(qtbot, dialog.source_ref, "GD-001")
    check_unit(dialog.unit_model, "贺村镇人民政府")
    type_text(qtbot, dialog.facts, "未告知陈述申辩权。")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no title
    settle(dialog)
    assert dialog.isVisible()
    assert dialog.errors.showing("title") == "请填写事项标题。"
    assert not dialog.errors_title.isHidden()
    assert dialog.source_ref.text() == "GD-001"
    assert dialog.facts.toPlainText() == "未告知陈述申辩权。"
    assert dialog.received_on.date() == QDate(2026, 3, 5)
    assert len(dialog.unit_model.checked_ids()) == 1
    assert list_matters(db) == []

    type_text(qtbot, dialog.title, "未告知陈述申辩权")
    dialog.unit_model.set_checked(dialog.unit_model.checked_ids()[0], False)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert dialog.errors.showing("unit_ids") == "请至少选择一个被监督单位。"
    assert dialog.errors.showing("title") == ""

    check_unit(dialog.unit_model, "贺村镇人民政府")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    dialog._ctx.tasks.wait()  # the write runs on the database worker
    qtbot.waitUntil(lambda: not dialog.isVisible())
    [row] = list_matters(db)
    assert row.title == "未告知陈述申辩权"
    assert window.matters.list_page.model.rowCount() == 1


def test_duplicate_source_reference_is_reported(qtbot, window, db):
    from PySide6.QtWidgets import QMessageBox

    for title in ("占道经营（热线）", "占道经营（监督员）"):
        dialog = open_dialog(qtbot, window)
        type_text(qtbot, dialog.source_ref, "GD-777")
        check_unit(dialog.unit_model, "贺村镇综合行政执法队")
        type_text(qtbot, dialog.title, title)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        dialog._ctx.tasks.wait()  # the write runs on the database worker
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())
    box = visible_child(qtbot, window.matters.list_page, QMessageBox)
    assert "贺监登〔2026〕2号" in box.text() and "贺监登〔2026〕1号" in box.text()
    assert len(list_matters(db)) == 2  # registered all the same
    box.accept()
