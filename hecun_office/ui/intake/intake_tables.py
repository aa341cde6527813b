"""Thin table models of the intake dialog: the preview (with the clerk's decision per row) and the result."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ...domain.masking import mask_name, mask_phone
from ...services.intake import Decision, Outcome, PreviewRow, RowOutcome, RowStatus
from ..formatting import table_date
from ..models.base import ROW_ROLE, Column, Index, RowTableModel
from ..style import MUTED_TEXT, OVERDUE_TEXT
from ..translate import QT_TRANSLATE_NOOP

C = "intake"
COL_ROW, COL_REF, COL_RECEIVED, COL_TITLE, COL_COMPLAINANT, COL_STATUS, COL_DECISION = range(7)
DECISION_ROLE = Qt.ItemDataRole.UserRole + 10

DECISION_LABELS = {
    Decision.REGISTER: QT_TRANSLATE_NOOP(C, "登记"),
    Decision.MERGE: QT_TRANSLATE_NOOP(C, "合并"),
    Decision.SKIP: QT_TRANSLATE_NOOP(C, "跳过"),
}
OUTCOME_LABELS = {
    Outcome.REGISTERED: QT_TRANSLATE_NOOP(C, "已登记"),
    Outcome.MERGED: QT_TRANSLATE_NOOP(C, "已合并"),
    Outcome.SKIPPED: QT_TRANSLATE_NOOP(C, "未导入"),
    Outcome.ERROR: QT_TRANSLATE_NOOP(C, "错误"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(C, text)


def decision_label(decision: Decision) -> str:
    return _tr(DECISION_LABELS[decision])


def _without_row_prefix(message: str) -> str:
    """"第 12 行：受理时间…" → "受理时间…" (the row number has its own column)."""
    head, sep, rest = message.partition("：")
    return rest if sep and head.startswith("第 ") and head.endswith(" 行") else message


def status_text(item: PreviewRow) -> str:
    """新事项 / 与 贺监登〔2026〕5号 重复 / 文件内重复 / 非执法类 / 错误：…"""
    if item.status == RowStatus.ERROR:
        return _tr("错误：{message}").format(message=_without_row_prefix(item.row.errors[0]))
    if item.status == RowStatus.DUPLICATE_IN_FILE:
        return _tr("文件内重复（同第 {row} 行）").format(row=item.first_row)
    if item.status == RowStatus.DUPLICATE_EXISTING and item.existing is not None:
        if item.existing.imported:
            return _tr("已导入过（{reg_no}）").format(reg_no=item.existing.reg_no)
        return _tr("与 {reg_no} 重复").format(reg_no=item.existing.reg_no)
    if item.status == RowStatus.NOT_ENFORCEMENT:
        return _tr("非执法类")
    return _tr("新事项（{keyword}）").format(keyword=item.row.keyword)


def complainant_text(item: PreviewRow) -> str:
    """Masked (M-7): 张* 138****5678."""
    parts = [mask_name(item.row.complainant) if item.row.complainant else "",
             mask_phone(item.row.phone) if item.row.phone else ""]
    return " ".join(p for p in parts if p)


class IntakePreviewModel(RowTableModel):
    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "行"), lambda r: str(r.row.row), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "工单编号"), lambda r: r.row.work_order_no, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "受理日期"), lambda r: table_date(r.row.received_on)),
        Column(QT_TRANSLATE_NOOP(C, "标题"), lambda r: r.row.title, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "来电人"), complainant_text),
        Column(QT_TRANSLATE_NOOP(C, "状态"), status_text, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "处理"), lambda r: ""),  # filled from the decisions below
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._decisions: dict[int, Decision] = {}

    def set_rows(self, rows: Any) -> None:
        self._decisions = {r.row.row: r.default for r in rows}
        super().set_rows(rows)

    def decision(self, row: PreviewRow) -> Decision:
        return self._decisions[row.row.row]

    def decisions(self) -> dict[int, Decision]:
        return dict(self._decisions)

    def changed_decisions(self) -> dict[int, Decision]:
        """Only what the clerk changed; the service applies the defaults to the rest."""
        return {r.row.row: self._decisions[r.row.row] for r in self._rows if self._decisions[r.row.row] != r.default}

    def count_decisions(self) -> dict[Decision, int]:
        counts = dict.fromkeys(Decision, 0)
        for decision in self._decisions.values():
            counts[decision] += 1
        return counts

    def set_decision(self, row: int, decision: Decision) -> bool:
        item: PreviewRow = self._rows[row]
        if decision not in item.allowed or self._decisions[item.row.row] == decision:
            return False
        self._decisions[item.row.row] = decision
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        return True

    def include(self, row: int) -> bool:
        """导入 this row: merge into the matter it duplicates, otherwise register it."""
        item: PreviewRow = self._rows[row]
        wanted = Decision.MERGE if Decision.MERGE in item.allowed else Decision.REGISTER
        return self.set_decision(row, wanted)

    # --- Qt interface -------------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == COL_DECISION and index.row() < len(self._rows):
            item = self._rows[index.row()]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                text = decision_label(self.decision(item))
                return text + " ▾" if role == Qt.ItemDataRole.DisplayRole and len(item.allowed) > 1 else text
            if role == DECISION_ROLE:
                return self.decision(item)
            if role == Qt.ItemDataRole.ToolTipRole and len(item.allowed) > 1:
                return _tr("双击选择：{choices}").format(choices="、".join(decision_label(d) for d in item.allowed))
        return super().data(index, role)

    def decorate(self, row: PreviewRow, column: int, role: int) -> Any:
        skipped = self.decision(row) == Decision.SKIP
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.status == RowStatus.ERROR:
                return QColor(OVERDUE_TEXT)
            if skipped:
                return QColor(MUTED_TEXT)
        if role == Qt.ItemDataRole.FontRole and column == COL_DECISION and not skipped:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_STATUS and (row.row.errors or row.row.warnings):
            return "\n".join((*row.row.errors, *row.row.warnings))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == COL_DECISION and len(self._rows[index.row()].allowed) > 1:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != COL_DECISION or role != Qt.ItemDataRole.EditRole:
            return False
        try:
            return self.set_decision(index.row(), Decision(value))
        except ValueError:
            return False


class PreviewFilter(QSortFilterProxyModel):
    """Which rows the clerk looks at; the decisions stay in the source model."""

    ALL, IMPORTING, ENFORCEMENT, NOT_ENFORCEMENT, DUPLICATES, ERRORS = range(6)
    LABELS = (QT_TRANSLATE_NOOP(C, "全部行"), QT_TRANSLATE_NOOP(C, "将导入的"), QT_TRANSLATE_NOOP(C, "执法相关"),
              QT_TRANSLATE_NOOP(C, "非执法类"), QT_TRANSLATE_NOOP(C, "重复"), QT_TRANSLATE_NOOP(C, "错误"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._mode = self.ALL

    def set_mode(self, mode: int) -> None:
        if hasattr(self, "endFilterChange"):  # Qt 6.10+; invalidateRowsFilter is deprecated there
            self.beginFilterChange()
            self._mode = mode
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._mode = mode
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._mode == self.ALL:
            return True
        model = self.sourceModel()
        assert isinstance(model, IntakePreviewModel)
        item: PreviewRow = model.row_at(source_row)
        if self._mode == self.IMPORTING:
            return model.decision(item) != Decision.SKIP
        if self._mode == self.ENFORCEMENT:
            return item.row.enforcement_related or item.status == RowStatus.DUPLICATE_EXISTING
        if self._mode == self.NOT_ENFORCEMENT:
            return item.status == RowStatus.NOT_ENFORCEMENT
        if self._mode == self.DUPLICATES:
            return item.status in (RowStatus.DUPLICATE_EXISTING, RowStatus.DUPLICATE_IN_FILE)
        return item.status == RowStatus.ERROR


class DecisionDelegate(QStyledItemDelegate):
    """A combo of the decisions the row allows (登记 / 合并 / 跳过)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QComboBox(parent)
        editor.setObjectName("decisionEditor")
        item: PreviewRow = index.data(ROW_ROLE)
        for decision in item.allowed:
            editor.addItem(decision_label(decision), decision.value)
        editor.activated.connect(self._commit)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(editor.findData(str(index.data(DECISION_ROLE))), 0))
        editor.showPopup()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)

    def _commit(self) -> None:
        editor = self.sender()
        if isinstance(editor, QComboBox):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor)


class OutcomeTableModel(RowTableModel):
    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "行"), lambda r: str(r.row), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "工单编号"), lambda r: r.work_order_no, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "结果"), lambda r: _tr(OUTCOME_LABELS[r.outcome])),
        Column(QT_TRANSLATE_NOOP(C, "登记编号"), lambda r: r.reg_no),
        Column(QT_TRANSLATE_NOOP(C, "标题"), lambda r: r.title, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "说明"), lambda r: r.detail, tooltip=True),
    )
    # What needs the clerk's attention first: errors, then what was done, then what was left out.
    ORDER = {Outcome.ERROR: 0, Outcome.REGISTERED: 1, Outcome.MERGED: 2, Outcome.SKIPPED: 3}

    def set_rows(self, rows: Any) -> None:
        super().set_rows(sorted(rows, key=lambda o: (self.ORDER[o.outcome], o.row)))

    def row_id(self, row: RowOutcome) -> int | None:
        return row.matter_id

    def decorate(self, row: RowOutcome, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.outcome == Outcome.ERROR:
                return QColor(OVERDUE_TEXT)
            if row.outcome == Outcome.SKIPPED:
                return QColor(MUTED_TEXT)
        return None
