"""Layout of 登记司法所公钥 / 绑定司法局公钥: the file, what it says, and the fingerprint typed from the paper form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..widgets import error_label, label, with_error
from .fonts import fingerprint_font


class PeerKeyView(QDialog):
    def __init__(self, bureau: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记司法所公钥") if bureau else self.tr("绑定司法局公钥"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        # The dialog grows with what appears (a refusal under the field): nothing is squeezed or cut off.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.setSpacing(10)
        other = self.tr("司法所") if bureau else self.tr("司法局")
        layout.addWidget(label(self.tr("选择{other}交来的公钥文件（或密钥更换声明），核对下面显示的机构名称和代码，"
                                       "再按对方签字盖章的登记表逐组输入指纹（文件中的指纹不显示，由本机比对）。").format(other=other), "muted", wrap=True))
        row = QHBoxLayout()
        self.file_path = label(self.tr("尚未选择文件"), "muted")
        self.file_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton(self.tr("选择文件…"))
        row.addWidget(self.file_path, 1)
        row.addWidget(self.choose_button)
        layout.addLayout(row)

        content = QGroupBox(self.tr("文件内容"))
        form = QFormLayout(content)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.name_value = label("—")
        self.code_value = label("—")
        self.kind_value = label("—")
        self.file_fingerprint = label("—", "fingerprint")
        self.file_fingerprint.setFont(fingerprint_font(16))
        lines = self.file_fingerprint.fontMetrics().lineSpacing()
        self.file_fingerprint.setMinimumHeight(2 * lines + 4)  # two rows of four groups once a file is read
        self.file_fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("机构名称"), self.name_value)
        form.addRow(self.tr("机构代码"), self.code_value)
        form.addRow(self.tr("文件类型"), self.kind_value)
        form.addRow(self.tr("新密钥指纹"), self.file_fingerprint)
        self._content_form = form
        self.show_file_fingerprint(False)  # only a rotation statement's new fingerprint is ever shown
        layout.addWidget(content)

        self.rotation_note = label(self.tr("这是一份密钥更换声明：它由对方原来的密钥签名，导入后改用上面的新指纹。"
                                           "导入前请打电话向对方核实确有更换，并请对方寄送新的登记表。"), "", wrap=True)
        self.rotation_note.hide()
        layout.addWidget(self.rotation_note)
        typed_form = QFormLayout()
        typed_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.typed = QLineEdit()
        typed_font = fingerprint_font(13)
        typed_font.setBold(False)
        self.typed.setFont(typed_font)
        self.typed.setPlaceholderText(self.tr("按登记表逐组输入，如 DC3E 729A …，空格可省略"))
        self.typed.setMaxLength(80)
        self.errors_typed = error_label()
        self.typed_label = label(self.tr("登记表上的指纹"))
        typed_form.addRow(self.typed_label, with_error(self.typed, self.errors_typed))
        layout.addLayout(typed_form)
        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        # Shown only when the other side already has another key (its old private key lost): keys … --replace.
        self.replace_button = QPushButton(self.tr("重新登记（替换原公钥）…"))
        self.replace_button.setToolTip(self.tr("对方原私钥丢失、无法出具密钥更换声明时：停用原公钥，改用本文件中的新公钥"))
        self.replace_button.hide()
        replace_row = QHBoxLayout()
        replace_row.addWidget(self.replace_button)
        replace_row.addStretch(1)
        layout.addLayout(replace_row)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("登记") if bureau else self.tr("绑定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)

    def show_file_fingerprint(self, visible: bool) -> None:
        caption = self._content_form.labelForField(self.file_fingerprint)
        if caption is not None:
            caption.setVisible(visible)
        self.file_fingerprint.setVisible(visible)

    def fit_height(self) -> None:
        """Grow to show a wrapped message whole (the layout's minimum does not count wrapped lines)."""
        layout = self.layout()
        assert layout is not None
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else 0
        if self.height() < needed:
            self.resize(self.width(), needed)
