"""What the four tabs of 监督员与会议 share: the context, whether the records shown may be changed here, the
status-bar message, and how a write's refusal reaches the clerk."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTableView, QWidget

from ...domain.permissions import Permission, allowed
from ..context import UiContext
from ..errors import open_dialog, show_error
from ..models.base import ROW_ROLE
from ..roles import gate

D = TypeVar("D", bound=QDialog)


def push_button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    return button


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def selected_row(table: QTableView) -> Any:
    rows = table.selectionModel().selectedRows()
    return rows[0].data(ROW_ROLE) if rows else None


def select_id(table: QTableView, row_id: int | None) -> None:
    model = table.model()
    find = getattr(model, "find", None)
    if row_id is None or find is None:
        return
    row = find(row_id)
    if row is not None:
        table.selectRow(row)


class Tab(QWidget):
    """One tab: ``writable`` is False at the bureau (a township's records are only looked at there) and for a
    role that may not work on matters; then the write buttons are hidden or disabled."""

    message = Signal(str)

    def __init__(self, ctx: UiContext, writable: bool) -> None:
        super().__init__()
        self._ctx = ctx
        self.writable = writable
        self.may_write = writable and allowed(ctx.actor.role, Permission.MATTER_WORK)
        self._want: int | None = None  # a row just saved: selected once the change notice has read it

    def replace_rows(self, table: QTableView, rows: list[Any]) -> None:
        """New rows for ``table``, the selection kept (or moved to the row just saved)."""
        chosen = selected_row(table)
        table.model().set_rows(rows)  # type: ignore[attr-defined]
        target = self._want if self._want is not None else getattr(chosen, "id", None)
        if target is not None and table.model().find(target) is not None:  # type: ignore[attr-defined]
            select_id(table, target)
            if target == self._want:
                self._want = None

    def want(self, table: QTableView, row_id: int) -> None:
        """Select ``row_id`` now if it is listed, or when it is."""
        if table.model().find(row_id) is not None:  # type: ignore[attr-defined]
            select_id(table, row_id)
        else:
            self._want = row_id

    def setup_buttons(self, *buttons: QPushButton) -> None:
        """Hidden where nothing may be written; disabled, with a tooltip saying who may, for another role."""
        for button in buttons:
            button.setVisible(self.writable)
        if self.writable:
            gate(self._ctx.actor.role, Permission.MATTER_WORK, *buttons)

    def enable(self, button: QPushButton, on: bool, why: str = "") -> None:
        """Enable a write button for the selection; ``why`` says what to choose while it is off."""
        if not self.may_write:
            return
        button.setEnabled(on)
        button.setToolTip("" if on else why)

    def open(self, make: Callable[[], D]) -> D | None:
        return open_dialog(self, make)

    def write(self, call: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        self._ctx.tasks.write(call, on_done, self._failed)

    def _failed(self, exc: object) -> None:
        if isinstance(exc, BaseException):
            show_error(self, exc)
