"""Layout of a matter's detail: header, facts, obligations, timeline, the actions allowed now."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..models.event_table import EventTableModel
from ..models.obligation_table import MatterObligationModel
from ..translate import QT_TRANSLATE_NOOP
from ..widgets import ROW_HEIGHT, label, set_column_widths, table_view

C = "DetailView"
MAX_OBLIGATION_ROWS = 5
# (key, label) of the read-only fields, in the order a clerk reads a 登记表.
FIELDS = (
    ("received_on", QT_TRANSLATE_NOOP(C, "受理日期")),
    ("source", QT_TRANSLATE_NOOP(C, "来源")),
    ("source_ref", QT_TRANSLATE_NOOP(C, "来源编号")),
    ("units", QT_TRANSLATE_NOOP(C, "被监督单位")),
    ("category", QT_TRANSLATE_NOOP(C, "监督内容")),
    ("method", QT_TRANSLATE_NOOP(C, "监督方式")),
    ("track", QT_TRANSLATE_NOOP(C, "事项类型")),
    ("handler", QT_TRANSLATE_NOOP(C, "承办人")),
    ("deadline", QT_TRANSLATE_NOOP(C, "整改期限")),
    ("flags", QT_TRANSLATE_NOOP(C, "情节与范围")),
    ("complainant", QT_TRANSLATE_NOOP(C, "投诉人")),
    ("facts", QT_TRANSLATE_NOOP(C, "基本事实")),
    ("legal_basis", QT_TRANSLATE_NOOP(C, "法律依据")),
    ("duplicates", QT_TRANSLATE_NOOP(C, "来源编号相同")),
)


class DetailView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(8)

        nav = QHBoxLayout()
        self.back_button = QPushButton(self.tr("← 返回列表"))
        self.back_button.setToolTip(self.tr("返回监督事项列表（Esc）"))
        self.back_button.setFlat(True)
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        self.correct_button = QPushButton(self.tr("更正登记信息…"))
        self.correct_button.setToolTip(self.tr("更正登记时填错的标题、事实、被监督单位、投诉人等，更正前后的内容记入办理过程"))
        nav.addWidget(self.correct_button)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.setToolTip(self.tr("重新读取此事项（F5）"))
        self.refresh_button.setFlat(True)
        nav.addWidget(self.refresh_button)
        layout.addLayout(nav)

        header = QHBoxLayout()
        self.reg_no = label("", "matterNumber")
        self.reg_no.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = label("", "statusBadge")
        header.addWidget(self.reg_no)
        header.addSpacing(12)
        header.addWidget(self.status)
        header.addStretch(1)
        layout.addLayout(header)
        self.title = label("", "matterTitle", wrap=True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)

        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(label(self.tr("办理：")))
        self.actions_box = QHBoxLayout()
        self.actions_box.setSpacing(8)
        actions.addLayout(self.actions_box)
        self.no_actions = label(self.tr("当前状态下没有可执行的操作"), "muted")
        actions.addWidget(self.no_actions)
        actions.addStretch(1)
        layout.addLayout(actions)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #d5dce6;")
        layout.addWidget(line)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._facts_panel())
        splitter.addWidget(self._progress_panel())
        splitter.setSizes([470, 700])
        layout.addWidget(splitter, 1)

    def _facts_panel(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        scroll.setWidget(content)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        column.addLayout(form)
        self.attachments_slot = QVBoxLayout()  # the page puts the matter's 附件 section here
        column.addLayout(self.attachments_slot)
        column.addStretch(1)
        form.setContentsMargins(0, 4, 12, 4)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(8)
        self.fields: dict[str, QLabel] = {}
        self.field_labels: dict[str, QLabel] = {}
        for key, text in FIELDS:
            value = label("", wrap=True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            caption = label(QCoreApplication.translate(C, text) + "：", "muted")
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            form.addRow(caption, value)
            self.fields[key] = value
            self.field_labels[key] = caption
        return scroll

    def _progress_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(label(self.tr("时限"), "sectionTitle"))
        self.obligation_model = MatterObligationModel(self)
        self.obligations = table_view(self.obligation_model, stretch_column=0)
        set_column_widths(self.obligations, {1: 230, 2: 120, 3: 80})
        self.no_obligations = label(self.tr("无（制发建议书、标记逾期或情节严重等操作后自动生成）"), "emptyNote")
        layout.addWidget(self.obligations)
        layout.addWidget(self.no_obligations)
        self.documents_slot = QVBoxLayout()  # the page puts the matter's 文书 section here
        layout.addLayout(self.documents_slot)
        layout.addWidget(label(self.tr("办理过程"), "sectionTitle"))
        self.event_model = EventTableModel(self)
        self.events = table_view(self.event_model, stretch_column=4)
        self.events.setObjectName("timeline")
        set_column_widths(self.events, {0: 100, 1: 110, 2: 190, 3: 70})
        layout.addWidget(self.events, 1)
        return panel

    def fit_obligations(self) -> None:
        """The obligations table as tall as its rows (a matter has a handful), the timeline gets the rest."""
        rows = min(self.obligation_model.rowCount(), MAX_OBLIGATION_ROWS)
        self.obligations.setFixedHeight(self.obligations.horizontalHeader().sizeHint().height()
                                        + rows * ROW_HEIGHT + 2 * self.obligations.frameWidth())
