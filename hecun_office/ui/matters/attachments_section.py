"""A matter's 附件 on its detail page (issue 11 item 5): list, add (copied into the data store on the database
worker: a scanned case file can be large) and save a copy elsewhere (checked against its SHA-256 on the reader
pool). A matter another office reported is read-only here: no 添加."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ...domain.permissions import Permission
from ...services.attachments import add_attachment, export_attachment, list_attachments
from ..context import UiContext
from ..errors import show_error
from ..models.attachment_table import AttachmentTableModel
from ..roles import gate
from ..widgets import label, set_column_widths, table_view

VISIBLE_ROWS = 4


class AttachmentsSection(QWidget):
    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._matter_id: int | None = None
        self._editable = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 12, 0)
        layout.setSpacing(6)
        head = QHBoxLayout()
        head.addWidget(label(self.tr("附件"), "sectionTitle"))
        head.addStretch(1)
        self.add_button = QPushButton(self.tr("添加附件…"))
        self.add_button.setToolTip(self.tr("调查材料、照片、扫描件等，文件复制到本机数据目录保存"))
        self.export_button = QPushButton(self.tr("另存为…"))
        self.export_button.setEnabled(False)
        head.addWidget(self.add_button)
        head.addWidget(self.export_button)
        layout.addLayout(head)
        self.model = AttachmentTableModel(self)
        self.table = table_view(self.model, stretch_column=0)
        self.table.setObjectName("attachments")
        set_column_widths(self.table, {1: 70, 2: 70, 3: 130})
        layout.addWidget(self.table)
        self.empty = label(self.tr("尚无附件"), "emptyNote")
        layout.addWidget(self.empty)
        self._allowed = gate(ctx.actor.role, Permission.MATTER_WORK, self.add_button)
        self.add_button.clicked.connect(self.choose_files)
        self.export_button.clicked.connect(self.export_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(self.export_selected)

    def show_matter(self, matter_id: int, editable: bool) -> None:
        self._matter_id, self._editable = matter_id, editable
        self.add_button.setVisible(editable)
        self.refresh()

    def refresh(self) -> None:
        if self._matter_id is None:
            return
        try:
            rows = list_attachments(self._ctx.db, self._matter_id)
        except Exception as exc:
            show_error(self, exc)
            return
        self.model.set_rows(rows)
        shown = min(len(rows), VISIBLE_ROWS)
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header + max(shown, 1) * self.table.verticalHeader().defaultSectionSize()
                                  + 2 * self.table.frameWidth())
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self._selection_changed()

    def _selection_changed(self, *_args: object) -> None:
        self.export_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("选择要添加的附件"))
        self.add_files([Path(n) for n in names])

    def add_files(self, files: list[Path]) -> None:
        """Each file is copied in and recorded on the database worker; the change notice shows it."""
        if self._matter_id is None or not self._editable or not self._allowed:
            return
        for path in files:
            self._ctx.tasks.write(partial(add_attachment, self._ctx.db, self._ctx.actor, self._matter_id, path),
                                  self._added, self._failed)

    def _added(self, _attachment_id: object) -> None:
        self.message.emit(self.tr("附件已添加"))

    def _failed(self, exc: object) -> None:
        if isinstance(exc, BaseException):
            show_error(self, exc)

    def export_selected(self, *_args: object) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        row = self.model.row_of(rows[0].row())
        target, _ = QFileDialog.getSaveFileName(self, self.tr("附件另存为"), row.file_name)
        if target:
            self.export_to(row.id, Path(target))

    def export_to(self, attachment_id: int, target: Path) -> None:
        self._ctx.tasks.read(partial(export_attachment, self._ctx.db, attachment_id, target), self._exported,
                             self._failed)

    def _exported(self, path: object) -> None:
        self.message.emit(self.tr("已保存到 {path}").format(path=path))
