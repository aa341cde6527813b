"""新建文书: pick the form and, when it draws on one, the matter; the page then opens the editor."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCompleter, QWidget

from ...services.search import MatterFilter, list_matters
from ..context import UiContext
from ..formatting import form_text
from .catalogue import matter_forms, own_forms
from .new_document_view import NewDocumentView

RECENT_MATTERS = 300


class NewDocumentDialog(NewDocumentView):
    chosen = Signal(str, object, str)  # form id, matter id or None, matter reg_no

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matter_forms = {f.id for f in matter_forms(ctx.db)}
        for form in own_forms(ctx.db):
            self.form_choice.addItem(form_text(form.name), form.id)
        self.matter_choice.addItem(self.tr("（不关联事项）"), None)
        for row in list_matters(ctx.db, MatterFilter(), limit=RECENT_MATTERS, today=ctx.today()):
            self.matter_choice.addItem(f"{row.reg_no}　{row.title}", (row.id, row.reg_no))
        completer = QCompleter(self.matter_choice.model(), self.matter_choice)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.matter_choice.setCompleter(completer)
        self.matter_choice.setToolTip(self.tr("最近受理的 {n} 件事项").format(n=RECENT_MATTERS))
        self._connect_signals()
        self._form_changed()

    def _connect_signals(self) -> None:
        self.form_choice.currentIndexChanged.connect(self._form_changed)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def choose(self, form_id: str, matter_id: int | None = None) -> None:
        self.form_choice.setCurrentIndex(max(0, self.form_choice.findData(form_id)))
        for n in range(self.matter_choice.count()):
            data = self.matter_choice.itemData(n)
            if (data[0] if data else None) == matter_id:
                self.matter_choice.setCurrentIndex(n)
                return

    def _form_changed(self) -> None:
        uses_matter = self.form_choice.currentData() in self._matter_forms
        self.matter_choice.setEnabled(uses_matter)
        if not uses_matter:
            self.matter_choice.setCurrentIndex(0)

    def submit(self) -> None:
        index = self.matter_choice.findText(self.matter_choice.currentText())
        if index < 0:
            self.errors_matter.setText(self.tr("没有找到这个事项，请从下拉列表中选择，或选“不关联事项”。"))
            self.errors_matter.show()
            return
        data = self.matter_choice.itemData(index)
        matter_id, reg_no = data if data else (None, "")
        self.accept()
        self.chosen.emit(str(self.form_choice.currentData()), matter_id, reg_no)
