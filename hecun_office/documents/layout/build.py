"""DocumentSpec → the page-one header (fixed positions) and the flow of items, following GB/T 9704-2012."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..fonts import FontSet
from ..model import DocumentSpec, HeadingLevel, LayoutKind
from .breaking import LineText, balanced_lines, break_lines, squeezes
from .geometry import BODY, CELL, EPS, HEIGHT, LEFT, MM, PITCH, SMALL, TITLE, TOP, TRACK, WIDTH
from .items import FIRM, FREE, KEEP, WEAK, Blank, Imprint, Item, Line, Masthead, Rule
from .paint import Text, page_y
from .table import table_rows

_ROLE = {HeadingLevel.BODY: "仿宋", HeadingLevel.H1: "黑体", HeadingLevel.H2: "楷体", HeadingLevel.H3: "仿宋",
         HeadingLevel.H4: "仿宋", HeadingLevel.PLAIN: "仿宋"}
_SEPARATOR = 1.5  # the red rule under the number line
_LETTER_RULES = (1.5, 0.5)  # 信函格式: upper double rule thick over thin; the lower one thin over thick
_MASTHEAD_MIN, _MASTHEAD_MAX = 22.0, 36.0


@dataclass
class Plan:
    fixed: list[tuple[Item, float]]  # page one's header, at block-relative tops
    start: float  # where the flow begins on page one
    flow: list[Item]
    number_first_page: bool  # letters show no page number on their first page (GB/T 9704 10.1)
    imprint: Imprint | None = None  # 版记: not in the flow, it goes on the last page as bound (paginate.bind)


class _Measure:
    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts

    def advance(self, role: str, size: float) -> Callable[[str], float]:
        fonts = self.fonts
        return lambda ch: fonts.advance(ch, role) * size / 1000

    def span(self, text: str, role: str = "仿宋", size: float = BODY, track: float = TRACK) -> float:
        """From the left edge of the first glyph to the right edge of the last, adjacent marks closed up."""
        return self.advance_after(text, role, size, track) - (track if text else 0.0)

    def advance_after(self, text: str, role: str = "仿宋", size: float = BODY, track: float = TRACK) -> float:
        """How far the pen moves over ``text``: where the next glyph on the grid begins."""
        closed_up = sum(squeezes(text, self.advance(role, size)))
        return self.fonts.width(text, role, size) + track * len(text) - closed_up

    def lines(self, text: str, role: str = "仿宋", *, first_x: float, rest_x: float = 0.0, size: float = BODY,
              track: float = TRACK, right: float = WIDTH) -> list[Line]:
        broken = break_lines(text, self.advance(role, size), first_x=first_x, rest_x=rest_x, right=right,
                             track=track)
        return [Line(texts=[Text(b.x, b.text, role, size, b.char_space)]) for b in broken]


def plan(spec: DocumentSpec, fonts: FontSet) -> Plan:
    m = _Measure(fonts)
    if spec.layout is LayoutKind.LETTER:
        fixed, start = _letter_header(spec, m)
    elif spec.layout is LayoutKind.TABLE:
        fixed, start = [], 0.0
    else:
        fixed, start = _document_header(spec, m)

    flow: list[Item] = []
    title: list[Item] = []
    if spec.title:
        broken = balanced_lines(spec.title, m.advance("小标宋", TITLE), WIDTH, _after(spec.title, spec.issuer))
        title = [Line(texts=[Text(t.x, t.text, "小标宋", TITLE, t.char_space)], keep=KEEP) for t in broken]
        title[-1].keep = WEAK
    flow += title
    if spec.layout is LayoutKind.TABLE and spec.number:
        flow.append(Line(texts=[Text(WIDTH - m.span(spec.number), spec.number, char_space=TRACK)], keep=WEAK))
    if spec.recipient:
        recipient = spec.recipient if spec.recipient.endswith("：") else spec.recipient + "："
        flow.append(Blank(keep=WEAK))
        flow += _glue_all(m.lines(recipient, first_x=0), WEAK)
    elif title:
        flow.append(Blank(keep=WEAK))
    flow += _body(spec, m)
    if spec.table is not None:
        flow += table_rows(spec.table, fonts)

    attachments = _attachments(spec, m)
    closing = _signature(spec, m)
    if closing and (attachments or flow):
        # The signature and 成文日期 never stand on a page without text (no "此页无正文"); GB/T 9704-2012
        # 7.3.5.1 puts the seal within a line of "正文（或附件说明）", so the last line above the signature, of
        # the body or of the 附件说明, travels with it, and nothing more: a paragraph's own rule may bring its
        # second-last line along, a wrapped attachment name stays whole.
        (attachments or [item for item in flow if not item.blank] or flow)[-1].keep = FIRM
        _glue_all(closing[:-1], FIRM)
    flow += attachments + closing
    return Plan(fixed, start, flow, spec.layout is not LayoutKind.LETTER, _imprint(spec, m))


def _after(title: str, issuer: str) -> set[int]:
    """A title that opens with the issuer's name may break right after it."""
    return {len(issuer)} if issuer and title.startswith(issuer) else set()


def _masthead(text: str, m: _Measure, top: float) -> tuple[Masthead, float]:
    size = max(_MASTHEAD_MIN, min(_MASTHEAD_MAX, WIDTH / max(1, len(text))))
    natural = m.span(text, "小标宋", size, 0.0)
    scale = min(100.0, 100.0 * WIDTH / natural) if natural else 100.0
    item = Masthead(text=text, size=size, scale=scale, x=(WIDTH - natural * scale / 100) / 2, height=size)
    return item, top + size


def _document_header(spec: DocumentSpec, m: _Measure) -> tuple[list[tuple[Item, float]], float]:
    """文件格式 (GB/T 9704 7.2): masthead 35 mm below the block top, the number line two lines below it, the red
    rule 4 mm under the number, the title two lines below the rule."""
    fixed: list[tuple[Item, float]] = []
    masthead, bottom = _masthead(spec.issuer + spec.masthead_suffix, m, 35 * MM)
    if not spec.preprinted:
        fixed.append((masthead, 35 * MM))
    slot = math.ceil(bottom / PITCH - EPS) + 2
    texts: list[Text] = []
    if spec.layout is LayoutKind.REPORT:
        # 上行文 (7.2.4): number one character in from the left, 签发人 one character in from the right.
        texts.append(Text(CELL, spec.number, char_space=TRACK))
        if spec.signer:
            label = "签发人："
            name_x = WIDTH - CELL - m.span(spec.signer, "楷体")
            label_x = name_x - m.advance_after(label)
            texts += [Text(label_x, label, char_space=TRACK), Text(name_x, spec.signer, "楷体", char_space=TRACK)]
    else:
        texts.append(Text((WIDTH - m.span(spec.number)) / 2, spec.number, char_space=TRACK))
    fixed.append((Line(texts=texts), slot * PITCH))
    rule_top = (slot + 1) * PITCH - (PITCH - BODY) / 2 + 4 * MM
    if not spec.preprinted:
        fixed.append((Rule(strokes=(_SEPARATOR,), height=_SEPARATOR), rule_top))
    return fixed, (round(rule_top / PITCH) + 2) * PITCH


def _letter_header(spec: DocumentSpec, m: _Measure) -> tuple[list[tuple[Item, float]], float]:
    """信函格式 (GB/T 9704 10.1): masthead 30 mm from the top edge of the paper, a red double rule 4 mm under it
    and another 20 mm above the bottom edge, both 170 mm long and centred on the paper; the number flush right
    7/8 of a 3号 character below the upper rule; the title two lines below the number."""
    fixed: list[tuple[Item, float]] = []
    suffix = "" if spec.masthead_suffix == "文件" else spec.masthead_suffix  # a letter never says 文件
    top = 30 * MM - TOP
    masthead, bottom = _masthead(spec.issuer + suffix, m, top)
    x0, x1 = 20 * MM - LEFT, 190 * MM - LEFT
    upper = bottom + 4 * MM
    thickness = sum(_LETTER_RULES) + 1.0
    if not spec.preprinted:
        fixed.append((masthead, top))
        fixed.append((Rule(x0=x0, x1=x1, strokes=_LETTER_RULES, height=thickness), upper))
        fixed.append((Rule(x0=x0, x1=x1, strokes=_LETTER_RULES[::-1], height=thickness),
                      page_y(20 * MM) - thickness))
    box_top = upper + thickness + BODY * 7 / 8
    number = Text(WIDTH - m.span(spec.number), spec.number, char_space=TRACK)
    fixed.append((Line(texts=[number]), box_top - (PITCH - BODY) / 2))
    return fixed, (round((box_top + BODY) / PITCH) + 2) * PITCH


def _glue_all(items: Sequence[Item], strength: int = KEEP) -> list[Item]:
    for item in items:
        item.keep = strength
    return list(items)


def _body(spec: DocumentSpec, m: _Measure) -> list[Item]:
    out: list[Item] = []
    for para in spec.body:
        if not para.text.strip():
            out.append(Blank())
            continue
        role = _ROLE[para.level]
        lines = m.lines(para.text, role, first_x=0 if para.level is HeadingLevel.PLAIN else 2 * CELL)
        if para.level not in (HeadingLevel.BODY, HeadingLevel.PLAIN) and len(lines) == 1:
            _glue_all(lines)  # a heading stays with what it heads
        elif len(lines) >= 2:  # a paragraph (or a heading run on with its text): no orphan, no widow
            lines[0].keep = lines[-2].keep = KEEP
        out += lines
    return out


def _attachments(spec: DocumentSpec, m: _Measure) -> list[Item]:
    """附件说明 (7.3.4): one blank line below the body, 附件： two characters in, several attachments numbered
    1．2．… with the numbers aligned and wrapped names aligned with the first character of the name."""
    if not spec.attachments:
        return []
    label = "附件："
    label_x = 2 * CELL
    item_x = label_x + m.advance_after(label)
    out: list[Item] = [Blank(keep=KEEP)]
    several = len(spec.attachments) > 1
    for k, name in enumerate(spec.attachments, 1):
        prefix = f"{k}．" if several else ""
        name_x = item_x + m.advance_after(prefix)
        text = (label if k == 1 else "") + prefix + name
        lines = _glue_all(m.lines(text, first_x=label_x if k == 1 else item_x, rest_x=name_x))
        lines[-1].keep = FREE  # the list may run over a page between two attachments
        out += lines
    return out


def _signature(spec: DocumentSpec, m: _Measure) -> list[Item]:
    """署名 and 成文日期 (7.3.5.1): the date four characters in from the right, the signature centred over it,
    two blank lines above for the seal. 附注 (7.3.6) follows two characters in."""
    out: list[Item] = []
    if spec.signature or spec.date_text:
        out += [Blank(), Blank()]
        right = WIDTH - 4 * CELL
        date_w = m.span(spec.date_text)
        centre = right - date_w / 2 if spec.date_text else right - m.span(spec.signature) / 2
        if spec.signature:
            sig_w = m.span(spec.signature)
            x = min(max(0.0, centre - sig_w / 2), WIDTH - sig_w)
            out.append(Line(texts=[Text(x, spec.signature, char_space=TRACK)]))
        if spec.date_text:
            out.append(Line(texts=[Text(right - date_w, spec.date_text, char_space=TRACK)]))
        for item in out:
            item.signature = True
    if spec.note:
        out += m.lines(spec.note, first_x=2 * CELL)
    return out


def _imprint(spec: DocumentSpec, m: _Measure) -> Imprint | None:
    """版记 (7.4): 抄送 one character in, wrapped lines aligned after the colon, ending with 。; 印发机关 and
    印发日期 on the line below. Letters keep only the 抄送 (10.1)."""
    letter = spec.layout is LayoutKind.LETTER
    cc: list[LineText] = []
    if spec.cc:
        text = "抄送：" + "，".join(spec.cc).rstrip("。") + "。"
        cc = break_lines(text, m.advance("仿宋", SMALL), first_x=SMALL,
                         rest_x=SMALL + m.advance_after("抄送：", size=SMALL, track=0.0), right=WIDTH - SMALL)
    date = spec.printed_date_text
    if date and not date.endswith("印发"):
        date += "印发"
    printed = bool(spec.printed_by or date) and not letter
    count = len(cc) + (1 if printed else 0)
    if not count:
        return None
    if count * PITCH > HEIGHT / 2:
        raise ValueError("抄送机关过多，版记超过半页")
    return Imprint(cc=cc, printed_by=spec.printed_by, printed_date=date, rules=not letter, height=count * PITCH)

