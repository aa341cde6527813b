"""T-1, T-4 in the settings page: import a pasted notice in the background, correct one day by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from hecun_office.services.ui_queries import calendar_coverage, day_entry
from hecun_office.ui.main_window import SETTINGS
from hecun_office.ui.settings.import_dialog import ImportDialog
from hecun_office.ui.settings.override_dialog import OverrideDialog

from .conftest import type_text, visible_child
from .waiting import settle

NOTICES = Path(__file__).resolve().parents[1] / "workdays" / "data"


def test_import_notice_previews_then_imports(qtbot, window, db):
    window.show_page(SETTINGS)
    settings = window.settings
    assert "2027年的节假日安排尚未导入" in settings.calendar_summary.text()
    qtbot.mouseClick(settings.import_button, Qt.MouseButton.LeftButton)
    dialog: ImportDialog = visible_child(qtbot, settings, ImportDialog)

    type_text(qtbot, dialog.text, "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：随便写写")
    qtbot.mouseClick(dialog.parse_button, Qt.MouseButton.LeftButton)
    assert not dialog.error.isHidden() and dialog.error.text()
    assert not dialog.confirm_button.isEnabled()

    dialog.text.setPlainText((NOTICES / "notice_2027_madeup.txt").read_text(encoding="utf-8"))
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled())  # parsed after a short pause
    assert dialog.error.isHidden()
    assert dialog.arrangement is not None and dialog.arrangement.year == 2027
    days = {r.day: r for r in dialog.model.rows()}
    assert days[date(2027, 1, 31)].after.is_workday  # a Sunday made a working day
    assert dialog.model.index(0, 0).data(Qt.ItemDataRole.DisplayRole).startswith("2027-")

    with qtbot.waitSignal(dialog.imported, timeout=10_000) as signal:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert signal.args == [2027]
    assert 2027 in {c.year for c in calendar_coverage(db)}
    assert day_entry(db, date(2027, 1, 31)).is_workday
    assert settings.coverage_model.row_at(0).year == 2027
    assert "2027年的节假日安排尚未导入" not in settings.calendar_summary.text()


def test_import_notice_loads_a_gbk_file_in_the_background_and_refuses_a_picture(qtbot, window, tmp_path,
                                                                                monkeypatch):
    window.show_page(SETTINGS)
    qtbot.mouseClick(window.settings.import_button, Qt.MouseButton.LeftButton)
    dialog: ImportDialog = visible_child(qtbot, window.settings, ImportDialog)
    picture = tmp_path / "通知.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
    chosen = [str(picture)]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (chosen[0], ""))

    qtbot.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)
    box = visible_child(qtbot, dialog, QMessageBox)
    assert "“通知.png”不是文本文件" in box.text() and "另存为纯文本文件" in box.text()
    box.close()
    assert dialog.load_button.isEnabled() and not dialog.text.toPlainText()

    notice = tmp_path / "通知（WPS）.txt"
    notice.write_bytes((NOTICES / "notice_2027_madeup.txt").read_text(encoding="utf-8").encode("gbk"))
    chosen[0] = str(notice)
    qtbot.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.confirm_button.isEnabled)
    assert "国务院办公厅关于2027年部分节假日安排的通知" in dialog.text.toPlainText()
    assert dialog.load_button.isEnabled()
    assert dialog.arrangement is not None and dialog.arrangement.year == 2027


def test_override_needs_a_reason(qtbot, window, db):
    window.show_page(SETTINGS)
    qtbot.mouseClick(window.settings.override_button, Qt.MouseButton.LeftButton)
    dialog: OverrideDialog = visible_child(qtbot, window.settings, OverrideDialog)
    dialog.day.setDate(QDate(2026, 3, 27))  # a Friday
    assert "目前为工作日" in dialog.current.text()
    assert dialog.rest_day.isChecked()
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    settle(dialog)
    assert dialog.isVisible() and "原因" in dialog.errors.showing("reason")
    type_text(qtbot, dialog.reason, "镇政府通知：3月27日停电停工")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    dialog._ctx.tasks.wait()  # the write runs on the database worker
    qtbot.waitUntil(lambda: not dialog.isVisible())
    entry = day_entry(db, date(2026, 3, 27))
    assert not entry.is_workday and entry.source == "override"
    assert [r.year for r in window.settings.coverage_model.rows() if r.overrides == 1] == [2026]
