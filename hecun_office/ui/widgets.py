"""Small building blocks shared by the views: labels, tables, inline field errors."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import ValidationError

ROW_HEIGHT = 30


def label(text: str, object_name: str = "", wrap: bool = False) -> QLabel:
    widget = QLabel(text)
    if object_name:
        widget.setObjectName(object_name)
    widget.setWordWrap(wrap)
    return widget


def page_header(page: QWidget, title: str, title_style: str = "pageTitle",
                embedded: bool = False) -> tuple[QVBoxLayout, QHBoxLayout]:
    """The layout every page (or embedded section) starts with: a title row whose right side the caller fills."""
    layout = QVBoxLayout(page)
    if embedded:
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
    else:
        layout.setContentsMargins(24, 18, 24, 12)
        layout.setSpacing(10)
    top = QHBoxLayout()
    top.addWidget(label(title, title_style))
    top.addStretch(1)
    return layout, top


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
    fixed = field.sizePolicy().horizontalPolicy() in (QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Maximum)
    layout.addWidget(field, 0, Qt.AlignmentFlag.AlignLeft if fixed else Qt.AlignmentFlag(0))
    layout.addWidget(error)
    return box


def qdate(day: date) -> QDate:
    """``day`` for a QDateEdit: PySide accepts a ``date`` at run time, but its stubs ask for a QDate."""
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> date:
    """A QDateEdit's date as a ``date`` (``QDate.toPython`` is typed as returning ``object``)."""
    return date(day.year(), day.month(), day.day())


def date_edit() -> QDateEdit:
    """A date field as used in every form: calendar popup, 2026-03-23, no wider than a date."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumWidth(130)
    edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return edit


def table_view(model: QAbstractItemModel, stretch_column: int | None = None) -> QTableView:
    """A read-only, row-selecting table over ``model`` with the look used everywhere."""
    view = QTableView()
    view.setModel(model)  # first: header sections only exist once there is a model
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
        self._widgets: dict[str, QWidget] = {}

    def add(self, field: str, error: QLabel, widget: QWidget | None = None) -> None:
        """``widget`` gets the keyboard focus when its field is wrong."""
        self._labels[field] = error
        if widget is not None:
            self._widgets[field] = widget

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
        widget = self._widgets.get(field or "")
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def showing(self, field: str) -> str:
        """The message shown for ``field`` ("" when none): tests and accessibility read it."""
        error = self._labels.get(field, self._general)
        return "" if error.isHidden() else error.text()


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
