"""One input widget per form field, generated from the form's declaration (D-1, STYLE.md habit 8): an office that
adds a field to ``forms/*.toml`` gets its input here without code.

Values go in and out in the shape the services store: text as str, dates as YYYY-MM-DD, numbers as int, and
None for a date, number or choice left empty (so the service can say “请填写…” for a required one).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QWidget,
)

from ...documents.forms import FieldDef, FieldType
from ..formatting import form_text
from ..widgets import DateEdit, parse_typed_date, qdate

NUMBER_CEILING = 999_999
LONG_TEXT_LINES = 5
LABEL_WIDTH = 150  # long labels (逾期后报告司法局的期限（工作日）) wrap onto a second line instead of being cut
C = "FieldEditor"


def _tr(text: str) -> str:
    return QCoreApplication.translate(C, text)


class _BlankableDate(DateEdit):
    """A date that may be left empty (shown as （未填写）), typed as typed (DateEdit). Opening the calendar on an empty
    date starts at today."""

    def __init__(self, today: date) -> None:
        super().__init__(_tr("（未填写）"))
        self.setDate(qdate(today))  # the calendar's starting day
        self.clear()


class FieldEditor(QObject):
    """The widget for one FieldDef, with its label, value in and out, and an invalid mark."""

    changed = Signal()

    def __init__(self, field: FieldDef, today: date, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.label = QLabel(self._label_text())
        self.label.setObjectName("fieldLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.label.setWordWrap(True)
        self.label.setFixedWidth(LABEL_WIDTH)
        self.label.setMinimumHeight(self.label.heightForWidth(LABEL_WIDTH))
        self.clear_button: QToolButton | None = None  # optional dates only
        self.input: QWidget = self._make_input(today)
        self.input.setObjectName(f"field_{field.name}")
        self.widget: QWidget = self._wrap()
        tip = self._tooltip()
        if tip:
            self.input.setToolTip(tip)
            self.label.setToolTip(tip)
        self.label.setBuddy(self.input)

    # --- building -------------------------------------------------------------------------------------
    def _label_text(self) -> str:
        star = "<span style='color:#c62828'>*</span>" if self.field.required else ""
        return f"{star}{form_text(self.field.label)}："

    def _tooltip(self) -> str:
        parts = [form_text(self.field.help)] if self.field.help else []
        if self.field.required:
            parts.append(_tr("必填"))
        if self.field.max_length:
            parts.append(_tr("最多 {n} 字").format(n=self.field.max_length))
        return "；".join(parts)

    def _make_input(self, today: date) -> QWidget:
        kind = self.field.type
        if kind is FieldType.TEXT:
            line = QLineEdit()
            if self.field.max_length:
                line.setMaxLength(self.field.max_length)
            line.setPlaceholderText(form_text(self.field.help))
            line.textChanged.connect(self.changed)
            return line
        if kind is FieldType.LONG_TEXT:
            text = QPlainTextEdit()
            text.setPlaceholderText(form_text(self.field.help))
            text.setTabChangesFocus(True)
            lines = LONG_TEXT_LINES if (self.field.max_length or 1000) > 200 else 3
            text.setFixedHeight(text.fontMetrics().lineSpacing() * lines + 14)
            text.textChanged.connect(self.changed)
            return text
        if kind is FieldType.DATE:
            blankable = _BlankableDate(today)
            blankable.textChanged.connect(self.changed)
            return blankable
        if kind is FieldType.NUMBER:
            spin = QSpinBox()
            low = self.field.minimum if self.field.minimum is not None else 0
            high = self.field.maximum if self.field.maximum is not None else NUMBER_CEILING
            spin.setRange(low - 1, high)  # the value below the range is “not filled in”
            spin.setSpecialValueText(_tr("（未填写）"))
            spin.setMinimumWidth(110)
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            spin.setValue(low - 1)
            spin.valueChanged.connect(self.changed)
            return spin
        combo = QComboBox()
        combo.addItem(_tr("（未选择）"), None)
        for choice in self.field.choices:
            combo.addItem(choice, choice)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        longest = max((combo.itemText(n) for n in range(combo.count())), key=combo.fontMetrics().horizontalAdvance)
        combo.setMinimumWidth(combo.fontMetrics().horizontalAdvance(longest) + 48)  # text, arrow and frame
        combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        combo.currentIndexChanged.connect(self.changed)
        return combo

    def _wrap(self) -> QWidget:
        if self.field.type is not FieldType.DATE or self.field.required:
            return self.input
        box = QWidget()
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.input)
        button = QToolButton()
        button.setText(_tr("清空"))
        button.setToolTip(_tr("不填此日期（打印时留空，可手写）"))
        button.setAutoRaise(True)
        button.clicked.connect(self.clear)
        row.addWidget(button)
        self.clear_button = button
        row.addStretch(1)
        return box

    # --- values ---------------------------------------------------------------------------------------
    def value(self) -> Any:
        widget = self.input
        if isinstance(widget, DateEdit):
            # As typed: the date, None when empty, or the text itself (2026-02-30) for the service to refuse.
            parsed = parse_typed_date(widget.text())
            return parsed.isoformat() if isinstance(parsed, date) else None if parsed is None else widget.text()
        if isinstance(widget, QLineEdit):
            return widget.text()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QSpinBox):
            return None if widget.value() == widget.minimum() else widget.value()
        assert isinstance(widget, QComboBox)
        data = widget.currentData()
        return str(data) if data is not None else None

    def set_value(self, value: Any) -> None:
        widget = self.input
        if isinstance(widget, DateEdit):
            day = _qdate(value)
            if day is None:
                widget.clear()
            else:
                widget.setDate(day)
        elif isinstance(widget, QLineEdit):
            widget.setText("" if value is None else str(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText("" if value is None else str(value))
        elif isinstance(widget, QSpinBox):
            number = _int(value)
            widget.setValue(widget.minimum() if number is None else number)
        elif isinstance(widget, QComboBox):
            text = "" if value is None else str(value)
            index = widget.findData(text) if text else 0
            if index < 0:  # a value the form no longer offers: keep it visible rather than lose it
                widget.addItem(text, text)
                index = widget.count() - 1
            widget.setCurrentIndex(index)

    def clear(self) -> None:
        self.set_value(None)

    def set_editable(self, editable: bool) -> None:
        widget = self.input
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.setReadOnly(not editable)
        elif isinstance(widget, QSpinBox):
            widget.setReadOnly(not editable)
            widget.setButtonSymbols(QSpinBox.ButtonSymbols.UpDownArrows if editable
                                    else QSpinBox.ButtonSymbols.NoButtons)
        else:
            widget.setEnabled(editable)
        _repolish(widget)  # the read-only look comes from a style sheet property selector
        if self.clear_button is not None:
            self.clear_button.setVisible(editable)

    def set_invalid(self, invalid: bool) -> None:
        for widget in (self.input, self.label):
            if bool(widget.property("invalid")) == invalid:
                continue
            widget.setProperty("invalid", invalid)
            _repolish(widget)

    def focus(self) -> None:
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _qdate(value: Any) -> QDate | None:
    if isinstance(value, date):
        return qdate(value)
    if isinstance(value, str) and value:
        parsed = QDate.fromString(value, "yyyy-MM-dd")
        return parsed if parsed.isValid() else None
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None
