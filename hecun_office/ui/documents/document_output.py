"""D-7 from the editor: 打印 at 100 % and 另存为PDF.

What is put out is the stored file of an issued document, byte for byte, and a 样稿 of anything else — for a draft
being edited, of what is on screen now. While the preview is current its bytes are used as they are; otherwise
the document is rendered again on the reader pool first. Writing the file and painting for the printer run there
too; only the dialogs that ask where stay on the GUI thread. None of this writes to the database.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from ...domain.errors import DomainError, EnvironmentProblem
from ..errors import show_error
from ..tasks import TaskRunner
from .printing import choose_printer, print_to


class OutputSource(Protocol):
    """What the editor tells the output: the PDF showing, how to render one, a file name, where errors go."""

    def current_pdf(self) -> bytes | None: ...
    def render_job(self) -> Callable[[], bytes]: ...
    def file_stem(self) -> str: ...
    def show_message(self, field: str | None, message: str) -> None: ...


class DocumentOutput(QObject):
    done = Signal(str)  # what the clerk is told beside the buttons: 正在打印…, 已送打印机, 已保存为 …

    def __init__(self, window: QWidget, source: OutputSource, tasks: TaskRunner) -> None:
        super().__init__(window)
        self._window, self._source, self._tasks = window, source, tasks
        self._then: Callable[[bytes], object] | None = None  # what waits for the render under way
        self._printer: QPrinter | None = None  # kept alive while a worker paints on it

    # --- the PDF ------------------------------------------------------------------------------------------
    def _with_pdf(self, then: Callable[[bytes], object]) -> bool:
        """Call ``then`` with the PDF now if the preview is current, else once rendered. False while one renders."""
        pdf = self._source.current_pdf()
        if pdf is not None:
            then(pdf)
            return True
        if self._then is not None:
            return False
        self._then = then
        self._tasks.read(self._source.render_job(), self._rendered, self._render_failed)
        return True

    def _rendered(self, pdf: object) -> None:
        then, self._then = self._then, None
        if then is not None and isinstance(pdf, bytes):
            then(pdf)

    def _render_failed(self, exc: object) -> None:
        self._then = None
        if isinstance(exc, DomainError):  # a field not valid yet: named and marked, as the preview does
            self._source.show_message(getattr(exc, "field", None), exc.message)
        elif isinstance(exc, BaseException):
            show_error(self._window, exc)

    # --- 打印 ---------------------------------------------------------------------------------------------
    def print_document(self) -> None:
        if self._printer is None:  # one print job at a time; the note says one is under way
            self._with_pdf(self._print)

    def _print(self, pdf: bytes) -> None:
        printer = choose_printer(self._window, self._source.file_stem())
        if printer is None:
            return
        self._printer = printer
        self.done.emit(self.tr("正在打印…"))
        self._tasks.read(partial(print_to, printer, pdf), self._printed, self._print_failed)

    def _printed(self, _pages: object) -> None:
        self._printer = None
        self.done.emit(self.tr("已送打印机"))

    def _print_failed(self, exc: object) -> None:
        self._printer = None
        self.done.emit("")
        show_error(self._window, exc if isinstance(exc, BaseException) else RuntimeError(str(exc)),
                   self.tr("打印未完成"))

    # --- 另存为PDF -----------------------------------------------------------------------------------------
    def save_pdf(self) -> Path | None:
        """Ask where and write the file on the reader pool. The path chosen, or None when cancelled (or when
        the PDF must be rendered first: then the question follows the render)."""
        chosen: list[Path] = []
        self._with_pdf(partial(self._save, chosen))
        return chosen[0] if chosen else None

    def _save(self, chosen: list[Path], pdf: bytes) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder) / f"{self._source.file_stem()}.pdf")
        name, _ = QFileDialog.getSaveFileName(self._window, self.tr("另存为PDF"), suggested,
                                              self.tr("PDF 文件 (*.pdf)"))
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        chosen.append(path)
        self._tasks.read(partial(write_pdf, path, pdf), self._saved, self._save_failed)

    def _saved(self, path: object) -> None:
        assert isinstance(path, Path)
        self.done.emit(self.tr("已保存为 {name}").format(name=path.name))

    def _save_failed(self, exc: object) -> None:
        show_error(self._window, exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))


def write_pdf(path: Path, pdf: bytes) -> Path:
    """Write ``pdf`` to ``path`` (a worker); a refusal of the disk says where, in the clerk's words."""
    try:
        path.write_bytes(pdf)
    except OSError as exc:
        raise EnvironmentProblem(QCoreApplication.translate(
            "DocumentOutput", "无法保存到“{path}”（{reason}）。请换一个位置或文件名后重试。").format(
            path=path, reason=exc.strerror or exc)) from exc
    return path
