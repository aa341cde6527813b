"""Layout of the holiday-arrangement import (T-4): paste, parse, look at the changes, confirm."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..models.calendar_tables import DayChangeTableModel
from ..widgets import label, set_column_widths, table_view


class ImportView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入节假日安排"))
        self.resize(820, 700)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.setSpacing(8)
        layout.addWidget(label(self.tr("导入国务院节假日安排"), "sectionTitle"))
        layout.addWidget(label(self.tr(
            "请把国务院办公厅《关于××××年部分节假日安排的通知》的全文粘贴到下面（也可以从文本文件载入）。"
            "程序会读出放假和调休上班的日期，列出与现有日历不同的日子，确认后才会导入。"), "muted", wrap=True))
        self.text = QPlainTextEdit()
        self.text.setObjectName("noticeText")
        self.text.setPlaceholderText(self.tr("在此粘贴通知全文……"))
        self.text.setMinimumHeight(170)
        layout.addWidget(self.text, 2)
        row = QHBoxLayout()
        self.load_button = QPushButton(self.tr("从文件载入…"))
        self.parse_button = QPushButton(self.tr("解析"))
        row.addWidget(self.load_button)
        row.addWidget(self.parse_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.error = label("", "generalError", wrap=True)
        self.error.setObjectName("parseError")
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        layout.addWidget(self.error)
        self.summary = label("", wrap=True)
        layout.addWidget(self.summary)
        self.model = DayChangeTableModel(self)
        self.changes = table_view(self.model, stretch_column=2)
        self.changes.setObjectName("dayChanges")
        set_column_widths(self.changes, {0: 180, 1: 260})
        layout.addWidget(self.changes, 3)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the import is one transaction, there are no steps to count
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.confirm_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.confirm_button.setText(self.tr("确认导入"))
        self.confirm_button.setObjectName("confirmImport")
        self.confirm_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)
