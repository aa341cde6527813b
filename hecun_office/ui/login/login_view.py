"""Layout of the login dialog (U-6): the office's name, who, password, 登录."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..widgets import error_label, label, with_error

FIELD_WIDTH = 260


class LoginView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登录 — 行政执法协调监督工作台"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 26, 32, 20)
        layout.setSpacing(6)
        self.office_name = label("", "loginOffice")
        self.office_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.office_name)
        subtitle = label(self.tr("行政执法协调监督工作台"), "muted")
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(subtitle)
        layout.addSpacing(18)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        self.username = QComboBox()
        self.username.setObjectName("loginUser")
        self.username.setEditable(True)
        self.username.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # Enter logs in; it adds no item
        self.username.setMinimumWidth(FIELD_WIDTH)
        username_edit = self.username.lineEdit()
        assert username_edit is not None
        username_edit.setPlaceholderText(self.tr("选择或输入登录名"))
        self.errors_username = error_label()
        form.addRow(self.tr("用户"), with_error(self.username, self.errors_username))
        self.password = QLineEdit()
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMinimumWidth(FIELD_WIDTH)
        self.errors_password = error_label()
        form.addRow(self.tr("密码"), with_error(self.password, self.errors_password))
        layout.addLayout(form)

        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        layout.addSpacing(10)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.quit_button = QPushButton(self.tr("退出"))
        self.quit_button.setAutoDefault(False)
        self.login_button = QPushButton(self.tr("登录"))
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)  # Enter in either field logs in
        self.login_button.setMinimumWidth(96)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.login_button)
        layout.addLayout(buttons)
        layout.addWidget(label(self.tr("忘记密码请联系本所管理员重设。"), "muted"), 0, Qt.AlignmentFlag.AlignRight)

    def fit_message(self) -> None:
        """A message that wraps to two or three lines (the lock-out) is shown whole: the dialog grows to fit it."""
        layout = self.layout()
        assert layout is not None
        layout.activate()
        width = self.width()
        needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        if self.height() < needed:
            self.resize(width, needed)
