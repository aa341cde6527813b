"""Layout of the 文书 section of a matter's detail: its documents and the 起草文书 menu."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from ..widgets import ROW_HEIGHT, label, page_header, set_column_widths, table_view
from .document_table import MatterDocumentModel

MAX_ROWS = 4


class MatterDocumentsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout, top = page_header(self, self.tr("文书"), "sectionTitle", embedded=True)
        self.draft_button = QPushButton(self.tr("起草文书"))
        self.draft_button.setObjectName("draftDocument")
        self.draft_menu = QMenu(self.draft_button)
        self.draft_button.setMenu(self.draft_menu)
        top.addWidget(self.draft_button)
        layout.addLayout(top)
        self.model = MatterDocumentModel(self)
        self.table = table_view(self.model, stretch_column=1)
        self.table.setObjectName("matterDocuments")
        self.table.setToolTip(self.tr("双击打开文书"))
        set_column_widths(self.table, {0: 170, 2: 110, 3: 100})
        layout.addWidget(self.table)
        self.empty = label(self.tr("尚无文书（用“起草文书”起草建议书等格式文书）"), "emptyNote")
        layout.addWidget(self.empty)

    def fit_rows(self) -> None:
        rows = min(self.model.rowCount(), MAX_ROWS)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + max(rows, 1) * ROW_HEIGHT + 2 * self.table.frameWidth())
        self.table.setVisible(rows > 0)
        self.empty.setVisible(rows == 0)
