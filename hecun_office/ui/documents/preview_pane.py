"""The editor's live preview (D-4): rendered off the GUI thread (the reader pool) 400 ms after the last edit, so
typing never waits for the typesetter; a render asked for while one runs follows it instead of running beside it.

The pane keeps the last good rendering when the values are not valid yet and says under it why; the editor marks
the field the message names. What the pane shows is also what 打印 and 另存为PDF put out while it is current
(``current_pdf``), so printing a draft does not typeset it a second time.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QTimer, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QWidget

from ...domain.errors import ValidationError
from ...services import documents
from ..errors import message_for
from ..tasks import TaskRunner
from .preview_view import PreviewView
from .printing import load_pdf

PREVIEW_DELAY_MS = 400
RenderJob = Callable[[], bytes]


class PreviewPane(PreviewView):
    updated = Signal()  # a new rendering is showing
    refused = Signal(object, str)  # (field or None, message): the values cannot be rendered as they are
    failed = Signal(str)  # a message is showing under the preview

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._source: Callable[[], RenderJob] | None = None
        self._rendering = False
        self._pending = False
        self._document: QPdfDocument | None = None
        self._buffer: QBuffer | None = None
        self._bytes = b""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(PREVIEW_DELAY_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._debounce.timeout.connect(self.render_now)

    def set_source(self, source: Callable[[], RenderJob]) -> None:
        """``source()`` says what to render now: called on the GUI thread, its result runs on the reader pool."""
        self._source = source

    @property
    def document(self) -> QPdfDocument | None:
        return self._document

    @property
    def pdf_bytes(self) -> bytes:
        return self._bytes

    def busy(self) -> bool:
        return self._rendering or self._pending or self._debounce.isActive()

    def current_pdf(self) -> bytes | None:
        """The PDF showing, when it is what a render now would give (nothing edited since, no problem shown)."""
        return self._bytes if self._bytes and not self.busy() and self.message.isHidden() else None

    def schedule(self) -> None:
        self._debounce.start()  # restarts: the preview follows 400 ms after the last keystroke

    def render_now(self) -> None:
        """Render now (off the GUI thread); a render asked for while one runs follows it."""
        self._debounce.stop()
        if self._source is None:
            return
        if self._rendering:
            self._pending = True
            return
        self._rendering, self._pending = True, False
        self._tasks.read(self._source(), self._ready, self._error)

    def _ready(self, pdf: object) -> None:
        self._rendering = False
        assert isinstance(pdf, bytes)
        document, buffer = load_pdf(pdf, self)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
            document.deleteLater()
            buffer.deleteLater()
            self.refused.emit(None, self.tr("预览无法显示（PDF 无法读取）。详细信息已写入日志。"))
        else:
            old_document, old_buffer = self._document, self._buffer
            scrolled = self.pdf_view.verticalScrollBar().value()
            self.pdf_view.setDocument(document)
            self.pdf_view.verticalScrollBar().setValue(scrolled)  # the clerk keeps reading where they were
            self._document, self._buffer, self._bytes = document, buffer, pdf
            if old_document is not None:
                old_document.deleteLater()
            if old_buffer is not None:
                old_buffer.deleteLater()
            self.show_problem("")
            self._show_font_warnings()
            self.updated.emit()
        if self._pending:
            self.render_now()

    def _show_font_warnings(self) -> None:
        warnings = documents.font_warnings()  # fonts are loaded by now (the render did it), so this is cheap
        self.font_note.setText(self.tr("字体提示：") + "".join(warnings))
        self.font_note.setVisible(bool(warnings))

    def _error(self, exc: object) -> None:
        self._rendering = False
        assert isinstance(exc, BaseException)
        self.refused.emit(exc.field if isinstance(exc, ValidationError) else None, message_for(exc))
        if self._pending:
            self.render_now()

    def show_problem(self, message: str) -> None:
        """The message under the preview (empty: none); the last good rendering stays and says so."""
        if message:
            kept = self.tr("预览保留上一次的结果。") if self._document is not None else ""
            self.message.setText(self.tr("预览未更新：{message}{kept}").format(message=message, kept=kept))
            self.message.show()
            self.failed.emit(message)
        else:
            self.message.clear()
            self.message.hide()

    def message_text(self) -> str:
        return "" if self.message.isHidden() else self.message.text()
