"""Issue 11 item 6: a typed date is taken as typed or refused with a message next to the field — never fixed up to
another day (2026-02-30 became 2026-02-03) or clamped to the latest allowed (2026-12-02 became 2026-01-02)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMenu

from hecun_office.services.matters import list_matters
from hecun_office.ui.widgets import date_edit, parse_typed_date

from .conftest import click_center, type_text
from .test_register_dialog import check_unit, open_dialog
from .waiting import settle

SHOTS = Path(os.environ.get("HECUN_SHOTS", "/tmp/hecun-shots"))


def retype(qtbot, edit, text: str, finish: Qt.Key = Qt.Key.Key_Tab) -> None:
    # Typing needs the focus, which a dialog only passes on once it is the active window (on a busy machine the
    # dialog may not be active yet when the test starts typing, and Tab then finishes no editing).
    edit.window().activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=5000)
    edit.selectAll()
    type_text(qtbot, edit, text)
    qtbot.keyClick(edit, finish)  # editing finished


def test_typed_dates_are_read_as_typed_or_refused_with_the_reason(qtbot):
    assert parse_typed_date("2026-3-5") == parse_typed_date("2026/03/05") == date(2026, 3, 5)
    assert parse_typed_date("2026年3月5日") == parse_typed_date("20260305") == date(2026, 3, 5)
    assert parse_typed_date("2026-02-30") == "2026-02-30 不是有效日期，请核对年月日"
    assert "不是日期" in str(parse_typed_date("下周一"))
    assert parse_typed_date("  ") is None

    edit = date_edit()
    qtbot.addWidget(edit)
    edit.setDate(QDate(2026, 2, 3))
    edit.setMaximumDate(QDate(2026, 3, 23), "今天")
    edit.show()
    found: list[str] = []
    edit.problem_found.connect(found.append)
    retype(qtbot, edit, "2026-02-30", Qt.Key.Key_Return)
    assert edit.text() == "2026-02-30" and found == ["2026-02-30 不是有效日期，请核对年月日"]
    assert edit.date() == QDate(2026, 2, 3)  # the last valid date stands; the form refuses to submit meanwhile
    retype(qtbot, edit, "2026-12-02", Qt.Key.Key_Return)
    assert edit.text() == "2026-12-02" and edit.date() == QDate(2026, 12, 2)
    assert edit.problem() == found[-1] == "2026-12-02 不能晚于今天（2026-03-23）"
    retype(qtbot, edit, "2026-3-5", Qt.Key.Key_Return)
    assert edit.problem() == "" and edit.text() == "2026-03-05" and edit.date() == QDate(2026, 3, 5)


def test_the_calendar_offers_only_allowed_days_and_picks_one(qtbot):
    edit = date_edit()
    qtbot.addWidget(edit)
    edit.setDate(QDate(2026, 3, 10))
    edit.setMaximumDate(QDate(2026, 3, 23), "今天")
    edit.show()
    menu = edit.show_calendar()
    assert isinstance(menu, QMenu)
    calendar = menu.findChild(type(menu.actions()[0].defaultWidget()), "dateCalendar")
    assert calendar.maximumDate() == QDate(2026, 3, 23) and calendar.selectedDate() == QDate(2026, 3, 10)
    calendar.clicked.emit(QDate(2026, 3, 2))
    assert edit.text() == "2026-03-02" and edit.date() == QDate(2026, 3, 2)
    edit.setReadOnly(True)  # a read-only date offers no calendar either
    assert not edit.actions()[0].isVisible()


def test_register_refuses_an_impossible_or_future_received_date_and_keeps_it_as_typed(qtbot, window, db):
    dialog = open_dialog(qtbot, window)
    type_text(qtbot, dialog.title, "未告知陈述申辩权")
    check_unit(dialog.unit_model, "贺村镇人民政府")
    type_text(qtbot, dialog.facts, "未告知陈述申辩权。")
    for typed, message in (("2026-02-30", "2026-02-30 不是有效日期"),
                           ("2026-12-02", "不能晚于今天")):
        retype(qtbot, dialog.received_on, typed)
        assert message in dialog.errors.showing("received_on")  # shown next to the field on leaving it
        click_center(qtbot, dialog.ok_button)
        settle(dialog)
        assert dialog.isVisible() and message in dialog.errors.showing("received_on")
        assert dialog.received_on.text() == typed
        assert list_matters(db) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "register-future-date.png"))
    retype(qtbot, dialog.received_on, "2026-02-27")
    assert dialog.errors.showing("received_on") == ""
    click_center(qtbot, dialog.ok_button)
    dialog._ctx.tasks.wait()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    [row] = list_matters(db)
    assert row.received_on == date(2026, 2, 27)
