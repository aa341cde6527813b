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
    assert tab_texts(bureau_window) == ["本局信息与工作日历", "用户管理", "字体", "数据维护"]
    page = bureau_window.settings
    assert page.profile_box.title() == "本局信息"
    assert not page.profile_form.isRowVisible(page.profile_fields["bureau_name"])
    assert page.profile_form.isRowVisible(page.profile_fields["name"])
    assert "司法局" in page.profile_fields["name"].text()


def test_the_office_settings_keep_their_own_wording(qtbot, window: MainWindow) -> None:
    window.show_page(SETTINGS)
    assert tab_texts(window) == ["本所信息与工作日历", "用户管理", "被监督单位", "高频事项模板", "字体", "数据维护"]
    page = window.settings
    assert page.profile_box.title() == "本所信息"
    assert page.profile_form.isRowVisible(page.profile_fields["bureau_name"])
    assert page.profile_fields["bureau_name"].text() == "江山市司法局"


def test_a_township_matter_at_the_bureau_says_who_works_it(qtbot, bureau_window: MainWindow, county) -> None:
    """Not the office's own hints ('制发建议书…后自动生成', '属于本所监督范围') on a matter the bureau only reads."""
    from hecun_office.services.matters import list_matters

    from .conftest import click_nav

    click_nav(qtbot, bureau_window, "监督事项")
    row = next(r for r in list_matters(county.bureau) if r.status_label == "登记")
    bureau_window.matters.show_matter(row.id)
    detail = bureau_window.matters.detail_page
    office = detail.detail.reported_by
    assert office.endswith("司法所")
    assert detail.no_actions.text().startswith(f"该事项由{office}办理，本局只能查看")
    assert detail.no_obligations.text() == f"无（时限由{office}随办理进度报送）"
    assert "执法协作反馈函" in detail.documents.empty.text()
    assert f"属于{office}监督范围" in detail.fields["flags"].text() and "本所" not in detail.fields["flags"].text()
    assert detail.correct_button.isHidden() and detail.attachments.add_button.isHidden()
