"""监督员与会议 (SPEC O-1..O-4): four tabs — 法治监督员, 联席会议, 案卷评查, 执法人员. The lists are read together on
the reader pool when the page is shown and when a write changed what they show (habit 4b). At the bureau a
township is chosen above the tabs and its records, as its packets brought them, are shown read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QTabWidget, QWidget

from ...services.case_review import BatchRow, list_batches
from ...services.changes import Changes
from ...services.database import Database
from ...services.meetings import MeetingRow, list_meetings
from ...services.personnel import OfficerRow, list_officers
from ...services.reminders import supervision_warnings
from ...services.search import offices as list_offices
from ...services.supervisors import SupervisorRow, list_supervisors
from ..context import UiContext
from ..errors import message_for
from ..latest_read import LatestRead
from ..widgets import label, page_header
from .common import Tab
from .meetings_tab import MeetingsTab
from .personnel_tab import PersonnelTab
from .review_tab import ReviewTab
from .supervisors_tab import SupervisorsTab

SUPERVISORS, MEETINGS, REVIEW, PERSONNEL = range(4)


@dataclass(frozen=True)
class Lists:
    office_code: str | None  # None at the bureau before any township has reported
    offices: tuple[tuple[str, str], ...]
    supervisors: list[SupervisorRow]
    meetings: list[MeetingRow]
    batches: list[BatchRow]
    officers: list[OfficerRow]
    warnings: list[str]  # at the bureau: the township's certificate and term warnings, as its dashboard has them


def load(db: Database, today: date, bureau: bool, office_code: str | None) -> Lists:
    """What the four tabs list (a reader-pool job). At the bureau: the townships, and the chosen one's records
    (the first township when none is chosen yet)."""
    offices: tuple[tuple[str, str], ...] = ()
    code: str | None = ""
    if bureau:
        offices = tuple(list_offices(db))
        known = [c for c, _name in offices]
        code = office_code if office_code in known else (known[0] if known else None)
    if code is None:
        return Lists(None, offices, [], [], [], [], [])
    return Lists(code, offices, list_supervisors(db, today, code), list_meetings(db, code), list_batches(db, code),
                 list_officers(db, today, office_code=code), supervision_warnings(db, today, code) if bureau else [])


class SupervisionView(QWidget):
    def __init__(self, bureau: bool) -> None:
        super().__init__()
        layout, top = page_header(self, self.tr("监督员与会议"))
        self.office = QComboBox()
        self.office.setObjectName("officeChoice")
        self.office.setMinimumContentsLength(12)
        self.office_caption = label(self.tr("司法所："), "muted")
        # in the header row, not a row of its own: the township's warnings take that row (the page fits 1366×768)
        self.readonly_note = label(self.tr("只能查看所选司法所报送的记录"), "muted")
        top.addWidget(self.readonly_note)
        top.addSpacing(16)
        top.addWidget(self.office_caption)
        top.addWidget(self.office)
        for widget in (self.readonly_note, self.office_caption, self.office):
            widget.setVisible(bureau)
        layout.addLayout(top)
        self.status: QLabel = label("", "muted")
        self.status.hide()
        layout.addWidget(self.status)
        # At the bureau: the chosen township's reminders (expired certificates, supervisors' terms), a line each.
        # Not word-wrapped (a wrapped label's height-for-width made the page scroll at 1366×768) and asking no width
        # of the page: a line longer than the window is cut, and the tooltip has it whole.
        self.warnings: QLabel = label("", "townshipWarnings")
        self.warnings.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.warnings.hide()
        layout.addWidget(self.warnings)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("supervisionTabs")
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)


class SupervisionPage(SupervisionView):
    # What the four lists and their details are read from.
    READS = frozenset({"supervisors", "supervisor_activities", "meetings", "review_batches", "review_files",
                       "enforcement_officers", "matters", "documents", "peers", "units"})
    message = Signal(str)  # for the status bar

    def __init__(self, ctx: UiContext, bureau: bool = False) -> None:
        super().__init__(bureau)
        writable = not bureau  # a township's records are looked at, never changed, at the bureau
        self.supervisors = SupervisorsTab(ctx, writable)
        self.meetings = MeetingsTab(ctx, writable)
        self.review = ReviewTab(ctx, writable)
        self.personnel = PersonnelTab(ctx, writable)
        for tab, title in ((self.supervisors, self.tr("法治监督员")), (self.meetings, self.tr("联席会议")),
                           (self.review, self.tr("案卷评查")), (self.personnel, self.tr("执法人员"))):
            self.tabs.addTab(tab, title)
        self._ctx = ctx
        self.bureau = bureau
        self.lists: Lists | None = None
        self._reads = LatestRead(ctx.tasks, self._loaded, self._failed, self.refresh, self)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.office.currentIndexChanged.connect(self.refresh)
        for tab in self.all_tabs():
            tab.message.connect(self.message)

    def all_tabs(self) -> tuple[Tab, ...]:
        return (self.supervisors, self.meetings, self.review, self.personnel)

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)

    def office_code(self) -> str | None:
        code = self.office.currentData()
        return code if isinstance(code, str) else None

    @property
    def busy(self) -> bool:
        return self._reads.running

    # --- reading ------------------------------------------------------------------------------------------------
    def apply_changes(self, changes: Changes) -> None:
        if changes.touches(self.READS):
            self.refresh()

    def refresh(self) -> None:
        """Read the lists on the reader pool; a hidden page reads nothing (the window refreshes it when shown)."""
        if not self.isVisible():
            return
        ctx = self._ctx
        self._reads.start(partial(load, ctx.db, ctx.today(), self.bureau, self.office_code()))

    def _loaded(self, lists: object) -> None:
        if not isinstance(lists, Lists):
            return
        self.lists = lists
        self._offer_offices(lists)
        self.supervisors.show_rows(lists.supervisors)
        self.meetings.show_rows(lists.meetings)
        self.review.show_rows(lists.batches)
        self.personnel.show_rows(lists.officers)
        self.warnings.setText("\n".join(lists.warnings))  # the services' own wording, as on the dashboard
        self.warnings.setToolTip("\n".join(lists.warnings))
        self.warnings.setVisible(bool(lists.warnings))
        if self.bureau and lists.office_code is None:
            self.status.setText(self.tr("尚未收到任何司法所报送的数据。"))
            self.status.show()

    def _offer_offices(self, lists: Lists) -> None:
        if not self.bureau:
            return
        shown = [(self.office.itemData(n), self.office.itemText(n)) for n in range(self.office.count())]
        if shown != list(lists.offices):
            self.office.blockSignals(True)
            self.office.clear()
            for code, name in lists.offices:
                self.office.addItem(name, code)
            self.office.blockSignals(False)
        index = self.office.findData(lists.office_code)
        if index >= 0 and index != self.office.currentIndex():
            self.office.blockSignals(True)
            self.office.setCurrentIndex(index)
            self.office.blockSignals(False)

    def _failed(self, exc: object) -> None:
        self.status.setText(self.tr("未能读取：{reason}").format(
            reason=message_for(exc) if isinstance(exc, BaseException) else exc))
        self.status.show()
