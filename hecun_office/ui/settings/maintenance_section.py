"""Behaviour of 设置 → 数据维护 (issue 11 item 17, SPEC C and U-3): 立即备份 with progress and 取消, this database's
backups, 从备份恢复 with the command line's checks, 检查数据库 on the reader pool.

Restore replaces the database file under the open program. The window's engine is closed first (on the database
worker, so no write runs meanwhile), the state replaced is backed up, and then the program closes: the restored
file may be of an older schema, and only opening it again — integrity check and migrations, as at every start —
makes it safe to use. Re-running just the login here would skip exactly that. The instance lock stays held until
the program ends, so no second copy opens the file in between.
On PostgreSQL (county mode) the server keeps the data: the section says what the command line says (pg_dump,
pg_restore) and only the check runs.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ...domain.permissions import Permission
from ...services.backups import (
    PG_BACKUP,
    PG_RESTORE,
    BackupRow,
    Restored,
    backup_rows,
    backup_steps,
    restore_steps,
    vet_backup,
)
from ...services.check import CheckResult, run_checks
from ...services.database import Database
from ..context import UiContext
from ..errors import confirm_action, message_for, show_error
from ..progress import Cancelled
from ..roles import gate, refusal
from .maintenance_view import MaintenanceView


def when_text(row: BackupRow | None) -> str:
    if row is None:
        return ""
    t = row.taken_at
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"


def check_steps(db: Database, today: date) -> Generator[tuple[int, int], None, list[CheckResult]]:
    """run_checks as one step: the bar runs while it reads, and fills when the results are in."""
    yield 0, 1
    results = run_checks(db, today)
    yield 1, 1
    return results


class MaintenanceSection(MaintenanceView):
    message = Signal(str)
    restored = Signal(object)  # Restored: the program is about to close

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx.tasks)
        self._ctx = ctx
        self._file = ctx.db.file
        self._closing_box: QMessageBox | None = None
        self._restoring: BackupRow | None = None
        self.can_restore = gate(ctx.actor.role, Permission.SETTINGS_MANAGE, self.restore_button,
                                self.restore_file_button)
        if not self.can_restore:
            self.restore_note.setText(refusal(ctx.actor.role, Permission.SETTINGS_MANAGE))
            self.restore_note.show()
        if self._file is None:
            for widget in (self.backup_button, self.restore_button, self.restore_file_button, self.backups,
                           self.restore_note):
                widget.hide()
            self.last_backup.setText(PG_BACKUP)
            self.backup_note.setText(PG_RESTORE)
        else:
            self.backup_note.setText(self.tr(
                "程序每天自动备份一次，导入工单、导入数据包和升级之前也会自动备份；较旧的备份会逐步精简。"
                "恢复前会先备份当前数据，所以恢复之后也能回到恢复之前。"))
            self.backup_folder.setText(self.tr("备份文件夹：{folder}").format(folder=self._file.parent / "backups"))
        self._connect_signals()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.choose_backup_file)
        self.check_button.clicked.connect(self.check_database)
        self.backups.selectionModel().selectionChanged.connect(self._update_buttons)
        self.backups_model.modelReset.connect(self._update_buttons)
        self.backup_job.finished.connect(self._update_buttons)
        self.check_job.finished.connect(self._update_buttons)

    def refresh(self) -> None:
        if self._file is None:
            return
        try:
            rows = backup_rows(self._file)  # a folder listing: quick, and nothing of the database is read
        except OSError as exc:
            show_error(self, exc)
            return
        self.backups_model.set_rows(rows)
        if rows:
            newest = rows[0]
            self.last_backup.setText(self.tr("最近备份：{time}（{kind}）。本数据库共有 {n} 份备份。").format(
                time=f"{newest.taken_at:%Y-%m-%d %H:%M}", kind=newest.kind, n=len(rows)))
        else:
            self.last_backup.setText(self.tr("本数据库还没有备份。请点击“立即备份”。"))

    def selected(self) -> BackupRow | None:
        rows = self.backups.selectionModel().selectedRows()
        return self.backups_model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        busy = self.backup_job.busy or self.check_job.busy
        self.backup_button.setEnabled(not busy)
        self.check_button.setEnabled(not busy)
        if self.can_restore:
            self.restore_button.setEnabled(not busy and self.selected() is not None)
            self.restore_button.setToolTip("" if self.selected() is not None else self.tr("请先在列表中选择一份备份。"))
            self.restore_file_button.setEnabled(not busy)

    # --- backup -------------------------------------------------------------------------------------
    def backup_now(self) -> bool:
        # A read of the database, like the daily backup: it never waits behind an import on the write worker.
        started = self.backup_job.start(partial(backup_steps, self._ctx.db), self.tr("正在备份…"),
                                        self._backed_up, self._backup_failed, writes=False)
        self._update_buttons()
        return started

    def _backed_up(self, result: object) -> None:
        if isinstance(result, Cancelled):
            self.message.emit(self.tr("已取消备份，没有留下不完整的备份文件"))
            return
        assert isinstance(result, Path)
        self.refresh()
        self.message.emit(self.tr("已备份到 {path}").format(path=result))
        # The status bar's 最近备份 (the main window's): a backup writes nothing, so no change notice says so.
        refresh_status = getattr(self.window(), "refresh_status", None)
        if callable(refresh_status):
            refresh_status()

    def _backup_failed(self, exc: BaseException) -> None:
        show_error(self, exc, self.tr("备份失败"))

    # --- restore ------------------------------------------------------------------------------------
    def restore_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.ask_restore(row.path)

    def choose_backup_file(self) -> QFileDialog:
        assert self._file is not None
        dialog = QFileDialog(self, self.tr("选择备份文件"), str(self._file.parent / "backups"),
                             self.tr("数据库备份 (*.sqlite3);;所有文件 (*)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self._file_chosen)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _file_chosen(self, path: str) -> None:
        if path:
            self.ask_restore(Path(path))

    def ask_restore(self, backup: Path) -> None:
        """Check the backup as restore will (it reads the file: off the GUI thread), then ask, naming its date."""
        assert self._file is not None
        self._ctx.tasks.read(partial(vet_backup, backup, self._file), self._confirm_restore, self._restore_failed)

    def _confirm_restore(self, row: object) -> None:
        assert isinstance(row, BackupRow)
        when = when_text(row)
        kind = f"（{row.kind}）" if row.kind else ""
        text = self.tr(
            "将把数据库恢复到 {when} 的备份{kind}：\n{name}\n\n"
            "这份备份之后录入、签发、导入的一切都将不在数据库中。恢复前会先自动备份当前数据（列在备份列表中），"
            "原数据库文件也会改名保留。\n\n恢复完成后程序将关闭，请重新打开。").format(when=when, kind=kind,
                                                                 name=row.path.name)
        confirm_action(self, self.tr("从备份恢复"), text, self.tr("恢复"), partial(self.start_restore, row),
                       object_name="restoreConfirm",
                       must_tick=self.tr("我确认恢复到 {when} 的数据").format(when=when))

    def start_restore(self, backup: BackupRow) -> bool:
        assert self._file is not None
        self._restoring = backup
        steps = partial(restore_steps, self._file, backup.path, actor=self._ctx.actor, close=self._ctx.db.dispose)
        # On the database worker: every write queued before it commits first, and none runs while files move.
        started = self.backup_job.start(steps, self.tr("正在恢复…"), self._restored, self._restore_failed,
                                        writes=True, cancellable=False)
        self._update_buttons()
        return started

    def _restore_failed(self, exc: object) -> None:
        if isinstance(exc, BaseException):
            show_error(self, exc, self.tr("未恢复"))

    def _restored(self, result: object) -> None:
        assert isinstance(result, Restored)
        self._ctx.db.dispose()  # a connection a reader opened meanwhile still sees the replaced file
        self.setEnabled(False)
        lines = [self.tr("数据库已恢复到 {when} 的备份。").format(when=when_text(self._restoring))]
        if result.safety_copy is not None:
            lines.append(self.tr("恢复前的数据已另存为一份备份（“恢复前自动备份”，在备份列表中）。"))
        elif result.safety_problem:
            lines.append(self.tr("恢复前未能备份当前数据（{reason}）。").format(reason=result.safety_problem))
        if result.aside is not None:
            lines.append(self.tr("原数据库文件保留为 {name}。").format(name=result.aside.name))
        if result.missing_files:
            lines.append(self.tr("注意：恢复的数据引用的 {n} 个文件（文书 PDF 或附件）在备份和本机都找不到，"
                                 "请在“数据维护”中运行检查。").format(n=result.missing_files))
        lines.append("")
        lines.append(self.tr("程序现在关闭。请重新打开程序：打开时会检查恢复的数据库，需要时自动升级。"))
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("恢复完成"), "\n".join(lines),
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("restoredBox")
        box.button(QMessageBox.StandardButton.Ok).setText(self.tr("关闭程序"))
        box.finished.connect(self._close_program)
        self._closing_box = box
        box.open()
        self.restored.emit(result)
        self.message.emit(lines[0])

    def _close_program(self) -> None:
        # Closing the main window ends the program (app.py), and run_gui's exit closes the engine and releases the
        # lock. quit() as well: should the idle lock's 切换用户 have closed this box, a login must not open on the
        # restored file before the next start has checked and migrated it. (No-op outside app.exec, as in tests.)
        self.window().close()
        QCoreApplication.quit()

    # --- check --------------------------------------------------------------------------------------
    def check_database(self) -> bool:
        started = self.check_job.start(partial(check_steps, self._ctx.db, self._ctx.today()),
                                       self.tr("正在检查…"), self._checked, self._check_failed, writes=False,
                                       cancellable=False)
        self._update_buttons()
        return started

    def _checked(self, results: object) -> None:
        assert isinstance(results, list)
        self.checks_model.set_rows(results)
        self.checks.show()
        self.checks.resizeRowsToContents()
        # The whole list at once, without a scroll bar inside the tab's own scrolling.
        view = self.checks
        height = view.horizontalHeader().height() + sum(view.rowHeight(n) for n in range(len(results)))
        view.setFixedHeight(height + 2 * view.frameWidth() + 2)
        self.ensureWidgetVisible(view)
        problems = [r for r in results if not r.ok]
        if problems:
            self.check_summary.setText(self.tr("{n} 项中 {bad} 项有问题：{first}").format(
                n=len(results), bad=len(problems), first="、".join(r.name for r in problems)))
            self.check_summary.setObjectName("fieldError")
        else:
            self.check_summary.setText(self.tr("全部 {n} 项检查通过").format(n=len(results)))
            self.check_summary.setObjectName("")
        self.check_summary.style().unpolish(self.check_summary)
        self.check_summary.style().polish(self.check_summary)

    def _check_failed(self, exc: BaseException) -> None:
        self.check_summary.setText(message_for(exc))
        show_error(self, exc, self.tr("检查未完成"))
