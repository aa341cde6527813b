"""Layout of 新建文书: which form, and (optionally) for which matter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from ..widgets import error_label, label, with_error


class NewDocumentView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新建文书"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.setSpacing(10)
        layout.addWidget(label(self.tr("新建文书"), "sectionTitle"))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form_choice = QComboBox()
        self.form_choice.setObjectName("formChoice")
        form.addRow(self.tr("文书种类"), self.form_choice)
        self.matter_choice = QComboBox()
        self.matter_choice.setObjectName("matterChoice")
        self.matter_choice.setEditable(True)
        self.matter_choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        editor = self.matter_choice.lineEdit()
        assert editor is not None  # editable combo boxes have one
        editor.setPlaceholderText(self.tr("输入事项编号或名称查找"))
        self.errors_matter = error_label()
        form.addRow(self.tr("关联事项"), with_error(self.matter_choice, self.errors_matter))
        layout.addLayout(form)
        layout.addWidget(label(self.tr("关联事项后，文书中的被监督单位、事实、依据等自动从事项填入；定期报送表、"
                                       "年度总结和会议纪要不需要关联事项。"), "muted", wrap=True))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("起草"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)
