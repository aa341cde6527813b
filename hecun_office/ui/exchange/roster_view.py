"""Layout of a township's 被监督单位名录 (S-5, bureau): the units, 停用/恢复 for the selected one, a row to add one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...domain.vocab import UnitKind
from ...services.rosters import MAX_NAME
from ..formatting import vocab_choices
from ..widgets import error_label, label, set_column_widths, table_view
from .tables import ROS_KIND, ROS_NAME, ROS_STATE, RosterModel


class RosterView(QDialog):
    def __init__(self, office_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("{office}被监督单位名录").format(office=office_name))
        self.setMinimumSize(640, 520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.setSpacing(10)
        self.note = label(self.tr("名录随下一次回执数据包下发到该司法所。"), "muted", wrap=True)
        layout.addWidget(self.note)

        self.model = RosterModel(self)
        self.table = table_view(self.model, stretch_column=ROS_NAME)
        self.table.setObjectName("rosterTable")
        set_column_widths(self.table, {ROS_KIND: 150, ROS_STATE: 80})
        layout.addWidget(self.table, 1)
        self.empty = label(self.tr("名录中还没有单位。司法所报送的数据包中出现的单位会自动列入，也可在下面新增。"),
                           "emptyNote", wrap=True)
        self.empty.hide()
        layout.addWidget(self.empty)
        self.toggle_button = QPushButton(self.tr("停用"))
        self.toggle_button.setToolTip(self.tr("停用：单位撤销或不再受监督，名录中保留；恢复：重新列为在册"))
        self.toggle_button.setEnabled(False)
        self.toggle_button.setMinimumWidth(90)
        row = QHBoxLayout()
        row.addWidget(self.toggle_button)
        row.addStretch(1)
        layout.addLayout(row)

        adding = QGroupBox(self.tr("新增单位"))
        adding.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # the table takes the height
        box = QVBoxLayout(adding)
        box.setSpacing(4)
        fields = QHBoxLayout()
        fields.setSpacing(8)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("单位全称，如 江山市应急管理局贺村应急管理站"))
        self.name_edit.setMaxLength(MAX_NAME)
        self.kind_combo = QComboBox()
        for value, text in vocab_choices(UnitKind):
            self.kind_combo.addItem(text, value)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(UnitKind.STATIONED_AGENCY.value))
        self.add_button = QPushButton(self.tr("添加"))
        self.add_button.setDefault(True)  # Enter in the name field adds
        fields.addWidget(self.name_edit, 1)
        fields.addWidget(self.kind_combo)
        fields.addWidget(self.add_button)
        box.addLayout(fields)
        self.add_error = error_label()
        box.addWidget(self.add_error)
        layout.addWidget(adding)

        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("关闭"))
        close.setAutoDefault(False)
        self.toggle_button.setAutoDefault(False)
        layout.addWidget(self.buttons)
