"""Issue 11 item 6 in the document editor: a form's date field gives the service what was typed — the date, None
when left empty, or the typed text itself for the service to refuse — never another day."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from hecun_office.documents.forms import FieldDef, FieldType
from hecun_office.ui.documents.field_widgets import FieldEditor

from .conftest import type_text


def test_a_form_date_is_given_as_typed_or_as_the_text_to_refuse(qtbot):
    editor = FieldEditor(FieldDef("served_on", "送达日期", FieldType.DATE), date(2026, 3, 23))
    qtbot.addWidget(editor.widget)
    editor.widget.show()
    assert editor.value() is None  # empty until filled: the printed form leaves it blank
    editor.set_value("2026-02-03")
    assert editor.value() == "2026-02-03"
    for typed, given in (("2026-02-30", "2026-02-30"), ("2026-3-5", "2026-03-05"), ("", None)):
        editor.input.selectAll()
        type_text(qtbot, editor.input, typed) if typed else editor.input.clear()
        qtbot.keyClick(editor.input, Qt.Key.Key_Return)
        assert editor.value() == given
    editor.clear()
    assert editor.value() is None and editor.input.text() == ""
    editor.set_editable(False)
    assert editor.input.isReadOnly()
