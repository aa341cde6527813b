"""Typed translation markers: import QT_TRANSLATE_NOOP from here, not from PySide6.QtCore.

PySide6's QT_TRANSLATE_NOOP is typed ``(object, object) -> object``, so every header table or tooltip built with
it hands ``object`` to code that wants ``str``. This one has the same name and arguments — lupdate recognises
the call by its name, whichever module it comes from — and returns the source text unchanged, as Qt's does;
the text is translated where it is shown, with ``QCoreApplication.translate(context, text)``.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 - lupdate finds the call by this name
    """Mark ``source`` for translation in ``context`` and return it untranslated."""
    return source
