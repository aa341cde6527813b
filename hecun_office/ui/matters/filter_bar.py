"""Behaviour of the 监督事项 filter bar (M-6): one ``changed`` signal for every way the filter can change.

Typing waits for a pause (SEARCH_DELAY_MS) so that a query runs for the word, not for every character; boxes
and check boxes apply at once; Enter applies the text at once. Choosing a saved filter fills the bar in one go.
The bar knows no services: the page gives it the choices and saved filters and does the saving.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox

from ...services.matters import UnitRow, UserRow
from ...services.search import MatterFilter, SavedFilterRow
from ..widgets import pydate, qdate
from .filter_view import OPEN_ONLY, FilterBarView

SEARCH_DELAY_MS = 250


def _select_data(box: QComboBox, value: Any) -> None:
    index = box.findData(value)
    box.setCurrentIndex(max(index, 0))


class FilterBar(FilterBarView):
    changed = Signal()  # the filter differs from the one last announced
    save_requested = Signal()  # 保存筛选…: the page asks for a name
    delete_requested = Signal(int)  # the saved filter's id

    def __init__(self, offices: bool = False) -> None:
        super().__init__(offices)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._quiet = False
        self._saved: list[SavedFilterRow] = []
        self._announced = MatterFilter()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._typed)
        self.search.returnPressed.connect(self._apply)
        self._timer.timeout.connect(self._apply)
        for box in self.boxes():
            box.currentIndexChanged.connect(self._apply)
        self.date_enabled.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(self._apply)
        self.date_to.dateChanged.connect(self._apply)
        self.overdue.toggled.connect(self._apply)
        self.serious.toggled.connect(self._apply)
        self.clear_button.clicked.connect(self.clear)
        self.saved.activated.connect(self._saved_chosen)
        self.save_button.clicked.connect(self.save_requested)
        self.delete_button.clicked.connect(self._delete_chosen)

    def boxes(self) -> tuple[QComboBox, ...]:
        return self.office, self.status, self.unit, self.source, self.category, self.track, self.handler

    # --- the filter ---------------------------------------------------------------------------------
    def current_filter(self) -> MatterFilter:
        status = self.status.currentData()
        received_from = received_to = None
        if self.date_enabled.isChecked():
            received_from, received_to = sorted((pydate(self.date_from.date()), pydate(self.date_to.date())))
        return MatterFilter(
            text=self.search.text().strip(), status=None if status == OPEN_ONLY else status,
            open_only=status == OPEN_ONLY, unit_id=self.unit.currentData(), source=self.source.currentData(),
            category=self.category.currentData(), track=self.track.currentData(),
            handler_id=self.handler.currentData(), received_from=received_from, received_to=received_to,
            overdue=self.overdue.isChecked(), serious=self.serious.isChecked(), office_code=self.office.currentData())

    def set_filter(self, flt: MatterFilter) -> None:
        """Show ``flt`` in the bar (a saved filter), then announce it once."""
        self._quiet = True
        try:
            self.search.setText(flt.text)
            statuses = flt.statuses()
            _select_data(self.status, OPEN_ONLY if flt.open_only and not statuses else
                         statuses[0] if statuses else None)
            for box, value in ((self.unit, flt.unit_id), (self.source, flt.source), (self.category, flt.category),
                               (self.track, flt.track), (self.handler, flt.handler_id),
                               (self.office, flt.office_code)):
                _select_data(box, value)
            dated = flt.received_from is not None or flt.received_to is not None
            self.date_enabled.setChecked(dated)
            if flt.received_from is not None:
                self.date_from.setDate(qdate(flt.received_from))
            if flt.received_to is not None:
                self.date_to.setDate(qdate(flt.received_to))
            self.overdue.setChecked(flt.overdue)
            self.serious.setChecked(flt.serious)
        finally:
            self._quiet = False
        self._apply()

    def clear(self) -> None:
        self.saved.setCurrentIndex(0)
        self.set_filter(MatterFilter())

    def mark_applied(self) -> None:
        """The page is showing the current filter (it read it itself): only later changes are announced."""
        self._timer.stop()
        self._announced = self.current_filter()

    def pending(self) -> bool:
        """Typed text waiting for the pause."""
        return self._timer.isActive()

    def _typed(self) -> None:
        if not self._quiet:
            self._timer.start()

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self._apply()

    def _apply(self) -> None:
        if self._quiet:
            return
        self._timer.stop()
        flt = self.current_filter()
        chosen = self._chosen_saved()
        if chosen is not None and chosen.filter.to_criteria() != flt.to_criteria():
            self.saved.setCurrentIndex(0)  # edited since it was chosen: no longer that saved filter
        self._update_buttons()
        if flt != self._announced:
            self._announced = flt
            self.changed.emit()

    # --- choices ------------------------------------------------------------------------------------
    def set_default_dates(self, start: date, end: date) -> None:
        with QSignalBlocker(self.date_from), QSignalBlocker(self.date_to):
            self.date_from.setDate(qdate(start))
            self.date_to.setDate(qdate(end))

    def set_choices(self, units: Sequence[UnitRow], users: Sequence[UserRow],
                    offices: Sequence[tuple[str, str]] = ()) -> None:
        """Fill the unit and handler boxes (and at the bureau the township box with (code, name) pairs), keeping
        what is chosen when it is still there."""
        # At the bureau two townships may each supervise a unit of the same name: the township says which is which.
        township = dict(offices)
        for box, items in ((self.unit, [(u.id, f"{u.name}（{township.get(u.office_code, u.office_code)}）"
                                         if u.office_code and offices else u.name) for u in units]),
                           (self.handler, [(u.id, u.display_name) for u in users]),
                           (self.office, list(offices))):
            current = box.currentData()
            with QSignalBlocker(box):
                while box.count() > 1:
                    box.removeItem(1)
                for value, text in items:
                    box.addItem(text, value)
                    box.setItemData(box.count() - 1, text, Qt.ItemDataRole.ToolTipRole)  # long names in full
                _select_data(box, current)  # a unit that went away falls back to 全部: the page reads the bar next
        self._update_buttons()

    def set_saved(self, rows: Sequence[SavedFilterRow], current: str | None = None) -> None:
        self._saved = list(rows)
        chosen = current if current is not None else self.saved.currentText() if self.saved.currentIndex() > 0 else ""
        with QSignalBlocker(self.saved):
            self.saved.clear()
            self.saved.addItem(self.tr("已保存的筛选…") if rows else self.tr("（尚无保存的筛选）"), None)
            for row in rows:
                self.saved.addItem(row.name, row.id)
            self.saved.setCurrentIndex(max(self.saved.findText(chosen), 0) if chosen else 0)
        self._update_buttons()

    def chosen_saved_name(self) -> str:
        chosen = self._chosen_saved()
        return chosen.name if chosen else ""

    def _chosen_saved(self) -> SavedFilterRow | None:
        filter_id = self.saved.currentData()
        return next((r for r in self._saved if r.id == filter_id), None)

    def _saved_chosen(self) -> None:
        chosen = self._chosen_saved()
        if chosen is not None:
            self.set_filter(chosen.filter)
        self._update_buttons()

    def _delete_chosen(self) -> None:
        chosen = self._chosen_saved()
        if chosen is not None:
            self.delete_requested.emit(chosen.id)

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self._chosen_saved() is not None)
        self.clear_button.setEnabled(not self.current_filter().is_empty())
