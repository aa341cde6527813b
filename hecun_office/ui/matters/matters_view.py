"""Layout of the 监督事项 list: search, status filter, the table, the register button."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ...domain.lifecycle import Status
from ..models.matter_table import (
    COL_DEADLINE,
    COL_HANDLER,
    COL_RECEIVED,
    COL_REG_NO,
    COL_SOURCE,
    COL_STATUS,
    COL_TITLE,
    COL_UNITS,
    MatterTableModel,
)
from ..widgets import label, set_column_widths, table_view


class MattersView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 12)
        layout.setSpacing(10)

        top = QHBoxLayout()
        top.addWidget(label(self.tr("监督事项"), "pageTitle"))
        top.addStretch(1)
        self.register_button = QPushButton(self.tr("登记事项…"))
        self.register_button.setObjectName("registerButton")
        self.register_button.setShortcut(QKeySequence("Ctrl+N"))
        self.register_button.setToolTip(self.tr("登记新的监督事项（Ctrl+N）"))
        self.register_button.setDefault(False)
        self.register_button.setMinimumHeight(32)
        top.addWidget(self.register_button)
        layout.addLayout(top)

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("搜索登记编号、标题、基本事实或来源编号（Ctrl+F）"))
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("全部状态"), None)
        for status in Status:
            self.status_filter.addItem(status.label, status.value)
        self.status_filter.setMinimumWidth(150)
        filters.addWidget(self.search, 1)
        filters.addWidget(label(self.tr("状态：")))
        filters.addWidget(self.status_filter)
        layout.addLayout(filters)

        self.model = MatterTableModel(self)
        self.table = table_view(self.model, stretch_column=COL_TITLE)
        self.table.setObjectName("matterTable")
        set_column_widths(self.table, {COL_REG_NO: 160, COL_RECEIVED: 100, COL_SOURCE: 150, COL_UNITS: 200,
                                       COL_STATUS: 100, COL_HANDLER: 80, COL_DEADLINE: 100})
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.count_label = label("", "muted")
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(label(self.tr("双击或按回车键打开事项"), "muted"))
        layout.addLayout(bottom)
