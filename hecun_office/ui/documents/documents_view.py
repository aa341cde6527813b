"""Layout of the 文书 page: the register of every document, filtered by status and form."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QWidget

from .. import style
from ..widgets import label, page_header, set_column_widths, table_view
from .document_table import (
    COL_DATE,
    COL_DRAFTED_BY,
    COL_MATTER,
    COL_NAME,
    COL_NUMBER,
    COL_SERVICE,
    COL_STATUS,
    DocumentTableModel,
)

NEW_BUTTON_STYLE = f"""
QPushButton {{ background: {style.ACCENT}; color: white; border: none; border-radius: 4px; padding: 6px 18px;
              font-weight: bold; }}
QPushButton:hover {{ background: #174b86; }}
"""


class DocumentsView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout, top = page_header(self, self.tr("文书"))
        self.new_button = QPushButton(self.tr("新建文书"))
        self.new_button.setObjectName("newDocument")
        self.new_button.setStyleSheet(NEW_BUTTON_STYLE)
        top.addWidget(self.new_button)
        layout.addLayout(top)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(label(self.tr("状态：")))
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        filters.addWidget(self.status_filter)
        filters.addSpacing(12)
        filters.addWidget(label(self.tr("文书：")))
        self.form_filter = QComboBox()
        self.form_filter.setObjectName("formFilter")
        self.form_filter.setMinimumContentsLength(16)
        filters.addWidget(self.form_filter)
        filters.addStretch(1)
        self.count_label = label("", "muted")
        filters.addWidget(self.count_label)
        layout.addLayout(filters)

        self.model = DocumentTableModel(self)
        self.table = table_view(self.model, stretch_column=COL_NAME)
        self.table.setObjectName("documentTable")
        set_column_widths(self.table, {COL_NUMBER: 180, COL_STATUS: 120, COL_MATTER: 150, COL_DRAFTED_BY: 90,
                                       COL_DATE: 100, COL_SERVICE: 160})
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(label(self.tr("双击（或回车）打开文书；文号在签发时编定"), "muted"))
        layout.addLayout(bottom)
