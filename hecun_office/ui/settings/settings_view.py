"""Layout of 设置: one tab for the office profile and the working-day calendar; the page adds the tabs for
users, frequent-matter templates and 数据维护."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..models.calendar_tables import CoverageTableModel
from ..translate import QT_TRANSLATE_NOOP
from ..widgets import label, set_column_widths, table_view

C = "SettingsView"
PROFILE_FIELDS = (
    ("mode", QT_TRANSLATE_NOOP(C, "使用模式")),
    ("name", QT_TRANSLATE_NOOP(C, "机构名称")),
    ("abbr", QT_TRANSLATE_NOOP(C, "机关代字")),
    ("code", QT_TRANSLATE_NOOP(C, "机构代码")),
    ("bureau_name", QT_TRANSLATE_NOOP(C, "上级司法局")),
    ("place", QT_TRANSLATE_NOOP(C, "所在地")),
    ("rectification_days", QT_TRANSLATE_NOOP(C, "默认整改期限")),
    ("database", QT_TRANSLATE_NOOP(C, "数据库")),
)

# Rows that mean nothing at the bureau: its superior bureau (it is the bureau) and the rectification period its
# townships set in their advices.
BUREAU_HIDES = ("bureau_name", "rectification_days")


class SettingsView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        page = QVBoxLayout(self)
        page.setContentsMargins(24, 18, 24, 18)
        page.setSpacing(10)
        page.addWidget(label(self.tr("设置"), "pageTitle"))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.tabs.setDocumentMode(True)
        page.addWidget(self.tabs, 1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        scroll.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 10, 8, 0)
        layout.setSpacing(12)
        self.tabs.addTab(scroll, self.tr("本所信息与工作日历"))

        self.profile_box = profile_box = QGroupBox(self.tr("本所信息"))
        self.profile_form = form = QFormLayout(profile_box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setContentsMargins(16, 12, 16, 12)
        form.setVerticalSpacing(6)
        self.profile_fields: dict[str, QLabel] = {}
        for key, text in PROFILE_FIELDS:
            value = label("", wrap=True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label(QCoreApplication.translate(C, text) + "：", "muted"), value)
            self.profile_fields[key] = value
        edit_row = QHBoxLayout()
        self.edit_profile_button = QPushButton(self.tr("编辑本所信息…"))
        self.edit_profile_button.setObjectName("editProfile")
        edit_row.addWidget(self.edit_profile_button)
        self.profile_note = label("", "muted")  # who may edit, when this user may not
        self.profile_note.hide()
        edit_row.addWidget(self.profile_note)
        edit_row.addStretch(1)
        form.addRow(edit_row)
        layout.addWidget(profile_box)

        calendar_box = QGroupBox(self.tr("工作日历"))
        cal = QVBoxLayout(calendar_box)
        cal.setContentsMargins(16, 12, 16, 12)
        self.calendar_summary = label("", wrap=True)
        cal.addWidget(self.calendar_summary)
        buttons = QHBoxLayout()
        self.import_button = QPushButton(self.tr("导入节假日安排…"))
        self.import_button.setObjectName("importArrangement")
        self.override_button = QPushButton(self.tr("调整某一天…"))
        self.override_button.setObjectName("overrideDay")
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.override_button)
        self.calendar_note = label("", "muted")  # who may change the calendar, when this user may not
        self.calendar_note.hide()
        buttons.addWidget(self.calendar_note)
        buttons.addStretch(1)
        cal.addLayout(buttons)
        self.coverage_model = CoverageTableModel(self)
        self.coverage = table_view(self.coverage_model, stretch_column=2)
        set_column_widths(self.coverage, {0: 70, 1: 150, 3: 140, 4: 110})
        self.coverage.setMinimumHeight(260)
        cal.addWidget(self.coverage)
        layout.addWidget(calendar_box, 1)

    def show_bureau_wording(self) -> None:
        """At the bureau (S-7) the page speaks of the bureau: no 上级司法局 (it is itself), no office-only rows."""
        self.tabs.setTabText(0, self.tr("本局信息与工作日历"))
        self.profile_box.setTitle(self.tr("本局信息"))
        self.edit_profile_button.setText(self.tr("编辑本局信息…"))
        for key in BUREAU_HIDES:
            self.profile_form.setRowVisible(self.profile_fields[key], False)

