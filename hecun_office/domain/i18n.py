"""Translation markers for Qt-free modules (SPEC U-1): the domain and the services cannot import Qt.

The labels of the closed vocabularies (every ``Labelled`` member: statuses, sources, categories, roles, ...) are
collected by tools/translations.py into the translation catalogue in the context ``LABELS`` and shown by the UI
through ``hecun_office.ui.formatting.vocab_text``; their Chinese source stays what documents, ledgers, packets and
the command line print. Other texts of these modules that the UI shows are marked with ``QT_TRANSLATE_NOOP``
(same name and arguments as Qt's, which lupdate and tools/translations.py recognise) and translated where shown.
"""

from __future__ import annotations

LABELS = "vocab"  # the translation context of every vocabulary label


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 - the translation tools find it by this name
    """Mark ``source`` for translation in ``context`` and return it untranslated."""
    return source
