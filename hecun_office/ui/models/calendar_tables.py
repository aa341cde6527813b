"""The working-day calendar on the settings page: coverage per year and an import's changes (T-1, T-4)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from ...services.calendar import YearCoverage
from ...workdays import DayChange, DayEntry, DaySource, weekday_name
from .. import style
from ..translate import QT_TRANSLATE_NOOP
from .base import Column, RowTableModel

C = "tables"

_SOURCE_LABELS = {
    DaySource.LIBRARY: QT_TRANSLATE_NOOP(C, "内置日历数据"),
    DaySource.NOTICE: QT_TRANSLATE_NOOP(C, "导入的国务院通知"),
    DaySource.OVERRIDE: QT_TRANSLATE_NOOP(C, "人工调整"),
    DaySource.PROVISIONAL: QT_TRANSLATE_NOOP(C, "推算（待国务院通知确认）"),
}


def source_label(source: str) -> str:
    try:
        return QCoreApplication.translate(C, _SOURCE_LABELS[DaySource(source)])
    except (KeyError, ValueError):
        return source


def day_text(entry: DayEntry | None) -> str:
    if entry is None:
        return QCoreApplication.translate(C, "（无记录）")
    text = QCoreApplication.translate(C, "工作日") if entry.is_workday else QCoreApplication.translate(C, "休息日")
    notes = [entry.note] if entry.note else []
    if entry.source == DaySource.PROVISIONAL:
        notes.append(QCoreApplication.translate(C, "推算"))
    return f"{text}（{'，'.join(notes)}）" if notes else text


class CoverageTableModel(RowTableModel):
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "年份"), lambda r: str(r.year), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "来源"), lambda r: source_label(r.source)),
        Column(QT_TRANSLATE_NOOP(C, "说明"), lambda r: r.detail, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "更新时间"), lambda r: r.imported_at.strftime("%Y-%m-%d %H:%M")),
        Column(QT_TRANSLATE_NOOP(C, "人工调整天数"), lambda r: str(r.overrides) if r.overrides else "—",
               centered=True),
    )

    def row_id(self, row: YearCoverage) -> int:
        return row.year


class DayChangeTableModel(RowTableModel):
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "日期"), lambda r: f"{r.day.isoformat()} {weekday_name(r.day)}"),
        Column(QT_TRANSLATE_NOOP(C, "原来"), lambda r: day_text(r.before)),
        Column(QT_TRANSLATE_NOOP(C, "导入后"), lambda r: day_text(r.after)),
    )

    def decorate(self, row: DayChange, column: int, role: int) -> Any:
        # The new status is what moves deadlines: make adjusted working days stand out.
        if column == 2 and role == Qt.ItemDataRole.ForegroundRole and row.after.is_workday:
            return QBrush(QColor(style.ACCENT))
        return None
