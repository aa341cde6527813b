"""Writes run on the database worker (ui/tasks.py): a test that clicks OK waits for the result before it looks."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from hecun_office.ui.operations import Submission


def settle(widget: QWidget) -> None:
    """Wait until every write ``widget`` (a window, page or dialog) started has finished and been delivered."""
    ctx = getattr(widget, "_ctx", None)
    if ctx is not None:
        ctx.tasks.wait()
    for submission in widget.findChildren(Submission):
        submission.wait()
