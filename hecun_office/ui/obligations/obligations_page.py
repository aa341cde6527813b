"""Behaviour of 整改与时限: list, include met ones, open the matter, record office reports."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal

from ...services.changes import Changes
from ...services.obligations import ObligationRow, obligation_rows
from ..context import UiContext
from ..errors import show_error
from ..models.base import ROW_ROLE
from .met_dialog import MetDialog
from .obligations_view import ObligationsView


class ObligationsPage(ObligationsView):
    matter_requested = Signal(int)
    READS = frozenset({"obligations", "office_obligations", "matters", "calendar_days", "calendar_years"})

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.include_closed.toggled.connect(self.refresh)
        self.table.activated.connect(self._open_row)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.mark_met.clicked.connect(self._record_met)

    def apply_changes(self, changes: Changes) -> None:
        if self.isVisible() and changes.touches(self.READS):
            self.refresh()

    def refresh(self) -> None:
        try:
            rows = obligation_rows(self._ctx.db, self._ctx.today(), include_closed=self.include_closed.isChecked(),
                                   ensure=False)  # the window keeps office obligations current
        except Exception as exc:
            show_error(self, exc)
            return
        self.model.set_rows(rows)
        overdue = sum(1 for r in rows if r.status == "overdue")
        self.count_label.setText(self.tr("共 {n} 项，其中已逾期 {m} 项").format(n=len(rows), m=overdue))

    def selected(self) -> ObligationRow | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _update_buttons(self) -> None:
        row = self.selected()
        self.mark_met.setEnabled(row is not None and row.matter_id is None and row.status in ("open", "overdue"))

    def _open_row(self, index: QModelIndex) -> None:
        row: ObligationRow | None = index.data(ROW_ROLE)
        if row is not None and row.matter_id is not None:
            self.matter_requested.emit(row.matter_id)

    def _record_met(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = MetDialog(self._ctx, row, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
