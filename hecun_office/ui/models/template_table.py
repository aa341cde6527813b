"""The frequent-matter template library on the 高频事项模板 settings section (M-4)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from ...services.templates import TemplateRow
from .. import style
from ..formatting import vocab_text
from ..translate import QT_TRANSLATE_NOOP
from .base import Column, RowTableModel

C = "tables"


def _status(row: TemplateRow) -> str:
    return QCoreApplication.translate(C, "使用中") if row.active else QCoreApplication.translate(C, "已停用")


def _days(row: TemplateRow) -> str:
    return QCoreApplication.translate(C, "{n} 日").format(n=row.rectification_days)


class TemplateTableModel(RowTableModel):
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "模板名称"), lambda t: t.name, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "事项标题"), lambda t: t.title, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "监督内容"), lambda t: vocab_text(t.category_label), tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "整改期限"), _days, centered=True),
        Column(QT_TRANSLATE_NOOP(C, "状态"), _status, centered=True),
    )

    def decorate(self, row: TemplateRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QBrush(QColor(style.MUTED_TEXT))
        return None
