"""Thin table models over plain result rows (STYLE.md habit 6): columns declared once, rows replaced whole."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the whole row object, for controllers
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's database id, when it has one

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


@dataclass(frozen=True)
class Column:
    title: str  # marked with QT_TRANSLATE_NOOP(model context, ...) and translated in headerData
    text: Callable[[Any], str]
    tooltip: bool = False  # long text: show it whole on hover
    centered: bool = False


class RowTableModel(QAbstractTableModel):
    CONTEXT = "tables"
    columns: tuple[Column, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    # --- rows ---------------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def row_id(self, row: Any) -> int | None:
        return getattr(row, "id", None)

    def find(self, row_id: int) -> int | None:
        for n, row in enumerate(self._rows):
            if self.row_id(row) == row_id:
                return n
        return None

    # --- Qt interface -------------------------------------------------------------------------------
    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.text(row) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.centered:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return self.row_id(row)
        return self.decorate(row, index.column(), role)

    def decorate(self, row: Any, column: int, role: int) -> Any:
        """Colours and fonts of a row; subclasses override."""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(self.CONTEXT, self.columns[section].title)
        return None
