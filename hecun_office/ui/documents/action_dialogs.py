"""The small dialogs of a document's life; each runs one service call, the service decides and its
ValidationError is shown next to the field it names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QWidget

from ...services import documents
from ...services.documents import SERVICE_METHODS, DocumentRow
from ..context import UiContext
from ..errors import attempt
from ..widgets import FieldErrors
from .action_views import IssueView, ReasonView, ServiceView


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def describe(row: DocumentRow) -> str:
    """行政执法协调监督建议书　贺司建〔2026〕1号"""
    return "　".join(part for part in (row.form_name, row.number) if part)


class ReasonDialog(ReasonView):
    """退回修改 or 作废: ``call(reason)`` does the work; ``field`` is the name the service's error uses."""

    completed = Signal(list)

    def __init__(self, row: DocumentRow, title: str, prompt: str, field: str, call: Callable[[str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._call = call
        self.setWindowTitle(title)
        self.heading.setText(title)
        self.document.setText(describe(row))
        self.reason_label.setText(prompt)
        self.ok_button.setText(title.rstrip("…"))
        self.errors = FieldErrors(self.general_error)
        self.errors.add(field, self.errors_reason, self.reason)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def submit(self) -> None:
        self.errors.clear()
        ok, result = attempt(self, self.errors, partial(self._call, self.reason.toPlainText()))
        if ok:
            self.accept()
            self.completed.emit(result if isinstance(result, list) else [])


class IssueDialog(IssueView):
    """签发: 成文日期 defaults to today; an earlier date needs the signer's reason (the service enforces both)."""

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
        self.issue_date.setMaximumDate(qdate(today))
        self.errors = FieldErrors(self.general_error)
        self.errors.add("issue_date", self.errors_issue_date, self.issue_date)
        self.errors.add("on", self.errors_issue_date, self.issue_date)  # the matter's step may refuse the date
        self.errors.add("backdate_reason", self.errors_backdate_reason, self.backdate_reason)
        self._sync_backdate()
        self.issue_date.dateChanged.connect(self._sync_backdate)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def _sync_backdate(self) -> None:
        backdated = pydate(self.issue_date.date()) < self._ctx.today()
        self.backdate_label.setVisible(backdated)
        self.backdate_box.setVisible(backdated)
        self.adjustSize()

    def submit(self) -> None:
        self.errors.clear()
        ok, alerts = attempt(self, self.errors, partial(
            documents.issue, self._ctx.db, self._ctx.actor, self._row.id, pydate(self.issue_date.date()),
            self._ctx.today(), self.backdate_reason.toPlainText()))
        if ok:
            self.accept()
            self.issued.emit(list(alerts or []))


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
        self.served_on.setMaximumDate(qdate(today))
        if row.issue_date is not None:
            self.served_on.setMinimumDate(qdate(row.issue_date))
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
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def submit(self) -> None:
        self.errors.clear()
        ok, alerts = attempt(self, self.errors, partial(
            documents.record_service, self._ctx.db, self._ctx.actor, self._row.id, pydate(self.served_on.date()),
            self.method.currentText(), self.receiver.text(), self._ctx.today()))
        if ok:
            self.accept()
            self.recorded.emit(list(alerts or []))
