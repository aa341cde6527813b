"""Layout of the 工作台 (T-6): overdue, due today, next 5 working days, the documents waiting for the person
logged in (待我审核, 待我签发, 被退回), calendar warnings."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QTableView, QVBoxLayout, QWidget

from ..models.base import RowTableModel
from ..models.obligation_table import (
    COL_DUE,
    COL_KIND,
    COL_LEFT,
    COL_REG_NO,
    COL_STATUS,
    COL_SUBJECT,
    ObligationTableModel,
)
from ..widgets import ROW_HEIGHT, label, set_column_widths, table_view
from . import queue_table as q

MAX_VISIBLE_ROWS = 8


class TableSection(QWidget):
    """A titled table that shrinks to its rows and says "无" when empty."""

    def __init__(self, model_class: type[RowTableModel], stretch_column: int, widths: dict[int, int],
                 urgency: str = "") -> None:
        super().__init__()
        self.title = label("", "sectionTitle")
        self.title.setProperty("urgency", urgency)
        self.empty = label(self.tr("无"), "emptyNote")
        self.model = model_class(self)  # made with its parent, as every model here
        self.table: QTableView = table_view(self.model, stretch_column=stretch_column)
        set_column_widths(self.table, widths)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)

    def fit_rows(self) -> None:
        rows = self.model.rowCount()
        self.empty.setVisible(rows == 0)
        self.table.setVisible(rows > 0)
        shown = min(rows, MAX_VISIBLE_ROWS)
        height = self.table.horizontalHeader().sizeHint().height() + shown * ROW_HEIGHT + 2 * self.table.frameWidth()
        self.table.setFixedHeight(height)


class ObligationSection(TableSection):
    def __init__(self, urgency: str = "") -> None:
        super().__init__(ObligationTableModel, COL_SUBJECT,
                         {COL_KIND: 170, COL_REG_NO: 170, COL_DUE: 270, COL_LEFT: 130, COL_STATUS: 90}, urgency)


class QueueSection(TableSection):
    """Documents waiting for the person logged in; the returned drafts show the reviewer's comment."""

    def __init__(self, returned: bool = False) -> None:
        if returned:
            super().__init__(q.ReturnedTableModel, q.COL_COMMENT,
                             {q.COL_TITLE: 200, q.COL_REG_NO: 170, q.COL_MATTER: 240, q.COL_RETURNED_BY: 90,
                              q.COL_RETURNED_AT: 140}, "soon")
        else:
            super().__init__(q.QueueTableModel, q.COL_MATTER,
                             {q.COL_TITLE: 200, q.COL_REG_NO: 170, q.COL_DRAFTER: 90, q.COL_SINCE: 140})


class DashboardView(QScrollArea):
    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        self.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(8)

        self.heading = label(self.tr("工作台"), "pageTitle")
        self.today_label = label("", "pageSubtitle")
        self.summary = label("", wrap=True)
        layout.addWidget(self.heading)
        layout.addWidget(self.today_label)
        layout.addWidget(self.summary)
        self._layout = layout
        self._above_sections = layout.count()  # where the bureau's county overview goes (S-7)

        self.overdue = ObligationSection("overdue")
        self.due_today = ObligationSection("soon")
        self.upcoming = ObligationSection()
        for section in (self.overdue, self.due_today, self.upcoming):
            layout.addWidget(section)
        # After the time limits (T-6 puts them first); each shown only to a role it concerns.
        self.to_review = QueueSection()
        self.to_issue = QueueSection()
        self.returned = QueueSection(returned=True)
        for queue in self.queue_sections():
            queue.hide()
            layout.addWidget(queue)

        self.warnings_title = label("", "sectionTitle")
        self.warnings: QLabel = label("", wrap=True)
        self.warnings.setContentsMargins(2, 0, 0, 0)
        layout.addWidget(self.warnings_title)
        layout.addWidget(self.warnings)
        self.hint = label(self.tr("提示：双击事项的时限可打开该事项；F5 刷新。"), "muted")
        layout.addSpacing(6)
        layout.addWidget(self.hint)
        layout.addStretch(1)

    def sections(self) -> tuple[ObligationSection, ...]:
        return (self.overdue, self.due_today, self.upcoming)

    def queue_sections(self) -> tuple[QueueSection, ...]:
        return (self.to_review, self.to_issue, self.returned)

    def add_above_sections(self, widget: QWidget) -> None:
        """County mode: the overview of the townships comes before the bureau's own time limits."""
        self._layout.insertWidget(self._above_sections, widget)
        self._above_sections += 1
