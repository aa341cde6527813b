"""Layout of the editor's preview pane: what the preview shows, the 套打 switch, the pages, and under them why the
preview did not update or which font stood in for a missing one."""

from __future__ import annotations

from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from ..widgets import label

PAGE_SPACING = 12


class PreviewView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.state = label("", "previewState")
        top.addWidget(self.state, 1)
        self.preprinted = QCheckBox(self.tr("套打（预印红头纸，不印版头）"))
        self.preprinted.setToolTip(self.tr("在已印好红色版头的公文纸上打印时勾选：版头和红色分隔线留空。"))
        top.addWidget(self.preprinted)
        layout.addLayout(top)
        self.pdf_view = QPdfView()
        self.pdf_view.setObjectName("preview")
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_view.setPageSpacing(PAGE_SPACING)
        layout.addWidget(self.pdf_view, 1)
        self.message = label("", "previewMessage", wrap=True)
        self.message.hide()
        layout.addWidget(self.message)
        # D-6: a substituted font is said where the clerk looks at the page, not only in `check`
        self.font_note = label("", "previewState", wrap=True)
        self.font_note.setObjectName("fontNote")
        self.font_note.hide()
        layout.addWidget(self.font_note)
