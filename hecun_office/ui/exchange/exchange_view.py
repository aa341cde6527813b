"""Layout of 报送与同步 (U-2) in both modes: the actions, a progress bar with 取消 (U-3), the last result, and
tabs for packets sent, import results and history, enrolled offices (bureau) and 密钥与登记."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import style
from ..job_panel import JobPanel
from ..widgets import label, page_header, set_column_widths, table_view
from .jobs import DONE_FOLDER
from .keys_section import KeysSection
from .tables import (
    HIS_BY,
    HIS_FILE,
    HIS_REASON,
    HIS_SENDER,
    HIS_SEQ,
    HIS_STATUS,
    HIS_TIME,
    OUT_ASSISTANCE,
    OUT_DETAIL,
    OUT_DOCUMENTS,
    OUT_FILE,
    OUT_MATTERS,
    OUT_OBLIGATIONS,
    OUT_SENDER,
    OUT_SEQ,
    OUT_STATUS,
    PEER_CODE,
    PEER_FPR,
    PEER_IN,
    PEER_NAME,
    PEER_OUT,
    RET_CONTENT,
    RET_FILE,
    RET_OFFICE,
    RET_SEQ,
    RET_TIME,
    SENT_ACK,
    SENT_CONTENT,
    SENT_FILE,
    SENT_SEQ,
    SENT_TIME,
    HistoryModel,
    OutcomeModel,
    PeerModel,
    ReturnSentModel,
    SentModel,
)

RESULT_BOX = "QLabel { background: #f3f7fc; border: 1px solid #d5dce6; border-radius: 4px; padding: 6px 10px; }"
ALARM_BOX = (f"QLabel {{ background: {style.OVERDUE_BACKGROUND}; color: {style.OVERDUE_TEXT}; "
             "border: 1px solid #e8b4b4; border-radius: 4px; padding: 6px 10px; }")
INBOX_PATH_WIDTH = 560


def _tab(*widgets: QWidget | QHBoxLayout) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(8, 10, 8, 8)
    layout.setSpacing(8)
    for item in widgets:
        if isinstance(item, QHBoxLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item, 1 if isinstance(item, QTableView) else 0)
    return page


def _row(*items: QWidget | int) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(8)
    for item in items:
        if isinstance(item, int):
            row.addStretch(item)
        else:
            row.addWidget(item)
    return row


class ExchangeView(QWidget):
    def __init__(self, bureau: bool, keys: KeysSection, job_panel: JobPanel) -> None:
        super().__init__()
        self.bureau = bureau
        layout, top = page_header(self, self.tr("报送与同步"))
        if bureau:
            self.import_button = QPushButton(self.tr("导入数据包…"))
            self.import_button.setToolTip(self.tr("导入司法所报送的数据包，可一次选择多个文件（Ctrl+I）"))
            self.export_button = QPushButton(self.tr("导出全部回执…"))
            self.export_button.setToolTip(self.tr("为每一个已登记的司法所导出回执，各放入以司法所命名的文件夹"))
            top.addWidget(self.import_button)
            top.addWidget(self.export_button)
        else:
            self.export_button = QPushButton(self.tr("导出数据包…"))
            self.export_button.setToolTip(self.tr("把上次司法局确认以来的变化导出到U盘或文件夹（Ctrl+E）"))
            self.import_button = QPushButton(self.tr("导入回执…"))
            self.import_button.setToolTip(self.tr("导入司法局发回的回执数据包，可一次选择多个文件（Ctrl+I）"))
            top.addWidget(self.export_button)
            top.addWidget(self.import_button)
        for button in (self.import_button, self.export_button):
            button.setProperty("action", True)
        self.verify_button = QPushButton(self.tr("校验数据包…"))
        self.verify_button.setToolTip(self.tr("只检查签名、收件方、编号和内容，告诉您导入时会怎样；不导入，也不记入导入记录"))
        self.verify_button.setProperty("action", True)
        top.insertWidget(top.count() - 2, self.verify_button)  # before the two main actions
        # Active only while the page shows: hidden buttons take no shortcuts.
        self.import_button.setShortcut(QKeySequence("Ctrl+I"))
        if not bureau:
            self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        layout.addLayout(top)
        layout.addWidget(label(self.tr(
            "司法所报送的数据包经签名并加密，只有本局能打开；可一次导入多个，也可设置收件箱文件夹自动导入。"
            "回执包含收件确认、执法协作反馈函和行政执法监督通知书（含 PDF）以及节假日安排。") if bureau else self.tr(
            "数据包包含上次司法局确认以来新增或变更的事项、文书（含 PDF）、时限和附件，经签名并加密，只有司法局能打开。"
            "导入司法局的回执后，协作反馈等自动登记到对应事项。"), "muted", wrap=True))

        # The job in progress (the panel hides itself when idle) and the last result.
        self.job_panel = self.job_row = job_panel  # job_row: the name the existing tests look for
        self.progress, self.cancel_button = job_panel.progress, job_panel.cancel_button
        self.progress.setMinimumWidth(360)
        layout.addWidget(job_panel, 0, Qt.AlignmentFlag.AlignLeft)
        self.result_label = label("", "resultText", wrap=True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.hide()
        layout.addWidget(self.result_label)

        if bureau:
            self.inbox_path = label("", "")
            self.inbox_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.inbox_button = QPushButton(self.tr("设置收件箱…"))
            self.inbox_button.setToolTip(self.tr("指定一个文件夹：放入其中的数据包自动导入，处理后移到其中的“已处理”文件夹"))
            self.inbox_stop_button = QPushButton(self.tr("停止监视"))
            self.inbox_status = label("", "muted")
            self.inbox_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addLayout(_row(label(self.tr("收件箱：")), self.inbox_path, self.inbox_button,
                                  self.inbox_stop_button, 1))
            layout.addWidget(self.inbox_status)

        self.tabs = QTabWidget()
        self.outcome_model = OutcomeModel(self)
        self.outcomes = table_view(self.outcome_model, stretch_column=OUT_DETAIL)
        self.outcomes.setObjectName("outcomeTable")
        self.outcomes.setWordWrap(True)  # the notes of a packet are a few lines; show them whole
        self.outcomes.setStyleSheet("QTableView::item { padding: 5px 2px; }")
        self.outcomes.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        set_column_widths(self.outcomes, {OUT_FILE: 150, OUT_SENDER: 120, OUT_SEQ: 50, OUT_STATUS: 150,
                                          OUT_MATTERS: 56, OUT_DOCUMENTS: 56, OUT_OBLIGATIONS: 56,
                                          OUT_ASSISTANCE: 96})
        self.outcome_empty = label(self.tr("本次运行尚未导入数据包。导入的结果会列在这里，全部记录见“导入记录”。"),
                                   "emptyNote", wrap=True)
        self.history_model = HistoryModel(self)
        self.history = table_view(self.history_model, stretch_column=HIS_REASON)
        self.history.setObjectName("historyTable")
        set_column_widths(self.history, {HIS_TIME: 140, HIS_FILE: 170, HIS_SENDER: 130, HIS_SEQ: 60,
                                         HIS_STATUS: 160, HIS_BY: 90})
        self.rewrite_button = QPushButton(self.tr("重新写出…"))
        self.rewrite_button.setToolTip(self.tr("U盘丢失或损坏时，把选中的数据包按原样再写一次（编号和内容不变）"))
        self.rewrite_button.setEnabled(False)
        if bureau:
            self.sent_model: SentModel | ReturnSentModel = ReturnSentModel(self)
            self.sent = table_view(self.sent_model, stretch_column=RET_CONTENT)
            set_column_widths(self.sent, {RET_OFFICE: 150, RET_SEQ: 60, RET_FILE: 190, RET_TIME: 140})
            self.peer_model = PeerModel(self)
            self.peers = table_view(self.peer_model, stretch_column=PEER_FPR)
            self.peers.setObjectName("peerTable")
            set_column_widths(self.peers, {PEER_CODE: 110, PEER_NAME: 170, PEER_IN: 110, PEER_OUT: 90})
            self.export_one_button = QPushButton(self.tr("为所选司法所导出回执…"))
            self.export_one_button.setEnabled(False)
            self.roster_button = QPushButton(self.tr("单位名录…"))
            self.roster_button.setToolTip(self.tr("所选司法所的被监督单位名录：新增、停用或恢复单位，随回执下发"))
            self.roster_button.setEnabled(False)
            self.peers_empty = label(self.tr("尚未登记司法所。请在“密钥与登记”中登记司法所交来的公钥文件。"),
                                     "emptyNote", wrap=True)
            self.tabs.addTab(_tab(self.peers_empty, self.peers, _row(self.export_one_button, self.roster_button, 1)),
                             self.tr("已登记的司法所"))
            self.outcome_tab = _tab(self.outcome_empty, self.outcomes)
            self.tabs.addTab(self.outcome_tab, self.tr("导入结果"))
            self.tabs.addTab(_tab(self.history), self.tr("导入记录"))
            self.tabs.addTab(_tab(self.sent, _row(self.rewrite_button, 1)), self.tr("已发出的回执"))
        else:
            self.sent_model = SentModel(self)
            self.sent = table_view(self.sent_model, stretch_column=SENT_CONTENT)
            set_column_widths(self.sent, {SENT_SEQ: 60, SENT_FILE: 170, SENT_TIME: 140, SENT_ACK: 110})
            self.tabs.addTab(_tab(self.sent, _row(self.rewrite_button, 1)), self.tr("已报送的数据包"))
            self.outcome_tab = _tab(self.outcome_empty, self.outcomes)
            self.tabs.addTab(self.outcome_tab, self.tr("导入结果"))
            self.tabs.addTab(_tab(self.history), self.tr("导入记录"))
        self.sent.setObjectName("sentTable")
        self.keys = keys
        self.tabs.addTab(keys, self.tr("密钥与登记"))
        layout.addWidget(self.tabs, 1)

    def show_result(self, text: str, alarm: bool = False) -> None:
        """The last job's result under the actions; red when something needs the clerk's attention."""
        self.result_label.setText(text)
        self.result_label.setStyleSheet(ALARM_BOX if alarm else RESULT_BOX)
        self.result_label.show()

    @property
    def result_text(self) -> str:
        return "" if self.result_label.isHidden() else self.result_label.text()

    def show_inbox(self, folder: Path | None, available: bool, summary: str = "", alarm: bool = False) -> None:
        """The watched inbox (bureau): not set, out of reach, the last automatic import, or watching."""
        if folder is None:
            self.inbox_path.setText(self.tr("未设置"))
            self.inbox_status.setText(self.tr("设置收件箱后，放入该文件夹的数据包会自动导入，处理后移到其中的“{done}”文件夹。"
                                              "程序开着时每 30 秒检查一次。").format(done=DONE_FOLDER))
            self.inbox_status.setStyleSheet("")
            return
        metrics = self.inbox_path.fontMetrics()
        self.inbox_path.setText(metrics.elidedText(str(folder), Qt.TextElideMode.ElideMiddle, INBOX_PATH_WIDTH))
        self.inbox_path.setToolTip(str(folder))
        if not available:
            self.inbox_status.setText(self.tr("收件箱文件夹暂时无法访问（网络盘或U盘未连接？），程序会定时重试。"))
            self.inbox_status.setStyleSheet(f"color: {style.OVERDUE_TEXT};")
        elif summary:
            self.inbox_status.setText(self.tr("{time} 自动导入：{summary}").format(
                time=f"{datetime.now():%H:%M}", summary=summary.replace("\n", "；")))
            self.inbox_status.setStyleSheet(f"color: {style.OVERDUE_TEXT};" if alarm else "")
        elif not self.inbox_status.text() or self.inbox_status.text().startswith(self.tr("设置收件箱后")):
            self.inbox_status.setText(self.tr("正在监视：新放入的数据包会自动导入，处理后移到“{done}”文件夹。").format(
                done=DONE_FOLDER))
            self.inbox_status.setStyleSheet("")
