"""What a write changed, collected by the unit of work itself (STYLE.md habit 4b).

Every write that the GUI starts runs inside ``collecting()`` on the database worker. Session events note, for each
flush, which tables were written and which matters and documents were touched; the notes of a session count only
once it commits (a rolled-back unit of work changed nothing). The caller gets one ``Changes`` for the whole use
case — however many units of work it used — and the window broadcasts it to the pages.

Collecting here rather than in each service means a service cannot forget to report a change: whatever reaches
the database through the session is in the notice. Outside ``collecting()`` (the CLI, tests) nothing is recorded.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

_INFO_KEY = "hecun_pending_changes"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changes:
    """Tables written, and the matters and documents whose rows (or rows that belong to them) were written.

    ``bulk`` names tables changed by statements whose rows are not known one by one (a packet import inserts
    thousands of matters with one statement): for those, every row must be taken as changed.
    """

    tables: frozenset[str] = frozenset()
    matters: frozenset[int] = frozenset()
    documents: frozenset[int] = frozenset()
    bulk: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.tables)

    def touches(self, tables: Iterable[str]) -> bool:
        return not self.tables.isdisjoint(tables)

    def touches_matter(self, matter_id: int) -> bool:
        return matter_id in self.matters or not self.bulk.isdisjoint(_MATTER_TABLES)


# Tables whose rows belong to a matter (through matter_id).
_MATTER_TABLES = frozenset({"matters", "matter_events", "matter_units", "obligations", "attachments", "documents",
                            "matter_refs"})


@dataclass
class _Notes:
    tables: set[str] = field(default_factory=set)
    matters: set[int] = field(default_factory=set)
    documents: set[int] = field(default_factory=set)
    bulk: set[str] = field(default_factory=set)

    def add(self, other: _Notes) -> None:
        self.tables |= other.tables
        self.matters |= other.matters
        self.documents |= other.documents
        self.bulk |= other.bulk

    def frozen(self) -> Changes:
        return Changes(frozenset(self.tables), frozenset(self.matters), frozenset(self.documents),
                       frozenset(self.bulk))


_collector: ContextVar[_Notes | None] = ContextVar("hecun_change_collector", default=None)


class Collected:
    """Filled while ``collecting()`` runs; ``changes`` is valid after it (also when the use case failed part-way:
    what its earlier units of work committed stays committed, and the pages must show it)."""

    def __init__(self) -> None:
        self._notes = _Notes()

    @property
    def changes(self) -> Changes:
        return self._notes.frozen()


@contextmanager
def collecting() -> Iterator[Collected]:
    collected = Collected()
    token = _collector.set(collected._notes)
    try:
        yield collected
    finally:
        _collector.reset(token)


def _pending(session: Session) -> _Notes | None:
    if _collector.get() is None:
        return None
    notes = session.info.get(_INFO_KEY)
    if notes is None:
        notes = session.info[_INFO_KEY] = _Notes()
    return notes


def _note_object(notes: _Notes, obj: Any) -> None:
    table = getattr(obj, "__tablename__", None)
    if table is None:
        return
    notes.tables.add(table)
    ident = getattr(obj, "id", None)
    if table == "matters" and ident is not None:
        notes.matters.add(ident)
    elif table == "documents" and ident is not None:
        notes.documents.add(ident)
    matter_id = getattr(obj, "matter_id", None)
    if isinstance(matter_id, int):
        notes.matters.add(matter_id)
    document_id = getattr(obj, "document_id", None)
    if isinstance(document_id, int):
        notes.documents.add(document_id)


# --- no write on the GUI thread (STYLE.md habit 4) --------------------------------------------------------------
class GuiThreadWrite(RuntimeError):
    """A bug: code of the user interface wrote to the database on the GUI thread instead of through the runner."""


@dataclass
class _Guard:
    thread: int
    ui_prefix: str
    strict: bool


_guard: _Guard | None = None


def guard_gui_thread(ui_package_dir: str, strict: bool) -> None:
    """From now on a write on this thread made by code under ``ui_package_dir`` is a bug: logged, and raised when
    ``strict`` (the tests). Writes on this thread by other callers — the composition root before the window, a
    test's own set-up — are not the window's doing and pass."""
    global _guard
    _guard = _Guard(threading.get_ident(), os.path.join(ui_package_dir, ""), strict)


def _on_guarded_thread() -> bool:
    guard = _guard
    return guard is not None and threading.get_ident() == guard.thread


def _check_gui_thread(what: str) -> None:
    guard = _guard
    if guard is None or not _on_guarded_thread():
        return
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith(guard.ui_prefix):
            where = f"{frame.f_code.co_filename}:{frame.f_lineno} {frame.f_code.co_name}"
            message = f"界面线程上写入了数据库（{what}，来自 {where}）：写操作应交给后台任务执行"
            log.error(message)
            if guard.strict:
                raise GuiThreadWrite(message)
            return
        frame = frame.f_back  # type: ignore[assignment]


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    # Every flush passes here: the walk over the dirty objects only on the guarded (GUI) thread.
    if _on_guarded_thread() and (session.new or session.deleted
                                 or any(session.is_modified(o) for o in session.dirty)):
        _check_gui_thread("flush")


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    notes = _pending(session)
    if notes is None:
        return
    for obj in session.new:
        _note_object(notes, obj)
    for obj in session.deleted:
        _note_object(notes, obj)
    for obj in session.dirty:
        if session.is_modified(obj):
            _note_object(notes, obj)


@event.listens_for(Session, "do_orm_execute")
def _statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    _check_gui_thread("statement")
    notes = _pending(state.session)
    if notes is None:
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name:
        notes.tables.add(name)
        notes.bulk.add(name)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    notes = session.info.pop(_INFO_KEY, None)
    collector = _collector.get()
    if notes is not None and collector is not None:
        collector.add(notes)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_INFO_KEY, None)
