"""Change notices (STYLE.md habit 4b): a write through the runner is broadcast once, and only the pages that show
what it changed read again — on the GUI thread nothing else is read."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial

import pytest
from people import add_director
from PySide6.QtCore import QObject
from sqlalchemy import event

from hecun_office.services import documents, matters, templates
from hecun_office.services.audit import Actor
from hecun_office.services.changes import Changes, collecting
from hecun_office.services.matters import TransitionInput
from hecun_office.storage.models import User
from hecun_office.storage.uow import Database
from hecun_office.ui.main_window import DASHBOARD, DOCUMENTS, MATTERS, MainWindow

from .conftest import TODAY
from .waiting import settle

pytestmark = pytest.mark.gui



def _approved_advice(db: Database, clerk: Actor, director: Actor) -> tuple[int, int]:
    t = next(t for t in templates.list_templates(db) if t.name == "占道经营处罚未告知陈述申辩权")
    data = templates.matter_from_template(t, TODAY, [matters.list_units(db)[1].id])
    reg = matters.register_matter(db, clerk, data, today=TODAY)
    matters.transition_matter(db, clerk, reg.id, TransitionInput("start_verification", TODAY), today=TODAY)
    values = documents.draft_values(db, "supervision_advice", reg.id, TODAY)
    doc = documents.create_draft(db, clerk, "supervision_advice", reg.id, values, TODAY)
    documents.submit(db, clerk, doc)
    documents.review(db, director, doc, approve=True)
    return reg.id, doc


@contextmanager
def gui_thread_selects(db: Database) -> Iterator[list[str]]:
    """Every SELECT run on this (the GUI) thread while the block runs."""
    seen: list[str] = []
    gui = threading.get_ident()

    def count(_conn, _cursor, statement: str, *_args) -> None:
        if threading.get_ident() == gui and statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


class Refreshes:
    """Counts calls of each page's refresh (wrapping the bound methods the window calls)."""

    def __init__(self, window: MainWindow) -> None:
        self.calls: Counter[str] = Counter()
        pages = {"dashboard": window.dashboard, "matter_list": window.matters.list_page,
                 "matter_detail": window.matters.detail_page, "documents": window.documents,
                 "obligations": window.obligations, "settings": window.settings, "exchange": window.exchange}
        for name, page in pages.items():
            page.refresh = partial(self._counted, name, page.refresh)  # type: ignore[method-assign]
        window.refresh_status = partial(self._counted, "status_bar", window.refresh_status)  # type: ignore[method-assign]

    def _counted(self, name: str, original, *args, **kwargs):
        self.calls[name] += 1
        return original(*args, **kwargs)


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.broadcast: list[Changes] = []
        self.outcomes: list[object] = []

    def changed(self, changes: Changes) -> None:
        self.broadcast.append(changes)

    def done(self, outcome: object) -> None:
        self.outcomes.append(outcome)


def sign_off(window: MainWindow, db: Database, director: Actor, doc_id: int) -> list[Changes]:
    """签发 through the window's runner, as the editor does; returns what was broadcast."""
    receiver = Receiver()
    window._ctx.tasks.changed.connect(receiver.changed)
    window._ctx.tasks.write(partial(documents.issue, db, director, doc_id, TODAY, TODAY), receiver.done,
                            receiver.done)
    settle(window)
    window._ctx.tasks.changed.disconnect(receiver.changed)
    [alerts] = receiver.outcomes  # signed off: the issue's own reminder, not an exception
    assert isinstance(alerts, list) and "送达" in alerts[0]
    return receiver.broadcast


def test_a_sign_off_is_broadcast_once_and_only_the_shown_page_reads_again(qtbot, window, db):
    director = add_director(db)
    matter_id, doc_id = _approved_advice(db, window._ctx.actor, director)
    window.show_page(DOCUMENTS)
    settle(window)  # the window's own start-up writes (periodic-report obligations) are not part of this
    refreshes = Refreshes(window)
    with gui_thread_selects(db) as selects:
        [changes] = sign_off(window, db, director, doc_id)
    # What the write touched, as the unit of work saw it.
    assert changes.documents == {doc_id} and matter_id in changes.matters
    assert {"documents", "document_files", "matters", "matter_events", "obligations"} <= changes.tables
    # Only the 文书 page is on screen: it alone reads again, once; the hidden pages wait until they are shown.
    assert refreshes.calls == Counter({"documents": 1})
    with gui_thread_selects(db) as one_refresh:
        window.documents.refresh()
    assert len(selects) == len(one_refresh) > 0  # nothing but that page's own reads on the GUI thread
    row = next(r for r in window.documents.model.rows() if r.id == doc_id)
    assert row.number == "贺司建〔2026〕1号"

    window.show_page(DASHBOARD)  # shown: read now, as it is
    assert refreshes.calls["dashboard"] == 1


def test_the_matter_detail_reads_again_only_for_its_own_matter(qtbot, window, db):
    director = add_director(db)
    shown_matter, _ = _approved_advice(db, window._ctx.actor, director)
    _, other_doc = _approved_advice(db, window._ctx.actor, director)
    window.show_page(MATTERS)
    window.matters.show_matter(shown_matter)
    settle(window)
    refreshes = Refreshes(window)
    sign_off(window, db, director, other_doc)
    # Another matter's advice: the detail shown stays as it is; the list under it (Esc goes back) lists both.
    assert refreshes.calls == Counter({"matter_list": 1})

    doc = documents.create_draft(db, window._ctx.actor, "supervision_advice", shown_matter,
                                 documents.draft_values(db, "supervision_advice", shown_matter, TODAY), TODAY)
    documents.submit(db, window._ctx.actor, doc)
    documents.review(db, director, doc, approve=True)
    sign_off(window, db, director, doc)
    assert refreshes.calls == Counter({"matter_list": 2, "matter_detail": 1})
    assert window.matters.detail_page.status.text() == "建议书已制发"


def test_a_rolled_back_write_reports_nothing_and_outside_the_runner_nothing_is_collected(db):
    with collecting() as collected:
        with pytest.raises(RuntimeError):
            with db.uow() as session:
                session.add(User(username="x", display_name="某", role="clerk", password_hash=None,
                                 created_at=datetime(2026, 3, 2)))
                session.flush()
                raise RuntimeError("rolled back")
        assert not collected.changes
        with db.uow() as session:
            session.add(User(username="y", display_name="某", role="clerk", password_hash=None,
                             created_at=datetime(2026, 3, 2)))
    assert collected.changes.tables == {"users"}  # only what committed


def test_a_packet_like_bulk_write_counts_as_touching_every_matter(db):
    from sqlalchemy import update

    from hecun_office.storage.models import Matter
    with collecting() as collected:
        with db.uow() as session:
            session.execute(update(Matter).where(Matter.id < 0).values(title="x"))
    changes = collected.changes
    assert "matters" in changes.bulk and changes.touches_matter(12345)
    # A document written row by row touches its own matter only (the matter id comes with it).
    assert not Changes(tables=frozenset({"documents"}), documents=frozenset({1})).touches_matter(7)
