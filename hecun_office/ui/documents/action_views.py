"""Layouts of the small dialogs of a document's life: a reason (退回修改, 作废), sign-off (签发), service (送达)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..widgets import date_edit, error_label, label, with_error


class _StepView(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(500)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(18, 14, 18, 12)
        self.layout_.setSpacing(10)
        self.heading = label("", "sectionTitle", wrap=True)
        self.document = label("", "muted", wrap=True)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.document)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.layout_.addLayout(self.form)

    def finish_layout(self) -> None:
        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        self.layout_.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.layout_.addWidget(self.buttons)


class ReasonView(_StepView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reason_label = label("")
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(96)
        self.errors_reason = error_label()
        self.form.addRow(self.reason_label, with_error(self.reason, self.errors_reason))
        self.finish_layout()


class IssueView(_StepView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.issue_date = date_edit()
        self.errors_issue_date = error_label()
        self.form.addRow(self.tr("成文日期"), with_error(self.issue_date, self.errors_issue_date))
        self.backdate_label = label(self.tr("倒签理由（必填）"))
        self.backdate_reason = QPlainTextEdit()
        self.backdate_reason.setFixedHeight(72)
        self.backdate_reason.setPlaceholderText(self.tr("成文日期早于今天时，请写明原因，如：所长出差，按实际审签日期补签。"))
        self.errors_backdate_reason = error_label()
        self.backdate_box = with_error(self.backdate_reason, self.errors_backdate_reason)
        self.form.addRow(self.backdate_label, self.backdate_box)
        self.note = label(self.tr("签发后按文书种类和年度自动编号，文书内容不能再修改；需要更正时另拟更正文书。"),
                          "muted", wrap=True)
        self.layout_.addWidget(self.note)
        self.finish_layout()


class ServiceView(_StepView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.served_on = date_edit()
        self.errors_served_on = error_label()
        self.form.addRow(self.tr("送达日期"), with_error(self.served_on, self.errors_served_on))
        self.method = QComboBox()
        self.errors_method = error_label()
        self.form.addRow(self.tr("送达方式"), with_error(self.method, self.errors_method))
        self.receiver = QLineEdit()
        self.receiver.setMaxLength(40)
        self.receiver.setPlaceholderText(self.tr("签收人姓名，如：张伟（执法队办公室）"))
        self.errors_receiver = error_label()
        self.form.addRow(self.tr("受送达人"), with_error(self.receiver, self.errors_receiver))
        self.note = label("", "muted", wrap=True)
        self.layout_.addWidget(self.note)
        self.finish_layout()
