"""Layout of the main window (U-2): navigation on the left, pages on the right, status bar below."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QListWidget, QMainWindow, QStackedWidget, QWidget

from .widgets import label

NAV_WIDTH = 150


class MainWindowView(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(NAV_WIDTH)
        self.stack = QStackedWidget()
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.database_label = label("")
        self.calendar_label = label("")
        self.backup_label = label("")
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        for widget in (self.database_label, self.calendar_label, self.backup_label):
            status.addPermanentWidget(widget)
