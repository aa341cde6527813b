"""Behaviour of 设置 → 高频事项模板 (M-4): the signer and the administrator keep the library; everyone can read it."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex, Signal

from ...domain.permissions import Permission
from ...services.templates import TemplateRow, list_templates, set_template_active
from ..context import UiContext
from ..errors import show_error
from ..roles import gate
from .template_dialog import TemplateDialog
from .templates_view import TemplatesView


class TemplatesSection(TemplatesView):
    message = Signal(str)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx
        self.can_manage = gate(ctx.actor.role, Permission.TEMPLATE_MANAGE,
                               self.add_button, self.edit_button, self.active_button)
        self.note.setText(self.tr("高频事项按模板登记，建议书草稿自动带出标准建议内容和整改期限。")
                          + ("" if self.can_manage else self.tr("只有签发人和管理员可以修改模板库。")))
        self._connect_signals()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.table.activated.connect(self._open_index)
        self.add_button.clicked.connect(self.open_new_dialog)
        self.edit_button.clicked.connect(self.open_edit_dialog)
        self.active_button.clicked.connect(self.toggle_active)
        self.show_retired.toggled.connect(self.refresh)

    def refresh(self) -> None:
        selected = self.selected()
        try:
            rows = list_templates(self._ctx.db, active_only=not self.show_retired.isChecked())
        except Exception as exc:
            show_error(self, exc)
            return
        self.model.set_rows(rows)
        if selected is not None:
            self.select(selected.id)

    def selected(self) -> TemplateRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, template_id: int) -> None:
        row = self.model.find(template_id)
        if row is not None:
            self.table.selectRow(row)

    def _update_buttons(self) -> None:
        if not self.can_manage:
            return
        template = self.selected()
        self.edit_button.setEnabled(template is not None)
        self.active_button.setEnabled(template is not None)
        self.active_button.setText(self.tr("启用") if template is not None and not template.active
                                   else self.tr("停用"))

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open_dialog(self.model.row_at(index.row()))

    def open_new_dialog(self) -> TemplateDialog:
        return self._open_dialog(None)

    def open_edit_dialog(self) -> TemplateDialog | None:
        template = self.selected()
        return self._open_dialog(template) if template is not None else None

    def _open_dialog(self, template: TemplateRow | None) -> TemplateDialog:
        dialog = TemplateDialog(self._ctx, template, self)
        dialog.saved.connect(self._saved)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def toggle_active(self) -> None:
        template = self.selected()
        if template is None:
            return
        self._toggled = template
        self._ctx.tasks.write(partial(set_template_active, self._ctx.db, self._ctx.actor, template.id,
                                      not template.active), self._active_toggled, self._show_failure)

    def _active_toggled(self, _result: object) -> None:
        template = self._toggled
        text = self.tr("已启用模板“{name}”") if not template.active else self.tr("已停用模板“{name}”")
        self.message.emit(text.format(name=template.name))

    def _show_failure(self, exc: object) -> None:
        if isinstance(exc, BaseException):
            show_error(self, exc)

    def _saved(self, template_id: int, name: str) -> None:
        self.select(template_id)  # the change notice has already read the list again
        self.message.emit(self.tr("已保存模板“{name}”").format(name=name))
