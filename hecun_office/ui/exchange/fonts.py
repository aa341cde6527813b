"""A fingerprint on screen: fixed pitch and large, so that eight groups can be read out over the phone."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase


def fingerprint_font(point_size: int) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setPointSize(point_size)
    font.setBold(True)
    return font


def fingerprint_lines(shown: str) -> str:
    """DC3E 729A 48E3 B418 2BC9 … → two lines of four groups, a wider gap between groups."""
    groups = shown.split()
    return "\n".join("  ".join(groups[i:i + 4]) for i in range(0, len(groups), 4))
