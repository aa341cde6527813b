"""T-6, U-6 (issue 11.3): the dashboard shows the documents waiting for the person logged in — 待我审核 for a
reviewer, 待我签发 for the director, 被退回 with the reviewer's comment for the drafter — and a double-click opens
the document in the editor."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hecun_office.services import documents, matters, templates
from hecun_office.services.audit import Actor
from hecun_office.services.matters import TransitionInput
from hecun_office.storage.uow import Database
from hecun_office.ui.dashboard.dashboard_view import TableSection
from hecun_office.ui.dashboard.queue_table import COL_COMMENT, COL_RETURNED_BY
from hecun_office.ui.documents.editor_dialog import EditorDialog

from .conftest import TODAY, add_account, open_window, visible_child
from .waiting import settle

pytestmark = pytest.mark.gui
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _advice(db: Database, clerk: Actor) -> int:
    template = next(t for t in templates.list_templates(db) if t.name == "占道经营处罚未告知陈述申辩权")
    day = TODAY - timedelta(days=3)
    reg = matters.register_matter(db, clerk, templates.matter_from_template(template, day,
                                                                            [matters.list_units(db)[1].id]), today=TODAY)
    matters.transition_matter(db, clerk, reg.id, TransitionInput("start_verification", day), today=TODAY)
    values = documents.draft_values(db, "supervision_advice", reg.id, TODAY)
    return documents.create_draft(db, clerk, "supervision_advice", reg.id, values, TODAY)


@pytest.fixture
def people(db: Database) -> dict[str, Actor]:
    return {"clerk": add_account(db, "li", "李明", "clerk"), "reviewer": add_account(db, "chen", "陈静", "reviewer"),
            "director": add_account(db, "zhao", "赵建国", "signer")}


def _ids(section: TableSection) -> list[int]:
    return [row.id for row in section.model.rows()]


def _grab(window, name: str) -> None:
    window.resize(1366, 768)
    SCREENSHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SCREENSHOTS / name))


def test_the_reviewer_the_director_and_the_drafter_each_see_what_waits_for_them(qtbot, db, people):
    clerk, reviewer, director = people["clerk"], people["reviewer"], people["director"]
    in_review, approved, returned, _draft = (_advice(db, clerk) for _ in range(4))
    for doc in (in_review, approved, returned):
        documents.submit(db, clerk, doc)
    documents.review(db, reviewer, approved, approve=True)
    documents.review(db, reviewer, returned, approve=False, comment="请写明违反的具体条款。")

    win = open_window(qtbot, db, reviewer)
    board = win.dashboard
    assert board.to_review.isVisible() and not board.to_issue.isVisible() and not board.returned.isVisible()
    assert board.to_review.title.text() == "待我审核（1）" and _ids(board.to_review) == [in_review]
    assert "1 份文书待您审核" in board.summary.text()
    _grab(win, "issue11-dashboard-reviewer.png")
    # double-click opens it in the editor, ready to review
    table = board.to_review.table
    rect = table.visualRect(board.to_review.model.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = visible_child(qtbot, board, EditorDialog)
    assert editor.doc_id == in_review and editor.approve_button.isEnabled()
    editor.reject()
    # passed on the worker: the change notice takes it off the reviewer's list
    results: list[object] = []
    win._ctx.tasks.write(partial(documents.review, db, reviewer, in_review, True), results.append, results.append)
    settle(win)
    assert results == [None]
    assert _ids(board.to_review) == [] and board.to_review.empty.isVisible()
    win.close()

    win = open_window(qtbot, db, director)
    board = win.dashboard
    assert board.to_review.isVisible() and board.to_issue.isVisible()
    assert board.to_issue.title.text() == "待我签发（2）" and sorted(_ids(board.to_issue)) == [in_review, approved]
    _grab(win, "issue11-dashboard-director.png")
    win.close()

    win = open_window(qtbot, db, clerk)
    board = win.dashboard
    assert not board.to_review.isVisible() and not board.to_issue.isVisible()
    assert board.returned.isVisible() and _ids(board.returned) == [returned]
    model = board.returned.model
    assert model.index(0, COL_RETURNED_BY).data() == "陈静"
    assert model.index(0, COL_COMMENT).data() == "请写明违反的具体条款。"
    assert "1 份文稿被退回待修改" in board.summary.text()
    _grab(win, "issue11-dashboard-clerk.png")
    win.close()
