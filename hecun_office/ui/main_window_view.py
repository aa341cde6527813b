"""Layout of the main window (U-2): navigation on the left, pages on the right, status bar below."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .widgets import label

NAV_WIDTH = 150
SWITCH_USER_KEYS = "Ctrl+Shift+L"  # Ctrl+L locks in many programs; this one logs the user out


class MainWindowView(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        sidebar = QWidget()
        sidebar.setObjectName("sidebar")
        sidebar.setFixedWidth(NAV_WIDTH)
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        self.office_name = label("", "officeName", wrap=True)
        self.app_name = label(self.tr("行政执法协调监督"), "appName", wrap=True)
        side.addWidget(self.office_name)
        side.addWidget(self.app_name)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        side.addWidget(self.navigation, 1)
        self.stack = QStackedWidget()
        layout.addWidget(sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.user_label = label("", "userLabel")  # who is logged in (U-6)
        # U-6: another person signs on the same PC without quitting (the clerk drafts, the director signs off)
        self.switch_user_action = QAction(self.tr("切换用户"), self)
        self.switch_user_action.setShortcut(QKeySequence(SWITCH_USER_KEYS))
        self.switch_user_action.setToolTip(self.tr("注销当前用户，换人登录（{keys}）").format(keys=SWITCH_USER_KEYS))
        self.addAction(self.switch_user_action)  # the shortcut works on every page
        self.switch_user_button = QToolButton()
        self.switch_user_button.setObjectName("switchUser")
        self.switch_user_button.setDefaultAction(self.switch_user_action)
        self.database_label = label("")
        self.calendar_label = label("")
        self.backup_label = label("")
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        for widget in (self.user_label, self.switch_user_button, self.database_label, self.calendar_label,
                       self.backup_label):
            status.addPermanentWidget(widget)
