"""What goes on a page and how it is drawn: texts, rules, the masthead, the watermark and page numbers.

Items live in block coordinates (points down from the top-left corner of the text block); ``Painter`` converts
to reportlab's and draws every piece of text through ``FontSet.runs`` so missing glyphs fall back per character
and are recorded for the clerk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ..fonts import FontSet
from .breaking import squeezes
from .geometry import HEIGHT, LEFT, MM, PAGE_H, PAGE_W, PITCH, SMALL, TOP, WIDTH, to_pdf_y

Colour = tuple[float, float, float]
BLACK: Colour = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Text:
    """One run of text in one role, its first glyph at ``x`` from the block's left edge."""

    x: float
    text: str
    role: str = "仿宋"
    size: float = 16.0
    char_space: float = 0.0
    colour: Colour = BLACK
    scale: float = 100.0  # horizontal scaling in per cent (the masthead)


@dataclass
class Painter:
    canvas: Canvas
    fonts: FontSet
    missing: dict[str, set[str]] = field(default_factory=dict)  # role → characters drawn by a substitute or lost

    def text(self, t: Text, box_top: float) -> None:
        """Draw ``t`` with its em box's top edge at block-relative ``box_top``."""
        if not t.text:
            return
        lacking = self.fonts.missing_glyphs(t.text, t.role)
        if lacking:
            self.missing.setdefault(t.role, set()).update(lacking)
        baseline = box_top + t.size * (1 + self.fonts.descent(t.role))
        x, y = LEFT + t.x, to_pdf_y(baseline)
        obj = self.canvas.beginText()
        obj.setFillColorRGB(*t.colour)
        obj.setCharSpace(t.char_space)  # always: Tc outlives BT/ET and would leak into the next text
        if t.scale != 100.0:
            obj.setHorizScale(t.scale)
        em, k = t.size / 1000, t.scale / 100
        squeeze = squeezes(t.text, lambda ch: self.fonts.advance(ch, t.role) * em)
        index = 0
        for name, run in self.fonts.runs(t.text, t.role):
            obj.setFont(name, t.size)
            for piece in self._pieces(name, run):
                for part in _closed_up(piece, squeeze[index:index + len(piece)]):
                    x -= squeeze[index] * k  # 标点挤压: the mark before gave up its empty half
                    obj.setTextOrigin(x, y)
                    obj.textOut(part)
                    x += sum(self.fonts.advance(ch, t.role) * em + t.char_space for ch in part) * k
                    index += len(part)
        self.canvas.drawText(obj)

    def _pieces(self, name: str, text: str) -> list[str]:
        """``text`` cut where reportlab switches to the next 256-glyph subset of the font.

        Each piece is placed at its own origin: viewers add Tc after the last glyph of a string while pdfminer
        (pdfplumber) does not, so only absolute positions at every string put each glyph where the layout
        measured it for every reader.
        """
        font = pdfmetrics.getFont(name)
        if not isinstance(font, TTFont):
            return [text]
        lengths = [len(codes) for _, codes in font.splitString(text, self.canvas._doc)]
        pieces, start = [], 0
        for length in lengths:
            pieces.append(text[start:start + length])
            start += length
        return pieces

    def text_in_slot(self, t: Text, top: float, height: float = PITCH) -> None:
        """Centre the em box vertically in a slot (a grid line, a table line)."""
        self.text(t, top + (height - t.size) / 2)

    def rule(self, y: float, x0: float, x1: float, thickness: float, colour: Colour = BLACK) -> None:
        self.canvas.setStrokeColorRGB(*colour)
        self.canvas.setLineWidth(thickness)
        self.canvas.line(LEFT + x0, to_pdf_y(y), LEFT + x1, to_pdf_y(y))

    def vrule(self, x: float, y0: float, y1: float, thickness: float) -> None:
        self.canvas.setStrokeColorRGB(*BLACK)
        self.canvas.setLineWidth(thickness)
        self.canvas.line(LEFT + x, to_pdf_y(y0), LEFT + x, to_pdf_y(y1))

    def watermark(self, text: str) -> None:
        """Large light-grey text across the page at 45°, drawn first so everything else lies on top."""
        diagonal = math.hypot(PAGE_W, PAGE_H)
        size = min(150.0, 0.55 * diagonal / max(1, len(text)))
        width = self.fonts.width(text, "黑体", size)
        self.canvas.saveState()
        self.canvas.translate(PAGE_W / 2, PAGE_H / 2)
        self.canvas.rotate(45)
        obj = self.canvas.beginText(-width / 2, -size * 0.35)
        obj.setFillGray(0.86)
        for name, piece in self.fonts.runs(text, "黑体"):
            obj.setFont(name, size)
            obj.textOut(piece)
        self.canvas.drawText(obj)
        self.canvas.restoreState()

    def page_number(self, number: int) -> None:
        """GB/T 9704 7.5: "— N —" in 4号 宋体 7 mm below the block, odd pages right and even pages left, one
        character in from the block's edge."""
        label = f"— {number} —"
        width = self.fonts.width(label, "宋体", SMALL)
        x = WIDTH - SMALL - width if number % 2 else SMALL
        self.text(Text(x, label, "宋体", SMALL), HEIGHT + 7 * MM)


def _closed_up(piece: str, squeeze: list[float]) -> list[str]:
    """``piece`` cut before every glyph that is pulled left, so each such glyph gets its own origin."""
    cuts = [0, *(i for i in range(1, len(piece)) if squeeze[i]), len(piece)]
    return [piece[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def block_top_of_paper(y_from_paper_top: float) -> float:
    """A distance measured from the top edge of the paper (the letter masthead) in block coordinates."""
    return y_from_paper_top - TOP


def page_y(y_from_paper_bottom: float) -> float:
    """A distance measured up from the bottom edge of the paper, in block coordinates."""
    return PAGE_H - y_from_paper_bottom - TOP
