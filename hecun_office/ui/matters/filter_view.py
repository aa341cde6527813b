"""Layout of the 监督事项 filter bar (M-6): search, saved filters, the filter boxes, date range, check boxes.

At the bureau (S-7) the boxes start with the township (司法所); an office's bar has no such box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...domain.lifecycle import Status
from ...domain.vocab import Category, Source, Track
from ..formatting import vocab_text
from ..widgets import date_edit, label

OPEN_ONLY = "__open__"  # the status box's 未办结 item: every status but 办结 and 已移送


def _combo(name: str, everything: str, width: int, popup_width: int = 0, grow: bool = False) -> QComboBox:
    """A filter box whose first item (data None) means no filter; ``grow`` boxes share the spare width."""
    box = QComboBox()
    box.setObjectName(name)
    box.addItem(everything, None)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(4)
    if grow:
        box.setMinimumWidth(width)
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    else:
        box.setFixedWidth(width)
    if popup_width:
        box.view().setMinimumWidth(popup_width)  # long labels are read in full in the list
    return box


class FilterBarView(QWidget):
    def __init__(self, offices: bool = False) -> None:
        """``offices``: the bureau's bar, with the 司法所 box."""
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        first = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("搜索标题、基本事实、当事人、登记编号或工单号（Ctrl+F）"))
        first.addWidget(self.search, 1)
        first.addSpacing(12)
        self.saved = QComboBox()
        self.saved.setObjectName("savedFilters")
        self.saved.setToolTip(self.tr("选择已保存的筛选条件"))
        self.saved.setFixedWidth(170)
        first.addWidget(self.saved)
        self.save_button = QPushButton(self.tr("保存筛选…"))
        self.save_button.setObjectName("saveFilter")
        self.save_button.setToolTip(self.tr("把当前的搜索和筛选条件保存下来，以后一键选用"))
        first.addWidget(self.save_button)
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.setObjectName("deleteFilter")
        self.delete_button.setToolTip(self.tr("删除所选的已保存筛选"))
        self.delete_button.setEnabled(False)
        first.addWidget(self.delete_button)
        layout.addLayout(first)

        self.status = _combo("statusFilter", self.tr("全部状态"), 130)
        self.status.addItem(self.tr("未办结"), OPEN_ONLY)
        for status in Status:
            self.status.addItem(vocab_text(status), status.value)
        self.unit = _combo("unitFilter", self.tr("全部被监督单位"), 180, 300, grow=True)
        self.source = _combo("sourceFilter", self.tr("全部来源"), 150, 260, grow=True)
        for source in Source:
            self.source.addItem(vocab_text(source), source.value)
        self.category = _combo("categoryFilter", self.tr("全部监督内容"), 180, 520, grow=True)
        for category in Category:
            self.category.addItem(vocab_text(category), category.value)
            self.category.setItemData(self.category.count() - 1, vocab_text(category), Qt.ItemDataRole.ToolTipRole)
        self.track = _combo("trackFilter", self.tr("全部类型"), 110)
        for track in Track:
            self.track.addItem(vocab_text(track), track.value)
        self.handler = _combo("handlerFilter", self.tr("全部承办人"), 120)
        self.office = _combo("officeFilter", self.tr("全部司法所"), 120, 200)
        self.office.setVisible(offices)  # an office's bar: never shown, never filled, so it never filters
        row = QHBoxLayout()
        for box, stretch in ((self.office, 0), (self.status, 0), (self.unit, 3), (self.source, 2), (self.category, 3), (self.track, 0),
                             (self.handler, 0)):
            row.addWidget(box, stretch)
        layout.addLayout(row)

        more = QHBoxLayout()
        self.date_enabled = QCheckBox(self.tr("受理日期"))
        self.date_enabled.setObjectName("dateEnabled")
        self.date_from = date_edit()
        self.date_from.setObjectName("dateFrom")
        self.date_to = date_edit()
        self.date_to.setObjectName("dateTo")
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(False)
        more.addWidget(self.date_enabled)
        more.addWidget(self.date_from)
        more.addWidget(label(self.tr("至")))
        more.addWidget(self.date_to)
        more.addSpacing(16)
        self.overdue = QCheckBox(self.tr("仅逾期"))
        self.overdue.setObjectName("overdueOnly")
        self.overdue.setToolTip(self.tr("有时限已过期未完成，或整改期限已过仍在整改中的事项"))
        self.serious = QCheckBox(self.tr("仅情节严重"))
        self.serious.setObjectName("seriousOnly")
        self.serious.setToolTip(self.tr("已标记情节严重、复杂的事项"))
        more.addWidget(self.overdue)
        more.addSpacing(8)
        more.addWidget(self.serious)
        more.addStretch(1)
        self.clear_button = QPushButton(self.tr("清除筛选"))
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.setToolTip(self.tr("清除搜索词和全部筛选条件"))
        self.clear_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        more.addWidget(self.clear_button)
        layout.addLayout(more)
