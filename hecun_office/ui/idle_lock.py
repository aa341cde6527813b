"""Idle lock (U-6): after some minutes without keyboard or mouse input the main window is covered and asks for
the same user's password. Nothing is lost by quitting from the lock: every change is committed when it is made.

One application-wide event filter notes the time of the last input; a coarse timer compares it with the limit.
While locked, the other windows (open dialogs, message boxes) are hidden so that no personal data stays on the
screen, and input to anything but the lock is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..services.audit import Actor
from ..services.database import Database
from ..services.users import check_password
from .roles import actor_text
from .widgets import error_label, label

IDLE_MINUTES = 10  # no settings store yet; a constant until the settings page declares options (STYLE.md 8)
LONGEST_CHECK_MS = 15_000  # the lock may come this much later than the limit; checking is nearly free

_Type = QEvent.Type
INPUT = frozenset({_Type.KeyPress, _Type.MouseButtonPress, _Type.MouseButtonDblClick, _Type.MouseMove,
                   _Type.Wheel, _Type.InputMethod, _Type.TouchBegin, _Type.TouchUpdate, _Type.TabletPress})
BLOCKED_WHILE_LOCKED = frozenset({_Type.KeyPress, _Type.KeyRelease, _Type.MouseButtonPress,
                                  _Type.MouseButtonRelease, _Type.MouseButtonDblClick, _Type.Wheel,
                                  _Type.InputMethod, _Type.ContextMenu, _Type.TouchBegin})


class LockOverlay(QWidget):
    """Layout of the lock: it covers the whole main window."""

    PANEL_WIDTH = 480

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # paint the background: hide the data
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        self.panel = panel = QFrame()
        panel.setObjectName("lockPanel")
        panel.setFixedWidth(self.PANEL_WIDTH)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(28, 22, 28, 20)
        layout.setSpacing(8)
        layout.addWidget(label(self.tr("工作台已锁定"), "sectionTitle"))
        self.note = label("", wrap=True)
        layout.addWidget(self.note)
        layout.addSpacing(4)
        self.password = QLineEdit()
        self.password.setObjectName("unlockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("密码"))
        layout.addWidget(self.password)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.exit_button = QPushButton(self.tr("退出程序"))
        self.exit_button.setObjectName("lockExit")
        self.switch_button = QPushButton(self.tr("切换用户"))
        self.switch_button.setObjectName("lockSwitch")
        self.unlock_button = QPushButton(self.tr("解锁"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setMinimumWidth(96)
        buttons.addWidget(self.exit_button)
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout.addLayout(buttons)
        layout.addWidget(label(self.tr("换人使用请点“切换用户”，以自己的账户登录。\n已保存的工作不会丢失。"),
                               "muted", wrap=True))
        self.hide()

    def fit(self) -> None:
        """Give the panel the height its wrapped lines need at its fixed width (an aligned item gets only its
        size hint, which does not account for word wrap)."""
        self.panel.setFixedHeight(self.panel.heightForWidth(self.PANEL_WIDTH))


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal()
    exit_requested = Signal()  # the composition root quits the program
    switch_requested = Signal()  # another person logs in: the start-up closes the window and shows the login

    def __init__(self, window: QMainWindow, db: Database, actor: Actor,
                 timeout_ms: int = IDLE_MINUTES * 60_000) -> None:
        super().__init__(window)  # the window owns the lock; no reference back, so no cycle for the collector
        self._db = db
        self._actor = actor
        self._timeout_ms = timeout_ms
        self._since_input = QElapsedTimer()
        self._since_input.start()
        self._hidden: list[QWidget] = []
        self._focus: QWidget | None = None
        self.overlay = LockOverlay(window)
        self._check = QTimer(self)
        self._check.setInterval(max(50, min(timeout_ms // 4, LONGEST_CHECK_MS)))
        self._connect_signals()
        self._check.start()
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def stop(self) -> None:
        """The window is closing: stop watching. The filter is application-wide, so it must not outlive its use
        (a window kept alive by a pending task's callback would otherwise filter the next window's events)."""
        self._check.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _connect_signals(self) -> None:
        self._check.timeout.connect(self._check_idle)
        self.overlay.password.returnPressed.connect(self.unlock)
        self.overlay.unlock_button.clicked.connect(self.unlock)
        self.overlay.exit_button.clicked.connect(self.exit_requested)
        self.overlay.switch_button.clicked.connect(self.switch_user)

    def _window(self) -> QMainWindow:
        window = self.parent()
        assert isinstance(window, QMainWindow)
        return window

    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    def is_locked(self) -> bool:
        return self.overlay.isVisible()

    # --- watching input -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if "overlay" not in self.__dict__:
            # The collector is tearing the closed window's objects down (ui/collector.py, on the GUI thread): this
            # wrapper's attributes are already cleared while the window's destruction still sends events through
            # the application-wide filter. Nothing is left to guard.
            return False
        kind = event.type()
        if self.overlay.isVisible():
            if kind == _Type.Shortcut:
                return True  # the window's Ctrl+1..8, F5, Ctrl+N must not act behind the lock
            if kind in BLOCKED_WHILE_LOCKED and isinstance(watched, QWidget) and not self._on_overlay(watched):
                return True
            if kind == _Type.Resize and watched is self.overlay.parent():
                self.overlay.setGeometry(self._window().rect())
            elif kind == _Type.Show and isinstance(watched, QDialog) and watched not in self._hidden:
                # a background task finished and reports: it waits, hidden, until the owner is back
                self._hidden.append(watched)
                QTimer.singleShot(0, self._hide_dialogs)
        elif kind in INPUT:
            self._since_input.restart()
        return False

    def _on_overlay(self, widget: QWidget) -> bool:
        return widget is self.overlay or self.overlay.isAncestorOf(widget)

    def _check_idle(self) -> None:
        if not self.is_locked() and self._window().isVisible() and self._since_input.elapsed() >= self._timeout_ms:
            self.lock()

    def _hide_dialogs(self) -> None:
        if self.is_locked():
            for widget in self._hidden:
                if widget.isVisible():
                    widget.hide()

    # --- locking ------------------------------------------------------------------------------------
    def lock(self) -> None:
        if self.is_locked():
            return
        self._focus = QApplication.focusWidget()
        window = self._window()
        self._hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window]
        for widget in self._hidden:
            widget.hide()
        central = window.centralWidget()
        if central is not None:
            central.setEnabled(False)  # nothing behind the lock takes focus or clicks
        minutes = max(1, round(self._timeout_ms / 60_000))
        self.overlay.note.setText(self.tr("{who}，您已 {minutes} 分钟没有操作，工作台已自动锁定。\n请输入您的密码继续。").format(
            who=actor_text(self._actor), minutes=minutes))
        self.overlay.error.hide()
        self.overlay.password.clear()
        self.overlay.fit()
        self.overlay.setGeometry(window.rect())
        self.overlay.show()
        self.overlay.raise_()
        window.activateWindow()  # the hidden dialog had the focus
        self.overlay.password.setFocus(Qt.FocusReason.OtherFocusReason)
        self.locked.emit()

    def switch_user(self) -> None:
        """End the lock without the password and hand over to the login. What the lock hid stays hidden: it is
        the previous user's and goes with their window."""
        if not self.is_locked():
            return
        self.overlay.password.clear()
        self.switch_requested.emit()

    def unlock(self) -> bool:
        """Check the password in the field; on success everything comes back as it was."""
        if not self.is_locked():
            return True
        password = self.overlay.password.text()
        self.overlay.password.clear()
        if not password or not check_password(self._db, self._actor, password):
            self.overlay.error.setText(self.tr("密码不正确，请重新输入。") if password else self.tr("请输入密码。"))
            self.overlay.error.show()
            self.overlay.fit()
            self.overlay.password.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self.overlay.hide()
        central = self._window().centralWidget()
        if central is not None:
            central.setEnabled(True)
        for widget in self._hidden:
            try:
                widget.show()
            except RuntimeError:  # closed and deleted while hidden (a finished file dialog)
                continue
        self._hidden = []
        if self._focus is not None:
            try:
                self._focus.setFocus(Qt.FocusReason.OtherFocusReason)
            except RuntimeError:
                pass
        self._focus = None
        self._since_input.restart()
        self.unlocked.emit()
        return True
