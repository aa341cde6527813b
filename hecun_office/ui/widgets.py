"""Small building blocks shared by the views: labels, tables, inline field errors."""

from __future__ import annotations

import re
from datetime import date
from functools import partial

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QDate, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
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


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$|^(\d{4})(\d{2})(\d{2})$")


def parse_typed_date(text: str) -> date | str | None:
    """A typed date as typed: the date, None for an empty text, or the Chinese message saying what is wrong.

    2026-03-05, 2026-3-5, 2026/3/5, 2026年3月5日 and 20260305 are read; 2026-02-30 is not turned into another day."""
    text = text.strip()
    if not text:
        return None
    match = _DATE_TEXT.match(text)
    if match is None:
        return tr("DateEdit", "“{text}”不是日期，请按 年-月-日 输入，例如 2026-03-05").format(text=text)
    parts = [int(p) for p in match.groups() if p is not None]
    try:
        return date(parts[0], parts[1], parts[2])
    except ValueError:
        return tr("DateEdit", "{text} 不是有效日期，请核对年月日").format(text=text)


Day = date  # DateEdit.date() is QDateEdit's name; annotations inside the class say Day


class DateEdit(QLineEdit):
    """A date field as used in every form: typed as 2026-03-23 or picked from a calendar, no wider than a date.

    What is typed is taken as typed or refused — never clamped to the latest allowed date or fixed up to another
    day as QDateEdit does (2026-02-30 became 2026-02-03, 2026-12-02 became 2026-01-02 under a maximum of today).
    ``problem()`` says what is wrong; the field turns red and ``problem_found`` carries the message when editing
    finishes, so the form shows it next to the field; forms refuse to submit while ``problem()`` is not empty.
    ``date()`` is the last date that was valid (the start value until then); ``dateChanged`` fires for each new one."""

    dateChanged = Signal(QDate)
    problem_found = Signal(str)

    def __init__(self, blank_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date = QDate.currentDate()
        self._minimum: tuple[QDate, str] = (QDate(1900, 1, 1), "")
        self._maximum: tuple[QDate, str] = (QDate(2999, 12, 31), "")
        self._blank_text = blank_text  # empty allowed (shown as the placeholder) when given
        self.setPlaceholderText(blank_text or "2026-03-05")
        self.setMaxLength(16)
        self.setMinimumWidth(145)  # the date and the calendar button
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setText(self._date.toString("yyyy-MM-dd"))
        self._calendar_action = self.addAction(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown),
                                               QLineEdit.ActionPosition.TrailingPosition)
        self._calendar_action.setToolTip(tr("DateEdit", "从日历中选择"))
        self._calendar_action.triggered.connect(self.show_calendar)
        self.textChanged.connect(self._text_changed)
        self.editingFinished.connect(self.check)

    # --- QDateEdit's calls, kept so forms and tests read the same ------------------------------------------
    def date(self) -> QDate:
        return QDate(self._date)

    def setDate(self, day: QDate | Day) -> None:  # noqa: N802 - QDateEdit's name
        self.setText((day if isinstance(day, QDate) else qdate(day)).toString("yyyy-MM-dd"))
        self._mark("")

    def setMaximumDate(self, day: QDate, what: str = "") -> None:  # noqa: N802
        """The latest date allowed; ``what`` names it in the refusal (“今天” gives 不能晚于今天（2026-03-23）)."""
        self._maximum = (QDate(day), what)

    def setMinimumDate(self, day: QDate, what: str = "") -> None:  # noqa: N802
        self._minimum = (QDate(day), what)

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802
        super().setReadOnly(read_only)
        self._calendar_action.setVisible(not read_only)

    def maximumDate(self) -> QDate:  # noqa: N802
        return QDate(self._maximum[0])

    def minimumDate(self) -> QDate:  # noqa: N802
        return QDate(self._minimum[0])

    # --- as typed --------------------------------------------------------------------------------------
    def value(self) -> Day | None:
        """The typed date, or None for an empty field; only meaningful when ``problem()`` is empty."""
        parsed = parse_typed_date(self.text())
        return parsed if isinstance(parsed, date) else None

    def problem(self) -> str:
        """What is wrong with the typed text ("" when it is a date within the limits)."""
        parsed = parse_typed_date(self.text())
        if isinstance(parsed, str):
            return parsed
        if parsed is None:
            return "" if self._blank_text else tr("DateEdit", "请填写日期，例如 2026-03-05")
        (low, low_what), (high, high_what) = self._minimum, self._maximum
        if parsed > pydate(high):
            return tr("DateEdit", "{day} 不能晚于{what}（{limit}）").format(
                day=parsed.isoformat(), what=high_what, limit=pydate(high).isoformat())
        if parsed < pydate(low):
            return tr("DateEdit", "{day} 不能早于{what}（{limit}）").format(
                day=parsed.isoformat(), what=low_what, limit=pydate(low).isoformat())
        return ""

    def check(self) -> str:
        """Editing finished (or the form is submitted): mark the field and say what is wrong."""
        problem = self.problem()
        self._mark(problem)
        if problem:
            self.problem_found.emit(problem)
        else:
            day = self.value()
            if day is not None and self.text() != day.isoformat():
                self.setText(day.isoformat())  # 2026-3-5 reads 2026-03-05 once accepted
        return problem

    def show_calendar(self) -> QMenu:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        calendar = QCalendarWidget(menu)
        calendar.setObjectName("dateCalendar")
        calendar.setDateRange(self._minimum[0], self._maximum[0])
        calendar.setSelectedDate(self._date)
        calendar.clicked.connect(self.setDate)
        calendar.clicked.connect(menu.close)
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)
        menu.popup(self.mapToGlobal(self.rect().bottomLeft()))
        return menu

    def _text_changed(self, text: str) -> None:
        if self.property("invalid"):
            self._mark("")  # the clerk is correcting it
        parsed = parse_typed_date(text)
        if isinstance(parsed, date) and qdate(parsed) != self._date:
            self._date = qdate(parsed)
            self.dateChanged.emit(QDate(self._date))

    def _mark(self, problem: str) -> None:
        self.setProperty("invalid", bool(problem))
        self.setToolTip(problem)
        self.style().unpolish(self)
        self.style().polish(self)


def date_edit(blank_text: str = "") -> DateEdit:
    """A date field as used in every form (see DateEdit); ``blank_text`` allows it to be left empty."""
    return DateEdit(blank_text)


def watch_dates(errors: FieldErrors, fields: dict[str, DateEdit]) -> None:
    """Each date field's problem is shown next to it (its error label in ``errors``) as editing finishes."""
    for name, edit in fields.items():
        edit.problem_found.connect(partial(errors.show_message, name))


def check_dates(errors: FieldErrors, fields: dict[str, DateEdit]) -> bool:
    """Before a form is submitted: the first date field with a problem gets its message; False then."""
    for name, edit in fields.items():
        problem = edit.check()
        if problem:
            errors.show_message(name, problem)
            return False
    return True


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
        ReadableColumn(view, stretch_column)
    return view


class ReadableColumn(QObject):
    """The stretching column (a title, a name) never shrinks below ``chars`` characters: where the other columns
    leave less room (1280×720 at 150 %, issue 11 item 12) it keeps that width and the table scrolls sideways
    instead of showing "食…"."""

    def __init__(self, view: QTableView, column: int, chars: int = 12) -> None:
        super().__init__(view)
        self._view, self._column, self._chars = view, column, chars
        view.installEventFilter(self)
        # The view's own Resize reaches this filter before its viewport has the new width: fit again when the
        # viewport itself is resized, or a column squeezed at a small first size stays squeezed (issue 12 item 9).
        view.viewport().installEventFilter(self)
        view.horizontalHeader().sectionResized.connect(self._other_resized)

    def minimum(self) -> int:
        return self._chars * self._view.fontMetrics().horizontalAdvance("中") + 12

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        return False

    def _other_resized(self, section: int, _old: int, _new: int) -> None:
        if section != self._column:
            self.fit()

    def fit(self) -> None:
        header = self._view.horizontalHeader()
        others = sum(header.sectionSize(n) for n in range(header.count())
                     if n != self._column and not header.isSectionHidden(n))
        room = self._view.viewport().width() - others
        stretch = room >= self.minimum()
        mode = QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(self._column) != mode:
            header.setSectionResizeMode(self._column, mode)
        if not stretch and header.sectionSize(self._column) != self.minimum():
            header.resizeSection(self._column, self.minimum())


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
