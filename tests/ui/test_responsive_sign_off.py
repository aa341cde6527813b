"""SPEC N-2 through the real editor: the window stays responsive while an advice is signed off.

签发 typesets the final PDF inside the service (documents.issue); on the GUI thread that froze the window for
133–214 ms. Now the write runs on the database worker, so a 10 ms ticker on the GUI thread must never wait more
than 50 ms from the click on 签发 until the result is back on screen (the document read back, the message open).

With its fonts cached a sign-off takes some 30 ms on the development machine, too quick for a stall to show even
on the GUI thread. So the service is made as slow as the office PCs measured: after the real sign-off it keeps
the Python interpreter busy for another 150 ms, holding the GIL as the typesetter does, and the GUI thread must
still get its turn. (Run ``documents.issue`` in IssueDialog.submit directly and this test fails.)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from hecun_office.services import documents
from hecun_office.services.audit import Actor
from hecun_office.services.database import Database
from hecun_office.ui.context import UiContext
from hecun_office.ui.documents.action_dialogs import IssueDialog
from hecun_office.ui.documents.editor_dialog import EditorDialog
from hecun_office.ui.tasks import TaskRunner

from .conftest import TODAY, add_account, click_center, pinned_today, visible_child
from .test_documents_ui import verifying_matter, wait_preview

pytestmark = pytest.mark.gui
TICK_MS = 10
MAX_GAP_MS = 50
SLOW_PC_EXTRA_S = 0.15  # 133–214 ms were measured for a sign-off before the font cache
RESULT_TIMEOUT = 20_000


class Ticker(QObject):
    """A timer on the GUI thread noting when it fires: a gap between two notes is a time the window was frozen."""

    def __init__(self) -> None:
        super().__init__()
        self.stamps: list[float] = []
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.stamps.append(time.perf_counter())

    def start(self) -> None:
        self.stamps = [time.perf_counter()]
        self._timer.start()

    def stop(self) -> None:
        self._tick()
        self._timer.stop()

    def gaps_ms(self) -> list[float]:
        return [(later - earlier) * 1000 for earlier, later in zip(self.stamps, self.stamps[1:], strict=False)]


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.wait()


def approved_advice(db: Database) -> tuple[int, Actor]:
    """An advice drafted and sent by a clerk, approved by the director, who is to sign it off."""
    clerk = add_account(db, "zhang", "张晓", "clerk")
    signer = add_account(db, "li", "李志明", "signer")
    matter_id = verifying_matter(db, clerk)
    doc_id = documents.create_draft(db, clerk, "supervision_advice", matter_id,
                                    documents.draft_values(db, "supervision_advice", matter_id, TODAY), TODAY)
    documents.submit(db, clerk, doc_id)
    documents.review(db, signer, doc_id, approve=True)
    return doc_id, signer


def issue_on_a_slow_pc(*args: Any, **kwargs: Any) -> list[str]:
    alerts = REAL_ISSUE(*args, **kwargs)
    end = time.perf_counter() + SLOW_PC_EXTRA_S
    while time.perf_counter() < end:  # Python bytecode, like reportlab's layout: the GIL is held, in turns
        pass
    return alerts


REAL_ISSUE = documents.issue


def test_the_window_stays_responsive_while_an_advice_is_signed_off(qtbot, db, runner, monkeypatch):
    monkeypatch.setattr(documents, "issue", issue_on_a_slow_pc)
    doc_id, signer = approved_advice(db)
    ctx = UiContext(db=db, today=pinned_today, actor=signer, tasks=runner)
    editor = EditorDialog.for_document(ctx, doc_id)
    qtbot.addWidget(editor)
    editor.show()
    wait_preview(qtbot, editor)  # the fonts are loaded: what is timed is the sign-off, not the first typesetting
    click_center(qtbot, editor.issue_button)
    issue = visible_child(qtbot, editor, IssueDialog)
    ticker = Ticker()

    ticker.start()
    click_center(qtbot, issue.ok_button)
    qtbot.waitUntil(lambda: editor.row is not None and editor.row.status == "issued", timeout=RESULT_TIMEOUT)
    box = visible_child(qtbot, editor, QMessageBox)
    ticker.stop()

    assert editor.row is not None and editor.row.number == "贺司建〔2026〕1号" and "贺司建〔2026〕1号" in box.text()
    gaps = ticker.gaps_ms()
    assert len(gaps) >= SLOW_PC_EXTRA_S * 1000 / MAX_GAP_MS, gaps  # the ticker ran all the while
    assert max(gaps) <= MAX_GAP_MS, f"the GUI thread stalled {max(gaps):.0f} ms during the sign-off: {gaps}"
    box.accept()
    editor.reject()
