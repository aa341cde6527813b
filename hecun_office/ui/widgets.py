"""Small building blocks shared by the views: labels, tables, inline field errors."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ..domain.errors import ValidationError

ROW_HEIGHT = 30


def label(text: str, object_name: str = "", wrap: bool = False) -> QLabel:
    widget = QLabel(text)
    if object_name:
        widget.setObjectName(object_name)
    widget.setWordWrap(wrap)
    return widget


def error_label() -> QLabel:
    widget = label("", "fieldError", wrap=True)
    widget.hide()
    return widget


def with_error(field: QWidget, error: QLabel) -> QWidget:
    """The field with its (normally hidden) error message right below it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(error)
    return box


def table_view(stretch_column: int | None = None) -> QTableView:
    """A read-only, row-selecting table with the look used everywhere."""
    view = QTableView()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setShowGrid(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setStretchLastSection(stretch_column is None)
    if stretch_column is not None:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return view


def set_column_widths(view: QTableView, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        view.setColumnWidth(column, width)


class FieldErrors:
    """Shows a ValidationError next to the field it names, or in the general slot when it names none."""

    def __init__(self, general: QLabel) -> None:
        self._general = general
        self._labels: dict[str, QLabel] = {}

    def add(self, field: str, error: QLabel) -> None:
        self._labels[field] = error

    def clear(self) -> None:
        for error in (*self._labels.values(), self._general):
            error.clear()
            error.hide()

    def show(self, exc: ValidationError) -> None:
        self.show_message(exc.field, exc.message)

    def show_message(self, field: str | None, message: str) -> None:
        self.clear()
        target = self._labels.get(field or "", self._general)
        target.setText(message)
        target.show()

    def showing(self, field: str) -> str:
        """The message shown for ``field`` ("" when none): tests and accessibility read it."""
        error = self._labels.get(field, self._general)
        return "" if error.isHidden() else error.text()


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
