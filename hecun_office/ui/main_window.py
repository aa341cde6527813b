"""The main window: navigation, pages and status bar wired together; the pages do the work."""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QFrame, QListWidgetItem, QScrollArea, QWidget

from ..services.backups import ensure_daily_backup, last_backup
from ..services.changes import Changes
from ..services.obligations import ensure_office_obligations
from ..services.setup import read_profile
from ..services.ui_queries import coverage_summary
from .context import UiContext
from .dashboard.dashboard_page import DashboardPage
from .documents.documents_page import DocumentsPage
from .errors import message_for
from .exchange.exchange_page import ExchangePage
from .idle_lock import IdleLock
from .main_window_view import MainWindowView
from .matters.register_dialog import RegisterDialog
from .matters.section import MattersSection
from .obligations.obligations_page import ObligationsPage
from .roles import actor_text
from .settings.settings_page import SettingsPage
from .statistics.statistics_page import StatisticsPage
from .supervision.supervision_page import SupervisionPage
from .translate import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)
C = "MainWindow"
DASHBOARD, MATTERS, DOCUMENTS, OBLIGATIONS, EXCHANGE, LEDGERS, SUPERVISION, SETTINGS = range(8)
PAGE_TITLES = (
    QT_TRANSLATE_NOOP(C, "工作台"),
    QT_TRANSLATE_NOOP(C, "监督事项"),
    QT_TRANSLATE_NOOP(C, "文书"),
    QT_TRANSLATE_NOOP(C, "整改与时限"),
    QT_TRANSLATE_NOOP(C, "报送与同步"),
    QT_TRANSLATE_NOOP(C, "台账统计"),
    QT_TRANSLATE_NOOP(C, "监督员与会议"),
    QT_TRANSLATE_NOOP(C, "设置"),
)
DATABASE_LABEL_WIDTH = 420


def _tr(text: str) -> str:
    return QCoreApplication.translate(C, text)


BACKUP_CHECK_MS = 60 * 60 * 1000  # the daily backup is checked hourly while the program stays open
# What the status bar shows: the calendar's coverage, and the newest backup, which a packet import that applies
# anything makes first (N-1).
STATUS_READS = frozenset({"calendar_days", "calendar_years", "packets_in"})

def _scrollable(page: QWidget) -> QScrollArea:
    """A page in a scroll area: on a small screen or at 150 % the window still fits the screen (U-1); the page
    scrolls instead of pushing the window past the screen's edge."""
    holder = QScrollArea()
    holder.setObjectName("pageScroller")
    holder.setWidgetResizable(True)
    holder.setFrameShape(QFrame.Shape.NoFrame)
    holder.setWidget(page)
    return holder


class MainWindow(MainWindowView):
    # 切换用户 from the status bar, Ctrl+Shift+L or the idle lock: the start-up closes this window for a login
    switch_user_requested = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx
        profile = read_profile(ctx.db)
        self._show_name(profile.name if profile else "")
        self.user_label.setText(actor_text(ctx.actor))
        self.user_label.setToolTip(self.tr("当前登录的用户"))
        bureau = profile is not None and profile.mode == "bureau"
        self.dashboard = DashboardPage(ctx, county=bureau)
        self.matters = MattersSection(ctx, offices=bureau)  # S-7: every township's matters
        self.obligations = ObligationsPage(ctx)
        self.documents = DocumentsPage(ctx)
        self.settings = SettingsPage(ctx)
        self.exchange = ExchangePage(ctx)
        self.statistics = StatisticsPage(ctx, bureau=bureau)  # L-3: every township at the bureau
        self.supervision = SupervisionPage(ctx, bureau=bureau)  # O-1..O-4: a township's records at the bureau
        built: dict[int, QWidget] = {DASHBOARD: self.dashboard, MATTERS: self.matters, DOCUMENTS: self.documents,
                                     OBLIGATIONS: self.obligations, SETTINGS: self.settings}
        built[EXCHANGE] = self.exchange
        built[LEDGERS] = self.statistics
        built[SUPERVISION] = self.supervision
        self.pages: list[QWidget] = []
        for n, title in enumerate(PAGE_TITLES):
            page = built[n]
            self.pages.append(page)
            self.stack.addWidget(_scrollable(page))
            item = QListWidgetItem(_tr(title))
            item.setToolTip(self.tr("{title}（Ctrl+{n}）").format(title=_tr(title), n=n + 1))
            self.navigation.addItem(item)
        self._shortcuts = [QShortcut(QKeySequence(f"Ctrl+{n + 1}"), self) for n in range(len(PAGE_TITLES))]
        self._refresh_shortcut = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        # Ctrl+N registers a matter from any page; on the matter list the page's own button has it.
        self._register_shortcut = QShortcut(QKeySequence("Ctrl+N"), self)
        self.idle_lock = IdleLock(self, ctx.db, ctx.actor)
        self._backup_timer: QTimer | None = None  # started by the composition root (start_daily_backups)
        self._connect_signals()
        self.navigation.setCurrentRow(DASHBOARD)
        self.refresh_status()
        self.ensure_obligations()

    def _connect_signals(self) -> None:
        self.navigation.currentRowChanged.connect(self._page_selected)
        for shortcut in self._shortcuts:
            shortcut.activated.connect(self._shortcut_page)
        self._refresh_shortcut.activated.connect(self.refresh_current)
        self._register_shortcut.activated.connect(self.open_register_dialog)
        self.stack.currentChanged.connect(self._update_register_shortcut)
        self.matters.currentChanged.connect(self._update_register_shortcut)
        self.dashboard.matter_requested.connect(self.open_matter)
        if self.dashboard.county is not None:
            self.dashboard.county.office_requested.connect(self.open_office_matters)
        self.obligations.matter_requested.connect(self.open_matter)
        self._ctx.tasks.changed.connect(self.apply_changes)
        self.matters.message.connect(self.show_message)
        self.settings.message.connect(self.show_message)
        self.exchange.message.connect(self.show_message)
        self.statistics.message.connect(self.show_message)
        self.supervision.message.connect(self.show_message)
        self.switch_user_action.triggered.connect(self.switch_user)
        self.idle_lock.switch_requested.connect(self.switch_user_requested)

    # --- navigation ---------------------------------------------------------------------------------
    def show_page(self, index: int) -> None:
        self.navigation.setCurrentRow(index)

    def current_page(self) -> QWidget | None:
        index = self.stack.currentIndex()
        return self.pages[index] if index >= 0 else None

    def _page_selected(self, index: int) -> None:
        if index < 0:
            return
        self.stack.setCurrentIndex(index)
        self._refresh(self.pages[index])

    def _shortcut_page(self) -> None:
        shortcut = self.sender()
        if shortcut in self._shortcuts:
            self.show_page(self._shortcuts.index(shortcut))

    def open_matter(self, matter_id: int) -> None:
        self.show_page(MATTERS)
        self.matters.show_matter(matter_id)

    def open_office_matters(self, code: str) -> None:
        """At the bureau: 监督事项 filtered to the open matters of the township ``code``."""
        self.matters.show_office(code)
        self.show_page(MATTERS)

    def open_register_dialog(self) -> RegisterDialog | None:
        self.show_page(MATTERS)
        self.matters.show_list()
        return self.matters.list_page.open_register_dialog()

    def _update_register_shortcut(self) -> None:
        # Two active Ctrl+N shortcuts would be ambiguous and neither would fire.
        on_list = self.current_page() is self.matters and self.matters.currentWidget() is self.matters.list_page
        self._register_shortcut.setEnabled(not on_list)

    def switch_user(self) -> bool:
        """切换用户: the open dialogs close first, each as its 取消 does — an editor with unsaved changes asks and
        stays open, and then the user stays logged in until they answer and switch again."""
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        if any(dialog.isVisible() for dialog in self.findChildren(QDialog)):
            self.show_message(self.tr("请先保存或放弃正在编辑的内容，再切换用户。"))
            return False
        self.switch_user_requested.emit()
        return True

    # --- refreshing ---------------------------------------------------------------------------------
    def refresh_current(self) -> None:
        self._refresh(self.current_page())
        self.refresh_status()

    def apply_changes(self, changes: Changes) -> None:
        """One broadcast per write (STYLE.md habit 4b): each page reads again only if it is shown and reads what
        changed; a hidden page is read when it is next shown (``_page_selected``)."""
        for page in self.pages:
            apply = getattr(page, "apply_changes", None)
            if callable(apply):
                apply(changes)
        if changes.touches(STATUS_READS):
            self.refresh_status()
        if changes.touches(("office_profile",)):  # 编辑本所信息: the window's name follows at once
            profile = read_profile(self._ctx.db)
            self._show_name(profile.name if profile else "")

    def _show_name(self, name: str) -> None:
        self.setWindowTitle(self.tr("{name} — 行政执法协调监督工作台").format(name=name).lstrip(" —"))
        self.office_name.setText(name)

    @staticmethod
    def _refresh(page: QWidget | None) -> None:
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def refresh_status(self) -> None:
        db = self._ctx.db
        path = db.display  # never the password of a PostgreSQL URL
        metrics = self.database_label.fontMetrics()
        self.database_label.setText(self.tr("数据库：{path}").format(
            path=metrics.elidedText(path, Qt.TextElideMode.ElideMiddle, DATABASE_LABEL_WIDTH)))
        self.database_label.setToolTip(path)
        try:
            summary = coverage_summary(db, self._ctx.today())
            backup = last_backup(db)
        except Exception:  # the status bar must never stop the window; the pages report real problems
            log.exception("状态栏信息读取失败")
            return
        if summary.first is None:
            calendar = self.tr("工作日历：未导入")
        else:
            calendar = self.tr("工作日历：{first}–{last} 已确认").format(first=summary.first, last=summary.last)
            if not summary.today_covered:
                calendar += self.tr("（{year}年待导入）").format(year=summary.today_year)
        self.calendar_label.setText(calendar)
        self.backup_label.setText(self.tr("最近备份：{time}").format(time=f"{backup:%Y-%m-%d %H:%M}") if backup
                                  else self.tr("尚无备份"))

    def start_daily_backups(self) -> None:
        """N-1: a verified backup now if the last is a day old, and the same check every hour while open."""
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(BACKUP_CHECK_MS)
        self._backup_timer.timeout.connect(self._daily_backup)
        self._backup_timer.timeout.connect(self.ensure_obligations)  # a new day or month brings new ones
        self._backup_timer.start()
        self._daily_backup()

    def ensure_obligations(self) -> None:
        """Periodic reports and the annual summary fall due with the calendar, not with a write: make them exist
        for today on the worker; the change notice brings them onto the dashboard."""
        self._ctx.tasks.write(partial(ensure_office_obligations, self._ctx.db, self._ctx.today()),
                              self._obligations_ensured, self._obligations_failed)

    def _obligations_ensured(self, _alerts: object) -> None:
        pass  # the change notice, if anything was added, has refreshed what is shown

    def _obligations_failed(self, exc: object) -> None:
        log.error("定期报送时限生成失败：%s", exc)
        self.show_message(self.tr("未能更新定期报送时限：{reason}").format(
            reason=message_for(exc) if isinstance(exc, BaseException) else exc))

    def _daily_backup(self) -> None:
        # Copying a large database takes seconds: never on the GUI thread.
        self._ctx.tasks.read(partial(ensure_daily_backup, self._ctx.db), self._backup_done, self._backup_failed)

    def _backup_done(self, made: object) -> None:
        if made is not None:
            self.refresh_status()

    def _backup_failed(self, exc: object) -> None:
        log.error("自动备份失败：%s", exc)
        self.show_message(self.tr("自动备份失败：{reason}").format(reason=message_for(exc)
                                                              if isinstance(exc, BaseException) else exc))

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._ctx.tasks.wait()  # let a running import or backup commit before the window goes
        self.idle_lock.stop()
        if self._backup_timer is not None:
            self._backup_timer.stop()
        super().closeEvent(event)
