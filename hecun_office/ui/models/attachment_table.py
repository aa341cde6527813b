"""A matter's attachments (M-1) on its detail page."""

from __future__ import annotations

from ...services.attachments import AttachmentRow
from ..translate import QT_TRANSLATE_NOOP
from .base import Column, RowTableModel

C = "tables"


def file_size(size: int) -> str:
    """Bytes as a clerk reads them: 12 KB, 3.4 MB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class AttachmentTableModel(RowTableModel):
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "文件名"), lambda a: a.file_name, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "大小"), lambda a: file_size(a.size), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "添加人"), lambda a: a.added_by, centered=True),
        Column(QT_TRANSLATE_NOOP(C, "添加时间"), lambda a: f"{a.added_at:%Y-%m-%d %H:%M}", centered=True),
    )

    def row_of(self, index: int) -> AttachmentRow:
        row: AttachmentRow = self.row_at(index)
        return row
