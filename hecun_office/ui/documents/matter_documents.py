"""Behaviour of a matter's 文书 section: list the matter's documents, draft a new one prefilled from the matter,
open one in the editor. ``changed`` tells the detail page that the matter may have moved (an issued advice
starts rectification, service sets its deadline)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from ...domain.permissions import Permission
from ...services.documents import list_documents
from ..context import UiContext
from ..errors import show_error
from ..formatting import form_text
from ..roles import gate
from .catalogue import matter_forms
from .editor_dialog import EditorDialog, open_editor
from .matter_documents_view import MatterDocumentsView
from .row_editor import open_document_row


class MatterDocuments(MatterDocumentsView):

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._matter_id: int | None = None
        self._reg_no = ""
        for form in matter_forms(ctx.db):
            action = self.draft_menu.addAction(form_text(form.name))
            action.setData(form.id)
        gate(ctx.actor.role, Permission.DOCUMENT_DRAFT, self.draft_button)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.draft_menu.triggered.connect(self._draft_chosen)
        self.table.activated.connect(self._open_row)

    def show_matter(self, matter_id: int, reg_no: str) -> None:
        self._matter_id, self._reg_no = matter_id, reg_no
        self.refresh()

    def refresh(self) -> None:
        if self._matter_id is None:
            return
        try:
            rows = list_documents(self._ctx.db, matter_id=self._matter_id)
        except Exception as exc:
            show_error(self, exc)
            return
        self.model.set_rows(rows)
        self.fit_rows()

    def _draft_chosen(self, action: QAction) -> None:
        self.draft(str(action.data()))

    def draft(self, form_id: str) -> EditorDialog | None:
        """起草文书: the editor with a new draft filled from this matter."""
        make = partial(EditorDialog.new_draft, self._ctx, form_id, self._matter_id, self._reg_no, self)
        return open_editor(self, make, self._document_changed)

    def _open_row(self, index: QModelIndex) -> None:
        open_document_row(self, self._ctx, index, self._document_changed)

    def open_document(self, doc_id: int) -> EditorDialog | None:
        make = partial(EditorDialog.for_document, self._ctx, doc_id, self)
        return open_editor(self, make, self._document_changed)

    def _document_changed(self, _doc_id: int) -> None:
        pass  # the write's change notice has already shown the matter, these documents included
