"""Behaviour of 报送与同步 (S-2, S-3, S-5, S-7, U-3): exports and imports are writes on the database worker, shown
with progress and 取消 by the shared job panel; verifying a packet (packet verify) and writing one again are reads
on the reader pool. The bureau's watched inbox, each office's unit roster (bureau), and the tables and the keys
section kept current."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal

from ...domain.permissions import Permission
from ...services.changes import Changes
from ...services.database import Database
from ...services.exchange_keys import PeerView, list_peers
from ...services.packet_export import ExportResult, SentPacket, rewrite_packet, sent_packets
from ...services.packet_import import ImportOutcome, history, verify_packet
from ...services.settings import INBOX_FOLDER, read_setting, write_setting
from ...services.setup import read_profile
from ..context import UiContext
from ..errors import message_for, open_dialog, show_error, show_info
from ..job_panel import JobPanel
from ..models.base import ROW_ROLE
from ..progress import CANCELLED, Steps
from ..roles import gate
from .choosers import FileChooser, packet_filter
from .exchange_view import ExchangeView
from .inbox import InboxWatcher
from .jobs import DONE_FOLDER, ImportRun, ReturnTarget, export_data, export_returns, import_files
from .keys_section import KeysSection
from .roster_dialog import RosterDialog
from .tables import ReturnSentModel
from .texts import alarming, export_message, returns_message, run_summary, verify_alarming, verify_message

MAX_OUTCOMES = 500  # this session's import results kept on screen; the history has them all


class ExchangePage(ExchangeView):
    # Packets sent and received, peers and their keys, this office's own key, the bureau's rosters.
    READS = frozenset({"packets_in", "packets_out", "peers", "peer_keys", "key_pairs", "units", "office_profile"})
    message = Signal(str)  # for the status bar

    def __init__(self, ctx: UiContext) -> None:
        profile = read_profile(ctx.db)
        bureau = profile is not None and profile.mode == "bureau"
        super().__init__(bureau, KeysSection(ctx, bureau), JobPanel(ctx.tasks))
        self._ctx = ctx
        self._chooser = FileChooser()
        self.keys.chooser = self._chooser
        self._outcomes: list[ImportOutcome] = []
        self._run = ImportRun()  # the import running or last run
        self._from_inbox = False
        self._made: list[tuple[ReturnTarget, ExportResult]] = []  # return packets written by the last export
        self._wanted = 0
        self._verifying = False
        self.inbox: InboxWatcher | None = InboxWatcher(self) if bureau else None
        work = [self.import_button, self.export_button, self.rewrite_button]
        if bureau:
            work += [self.export_one_button, self.inbox_button, self.inbox_stop_button]
        gate(ctx.actor.role, Permission.MATTER_WORK, *work)
        self._may_work = all(b.isEnabled() for b in work[:2])
        self._connect_signals()
        if self.inbox is not None:
            self._start_inbox(read_setting(INBOX_FOLDER, ctx.db))

    def _connect_signals(self) -> None:
        self.export_button.clicked.connect(self.export_all_returns if self.bureau else self.export_packet)
        self.import_button.clicked.connect(self.choose_and_import)
        self.verify_button.clicked.connect(self.choose_and_verify)
        self.job_panel.finished.connect(self._job_finished)
        self.rewrite_button.clicked.connect(self.rewrite_selected)
        self.sent.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.sent_model.modelReset.connect(self._update_buttons)
        self.keys.message.connect(self.message)
        if self.bureau:
            self.export_one_button.clicked.connect(self.export_selected_return)
            self.roster_button.clicked.connect(self.open_roster)
            self.peers.selectionModel().currentRowChanged.connect(self._update_buttons)
            self.peer_model.modelReset.connect(self._update_buttons)
            self.inbox_button.clicked.connect(self.choose_inbox)
            self.inbox_stop_button.clicked.connect(self.stop_inbox)
        if self.inbox is not None:
            self.inbox.ready.connect(self._inbox_ready)
            self.inbox.availability_changed.connect(self._show_inbox)

    @property
    def chooser(self) -> FileChooser:
        return self._chooser

    @chooser.setter
    def chooser(self, chooser: FileChooser) -> None:
        """The file dialogs (tests put a stand-in here)."""
        self._chooser = chooser
        self.keys.chooser = chooser

    @property
    def busy(self) -> bool:
        return self.job_panel.busy

    # --- tables -----------------------------------------------------------------------------------------------
    def apply_changes(self, changes: Changes) -> None:
        if self.isVisible() and changes.touches(self.READS):
            self.refresh()

    def refresh(self) -> None:
        db = self._ctx.db
        try:
            peers = list_peers(db)
            sent = sent_packets(db)
            received = history(db)
        except Exception as exc:
            show_error(self, exc)
            return
        if self.bureau:
            offices = [p for p in peers if p.kind == "office"]
            if isinstance(self.sent_model, ReturnSentModel):  # always so at the bureau; narrows the type
                self.sent_model.names = {p.code: p.name for p in peers}
            self.peer_model.set_rows(offices)
            self.peers_empty.setVisible(not offices)
        self.sent_model.set_rows(sent)
        self.history_model.set_rows(received)
        self.keys.refresh(peers)

    def _update_buttons(self) -> None:
        idle = not self.busy and self._may_work
        self.export_button.setEnabled(idle)
        self.import_button.setEnabled(idle)
        self.verify_button.setEnabled(not self.busy and not self._verifying)  # anyone may verify
        self.rewrite_button.setEnabled(idle and self.selected_sent() is not None)
        if self.bureau:
            self.export_one_button.setEnabled(idle and self.selected_office() is not None)
            self.roster_button.setEnabled(self.selected_office() is not None)  # a quick edit: no need to wait
            self.inbox_button.setEnabled(idle)
            self.inbox_stop_button.setEnabled(idle and self.inbox is not None and self.inbox.folder is not None)

    def selected_sent(self) -> SentPacket | None:
        index = self.sent.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def selected_office(self) -> PeerView | None:
        if not self.bureau:
            return None
        index = self.peers.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    # --- running a job ---------------------------------------------------------------------------------------
    def _start(self, steps: Callable[[], Steps], text: str, on_done: Callable[[Any], None],
               on_failed: Callable[[BaseException], None] | None = None) -> None:
        """Exports and imports write: the database worker runs them, one at a time."""
        self.job_panel.start(steps, text, on_done, on_failed or self._job_failed, cancel_text=self.tr("取消"))
        self._update_buttons()

    def _job_finished(self) -> None:
        self._update_buttons()
        self._inbox_catch_up()  # after the result is shown: a packet that arrived meanwhile starts the next run

    def _job_failed(self, exc: BaseException) -> None:
        # What a failure part way kept is on screen already: its change notice came first.
        self.show_result(message_for(exc), alarm=True)
        show_error(self, exc)

    # --- export (office) -----------------------------------------------------------------------------------------
    def export_packet(self) -> None:
        if self.busy:
            return
        folder = self._chooser.folder(self, self.tr("选择数据包的导出位置（U盘或文件夹）"))
        if folder is None:
            return
        ctx = self._ctx
        self._start(partial(export_data, ctx.db, ctx.actor, folder, ctx.today()), self.tr("正在导出数据包…"),
                    self._exported)

    def _exported(self, result: object) -> None:
        if result is CANCELLED:
            self.show_result(self.tr("已取消导出：没有写出文件，数据包编号未占用。"))
            return
        assert isinstance(result, ExportResult)
        text = export_message(result)
        self.show_result(text)
        self.message.emit(self.tr("已导出数据包 {file}").format(file=result.file_name))
        show_info(self, self.tr("数据包已导出"), text)

    # --- return packets (bureau) ---------------------------------------------------------------------------------
    def export_all_returns(self) -> None:
        if self.busy:
            return
        try:
            offices = [p for p in list_peers(self._ctx.db) if p.kind == "office"]
        except Exception as exc:
            show_error(self, exc)
            return
        if not offices:
            show_info(self, self.tr("没有可导出的回执"), self.tr("尚未登记任何司法所。请先在“密钥与登记”中登记司法所的公钥。"))
            return
        folder = self._chooser.folder(self, self.tr("选择回执的导出位置"))
        if folder is None:
            return
        # Return packets are named <bureau>-<office>-<seq>.hcpkt, so all offices' files can share one folder.
        self._export_returns([ReturnTarget(p.code, p.name, folder) for p in offices])

    def export_selected_return(self) -> None:
        office = self.selected_office()
        if office is None or self.busy:
            return
        folder = self._chooser.folder(self, self.tr("选择{name}回执的导出位置（U盘或文件夹）").format(name=office.name))
        if folder is None:
            return
        self._export_returns([ReturnTarget(office.code, office.name, folder)])

    def open_roster(self) -> RosterDialog | None:
        office = self.selected_office()
        if office is None:
            return None
        dialog = open_dialog(self, partial(RosterDialog, self._ctx, office, self))
        if dialog is not None:
            dialog.message.connect(self.message)
        return dialog

    def _export_returns(self, targets: list[ReturnTarget]) -> None:
        ctx = self._ctx
        self._made, self._wanted = [], len(targets)
        self._start(partial(export_returns, ctx.db, ctx.actor, targets, ctx.today(), self._made),
                    self.tr("正在导出 {n} 个司法所的回执…").format(n=len(targets)), self._returns_done,
                    self._returns_failed)

    def _returns_done(self, result: object) -> None:
        made = self._made
        if result is CANCELLED and not made:
            self.show_result(self.tr("已取消导出回执：没有写出文件，回执编号未占用。"))
            return
        text = returns_message(made, self._wanted)
        self.show_result(text)
        self.message.emit(self.tr("已导出 {n} 个回执").format(n=len(made)))
        if result is not CANCELLED:
            show_info(self, self.tr("回执已导出"), text)

    def _returns_failed(self, exc: BaseException) -> None:
        # The offices done before the failure keep their return packets; the change notice has shown them.
        lines = [message_for(exc)]
        if self._made:
            lines.append(returns_message(self._made, self._wanted))
        self.show_result("\n".join(lines), alarm=True)
        show_error(self, exc)

    # --- import --------------------------------------------------------------------------------------------------
    def choose_and_import(self) -> None:
        if self.busy:
            return
        title = self.tr("选择司法所报送的数据包") if self.bureau else self.tr("选择司法局的回执数据包")
        files = self._chooser.open_files(self, title, packet_filter())
        if files:
            self.import_files(files)

    def import_files(self, files: list[Path], done_dir: Path | None = None) -> None:
        """Import on the worker; with ``done_dir`` (the inbox) handled files are moved there."""
        ctx = self._ctx
        run = ImportRun()
        self._run, self._from_inbox = run, done_dir is not None
        text = (self.tr("收件箱：正在导入 {n} 个数据包…") if done_dir is not None
                else self.tr("正在导入 {n} 个数据包…")).format(n=len(files))
        self._start(partial(import_files, ctx.db, ctx.actor, files, ctx.today(), run, done_dir), text,
                    self._imported, self._import_failed)

    def _imported(self, result: object) -> None:
        self._show_run(cancelled=result is CANCELLED)

    def _import_failed(self, exc: BaseException) -> None:
        self._show_run(cancelled=False, error=exc)

    def _show_run(self, cancelled: bool, error: BaseException | None = None) -> None:
        run = self._run
        summary = run_summary(run, cancelled)
        if error is not None:
            summary = "\n".join([summary, message_for(error)])
        if run.outcomes:
            self._outcomes = (list(reversed(run.outcomes)) + self._outcomes)[:MAX_OUTCOMES]
            self.outcome_model.set_rows(self._outcomes)
            self.outcome_empty.hide()
        bad = alarming(run) or error is not None
        if self._from_inbox:
            self._show_inbox(summary=summary, alarm=bad)
        else:
            self.show_result(summary, alarm=bad)
            self.tabs.setCurrentWidget(self.outcome_tab)
        if error is not None and not self._from_inbox:
            show_error(self, error)
        self.message.emit(summary.splitlines()[0])

    # --- verify without importing (packet verify) ---------------------------------------------------------------
    def choose_and_verify(self) -> None:
        if self.busy or self._verifying:
            return
        path = self._chooser.open_file(self, self.tr("选择要校验的数据包（只校验，不导入）"), packet_filter())
        if path is None:
            return
        self._verifying = True
        self._update_buttons()
        self._ctx.tasks.read(partial(verify_packet, self._ctx.db, path), self._verified, self._verify_failed)

    def _verified(self, outcome: object) -> None:
        self._verifying = False
        self._update_buttons()
        assert isinstance(outcome, ImportOutcome)
        text = verify_message(outcome)
        self.show_result(text, alarm=verify_alarming(outcome))
        self.message.emit(text.splitlines()[0])

    def _verify_failed(self, exc: object) -> None:
        self._verifying = False
        self._update_buttons()
        error = exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
        self.show_result(self.tr("校验没有完成：{reason}").format(reason=message_for(error)), alarm=True)
        show_error(self, error)

    # --- writing a packet again ----------------------------------------------------------------------------------
    def rewrite_selected(self) -> None:
        row = self.selected_sent()
        if row is None or self.busy:
            return
        folder = self._chooser.folder(self, self.tr("选择重新写出第 {seq} 号数据包的位置").format(seq=row.seq))
        if folder is None:
            return
        self.rewrite_button.setEnabled(False)
        self._ctx.tasks.read(partial(rewrite_packet, self._ctx.db, row.recipient, row.seq, folder),
                            self._rewritten, self._rewrite_failed)

    def _rewritten(self, path: object) -> None:
        self._update_buttons()
        text = self.tr("已按原样重新写出 {path}（内容和编号与原件相同）。").format(path=path)
        self.show_result(text)
        self.message.emit(text)

    def _rewrite_failed(self, exc: object) -> None:
        self._update_buttons()
        show_error(self, exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))

    # --- the watched inbox (bureau) ------------------------------------------------------------------------------
    def choose_inbox(self) -> None:
        """The folder is watched once it is remembered for the next start (a per-PC setting, written on the
        worker like every write)."""
        folder = self._chooser.folder(self, self.tr("选择收件箱文件夹（放入其中的数据包自动导入）"))
        if folder is not None:
            self._ctx.tasks.write(partial(_remember_inbox, self._ctx.db, folder), self._inbox_remembered,
                                  self._inbox_not_remembered)

    def stop_inbox(self) -> None:
        self._start_inbox(None)  # at once; the next start forgets it too once the setting is written
        self._ctx.tasks.write(partial(_remember_inbox, self._ctx.db, None), self._inbox_remembered,
                              self._inbox_not_remembered)

    def _inbox_remembered(self, folder: Path | None) -> None:
        if folder is not None:
            self._start_inbox(folder)
            self.message.emit(self.tr("收件箱已设置，正在监视"))

    def _inbox_not_remembered(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _start_inbox(self, folder: Path | None) -> None:
        if self.inbox is None:
            return
        self.inbox.watch(folder)
        self._show_inbox()
        self._update_buttons()

    def _show_inbox(self, *_args: object, summary: str = "", alarm: bool = False) -> None:
        if self.inbox is not None:
            self.show_inbox(self.inbox.folder, self.inbox.available, summary, alarm)

    def _inbox_ready(self, files: list[Path]) -> None:
        inbox = self.inbox
        # Busy: the check after the running job picks them up. Closed: nobody is here to import for.
        if inbox is None or inbox.folder is None or self.busy or not self.window().isVisible() or not self._may_work:
            return
        inbox.paused = True
        self.import_files(files, done_dir=inbox.folder / DONE_FOLDER)

    def _inbox_catch_up(self) -> None:
        if self.inbox is not None:
            self.inbox.paused = False
            if self.inbox.folder is not None:
                self.inbox.check()


def _remember_inbox(db: Database, folder: Path | None) -> Path | None:
    write_setting(INBOX_FOLDER, db, folder)
    return folder
