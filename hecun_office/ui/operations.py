"""A form's write through the runner (STYLE.md habit 4; Anki's ``qt/aqt/operations``).

The service call runs on the database worker; while it runs the form's accepting buttons are disabled, so a
double click saves once and the clerk sees that something is happening. A DomainError is shown next to its field
(the form keeps what the clerk typed); anything else is logged and shown as a plain sentence (errors.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox, QWidget

from ..domain.errors import DomainError
from .errors import FieldMessages, show_error
from .tasks import TaskRunner

_ACCEPTING = (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole,
              QDialogButtonBox.ButtonRole.ApplyRole)


def accepting_buttons(form: QWidget) -> list[QAbstractButton]:
    """The OK/Yes/Apply buttons of the form's button boxes: what must not be pressed twice."""
    return [button for box in form.findChildren(QDialogButtonBox) for button in box.buttons()
            if box.buttonRole(button) in _ACCEPTING]


class Submission(QObject):
    """One kind of write a form makes; owned by the form, so a result for a closed form is dropped."""

    def __init__(self, form: QWidget, errors: FieldMessages, tasks: TaskRunner,
                 on_done: Callable[[Any], None], buttons: Sequence[QAbstractButton] | None = None,
                 on_failed: Callable[[], None] | None = None) -> None:
        super().__init__(form)
        self._form, self._errors, self._tasks = form, errors, tasks
        self._on_done, self._on_failed = on_done, on_failed
        self._buttons = list(buttons) if buttons is not None else accepting_buttons(form)
        self._disabled: list[QAbstractButton] = []
        self._started = False

    @property
    def running(self) -> bool:
        return self._started

    def start(self, call: Callable[[], Any]) -> bool:
        """Run ``call`` on the database worker; False (and nothing started) while the previous one runs."""
        if self._started:
            return False
        self._started = True
        self._disabled = [b for b in self._buttons if b.isEnabled()]
        for button in self._disabled:
            button.setEnabled(False)
        self._tasks.write(call, self._succeeded, self._failed)
        return True

    def wait(self) -> None:
        """Block until the write (and everything before it on the worker) is delivered: closing, tests."""
        self._tasks.wait()

    def _release(self) -> None:
        self._started = False
        for button in self._disabled:
            button.setEnabled(True)
        self._disabled = []

    def _succeeded(self, result: object) -> None:
        self._release()
        self._on_done(result)

    def _failed(self, exc: object) -> None:
        self._release()
        if isinstance(exc, DomainError):
            self._errors.show_message(getattr(exc, "field", None), exc.message)
        elif isinstance(exc, BaseException):
            show_error(self._form, exc)
        if self._on_failed is not None:
            self._on_failed()
