"""The small dialogs of a document's life; each runs one service call on the database worker (Submission): OK is
disabled while it runs, the service decides, and its ValidationError is shown next to the field it names. While
the call runs the dialog stays open — closing it then would hide whether the step happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from ...services import documents
from ...services.documents import SERVICE_METHODS, DocumentRow
from ...services.font_settings import CONFIRM_FIELD
from ..context import UiContext
from ..errors import confirm_action
from ..formatting import form_text, table_date
from ..operations import Submission
from ..tasks import TaskRunner
from ..widgets import FieldErrors, check_dates, tr, watch_dates
from .action_views import IssueView, ReasonView, ServiceView


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def describe(row: DocumentRow) -> str:
    """行政执法协调监督建议书　贺司建〔2026〕1号"""
    return "　".join(part for part in (form_text(row.form_name), row.number) if part)


def history_text(row: DocumentRow) -> str:
    """Who drafted, reviewed and signed, when it was served, why it was voided: the line under the editor's title."""
    parts = [tr("EditorDialog", "拟稿：{who}").format(who=row.drafted_by)]
    if row.reviewed_by:
        parts.append(tr("EditorDialog", "审核：{who}").format(who=row.reviewed_by))
    if row.signed_by:
        parts.append(tr("EditorDialog", "签发：{who}　成文日期：{day}").format(who=row.signed_by,
                                                                           day=table_date(row.issue_date)))
    if row.served_on:
        parts.append(tr("EditorDialog", "送达：{day} {method}（{receiver}签收）").format(
            day=table_date(row.served_on), method=row.service_method, receiver=row.service_receiver))
    if row.void_reason:
        parts.append(tr("EditorDialog", "作废/更正：{reason}").format(reason=row.void_reason))
    return "；".join(parts)


class ReasonDialog(ReasonView):
    """退回修改 or 作废: ``call(reason)`` does the work; ``field`` is the name the service's error uses."""

    completed = Signal(list)

    def __init__(self, row: DocumentRow, title: str, prompt: str, field: str, call: Callable[[str], object],
                 tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._call = call
        self.setWindowTitle(title)
        self.heading.setText(title)
        self.document.setText(describe(row))
        self.reason_label.setText(prompt)
        self.ok_button.setText(title.rstrip("…"))
        self.errors = FieldErrors(self.general_error)
        self.errors.add(field, self.errors_reason, self.reason)
        self._submission = Submission(self, self.errors, tasks, self._done)
        self._connect_signals()

    @classmethod
    def returning(cls, ctx: UiContext, row: DocumentRow, parent: QWidget | None = None) -> ReasonDialog:
        """退回修改: the reviewer says what to change."""
        call = partial(documents.review, ctx.db, ctx.actor, row.id, False)
        return cls(row, tr("ReasonDialog", "退回修改"), tr("ReasonDialog", "需要修改的地方"), "comment", call,
                   ctx.tasks, parent)

    @classmethod
    def voiding(cls, ctx: UiContext, row: DocumentRow, parent: QWidget | None = None) -> ReasonDialog:
        call = partial(documents.void, ctx.db, ctx.actor, row.id)
        return cls(row, tr("ReasonDialog", "作废"), tr("ReasonDialog", "作废理由"), "reason", call, ctx.tasks, parent)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def submit(self) -> None:
        self.errors.clear()
        self._submission.start(partial(self._call, self.reason.toPlainText()))

    def _done(self, result: object) -> None:
        self.accept()
        self.completed.emit(result if isinstance(result, list) else [])

    def reject(self) -> None:
        if not self._submission.running:
            super().reject()


class _IssueErrors(FieldErrors):
    """The service's refusal of a PDF with an unembedded font is a question for the signer, not a field error."""

    def __init__(self, general: QLabel, on_fonts: Callable[[str], object]) -> None:
        super().__init__(general)
        self._on_fonts = on_fonts

    def show_message(self, field: str | None, message: str) -> None:
        if field == CONFIRM_FIELD:
            self.clear()
            self._on_fonts(message)
        else:
            super().show_message(field, message)


class IssueDialog(IssueView):
    """签发: 成文日期 defaults to today; an earlier date needs the signer's reason (the service enforces both).
    When the final PDF would leave a font unembedded (D-6's CID fallback), the service refuses and the signer is
    asked, with a box to tick, whether to issue anyway; only then is it issued with that confirmation."""

    issued = Signal(list)  # the alerts of the matter that followed

    def __init__(self, ctx: UiContext, row: DocumentRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._row = row
        today = ctx.today()
        self.setWindowTitle(self.tr("签发"))
        self.heading.setText(self.tr("签发文书"))
        self.document.setText(describe(row))
        self.ok_button.setText(self.tr("签发"))
        self.issue_date.setDate(qdate(today))
        self.issue_date.setMaximumDate(qdate(today), self.tr("今天"))
        self.errors = _IssueErrors(self.general_error, self._ask_about_fonts)
        self.errors.add("issue_date", self.errors_issue_date, self.issue_date)
        self.errors.add("on", self.errors_issue_date, self.issue_date)  # the matter's step may refuse the date
        self.errors.add("backdate_reason", self.errors_backdate_reason, self.backdate_reason)
        self._submission = Submission(self, self.errors, ctx.tasks, self._done)
        watch_dates(self.errors, {"issue_date": self.issue_date})
        self._sync_backdate()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.issue_date.dateChanged.connect(self._sync_backdate)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def _sync_backdate(self) -> None:
        backdated = pydate(self.issue_date.date()) < self._ctx.today()
        self.backdate_label.setVisible(backdated)
        self.backdate_box.setVisible(backdated)
        self.adjustSize()

    def submit(self, unembedded_fonts_confirmed: bool = False) -> None:
        """签发 renders the final PDF inside the service: on the worker, the window stays responsive."""
        self.errors.clear()
        if not check_dates(self.errors, {"issue_date": self.issue_date}):
            return
        self._submission.start(partial(
            documents.issue, self._ctx.db, self._ctx.actor, self._row.id, pydate(self.issue_date.date()),
            self._ctx.today(), self.backdate_reason.toPlainText(),
            unembedded_fonts_confirmed=unembedded_fonts_confirmed))

    def _ask_about_fonts(self, message: str) -> QMessageBox:
        return confirm_action(self, self.tr("字体未嵌入"), message, self.tr("仍然签发"), self.submit_confirmed,
                              object_name="unembeddedFontsBox",
                              must_tick=self.tr("我已知晓：这份文书在其他电脑上打印可能走样"))

    def submit_confirmed(self) -> None:
        self.submit(unembedded_fonts_confirmed=True)

    def _done(self, alerts: object) -> None:
        self.accept()
        self.issued.emit(list(alerts) if isinstance(alerts, list) else [])

    def reject(self) -> None:
        if not self._submission.running:
            super().reject()


class ServiceDialog(ServiceView):
    """登记送达 (D-8): for an advice whose period runs from service this starts the rectification period."""

    recorded = Signal(list)

    def __init__(self, ctx: UiContext, row: DocumentRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._row = row
        today = ctx.today()
        self.setWindowTitle(self.tr("登记送达"))
        self.heading.setText(self.tr("登记送达"))
        addressee = str(row.values.get("unit") or "")
        self.document.setText(describe(row) + (self.tr("　送达：{unit}").format(unit=addressee) if addressee else ""))
        self.ok_button.setText(self.tr("登记"))
        self.served_on.setDate(qdate(today))
        self.served_on.setMaximumDate(qdate(today), self.tr("今天"))
        if row.issue_date is not None:
            self.served_on.setMinimumDate(qdate(row.issue_date), self.tr("成文日期"))
        for method in SERVICE_METHODS:
            self.method.addItem(method)
        if documents.form(row.form_id).deadline_from_service:
            self.note.setText(self.tr("整改期限自送达之日起计算，登记后自动生成。"))
        else:
            self.note.hide()
        self.errors = FieldErrors(self.general_error)
        self.errors.add("served_on", self.errors_served_on, self.served_on)
        self.errors.add("method", self.errors_method, self.method)
        self.errors.add("receiver", self.errors_receiver, self.receiver)
        self._submission = Submission(self, self.errors, ctx.tasks, self._done)
        watch_dates(self.errors, {"served_on": self.served_on})
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def submit(self) -> None:
        self.errors.clear()
        if not check_dates(self.errors, {"served_on": self.served_on}):
            return
        self._submission.start(partial(
            documents.record_service, self._ctx.db, self._ctx.actor, self._row.id, pydate(self.served_on.date()),
            self.method.currentText(), self.receiver.text(), self._ctx.today()))

    def _done(self, alerts: object) -> None:
        self.accept()
        self.recorded.emit(list(alerts) if isinstance(alerts, list) else [])

    def reject(self) -> None:
        if not self._submission.running:
            super().reject()
