"""导出本期全部台账 (L-1, U-3): every ledger of the chosen period into a folder the clerk picks, with progress and
取消 in the page's job panel. The export writes its audit entries, so it runs on the database worker; a cancel
leaves no file (the service stages the files and renames them into place only at the end)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ...services.ledger_export import LedgerResult, export_ledgers_steps
from ..errors import show_error, show_info
from ..progress import CANCELLED

if TYPE_CHECKING:
    from .statistics_page import StatisticsPage


class LedgerExport(QObject):
    def __init__(self, page: StatisticsPage) -> None:
        super().__init__(page)
        self._page = page
        self._folder: Path | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._page.ledger_button.clicked.connect(self.choose_and_export)
        self._page.job_panel.finished.connect(self._update_button)

    def _update_button(self) -> None:
        self._page.ledger_button.setEnabled(not self._page.job_panel.busy)

    def choose_and_export(self) -> None:
        page = self._page
        if page.job_panel.busy:
            return
        folder = page.chooser.folder(page, self.tr("选择台账的导出位置"))
        if folder is None:
            return
        self.export(folder)

    def export(self, folder: Path) -> bool:
        page = self._page
        ctx = page.context
        period = page.period()
        self._folder = folder
        steps = partial(export_ledgers_steps, ctx.db, period, folder, actor=ctx.actor,
                        full_names=page.full_names.isChecked(), today=ctx.today())
        started = page.job_panel.start(steps, self.tr("正在导出{period}的台账…").format(period=page.period_text()),
                                       self._done, self._failed, bar_format=self.tr("%v/%m 份"))
        self._update_button()
        return started

    def _done(self, result: object) -> None:
        page = self._page
        if result is CANCELLED:
            page.message.emit(self.tr("已取消导出台账：没有写出文件。"))
            return
        results = [r for r in result if isinstance(r, LedgerResult)] if isinstance(result, list) else []
        files = "\n".join(self.tr("{file}（{n} 行）").format(file=r.path.name, n=r.rows) for r in results)
        page.message.emit(self.tr("已导出 {n} 份台账到 {folder}").format(n=len(results), folder=self._folder))
        show_info(page, self.tr("台账已导出"), self.tr("已导出到 {folder}：\n{files}").format(
            folder=self._folder, files=files))

    def _failed(self, exc: BaseException) -> None:
        page = self._page
        page.message.emit(self.tr("台账未导出。"))
        show_error(page, exc)  # says why, in the clerk's words (an open file, a missing folder)
