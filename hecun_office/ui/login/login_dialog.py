"""Behaviour of the login dialog (U-6): the service checks the password; its message goes under the field."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ...services.audit import Actor
from ...services.database import Database
from ...services.setup import read_profile
from ...services.users import authenticate, list_accounts
from ..operations import Submission
from ..tasks import TaskRunner
from ..widgets import FieldErrors
from .login_view import LoginView


class LoginDialog(LoginView):
    def __init__(self, db: Database, tasks: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.actor: Actor | None = None  # who logged in, once accepted
        profile = read_profile(db)
        self.office_name.setText(profile.name if profile else "")
        self._by_name: dict[str, str] = {}  # display name -> username, for names only one account has
        accounts = list_accounts(db, include_inactive=False)
        names = [a.display_name for a in accounts]
        for account in accounts:
            self.username.addItem(self.tr("{name}（{username}）").format(name=account.display_name,
                                                                      username=account.username),
                                  account.username)
            if names.count(account.display_name) == 1:
                self._by_name[account.display_name] = account.username
        # Whoever logged in last is most likely at the keyboard again.
        recent = max(accounts, key=lambda a: a.last_login_at.isoformat() if a.last_login_at else "", default=None)
        if recent is not None:
            self.username.setCurrentIndex(self.username.findData(recent.username))
        self.errors = FieldErrors(self.general_error)
        self.errors.add("username", self.errors_username, self.username)
        self.errors.add("password", self.errors_password, self.password)
        # A login writes (last login, failed tries) and checking a scrypt hash takes a moment: off the GUI thread.
        self._submission = Submission(self, self.errors, tasks or TaskRunner(self), self._logged_in,
                                      buttons=[self.login_button], on_failed=self._refused)
        self._connect_signals()
        (self.password if self.username.currentIndex() >= 0 else self.username).setFocus(
            Qt.FocusReason.OtherFocusReason)

    def _connect_signals(self) -> None:
        self.login_button.clicked.connect(self.submit)
        self.quit_button.clicked.connect(self.reject)

    def username_text(self) -> str:
        """The login name for what the combo shows: a listed account, a display name, or a typed login name."""
        text = self.username.currentText().strip()
        listed = self.username.findText(text, Qt.MatchFlag.MatchExactly)
        if listed >= 0:
            return str(self.username.itemData(listed))
        return self._by_name.get(text, text)

    def submit(self) -> None:
        self.errors.clear()
        username = self.username_text()
        if not username:
            self.errors.show_message("username", self.tr("请选择或输入登录名。"))
            return
        self._submission.start(partial(authenticate, self._db, username, self.password.text()))

    def _refused(self) -> None:
        """The message is under the password field: clear the field and grow the dialog so every line shows."""
        self.password.clear()
        self.fit_message()

    def _logged_in(self, actor: object) -> None:
        assert isinstance(actor, Actor)
        self.actor = actor
        self.accept()
