"""The pieces a page is made of. Flow items are stacked by ``paginate``; the page-one header uses the same
classes at fixed positions."""

from __future__ import annotations

from dataclasses import dataclass, field

from .breaking import LineText
from .geometry import EPS, HEIGHT, MM, PITCH, RED, SMALL, WIDTH
from .paint import BLACK, Colour, Painter, Text

# How firmly an item holds on to the next one. Every link is honoured while a chain fits on a page; a chain
# taller than a fresh page gives up its weakest links first (title → body before heading → text before the
# signature's hold on the last lines of text).
FREE, WEAK, KEEP, FIRM = 0, 1, 2, 3

THICK = 0.35 * MM  # 版记 first and last rule (GB/T 9704 7.4.1)
THIN = 0.25 * MM


@dataclass(kw_only=True, eq=False)
class Item:
    height: float = PITCH
    grid: bool = True  # the item's top sits on a line of the grid
    blank: bool = False  # dropped when it would open a page
    keep: int = FREE  # strength of the bond to the next item
    signature: bool = False  # 署名 or 成文日期 (or the seal's room above them): may tighten its page (paginate)

    def paint(self, painter: Painter, top: float) -> None:
        """Draw with the item's top edge at block-relative ``top``."""

    def split(self, room: float) -> tuple[Item, Item] | None:
        """A head no taller than ``room`` and the rest, for an item taller than a page; None if it cannot."""
        return None


@dataclass(kw_only=True, eq=False)
class Blank(Item):
    blank: bool = True


@dataclass(kw_only=True, eq=False)
class Line(Item):
    """One grid line of text (possibly several runs, e.g. 签发人： in 仿宋 and the name in 楷体)."""

    texts: list[Text]

    def paint(self, painter: Painter, top: float) -> None:
        for text in self.texts:
            painter.text_in_slot(text, top, self.height)


@dataclass(kw_only=True, eq=False)
class Masthead(Item):
    """发文机关标志: red, centred; its top edge is where the item is placed."""

    text: str
    size: float
    scale: float
    x: float

    def paint(self, painter: Painter, top: float) -> None:
        painter.text(Text(self.x, self.text, "小标宋", self.size, 0.0, RED, self.scale), top)


@dataclass(kw_only=True, eq=False)
class Rule(Item):
    """A horizontal rule, or a pair of them (信函格式 double rule), measured from its top edge."""

    x0: float = 0.0
    x1: float = WIDTH
    strokes: tuple[float, ...] = (1.5,)  # thickness of each line, top to bottom
    gap: float = 1.0
    colour: Colour = RED

    def paint(self, painter: Painter, top: float) -> None:
        y = top
        for thickness in self.strokes:
            painter.rule(y + thickness / 2, self.x0, self.x1, thickness, self.colour)
            y += thickness + self.gap


@dataclass(kw_only=True, eq=False)
class Imprint(Item):
    """版记 at the foot of the last page: 抄送 lines, then 印发机关 left and 印发日期 right, between rules; the
    last rule lies on the bottom edge of the block whatever the item's place in the flow."""

    cc: list[LineText] = field(default_factory=list)
    printed_by: str = ""
    printed_date: str = ""
    rules: bool = True  # letters carry only the 抄送 lines (GB/T 9704 10.1)

    def paint(self, painter: Painter, top: float) -> None:
        printed = bool(self.printed_by or self.printed_date) and self.rules
        y = HEIGHT - self.height
        if self.rules:
            painter.rule(y, 0, WIDTH, THICK)
        for line in self.cc:
            painter.text_in_slot(Text(line.x, line.text, "仿宋", SMALL, line.char_space), y)
            y += PITCH
        if printed:
            if self.cc:
                painter.rule(y, 0, WIDTH, THIN)
            painter.text_in_slot(Text(SMALL, self.printed_by, "仿宋", SMALL), y)
            width = painter.fonts.width(self.printed_date, "仿宋", SMALL)
            painter.text_in_slot(Text(WIDTH - SMALL - width, self.printed_date, "仿宋", SMALL), y)
        if self.rules:
            painter.rule(HEIGHT, 0, WIDTH, THICK)


@dataclass(frozen=True)
class CellBox:
    x0: float
    x1: float
    lines: list[LineText]  # x relative to the cell's inner left edge
    role: str
    first: float  # vertical offset of the first line, in table lines


@dataclass(kw_only=True, eq=False)
class TableRow(Item):
    """One row of a ruled grid spanning the block, ``lines`` table lines tall plus padding."""

    grid: bool = False
    cells: list[CellBox]
    lines: int
    size: float
    line_pitch: float
    pad_x: float
    pad_y: float
    rule: float = 0.75

    def __post_init__(self) -> None:
        self.height = self.lines * self.line_pitch + 2 * self.pad_y

    def split(self, room: float) -> tuple[Item, Item] | None:
        """Cut between text lines (a row this tall has its text at the top of every cell)."""
        head = int((room - 2 * self.pad_y + EPS) // self.line_pitch)
        if head < 1 or head >= self.lines:
            return None
        parts = []
        for start, count in ((0, head), (head, self.lines - head)):
            cells = [CellBox(c.x0, c.x1, c.lines[start:start + count], c.role, 0.0) for c in self.cells]
            parts.append(TableRow(cells=cells, lines=count, size=self.size, line_pitch=self.line_pitch,
                                  pad_x=self.pad_x, pad_y=self.pad_y, rule=self.rule, keep=self.keep))
        return parts[0], parts[1]

    def paint(self, painter: Painter, top: float) -> None:
        bottom = top + self.height
        painter.rule(top, 0, WIDTH, self.rule, BLACK)
        painter.rule(bottom, 0, WIDTH, self.rule, BLACK)
        for cell in self.cells:
            painter.vrule(cell.x0, top, bottom, self.rule)
            for i, line in enumerate(cell.lines):
                slot = top + self.pad_y + (cell.first + i) * self.line_pitch
                text = Text(cell.x0 + self.pad_x + line.x, line.text, cell.role, self.size, line.char_space)
                painter.text_in_slot(text, slot, self.line_pitch)
        painter.vrule(WIDTH, top, bottom, self.rule)
