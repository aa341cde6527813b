"""Behaviour of a matter's detail: show it, offer exactly the allowed actions, run them."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton

from ...domain.documents import DocStatus
from ...domain.lifecycle import BY_DOCUMENT, Action
from ...domain.permissions import Permission
from ...services import documents
from ...services.changes import Changes
from ...services.corrections import Corrected
from ...services.documents import list_documents
from ...services.matters import MatterDetail, matter_detail
from ..context import UiContext
from ..documents.editor_dialog import EditorDialog
from ..documents.matter_documents import MatterDocuments
from ..errors import open_dialog, show_error, show_info
from ..formatting import table_date, vocab_text
from ..roles import gate
from .action_dialog import ActionDialog
from .attachments_section import AttachmentsSection
from .correct_dialog import CorrectDialog
from .detail_view import DetailView

MAX_ACTION_SHORTCUTS = 9
UNFINISHED = (DocStatus.DRAFT.value, DocStatus.REVIEW.value, DocStatus.APPROVED.value)


def _complainant(d: MatterDetail) -> str:
    parts = [p for p in (d.complainant_name, d.complainant_phone, d.complainant_id_no) if p]
    return "　".join(parts)


class DetailPage(DetailView):
    back_requested = Signal()
    message = Signal(str)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._detail: MatterDetail | None = None
        self._action_buttons: list[QPushButton] = []
        self._escape = QShortcut(QKeySequence(QKeySequence.StandardKey.Cancel), self)
        self.documents = MatterDocuments(ctx)
        self.documents_slot.addWidget(self.documents)
        self.attachments = AttachmentsSection(ctx)
        self.attachments_slot.addWidget(self.attachments)
        gate(ctx.actor.role, Permission.MATTER_WORK, self.correct_button)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.back_button.clicked.connect(self.back_requested)
        self._escape.activated.connect(self.back_requested)
        self.refresh_button.clicked.connect(self.refresh)
        self.correct_button.clicked.connect(self.open_correct_dialog)
        self.attachments.message.connect(self.message)

    @property
    def detail(self) -> MatterDetail | None:
        return self._detail

    def show_matter(self, matter_id: int) -> bool:
        try:
            detail = matter_detail(self._ctx.db, matter_id, self._ctx.today())
        except Exception as exc:
            show_error(self, exc)
            return False
        self._show(detail)
        return True

    def apply_changes(self, changes: Changes) -> None:
        """Read the matter again only if this page shows it and the write touched it (or a name it shows)."""
        d = self._detail
        if d is not None and self.isVisible() and (changes.touches_matter(d.id) or
                                                    changes.touches(("units", "users"))):
            self.refresh()

    def refresh(self) -> None:
        if self._detail is not None:
            self.show_matter(self._detail.id)

    def _show(self, d: MatterDetail) -> None:
        self._detail = d
        self.reg_no.setText(d.reg_no)
        self.status.setText(vocab_text(d.status_label))
        self.title.setText(d.title)
        office = d.reported_by or self.tr("本所")
        flags = [self.tr("情节严重/复杂") if d.serious else self.tr("一般"),
                 (self.tr("属于{office}监督范围") if d.in_scope else self.tr("超出{office}监督范围")).format(office=office)]
        values = {
            "received_on": table_date(d.received_on),
            # the supervisor, review file or certificate holder it came from (issue 16), after the source
            "source": self.tr("{source}：{origin}").format(source=vocab_text(d.source_label), origin=d.origin)
            if d.origin else vocab_text(d.source_label),
            "source_ref": d.source_ref,
            "units": "\n".join(d.units),
            "category": vocab_text(d.category_label),
            "method": vocab_text(d.method_label),
            "track": vocab_text(d.track_label),
            "handler": d.handler,
            "deadline": table_date(d.rectification_deadline),
            "flags": "；".join(flags),
            "complainant": _complainant(d),
            "facts": d.facts,
            "legal_basis": d.legal_basis,
            "duplicates": "、".join(d.duplicates),
        }
        for key, value in values.items():
            self.fields[key].setText(value or "—")
        for key in ("duplicates", "deadline"):
            shown = bool(values[key])
            self.fields[key].setVisible(shown)
            self.field_labels[key].setVisible(shown)
        self.obligation_model.set_rows(d.obligations)
        self.fit_obligations()
        self.obligations.setVisible(bool(d.obligations))
        self.no_obligations.setVisible(not d.obligations)
        self._word_for_holder(d)
        self.documents.show_matter(d.id, d.reg_no)
        self.attachments.show_matter(d.id, d.correctable)
        self.correct_button.setVisible(d.correctable)  # a township's matter at the bureau is read-only
        self.event_model.set_rows(d.events)
        self.events.scrollToBottom()
        self._rebuild_actions(d)

    def _word_for_holder(self, d: MatterDetail) -> None:
        """A township's matter at the bureau: the notes say who works it, not how the office would (item 14)."""
        if d.reported_by:
            self.no_actions.setText(self.tr("该事项由{office}办理，本局只能查看；可在“文书”中起草答复文书")
                                    .format(office=d.reported_by))
            self.no_obligations.setText(self.tr("无（时限由{office}随办理进度报送）").format(office=d.reported_by))
            self.documents.empty.setText(self.tr("尚无文书（可用“起草文书”起草执法协作反馈函、行政执法监督通知书）"))
        else:
            self.no_actions.setText(self.tr("当前状态下没有可执行的操作"))
            self.no_obligations.setText(self.tr("无（制发建议书、标记逾期或情节严重等操作后自动生成）"))
            self.documents.empty.setText(self.tr("尚无文书（用“起草文书”起草建议书等格式文书）"))

    def _rebuild_actions(self, d: MatterDetail) -> None:
        for button in self._action_buttons:
            self.actions_box.removeWidget(button)
            button.deleteLater()
        self._action_buttons = []
        for n, (code, text) in enumerate(d.actions, start=1):
            button = QPushButton(text)
            if Action(code) in BY_DOCUMENT:
                name = documents.form(BY_DOCUMENT[Action(code)]).name
                button.setText(self.tr("{action}（起草文书）").format(action=text))
                button.setToolTip(self.tr("起草“{name}”；经审核、签发后，事项于签发之日自动转入下一步。").format(name=name))
            button.setObjectName(f"action_{code}")
            button.setProperty("action", code)
            if n <= MAX_ACTION_SHORTCUTS:
                button.setShortcut(QKeySequence(f"Alt+{n}"))
                hint = self.tr("快捷键 Alt+{n}").format(n=n)
                button.setToolTip(f"{button.toolTip()}\n{hint}" if button.toolTip() else hint)
            button.clicked.connect(self._action_clicked)
            self.actions_box.addWidget(button)
            self._action_buttons.append(button)
        self.no_actions.setVisible(not d.actions)

    def action_button(self, code: str) -> QPushButton:
        return next(b for b in self._action_buttons if b.property("action") == code)

    def _action_clicked(self) -> None:
        button = self.sender()
        if not isinstance(button, QPushButton) or self._detail is None:
            return
        code = str(button.property("action"))
        if Action(code) in BY_DOCUMENT:
            self.open_action_document(code)
        else:
            self.open_action_dialog(code)

    def open_action_document(self, code: str) -> EditorDialog | None:
        """提请司法局, 移送司法局, 发出协作函: the matter moves when the document is issued (pilot plan §二(四)), so
        the button opens the document — the unfinished one if there is one, else a new draft from the matter."""
        assert self._detail is not None
        form_id = BY_DOCUMENT[Action(code)]
        try:
            pending = [row for row in list_documents(self._ctx.db, matter_id=self._detail.id)
                       if row.form_id == form_id and row.status in UNFINISHED]
        except Exception as exc:
            show_error(self, exc)
            return None
        if pending:
            return self.documents.open_document(pending[0].id)
        return self.documents.draft(form_id)

    def open_action_dialog(self, code: str) -> ActionDialog | None:
        assert self._detail is not None
        dialog = open_dialog(self, partial(ActionDialog, self._ctx, self._detail, code, self))
        if dialog is not None:
            dialog.done_with_alerts.connect(self._action_done)
        return dialog

    def open_correct_dialog(self) -> CorrectDialog | None:
        assert self._detail is not None
        dialog = open_dialog(self, partial(CorrectDialog, self._ctx, self._detail, self))
        if dialog is not None:
            dialog.registered.connect(self._corrected)
        return dialog

    def _corrected(self, result: Corrected) -> None:
        self.message.emit(self.tr("已更正：{fields}").format(fields="、".join(result.fields)))

    def _action_done(self, alerts: list[str]) -> None:
        assert self._detail is not None
        # The change notice has already shown the matter as it is now.
        if self._detail is not None:
            self.message.emit(self.tr("{reg_no}：当前状态“{status}”").format(
                reg_no=self._detail.reg_no, status=vocab_text(self._detail.status_label)))
        if alerts:
            show_info(self, self.tr("请注意"), "\n".join(alerts))
