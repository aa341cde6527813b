"""Layout of 密钥与登记: our key's fingerprint, the enrolment file and form, and the other side's key (S-6)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..widgets import label
from .fonts import fingerprint_font

FINGERPRINT_POINTS = 20


class KeysView(QWidget):
    def __init__(self, bureau: bool) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 4, 4)
        layout.setSpacing(12)

        own = QGroupBox(self.tr("本机构公钥"))
        grid = QGridLayout(own)
        grid.setContentsMargins(14, 14, 14, 12)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        self.identity = label("")
        self.fingerprint = label("", "fingerprint")
        self.fingerprint.setFont(fingerprint_font(FINGERPRINT_POINTS))
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_date = label("", "muted")
        grid.addWidget(label(self.tr("机构")), 0, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.identity, 0, 1)
        grid.addWidget(label(self.tr("公钥指纹")), 1, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.fingerprint, 1, 1)
        grid.addWidget(self.key_date, 2, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.export_key_button = QPushButton(self.tr("导出公钥文件…"))
        self.form_button = QPushButton(self.tr("打印登记表…"))
        self.form_button.setToolTip(self.tr("生成一页 A4 公钥登记表（PDF），打印后由经办人签字并盖章"))
        self.rotate_button = QPushButton(self.tr("更换密钥…"))
        # Rarely used, administrators only: a second PC on the same database, and a lost private key.
        # A push button with a menu (not a QToolButton): drawn like its neighbours, the arrow after the text.
        self.more_button = QPushButton(self.tr("更多…"))
        self.more_button.setToolTip(self.tr("私钥保护文件（同一数据库的另一台电脑）和重置密钥（私钥丢失时）"))
        self.more_menu = QMenu(self.more_button)
        self.export_secret_action = self.more_menu.addAction(self.tr("导出私钥保护文件…"))
        self.export_secret_action.setToolTip(self.tr("用口令加密导出本机的私钥保护信息，供同一数据库的另一台电脑使用"))
        self.import_secret_action = self.more_menu.addAction(self.tr("导入私钥保护文件…"))
        self.import_secret_action.setToolTip(self.tr("导入另一台电脑导出的私钥保护文件，本机即可签名和解密数据包"))
        self.more_menu.addSeparator()
        self.reset_action = self.more_menu.addAction(self.tr("重置密钥…"))
        self.reset_action.setToolTip(self.tr("仅在私钥丢失时使用：生成新密钥，对方须重新登记"))
        self.more_menu.setToolTipsVisible(True)
        self.more_button.setMenu(self.more_menu)
        for button in (self.export_key_button, self.form_button, self.rotate_button, self.more_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 3, 1)
        other = self.tr("司法局") if not bureau else self.tr("各司法所")
        grid.addWidget(label(self.tr("把公钥文件连同签字盖章的登记表交{other}；对方导入文件时，须逐组核对登记表上的指纹。"
                                     "指纹不同，说明文件在传递中被替换或损坏。").format(other=other), "muted", wrap=True),
                       4, 1)
        grid.setColumnStretch(1, 1)
        layout.addWidget(own)

        peer = QGroupBox(self.tr("司法所公钥") if bureau else self.tr("司法局公钥"))
        box = QVBoxLayout(peer)
        box.setContentsMargins(14, 14, 14, 12)
        self.peer_status = label("", "", wrap=True)
        self.peer_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.peer_status)
        row = QHBoxLayout()
        self.enrol_button = QPushButton(self.tr("登记司法所公钥…") if bureau else self.tr("绑定司法局公钥…"))
        self.enrol_button.setToolTip(self.tr("导入对方交来的公钥文件并核对指纹；也用于导入对方的密钥更换声明"))
        row.addWidget(self.enrol_button)
        row.addStretch(1)
        box.addLayout(row)
        layout.addWidget(peer)
        layout.addStretch(1)
