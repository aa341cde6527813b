"""Issue 11 item 17 in the window: 编辑本所信息 in 设置, and 设置 → 数据维护 with 立即备份, this database's backups,
从备份恢复 (the command line's checks, a confirmation naming the backup's date, then the program closes) and
检查数据库 — everything `backup`, `restore` and `check` do (SPEC C), off the GUI thread with progress (U-3)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QWidget

from hecun_office.services.backups import backup_rows
from hecun_office.services.calendar import override_day
from hecun_office.services.setup import default_actor, read_profile
from hecun_office.storage.uow import Database
from hecun_office.ui.main_window import SETTINGS, MainWindow
from hecun_office.ui.settings.profile_dialog import ProfileDialog

from .conftest import add_account, click_center, open_window, type_text, visible_child
from .waiting import settle

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"  # gitignored; look at them (STYLE.md, Tests)


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    QTest.qWait(60)
    assert widget.grab().save(str(SHOTS / f"settings_{name}.png"))


def settings_of(window: MainWindow):  # type: ignore[no-untyped-def]
    window.show_page(SETTINGS)
    return window.settings


def maintenance_of(qtbot, window: MainWindow):  # type: ignore[no-untyped-def]
    window.resize(1366, 768)  # the office PCs (U-1)
    settings = settings_of(window)
    settings.tabs.setCurrentWidget(settings.maintenance)
    return settings.maintenance


def message_box(qtbot, parent: QWidget, name: str) -> QMessageBox:
    found: list[QMessageBox] = []

    def shown() -> bool:
        found[:] = [b for b in parent.findChildren(QMessageBox) if b.isVisible() and b.objectName() == name]
        return bool(found)

    qtbot.waitUntil(shown, timeout=5000)
    return found[0]


# ---- 编辑本所信息 ---------------------------------------------------------------------------------------------

def test_the_administrator_edits_the_office_profile_with_errors_next_to_the_field(qtbot, window, db: Database):
    window.resize(1366, 768)
    settings = settings_of(window)
    shot(window, "profile_tab")
    assert settings.edit_profile_button.isEnabled() and settings.edit_profile_button.text() == "编辑本所信息…"
    qtbot.mouseClick(settings.edit_profile_button, Qt.MouseButton.LeftButton)
    dialog: ProfileDialog = visible_child(qtbot, settings, ProfileDialog)
    assert dialog.windowTitle() == "编辑本所信息"
    assert dialog.name.text() == "贺村司法所" and dialog.abbr.text() == "贺司" and dialog.code.text() == "hecun"
    assert "只影响此后签发的文书" in dialog.abbr_note.text() and "不能修改" in dialog.code_note.text()
    shot(dialog, "profile_dialog")

    dialog.name.clear()
    dialog.registration_pattern.setText("贺监登{n}号")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert dialog.isVisible() and dialog.errors.showing("name") == "请填写机构名称。"
    assert dialog.error_labels["name"].isVisible()
    shot(dialog, "profile_dialog_error")

    type_text(qtbot, dialog.name, "贺村镇司法所")
    dialog.registration_pattern.setText("贺监登〔{year}〕{n}号")
    dialog.abbr.setText("贺镇司")
    dialog.rectification_days.setValue(20)
    with qtbot.waitSignal(settings.message) as said:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        settle(dialog)
    assert not dialog.isVisible()
    assert said.args == ["已修改本所信息：机构名称、机关代字、默认整改期限"]
    profile = read_profile(db)
    assert profile is not None and (profile.name, profile.abbr, profile.rectification_days) == ("贺村镇司法所",
                                                                                                 "贺镇司", 20)
    # The change notice refreshes what the page shows.
    assert settings.profile_fields["name"].text() == "贺村镇司法所"
    assert settings.profile_fields["rectification_days"].text() == "20 天"
    # and the window's own name, without a restart
    assert window.office_name.text() == "贺村镇司法所" and window.windowTitle().startswith("贺村镇司法所")


def test_a_clerk_sees_the_profile_and_maintenance_but_cannot_edit_or_restore(qtbot, db: Database):
    window = open_window(qtbot, db, add_account(db, "li", "李明", "clerk"))
    settings = settings_of(window)
    assert not settings.edit_profile_button.isEnabled()
    assert "只有管理员" in settings.edit_profile_button.toolTip() and settings.profile_note.isVisible()
    section = maintenance_of(qtbot, window)
    assert section.backup_button.isEnabled() and section.check_button.isEnabled()
    assert not section.restore_button.isEnabled() and not section.restore_file_button.isEnabled()
    assert "只有管理员" in section.restore_note.text()
    window.close()


# ---- 数据维护 -----------------------------------------------------------------------------------------------

def test_backup_now_runs_off_the_gui_thread_and_lists_this_databases_backups(qtbot, window, db: Database):
    assert db.file is not None
    sibling = db.file.parent / "backups" / f"{db.file.stem}-2-20260101-000000-000000-daily.sqlite3"
    sibling.parent.mkdir(exist_ok=True)
    sibling.write_bytes(b"")  # another database's backup in the same folder
    (db.file.parent / f"{db.file.stem}-2.sqlite3").write_bytes(b"")
    section = maintenance_of(qtbot, window)
    assert section.backups_model.rowCount() == 0 and "还没有备份" in section.last_backup.text()
    qtbot.mouseClick(section.backup_button, Qt.MouseButton.LeftButton)
    assert section.backup_job.isVisible()  # the progress bar, while the copy runs on a worker
    qtbot.waitUntil(lambda: section.backups_model.rowCount() == 1, timeout=10000)
    assert not section.backup_job.isVisible()
    assert "手动备份" in section.last_backup.text() and section.backups_model.index(0, 1).data() == "手动备份"
    assert window.backup_label.text().startswith("最近备份：")
    assert "备份文件夹" in section.backup_folder.text()
    shot(window, "maintenance_tab")


def test_restore_refuses_another_installations_backup(qtbot, window, db: Database, tmp_path: Path):
    assert db.file is not None
    section = maintenance_of(qtbot, window)
    section.backup_now()
    qtbot.waitUntil(lambda: section.backups_model.rowCount() == 1, timeout=10000)
    other = tmp_path / "qinghu.sqlite3"
    shutil.copyfile(section.backups_model.row_at(0).path, other)
    with sqlite3.connect(other) as conn:
        conn.execute("UPDATE office_profile SET code = 'qinghu', name = '清湖司法所'")
    section.ask_restore(other)
    box = message_box(qtbot, section, "messageBox")
    assert "清湖司法所" in box.text() and "未恢复" in box.text()
    box.close()
    assert len(backup_rows(db.file)) == 1  # nothing was backed up or replaced


def test_restore_confirms_the_date_backs_up_first_and_closes_the_program(qtbot, window, db: Database):
    file = db.file
    assert file is not None
    section = maintenance_of(qtbot, window)
    section.backup_now()
    qtbot.waitUntil(lambda: section.backups_model.rowCount() == 1, timeout=10000)
    saved = section.backups_model.row_at(0)
    override_day(db, default_actor(db), date(2026, 3, 9), False, "停电")  # after the backup: undone by restore

    section.backups.selectRow(0)
    assert section.restore_button.isEnabled()
    qtbot.mouseClick(section.restore_button, Qt.MouseButton.LeftButton)
    confirm = message_box(qtbot, section, "restoreConfirm")
    t = saved.taken_at
    when = f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"
    assert when in confirm.text() and "恢复前会先自动备份当前数据" in confirm.text()
    assert "程序将关闭" in confirm.text()
    yes = confirm.button(QMessageBox.StandardButton.Yes)
    assert not yes.isEnabled() and when in confirm.checkBox().text()
    shot(confirm, "restore_confirm")
    click_center(qtbot, confirm.checkBox())
    with qtbot.waitSignal(section.restored, timeout=10000) as restored:
        click_center(qtbot, yes)
    result = restored.args[0]
    assert result.backup == saved.path and result.safety_copy is not None and result.aside is not None
    done = message_box(qtbot, section, "restoredBox")
    assert "程序现在关闭" in done.text() and when in done.text() and "恢复前自动备份" in done.text()
    shot(done, "restored_box")
    assert not section.isEnabled()
    with sqlite3.connect(file) as conn:  # the file now holds the backup's state
        assert conn.execute("SELECT count(*) FROM calendar_days WHERE source = 'override'").fetchone() == (0,)
    with sqlite3.connect(result.safety_copy) as conn:  # and the state it replaced is kept as a backup
        assert conn.execute("SELECT count(*) FROM calendar_days WHERE source = 'override'").fetchone() == (1,)
    click_center(qtbot, done.button(QMessageBox.StandardButton.Ok))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def test_check_runs_on_the_reader_pool_and_lists_the_results(qtbot, window):
    section = maintenance_of(qtbot, window)
    assert not section.checks.isVisible()
    qtbot.mouseClick(section.check_button, Qt.MouseButton.LeftButton)
    assert section.check_job.isVisible() and not section.check_button.isEnabled()
    qtbot.waitUntil(lambda: section.checks.isVisible(), timeout=20000)
    names = [r.name for r in section.checks_model.rows()]
    assert {"数据库完整性", "数据库结构版本", "审计日志链", "工作日历", "数据包密钥"} <= set(names)
    audit = names.index("审计日志链")
    assert section.checks_model.index(audit, 1).data() == "通过"
    assert "哈希链完整" in section.checks_model.index(audit, 2).data()
    assert section.check_summary.text()
    assert section.check_button.isEnabled()
    QTest.qWait(60)
    section.verticalScrollBar().setValue(section.verticalScrollBar().maximum())
    shot(window, "check_results")


def test_on_postgresql_backup_and_restore_say_what_the_command_line_says(qtbot, db: Database,
                                                                         monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(Database, "file", property(lambda _self: None))
    window = open_window(qtbot, db, default_actor(db))
    section = maintenance_of(qtbot, window)
    assert "pg_dump" in section.last_backup.text() and "pg_restore" in section.backup_note.text()
    for widget in (section.backup_button, section.restore_button, section.restore_file_button, section.backups):
        assert widget.isHidden()
    assert section.check_button.isVisible()
    window.close()


def test_the_bureau_edits_its_own_information(qtbot, bureau_window):
    settings = settings_of(bureau_window)
    assert settings.edit_profile_button.text() == "编辑本局信息…"
    dialog = settings.open_profile_dialog()
    assert dialog is not None and dialog.windowTitle() == "编辑本局信息"
    for field in ("bureau_name", "township", "rectification_days"):  # the bureau has no superior, no township
        assert not dialog.form.isRowVisible(dialog.rows[field])
    assert "本局" in dialog.code_note.text()
    shot(dialog, "bureau_profile_dialog")
    dialog.reject()
