"""设置 → 被监督单位 (issue 12): the administrator adds, renames and retires the office's units through the tab;
bad input is refused in Chinese under the fields; a retired unit is not offered to new matters; a clerk reads."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt

from hecun_office.services.units import list_units, own_units
from hecun_office.ui.main_window import SETTINGS

from .conftest import add_account, open_window, type_text
from .waiting import settle

GOV = "贺村镇人民政府"


def units_tab(window):
    window.show_page(SETTINGS)
    window.settings.tabs.setCurrentWidget(window.settings.units)
    return window.settings.units


def _select(section, name: str) -> None:
    row = next(n for n, u in enumerate(section.model.rows()) if u.name == name)
    section.table.selectionModel().setCurrentIndex(
        section.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)


def _set_name(qtbot, section, text: str) -> None:
    section.name_edit.clear()
    type_text(qtbot, section.name_edit, text)


def test_admin_adds_renames_retires_and_restores_units(qtbot, window, db, tmp_path: Path):
    section = units_tab(window)
    assert window.settings.tabs.tabText(window.settings.tabs.indexOf(section)) == "被监督单位"
    assert section.model.rowCount() == 10 and not section.save_button.isEnabled()

    # Bad input: an empty name, a name another unit in use has.
    section.name_edit.clear()
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    settle(section)
    assert section.name_error.text() == "请填写单位名称。" and section.model.rowCount() == 10
    _set_name(qtbot, section, GOV)
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    settle(section)
    assert "本所已有在用的单位“贺村镇人民政府”" in section.name_error.text()

    # 新增
    _set_name(qtbot, section, "江山市应急管理局贺村应急管理站")
    section.kind_combo.setCurrentIndex(section.kind_combo.findText("县级部门派驻机构"))
    with qtbot.waitSignal(section.message) as message:
        qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert message.args == ["已新增被监督单位“江山市应急管理局贺村应急管理站”"]
    assert section.name_error.isHidden()
    assert section.model.rowCount() == 11 and section.selected().name == "江山市应急管理局贺村应急管理站"

    # 改名: selecting a unit fills the fields; a duplicate is refused, a new name saved.
    _select(section, "贺村镇综合行政执法队")
    assert section.name_edit.text() == "贺村镇综合行政执法队" and section.kind_combo.currentText() == "乡镇内设机构"
    _set_name(qtbot, section, "贺村镇社会事务管理办公室")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    settle(section)
    assert "已有在用的单位" in section.name_error.text()
    _set_name(qtbot, section, "贺村镇综合行政执法中队")
    with qtbot.waitSignal(section.message) as message:
        qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    assert message.args == ["已将“贺村镇综合行政执法队”改名为“贺村镇综合行政执法中队”"]
    assert "贺村镇综合行政执法中队" in [u.name for u in list_units(db)]

    # 停用, then 恢复
    _select(section, GOV)
    assert section.toggle_button.text() == "停用"
    with qtbot.waitSignal(section.message) as message:
        qtbot.mouseClick(section.toggle_button, Qt.MouseButton.LeftButton)
    assert message.args == ["已停用“贺村镇人民政府”，新登记的事项不再可选"]
    assert GOV not in [u.name for u in list_units(db)]
    assert section.selected().name == GOV and section.toggle_button.text() == "恢复"
    register = window.open_register_dialog()
    offered = [register.unit_model.index(r, 0).data() for r in range(register.unit_model.rowCount())]
    assert GOV not in offered and "贺村镇综合行政执法中队" in offered  # not offered to a new matter
    register.reject()
    window.resize(1280, 760)
    section = units_tab(window)
    _select(section, "贺村镇农业综合服务中心")  # the retired unit, unselected, shows in grey at the end
    qtbot.wait(50)
    shot = window.grab()
    assert shot.save(str(Path(os.environ.get("HECUN_SHOTS", tmp_path)) / "settings_units.png"))
    _select(section, GOV)
    with qtbot.waitSignal(section.message) as message:
        qtbot.mouseClick(section.toggle_button, Qt.MouseButton.LeftButton)
    assert message.args == ["已恢复“贺村镇人民政府”，登记事项时可以再选"]
    assert [u.active for u in own_units(db)].count(False) == 0


def test_a_clerk_sees_the_units_but_cannot_change_them(qtbot, db):
    clerk = add_account(db, "li", "李明", "clerk")
    window = open_window(qtbot, db, clerk)
    section = units_tab(window)
    section.refresh()
    assert section.model.rowCount() == 10
    assert not any(w.isEnabled() for w in section.manage_widgets)
    assert "只有管理员可以使用此功能" in section.note.text()


def test_the_bureau_has_no_units_tab(qtbot, bureau_window):
    settings = bureau_window.settings
    assert settings.tabs.indexOf(settings.units) < 0


def test_the_first_run_setup_of_another_township_seeds_its_own_units(qtbot, fresh_db):
    """The set-up dialog prefilled with 贺村's profile, the township changed to 上余镇: its units, not 贺村镇's."""
    from functools import partial

    from hecun_office.ui.app import build_main_window
    from hecun_office.ui.startup import Startup

    from .conftest import pinned_today

    startup = Startup(fresh_db, partial(build_main_window, fresh_db, pinned_today))
    startup.start()
    dialog = startup.setup_dialog
    qtbot.addWidget(dialog)
    for field, text in ((dialog.name, "上余司法所"), (dialog.abbr, "上司"), (dialog.township, "上余镇"),
                        (dialog.code, "shangyu"), (dialog.registration_pattern, "上监登〔{year}〕{n}号")):
        field.clear()
        type_text(qtbot, field, text)
    for field, text in ((dialog.username, "wang"), (dialog.display_name, "王晓"), (dialog.password, "secret1"),
                        (dialog.password_again, "secret1")):
        type_text(qtbot, field, text)
    with qtbot.waitSignal(startup.ready, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.addWidget(startup.main_window)
    assert [u.name for u in list_units(fresh_db)] == ["上余镇人民政府", "上余镇综合行政执法队"]
    section = units_tab(startup.main_window)
    assert [u.name for u in section.model.rows()] == ["上余镇人民政府", "上余镇综合行政执法队"]
