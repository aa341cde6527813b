"""The 监督事项 filter bar through the real window (M-6): typing waits for a pause, boxes apply at once,
saved filters come back, and the list shows complainants masked (M-7)."""

from __future__ import annotations

import time
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from hecun_office.services.matters import (
    MatterInput,
    TransitionInput,
    list_units,
    register_matter,
    transition_matter,
)
from hecun_office.services.setup import default_actor
from hecun_office.ui.matters.filter_bar import SEARCH_DELAY_MS
from hecun_office.ui.models.matter_table import COL_COMPLAINANT

from .conftest import TODAY, click_center, click_nav, type_text, visible_child
from .waiting import settle

MATTERS = [
    # title, source, unit index, received, steps
    ("占道经营处罚未告知陈述申辩权", "hotline", 1, date(2026, 2, 27),
     [("start_verification", date(2026, 2, 27)), ("issue_advice", date(2026, 3, 2)),
      ("start_rectification", date(2026, 3, 4))]),
    ("占道摊点暂扣物品未开具清单", "petition", 1, date(2026, 3, 10), []),
    ("违建拆除决定送达程序存疑", "daily", 3, date(2026, 1, 6),
     [("start_verification", date(2026, 1, 6)), ("close_no_issue", date(2026, 1, 9))]),
    ("涉嫌犯罪案件未依法移送", "procuratorate", 6, date(2026, 3, 16),
     [("start_verification", date(2026, 3, 17)), ("flag_serious", date(2026, 3, 20))]),
]


def populate(db) -> None:
    actor = default_actor(db)
    units = list_units(db)
    for title, source, unit, received, steps in MATTERS:
        reg = register_matter(db, actor, MatterInput(
            received_on=received, source=source, title=title, category="legality", unit_ids=[units[unit].id],
            complainant_name="张三" if source == "hotline" else "", complainant_phone="13812345678"
            if source == "hotline" else ""), TODAY)
        for action, on in steps:
            transition_matter(db, actor, reg.id, TransitionInput(action, on, reason="理由"), TODAY)


def titles(page) -> list[str]:
    return [r.title for r in page.model.rows()]


def open_list(qtbot, window, db):
    populate(db)
    click_nav(qtbot, window, "监督事项")
    page = window.matters.list_page
    assert len(titles(page)) == 4
    return page


def test_typing_waits_for_a_pause_then_the_rows_follow(qtbot, window, db):
    page = open_list(qtbot, window, db)
    assert page.count_label.text() == "共 4 项"
    start = time.monotonic()
    type_text(qtbot, page.search, "占道")
    assert page.filters.pending() and len(titles(page)) == 4  # not yet: the clerk may still be typing
    qtbot.waitUntil(lambda: len(titles(page)) == 2, timeout=3000)
    assert time.monotonic() - start >= SEARCH_DELAY_MS / 1000 * 0.9
    assert set(titles(page)) == {"占道经营处罚未告知陈述申辩权", "占道摊点暂扣物品未开具清单"}
    assert page.count_label.text() == "共 2 项"
    hotline = titles(page).index("占道经营处罚未告知陈述申辩权")
    assert page.model.index(hotline, COL_COMPLAINANT).data() == "张* 138****5678"  # masked in the list (M-7)

    qtbot.keyClick(page.search, Qt.Key.Key_Backspace)  # "占": one character is a search too
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # Enter does not wait
    assert len(titles(page)) == 2
    type_text(qtbot, page.search, "不存在")
    qtbot.waitUntil(lambda: titles(page) == [], timeout=3000)
    assert page.count_label.text() == "共 0 项"


def test_boxes_and_checks_apply_at_once_and_clear_resets_everything(qtbot, window, db):
    page = open_list(qtbot, window, db)
    bar = page.filters
    assert not bar.clear_button.isEnabled()
    bar.status.setCurrentIndex(bar.status.findText("未办结"))
    assert len(titles(page)) == 3
    bar.unit.setCurrentIndex(bar.unit.findText(list_units(db)[1].name))
    assert set(titles(page)) == {"占道经营处罚未告知陈述申辩权", "占道摊点暂扣物品未开具清单"}
    bar.source.setCurrentIndex(bar.source.findText("群众来信来访"))
    assert titles(page) == ["占道摊点暂扣物品未开具清单"]
    click_center(qtbot, bar.clear_button)
    assert len(titles(page)) == 4 and bar.status.currentIndex() == 0 and not bar.clear_button.isEnabled()

    click_center(qtbot, bar.overdue)  # the rectification deadline passed while 整改中
    assert titles(page) == ["占道经营处罚未告知陈述申辩权"]
    click_center(qtbot, bar.overdue)
    click_center(qtbot, bar.serious)
    assert titles(page) == ["涉嫌犯罪案件未依法移送"]
    click_center(qtbot, bar.serious)

    bar.date_from.setDate(QDate(2026, 3, 1))
    assert len(titles(page)) == 4  # the dates count only when switched on
    click_center(qtbot, bar.date_enabled)
    assert bar.date_from.isEnabled()
    assert set(titles(page)) == {"占道摊点暂扣物品未开具清单", "涉嫌犯罪案件未依法移送"}
    bar.date_to.setDate(QDate(2026, 3, 15))
    assert titles(page) == ["占道摊点暂扣物品未开具清单"]
    bar.track.setCurrentIndex(bar.track.findText("高频事项"))
    assert titles(page) == [] and page.count_label.text() == "共 0 项"
    click_center(qtbot, bar.clear_button)
    assert len(titles(page)) == 4 and not bar.date_enabled.isChecked()


def test_saved_filters_come_back_and_replace_after_asking(qtbot, window, db):
    page = open_list(qtbot, window, db)
    bar = page.filters
    type_text(qtbot, page.search, "占道")
    bar.status.setCurrentIndex(bar.status.findText("未办结"))
    click_center(qtbot, bar.overdue)
    assert titles(page) == ["占道经营处罚未告知陈述申辩权"]

    dialog = page.ask_filter_name()
    assert isinstance(dialog, QInputDialog)
    dialog.setTextValue("逾期的占道")
    dialog.accept()
    settle(page)
    assert bar.saved.currentText() == "逾期的占道" and bar.delete_button.isEnabled()

    click_center(qtbot, bar.clear_button)
    assert len(titles(page)) == 4 and bar.saved.currentIndex() == 0
    index = bar.saved.findText("逾期的占道")
    bar.saved.setCurrentIndex(index)
    bar.saved.activated.emit(index)  # as when the clerk picks it from the list
    assert titles(page) == ["占道经营处罚未告知陈述申辩权"]
    assert page.search.text() == "占道" and bar.overdue.isChecked() and bar.status.currentText() == "未办结"

    bar.overdue.setChecked(False)  # changed: no longer the saved filter as it was saved
    assert bar.saved.currentIndex() == 0
    page.ask_filter_name().setTextValue("逾期的占道")
    [dialog] = [d for d in page.findChildren(QInputDialog) if d.isVisible()]
    dialog.accept()
    settle(page)
    box = visible_child(qtbot, page, QMessageBox)
    assert "已有名为“逾期的占道”的筛选" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    settle(page)
    assert bar.saved.currentText() == "逾期的占道"

    click_center(qtbot, bar.clear_button)
    bar.saved.setCurrentIndex(bar.saved.findText("逾期的占道"))
    bar.saved.activated.emit(bar.saved.currentIndex())
    assert not bar.overdue.isChecked() and len(titles(page)) == 2  # the replaced criteria
    click_center(qtbot, bar.delete_button)
    settle(page)
    assert bar.saved.findText("逾期的占道") == -1 and not bar.delete_button.isEnabled()


def test_a_large_office_queries_on_a_worker(qtbot, window, db):
    page = open_list(qtbot, window, db)
    page.loader.background_from = 0  # as with 100,000 matters
    type_text(qtbot, page.search, "占道")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.loader.running and page.count_label.text() == "正在查询…"  # the window goes on meanwhile
    qtbot.waitUntil(lambda: not page.loader.running and len(titles(page)) == 2, timeout=5000)
    assert page.count_label.text() == "共 2 项"
    page.table.selectRow(1)
    selected = page.selected_id()
    page.refresh()  # a change elsewhere: the selection survives the reload
    qtbot.waitUntil(lambda: not page.loader.running, timeout=5000)
    assert page.selected_id() == selected
