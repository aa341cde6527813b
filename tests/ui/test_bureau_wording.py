"""Issue 11 item 14: at the bureau, 设置 speaks of the bureau — not 本所信息 with itself as its own 上级司法局, and
no 高频事项模板 (the townships' tool for registering matters)."""

from __future__ import annotations

import pytest

from hecun_office.ui.main_window import SETTINGS, MainWindow

pytestmark = pytest.mark.gui


def tab_texts(win: MainWindow) -> list[str]:
    tabs = win.settings.tabs
    return [tabs.tabText(n) for n in range(tabs.count())]


def test_the_bureau_settings_speak_of_the_bureau(qtbot, bureau_window: MainWindow) -> None:
    bureau_window.show_page(SETTINGS)
    assert tab_texts(bureau_window) == ["本局信息与工作日历", "用户管理", "数据维护"]
    page = bureau_window.settings
    assert page.profile_box.title() == "本局信息"
    assert not page.profile_form.isRowVisible(page.profile_fields["bureau_name"])
    assert page.profile_form.isRowVisible(page.profile_fields["name"])
    assert "司法局" in page.profile_fields["name"].text()


def test_the_office_settings_keep_their_own_wording(qtbot, window: MainWindow) -> None:
    window.show_page(SETTINGS)
    assert tab_texts(window) == ["本所信息与工作日历", "用户管理", "高频事项模板", "数据维护"]
    page = window.settings
    assert page.profile_box.title() == "本所信息"
    assert page.profile_form.isRowVisible(page.profile_fields["bureau_name"])
    assert page.profile_fields["bureau_name"].text() == "江山市司法局"
