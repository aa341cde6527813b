"""Layout of the frequent-matter template dialog (M-4)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.vocab import Category, Method
from ..formatting import vocab_choices
from ..widgets import error_label, label, with_error
from .account_dialog import ok_cancel


class TemplateView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.resize(780, 660)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.setSpacing(6)
        self.heading = label("", "sectionTitle")
        layout.addWidget(self.heading)
        layout.addWidget(label(self.tr("登记高频事项时选择模板，下列内容会自动填入；起草建议书时使用标准建议内容和整改期限。"),
                               "muted", wrap=True))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error_labels: dict[str, QLabel] = {}
        self.field_widgets: dict[str, QWidget] = {}

        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("简短好找，例如：占道经营处罚未告知陈述申辩权"))
        self._add(form, "name", self.tr("模板名称"), self.name)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("登记时作为事项标题"))
        self._add(form, "title", self.tr("事项标题"), self.title)
        self.category = QComboBox()
        for value, text in vocab_choices(Category):
            self.category.addItem(text, value)
            self.category.setItemData(self.category.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.category.setMinimumContentsLength(30)
        self.category.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._add(form, "category", self.tr("监督内容"), self.category)
        self.method = QComboBox()
        self.method.addItem(self.tr("（不填）"), None)
        for value, text in vocab_choices(Method):
            self.method.addItem(text, value)
        self.method.setMinimumWidth(160)
        self.method.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._add(form, "method", self.tr("监督方式"), self.method)
        self.facts = QPlainTextEdit()
        self.facts.setPlaceholderText(self.tr("常见的问题表述，登记时再按实际情况补充"))
        self.facts.setFixedHeight(72)
        self._add(form, "facts", self.tr("基本事实"), self.facts)
        self.legal_basis = QPlainTextEdit()
        self.legal_basis.setPlaceholderText(self.tr("例如：《中华人民共和国行政处罚法》第四十四条"))
        self.legal_basis.setFixedHeight(52)
        self._add(form, "legal_basis", self.tr("法律依据"), self.legal_basis)
        self.advice_text = QPlainTextEdit()
        self.advice_text.setPlaceholderText(self.tr("建议书中“建议”部分的标准表述"))
        self.advice_text.setMinimumHeight(96)
        self._add(form, "advice_text", self.tr("标准建议内容"), self.advice_text)
        self.rectification_days = QSpinBox()
        self.rectification_days.setRange(1, 365)
        self.rectification_days.setSuffix(self.tr(" 日"))
        self.rectification_days.setFixedWidth(110)
        self._add(form, "rectification_days", self.tr("整改期限"), self.rectification_days)
        layout.addLayout(form, 1)

        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.buttons = ok_cancel(self.tr("保存"), self.tr("取消"))
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(self.buttons)

    def _add(self, form: QFormLayout, field: str, caption: str, widget: QWidget) -> None:
        widget.setObjectName(field)
        if widget.minimumHeight() and widget.minimumHeight() == widget.maximumHeight():
            # a fixed-height text box must not make its row grow, or label and box drift apart
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.error_labels[field] = error_label()
        self.field_widgets[field] = widget
        form.addRow(caption, with_error(widget, self.error_labels[field]))
