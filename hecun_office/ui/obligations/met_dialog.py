"""Record that an office obligation (periodic report, annual summary) was met."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...services.obligations import ObligationRow, complete_office_obligation
from ..context import UiContext
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


class MetView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记已报送"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.heading = label("", "sectionTitle", wrap=True)
        layout.addWidget(self.heading)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.on = date_edit()
        self.errors_on = error_label()
        form.addRow(self.tr("报送日期"), with_error(self.on, self.errors_on))
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("例如：文号或报送方式，可不填"))
        form.addRow(self.tr("说明"), self.note)
        layout.addLayout(form)
        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登记"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)


class MetDialog(MetView):
    recorded = Signal()

    def __init__(self, ctx: UiContext, row: ObligationRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._row = row
        self.heading.setText(row.title)
        self.on.setDate(qdate(ctx.today()))
        self.on.setMaximumDate(qdate(ctx.today()), self.tr("今天"))
        self.errors = FieldErrors(self.general_error)
        self.errors.add("on", self.errors_on)
        self._submission = Submission(self, self.errors, ctx.tasks, self._saved)
        watch_dates(self.errors, {"on": self.on})
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def submit(self) -> None:
        self.errors.clear()
        if not check_dates(self.errors, {"on": self.on}):
            return
        self._submission.start(partial(complete_office_obligation, self._ctx.db, self._ctx.actor, self._row.id,
                                       pydate(self.on.date()), self.note.text().strip()))

    def _saved(self, _result: object) -> None:
        self.accept()
        self.recorded.emit()
