"""更正登记信息 (issue 11 item 5): the register form filled with the matter as registered, a reason, and the
service's correct_matter — which records before → after on the timeline and in the audit log."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QLineEdit, QWidget

from ...services.corrections import Corrected, correct_matter
from ...services.matters import MatterDetail, MatterInput, list_units
from ..context import UiContext
from ..models.unit_choice import UnitChoiceModel
from ..widgets import error_label, qdate, with_error
from .register_dialog import RegisterDialog


class CorrectDialog(RegisterDialog):
    def __init__(self, ctx: UiContext, detail: MatterDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._detail = detail
        self.setWindowTitle(self.tr("更正登记信息 — {reg_no}").format(reg_no=detail.reg_no))
        self.ok_button.setText(self.tr("保存更正"))
        # The template only fills a new form; the registration date starts the timeline and is not corrected here.
        self.form.setRowVisible(self.template_row, False)
        self.received_on.setEnabled(False)
        # The matter's own units stay choosable even if one has since been retired.
        units = [u for u in list_units(ctx.db, active_only=False) if u.active or u.id in detail.unit_ids]
        self.unit_model = UnitChoiceModel(units, self)
        self.units.setModel(self.unit_model)
        self.unit_model.dataChanged.connect(partial(self._field_changed, "unit_ids"))
        self._fill(detail)
        self.reason = QLineEdit()
        self.reason.setObjectName("correctionReason")
        self.reason.setPlaceholderText(self.tr("例如：投诉人姓名登记有误，经核对身份证更正"))
        self.errors_reason = error_label()
        self.form.addRow(self.tr("更正理由"), with_error(self.reason, self.errors_reason))
        self.errors.add("reason", self.errors_reason, self.reason)
        self._error_labels["reason"] = self.errors_reason
        self._blank = self.matter_input()  # 取消 asks only when something was changed

    def _fill(self, d: MatterDetail) -> None:
        self.received_on.setDate(qdate(d.received_on))
        self.source.setCurrentIndex(max(0, self.source.findData(d.source)))
        self.source_ref.setText(d.source_ref)
        for unit_id in d.unit_ids:
            self.unit_model.set_checked(unit_id)
        self.category.setCurrentIndex(max(0, self.category.findData(d.category)))
        self.method.setCurrentIndex(max(0, self.method.findData(d.method or None)))
        (self.track_frequent if d.track == "frequent" else self.track_general).setChecked(True)
        self.title.setText(d.title)
        self.facts.setPlainText(d.facts)
        self.legal_basis.setPlainText(d.legal_basis)
        self.complainant_name.setText(d.complainant_name)
        self.complainant_phone.setText(d.complainant_phone)
        self.complainant_id_no.setText(d.complainant_id_no)
        handler = self.handler.findData(d.handler_id)
        if handler >= 0:
            self.handler.setCurrentIndex(handler)

    def has_input(self) -> bool:
        return self.matter_input() != self._blank or bool(self.reason.text().strip())

    def matter_input(self) -> MatterInput:
        data = super().matter_input()
        data.template_id = None
        return data

    def submit(self) -> None:
        self.errors.clear()
        self._submission.start(partial(correct_matter, self._ctx.db, self._ctx.actor, self._detail.id,
                                       self.matter_input(), self.reason.text(), self._ctx.today()))

    def _registered(self, result: object) -> None:
        """The submission's result: ``registered`` carries the Corrected (what changed) to the detail page."""
        assert isinstance(result, Corrected)
        self.accept()
        self.registered.emit(result)
