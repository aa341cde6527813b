"""Behaviour of the document editor (D-4, D-7, D-8): fields generated from the form, a live preview rendered off
the GUI thread 400 ms after the last edit, and exactly the actions the document's state and the user's role allow.

The preview keeps the last good rendering when the values are not valid yet and says under it which field is
wrong. An issued document shows its stored PDF, read-only: what prints and what is saved is that file, byte for
byte (D-4).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QBuffer, QDateTime, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QPushButton, QWidget

from ...documents.forms import FormDef
from ...domain.documents import DocAction, DocStatus
from ...domain.errors import DomainError, EnvironmentProblem, ValidationError
from ...domain.permissions import Permission, allowed
from ...services import documents
from ...services.documents import DocumentRow
from ..context import UiContext
from ..errors import attempt, message_for, open_dialog, show_error, show_info
from ..formatting import table_date
from ..roles import gate
from .action_dialogs import IssueDialog, ReasonDialog, ServiceDialog
from .editor_view import EditorView
from .field_widgets import FieldEditor
from .printing import load_pdf, print_pdf

StepDialog = TypeVar("StepDialog", bound=QDialog)
PREVIEW_DELAY_MS = 400
RECEIPT_FORM = "service_receipt"


class EditorDialog(EditorView):
    document_changed = Signal(int)  # saved, moved on or served: lists and the matter refresh
    preview_updated = Signal()  # a new preview is showing
    preview_failed = Signal(str)  # the values are not valid (yet); the message names the field

    def __init__(self, ctx: UiContext, form_id: str, matter_id: int | None, values: dict[str, Any],
                 row: DocumentRow | None = None, matter_reg_no: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.form_def: FormDef = documents.form(form_id)
        self._matter_id = matter_id
        self._matter_reg_no = row.matter_reg_no if row else matter_reg_no
        self._row = row
        self._dirty = False
        self._rendering = False
        self._pending = False
        self._pdf_document: QPdfDocument | None = None
        self._pdf_buffer: QBuffer | None = None
        self._pdf_bytes = b""
        self._close_box: QMessageBox | None = None
        self.problem_field: str | None = None
        self.editors: dict[str, FieldEditor] = {}
        for field in self.form_def.fields:
            editor = FieldEditor(field, ctx.today(), self)
            editor.set_value(values.get(field.name))
            self.form.addRow(editor.label, editor.widget)
            self.editors[field.name] = editor
        self.preprinted.setChecked(row.preprinted if row else False)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(PREVIEW_DELAY_MS)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self._connect_signals()
        self._show_state()
        self.render_preview()

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
        self._debounce.timeout.connect(self.render_preview)
        self.save_button.clicked.connect(self.save)
        self.submit_button.clicked.connect(self.submit_for_review)
        self.finalize_button.clicked.connect(self.finalize)
        self.approve_button.clicked.connect(self.approve)
        self.return_button.clicked.connect(self.open_return_dialog)
        self.issue_button.clicked.connect(self.open_issue_dialog)
        self.void_button.clicked.connect(self.open_void_dialog)
        self.serve_button.clicked.connect(self.open_service_dialog)
        self.receipt_button.clicked.connect(self.open_receipt)
        self.print_button.clicked.connect(self.print_document)
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

    @property
    def preview_document(self) -> QPdfDocument | None:
        return self._pdf_document

    @property
    def preview_bytes(self) -> bytes:
        return self._pdf_bytes

    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def _show_state(self) -> None:
        row = self._row
        self.setWindowTitle(self.tr("文书 — {name}").format(name=self.form_def.name))
        self.heading.setText(self.form_def.name)
        self.status_badge.setText(row.status_label if row else self.tr("新草稿（未保存）"))
        self.number.setText(row.number if row else "")
        self.matter.setText(self.tr("事项：{reg_no}").format(reg_no=self._matter_reg_no) if self._matter_reg_no
                            else self.tr("未关联事项") if self._matter_id is None else "")
        self.history.setText(self._history_text())
        self.history.setVisible(bool(self.history.text()))
        editable = self.editable
        for editor in self.editors.values():
            editor.set_editable(editable)
        self.preprinted.setEnabled(editable)
        self.fields_note.setText(self.tr("带 * 的为必填项；修改后右侧预览自动更新。") if editable
                                 else self.tr("文书已进入审批流程，内容只读。需要修改时请审核人“退回修改”。")
                                 if self.status in (DocStatus.REVIEW, DocStatus.APPROVED)
                                 else self.tr("内容只读。"))
        if self.status is DocStatus.ISSUED:
            self.preview_state.setText(self.tr("已签发文书：与存档文件完全一致，只读"))
        elif editable:
            self.preview_state.setText(self.tr("样稿预览（随输入自动更新）"))
        else:
            self.preview_state.setText(self.tr("样稿预览（只读）"))
        self._update_buttons()

    def _history_text(self) -> str:
        row = self._row
        if row is None:
            return ""
        parts = [self.tr("拟稿：{who}").format(who=row.drafted_by)]
        if row.reviewed_by:
            parts.append(self.tr("审核：{who}").format(who=row.reviewed_by))
        if row.signed_by:
            parts.append(self.tr("签发：{who}　成文日期：{day}").format(who=row.signed_by,
                                                                  day=table_date(row.issue_date)))
        if row.served_on:
            parts.append(self.tr("送达：{day} {method}（{receiver}签收）").format(
                day=table_date(row.served_on), method=row.service_method, receiver=row.service_receiver))
        if row.void_reason:
            parts.append(self.tr("作废/更正：{reason}").format(reason=row.void_reason))
        return "；".join(parts)

    def _update_buttons(self) -> None:
        possible = ({DocAction(a) for a in self._row.actions} if self._row
                    else {DocAction.SUBMIT if self._numbered() else DocAction.FINALIZE})
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
        self.finalize_button.setToolTip(self.tr("填写完毕后定稿：生成正式文件（无文号、无需签发），可打印"))
        self.save_button.setToolTip(self.tr("保存草稿（Ctrl+S）"))
        self.submit_button.setToolTip(self.tr("保存并送审核人审核"))
        self.approve_button.setToolTip(self.tr("审核通过，交签发人签发"))
        self.return_button.setToolTip(self.tr("退回拟稿人修改，并写明需要修改的地方"))
        self.issue_button.setToolTip(self.tr("签发：编定文号，生成正式文件"))
        self.void_button.setToolTip(self.tr("作废此文书；已编的文号保留记录，不再使用"))
        self.receipt_button.setToolTip(self.tr("起草此文书的送达回证（已填好文书名称和文号）"))
        self.print_button.setToolTip(self.tr("按 100% 比例打印（Ctrl+P）"))
        self.save_pdf_button.setToolTip(self.tr("把文书保存为 PDF 文件"))
        role = self._ctx.actor.role
        gate(role, Permission.DOCUMENT_DRAFT, self.save_button, self.submit_button, self.finalize_button,
             self.serve_button,
             self.receipt_button)
        gate(role, Permission.DOCUMENT_REVIEW, self.approve_button, self.return_button)
        gate(role, Permission.DOCUMENT_ISSUE, self.issue_button, self.void_button)
        row = self._row
        if row is not None and row.served_on is not None:
            self.serve_button.setEnabled(False)
            self.serve_button.setToolTip(self.tr("已于 {day} 登记送达").format(day=table_date(row.served_on)))
        elif self.serve_button.isEnabled():
            self.serve_button.setToolTip(self.tr("登记送达日期、方式和受送达人"))

    def _reload(self, doc_id: int) -> None:
        self._row = documents.get_document(self._ctx.db, doc_id)
        self._matter_id = self._row.matter_id
        self._matter_reg_no = self._row.matter_reg_no or self._matter_reg_no
        for name, editor in self.editors.items():
            editor.blockSignals(True)
            editor.set_value(self._row.values.get(name))
            editor.blockSignals(False)
        self.preprinted.blockSignals(True)
        self.preprinted.setChecked(self._row.preprinted)
        self.preprinted.blockSignals(False)
        self._dirty = False
        self._show_state()
        self.render_preview()
        self.document_changed.emit(doc_id)

    # --- preview --------------------------------------------------------------------------------------
    def _edited(self) -> None:
        self._dirty = True
        self.saved_note.clear()
        self._debounce.start()  # restarts: the preview follows 400 ms after the last keystroke

    def render_preview(self) -> None:
        """Render now (off the GUI thread); a render asked for while one runs follows it."""
        self._debounce.stop()
        if self._rendering:
            self._pending = True
            return
        self._rendering, self._pending = True, False
        ctx = self._ctx
        if self.editable or self._row is None:
            job = partial(documents.preview_pdf, ctx.db, self.form_def.id, self.values(), ctx.today(),
                          self.preprinted.isChecked())
        else:
            job = partial(documents.document_pdf, ctx.db, self._row.id, ctx.today())
        ctx.tasks.read(job, self._preview_ready, self._preview_error)

    def preview_busy(self) -> bool:
        return self._rendering or self._pending or self._debounce.isActive()

    def _preview_ready(self, pdf: object) -> None:
        self._rendering = False
        assert isinstance(pdf, bytes)
        document, buffer = load_pdf(pdf, self)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
            document.deleteLater()
            buffer.deleteLater()
            self._show_problem(None, self.tr("预览无法显示（PDF 无法读取）。详细信息已写入日志。"))
        else:
            old_document, old_buffer = self._pdf_document, self._pdf_buffer
            scrolled = self.preview.verticalScrollBar().value()
            self.preview.setDocument(document)
            self.preview.verticalScrollBar().setValue(scrolled)
            self._pdf_document, self._pdf_buffer, self._pdf_bytes = document, buffer, pdf
            if old_document is not None:
                old_document.deleteLater()
            if old_buffer is not None:
                old_buffer.deleteLater()
            self._show_problem(None, "")
            self._show_font_warnings()
            self.preview_updated.emit()
        if self._pending:
            self.render_preview()

    def _show_font_warnings(self) -> None:
        warnings = documents.font_warnings()  # fonts are loaded by now (the render did it), so this is cheap
        self.font_note.setText(self.tr("字体提示：") + "".join(warnings))
        self.font_note.setVisible(bool(warnings))

    def _preview_error(self, exc: object) -> None:
        self._rendering = False
        assert isinstance(exc, BaseException)
        field = exc.field if isinstance(exc, ValidationError) else None
        self._show_problem(field, message_for(exc))
        if self._pending:
            self.render_preview()

    def _show_problem(self, field: str | None, message: str) -> None:
        """The message under the preview (empty: none) and the field it names marked."""
        self.problem_field = field if message and field in self.editors else None
        for name, editor in self.editors.items():
            editor.set_invalid(name == self.problem_field)
        if message:
            kept = self.tr("预览保留上一次的结果。") if self._pdf_document is not None else ""
            self.preview_message.setText(self.tr("预览未更新：{message}{kept}").format(message=message, kept=kept))
            self.preview_message.show()
            self.preview_failed.emit(message)
        else:
            self.preview_message.clear()
            self.preview_message.hide()

    def preview_message_text(self) -> str:
        return "" if self.preview_message.isHidden() else self.preview_message.text()

    # --- FieldMessages for errors.attempt --------------------------------------------------------------
    def show_message(self, field: str | None, message: str) -> None:
        if field in self.editors:
            self._show_problem(field, message)
            self.fields_scroll.ensureWidgetVisible(self.editors[field].widget)
            self.editors[field].focus()
        else:
            show_error(self, DomainError(message))

    # --- actions --------------------------------------------------------------------------------------
    def save(self) -> bool:
        """保存草稿. True when saved (the draft exists in the database afterwards)."""
        if not self.editable:
            return self._row is not None
        ok, doc_id = attempt(self, self, self._save)
        if not ok or doc_id is None:
            return False
        self._reload(doc_id)
        self.saved_note.setText(self.tr("已保存 {time}").format(time=QDateTime.currentDateTime().toString("HH:mm")))
        return True

    def _save(self) -> int:
        ctx, values, preprinted = self._ctx, self.values(), self.preprinted.isChecked()
        if self._row is None:
            return documents.create_draft(ctx.db, ctx.actor, self.form_def.id, self._matter_id, values, ctx.today(),
                                          preprinted=preprinted)
        documents.update_draft(ctx.db, ctx.actor, self._row.id, values, preprinted=preprinted)
        return self._row.id

    def _step(self, call: partial[Any], note: str) -> bool:
        assert self._row is not None
        ok, _ = attempt(self, self, call)
        if ok:
            self._show_problem(None, "")  # the service accepted every field
            self._reload(self._row.id)
            self.saved_note.setText(note)
        return ok

    def submit_for_review(self) -> bool:
        """送审: saved first; the service checks every field now."""
        if not self.save() or self._row is None:
            return False
        return self._step(partial(documents.submit, self._ctx.db, self._ctx.actor, self._row.id),
                          self.tr("已送审，等待审核"))

    def finalize(self) -> bool:
        """定稿 of a record form: saved first, then made final without review."""
        if not self.save() or self._row is None:
            return False
        return self._step(partial(documents.finalize, self._ctx.db, self._ctx.actor, self._row.id,
                                  self._ctx.today()), self.tr("已定稿，可以打印"))

    def _numbered(self) -> bool:
        return bool(self.form_def.number_pattern)

    def approve(self) -> bool:
        assert self._row is not None
        return self._step(partial(documents.review, self._ctx.db, self._ctx.actor, self._row.id, True),
                          self.tr("已审核通过，等待签发"))

    def open_return_dialog(self) -> ReasonDialog:
        assert self._row is not None
        call = partial(documents.review, self._ctx.db, self._ctx.actor, self._row.id, False)
        dialog = ReasonDialog(self._row, self.tr("退回修改"), self.tr("需要修改的地方"), "comment", call, self)
        return self._open_step(dialog, dialog.completed, self._returned)

    def open_void_dialog(self) -> ReasonDialog:
        assert self._row is not None
        call = partial(documents.void, self._ctx.db, self._ctx.actor, self._row.id)
        dialog = ReasonDialog(self._row, self.tr("作废"), self.tr("作废理由"), "reason", call, self)
        return self._open_step(dialog, dialog.completed, self._voided)

    def open_issue_dialog(self) -> IssueDialog:
        assert self._row is not None
        dialog = IssueDialog(self._ctx, self._row, self)
        return self._open_step(dialog, dialog.issued, self._issued)

    def open_service_dialog(self) -> ServiceDialog:
        assert self._row is not None
        dialog = ServiceDialog(self._ctx, self._row, self)
        return self._open_step(dialog, dialog.recorded, self._served)

    def _open_step(self, dialog: StepDialog, signal: Any, slot: Any) -> StepDialog:
        signal.connect(slot)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _returned(self, _alerts: list[str]) -> None:
        assert self._row is not None
        self._reload(self._row.id)
        self.saved_note.setText(self.tr("已退回拟稿人修改"))

    def _voided(self, _alerts: list[str]) -> None:
        assert self._row is not None
        self._reload(self._row.id)
        self.saved_note.setText(self.tr("已作废"))

    def _issued(self, alerts: list[str]) -> None:
        assert self._row is not None
        self._reload(self._row.id)
        row = self._row
        head = self.tr("已签发，文号：{number}。").format(number=row.number) if row.number else self.tr("已签发。")
        self.saved_note.setText(head)
        show_info(self, self.tr("签发完成"), "\n".join([head, *alerts]))

    def _served(self, alerts: list[str]) -> None:
        assert self._row is not None
        self._reload(self._row.id)
        head = self.tr("已登记送达。")
        self.saved_note.setText(head)
        show_info(self, self.tr("送达已登记"), "\n".join([head, *alerts]))

    def open_receipt(self) -> EditorDialog | None:
        """打印送达回证: a 送达回证 draft naming this document, opened for printing."""
        row = self._row
        assert row is not None
        ctx = self._ctx
        ok, doc_id = attempt(self, self, partial(self._create_receipt, row))
        if not ok or doc_id is None:
            return None
        self.document_changed.emit(doc_id)
        return open_editor(self, partial(EditorDialog.for_document, ctx, doc_id, self), self.document_changed.emit)

    def _create_receipt(self, row: DocumentRow) -> int:
        ctx = self._ctx
        values = documents.draft_values(ctx.db, RECEIPT_FORM, row.matter_id, ctx.today())
        values.update(document_title=row.form_name, document_number=row.number)
        if row.values.get("unit"):
            values["addressee"] = row.values["unit"]
        if row.served_on is not None:
            values.update(method=row.service_method, served_on=row.served_on.isoformat())
        return documents.create_draft(ctx.db, ctx.actor, RECEIPT_FORM, row.matter_id, values, ctx.today())

    def pdf_for_output(self) -> bytes | None:
        """What 打印 and 另存为PDF put out: the stored file of an issued document, a 样稿 of anything else
        (for a draft being edited: of what is on screen now)."""
        ctx = self._ctx
        if self.editable or self._row is None:
            call = partial(documents.preview_pdf, ctx.db, self.form_def.id, self.values(), ctx.today(),
                           self.preprinted.isChecked())
        else:
            call = partial(documents.document_pdf, ctx.db, self._row.id, ctx.today())
        ok, pdf = attempt(self, self, call)
        return pdf if ok else None

    def print_document(self) -> None:
        pdf = self.pdf_for_output()
        if pdf is None:
            return
        try:
            if print_pdf(self, pdf, self._file_stem()):
                self.saved_note.setText(self.tr("已送打印机"))
        except Exception as exc:
            show_error(self, exc, self.tr("打印未完成"))

    def _file_stem(self) -> str:
        row = self._row
        return (row.number if row and row.number else self.form_def.name).replace("/", "_")

    def save_pdf(self) -> Path | None:
        pdf = self.pdf_for_output()
        if pdf is None:
            return None
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder) / f"{self._file_stem()}.pdf")
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("另存为PDF"), suggested, self.tr("PDF 文件 (*.pdf)"))
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            path.write_bytes(pdf)
        except OSError as exc:
            show_error(self, EnvironmentProblem(self.tr("无法保存到“{path}”（{reason}）。请换一个位置或文件名后重试。").format(
                path=path, reason=exc.strerror or exc)))
            return None
        self.saved_note.setText(self.tr("已保存为 {name}").format(name=path.name))
        return path

    # --- closing --------------------------------------------------------------------------------------
    def reject(self) -> None:
        if self.editable and self._dirty:
            self._ask_before_closing()
            return
        super().reject()

    def _ask_before_closing(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("保存修改"), self.tr("草稿有尚未保存的修改，是否保存？"),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Save).setText(self.tr("保存"))
        box.button(QMessageBox.StandardButton.Discard).setText(self.tr("不保存"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("取消"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(self._close_answer)
        self._close_box = box
        box.open()

    def _close_answer(self, button: QPushButton) -> None:
        box = self._close_box
        if box is None:
            return
        answer = box.standardButton(button)
        if answer == QMessageBox.StandardButton.Save and not self.save():
            return
        if answer in (QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard):
            self._dirty = False
            super().reject()

    def discard_changes(self) -> None:
        """Close without saving (tests; the clerk answers 不保存)."""
        self._dirty = False
        super().reject()


def open_editor(parent: QWidget, make: Callable[[], EditorDialog],
                on_changed: Callable[[int], None]) -> EditorDialog | None:
    """Build an editor (a refusal is shown to the clerk), let ``on_changed`` follow its saves, and open it."""
    editor = open_dialog(parent, make)
    if editor is not None:
        editor.document_changed.connect(on_changed)
    return editor
