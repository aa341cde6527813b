"""An honest page for a part of the application that is not built yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from .widgets import label


class PlaceholderPage(QWidget):
    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(label(title, "pageTitle"))
        note = label(text, "placeholderText", wrap=True)
        note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(note)
        layout.addStretch(1)

    def refresh(self) -> None:
        """Nothing to reload."""
