"""Behaviour of the first-run set-up: defaults per mode, validation by the service, errors by the field."""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtWidgets import QWidget

from ...domain.errors import DomainError
from ...domain.vocab import Mode, Role
from ...services.audit import Actor
from ...services.database import Database
from ...services.setup import (
    ProfileInput,
    UserInput,
    default_profile,
    discard_unfinished_setup,
    setup_database,
)
from ...services.users import authenticate
from ..operations import Submission
from ..tasks import TaskRunner
from ..widgets import FieldErrors
from .setup_view import SetupView

log = logging.getLogger(__name__)


class SetupDialog(SetupView):
    def __init__(self, db: Database, tasks: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.actor: Actor | None = None  # the first user, logged in: they have just typed the password
        self.errors = FieldErrors(self.general_error)
        for field, error in self.error_labels.items():
            self.errors.add(field, error, self.field_widgets[field])
        self._fill(default_profile(Mode.OFFICE.value))
        self._tasks = tasks or TaskRunner(self)
        self._submission = Submission(self, self.errors, self._tasks, self._done)
        self._closing = False
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.office_mode.toggled.connect(self._mode_changed)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def selected_mode(self) -> str:
        return Mode.OFFICE.value if self.office_mode.isChecked() else Mode.BUREAU.value

    def _mode_changed(self) -> None:
        self._fill(default_profile(self.selected_mode()))

    def _fill(self, profile: ProfileInput) -> None:
        for field in ("name", "abbr", "bureau_name", "county", "township", "code", "registration_pattern"):
            getattr(self, field).setText(getattr(profile, field))
        self.rectification_days.setValue(profile.rectification_days)
        self._periodic_report_workday = profile.periodic_report_workday

    def profile_input(self) -> ProfileInput:
        return ProfileInput(
            mode=self.selected_mode(), name=self.name.text().strip(), code=self.code.text().strip(),
            abbr=self.abbr.text().strip(), township=self.township.text().strip(), county=self.county.text().strip(),
            bureau_name=self.bureau_name.text().strip(),
            registration_pattern=self.registration_pattern.text().strip(),
            rectification_days=self.rectification_days.value(),
            periodic_report_workday=self._periodic_report_workday,
        )

    def user_input(self) -> UserInput:
        return UserInput(username=self.username.text().strip(), display_name=self.display_name.text().strip(),
                         role=Role.ADMIN.value, password=self.password.text())

    def submit(self) -> None:
        self.errors.clear()
        if not self.password.text():
            self.errors.show_message("password", self.tr("请设置密码（至少 6 位）。"))
            return
        if self.password.text() != self.password_again.text():
            self.errors.show_message("password_again", self.tr("两次输入的密码不一致，请重新输入。"))
            return
        user = self.user_input()
        self._submission.start(partial(_set_up, self._db, self.profile_input(), user))

    def reject(self) -> None:
        """取消, Esc or the window's close button: the empty database the first run created goes too (issue 11),
        deleted on the database worker after any set-up still running there, so a completed set-up is kept."""
        if self._closing:
            return
        self._closing = True
        self._tasks.write(partial(discard_unfinished_setup, self._db), self._discarded, self._discard_failed)

    def _discarded(self, _deleted: object) -> None:
        super().reject()

    def _discard_failed(self, exc: object) -> None:
        log.warning("未能删除未完成设置的数据库 %s：%s", self._db.display, exc)
        super().reject()

    def _done(self, actor: object) -> None:
        self.actor = actor if isinstance(actor, Actor) else None
        self.accept()


def _set_up(db: Database, profile: ProfileInput, user: UserInput) -> Actor | None:
    """On the database worker: set up, then log the first user in (they have just typed the password)."""
    setup_database(db, profile, user)
    try:
        return authenticate(db, user.username, user.password)
    except DomainError:
        return None  # cannot happen with the account just made; the login dialog follows instead
