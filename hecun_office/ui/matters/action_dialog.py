"""Perform one lifecycle action: date, reason and the action's own inputs; the service decides."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ...domain.lifecycle import REASON_REQUIRED, Action
from ...services.matters import MatterDetail, TransitionInput, transition_matter
from ...services.setup import read_profile
from ..context import UiContext
from ..formatting import vocab_text
from ..operations import Submission
from ..widgets import DateEdit, FieldErrors, check_dates, pydate, qdate, watch_dates
from .action_view import ActionView

DEFAULT_RECTIFICATION_DAYS = 15


class ActionDialog(ActionView):
    done_with_alerts = Signal(list)

    def __init__(self, ctx: UiContext, detail: MatterDetail, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._detail = detail
        self.action = Action(action)
        today = ctx.today()
        self.setWindowTitle(vocab_text(self.action))
        self.heading.setText(vocab_text(self.action))
        self.matter.setText(f"{detail.reg_no}　{detail.title}")
        self.ok_button.setText(vocab_text(self.action))
        self.on.setDate(qdate(today))
        self.on.setMaximumDate(qdate(today), self.tr("今天"))
        if self.action in REASON_REQUIRED:
            self.reason_label.setText(self.tr("理由（必填）"))
        self.advice_box.setVisible(self.action == Action.ISSUE_ADVICE)
        profile = read_profile(ctx.db)
        self.days.setValue(profile.rectification_days if profile else DEFAULT_RECTIFICATION_DAYS)
        self.deadline.setDate(qdate(today + timedelta(days=self.days.value())))
        self._sync_deadline_mode()
        self.errors = FieldErrors(self.general_error)
        self.errors.add("on", self.errors_on, self.on)
        self.errors.add("reason", self.errors_reason, self.reason)
        self.errors.add("rectification_days", self.errors_rectification, self.days)
        self.errors.add("rectification_deadline", self.errors_rectification, self.deadline)
        self._submission = Submission(self, self.errors, ctx.tasks, self._done)
        watch_dates(self.errors, self._dates())
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.by_days.toggled.connect(self._sync_deadline_mode)

    def _sync_deadline_mode(self) -> None:
        self.days.setEnabled(self.by_days.isChecked())
        self.deadline.setEnabled(not self.by_days.isChecked())

    def transition_input(self) -> TransitionInput:
        step = TransitionInput(action=self.action.value, on=pydate(self.on.date()),
                               reason=self.reason.toPlainText())
        if self.action == Action.ISSUE_ADVICE:
            if self.by_days.isChecked():
                step.rectification_days = self.days.value()
            else:
                step.rectification_deadline = pydate(self.deadline.date())
        return step

    def _dates(self) -> dict[str, DateEdit]:
        """The date fields in use: a typed date is taken as typed or refused, never changed into another."""
        dates = {"on": self.on}
        if self.action == Action.ISSUE_ADVICE and not self.by_days.isChecked():
            dates["rectification_deadline"] = self.deadline
        return dates

    def submit(self) -> None:
        self.errors.clear()
        if not check_dates(self.errors, self._dates()):
            return
        self._submission.start(partial(transition_matter, self._ctx.db, self._ctx.actor, self._detail.id,
                                       self.transition_input(), self._ctx.today()))

    def _done(self, alerts: object) -> None:
        self.accept()
        self.done_with_alerts.emit(alerts)
