"""Layout of the register dialog (M-1, M-2)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.vocab import Category, Method, Source, Track
from ..formatting import vocab_choices, vocab_text
from ..widgets import date_edit, error_label, label, with_error


def _row(*widgets: QWidget, stretch_last: bool = False) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(8)
    for widget in widgets:
        layout.addWidget(widget)
    if not stretch_last:
        layout.addStretch(1)
    return box


UNIT_LIST_HEIGHT = 138  # five rows of units


class RegisterView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记监督事项"))
        self.resize(880, 680)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 12)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(form)
        self.form = form  # the correction dialog adds its reason row

        self.template = QComboBox()
        self.template.setObjectName("templateCombo")
        self.template.addItem(self.tr("（不使用模板）"), None)
        self.template.setMinimumContentsLength(24)
        self.template.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.template_note = label(self.tr("选择后自动填入标题、监督内容、监督方式、基本事实和法律依据"), "muted")
        self.template_row = _row(self.template, self.template_note)
        form.addRow(self.tr("高频事项模板"), self.template_row)

        self.received_on = date_edit()
        self.source = QComboBox()
        for value, text in vocab_choices(Source):
            self.source.addItem(text, value)
        self.source.setMinimumWidth(250)
        self.source_ref = QLineEdit()
        self.source_ref.setPlaceholderText(self.tr("如工单编号，可不填"))
        self.errors_row_1 = error_label()
        form.addRow(self.tr("受理日期"), with_error(
            _row(self.received_on, label(self.tr("来源")), self.source, label(self.tr("来源编号")), self.source_ref,
                 stretch_last=True), self.errors_row_1))

        self.units = QListView()
        self.units.setObjectName("unitList")
        # Units flow into columns so all of a township's units show without scrolling.
        self.units.setFlow(QListView.Flow.TopToBottom)
        self.units.setWrapping(True)
        self.units.setResizeMode(QListView.ResizeMode.Adjust)
        self.units.setSpacing(2)
        self.units.setFixedHeight(UNIT_LIST_HEIGHT)
        self.errors_unit_ids = error_label()
        form.addRow(self.tr("被监督单位"), with_error(self.units, self.errors_unit_ids))

        self.category = QComboBox()
        for value, text in vocab_choices(Category):
            self.category.addItem(text, value)
            self.category.setItemData(self.category.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.category.setMinimumContentsLength(30)
        self.category.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.errors_category = error_label()
        form.addRow(self.tr("监督内容"), with_error(self.category, self.errors_category))

        self.method = QComboBox()
        self.method.addItem(self.tr("（不填）"), None)
        for value, text in vocab_choices(Method):
            self.method.addItem(text, value)
        self.method.setMinimumWidth(160)
        self.track_general = QRadioButton(vocab_text(Track.GENERAL))
        self.track_frequent = QRadioButton(vocab_text(Track.FREQUENT))
        self.track_general.setChecked(True)
        self.track = QButtonGroup(self)
        self.track.addButton(self.track_general)
        self.track.addButton(self.track_frequent)
        self.errors_method = error_label()
        form.addRow(self.tr("监督方式"), with_error(
            _row(self.method, label(self.tr("    事项类型")), self.track_general, self.track_frequent),
            self.errors_method))

        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("一句话概括，例如：占道经营处罚未告知陈述申辩权"))
        self.errors_title = error_label()
        form.addRow(self.tr("标题"), with_error(self.title, self.errors_title))

        self.facts = QPlainTextEdit()
        self.facts.setPlaceholderText(self.tr("发现的问题、涉及的执法行为和时间地点等"))
        self.facts.setMinimumHeight(96)
        self.errors_facts = error_label()
        form.addRow(self.tr("基本事实"), with_error(self.facts, self.errors_facts))

        self.legal_basis = QPlainTextEdit()
        self.legal_basis.setPlaceholderText(self.tr("例如：《中华人民共和国行政处罚法》第四十四条"))
        self.legal_basis.setFixedHeight(58)
        self.errors_legal_basis = error_label()
        form.addRow(self.tr("法律依据"), with_error(self.legal_basis, self.errors_legal_basis))

        self.complainant_name = QLineEdit()
        self.complainant_name.setPlaceholderText(self.tr("姓名"))
        self.complainant_phone = QLineEdit()
        self.complainant_phone.setPlaceholderText(self.tr("电话"))
        self.complainant_id_no = QLineEdit()
        self.complainant_id_no.setPlaceholderText(self.tr("证件号"))
        self.complainant_id_no.setMinimumWidth(200)
        self.errors_complainant = error_label()
        form.addRow(self.tr("投诉人"), with_error(
            _row(self.complainant_name, self.complainant_phone, self.complainant_id_no, stretch_last=True),
            self.errors_complainant))
        self.complainant_note = label(self.tr("可不填。投诉人信息属个人信息，仅在事项详情中完整显示。"), "muted")
        form.addRow("", self.complainant_note)

        self.handler = QComboBox()
        self.handler.setMinimumWidth(160)
        self.errors_handler_id = error_label()
        form.addRow(self.tr("承办人"), with_error(_row(self.handler), self.errors_handler_id))

        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        outer.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("登记"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        outer.addWidget(self.buttons)
