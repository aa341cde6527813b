"""M-4 in the GUI: the template library in 设置 → 高频事项模板, and registering a frequent matter from a template."""

from __future__ import annotations

from PySide6.QtCore import Qt

from hecun_office.domain.vocab import Track
from hecun_office.services.matters import list_matters
from hecun_office.services.templates import list_templates
from hecun_office.storage.models import Matter
from hecun_office.ui.main_window import SETTINGS
from hecun_office.ui.matters.register_dialog import RegisterDialog
from hecun_office.ui.settings.template_dialog import TemplateDialog

from .conftest import add_account, open_window, type_text, visible_child
from .waiting import settle

NAME = "占道经营处罚未告知陈述申辩权"


def templates_tab(window):
    window.show_page(SETTINGS)
    window.settings.tabs.setCurrentWidget(window.settings.templates)
    return window.settings.templates


def open_register_with_ctrl_n(qtbot, window) -> RegisterDialog:
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # from the dashboard
    return visible_child(qtbot, window.matters.list_page, RegisterDialog)


def test_register_from_a_template(qtbot, window, db):
    dialog = open_register_with_ctrl_n(qtbot, window)
    combo = dialog.template
    assert combo.itemText(0) == "（不使用模板）" and combo.currentData() is None
    assert NAME in [combo.itemText(n) for n in range(combo.count())]
    assert dialog.track_general.isChecked()

    combo.setFocus()
    combo.setCurrentIndex(combo.findText(NAME))
    assert dialog.title.text() == "占道经营行政处罚未告知当事人陈述、申辩权利"
    assert dialog.category.currentText() == "具体行政行为的合法性"
    assert dialog.method.currentText() == "案卷评查"
    assert dialog.facts.toPlainText().startswith("经查，该单位对当事人占道经营行为")
    assert dialog.legal_basis.toPlainText() == "《中华人民共和国行政处罚法》第四十四条、第四十五条"
    assert dialog.track_frequent.isChecked()

    type_text(qtbot, dialog.facts, "（2026年3月贺村大道）")
    model = dialog.unit_model
    model.set_checked(model.data(model.index(model.row_of_name("贺村镇综合行政执法队")), Qt.ItemDataRole.UserRole))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    dialog._ctx.tasks.wait()  # the write runs on the database worker
    qtbot.waitUntil(lambda: not dialog.isVisible())
    [row] = list_matters(db)
    template = next(t for t in list_templates(db) if t.name == NAME)
    with db.uow() as session:
        matter = session.get(Matter, row.id)
        assert (matter.track, matter.template_id) == (Track.FREQUENT.value, template.id)
        assert matter.facts.endswith("（2026年3月贺村大道）")


def test_going_back_to_general_drops_the_template(qtbot, window, db):
    dialog = open_register_with_ctrl_n(qtbot, window)
    dialog.template.setCurrentIndex(dialog.template.findText(NAME))
    qtbot.mouseClick(dialog.track_general, Qt.MouseButton.LeftButton)
    assert dialog.template.currentData() is None
    assert dialog.title.text() == "占道经营行政处罚未告知当事人陈述、申辩权利"  # what was filled in stays
    assert dialog.matter_input().template_id is None and dialog.matter_input().track == Track.GENERAL.value
    dialog.reject()


def test_admin_adds_edits_and_retires_a_template(qtbot, window, db):
    section = templates_tab(window)
    assert section.add_button.isEnabled() and not section.edit_button.isEnabled()
    shipped = section.model.rowCount()
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    dialog: TemplateDialog = visible_child(qtbot, section, TemplateDialog)
    assert dialog.windowTitle() == "新增高频事项模板" and dialog.rectification_days.value() == 15
    type_text(qtbot, dialog.name, "暂扣物品未开具清单")
    type_text(qtbot, dialog.title, "实施行政强制措施暂扣物品未当场开具清单")
    dialog.category.setCurrentIndex(dialog.category.findText("具体行政行为的合法性"))
    dialog.method.setCurrentIndex(dialog.method.findText("工作情况检查"))
    type_text(qtbot, dialog.legal_basis, "《中华人民共和国行政强制法》第二十四条")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert dialog.isVisible() and "标准建议内容" in dialog.errors.showing("advice_text")
    type_text(qtbot, dialog.advice_text, "依法当场交付查封、扣押决定书和清单。")
    dialog.rectification_days.setValue(10)
    with qtbot.waitSignal(section.message) as message:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert message.args == ["已保存模板“暂扣物品未开具清单”"]
    assert section.model.rowCount() == shipped + 1
    assert section.selected().name == "暂扣物品未开具清单"
    row = section.model.find(section.selected().id)
    assert [section.model.index(row, c).data() for c in (3, 4)] == ["10 日", "使用中"]

    qtbot.mouseClick(section.edit_button, Qt.MouseButton.LeftButton)
    edit: TemplateDialog = visible_child(qtbot, section, TemplateDialog)
    assert edit.windowTitle() == "编辑高频事项模板" and edit.method.currentText() == "工作情况检查"
    edit.rectification_days.setValue(20)
    with qtbot.waitSignal(section.message):
        qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    assert next(t for t in list_templates(db) if t.name == "暂扣物品未开具清单").rectification_days == 20

    qtbot.mouseClick(section.active_button, Qt.MouseButton.LeftButton)  # 停用
    settle(section)
    assert section.model.rowCount() == shipped
    assert "暂扣物品未开具清单" not in {t.name for t in list_templates(db)}
    section.show_retired.setChecked(True)
    assert section.model.rowCount() == shipped + 1
    register = window.open_register_dialog()
    assert register.template.findText("暂扣物品未开具清单") < 0  # retired: not offered any more
    register.reject()


def test_clerk_reads_templates_but_cannot_change_them(qtbot, db):
    clerk = add_account(db, "li", "李明", "clerk")
    window = open_window(qtbot, db, clerk)
    section = templates_tab(window)
    section.refresh()
    assert not section.add_button.isEnabled() and not section.edit_button.isEnabled()
    assert "只有签发人和管理员" in section.note.text()
    index = section.model.index(0, 1)
    section.table.setFocus()
    section.table.setCurrentIndex(index)
    qtbot.keyClick(section.table, Qt.Key.Key_Return)  # opens it, read-only
    dialog: TemplateDialog = visible_child(qtbot, section, TemplateDialog)
    assert dialog.windowTitle() == "查看高频事项模板"
    assert dialog.ok_button.isHidden() and dialog.advice_text.isReadOnly() and dialog.name.isReadOnly()
    dialog.reject()
