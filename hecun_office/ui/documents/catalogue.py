"""Which forms the GUI offers where: every form of our side (the office's, or in county mode the bureau's) in the
文书 page, those drawing on a matter in a matter's 起草文书 menu — the advice first, it is the office's main output
(SPEC glossary); the list filter offers every form, since documents of the other side arrive by packet (S-5). And
the 送达回证 an issued document offers, filled in from it."""

from __future__ import annotations

from datetime import date
from typing import Any

from ...documents.forms import FormDef, Side
from ...services import documents
from ...services.database import Database
from ...services.documents import DocumentRow
from ...services.setup import read_profile

# The order a clerk reaches for them; forms an office adds come after, in file order.
PREFERRED = ("supervision_advice", "rectification_reminder", "escalation_report", "assistance_request",
             "clue_transfer", "service_receipt", "matter_register", "periodic_report", "annual_summary",
             "meeting_minutes", "review_report", "assistance_reply", "supervision_notice")
_MATTER_DATA = ("matter.", "related.")
RECEIPT_FORM = "service_receipt"


def _rank(form: FormDef) -> int:
    return PREFERRED.index(form.id) if form.id in PREFERRED else len(PREFERRED)


def own_side(db: Database) -> Side:
    profile = read_profile(db)
    return Side.BUREAU if profile is not None and profile.mode == "bureau" else Side.OFFICE


def own_forms(db: Database) -> list[FormDef]:
    """The forms this installation drafts and issues."""
    return sorted(documents.forms(own_side(db)), key=_rank)  # stable: file order among the unranked


def all_forms() -> list[FormDef]:
    return sorted(documents.forms(), key=_rank)


def matter_forms(db: Database) -> list[FormDef]:
    """Our forms filled from a matter's data (what 起草文书 on a matter offers)."""
    return [f for f in own_forms(db)
            if any(field.default_path and field.default_path.startswith(_MATTER_DATA) for field in f.fields)]


def receipt_values(db: Database, row: DocumentRow, today: date) -> dict[str, Any]:
    """A new 送达回证 for ``row``: the document's name and number, its addressee and, once served, how and when."""
    values = documents.draft_values(db, RECEIPT_FORM, row.matter_id, today)
    values.update(document_title=row.form_name, document_number=row.number)
    if row.values.get("unit"):
        values["addressee"] = row.values["unit"]
    if row.served_on is not None:
        values.update(method=row.service_method, served_on=row.served_on.isoformat())
    return values
