"""Opening a document of a table row in the editor: one way for the 文书 page, a matter's documents and the
dashboard's queues (duplicates --change found three copies)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QWidget

from ..context import UiContext
from ..models.base import ID_ROLE
from .editor_dialog import EditorDialog, open_editor


def open_document_row(parent: QWidget, ctx: UiContext, index: QModelIndex,
                      on_changed: Callable[[int], None]) -> EditorDialog | None:
    """The document of a table row (its ID_ROLE) in the editor: one way for the 文书 page, a matter's documents and
    the dashboard's queues; ``on_changed`` follows its saves."""
    doc_id = index.data(ID_ROLE)
    if doc_id is None:
        return None
    return open_editor(parent, partial(EditorDialog.for_document, ctx, int(doc_id), parent), on_changed)

