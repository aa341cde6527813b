"""Layout of 整改与时限: the obligations register (T-5)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QWidget

from ..models.obligation_table import (
    COL_DUE,
    COL_KIND,
    COL_LEFT,
    COL_MET,
    COL_REG_NO,
    COL_STATUS,
    COL_SUBJECT,
    ObligationRegisterModel,
)
from ..widgets import label, page_header, set_column_widths, table_view


class ObligationsView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout, top = page_header(self, self.tr("整改与时限"))
        self.include_closed = QCheckBox(self.tr("含已完成"))
        self.include_closed.setObjectName("includeClosed")
        top.addWidget(self.include_closed)
        top.addSpacing(12)
        self.mark_met = QPushButton(self.tr("登记已报送…"))
        self.mark_met.setToolTip(self.tr("定期报送、年度总结等本所时限：登记已报送司法局的日期"))
        self.mark_met.setEnabled(False)
        top.addWidget(self.mark_met)
        layout.addLayout(top)
        layout.addWidget(label(self.tr("时限由事项办理自动生成：整改期限、逾期未改或拒不整改后3个工作日内报告司法局、"
                                       "协作反馈、定期报送和年度总结。红色为已逾期，橙色为1个工作日内到期。"),
                               "muted", wrap=True))
        self.model = ObligationRegisterModel(self)
        self.table = table_view(self.model, stretch_column=COL_SUBJECT)
        self.table.setObjectName("obligationTable")
        set_column_widths(self.table, {COL_KIND: 170, COL_REG_NO: 160, COL_DUE: 260, COL_LEFT: 120,
                                       COL_STATUS: 90, COL_MET: 100})
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.count_label = label("", "muted")
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(label(self.tr("双击事项的时限可打开该事项"), "muted"))
        layout.addLayout(bottom)
