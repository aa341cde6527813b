"""Behaviour of the holiday-arrangement import: parse_notice, preview_arrangement, import in the background."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from ...services.calendar import import_arrangement, preview_arrangement, read_notice_file
from ...workdays import Arrangement, NoticeParseError, parse_notice
from ..context import UiContext
from ..errors import show_error, show_info
from .import_view import ImportView

PARSE_DELAY_MS = 400


class ImportDialog(ImportView):
    imported = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._arrangement: Arrangement | None = None
        self._importing = False
        self._parse_timer = QTimer(self)
        self._parse_timer.setSingleShot(True)
        self._parse_timer.setInterval(PARSE_DELAY_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.text.textChanged.connect(self._parse_timer.start)
        self._parse_timer.timeout.connect(self.parse)
        self.parse_button.clicked.connect(self.parse)
        self.load_button.clicked.connect(self._load_file)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)

    @property
    def arrangement(self) -> Arrangement | None:
        return self._arrangement

    def parse(self) -> None:
        self._parse_timer.stop()
        self._arrangement = None
        self.model.set_rows([])
        self.summary.clear()
        self.error.hide()
        self.confirm_button.setEnabled(False)
        text = self.text.toPlainText()
        if not text.strip():
            return
        try:
            arrangement = parse_notice(text)
            changes = preview_arrangement(self._ctx.db, arrangement)
        except NoticeParseError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self._arrangement = arrangement
        self.model.set_rows(changes)
        rest_days = sum(1 for h in arrangement.holidays for _ in h.days())
        summary = self.tr("{year}年：{h} 个节日共放假 {d} 天，调休上班 {w} 天。").format(
            year=arrangement.year, h=len(arrangement.holidays), d=rest_days, w=len(arrangement.adjusted_workdays))
        if changes:
            summary += self.tr("与现有日历相比，下表中的 {n} 天将会改变；涉及这些日子的期限会自动重算。").format(n=len(changes))
        else:
            summary += self.tr("与现有日历完全一致，导入后会把该年标记为依据国务院通知确认。")
        self.summary.setText(summary)
        self.confirm_button.setEnabled(True)

    def _load_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择通知文本文件"), "",
                                              self.tr("文本文件 (*.txt);;所有文件 (*)"))
        if not name:
            return
        # A file on a slow USB stick or network share must not freeze the window while it is read.
        self.load_button.setEnabled(False)
        self._ctx.tasks.read(partial(read_notice_file, Path(name)), self._loaded, self._load_failed)

    def _loaded(self, text: str) -> None:
        if self._importing:
            return  # 确认导入 was pressed meanwhile: the text shown is the one being imported
        self.load_button.setEnabled(True)
        self.text.setPlainText(text)
        self.parse()

    def _load_failed(self, exc: BaseException) -> None:
        self.load_button.setEnabled(not self._importing)
        show_error(self, exc, self.tr("无法载入通知文件"))

    def confirm(self) -> None:
        if self._arrangement is None or self._importing:
            return
        self._importing = True
        self.progress.show()
        self.confirm_button.setEnabled(False)
        self.load_button.setEnabled(False)
        self.text.setReadOnly(True)
        self._ctx.tasks.write(partial(import_arrangement, self._ctx.db, self._ctx.actor, self._arrangement,
                                     today=self._ctx.today()),
                             self._import_done, self._import_failed)

    def _import_done(self, alerts: list[str]) -> None:
        assert self._arrangement is not None
        year = self._arrangement.year
        self._importing = False
        self.accept()
        self.imported.emit(year)
        if alerts:
            show_info(self.parentWidget(), self.tr("期限已重新计算"), "\n".join(alerts))

    def _import_failed(self, exc: BaseException) -> None:
        self._importing = False
        self.progress.hide()
        self.text.setReadOnly(False)
        self.load_button.setEnabled(True)
        self.confirm_button.setEnabled(True)
        show_error(self, exc, self.tr("导入没有完成"))

    def reject(self) -> None:
        if self._importing:
            return  # the transaction finishes on its own; closing now would hide its result
        super().reject()
