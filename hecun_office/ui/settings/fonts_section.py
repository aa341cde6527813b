"""Behaviour of 设置 → 字体 (D-6): per role the file the next document uses, a sample line set in it, the glyph
check, 选择文件… and 恢复默认.

Reading the fonts (≈0.3 s the first time) and saving a choice (a file in the data directory) run on the runner,
never on the GUI thread. A refused file leaves the setting as it was; the reason shows in the role's box.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontDatabase, QShowEvent
from PySide6.QtWidgets import QFileDialog, QWidget

from ...domain.errors import DomainError
from ...services.font_settings import (
    BUILTIN,
    ROLES,
    SAMPLE,
    USAGE,
    RoleFont,
    choose_font,
    reset_font,
    role_fonts,
)
from ..context import UiContext
from ..errors import show_error
from .fonts_view import FontsView

SAMPLE_POINTS = 14

# Font files Qt has been given for the samples: path → family (registered once per process).
_families: dict[Path, str] = {}


def sample_family(path: Path) -> str:
    """The family Qt knows the file by ("" when Qt cannot read it)."""
    if path not in _families:
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _families[path] = families[0] if families else ""
    return _families[path]


class FontsSection(FontsView):
    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__({role: USAGE[role] for role in ROLES})
        if parent is not None:
            self.setParent(parent)
        self._ctx = ctx
        self.rows: dict[str, RoleFont] = {}
        self._asked = False
        self._connect_signals()

    def _connect_signals(self) -> None:
        for role, box in self.boxes.items():
            box.choose_button.clicked.connect(partial(self.open_file_dialog, role))
            box.reset_button.clicked.connect(partial(self.reset, role))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Read the fonts when first shown, so the tab needs nothing from the page that mounts it."""
        super().showEvent(event)
        if not self._asked:
            self.refresh()

    def refresh(self) -> None:
        self._asked = True
        self._ctx.tasks.read(role_fonts, self._show_all, self._read_failed)

    def _show_all(self, rows: object) -> None:
        self.loading.hide()
        for row in rows if isinstance(rows, list) else []:
            self._show(row)

    def _read_failed(self, exc: object) -> None:
        self.loading.hide()
        if isinstance(exc, BaseException):
            show_error(self, exc)

    def _show(self, row: RoleFont) -> None:
        self.rows[row.role] = row
        box = self.boxes[row.role]
        box.file.setText(str(row.path) if row.path is not None else self.tr("（无：本机没有可用的中文 TrueType 字体）"))
        embedded = self.tr("嵌入 PDF") if row.embedded else self.tr("不嵌入 PDF，换一台电脑打印可能走样")
        box.source.setText(f"{row.label} · {row.source_text} · {embedded}")
        family = sample_family(row.path) if row.path is not None else ""
        font = QFont(family) if family else QFont()
        font.setPointSize(SAMPLE_POINTS)
        box.sample.setFont(font)
        box.sample.setText(SAMPLE if family or row.path is None else self.tr("（本机的界面无法显示这个字体的样字）"))
        if row.source == BUILTIN:
            box.sample.setToolTip(self.tr("PDF 内置宋体不嵌入文件，实际字形取决于打开 PDF 的电脑；这里以界面字体示意。"))
        box.glyphs.setText(row.glyph_text)
        box.glyphs.setObjectName("fieldError" if row.missing_glyphs else "")
        box.glyphs.style().unpolish(box.glyphs)  # the style sheet colours by object name: apply the new one
        box.glyphs.style().polish(box.glyphs)
        box.notes.setText("\n".join(row.warnings))
        box.notes.setVisible(bool(row.warnings))
        box.reset_button.setEnabled(row.chosen is not None)
        box.reset_button.setToolTip(self.tr("不再使用设置中指定的文件，按系统字体查找。") if row.chosen is not None
                                    else self.tr("未指定文件：已在使用系统字体。"))

    def open_file_dialog(self, role: str) -> QFileDialog:
        current = self.rows.get(role)
        folder = str(current.path.parent) if current is not None and current.path is not None else ""
        dialog = QFileDialog(self, self.tr("选择{role}字体文件").format(role=role), folder,
                             self.tr("TrueType 字体 (*.ttf *.ttc *.TTF *.TTC);;所有文件 (*)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setObjectName("fontFileDialog")
        dialog.fileSelected.connect(partial(self.choose_file, role))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def choose_file(self, role: str, path: str | Path) -> None:
        """Check ``path`` and use it for ``role`` (on the database worker: a write of this PC's settings)."""
        box = self.boxes[role]
        box.error.hide()
        box.choose_button.setEnabled(False)
        self._ctx.tasks.write(partial(choose_font, role, Path(path)), partial(self._chosen, role),
                              partial(self._failed, role))

    def reset(self, role: str) -> None:
        self.boxes[role].error.hide()
        self._ctx.tasks.write(partial(reset_font, role), partial(self._was_reset, role), partial(self._failed, role))

    def _chosen(self, role: str, row: object) -> None:
        self.boxes[role].choose_button.setEnabled(True)
        if isinstance(row, RoleFont):
            self._show(row)
            self.message.emit(self.tr("{role}字体已改用 {name}（{file}），新生成的文书即按此字体排版").format(
                role=role, name=row.label, file=row.path.name if row.path else ""))
        self.refresh()  # a role without a font of its own may borrow the one just chosen

    def _was_reset(self, role: str, row: object) -> None:
        if isinstance(row, RoleFont):
            self._show(row)
            self.message.emit(self.tr("{role}字体已恢复默认：{name}").format(role=role, name=row.label))
        self.refresh()

    def _failed(self, role: str, exc: object) -> None:
        box = self.boxes[role]
        box.choose_button.setEnabled(True)
        if isinstance(exc, DomainError):
            box.error.setText(exc.message)
            box.error.show()
        elif isinstance(exc, BaseException):
            show_error(self, exc)
