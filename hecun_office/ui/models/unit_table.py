"""The office's own units on 设置 → 被监督单位 (issue 12): retired ones stay listed, in grey."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from ...services.units import OwnUnit
from .. import style
from ..formatting import vocab_text
from ..translate import QT_TRANSLATE_NOOP
from .base import Column, RowTableModel

C = "tables"
UNIT_NAME, UNIT_KIND, UNIT_STATE, UNIT_MATTERS = range(4)


def state_text(unit: OwnUnit) -> str:
    return QCoreApplication.translate(C, "在用") if unit.active else QCoreApplication.translate(C, "已停用")


class UnitTableModel(RowTableModel):
    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "单位名称"), lambda u: u.name, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "类型"), lambda u: vocab_text(u.kind_label)),
        Column(QT_TRANSLATE_NOOP(C, "状态"), state_text, centered=True),
        Column(QT_TRANSLATE_NOOP(C, "涉及事项"), lambda u: str(u.matters), centered=True),
    )

    def decorate(self, row: OwnUnit, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QBrush(QColor(style.MUTED_TEXT))
        return None
