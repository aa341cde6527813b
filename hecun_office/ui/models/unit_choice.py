"""Supervised units as a checkable list for the register dialog (M-1: at least one)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from ...services.matters import UnitRow

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class UnitChoiceModel(QAbstractListModel):
    def __init__(self, units: list[UnitRow], parent: Any = None) -> None:
        super().__init__(parent)
        self._units = list(units)
        self._checked: set[int] = set()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._units)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        unit = self._units[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return unit.name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if unit.id in self._checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.UserRole:
            return unit.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        unit_id = self._units[index.row()].id
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._checked.add(unit_id)
        else:
            self._checked.discard(unit_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def checked_ids(self) -> list[int]:
        return [u.id for u in self._units if u.id in self._checked]

    def set_checked(self, unit_id: int, checked: bool = True) -> None:
        for row, unit in enumerate(self._units):
            if unit.id == unit_id:
                self.setData(self.index(row), Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked,
                             Qt.ItemDataRole.CheckStateRole)
                return
        raise KeyError(unit_id)

    def row_of_name(self, name: str) -> int:
        return next(n for n, u in enumerate(self._units) if u.name == name)
