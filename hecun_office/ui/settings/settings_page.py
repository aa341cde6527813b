"""Behaviour of 设置: show the profile (编辑本所信息 for those who may) and calendar coverage, open the calendar
dialogs; users, templates, 字体 and 数据维护 (backup, restore, check) live in their own sections (tabs)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal

from ...domain.permissions import Permission
from ...domain.vocab import Mode
from ...services.changes import Changes
from ...services.setup import read_profile
from ...services.ui_queries import calendar_coverage
from ..context import UiContext
from ..errors import open_dialog, show_error
from ..formatting import vocab_text
from ..roles import gate, refusal
from .fonts_section import FontsSection
from .import_dialog import ImportDialog
from .maintenance_section import MaintenanceSection
from .override_dialog import OverrideDialog
from .profile_dialog import ProfileDialog
from .settings_view import SettingsView
from .templates_section import TemplatesSection
from .units_section import UnitsSection
from .users_section import UsersSection


class SettingsPage(SettingsView):
    message = Signal(str)
    READS = frozenset({"users", "matter_templates", "office_profile", "calendar_days", "calendar_years", "units",
                       "matter_units"})

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx
        self.users = UsersSection(ctx)
        self.templates = TemplatesSection(ctx)
        self.units = UnitsSection(ctx)
        self.maintenance = MaintenanceSection(ctx)
        self.fonts = FontsSection(ctx)  # reads the fonts when first shown
        self.tabs.addTab(self.users, self.tr("用户管理"))
        profile = read_profile(ctx.db)
        self._mode = profile.mode if profile is not None else Mode.OFFICE.value
        self._code = profile.code if profile is not None else ""
        self._bureau = self._mode == Mode.BUREAU.value
        if self._bureau:
            self.show_bureau_wording()  # and no 高频事项模板: a township's tool for registering its matters
            for section in (self.templates, self.units):  # the bureau keeps townships' rosters in 报送与同步
                section.setParent(self)
                section.hide()
        else:
            self.tabs.addTab(self.units, self.tr("被监督单位"))
            self.tabs.addTab(self.templates, self.tr("高频事项模板"))
        self.tabs.addTab(self.fonts, self.tr("字体"))
        self.tabs.addTab(self.maintenance, self.tr("数据维护"))
        if not gate(ctx.actor.role, Permission.SETTINGS_MANAGE, self.import_button, self.override_button,
                    self.edit_profile_button):
            for note in (self.calendar_note, self.profile_note):
                note.setText(refusal(ctx.actor.role, Permission.SETTINGS_MANAGE))
                note.show()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.import_button.clicked.connect(self.open_import_dialog)
        self.override_button.clicked.connect(self.open_override_dialog)
        self.edit_profile_button.clicked.connect(self.open_profile_dialog)
        self.users.message.connect(self.message)
        self.templates.message.connect(self.message)
        self.units.message.connect(self.message)
        self.maintenance.message.connect(self.message)
        self.fonts.message.connect(self.message)

    def apply_changes(self, changes: Changes) -> None:
        if self.isVisible() and changes.touches(self.READS):
            self.refresh()

    def refresh(self) -> None:
        self.users.refresh()
        if not self._bureau:
            self.templates.refresh()
            self.units.refresh()
        self.maintenance.refresh()
        self._refresh_profile()

    def _refresh_profile(self) -> None:
        try:
            profile = read_profile(self._ctx.db)
            years = calendar_coverage(self._ctx.db)
        except Exception as exc:
            show_error(self, exc)
            return
        if profile is not None:
            values = {
                "mode": vocab_text(Mode(profile.mode)),
                "name": profile.name,
                "abbr": profile.abbr,
                "code": profile.code,
                "bureau_name": profile.bureau_name,
                "place": f"{profile.county}{profile.township}",
                "rectification_days": self.tr("{n} 天").format(n=profile.rectification_days),
            }
            for key, value in values.items():
                self.profile_fields[key].setText(value)
        self.profile_fields["database"].setText(self._ctx.db.display)
        self.coverage_model.set_rows(list(reversed(years)))  # the years that matter now come first
        today = self._ctx.today()
        have = {c.year for c in years}
        text = self.tr("已确认的年份：{first}–{last}。").format(first=min(have), last=max(have)) if have else ""
        missing = [y for y in (today.year, today.year + 1) if y not in have]
        if missing:
            text += self.tr("{years}年的节假日安排尚未导入，涉及这些年份的期限按法定节假日推算（待国务院通知确认）。"
                            "国务院通知发布后请点击“导入节假日安排”。").format(years="、".join(map(str, missing)))
        self.calendar_summary.setText(text)

    def open_profile_dialog(self) -> ProfileDialog | None:
        dialog = open_dialog(self, partial(ProfileDialog, self._ctx, self._mode, self._code, self))
        if dialog is not None:
            dialog.saved.connect(self._profile_saved)
        return dialog

    def _profile_saved(self, text: str) -> None:
        self.message.emit(text)

    def open_import_dialog(self) -> ImportDialog:
        dialog = ImportDialog(self._ctx, self)
        dialog.imported.connect(self._imported)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_override_dialog(self) -> OverrideDialog:
        dialog = OverrideDialog(self._ctx, self)
        dialog.overridden.connect(self._overridden)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _imported(self, year: int) -> None:
        self.message.emit(self.tr("已导入{year}年节假日安排").format(year=year))

    def _overridden(self, text: str) -> None:
        self.message.emit(text)
