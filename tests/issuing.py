"""Documents the tests issue as a clerk would: draft from the matter, fill what the clerk types, 送审, 审核, 签发.
One helper for every test that needs an issued document (an escalation report moves its matter, S-7 packets)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hecun_office.services import documents
from hecun_office.services.audit import Actor
from hecun_office.storage.uow import Database


def filled(db: Database, form_id: str, matter_id: int | None, on: date, **given: Any) -> dict[str, Any]:
    """The drafted values, with what the clerk would type into the required fields left empty."""
    values = documents.draft_values(db, form_id, matter_id, on)
    values.update(given)
    for field in documents.form(form_id).fields:
        if field.required and values.get(field.name) in ("", None):
            values[field.name] = {"date": on.isoformat(), "number": 15}.get(
                field.type.value, field.choices[0] if field.choices else "见附件")
    return values


def issue_document(db: Database, drafter: Actor, reviewer: Actor, signer: Actor, form_id: str,
                   matter_id: int | None, on: date, **given: Any) -> int:
    """Draft → 送审 → 审核 → 签发 on ``on``; the matter moves with the document (escalate, transfer, request)."""
    doc = documents.create_draft(db, drafter, form_id, matter_id, filled(db, form_id, matter_id, on, **given), on)
    documents.submit(db, drafter, doc)
    documents.review(db, reviewer, doc, approve=True)
    documents.issue(db, signer, doc, on, today=on)
    return doc
