"""The start page (T-6): what is overdue or due, before anything else."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Signal

from ...services.changes import Changes
from ...services.my_queue import MyQueue, documents_waiting_for
from ...services.obligations import Dashboard, ObligationRow, dashboard
from ..context import UiContext
from ..county.county_section import CountySection
from ..documents.row_editor import open_document_row
from ..errors import show_error
from ..formatting import long_date
from ..models.base import ROW_ROLE
from .dashboard_view import DashboardView


class DashboardPage(DashboardView):
    matter_requested = Signal(int)
    # What the dashboard is read from: a change elsewhere (users, templates, the audit log) leaves it alone.
    READS = frozenset({"matters", "matter_units", "obligations", "office_obligations", "documents", "units",
                       "calendar_days", "calendar_years", "packets_in", "packets_out", "peers"})

    def __init__(self, ctx: UiContext, county: bool = False) -> None:
        """``county``: a bureau's database (S-7) — the townships' overview comes first."""
        super().__init__()
        self._ctx = ctx
        self.county: CountySection | None = None
        if county:
            self.county = CountySection(ctx)
            self.add_above_sections(self.county)
            self.hint.setText(self.tr("提示：双击待办事项或时限可打开该事项；点选司法所查看其各月情况；F5 刷新。"))
        self._connect_signals()

    def _connect_signals(self) -> None:
        for section in self.sections():
            section.table.activated.connect(self._open_row)
        for queue in self.queue_sections():
            queue.table.activated.connect(self._open_document_row)
        if self.county is not None:
            self.county.matter_requested.connect(self.matter_requested)

    def apply_changes(self, changes: Changes) -> None:
        """Shown: read again what changed. Hidden: nothing — the window refreshes a page when it is shown."""
        if self.isVisible() and changes.touches(self.READS):
            self.refresh()

    def refresh(self) -> None:
        today = self._ctx.today()
        try:
            board = dashboard(self._ctx.db, today, ensure=False)  # the window keeps them current
            queue = documents_waiting_for(self._ctx.db, self._ctx.actor)
        except Exception as exc:
            show_error(self, exc)
            return
        self.today_label.setText(self.tr("今天是 {date}").format(date=long_date(today)))
        self._show(board)
        self._show_queue(queue)
        if self.county is not None:
            self.county.refresh()  # on the worker: the whole county's figures take a moment

    def _show(self, board: Dashboard) -> None:
        self.overdue.title.setText(self.tr("已逾期（{n}）").format(n=len(board.overdue)))
        self.due_today.title.setText(self.tr("今日到期（{n}）").format(n=len(board.due_today)))
        horizon = self.tr("{m}月{d}日").format(m=board.horizon.month, d=board.horizon.day) if board.horizon else ""
        self.upcoming.title.setText(self.tr("未来5个工作日（至{horizon}，{n}）").format(
            horizon=horizon, n=len(board.upcoming)))
        for section, rows in zip(self.sections(), (board.overdue, board.due_today, board.upcoming), strict=True):
            section.model.set_rows(rows)
            section.fit_rows()
        self.warnings_title.setText(self.tr("提醒（{n}）").format(n=len(board.warnings)))
        if board.warnings:
            items = "".join(f"<li>{html.escape(w)}</li>" for w in board.warnings)
            self.warnings.setText(f"<ul style='margin-left:-20px'>{items}</ul>")
            self.warnings.setObjectName("")
        else:
            self.warnings.setText(self.tr("无"))
            self.warnings.setObjectName("emptyNote")
        self.warnings.style().unpolish(self.warnings)
        self.warnings.style().polish(self.warnings)
        if board.overdue or board.due_today:
            self.summary.setText(self.tr("有 {a} 项时限已逾期、{b} 项今日到期，请优先办理。").format(
                a=len(board.overdue), b=len(board.due_today)))
        else:
            self.summary.setText(self.tr("没有逾期或今日到期的时限。"))

    def _show_queue(self, queue: MyQueue) -> None:
        """待我审核 and 待我签发 for the roles that may act on them; 被退回 only when a draft was sent back."""
        shown = ((self.to_review, queue.to_review, queue.may_review, self.tr("待我审核（{n}）")),
                 (self.to_issue, queue.to_issue, queue.may_issue, self.tr("待我签发（{n}）")),
                 (self.returned, queue.returned, bool(queue.returned), self.tr("被退回，待我修改（{n}）")))
        for section, rows, visible, title in shown:
            section.title.setText(title.format(n=len(rows)))
            section.model.set_rows(rows)
            section.fit_rows()
            section.setVisible(visible)
        waiting = [text.format(n=n) for n, text in ((len(queue.to_review), self.tr("{n} 份文书待您审核")),
                                                    (len(queue.to_issue), self.tr("{n} 份文书待您签发")),
                                                    (len(queue.returned), self.tr("{n} 份文稿被退回待修改"))) if n]
        if waiting:
            also = self.tr("另有 {what}。") if self.overdue.model.rowCount() or self.due_today.model.rowCount() \
                else self.tr("有 {what}。")
            self.summary.setText(self.summary.text() + also.format(what="、".join(waiting)))

    def _open_document_row(self, index: QModelIndex) -> None:
        # As the 文书 page opens it; the write's change notice refreshes this page.
        open_document_row(self, self._ctx, index, self._document_changed)

    def _document_changed(self, _doc_id: int) -> None:
        pass  # the write's change notice (documents) has read the lists again

    def _open_row(self, index: QModelIndex) -> None:
        row: ObligationRow | None = index.data(ROW_ROLE)
        if row is not None and row.matter_id is not None:
            self.matter_requested.emit(row.matter_id)
