"""Layout of the document editor: the form's fields on the left (about 45 %), the live preview pane on the right
(preview_view.py), the actions of the document's state along the bottom. Sized for a 1366×768 office screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from .. import style
from ..widgets import label
from .preview_view import PreviewView

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
    def __init__(self, preview: PreviewView, parent: QWidget | None = None) -> None:
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
        self.splitter.addWidget(preview)
        self.preview = preview.pdf_view
        self.preprinted, self.font_note = preview.preprinted, preview.font_note
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
        for widget, tip in ((self.save_button, self.tr("保存草稿（Ctrl+S）")),
                            (self.submit_button, self.tr("保存并送审核人审核")),
                            (self.approve_button, self.tr("审核通过，交签发人签发")),
                            (self.return_button, self.tr("退回拟稿人修改，并写明需要修改的地方")),
                            (self.issue_button, self.tr("签发：编定文号，生成正式文件")),
                            (self.finalize_button, self.tr("填写完毕后定稿：生成正式文件（无文号、无需签发），可打印")),
                            (self.void_button, self.tr("作废此文书；已编的文号保留记录，不再使用")),
                            (self.receipt_button, self.tr("起草此文书的送达回证（已填好文书名称和文号）")),
                            (self.print_button, self.tr("按 100% 比例打印（Ctrl+P）")),
                            (self.save_pdf_button, self.tr("把文书保存为 PDF 文件"))):
            widget.setToolTip(tip)
        return row

    def unsaved_question(self) -> QMessageBox:
        """保存 / 不保存 / 取消 before a draft with unsaved changes closes (deletes itself when answered)."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("保存修改"), self.tr("草稿有尚未保存的修改，是否保存？"),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Save).setText(self.tr("保存"))
        box.button(QMessageBox.StandardButton.Discard).setText(self.tr("不保存"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("取消"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return box

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
