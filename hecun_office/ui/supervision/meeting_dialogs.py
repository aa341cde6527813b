"""联席会议's forms (O-2): record or correct a meeting with its decisions, and record a decision as carried out."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...services.meetings import DecisionInput, DecisionRow, MeetingInput, decision_done, save_meeting
from ..context import UiContext
from ..widgets import DateEdit, date_edit, label, pydate, qdate
from .form_dialog import FormDialog
from .supervisor_dialogs import line, text_box


class DecisionRows(QWidget):
    """The decisions as rows of fields (内容, 责任单位, 完成时限) with 删除 on each and 增加一条 below; a row keeps
    the key of the decision it shows, so that correcting a meeting keeps the decision's obligation."""

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.setSpacing(4)
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        for column, text in enumerate((self.tr("议定事项内容"), self.tr("责任单位"), self.tr("完成时限"))):
            self.grid.addWidget(label(text, "muted"), 0, column)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(1, 1)
        self.rows: list[tuple[QLineEdit, QLineEdit, DateEdit, QPushButton, str]] = []
        self.add_button = QPushButton(self.tr("增加一条"))
        self.add_button.setObjectName("addDecision")
        self.add_button.clicked.connect(self._add_clicked)
        outer.addLayout(self.grid)
        outer.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        outer.addStretch(1)

    def _add_clicked(self) -> None:
        self.add_row()

    def add_row(self, text: str = "", owner: str = "", due: Any = None, key: str = "") -> None:
        content = QLineEdit(text)
        content.setPlaceholderText(self.tr("如 各执法单位于月底前报送执法人员名单"))
        content.setMinimumWidth(260)
        who = QLineEdit(owner)
        who.setPlaceholderText(self.tr("如 镇综合执法办"))
        who.setMinimumWidth(130)
        due_edit = date_edit(self.tr("无时限"))
        due_edit.setText(due.isoformat() if due is not None else "")
        remove = QPushButton(self.tr("删除"))
        remove.setObjectName("removeDecision")
        remove.clicked.connect(self._remove_clicked)
        n = len(self.rows) + 1
        for column, widget in enumerate((content, who, due_edit, remove)):
            self.grid.addWidget(widget, n, column)
        self.rows.append((content, who, due_edit, remove, key))

    def _remove_clicked(self) -> None:
        sender = self.sender()
        for n, row in enumerate(self.rows):
            if row[3] is sender:
                self.remove_row(n)
                return

    def remove_row(self, n: int) -> None:
        gone: tuple[QWidget, ...] = self.rows.pop(n)[:4]
        for widget in gone:
            self.grid.removeWidget(widget)
            widget.deleteLater()
        for m, row in enumerate(self.rows[n:], start=n + 1):
            moved: tuple[QWidget, ...] = row[:4]
            for column, widget in enumerate(moved):
                self.grid.removeWidget(widget)  # up a row
                self.grid.addWidget(widget, m, column)

    def problem(self) -> str:
        for n, row in enumerate(self.rows, start=1):
            problem = row[2].check()
            if problem:
                return self.tr("第 {n} 条的完成时限：{problem}").format(n=n, problem=problem)
        return ""

    def decisions(self) -> tuple[DecisionInput, ...]:
        return tuple(DecisionInput(content.text(), who.text(), due_edit.value(), key)
                     for content, who, due_edit, _remove, key in self.rows
                     if content.text().strip() or who.text().strip() or due_edit.text().strip())


class MeetingDialog(FormDialog):
    """记录会议 (``meeting_id`` None) or 修改 one; ``data`` is the record to correct."""

    def __init__(self, ctx: UiContext, meeting_id: int | None = None, data: MeetingInput | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, width=860)
        self.titled(self.tr("记录联席会议") if meeting_id is None else self.tr("修改会议记录"), self.tr("保存"))
        self._id = meeting_id
        today = ctx.today()
        self.held_on = self.field("held_on", self.tr("会议日期"), date_edit())
        self.held_on.setDate(qdate(today))
        self.held_on.setMaximumDate(qdate(today), self.tr("今天"))
        self.name = self.field("name", self.tr("会议名称"), line(self.tr("如 2026年第一季度行政执法协调监督联席会议")))
        self.place = self.field("place", self.tr("会议地点"), line())
        self.convener = self.field("convener", self.tr("召集单位"), line(self.tr("不填则为本所")))
        self.chair = self.field("chair", self.tr("主持人"), line())
        self.participants = self.field("participants", self.tr("参会单位"), text_box(height=48))
        self.attendees = self.field("attendees", self.tr("出席人员"), text_box(height=48))
        self.observers = self.field("observers", self.tr("列席人员"), text_box(height=40))
        self.topics = self.field("topics", self.tr("议题"), text_box(self.tr("会议讨论的问题和情况"), 60))
        self.decision_rows = DecisionRows()
        holder = QScrollArea()
        holder.setObjectName("decisionScroller")
        holder.setWidgetResizable(True)
        holder.setWidget(self.decision_rows)
        holder.setMinimumHeight(130)
        self.field("decisions", self.tr("议定事项"), holder)
        self.set_note(self.tr("有完成时限的议定事项会列入“整改与时限”和工作台，完成后请用“议定事项完成”记录。"))
        if data is not None:
            self.held_on.setDate(qdate(data.held_on))
            for edit, value in ((self.name, data.name), (self.place, data.place), (self.convener, data.convener),
                                (self.chair, data.chair)):
                edit.setText(value)
            for box, value in ((self.participants, data.participants), (self.attendees, data.attendees),
                               (self.observers, data.observers), (self.topics, data.topics)):
                box.setPlainText(value)
            for d in data.decisions:
                self.decision_rows.add_row(d.text, d.owner, d.due_on, d.key)
        if not self.decision_rows.rows:
            self.decision_rows.add_row()
        self.finish_layout()

    def data(self) -> MeetingInput:
        return MeetingInput(pydate(self.held_on.date()), self.name.text(), self.place.text(), self.convener.text(),
                            self.chair.text(), self.participants.toPlainText(), self.attendees.toPlainText(),
                            self.observers.toPlainText(), self.topics.toPlainText(), self.decision_rows.decisions())

    def call(self) -> Callable[[], Any] | None:
        problem = self.decision_rows.problem()
        if problem:
            self.errors.show_message("decisions", problem)
            return None
        return partial(save_meeting, self._ctx.db, self._ctx.actor, self.data(), self._ctx.today(), self._id)


class DecisionDoneDialog(FormDialog):
    """议定事项完成: pick an open decision, the day it was carried out and a note."""

    def __init__(self, ctx: UiContext, meeting_id: int, name: str, decisions: tuple[DecisionRow, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, width=600)
        self.titled(self.tr("议定事项完成"), self.tr("记为完成"))
        self.heading.setText(self.tr("议定事项完成：{name}").format(name=name))
        self._id = meeting_id
        today = ctx.today()
        self.decision = QComboBox()
        self.decision.setMinimumContentsLength(36)
        self.decision.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for d in decisions:
            if d.done_on is None:
                text = self.tr("{text}（{owner}）").format(text=d.text, owner=d.owner) if d.owner else d.text
                self.decision.addItem(text, d.key)
                self.decision.setItemData(self.decision.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.field("key", self.tr("议定事项"), self.decision)
        self.on = self.field("on", self.tr("完成日期"), date_edit())
        self.on.setDate(qdate(today))
        self.on.setMaximumDate(qdate(today), self.tr("今天"))
        self.done_note = self.field("note", self.tr("完成情况"), text_box(self.tr("如 已报送名单，见某文"), 60))
        self.finish_layout()

    def call(self) -> Callable[[], Any] | None:
        key = self.decision.currentData()
        if not isinstance(key, str):
            self.errors.show_message("key", self.tr("本次会议没有未完成的议定事项。"))
            return None
        return partial(decision_done, self._ctx.db, self._ctx.actor, self._id, key, pydate(self.on.date()),
                       self._ctx.today(), self.done_note.toPlainText())
