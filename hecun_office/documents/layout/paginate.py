"""Stack flow items onto pages of the 225 mm block.

Items bound by ``keep`` form a chain that moves to the next page as a whole when it does not fit; the
signature's chain first tries to stay with the page's lines set a little closer (GB/T 9704-2012 7.3.5.4). A chain
taller than a fresh page gives up its weakest links first and is placed piece by piece. A page is opened only
to place something on it, and blank lines never open a page, so no page of text is ever empty; ``bind`` then
puts the 版记 on the last page as bound, which may take a blank page before it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .geometry import EPS, HEIGHT, PITCH, TIGHT_PITCH, snap
from .items import FIRM, WEAK, Imprint, Item

Placed = list[tuple[Item, float]]


def _chains(items: list[Item], level: int) -> list[list[Item]]:
    """Split where an item's bond to the next is weaker than ``level``."""
    chains: list[list[Item]] = []
    current: list[Item] = []
    for item in items:
        current.append(item)
        if item.keep < level:
            chains.append(current)
            current = []
    if current:
        chains.append(current)
    return chains


def _fit(chain: list[Item], cursor: float, page_top: bool) -> tuple[Placed, float] | None:
    placed: Placed = []
    y = cursor
    for item in chain:
        if item.blank and page_top and not placed:
            continue
        top = snap(y) if item.grid else y
        if top + item.height > HEIGHT + EPS:
            return None
        placed.append((item, top))
        y = top + item.height
    return placed, y


class _Pages:
    def __init__(self, start: float) -> None:
        self.pages: list[Placed] = [[]]
        self.cursor = start

    def place(self, chain: list[Item], level: int) -> None:
        fitted = _fit(chain, self.cursor, self._page_top())
        if fitted is None and all(item.blank for item in chain):
            return  # blank lines at the foot of a page are simply not needed
        if fitted is None and len(chain) == 1 and chain[0].height > HEIGHT:
            self._cut(chain[0], level)
            return
        if fitted is None and self._tighten(chain):
            return
        if fitted is None and (self.pages[-1] or (len(self.pages) == 1 and len(chain) == 1)):
            # (page one may stay without flow when its first item is taller than the room under the header)
            self.pages.append([])
            self.cursor = 0.0
            fitted = _fit(chain, self.cursor, True)
        if fitted is not None:
            placed, self.cursor = fitted
            self.pages[-1] += placed
        elif len(chain) > 1 and level <= FIRM:
            for part in _chains(chain, level + 1):
                self.place(part, level + 1)
        else:
            raise ValueError("版面元素高于一页，无法排版")

    def _tighten(self, chain: list[Item]) -> bool:
        """Keep the signature on this page by setting the page's lines closer together, if a little is enough.

        GB/T 9704-2012 7.3.5.4: 当公文排版后所剩空白处不能容下印章或签名章、成文日期时，可以采取调整行距、字距
        的措施解决. Only the line pitch of this page changes, and only here, where the signature's chain (with
        the line above it that must come along) is the flow's last and so this is the last page of text: the
        page's lines are spread evenly from its first line, which keeps its place, to the block's last line,
        no closer than TIGHT_PITCH (two lines more than the grid holds). Glyphs, character spacing and line
        breaks stay as they are, so every line keeps its 28 characters. When that is not enough the chain
        goes overleaf as before.
        """
        page = self.pages[-1]
        if not page or not any(item.signature for item in chain):
            return False
        items = [item for item, _ in page] + chain
        if any(not item.grid or abs(item.height - PITCH) > EPS for item in items):
            return False  # a table row or a rule has its own height; only lines of text are spread
        origin = page[0][1]
        pitch = (HEIGHT - PITCH - origin) / (len(items) - 1)
        if pitch < TIGHT_PITCH - EPS:
            return False
        self.pages[-1] = [(item, origin + k * pitch) for k, item in enumerate(items)]
        self.cursor = HEIGHT
        return True

    def _cut(self, item: Item, level: int) -> None:
        """An item taller than a page (a table row) fills what is left of this page and goes on overleaf."""
        parts = item.split(HEIGHT - self.cursor)
        if parts is None and self.pages[-1]:
            self.pages.append([])
            self.cursor = 0.0
            parts = item.split(HEIGHT)
        if parts is None:
            raise ValueError("版面元素高于一页，无法排版")
        head, rest = parts
        self.place([head], level)
        self.place([rest], level)

    def _page_top(self) -> bool:
        return len(self.pages) > 1 and not self.pages[-1]


def paginate(items: list[Item], start: float) -> list[Placed]:
    """Pages of (item, top); page one's flow begins at ``start`` below the block top."""
    pages = _Pages(start)
    for chain in _chains(items, WEAK):
        pages.place(chain, WEAK)
    first, *rest = pages.pages
    return [first, *(page for page in rest if page)]


@dataclass(frozen=True)
class Bound:
    """The pages as printed on both sides and bound, and which of them carry no page number."""

    pages: list[Placed]
    unnumbered: frozenset[int]  # 1-based page numbers


def bind(pages: list[Placed], imprint: Imprint | None, start: float) -> Bound:
    """Put the 版记 at the foot of the document's last page as bound.

    GB/T 9704-2012 prints on both sides (6.2 双面印刷) and puts the 版记's last rule on the bottom edge of the
    block "of the document's last face" (7.4.1 末条分隔线与公文最后一面的版心下边缘重合), so the 版记 lies on an
    even page:
    - text ending on an even page with room below it: the 版记 goes on that page;
    - text ending on an odd page: on the back of that leaf, the next (even) page, alone; no blank page comes
      before it, so it is numbered like any other page;
    - text ending on an even page without room for it: a blank page and then the 版记 page, and then, as 7.5
      says, "公文的版记页前有空白页的，空白页和版记页均不编排页码".
    """
    if imprint is None:
        return Bound(pages, frozenset())
    last = pages[-1]
    bottom = max((top + item.height for item, top in last), default=start if len(pages) == 1 else 0.0)
    if len(pages) % 2 == 0 and bottom + imprint.height <= HEIGHT + EPS:
        return Bound([*pages[:-1], [*last, (imprint, HEIGHT - imprint.height)]], frozenset())
    if len(pages) % 2:
        return Bound([*pages, [(imprint, HEIGHT - imprint.height)]], frozenset())
    return Bound([*pages, [], [(imprint, HEIGHT - imprint.height)]], frozenset({len(pages) + 1, len(pages) + 2}))
