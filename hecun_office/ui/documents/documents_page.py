"""Behaviour of the 文书 page: filter the register, open a document, start a new one."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex

from ...domain.documents import DocStatus
from ...domain.permissions import Permission
from ...services.changes import Changes
from ...services.documents import list_documents
from ..context import UiContext
from ..errors import open_dialog, show_error
from ..formatting import form_text, vocab_text
from ..roles import gate
from .catalogue import all_forms
from .documents_view import DocumentsView
from .editor_dialog import EditorDialog, open_editor
from .new_document_dialog import NewDocumentDialog
from .row_editor import open_document_row

LIMIT = 500


class DocumentsPage(DocumentsView):

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx
        self.status_filter.addItem(self.tr("全部"), None)
        for status in DocStatus:
            self.status_filter.addItem(vocab_text(status), status.value)
        self.form_filter.addItem(self.tr("全部文书"), None)
        for form in all_forms():
            self.form_filter.addItem(form_text(form.name), form.id)
        self.new_button.setToolTip(self.tr("起草一份新的格式文书"))
        gate(ctx.actor.role, Permission.DOCUMENT_DRAFT, self.new_button)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.status_filter.currentIndexChanged.connect(self.refresh)
        self.form_filter.currentIndexChanged.connect(self.refresh)
        self.table.activated.connect(self._open_row)
        self.new_button.clicked.connect(self.open_new_dialog)

    def apply_changes(self, changes: Changes) -> None:
        """The register shows documents and their matters' numbers: read again when shown and one changed."""
        if self.isVisible() and changes.touches(("documents", "matters")):
            self.refresh()

    def refresh(self) -> None:
        status = self.status_filter.currentData()
        form_id = self.form_filter.currentData()
        try:
            rows = list_documents(self._ctx.db, status=status, limit=LIMIT)
        except Exception as exc:
            show_error(self, exc)
            return
        if form_id:
            rows = [r for r in rows if r.form_id == form_id]
        self.model.set_rows(rows)
        more = self.tr("（仅列出最近 {n} 份）").format(n=LIMIT) if len(rows) >= LIMIT else ""
        self.count_label.setText(self.tr("共 {n} 份{more}").format(n=len(rows), more=more))

    def select(self, doc_id: int) -> None:
        row = self.model.find(doc_id)
        if row is not None:
            self.table.selectRow(row)

    def _open_row(self, index: QModelIndex) -> None:
        open_document_row(self, self._ctx, index, self._document_changed)

    def open_document(self, doc_id: int) -> EditorDialog | None:
        make = partial(EditorDialog.for_document, self._ctx, doc_id, self)
        return open_editor(self, make, self._document_changed)

    def open_new_dialog(self) -> NewDocumentDialog | None:
        dialog = open_dialog(self, partial(NewDocumentDialog, self._ctx, self))
        if dialog is not None:
            dialog.chosen.connect(self.draft)
        return dialog

    def draft(self, form_id: str, matter_id: int | None = None, reg_no: str = "") -> EditorDialog | None:
        make = partial(EditorDialog.new_draft, self._ctx, form_id, matter_id, reg_no, self)
        return open_editor(self, make, self._document_changed)

    def _document_changed(self, doc_id: int) -> None:
        # The write's change notice has already read the register again (and every page that shows the matter).
        self.select(doc_id)
