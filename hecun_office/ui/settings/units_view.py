"""Layout of 设置 → 被监督单位 (issue 12): the office's units, 停用/恢复 for the selected one, and one row of fields
to add a unit or to rename (or re-type) the selected one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...domain.vocab import UnitKind
from ...services.units import MAX_NAME
from ..formatting import vocab_choices
from ..models.unit_table import UNIT_KIND, UNIT_MATTERS, UNIT_NAME, UNIT_STATE, UnitTableModel
from ..widgets import error_label, label, set_column_widths, table_view


class UnitsView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        self.note = label(self.tr("登记事项时从在用的单位中选择。停用的单位保留在原有事项上，新登记的事项不再可选。"
                                  "单位的新增、改名和停用随下一次数据包报送司法局，司法局的名录随之更新。"),
                          "muted", wrap=True)
        layout.addWidget(self.note)
        self.model = UnitTableModel(self)
        self.table = table_view(self.model, stretch_column=UNIT_NAME)
        self.table.setObjectName("unitTable")
        set_column_widths(self.table, {UNIT_KIND: 150, UNIT_STATE: 80, UNIT_MATTERS: 90})
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.toggle_button = QPushButton(self.tr("停用"))
        self.toggle_button.setObjectName("toggleUnit")
        self.toggle_button.setToolTip(self.tr("停用：单位撤销或不再受监督，原有事项保留；恢复：重新可选"))
        self.toggle_button.setEnabled(False)
        self.toggle_button.setMinimumWidth(90)
        row.addWidget(self.toggle_button)
        row.addStretch(1)
        layout.addLayout(row)

        editing = QGroupBox(self.tr("单位名称和类型"))
        editing.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        box = QVBoxLayout(editing)
        box.setSpacing(4)
        fields = QHBoxLayout()
        fields.setSpacing(8)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("unitName")
        self.name_edit.setPlaceholderText(self.tr("单位全称，如 江山市应急管理局贺村应急管理站"))
        self.name_edit.setMaxLength(MAX_NAME)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("unitKind")
        for value, text in vocab_choices(UnitKind):
            self.kind_combo.addItem(text, value)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(UnitKind.STATIONED_AGENCY.value))
        self.add_button = QPushButton(self.tr("新增单位"))
        self.add_button.setObjectName("addUnit")
        self.save_button = QPushButton(self.tr("保存修改"))
        self.save_button.setObjectName("saveUnit")
        self.save_button.setToolTip(self.tr("把选中单位改为上面的名称和类型"))
        self.save_button.setEnabled(False)
        fields.addWidget(self.name_edit, 1)
        fields.addWidget(self.kind_combo)
        fields.addWidget(self.add_button)
        fields.addWidget(self.save_button)
        box.addLayout(fields)
        self.name_error = error_label()
        box.addWidget(self.name_error)
        layout.addWidget(editing)
        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.manage_widgets = (self.name_edit, self.kind_combo, self.add_button, self.save_button,
                               self.toggle_button)
