"""Layout of 设置 → 数据维护: backups (last one, 立即备份, this database's list, restore) and 检查数据库 with its
results — what `backup`, `restore` and `check` do on the command line (SPEC C)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QFrame, QGroupBox, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ...services.backups import BackupRow
from ...services.check import CheckResult
from .. import style
from ..job_panel import JobPanel
from ..models.base import Column, RowTableModel
from ..tasks import TaskRunner
from ..translate import QT_TRANSLATE_NOOP
from ..widgets import label, set_column_widths, table_view

C = "tables"


def _tr(text: str) -> str:
    return QCoreApplication.translate(C, text)


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


class BackupTableModel(RowTableModel):
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "备份时间"), lambda r: f"{r.taken_at:%Y-%m-%d %H:%M:%S}"),
        Column(QT_TRANSLATE_NOOP(C, "类型"), lambda r: r.kind),
        Column(QT_TRANSLATE_NOOP(C, "大小"), lambda r: size_text(r.size), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "文件"), lambda r: r.path.name, tooltip=True),
    )

    def row_id(self, row: BackupRow) -> None:
        return None


class CheckTableModel(RowTableModel):
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "检查项目"), lambda r: r.name),
        Column(QT_TRANSLATE_NOOP(C, "结果"), lambda r: _tr("通过") if r.ok else _tr("有问题"), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "说明"), lambda r: r.detail, tooltip=True),
    )

    def row_id(self, row: CheckResult) -> None:
        return None

    def decorate(self, row: CheckResult, column: int, role: int) -> Any:
        if row.ok or column != 1:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(style.OVERDUE_TEXT))
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(style.OVERDUE_BACKGROUND))
        return None


class MaintenanceView(QScrollArea):
    def __init__(self, tasks: TaskRunner) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        self.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 10, 8, 0)
        layout.setSpacing(12)

        box = QGroupBox(self.tr("备份与恢复"))
        backup = QVBoxLayout(box)
        backup.setContentsMargins(16, 12, 16, 12)
        self.last_backup = label("", wrap=True)
        self.last_backup.setObjectName("lastBackup")
        backup.addWidget(self.last_backup)
        self.backup_note = label("", "muted", wrap=True)
        backup.addWidget(self.backup_note)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("立即备份"))
        self.backup_button.setObjectName("backupNow")
        self.restore_button = QPushButton(self.tr("从所选备份恢复…"))
        self.restore_button.setObjectName("restoreBackup")
        self.restore_file_button = QPushButton(self.tr("从其他备份文件恢复…"))
        self.restore_file_button.setObjectName("restoreFile")
        for button in (self.backup_button, self.restore_button, self.restore_file_button):
            buttons.addWidget(button)
        self.restore_note = label("", "muted")  # who may restore, when this user may not
        self.restore_note.hide()
        buttons.addWidget(self.restore_note)
        buttons.addStretch(1)
        backup.addLayout(buttons)
        self.backup_job = JobPanel(tasks)
        backup.addWidget(self.backup_job)
        self.backups_model = BackupTableModel(self)
        self.backups = table_view(self.backups_model, stretch_column=3)
        self.backups.setObjectName("backupList")
        set_column_widths(self.backups, {0: 150, 1: 150, 2: 80})
        self.backups.setMinimumHeight(180)
        backup.addWidget(self.backups)
        self.backup_folder = label("", "muted", wrap=True)
        self.backup_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        backup.addWidget(self.backup_folder)
        layout.addWidget(box)

        check_box = QGroupBox(self.tr("检查数据库"))
        check = QVBoxLayout(check_box)
        check.setContentsMargins(16, 12, 16, 12)
        check.addWidget(label(self.tr("检查数据库完整性、结构版本、审计日志链、工作日历、数据包密钥、公文字体和文书格式"
                                      "（与命令 hecun-office check 相同）。检查只读取，不改动数据。"), "muted", wrap=True))
        row = QHBoxLayout()
        self.check_button = QPushButton(self.tr("检查数据库"))
        self.check_button.setObjectName("checkDatabase")
        row.addWidget(self.check_button)
        self.check_summary = label("")
        self.check_summary.setObjectName("checkSummary")
        row.addWidget(self.check_summary)
        row.addStretch(1)
        check.addLayout(row)
        self.check_job = JobPanel(tasks)
        check.addWidget(self.check_job)
        self.checks_model = CheckTableModel(self)
        self.checks = table_view(self.checks_model, stretch_column=2)
        self.checks.setObjectName("checkResults")
        self.checks.setWordWrap(True)
        set_column_widths(self.checks, {0: 130, 1: 80})
        self.checks.hide()
        check.addWidget(self.checks)
        layout.addWidget(check_box)
        layout.addStretch(1)
