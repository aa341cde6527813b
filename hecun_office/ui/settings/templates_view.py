"""Layout of 设置 → 高频事项模板 (M-4): the library, and what a role that may edit can do with it."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ..models.template_table import TemplateTableModel
from ..widgets import label, set_column_widths, table_view


class TemplatesView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        self.note = label("", "muted", wrap=True)
        layout.addWidget(self.note)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("新增模板…"))
        self.add_button.setObjectName("addTemplate")
        self.edit_button = QPushButton(self.tr("编辑…"))
        self.edit_button.setObjectName("editTemplate")
        self.active_button = QPushButton(self.tr("停用"))
        self.active_button.setObjectName("toggleTemplate")
        self.show_retired = QCheckBox(self.tr("显示已停用的模板"))
        for widget in (self.add_button, self.edit_button, self.active_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.show_retired)
        layout.addLayout(buttons)
        self.model = TemplateTableModel(self)
        self.table = table_view(self.model, stretch_column=1)
        self.table.setObjectName("templateTable")
        set_column_widths(self.table, {0: 230, 2: 260, 3: 80, 4: 70})
        layout.addWidget(self.table, 1)
        layout.addWidget(label(self.tr("双击模板打开详细内容。停用的模板不再出现在登记对话框中，已登记的事项不受影响。"), "muted"))
