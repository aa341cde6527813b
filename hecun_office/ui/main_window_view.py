"""Layout of the main window (U-2): navigation on the left, pages on the right, status bar below."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QListWidget, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from .widgets import label

NAV_WIDTH = 150


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
        self.database_label = label("")
        self.calendar_label = label("")
        self.backup_label = label("")
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        for widget in (self.user_label, self.database_label, self.calendar_label, self.backup_label):
            status.addPermanentWidget(widget)
