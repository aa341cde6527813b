"""T-6, U-6: the documents that wait for the person logged in — to review, to sign off, or sent back to them.

A pure read for the dashboard. Which lists a person gets follows the role table (domain/permissions.py): a role
that may review sees the documents in review, a role that may issue those approved; the drafter sees their own
drafts the reviewer sent back, with the reviewer's comment from the audit log (the return writes it nowhere else).
Documents received by packet (``office_code``) are read-only here and wait for nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..domain.documents import DocAction, DocStatus
from ..domain.permissions import Permission, allowed
from ..storage.models import AuditEntry, Document, Matter
from .audit import Actor
from .database import Database
from .documents import forms

RETURN_ACTION = f"document.{DocAction.RETURN.value}"


@dataclass(frozen=True)
class QueuedDocument:
    id: int
    form_name: str
    title: str
    matter_reg_no: str
    matter_title: str
    drafted_by: str
    since: datetime | None  # last change: sent for review, approved, or sent back
    returned_by: str = ""
    comment: str = ""  # the reviewer's reason for sending it back


@dataclass(frozen=True)
class MyQueue:
    to_review: tuple[QueuedDocument, ...]  # 待我审核
    to_issue: tuple[QueuedDocument, ...]  # 待我签发
    returned: tuple[QueuedDocument, ...]  # 被退回: my drafts sent back
    may_review: bool
    may_issue: bool

    @property
    def count(self) -> int:
        return len(self.to_review) + len(self.to_issue) + len(self.returned)


def documents_waiting_for(db: Database, actor: Actor) -> MyQueue:
    may_review = allowed(actor.role, Permission.DOCUMENT_REVIEW)
    may_issue = allowed(actor.role, Permission.DOCUMENT_ISSUE)
    names = {f.id: f.name for f in forms()}
    with db.uow() as session:
        def rows(*conditions: object) -> list[Document]:
            query = (select(Document).where(Document.office_code == "", *conditions)  # type: ignore[arg-type]
                     .order_by(Document.updated_at, Document.id))
            return list(session.scalars(query))

        waiting = rows(Document.status.in_(
            ([DocStatus.REVIEW.value] if may_review else []) + ([DocStatus.APPROVED.value] if may_issue else [])))
        drafts = rows(Document.status == DocStatus.DRAFT.value, Document.drafted_by == actor.name)
        returns: dict[str, AuditEntry] = {}
        if drafts:
            entries = session.scalars(select(AuditEntry).where(
                AuditEntry.entity == "document", AuditEntry.action == RETURN_ACTION,
                AuditEntry.entity_id.in_([d.uuid for d in drafts])).order_by(AuditEntry.id))
            returns = {e.entity_id: e for e in entries}  # the latest return of each
        sent_back = [d for d in drafts if d.uuid in returns]
        ids = {d.matter_id for d in waiting + sent_back if d.matter_id is not None}
        about: dict[int, tuple[str, str]] = {}  # matter id -> (reg_no, title)
        if ids:
            about = {int(i): (str(n), str(t)) for i, n, t in session.execute(
                select(Matter.id, Matter.reg_no, Matter.title).where(Matter.id.in_(ids))).all()}

        def queued(doc: Document, entry: AuditEntry | None = None) -> QueuedDocument:
            reg_no, title = about.get(doc.matter_id or 0, ("", ""))
            return QueuedDocument(
                doc.id, names.get(doc.form_id, doc.form_id), doc.title, reg_no, title, doc.drafted_by or "", entry.at if entry is not None else doc.updated_at,
                entry.actor if entry is not None else "",
                str(entry.detail.get("comment", "")) if entry is not None else "")

        return MyQueue(
            to_review=tuple(queued(d) for d in waiting if d.status == DocStatus.REVIEW.value),
            to_issue=tuple(queued(d) for d in waiting if d.status == DocStatus.APPROVED.value),
            returned=tuple(queued(d, returns[d.uuid]) for d in sent_back),
            may_review=may_review, may_issue=may_issue)
