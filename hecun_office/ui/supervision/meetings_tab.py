"""联席会议 (O-2): the meetings, the chosen one's decisions below, and the minutes drafted from the record."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from ...services.meetings import MeetingRow, draft_minutes, meeting_input
from ..context import UiContext
from ..documents.editor_dialog import EditorDialog, open_editor
from ..widgets import label, set_column_widths, table_view
from .common import Tab, button_row, push_button, selected_row
from .meeting_dialogs import DecisionDoneDialog, MeetingDialog
from .models import DecisionTableModel, MeetingTableModel


class MeetingsView(Tab):
    def __init__(self, ctx: UiContext, writable: bool) -> None:
        super().__init__(ctx, writable)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        self.add_button = push_button(self.tr("记录会议…"), "addMeeting")
        self.edit_button = push_button(self.tr("修改…"), "editMeeting")
        self.done_button = push_button(self.tr("议定事项完成…"), "decisionDone")
        self.minutes_button = push_button(self.tr("起草纪要"), "draftMinutes")
        # At the bureau: the township's minutes as its packet brought them, read-only (nothing is drafted there).
        self.view_minutes_button = push_button(self.tr("查看纪要"), "viewMinutes")
        self.view_minutes_button.setVisible(not writable)
        layout.addLayout(button_row(self.add_button, self.edit_button, self.done_button, self.minutes_button,
                                    self.view_minutes_button))
        self.note = label(self.tr("有完成时限的议定事项列入“整改与时限”和工作台，完成后请点“议定事项完成”；"
                                  "纪要按会议记录自动起草，可在文书中修改、审核、签发。"), "muted")
        layout.addWidget(self.note)
        self.note.setVisible(writable)  # how to do the work here: nothing to do at the bureau
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self.model = MeetingTableModel(self)
        self.table = table_view(self.model, stretch_column=1)
        self.table.setObjectName("meetingTable")
        set_column_widths(self.table, {0: 100, 2: 160, 3: 150, 4: 80})
        split.addWidget(self.table)
        lower = QWidget()
        box = QVBoxLayout(lower)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(4)
        self.detail_title = label(self.tr("议定事项"), "sectionTitle")
        box.addWidget(self.detail_title)
        self.decision_model = DecisionTableModel(self)
        self.decisions = table_view(self.decision_model, stretch_column=0)
        self.decisions.setObjectName("decisionTable")
        set_column_widths(self.decisions, {1: 150, 2: 100, 3: 130})
        box.addWidget(self.decisions)
        split.addWidget(lower)
        split.setSizes([260, 220])
        layout.addWidget(split, 1)


class MeetingsTab(MeetingsView):
    def __init__(self, ctx: UiContext, writable: bool) -> None:
        super().__init__(ctx, writable)
        self.setup_buttons(self.add_button, self.edit_button, self.done_button, self.minutes_button)
        self._connect_signals()
        self._selection_changed()

    def _connect_signals(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.add_button.clicked.connect(self.open_add_dialog)
        self.edit_button.clicked.connect(self.open_edit_dialog)
        self.done_button.clicked.connect(self.open_done_dialog)
        self.minutes_button.clicked.connect(self.draft_minutes)
        self.view_minutes_button.clicked.connect(self.view_minutes)

    def show_rows(self, rows: list[MeetingRow]) -> None:
        self.replace_rows(self.table, rows)
        self._selection_changed()

    def selected(self) -> MeetingRow | None:
        row = selected_row(self.table)
        return row if isinstance(row, MeetingRow) else None

    def select(self, meeting_id: int) -> None:
        self.want(self.table, meeting_id)

    def _selection_changed(self) -> None:
        row = self.selected()
        self.decision_model.set_rows(row.decisions if row is not None else [])
        self.detail_title.setText(self.tr("{name}的议定事项（{n}）").format(name=row.name, n=len(row.decisions))
                                  if row is not None else self.tr("议定事项"))
        pick = self.tr("请先在表格中选择一次会议。")
        self.enable(self.edit_button, row is not None, pick)
        self.enable(self.minutes_button, row is not None, pick)
        self.enable(self.done_button, row is not None and row.open_decisions > 0,
                    pick if row is None else self.tr("这次会议没有未完成的议定事项。"))
        self.minutes_button.setText(self.tr("打开纪要") if row is not None and row.minutes_document_id
                                    else self.tr("起草纪要"))
        sent = row is not None and row.minutes_document_id is not None
        self.view_minutes_button.setEnabled(sent)
        self.view_minutes_button.setToolTip("" if sent else self.tr("所选会议的纪要尚未签发报送。"))

    # --- forms ----------------------------------------------------------------------------------------------
    def open_add_dialog(self) -> MeetingDialog | None:
        dialog = self.open(partial(MeetingDialog, self._ctx, None, None, self))
        if dialog is not None:
            dialog.saved.connect(self._saved)
        return dialog

    def open_edit_dialog(self) -> MeetingDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = self.open(partial(self._edit_dialog, row.id))
        if dialog is not None:
            dialog.saved.connect(self._saved)
        return dialog

    def _edit_dialog(self, meeting_id: int) -> MeetingDialog:
        data = meeting_input(self._ctx.db, meeting_id)  # one row, read as the correction dialogs do
        return MeetingDialog(self._ctx, meeting_id, data, self)

    def open_done_dialog(self) -> DecisionDoneDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = self.open(partial(DecisionDoneDialog, self._ctx, row.id, row.name, row.decisions, self))
        if dialog is not None:
            dialog.saved.connect(self._done)
        return dialog

    def draft_minutes(self) -> None:
        """起草纪要: drafted from the record on the database worker (or the draft made before), then opened."""
        row = self.selected()
        if row is None:
            return
        self.minutes_button.setEnabled(False)
        ctx = self._ctx
        self.write(partial(draft_minutes, ctx.db, ctx.actor, row.id, ctx.today()), self._minutes_drafted)

    def view_minutes(self) -> None:
        """查看纪要 at the bureau: the issued minutes the township sent, in the editor's read-only view."""
        row = self.selected()
        if row is not None and row.minutes_document_id is not None:
            self.editor = open_editor(self, partial(EditorDialog.for_document, self._ctx, row.minutes_document_id,
                                                    self), self._document_changed)

    def _minutes_drafted(self, doc_id: object) -> None:
        self._selection_changed()
        if isinstance(doc_id, int):
            self.editor = open_editor(self, partial(EditorDialog.for_document, self._ctx, doc_id, self),
                                      self._document_changed)

    def _failed(self, exc: object) -> None:
        self._selection_changed()
        super()._failed(exc)

    def _document_changed(self, _doc_id: int) -> None:
        pass  # the write's change notice has read the meetings again

    def _saved(self, meeting_id: object) -> None:
        if isinstance(meeting_id, int):
            self.select(meeting_id)
        self.message.emit(self.tr("已保存会议记录"))

    def _done(self, _result: object) -> None:
        self.message.emit(self.tr("已记录议定事项完成"))
