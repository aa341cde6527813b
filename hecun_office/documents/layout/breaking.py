"""Line breaking on the character grid with the Chinese 避头尾 rules (GB/T 15834 punctuation placement).

Widths are measured, not assumed, so Latin digits and letters take their own width; a line is full when the next
glyph's em box would cross the right edge. Lines that end early (because of 避头尾 or a long Latin word) are
justified, so the right edge of a paragraph stays straight the way WPS sets it.

Two marks side by side are closed up (标点挤压): a full-width mark fills only half of its cell, and where the
empty halves of two neighbours would meet, one of them is squeezed out, as WPS, Word and xeCJK set 》。 or ”，.
``squeezes`` is the one rule; the breaking, the measuring and the painter all use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations

from .geometry import EPS

# No line starts with a pause or stop mark or a closing bracket/quote; none ends with an opening one.
NO_START = frozenset("，。、；：？！）》」』〕】〉”’·%‰,.;:?!)]}")
NO_END = frozenset("（《「『〔【〈“‘([{")
_UNSPLIT = frozenset("—…")  # —— and …… are one mark in two cells
# Where the glyph of a full-width mark sits in its cell (GB/T 15834 and the mainland fonts): pauses, stops and
# closing marks on the left half, opening marks on the right half.
CLOSING = frozenset("，。、；：？！）》」』〕】〉〗］｝”’")
OPENING = frozenset("（《「『〔【〈〖［｛“‘")
_MARKS = CLOSING | OPENING


@dataclass(frozen=True)
class LineText:
    text: str
    x: float  # start of the first glyph, from the block's left edge
    char_space: float  # added after every glyph (negative on the 3号 grid, larger on a justified line)
    width: float  # from x to the right edge of the last glyph


def squeezes(text: str, advance: Callable[[str], float]) -> list[float]:
    """How far each glyph of ``text`` is pulled left of its place because of the mark before it (0 for most).

    A closing mark (its glyph on the left half of its cell) followed by any mark gives up its empty right half
    (》。 ”， 。” ）（); an opening mark followed by another opening mark lets the second give up its empty left
    half (（《). An opening mark followed by a closing one (（）) has no empty half between them. Marks drawn
    narrower than a full cell (a Latin fallback font) are left alone.
    """
    out = [0.0] * len(text)
    if len(text) < 2 or _MARKS.isdisjoint(text):
        return out
    full = 0.9 * advance("中")
    for k in range(1, len(text)):
        before, after = text[k - 1], text[k]
        if before in CLOSING and after in _MARKS:
            cell = advance(before)
        elif before in OPENING and after in OPENING:
            cell = advance(after)
        else:
            continue
        if cell >= full:
            out[k] = cell / 2
    return out


def _word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "._-/@")


def can_break(text: str, i: int) -> bool:
    """May a line end between text[i-1] and text[i]?"""
    before, after = text[i - 1], text[i]
    if after in NO_START or before in NO_END:
        return False
    if before == after and before in _UNSPLIT:
        return False
    return not (_word(before) and _word(after))


def break_lines(text: str, advance: Callable[[str], float], *, first_x: float, rest_x: float, right: float,
                track: float = 0.0, justify: bool = True) -> list[LineText]:
    """Break ``text`` into lines between ``first_x``/``rest_x`` and ``right``.

    ``advance(ch)`` is the glyph's width in points; ``track`` the natural character spacing. ``\\n`` forces a
    break. Every returned line satisfies ``x + width <= right``.
    """
    out: list[LineText] = []
    x = first_x
    for piece in text.split("\n"):
        lines = _break_piece(piece, advance, x, rest_x, right, track, justify)
        out += lines
        x = rest_x
    return out


def _break_piece(text: str, advance: Callable[[str], float], first_x: float, rest_x: float, right: float,
                 track: float, justify: bool) -> list[LineText]:
    widths = [advance(ch) for ch in text]
    squeeze = squeezes(text, advance)
    n = len(text)
    if n == 0:
        return [LineText("", first_x, track, 0.0)]
    out: list[LineText] = []
    i, x = 0, first_x
    while i < n:
        if out:
            while i < n and text[i] == " ":  # a wrapped line never starts with a space
                i += 1
            if i == n:
                break
        avail = right - x
        j, pos = i, 0.0
        while j < n:
            start = pos - squeeze[j] if j > i else pos
            if j > i and start + widths[j] > avail + EPS:
                break
            pos = start + widths[j] + track
            j += 1
        if j < n:
            b = next((b for b in range(j, i, -1) if can_break(text, b)), j)
            j = b
        natural = sum(widths[i:j]) - sum(squeeze[i + 1:j])
        count = j - i
        space = track
        if j < n and justify and count > 1:
            stretched = (avail - natural) / (count - 1)
            # A line cut short by a long Latin word would be pulled apart; leave that one ragged.
            if stretched <= track + 0.6 * max(widths[i:j]):
                space = stretched
        width = natural + space * (count - 1)
        out.append(LineText(text[i:j], x, space, width))
        i, x = j, rest_x
    return out


def balanced_lines(text: str, advance: Callable[[str], float], width: float,
                   prefer: Iterable[int] = ()) -> list[LineText]:
    """A title (or a label) in as few lines as sit well, each centred (GB/T 9704 7.3.1: 回行时词意完整，排列对称，
    长短适宜，梯形或菱形).

    Two or three lines are chosen by cost: the spread between the longest and shortest line, a penalty for a
    break that is not a natural one (after 关于, 的, 、, 》, or at an index in ``prefer``), and a smaller one for
    each extra line. Longer titles fall back to even greedy lines.
    """
    if "\n" in text:  # the clerk broke it by hand
        return [line for piece in text.split("\n") for line in balanced_lines(piece, advance, width, ())]
    widths = [advance(ch) for ch in text]
    squeeze = squeezes(text, advance)
    greedy = break_lines(text, advance, first_x=0, rest_x=0, right=width, justify=False)
    if len(greedy) == 1:
        return _centred(greedy, width)
    natural = set(prefer) | {i for i in range(1, len(text)) if _natural_break(text, i)}
    em = max(widths)
    sums = [0.0]  # sums[b] - sums[a]: from the left edge of glyph a to the right edge of glyph b - 1, closed up
    for w, s in zip(widths, squeeze, strict=True):
        sums.append(sums[-1] + w - s)

    def span(a: int, b: int) -> float:
        return sums[b] - sums[a] + squeeze[a]  # the squeeze before glyph a belongs to the line before

    breaks = [i for i in range(1, len(text)) if can_break(text, i)]
    best: tuple[float, tuple[int, ...]] | None = None
    for n in range(len(greedy), min(len(greedy) + 1, 3) + 1):
        for cuts in combinations(breaks, n - 1):
            edges = (0, *cuts, len(text))
            lengths = [span(a, b) for a, b in zip(edges, edges[1:], strict=False)]
            if max(lengths) > width + EPS:
                continue
            cost = (max(lengths) - min(lengths)) / em + 6 * sum(c not in natural for c in cuts) + 2 * (n - len(greedy))
            if best is None or cost < best[0] - EPS:
                best = (cost, cuts)
    if best is None:
        return _centred(_even(text, advance, width, len(greedy)), width)
    edges = (0, *best[1], len(text))
    lines = [LineText(text[a:b], 0.0, 0.0, span(a, b)) for a, b in zip(edges, edges[1:], strict=False)]
    return _centred(lines, width)


def _natural_break(text: str, i: int) -> bool:
    return text[i - 1] in "的、》" or text[i - 2:i] == "关于" or text[i:i + 2] == "关于"


def _even(text: str, advance: Callable[[str], float], width: float, count: int) -> list[LineText]:
    """Greedy lines with the narrowest measure that still gives ``count`` lines."""
    target = sum(advance(ch) for ch in text) / count
    step = max(advance(ch) for ch in text) / 4
    avail = target
    while avail < width:
        trial = break_lines(text, advance, first_x=0, rest_x=0, right=avail, justify=False)
        if len(trial) <= count:
            return trial
        avail += step
    return break_lines(text, advance, first_x=0, rest_x=0, right=width, justify=False)


def _centred(lines: list[LineText], width: float) -> list[LineText]:
    return [LineText(line.text, (width - line.width) / 2, line.char_space, line.width) for line in lines]
