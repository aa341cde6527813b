"""How dates and counts read on screen (SPEC U-1: 2026-11-21 in tables, 2026年11月21日 in prose)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from ..domain.i18n import LABELS
from ..domain.vocab import Labelled
from ..services.obligations import ObligationRow
from ..workdays import weekday_name


def _tr(text: str) -> str:
    return QCoreApplication.translate("formatting", text)


def vocab_text(label: Labelled | str) -> str:
    """What the UI shows for a vocabulary label (SPEC U-1): a Labelled member, or a label a service row carries
    (``row.status_label``), translated in the vocabularies' context; the Chinese label is the source text."""
    text = label.label if isinstance(label, Labelled) else label
    return QCoreApplication.translate(LABELS, text) if text else text


FORMS = "forms"  # the translation context of the forms' names, labels and hints (tools/translations.py)


def form_text(text: str) -> str:
    """What the UI shows for a form's name, a field's label or hint from forms/*.toml (SPEC U-1); the PDF keeps the
    Chinese source."""
    return QCoreApplication.translate(FORMS, text) if text else text


def vocab_choices(vocabulary: type[Labelled]) -> list[tuple[str, str]]:
    """``vocabulary.choices()`` for a combo box: (code, label as shown)."""
    return [(code, vocab_text(label)) for code, label in vocabulary.choices()]


def table_date(d: date | None) -> str:
    return d.isoformat() if d else ""


def long_date(d: date) -> str:
    return _tr("{y}年{m}月{d}日 {weekday}").format(y=d.year, m=d.month, d=d.day, weekday=weekday_name(d))


def days_left_text(row: ObligationRow) -> str:
    if row.status not in ("open", "overdue"):
        return "—"
    n = row.working_days_left
    if n < 0:
        return _tr("逾期 {n} 个工作日").format(n=-n)
    if n == 0:
        return _tr("今日到期") if row.status == "open" else _tr("已逾期")
    return _tr("{n} 个工作日").format(n=n)


def urgency(row: ObligationRow) -> str:
    """T-5 colours: "overdue" (red), "soon" (amber, due within 1 working day) or "" (normal)."""
    if row.status == "overdue":
        return "overdue"
    if row.status == "open" and row.working_days_left <= 1:
        return "soon"
    return ""
