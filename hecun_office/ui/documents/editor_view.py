"""Layout of the document editor: the form's fields on the left (about 45 %), the live preview on the right,
the actions of the document's state along the bottom. Sized for a 1366×768 office screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from .. import style
from ..widgets import label

EDITOR_SIZE = (1340, 690)  # 768 minus the taskbar and the title bar
FIELDS_SHARE = 0.45
INVALID_STYLE = f"""
*[invalid="true"] {{ border: 2px solid {style.OVERDUE_TEXT}; border-radius: 3px; }}
QLabel[invalid="true"] {{ border: none; color: {style.OVERDUE_TEXT}; font-weight: bold; }}
QLabel#previewMessage {{ color: {style.OVERDUE_TEXT}; }}
QLabel#previewState {{ color: {style.MUTED_TEXT}; }}
QPdfView {{ background: #8a96a3; }}
QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"], QAbstractSpinBox[readOnly="true"] {{
    background: #f3f5f8; color: #33475b;
}}
"""


class EditorView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(INVALID_STYLE)
        self.setSizeGripEnabled(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(6)

        header = QHBoxLayout()
        self.heading = label("", "sectionTitle")
        self.status_badge = label("", "statusBadge")
        self.number = label("", "matterTitle")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header.addWidget(self.heading)
        header.addSpacing(10)
        header.addWidget(self.status_badge)
        header.addSpacing(10)
        header.addWidget(self.number)
        header.addStretch(1)
        self.matter = label("", "muted")
        header.addWidget(self.matter)
        layout.addLayout(header)
        self.history = label("", "muted", wrap=True)
        layout.addWidget(self.history)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._fields_panel())
        self.splitter.addWidget(self._preview_panel())
        layout.addWidget(self.splitter, 1)
        layout.addLayout(self._buttons())
        self.size_for_screen()

    def _fields_panel(self) -> QWidget:
        panel = QWidget()
        outer = QVBoxLayout(panel)
        outer.setContentsMargins(0, 0, 6, 0)
        outer.setSpacing(4)
        self.fields_note = label(self.tr("带 * 的为必填项；修改后右侧预览自动更新。"), "muted", wrap=True)
        outer.addWidget(self.fields_note)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        scroll.setWidget(content)
        self.fields_scroll = scroll
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 2, 10, 2)
        self.form = QFormLayout()
        column.addLayout(self.form)
        column.addStretch(1)  # a short form stays together at the top
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(7)
        outer.addWidget(scroll, 1)
        return panel

    def _preview_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.preview_state = label("", "previewState")
        top.addWidget(self.preview_state, 1)
        self.preprinted = QCheckBox(self.tr("套打（预印红头纸，不印版头）"))
        self.preprinted.setToolTip(self.tr("在已印好红色版头的公文纸上打印时勾选：版头和红色分隔线留空。"))
        top.addWidget(self.preprinted)
        layout.addLayout(top)
        self.preview = QPdfView()
        self.preview.setObjectName("preview")
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview.setPageSpacing(12)
        layout.addWidget(self.preview, 1)
        self.preview_message = label("", "previewMessage", wrap=True)
        self.preview_message.hide()
        layout.addWidget(self.preview_message)
        # D-6: a substituted font is said where the clerk looks at the page, not only in `check`
        self.font_note = label("", "previewState", wrap=True)
        self.font_note.setObjectName("fontNote")
        self.font_note.hide()
        layout.addWidget(self.font_note)
        return panel

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)

        def button(text: str, name: str) -> QPushButton:
            widget = QPushButton(text)
            widget.setObjectName(name)
            widget.setAutoDefault(False)
            row.addWidget(widget)
            return widget

        self.save_button = button(self.tr("保存草稿"), "saveDraft")
        self.submit_button = button(self.tr("送审"), "submitDocument")
        self.approve_button = button(self.tr("审核通过"), "approveDocument")
        self.return_button = button(self.tr("退回修改…"), "returnDocument")
        self.issue_button = button(self.tr("签发…"), "issueDocument")
        self.finalize_button = button(self.tr("定稿"), "finalizeDocument")
        self.void_button = button(self.tr("作废…"), "voidDocument")
        self.saved_note = label("", "muted")
        row.addWidget(self.saved_note)
        row.addStretch(1)
        self.serve_button = button(self.tr("登记送达…"), "recordService")
        self.receipt_button = button(self.tr("打印送达回证…"), "serviceReceipt")
        self.print_button = button(self.tr("打印…"), "printDocument")
        self.save_pdf_button = button(self.tr("另存为PDF…"), "savePdf")
        self.close_button = button(self.tr("关闭"), "closeEditor")
        return row

    def size_for_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        width = min(EDITOR_SIZE[0], available.width())
        height = min(EDITOR_SIZE[1], available.height())
        self.resize(width, height)
        self.set_split(width)

    def set_split(self, width: int) -> None:
        fields = int(width * FIELDS_SHARE)
        self.splitter.setSizes([fields, width - fields])
