"""Layout of the 监督事项 list: the filter bar (M-6), the table, the register and import buttons.

At the bureau (``offices``, S-7) the list holds every township's matters: a 司法所 column after the registration
number and a 司法所 box in the filter bar.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ..models.matter_table import (
    COL_COMPLAINANT,
    COL_DEADLINE,
    COL_HANDLER,
    COL_OFFICE,
    COL_RECEIVED,
    COL_REG_NO,
    COL_SOURCE,
    COL_STATUS,
    COL_TITLE,
    COL_UNITS,
    MatterTableModel,
)
from ..widgets import label, page_header, set_column_widths, table_view
from .filter_bar import FilterBar


class MattersView(QWidget):
    def __init__(self, offices: bool = False) -> None:
        super().__init__()
        layout, top = page_header(self, self.tr("监督事项"))
        self.register_button = QPushButton(self.tr("登记事项…"))
        self.register_button.setObjectName("registerButton")
        self.register_button.setShortcut(QKeySequence("Ctrl+N"))
        self.register_button.setToolTip(self.tr("登记新的监督事项（Ctrl+N）"))
        self.register_button.setDefault(False)
        self.register_button.setMinimumHeight(32)
        self.intake_button = QPushButton(self.tr("导入工单…"))  # M-5: hotline / platform .xlsx exports
        self.intake_button.setObjectName("intakeButton")
        self.intake_button.setToolTip(self.tr("从 12345 热线或省投诉举报平台导出的 Excel 文件导入工单"))
        self.intake_button.setMinimumHeight(32)
        top.addWidget(self.intake_button)
        top.addWidget(self.register_button)
        layout.addLayout(top)

        self.filters = FilterBar(offices)
        self.filters.setObjectName("filterBar")
        self.search = self.filters.search  # the names the rest of the page and its tests know
        self.status_filter = self.filters.status
        layout.addWidget(self.filters)

        self.model = MatterTableModel(self, offices=offices)
        self.table = table_view(self.model, stretch_column=COL_TITLE)
        self.table.setObjectName("matterTable")
        # The title takes what is left: about 260 px at 1366×768, 170 px at 1280×720 (150 % scaling).
        set_column_widths(self.table, {COL_REG_NO: 165, COL_RECEIVED: 90, COL_SOURCE: 120, COL_UNITS: 150,
                                       COL_STATUS: 90, COL_HANDLER: 65, COL_DEADLINE: 90, COL_COMPLAINANT: 125})
        if offices:  # the model's last column, shown second
            self.table.horizontalHeader().moveSection(COL_OFFICE, COL_RECEIVED)
            set_column_widths(self.table, {COL_OFFICE: 90})
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.count_label = label("", "muted")
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(label(self.tr("双击或按回车键打开事项"), "muted"))
        layout.addLayout(bottom)
