"""法治监督员's forms (O-1): register or correct one, record an activity, register a matter they reported, link a
matter registered earlier."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QListView, QPlainTextEdit, QWidget

from ...domain.supervision import ActivityKind, SupervisorKind
from ...domain.vocab import Category, Source
from ...services.matters import MatterInput, list_units
from ...services.reminders import TERM_WARN_DAYS
from ...services.supervisors import (
    ActivityInput,
    SupervisorInput,
    link_matter,
    record_activity,
    report_matter,
    save_supervisor,
)
from ..context import UiContext
from ..formatting import vocab_choices, vocab_text
from ..models.unit_choice import UnitChoiceModel
from ..widgets import date_edit, pydate, qdate
from .form_dialog import FIELD_WIDTH, FormDialog


def line(placeholder: str = "", width: int = FIELD_WIDTH) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMinimumWidth(width)
    return edit


def text_box(placeholder: str = "", height: int = 80) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMinimumWidth(FIELD_WIDTH)
    edit.setFixedHeight(height)
    edit.setTabChangesFocus(True)
    return edit


def combo(choices: list[tuple[str, str]]) -> QComboBox:
    box = QComboBox()
    for value, text in choices:
        box.addItem(text, value)
    return box


class SupervisorDialog(FormDialog):
    """登记监督员 (``supervisor_id`` None) or 修改 one; ``data`` is the record to correct."""

    def __init__(self, ctx: UiContext, supervisor_id: int | None = None, data: SupervisorInput | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.titled(self.tr("登记法治监督员") if supervisor_id is None else self.tr("修改法治监督员信息"), self.tr("保存"))
        self._id = supervisor_id
        today = ctx.today()
        self.name = self.field("name", self.tr("姓名"), line(self.tr("监督员的姓名")))
        self.kind = self.field("kind", self.tr("类别"), combo(vocab_choices(SupervisorKind)))
        self.unit = self.field("unit", self.tr("工作单位"), line(self.tr("如 县人大常委会、某律师事务所")))
        self.contact = self.field("contact", self.tr("联系方式"), line(self.tr("手机或电话；列表中只显示部分号码")))
        self.appointed_on = self.field("appointed_on", self.tr("聘任日期"), date_edit())
        self.term_ends = self.field("term_ends", self.tr("任期届满"), date_edit(self.tr("未定可不填")))
        self.note_text = self.field("note", self.tr("备注"), text_box(height=60))
        self.appointed_on.setDate(qdate(today))
        self.term_ends.setText("")
        if data is not None:
            self.name.setText(data.name)
            self.kind.setCurrentIndex(max(0, self.kind.findData(data.kind)))
            self.unit.setText(data.unit)
            self.contact.setText(data.contact)
            self.appointed_on.setDate(qdate(data.appointed_on))
            if data.term_ends is not None:
                self.term_ends.setDate(qdate(data.term_ends))
            self.note_text.setPlainText(data.note)
        self.set_note(self.tr("任期届满前 {n} 天起，工作台会提醒续聘或改聘。").format(n=TERM_WARN_DAYS))
        self.finish_layout()

    def data(self) -> SupervisorInput:
        return SupervisorInput(self.name.text(), self.kind.currentData(), pydate(self.appointed_on.date()),
                               self.term_ends.value(), self.unit.text(), self.contact.text(),
                               self.note_text.toPlainText())

    def call(self) -> Callable[[], Any]:
        return partial(save_supervisor, self._ctx.db, self._ctx.actor, self.data(), self._id)


class ActivityDialog(FormDialog):
    """记录活动: what the supervisor took part in (a reported problem is registered as a matter instead)."""

    def __init__(self, ctx: UiContext, supervisor_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.titled(self.tr("记录监督员活动"), self.tr("保存"))
        self.heading.setText(self.tr("记录活动：{name}").format(name=name))
        self._id = supervisor_id
        today = ctx.today()
        choices = [c for c in vocab_choices(ActivityKind) if c[0] != ActivityKind.REPORT.value]
        self.on_date = self.field("on_date", self.tr("活动日期"), date_edit())
        self.on_date.setDate(qdate(today))
        self.on_date.setMaximumDate(qdate(today), self.tr("今天"))
        self.kind = self.field("kind", self.tr("活动类别"), combo(choices))
        self.description = self.field("description", self.tr("活动情况"),
                                      text_box(self.tr("如 参加某镇市场监管执法检查，提出 2 条意见")))
        self.set_note(self.tr("监督员反映的问题请用“登记其反映的事项”，以便跟踪办理。"))
        self.finish_layout()

    def call(self) -> Callable[[], Any]:
        data = ActivityInput(pydate(self.on_date.date()), self.kind.currentData(), self.description.toPlainText())
        return partial(record_activity, self._ctx.db, self._ctx.actor, self._id, data, self._ctx.today())


class ReportDialog(FormDialog):
    """登记其反映的事项: the essential fields of a matter; its source is 法治监督员反映 and it is linked to the
    supervisor. Other details are added on the matter afterwards."""

    def __init__(self, ctx: UiContext, supervisor_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, width=640)
        self.titled(self.tr("登记监督员反映的事项"), self.tr("登记"))
        self.heading.setText(self.tr("登记{name}反映的事项").format(name=name))
        self._id = supervisor_id
        today = ctx.today()
        self.received_on = self.field("received_on", self.tr("受理日期"), date_edit())
        self.received_on.setDate(qdate(today))
        self.received_on.setMaximumDate(qdate(today), self.tr("今天"))
        self.title = self.field("title", self.tr("标题"), line(self.tr("一句话概括反映的问题")))
        self.category = self.field("category", self.tr("监督内容"), combo(vocab_choices(Category)))
        self.category.setMinimumContentsLength(30)
        self.category.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unit_model = UnitChoiceModel(list_units(ctx.db), self)  # a short list, as the register dialog reads it
        self.units = QListView()
        self.units.setModel(self.unit_model)
        self.units.setFixedHeight(110)
        self.field("unit_ids", self.tr("被监督单位"), self.units)
        self.facts = self.field("facts", self.tr("基本事实"), text_box(self.tr("监督员反映的情况：时间、地点、经过"), 100))
        self.set_note(self.tr("来源记为“{source}”，并记入该监督员的反映问题。登记后可在“监督事项”中补充其他信息。")
                      .format(source=vocab_text(Source.SUPERVISOR)))
        self.finish_layout()

    def data(self) -> MatterInput:
        return MatterInput(received_on=pydate(self.received_on.date()), source=Source.SUPERVISOR.value,
                           title=self.title.text(), category=self.category.currentData(),
                           unit_ids=self.unit_model.checked_ids(), facts=self.facts.toPlainText())

    def call(self) -> Callable[[], Any]:
        return partial(report_matter, self._ctx.db, self._ctx.actor, self._id, self.data(), self._ctx.today())


class LinkDialog(FormDialog):
    """关联已登记事项: a matter registered earlier with source 法治监督员反映, by its 登记号."""

    def __init__(self, ctx: UiContext, supervisor_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.titled(self.tr("关联已登记事项"), self.tr("关联"))
        self.heading.setText(self.tr("把已登记的事项记为{name}反映的问题").format(name=name))
        self._id = supervisor_id
        self.reg_no = self.field("reg_no", self.tr("登记号"), line(self.tr("事项的登记号，见“监督事项”列表")))
        self.set_note(self.tr("只能关联来源为“法治监督员反映”的事项。"))
        self.finish_layout()

    def call(self) -> Callable[[], Any]:
        return partial(link_matter, self._ctx.db, self._ctx.actor, self._id, self.reg_no.text())
