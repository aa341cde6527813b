"""Layout of the work-order import (M-5): file and column mapping → preview with decisions → result. Two job
panels (ui/job_panel.py) show the long steps where the clerk looks: reading the file and checking for duplicates
under the file, the import beside 确认导入."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.vocab import Category
from ...services.intake import FIELDS, INTAKE_SOURCES
from ..formatting import vocab_text
from ..job_panel import JobPanel
from ..widgets import label, set_column_widths, table_view
from .intake_tables import (
    COL_COMPLAINANT,
    COL_DECISION,
    COL_RECEIVED,
    COL_REF,
    COL_ROW,
    COL_STATUS,
    COL_TITLE,
    DecisionDelegate,
    IntakePreviewModel,
    OutcomeTableModel,
    PreviewFilter,
)

MAPPING_PAGE, PREVIEW_PAGE, RESULT_PAGE = range(3)


def _hbox(*items: QWidget | int, margins: bool = False) -> QHBoxLayout:
    """A row of widgets; an int is a stretch."""
    row = QHBoxLayout()
    if not margins:
        row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(8)
    for item in items:
        if isinstance(item, int):
            row.addStretch(item)
        else:
            row.addWidget(item)
    return row


class IntakeView(QDialog):
    EDIT_TRIGGERS = (QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.SelectedClicked
                     | QAbstractItemView.EditTrigger.EditKeyPressed)

    def __init__(self, load_panel: JobPanel, import_panel: JobPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.load_panel, self.import_panel = load_panel, import_panel
        self.setWindowTitle(self.tr("导入热线/平台工单"))
        self.resize(1180, 690)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 12)
        outer.setSpacing(8)
        self.step_title = label("", "sectionTitle")
        self.step_hint = label("", "muted", wrap=True)
        outer.addWidget(self.step_title)
        outer.addWidget(self.step_hint)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._result_page())

    # --- step 1: file and columns --------------------------------------------------------------------
    def _mapping_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(8)
        self.file_path = QLineEdit()
        self.file_path.setObjectName("intakeFile")
        self.file_path.setReadOnly(True)
        self.file_path.setPlaceholderText(self.tr("请选择平台导出的工单文件（.xlsx）"))
        self.choose_button = QPushButton(self.tr("选择文件…"))
        self.choose_button.setObjectName("chooseFile")
        layout.addLayout(_hbox(label(self.tr("工单文件")), self.file_path, self.choose_button))
        self.file_info = label("", "muted")
        self.load_progress = self.load_panel.progress
        layout.addLayout(_hbox(self.file_info, 1, self.load_panel))

        self.source = QComboBox()
        self.source.setObjectName("intakeSource")
        for source in INTAKE_SOURCES:
            self.source.addItem(vocab_text(source), source.value)
        self.saved_mappings = QComboBox()
        self.saved_mappings.setObjectName("savedMappings")
        self.saved_mappings.setMinimumWidth(220)
        self.delete_mapping_button = QPushButton(self.tr("删除此映射"))
        layout.addLayout(_hbox(label(self.tr("工单来源")), self.source, label(self.tr("    已保存的映射")),
                               self.saved_mappings, self.delete_mapping_button, 1))

        self.mapping_box = QGroupBox(self.tr("列映射：为每一项选择文件中对应的列（带 * 的必须选择）"))
        grid = QGridLayout(self.mapping_box)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.field_combos: dict[str, QComboBox] = {}
        self.field_samples: dict[str, QLabel] = {}  # the first value of the chosen column, to check by eye
        half = (len(FIELDS) + 1) // 2
        for n, f in enumerate(FIELDS):
            combo = QComboBox()
            combo.setObjectName(f"map_{f.key}")
            combo.setMinimumWidth(200)
            combo.setMaximumWidth(260)
            sample = label("", "muted")
            sample.setMinimumWidth(120)
            self.field_combos[f.key] = combo
            self.field_samples[f.key] = sample
            text = f"{f.label} *" if f.required else f.label
            row, col = n % half, (n // half) * 4
            grid.addWidget(label(text), row, col, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(combo, row, col + 1)
            grid.addWidget(sample, row, col + 2)
        grid.setColumnStretch(2, 1)
        grid.setColumnMinimumWidth(3, 16)
        grid.setColumnStretch(6, 1)
        layout.addWidget(self.mapping_box)
        self.mapping_error = label("", "generalError", wrap=True)  # red, like every form's general error
        self.mapping_error.hide()
        layout.addWidget(self.mapping_error)

        self.mapping_name = QLineEdit()
        self.mapping_name.setObjectName("mappingName")
        self.mapping_name.setPlaceholderText(self.tr("映射名称，例如“12345热线导出”"))
        self.mapping_name.setMinimumWidth(240)
        self.save_mapping_button = QPushButton(self.tr("保存映射"))
        self.save_mapping_button.setObjectName("saveMapping")
        self.mapping_note = label("", "muted")
        layout.addLayout(_hbox(label(self.tr("下次直接选用：")), self.mapping_name, self.save_mapping_button,
                               self.mapping_note, 1))
        layout.addStretch(1)

        self.cancel_button = QPushButton(self.tr("取消"))
        self.next_button = QPushButton(self.tr("下一步：预览"))
        self.next_button.setObjectName("toPreview")
        self.next_button.setDefault(True)
        self.next_button.setEnabled(False)
        layout.addLayout(_hbox(1, self.cancel_button, self.next_button))
        return page

    # --- step 2: preview and decisions ---------------------------------------------------------------
    def _preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(6)
        self.summary = label("", wrap=True)
        self.summary.setObjectName("previewSummary")
        layout.addWidget(self.summary)

        self.default_unit = QComboBox()
        self.default_unit.setObjectName("defaultUnit")
        self.default_unit.setMinimumWidth(260)
        self.default_category = QComboBox()
        self.default_category.setObjectName("defaultCategory")
        for value, text in Category.choices():
            self.default_category.addItem(text, value)
            self.default_category.setItemData(self.default_category.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.default_category.setMinimumContentsLength(18)
        self.default_category.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.default_category.setCurrentIndex(self.default_category.findData(Category.LEGALITY.value))
        layout.addLayout(_hbox(label(self.tr("承办单位对应不到被监督单位时登记到")), self.default_unit,
                               label(self.tr("  监督内容")), self.default_category, 1))

        self.row_filter = QComboBox()
        self.row_filter.setObjectName("rowFilter")
        for text in PreviewFilter.LABELS:
            self.row_filter.addItem(self.tr(text))
        self.include_button = QPushButton(self.tr("选中行：导入"))
        self.include_button.setObjectName("includeRows")
        self.skip_button = QPushButton(self.tr("选中行：跳过"))
        self.skip_button.setObjectName("skipRows")
        layout.addLayout(_hbox(label(self.tr("显示")), self.row_filter, 1,
                               label(self.tr("“处理”一栏双击可改；也可多选后"), "muted"),
                               self.include_button, self.skip_button))

        self.preview_model = IntakePreviewModel(self)
        self.preview_filter = PreviewFilter(self)
        self.preview_filter.setSourceModel(self.preview_model)
        self.preview = table_view(self.preview_filter, stretch_column=COL_TITLE)
        self.preview.setObjectName("intakePreview")
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.preview.setEditTriggers(self.EDIT_TRIGGERS)
        self.decision_delegate = DecisionDelegate(self.preview)
        self.preview.setItemDelegateForColumn(COL_DECISION, self.decision_delegate)
        set_column_widths(self.preview, {COL_ROW: 48, COL_REF: 190, COL_RECEIVED: 96, COL_COMPLAINANT: 150,
                                         COL_STATUS: 250, COL_DECISION: 84})
        layout.addWidget(self.preview, 1)

        self.row_detail = QPlainTextEdit()
        self.row_detail.setObjectName("rowDetail")
        self.row_detail.setReadOnly(True)
        self.row_detail.setFixedHeight(76)
        self.row_detail.setPlaceholderText(self.tr("选中一行，这里显示诉求内容、对应的被监督单位和提示。"))
        layout.addWidget(self.row_detail)

        self.import_progress = self.import_panel.progress
        self.import_progress.setObjectName("importProgress")
        self.cancel_import_button = self.import_panel.cancel_button
        self.cancel_import_button.setObjectName("cancelImport")
        self.import_note = label("", "muted", wrap=True)
        self.back_button = QPushButton(self.tr("上一步"))
        self.preview_cancel_button = QPushButton(self.tr("取消"))
        self.confirm_button = QPushButton(self.tr("确认导入"))
        self.confirm_button.setObjectName("confirmIntake")
        self.confirm_button.setDefault(True)
        layout.addLayout(_hbox(self.import_note, 1, self.import_panel, self.back_button, self.preview_cancel_button,
                               self.confirm_button))
        return page

    # --- step 3: result ------------------------------------------------------------------------------
    def _result_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(6)
        self.result_summary = label("", wrap=True)
        self.result_summary.setObjectName("resultSummary")
        layout.addWidget(self.result_summary)
        self.result_model = OutcomeTableModel(self)
        self.result_table = table_view(self.result_model, stretch_column=5)
        self.result_table.setObjectName("intakeResult")
        set_column_widths(self.result_table, {0: 48, 1: 190, 2: 70, 3: 150, 4: 300})
        layout.addWidget(self.result_table, 1)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setObjectName("closeIntake")
        layout.addLayout(_hbox(1, self.close_button))
        return page
