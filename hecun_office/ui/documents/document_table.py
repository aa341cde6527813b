"""Documents as table rows: the 文书 register and the documents of one matter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from ...domain.documents import DocStatus
from ...services.documents import DocumentRow
from .. import style
from ..formatting import form_text, table_date, vocab_text
from ..models.base import Column, RowTableModel
from ..translate import QT_TRANSLATE_NOOP

C = "tables"


def number_text(row: DocumentRow) -> str:
    return row.number or QCoreApplication.translate(C, "（签发时编号）")


def service_text(row: DocumentRow) -> str:
    if row.served_on is None:
        return ""
    return f"{table_date(row.served_on)} {row.service_method}"


def status_text(row: DocumentRow) -> str:
    if row.status == DocStatus.ISSUED.value and row.void_reason:  # superseded by a correction
        return f"{vocab_text(row.status_label)}（{row.void_reason}）"
    return vocab_text(row.status_label)


_MUTED = QColor(style.MUTED_TEXT)


class DocumentTableModel(RowTableModel):
    columns: tuple[Column, ...] = (
        Column(QT_TRANSLATE_NOOP(C, "文号"), number_text),
        Column(QT_TRANSLATE_NOOP(C, "文书名称"), lambda r: form_text(r.form_name), tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "状态"), status_text, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "事项"), lambda r: r.matter_reg_no or "—"),
        Column(QT_TRANSLATE_NOOP(C, "拟稿人"), lambda r: r.drafted_by),
        Column(QT_TRANSLATE_NOOP(C, "成文日期"), lambda r: table_date(r.issue_date)),
        Column(QT_TRANSLATE_NOOP(C, "送达"), service_text, tooltip=True),
    )

    def decorate(self, row: DocumentRow, column: int, role: int) -> Any:
        # Voided documents and numbers still to come read as secondary.
        muted = row.status == DocStatus.VOIDED.value or (column == COL_NUMBER and not row.number)
        if muted and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_MUTED)
        return None


COL_NUMBER, COL_NAME, COL_STATUS, COL_MATTER, COL_DRAFTED_BY, COL_DATE, COL_SERVICE = range(7)


class MatterDocumentModel(DocumentTableModel):
    """Inside a matter's detail: number, name, status (and date) are enough."""

    columns = (DocumentTableModel.columns[COL_NUMBER], DocumentTableModel.columns[COL_NAME],
               DocumentTableModel.columns[COL_STATUS], DocumentTableModel.columns[COL_DATE])
