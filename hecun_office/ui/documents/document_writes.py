"""The editor's writes on the database worker (STYLE.md habit 4, SPEC N-2) and what the clerk is told after them.

A write is a save, perhaps a step after it (送审 and 定稿 save first), or one of the small dialogs of a document's
life (退回, 作废, 签发, 送达), each with its own Submission. After any of them the document is read back on the
reader pool, so the editor shows what is stored rather than what it assumes the service did; only then is the
clerk told what happened (the note beside the buttons, and for 签发 and 送达 a message with the matter's alerts).

Two Submissions for the editor's own writes, because their refusals differ: a refused save leaves the editor as
it was, while a refused step comes after a save that did happen, so the draft is read back all the same. Either
way the service's message is already next to its field (FieldMessages) when ``refused`` is emitted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from ...services import documents
from ...services.documents import DocumentRow
from ..context import UiContext
from ..errors import FieldMessages, show_error, show_info
from ..operations import Submission
from .action_dialogs import IssueDialog, ReasonDialog, ServiceDialog

Step = Callable[[int], Callable[[], object]]  # the service call that moves a saved draft on, given its id
StepDialog = TypeVar("StepDialog", bound=QDialog)


@dataclass
class _Telling:
    """What the clerk is told once the document is read back."""

    note: str
    title: str = ""  # a message box too, when set
    alerts: list[str] = field(default_factory=list)
    unnumbered: str = ""  # when set, ``note`` names the document's {number}, and this is said when it has none

    def for_row(self, row: DocumentRow) -> str:
        if not self.unnumbered:
            return self.note
        return self.note.format(number=row.number) if row.number else self.unnumbered


class DocumentWrites(QObject):
    loaded = Signal(object)  # the DocumentRow as stored after the write
    accepted = Signal()  # the service took every field (the marks of an earlier refusal can go)
    refused = Signal()  # the service refused; after a refused step the saved draft is loaded still
    busy_changed = Signal(bool)
    told = Signal(str)  # the note beside the buttons

    def __init__(self, form: QWidget, errors: FieldMessages, ctx: UiContext) -> None:
        super().__init__(form)
        self._form, self._ctx = form, ctx
        # No buttons for Submission to disable: the editor disables its whole action row while busy.
        self._saving = Submission(form, errors, ctx.tasks, self._saved, [], self._save_refused)
        self._stepping = Submission(form, errors, ctx.tasks, self._stepped, [], self._step_refused)
        self._doc_id: int | None = None
        self._then: Step | None = None
        self._telling: _Telling | None = None
        self._busy = False

    @property
    def busy(self) -> bool:
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    # --- the editor's own writes ----------------------------------------------------------------------
    def save(self, call: Callable[[], int], then: Step | None, note: str) -> bool:
        """Save (``call`` returns the document's id), then ``then(id)`` if given, then read the document back
        and tell ``note``. False while another write runs."""
        if self._busy:
            return False
        self._then, self._telling = then, _Telling(note)
        self._set_busy(True)
        return self._saving.start(call)

    def step(self, doc_id: int, call: Callable[[], object], note: str) -> bool:
        """One service call on a stored document, then read it back."""
        if self._busy:
            return False
        self._doc_id, self._telling = doc_id, _Telling(note)
        self._set_busy(True)
        return self._stepping.start(call)

    def _saved(self, doc_id: object) -> None:
        assert isinstance(doc_id, int)
        self._doc_id = doc_id
        then, self._then = self._then, None
        if then is None:
            self._reload()
        else:
            self._stepping.start(then(doc_id))

    def _stepped(self, _result: object) -> None:
        self.accepted.emit()
        self._reload()

    def _save_refused(self) -> None:
        self._then = self._telling = None
        self._set_busy(False)
        self.refused.emit()

    def _step_refused(self) -> None:
        self._telling = None
        self.refused.emit()
        self._reload()  # 送审 saved the draft before it was refused: show it as stored

    # --- the small dialogs, each with its own write -----------------------------------------------------
    def open_return(self, row: DocumentRow) -> ReasonDialog:
        dialog = ReasonDialog.returning(self._ctx, row, self._form)
        return self._open(row, dialog, dialog.completed, self._returned)

    def open_void(self, row: DocumentRow) -> ReasonDialog:
        dialog = ReasonDialog.voiding(self._ctx, row, self._form)
        return self._open(row, dialog, dialog.completed, self._voided)

    def open_issue(self, row: DocumentRow) -> IssueDialog:
        dialog = IssueDialog(self._ctx, row, self._form)
        return self._open(row, dialog, dialog.issued, self._issued)

    def open_service(self, row: DocumentRow) -> ServiceDialog:
        dialog = ServiceDialog(self._ctx, row, self._form)
        return self._open(row, dialog, dialog.recorded, self._served)

    def _open(self, row: DocumentRow, dialog: StepDialog, signal: Any, slot: Any) -> StepDialog:
        self._doc_id = row.id
        signal.connect(slot)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _returned(self, _alerts: list[str]) -> None:
        self._after_dialog(_Telling(self.tr("已退回拟稿人修改")))

    def _voided(self, _alerts: list[str]) -> None:
        self._after_dialog(_Telling(self.tr("已作废")))

    def _issued(self, alerts: list[str]) -> None:
        self._after_dialog(_Telling(self.tr("已签发，文号：{number}。"), self.tr("签发完成"), alerts,
                                    unnumbered=self.tr("已签发。")))

    def _served(self, alerts: list[str]) -> None:
        self._after_dialog(_Telling(self.tr("已登记送达。"), self.tr("送达已登记"), alerts))

    def _after_dialog(self, telling: _Telling) -> None:
        self._telling = telling
        self._set_busy(True)
        self._reload()

    # --- reading back ------------------------------------------------------------------------------------
    def _reload(self) -> None:
        assert self._doc_id is not None
        self._ctx.tasks.read(partial(documents.get_document, self._ctx.db, self._doc_id), self._reloaded,
                             self._reload_failed)

    def _reloaded(self, row: object) -> None:
        assert isinstance(row, DocumentRow)
        telling, self._telling = self._telling, None
        self._set_busy(False)
        self.loaded.emit(row)
        if telling is None:
            return
        note = telling.for_row(row)
        self.told.emit(note)
        if telling.title:
            show_info(self._form, telling.title, "\n".join([note, *telling.alerts]))

    def _reload_failed(self, exc: object) -> None:
        self._telling = None
        self._set_busy(False)
        self.refused.emit()
        show_error(self._form, exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))


def update_draft(ctx: UiContext, doc_id: int, values: dict[str, Any], preprinted: bool) -> int:
    """保存草稿 of a stored draft, answering with its id as creating one does."""
    documents.update_draft(ctx.db, ctx.actor, doc_id, values, preprinted=preprinted)
    return doc_id
