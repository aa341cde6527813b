"""GB/T 9704-2012 page geometry in PDF points; vertical positions count down from the top of the text block."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4

MM = 72 / 25.4
PAGE_W, PAGE_H = float(A4[0]), float(A4[1])
TOP = 37 * MM  # 天头
LEFT = 28 * MM  # 订口
WIDTH = 156 * MM  # 版心
HEIGHT = 225 * MM
LINES = 22
CHARS = 28

BODY = 16.0  # 3号
TITLE = 22.0  # 2号
SMALL = 14.0  # 4号: 版记, page numbers, table cells
PITCH = HEIGHT / LINES  # line pitch ≈ 28.99 pt: 22 lines fill the block
# The closest line pitch the last page of text may take to keep the signature and 成文日期 on it (GB/T 9704-2012
# 7.3.5.4, paginate): 24 lines in the block, two more than the grid, with 10 pt between the 3号 lines.
TIGHT_PITCH = 26.0
# Character pitch ≈ 15.79 pt, chosen so that 28 em boxes exactly span the block: the first starts on its left edge
# and the last ends on its right edge (a 16 pt em is wider than 156 mm / 28, as in WPS's compressed grid).
CELL = (WIDTH - BODY) / (CHARS - 1)
TRACK = CELL - BODY  # space added after each 3号 glyph to stay on the grid, ≈ −0.21 pt
EPS = 1e-6

RED = (0.86, 0.0, 0.0)


def snap(y: float) -> float:
    """The first grid line at or below ``y``."""
    n = int(y / PITCH)
    if y - n * PITCH > EPS * 1000:
        n += 1
    return n * PITCH


def to_pdf_y(y: float) -> float:
    """Block-relative ``y`` (down from the block top) → reportlab's page coordinate (up from the bottom)."""
    return PAGE_H - TOP - y
