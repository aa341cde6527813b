"""Issue 11 item 8: 取消/Esc on a filled register form asks before throwing the input away, and a field's message
goes as soon as the field changes (a template filling the title clears "请填写事项标题")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from hecun_office.services.matters import list_matters
from hecun_office.services.setup import default_actor
from hecun_office.services.templates import TemplateInput, save_template

from .conftest import click_center, type_text
from .test_register_dialog import open_dialog
from .waiting import settle


def discard_box(qtbot, dialog) -> QMessageBox:
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "discardRegister") is not None)
    box = dialog.findChild(QMessageBox, "discardRegister")
    assert box.isVisible() and "放弃登记" in box.text()
    return box


def test_an_empty_register_form_closes_at_once(qtbot, window):
    dialog = open_dialog(qtbot, window)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.findChild(QMessageBox, "discardRegister") is None


def test_cancel_or_esc_on_a_filled_register_form_asks_before_discarding(qtbot, window, db):
    dialog = open_dialog(qtbot, window)
    type_text(qtbot, dialog.title, "未告知陈述申辩权")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)
    box = discard_box(qtbot, dialog)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)  # Enter keeps the input
    click_center(qtbot, box.button(QMessageBox.StandardButton.Cancel))
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "discardRegister") is None)
    assert dialog.isVisible() and dialog.title.text() == "未告知陈述申辩权"

    click_center(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Cancel))  # 取消 asks the same
    box = discard_box(qtbot, dialog)
    click_center(qtbot, box.button(QMessageBox.StandardButton.Yes))
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert list_matters(db) == []


def test_a_template_filling_the_title_clears_its_message(qtbot, window, db):
    save_template(db, default_actor(db), TemplateInput(name="违规收费", title="行政执法中违规收取费用",
                                                       category="legality", facts="收取费用无依据。",
                                                       advice_text="立即停止违规收费。"))
    dialog = open_dialog(qtbot, window)
    click_center(qtbot, dialog.ok_button)  # nothing filled in
    settle(dialog)
    assert dialog.errors.showing("title") == "请填写事项标题。"
    dialog.template.setCurrentIndex(dialog.template.findText("违规收费"))
    assert dialog.title.text() == "行政执法中违规收取费用"
    assert dialog.errors.showing("title") == "" and dialog.errors_title.isHidden()

    dialog.title.clear()
    click_center(qtbot, dialog.ok_button)
    settle(dialog)
    assert dialog.errors.showing("title") == "请填写事项标题。"
    type_text(qtbot, dialog.title, "违")  # typing clears it too
    assert dialog.errors.showing("title") == ""
