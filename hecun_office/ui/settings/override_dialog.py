"""Correct one day of the calendar by hand, with a reason (T-1: manual override with who and why)."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...services.calendar import override_day
from ...services.ui_queries import day_entry
from ...workdays import weekday_name
from ..context import UiContext
from ..errors import show_error
from ..models.calendar_tables import day_text, source_label
from ..operations import Submission
from ..widgets import (
    FieldErrors,
    check_dates,
    date_edit,
    error_label,
    label,
    pydate,
    qdate,
    watch_dates,
    with_error,
)


class OverrideView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("调整某一天"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.addWidget(label(self.tr("调整某一天"), "sectionTitle"))
        layout.addWidget(label(self.tr("用于当地政府另有调休安排等情形。调整会记录办理人和原因，并重新计算受影响的期限。"),
                               "muted", wrap=True))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.day = date_edit()
        self.current = label("", "muted")
        day_row = QHBoxLayout()
        day_row.addWidget(self.day)
        day_row.addWidget(self.current, 1)
        form.addRow(self.tr("日期"), day_row)
        self.workday = QRadioButton(self.tr("工作日"))
        self.rest_day = QRadioButton(self.tr("休息日"))
        self.kind = QButtonGroup(self)
        self.kind.addButton(self.workday)
        self.kind.addButton(self.rest_day)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.workday)
        kind_row.addWidget(self.rest_day)
        kind_row.addStretch(1)
        form.addRow(self.tr("调整为"), kind_row)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("必填，例如：县政府关于调整某日工作安排的通知文号"))
        self.errors_reason = error_label()
        form.addRow(self.tr("原因"), with_error(self.reason, self.errors_reason))
        layout.addLayout(form)
        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确认调整"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)


class OverrideDialog(OverrideView):
    overridden = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.errors = FieldErrors(self.general_error)
        self.errors.add("reason", self.errors_reason, self.reason)
        self.errors.add("day", self.general_error)
        self._submission = Submission(self, self.errors, ctx.tasks, self._saved)
        watch_dates(self.errors, {"day": self.day})
        self._connect_signals()
        self.day.setDate(qdate(ctx.today()))
        self._show_current()

    def _connect_signals(self) -> None:
        self.day.dateChanged.connect(self._show_current)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def selected_day(self) -> date:
        return pydate(self.day.date())

    def _show_current(self) -> None:
        day = self.selected_day()
        try:
            entry = day_entry(self._ctx.db, day)
        except Exception as exc:
            show_error(self, exc)
            return
        self.current.setText(self.tr("{weekday}，目前为{status}，来源：{source}").format(
            weekday=weekday_name(day), status=day_text(entry), source=source_label(entry.source)))
        # Offer the opposite of what the day is now: that is why anyone opens this dialog.
        (self.rest_day if entry.is_workday else self.workday).setChecked(True)

    def submit(self) -> None:
        self.errors.clear()
        if not check_dates(self.errors, {"day": self.day}):
            return
        day = self.selected_day()
        is_workday = self.workday.isChecked()
        self._chosen = (day, is_workday)
        self._submission.start(partial(override_day, self._ctx.db, self._ctx.actor, day, is_workday,
                                       self.reason.text(), today=self._ctx.today()))

    def _saved(self, _result: object) -> None:
        day, is_workday = self._chosen
        self.accept()
        kind = self.tr("工作日") if is_workday else self.tr("休息日")
        self.overridden.emit(self.tr("已将 {day} 调整为{kind}").format(day=day.isoformat(), kind=kind))
