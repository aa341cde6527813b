"""Which forms the GUI offers where: every office-side form in the 文书 page, those drawing on a matter in a
matter's 起草文书 menu — the advice first, it is the office's main output (SPEC glossary)."""

from __future__ import annotations

from ...documents.forms import FormDef, Side
from ...services import documents

# The order a clerk reaches for them; forms an office adds come after, in file order.
PREFERRED = ("supervision_advice", "rectification_reminder", "escalation_report", "assistance_request",
             "clue_transfer", "service_receipt", "matter_register", "periodic_report", "annual_summary",
             "meeting_minutes")
_MATTER_DATA = ("matter.", "related.")


def _rank(form: FormDef) -> int:
    return PREFERRED.index(form.id) if form.id in PREFERRED else len(PREFERRED)


def office_forms() -> list[FormDef]:
    return sorted(documents.forms(Side.OFFICE), key=_rank)  # stable: file order among the unranked


def matter_forms() -> list[FormDef]:
    """Office forms filled from a matter's data (what 起草文书 on a matter offers)."""
    return [f for f in office_forms()
            if any(field.default_path and field.default_path.startswith(_MATTER_DATA) for field in f.fields)]
