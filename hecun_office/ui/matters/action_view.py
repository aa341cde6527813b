"""Layout of the small dialog that performs one lifecycle action (M-3)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..widgets import date_edit, error_label, label, with_error


class ActionView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.setSpacing(10)
        self.heading = label("", "sectionTitle", wrap=True)
        self.matter = label("", "muted", wrap=True)
        layout.addWidget(self.heading)
        layout.addWidget(self.matter)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.on = date_edit()
        self.errors_on = error_label()
        form.addRow(self.tr("办理日期"), with_error(self.on, self.errors_on))
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(84)
        self.errors_reason = error_label()
        self.reason_label = label(self.tr("理由/说明"))
        form.addRow(self.reason_label, with_error(self.reason, self.errors_reason))
        layout.addLayout(form)

        # Only for 制发建议书: the rectification period, as days or as a date.
        self.advice_box = QGroupBox(self.tr("整改期限"))
        advice = QFormLayout(self.advice_box)
        self.by_days = QRadioButton(self.tr("自制发之日起"))
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setSuffix(self.tr(" 天"))
        self.by_date = QRadioButton(self.tr("指定日期"))
        self.deadline = date_edit()
        self.by_days.setChecked(True)
        days_row = QHBoxLayout()
        days_row.addWidget(self.by_days)
        days_row.addWidget(self.days)
        days_row.addStretch(1)
        date_row = QHBoxLayout()
        date_row.addWidget(self.by_date)
        date_row.addWidget(self.deadline)
        date_row.addStretch(1)
        advice.addRow(days_row)
        advice.addRow(date_row)
        self.advice_note = label(self.tr("期限届满日为休息日的，顺延至下一个工作日。"), "muted", wrap=True)
        advice.addRow(self.advice_note)
        self.errors_rectification = error_label()
        advice.addRow(self.errors_rectification)
        layout.addWidget(self.advice_box)

        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)
