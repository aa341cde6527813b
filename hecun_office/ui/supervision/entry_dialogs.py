"""What the issue calls “导入或录入”: a certificate holder (O-4) or a case file of a batch's list (O-3) entered by
hand, for a unit whose list is short or came on paper. Entered again with the same 执法证号 a holder is updated; a
case file already listed for its unit is not listed twice."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from ...services.case_review import CaseFile, add_files
from ...services.matters import list_units
from ...services.personnel import OfficerInput, save_officer
from ..context import UiContext
from ..widgets import date_edit
from .form_dialog import FIELD_WIDTH, FormDialog
from .supervisor_dialogs import line


def unit_box(ctx: UiContext, placeholder: str) -> QComboBox:
    """The office's units to choose from, or a name typed as the unit's list states it."""
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.setMinimumWidth(FIELD_WIDTH)
    for unit in list_units(ctx.db):  # a short list, as the register dialog reads it
        if not unit.office_code:
            box.addItem(unit.name)
    box.setCurrentIndex(-1)
    box.setEditText("")
    line_edit = box.lineEdit()
    if line_edit is not None:
        line_edit.setPlaceholderText(placeholder)
    return box


class OfficerDialog(FormDialog):
    """录入执法人员: one holder as a unit's list would name them; the dates may be left empty."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, width=560)
        self.titled(self.tr("录入执法人员"), self.tr("保存"))
        self.name = self.field("name", self.tr("姓名"), line(self.tr("持证人的姓名")))
        self.unit = self.field("unit", self.tr("所在单位"), unit_box(ctx, self.tr("选择或填写持证人所在单位")))
        self.certificate_no = self.field("certificate_no", self.tr("执法证号"), line(self.tr("执法证上的证号")))
        self.kind = self.field("kind", self.tr("证件类型"), line())
        self.kind.setText(self.tr("行政执法证"))
        self.id_no = self.field("id_no", self.tr("身份证号码"), line(self.tr("可不填；列表中只显示部分号码")))
        self.issued_on = self.field("issued_on", self.tr("发证日期"), date_edit(self.tr("未登记可不填")))
        self.expires_on = self.field("expires_on", self.tr("有效期至"), date_edit(self.tr("未登记可不填")))
        self.issued_on.setText("")
        self.expires_on.setText("")
        self.status = self.field("status", self.tr("状态"), line())
        self.status.setText(self.tr("有效"))
        self.set_note(self.tr("执法人员以执法证号区分：填写已在名单中的执法证号，即按本次填写更新该人员的信息。"))
        self.finish_layout()

    def data(self) -> OfficerInput:
        return OfficerInput(self.name.text(), self.unit.currentText(), self.certificate_no.text(), self.kind.text(),
                            self.id_no.text(), self.issued_on.value(), self.expires_on.value(), self.status.text())

    def call(self) -> Callable[[], Any]:
        return partial(save_officer, self._ctx.db, self._ctx.actor, self.data())


class CaseFileDialog(FormDialog):
    """录入案卷: one case file added to a batch's list before the sample is drawn."""

    def __init__(self, ctx: UiContext, batch_id: int, batch_name: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, width=560)
        self.titled(self.tr("录入案卷"), self.tr("列入清单"))
        self.heading.setText(self.tr("录入案卷：{name}").format(name=batch_name))
        self._id = batch_id
        self.unit = self.field("unit", self.tr("被评查单位"), unit_box(ctx, self.tr("选择或填写被评查单位")))
        self.number = self.field("number", self.tr("案卷编号"), line(self.tr("如 镇综执罚〔2025〕12号")))
        self.title = self.field("title", self.tr("案件名称"), line(self.tr("案件名称或案由")))
        self.errors.add("files", self.error_labels["number"], self.number)  # the service's refusal of the file
        self.set_note(self.tr("抽样前可逐卷补充清单；同一单位已列入的案卷编号不重复列入。"))
        self.finish_layout()

    def call(self) -> Callable[[], Any] | None:
        unit, number = self.unit.currentText().strip(), self.number.text().strip()
        if not unit:
            self.errors.show_message("unit", self.tr("请填写被评查单位。"))
            return None
        if not number:
            self.errors.show_message("number", self.tr("请填写案卷编号。"))
            return None
        files = [CaseFile(unit, number, self.title.text().strip(), 0)]
        return partial(add_files, self._ctx.db, self._ctx.actor, self._id, files)
