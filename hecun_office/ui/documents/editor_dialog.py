"""Behaviour of the document editor (D-4, D-7, D-8): fields generated from the form, the live preview beside them
(preview_pane.py), printing and saving as PDF (document_output.py), and exactly the actions the document's state
and the user's role allow.

Every action that writes — 保存草稿, 送审, 定稿, 审核, 退回, 签发, 作废, 送达, a 送达回证 — runs on the database
worker (document_writes.py, and the small dialogs' own Submission): sign-off typesets the final PDF inside the
service, and the window must not freeze meanwhile (N-2). The action buttons stay disabled until the document has
been read back, so a second click never meets the state before the first. An issued document shows its stored
PDF, read-only: what prints and what is saved is that file, byte for byte (D-4).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from ...documents.forms import FormDef
from ...domain.documents import DocAction, DocStatus
from ...domain.errors import DomainError
from ...domain.permissions import Permission, allowed
from ...services import documents
from ...services.documents import DocumentRow
from ..context import UiContext
from ..errors import open_dialog, show_error
from ..formatting import form_text, table_date, vocab_text
from ..roles import gate
from .action_dialogs import IssueDialog, ReasonDialog, ServiceDialog, history_text
from .catalogue import RECEIPT_FORM, receipt_values
from .document_output import DocumentOutput
from .document_writes import DocumentWrites, Step, update_draft
from .editor_view import EditorView
from .field_widgets import FieldEditor
from .preview_pane import PreviewPane


class EditorDialog(EditorView):
    document_changed = Signal(int)  # saved, moved on or served: lists and the matter refresh
    preview_updated = Signal()  # a new preview is showing
    preview_failed = Signal(str)  # the values are not valid (yet); the message names the field

    def __init__(self, ctx: UiContext, form_id: str, matter_id: int | None, values: dict[str, Any],
                 row: DocumentRow | None = None, matter_reg_no: str = "", parent: QWidget | None = None) -> None:
        self.preview_pane = PreviewPane(ctx.tasks)
        super().__init__(self.preview_pane, parent)
        self._ctx = ctx
        self.form_def: FormDef = documents.form(form_id)
        self._matter_id = matter_id
        self._matter_reg_no = row.matter_reg_no if row else matter_reg_no
        self._row = row
        self._dirty = False
        self._edits = self._edits_at_write = 0  # typing while a save runs must survive the read-back
        self._close_when_done = False
        self._close_box: QMessageBox | None = None
        self.problem_field: str | None = None
        self.editors: dict[str, FieldEditor] = {}
        for field in self.form_def.fields:
            editor = FieldEditor(field, ctx.today(), self)
            editor.set_value(values.get(field.name))
            self.form.addRow(editor.label, editor.widget)
            self.editors[field.name] = editor
        self.preprinted.setChecked(row.preprinted if row else False)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.writes = DocumentWrites(self, self, ctx)
        self.output = DocumentOutput(self, self, ctx.tasks)
        self.preview_pane.set_source(self.render_job)
        self._connect_signals()
        self._show_state()
        self.preview_pane.render_now()

    @classmethod
    def new_draft(cls, ctx: UiContext, form_id: str, matter_id: int | None, matter_reg_no: str = "",
                  parent: QWidget | None = None) -> EditorDialog:
        """A new draft filled from the matter and the office (not saved until 保存草稿 or 送审)."""
        values = documents.draft_values(ctx.db, form_id, matter_id, ctx.today())
        return cls(ctx, form_id, matter_id, values, None, matter_reg_no, parent)

    @classmethod
    def for_document(cls, ctx: UiContext, doc_id: int, parent: QWidget | None = None) -> EditorDialog:
        row = documents.get_document(ctx.db, doc_id)
        return cls(ctx, row.form_id, row.matter_id, row.values, row, parent=parent)

    def _connect_signals(self) -> None:
        for editor in self.editors.values():
            editor.changed.connect(self._edited)
        self.preprinted.toggled.connect(self._edited)
        self.preview_pane.updated.connect(self._preview_shown)
        self.preview_pane.updated.connect(self.preview_updated)
        self.preview_pane.refused.connect(self._show_problem)
        self.preview_pane.failed.connect(self.preview_failed)
        self.output.done.connect(self.saved_note.setText)
        self.writes.busy_changed.connect(self._busy_changed)
        self.writes.accepted.connect(self._preview_shown)
        self.writes.refused.connect(self._refused)
        self.writes.loaded.connect(self._reloaded)
        self.writes.told.connect(self.saved_note.setText)
        self.save_button.clicked.connect(self.save)
        self.submit_button.clicked.connect(self.submit_for_review)
        self.finalize_button.clicked.connect(self.finalize)
        self.approve_button.clicked.connect(self.approve)
        self.return_button.clicked.connect(self.open_return_dialog)
        self.issue_button.clicked.connect(self.open_issue_dialog)
        self.void_button.clicked.connect(self.open_void_dialog)
        self.serve_button.clicked.connect(self.open_service_dialog)
        self.receipt_button.clicked.connect(self.open_receipt)
        self.print_button.clicked.connect(self.output.print_document)
        self.save_pdf_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.reject)

    # --- state ----------------------------------------------------------------------------------------
    @property
    def row(self) -> DocumentRow | None:
        return self._row

    @property
    def doc_id(self) -> int | None:
        return self._row.id if self._row else None

    @property
    def status(self) -> DocStatus:
        return DocStatus(self._row.status) if self._row else DocStatus.DRAFT

    @property
    def editable(self) -> bool:
        return self.status is DocStatus.DRAFT and allowed(self._ctx.actor.role, Permission.DOCUMENT_DRAFT)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def _show_state(self) -> None:
        row = self._row
        self.setWindowTitle(self.tr("文书 — {name}").format(name=form_text(self.form_def.name)))
        self.heading.setText(form_text(self.form_def.name))
        self.status_badge.setText(vocab_text(row.status_label) if row else self.tr("新草稿（未保存）"))
        self.number.setText(row.number if row else "")
        self.matter.setText(self.tr("事项：{reg_no}").format(reg_no=self._matter_reg_no) if self._matter_reg_no
                            else self.tr("未关联事项") if self._matter_id is None else "")
        self.history.setText(history_text(row) if row else "")
        self.history.setVisible(bool(self.history.text()))
        editable = self.editable
        for editor in self.editors.values():
            editor.set_editable(editable)
        self.preprinted.setEnabled(editable)
        self.fields_note.setText(self.tr("带 * 的为必填项；修改后右侧预览自动更新。") if editable
                                 else self.tr("文书已进入审批流程，内容只读。需要修改时请审核人“退回修改”。")
                                 if self.status in (DocStatus.REVIEW, DocStatus.APPROVED)
                                 else self.tr("内容只读。"))
        self.preview_pane.state.setText(
            self.tr("已签发文书：与存档文件完全一致，只读") if self.status is DocStatus.ISSUED
            else self.tr("样稿预览（随输入自动更新）") if editable else self.tr("样稿预览（只读）"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        possible = ({DocAction(a) for a in self._row.actions} if self._row
                    else {DocAction.SUBMIT if self.form_def.number_pattern else DocAction.FINALIZE})
        issued = self.status is DocStatus.ISSUED
        shown: dict[QPushButton, bool] = {
            self.save_button: self.status is DocStatus.DRAFT,
            self.submit_button: DocAction.SUBMIT in possible,
            self.approve_button: DocAction.APPROVE in possible,
            self.return_button: DocAction.RETURN in possible,
            self.issue_button: DocAction.ISSUE in possible,
            self.finalize_button: DocAction.FINALIZE in possible,
            self.void_button: DocAction.VOID in possible,
            self.serve_button: issued,
            self.receipt_button: issued,
        }
        for button, visible in shown.items():
            button.setVisible(visible)
        role = self._ctx.actor.role  # gate() says who may instead of the tooltip the view set
        gate(role, Permission.DOCUMENT_DRAFT, self.save_button, self.submit_button, self.finalize_button,
             self.serve_button, self.receipt_button)
        gate(role, Permission.DOCUMENT_REVIEW, self.approve_button, self.return_button)
        gate(role, Permission.DOCUMENT_ISSUE, self.issue_button, self.void_button)
        row = self._row
        if row is not None and row.served_on is not None:
            self.serve_button.setEnabled(False)
            self.serve_button.setToolTip(self.tr("已于 {day} 登记送达").format(day=table_date(row.served_on)))
        elif self.serve_button.isEnabled():
            self.serve_button.setToolTip(self.tr("登记送达日期、方式和受送达人"))
        if self.writes.busy:
            for button in shown:
                button.setEnabled(False)

    # --- preview --------------------------------------------------------------------------------------
    @property
    def preview_document(self) -> QPdfDocument | None:
        return self.preview_pane.document

    @property
    def preview_bytes(self) -> bytes:
        return self.preview_pane.pdf_bytes

    def preview_busy(self) -> bool:
        return self.preview_pane.busy()

    def preview_message_text(self) -> str:
        return self.preview_pane.message_text()

    def render_job(self) -> Callable[[], bytes]:
        """What the preview and the output render: a 样稿 of the values on screen while they can be edited, else
        the document as stored (for an issued one, its archived file)."""
        ctx = self._ctx
        if self.editable or self._row is None:
            return partial(documents.preview_pdf, ctx.db, self.form_def.id, self.values(), ctx.today(),
                           self.preprinted.isChecked())
        return partial(documents.document_pdf, ctx.db, self._row.id, ctx.today())

    def current_pdf(self) -> bytes | None:
        return self.preview_pane.current_pdf()

    def _edited(self) -> None:
        self._dirty = True
        self._edits += 1
        self.saved_note.clear()
        self.preview_pane.schedule()

    def _preview_shown(self) -> None:
        self._show_problem(None, "")

    def _show_problem(self, field: str | None, message: str) -> None:
        """The message under the preview (empty: none) and the field it names marked."""
        self.problem_field = field if message and field in self.editors else None
        for name, editor in self.editors.items():
            editor.set_invalid(name == self.problem_field)
        self.preview_pane.show_problem(message)

    def show_message(self, field: str | None, message: str) -> None:
        """FieldMessages for Submission: a refused field is marked, scrolled to and focused."""
        if field in self.editors:
            self._show_problem(field, message)
            self.fields_scroll.ensureWidgetVisible(self.editors[field].widget)
            self.editors[field].focus()
        else:
            show_error(self, DomainError(message))

    # --- writing (document_writes.py): a save, perhaps a step after it, then the document read back --------
    def save(self) -> bool:
        """保存草稿 on the database worker. True when the save started (or a read-only draft needs none)."""
        now = QDateTime.currentDateTime().toString("HH:mm")
        return self._save_then(None, self.tr("已保存 {time}").format(time=now))

    def submit_for_review(self) -> bool:
        """送审: saved first; the service checks every field now."""
        return self._save_then(self._submit_call, self.tr("已送审，等待审核"))

    def finalize(self) -> bool:
        """定稿 of a record form: saved first, then made final without review."""
        return self._save_then(self._finalize_call, self.tr("已定稿，可以打印"))

    def approve(self) -> bool:
        assert self._row is not None
        call = partial(documents.review, self._ctx.db, self._ctx.actor, self._row.id, True)
        return self.writes.step(self._row.id, call, self.tr("已审核通过，等待签发"))

    def _submit_call(self, doc_id: int) -> Callable[[], object]:
        return partial(documents.submit, self._ctx.db, self._ctx.actor, doc_id)

    def _finalize_call(self, doc_id: int) -> Callable[[], object]:
        return partial(documents.finalize, self._ctx.db, self._ctx.actor, doc_id, self._ctx.today())

    def _save_then(self, step: Step | None, note: str) -> bool:
        if not self.editable:  # nothing to save (a read-only draft): the step alone
            if self._row is None:
                return False
            return self.writes.step(self._row.id, step(self._row.id), note) if step is not None else True
        ctx, values, preprinted = self._ctx, self.values(), self.preprinted.isChecked()
        if self._row is None:
            call: Callable[[], int] = partial(documents.create_draft, ctx.db, ctx.actor, self.form_def.id,
                                              self._matter_id, values, ctx.today(), preprinted=preprinted)
        else:
            call = partial(update_draft, ctx, self._row.id, values, preprinted)
        return self.writes.save(call, step, note)

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self._edits_at_write = self._edits  # the values the write took are what is on screen now
        self._update_buttons()

    def _refused(self) -> None:
        """The message is next to its field already; the editor stays open with what the clerk typed."""
        self._close_when_done = False

    def _reloaded(self, row: object) -> None:
        assert isinstance(row, DocumentRow)
        self._row, self._matter_id = row, row.matter_id
        self._matter_reg_no = row.matter_reg_no or self._matter_reg_no
        if self._edits == self._edits_at_write:  # otherwise the clerk typed on: keep that, still unsaved
            for name, editor in self.editors.items():
                editor.blockSignals(True)
                editor.set_value(row.values.get(name))
                editor.blockSignals(False)
            self.preprinted.blockSignals(True)
            self.preprinted.setChecked(row.preprinted)
            self.preprinted.blockSignals(False)
            self._dirty = False
        self._show_state()
        self.preview_pane.render_now()
        self.document_changed.emit(row.id)
        if self._close_when_done:
            self._close_when_done = False
            self.reject()

    # --- the small dialogs of a document's life: each runs its own write -------------------------------
    def open_return_dialog(self) -> ReasonDialog:
        assert self._row is not None
        return self.writes.open_return(self._row)

    def open_void_dialog(self) -> ReasonDialog:
        assert self._row is not None
        return self.writes.open_void(self._row)

    def open_issue_dialog(self) -> IssueDialog:
        assert self._row is not None
        return self.writes.open_issue(self._row)

    def open_service_dialog(self) -> ServiceDialog:
        assert self._row is not None
        return self.writes.open_service(self._row)

    def open_receipt(self) -> EditorDialog | None:
        """打印送达回证: a 送达回证 naming this document, opened for printing and saved as a draft at once."""
        row = self._row
        assert row is not None
        receipt = open_editor(self, partial(_receipt_editor, self._ctx, row, self), self.document_changed.emit)
        if receipt is not None:
            receipt.save()
        return receipt

    # --- output ---------------------------------------------------------------------------------------
    def file_stem(self) -> str:
        row = self._row
        return (row.number if row and row.number else self.form_def.name).replace("/", "_")

    def save_pdf(self) -> Path | None:
        return self.output.save_pdf()

    # --- closing --------------------------------------------------------------------------------------
    def reject(self) -> None:
        if self.writes.busy:  # the write finishes first; the editor closes when it is read back
            self._close_when_done = True
            return
        if self.editable and self._dirty:
            self._ask_before_closing()
            return
        super().reject()

    def _ask_before_closing(self) -> None:
        self._close_box = self.unsaved_question()
        self._close_box.buttonClicked.connect(self._close_answer)
        self._close_box.open()

    def _close_answer(self, button: QPushButton) -> None:
        box = self._close_box
        if box is None:
            return
        answer = box.standardButton(button)
        if answer == QMessageBox.StandardButton.Save:
            self._close_when_done = self.save()  # closes once the draft is saved; a refusal keeps it open
        elif answer == QMessageBox.StandardButton.Discard:
            self.discard_changes()

    def discard_changes(self) -> None:
        """Close without saving (tests; the clerk answers 不保存)."""
        self._dirty = False
        super().reject()


def _receipt_editor(ctx: UiContext, row: DocumentRow, parent: QWidget) -> EditorDialog:
    values = receipt_values(ctx.db, row, ctx.today())
    return EditorDialog(ctx, RECEIPT_FORM, row.matter_id, values, None, row.matter_reg_no, parent)


def open_editor(parent: QWidget, make: Callable[[], EditorDialog],
                on_changed: Callable[[int], None]) -> EditorDialog | None:
    """Build an editor (a refusal is shown to the clerk), let ``on_changed`` follow its saves, and open it."""
    editor = open_dialog(parent, make)
    if editor is not None:
        editor.document_changed.connect(on_changed)
    return editor

