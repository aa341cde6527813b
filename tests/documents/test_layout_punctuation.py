"""D-5 标点挤压: two adjacent full-width marks (》。 ”， ：“ ）（ （《) are closed up as WPS, Word and xeCJK set
them, measured on the glyph positions read back from the PDF; every other glyph stays on the 28-character grid
and no glyph leaves the text block."""

from __future__ import annotations

import pytest

from hecun_office.documents.fonts import FontSet
from hecun_office.documents.gbt9704 import render_pdf
from hecun_office.documents.layout.breaking import squeezes
from hecun_office.documents.model import DocumentSpec, LayoutKind, Paragraph

from .conftest import BLOCK_LEFT, BLOCK_RIGHT, MM, TOL, Char

CELL = (156 * MM - 16) / 27  # the 3号 grid: 28 em boxes span the block
HALF = 8.0  # half a 3号 character
CENTRE = (BLOCK_LEFT + BLOCK_RIGHT) / 2


def _advance(ch: str) -> float:
    return 8.0 if ch.isascii() else 16.0


@pytest.mark.parametrize(("text", "expected"), [
    ("》。", [0, 8]), ("”，", [0, 8]), ("。”", [0, 8]), ("：“", [0, 8]), ("）（", [0, 8]), ("（《", [0, 8]),
    ("。”）", [0, 8, 8]), ("（）", [0, 0]), ("中。", [0, 0]), ("《中》", [0, 0, 0]), ("a,(", [0, 0, 0]),
])
def test_squeeze_takes_out_the_empty_half_between_two_marks(text: str, expected: list[float]) -> None:
    assert squeezes(text, _advance) == expected


def test_a_mark_drawn_narrow_by_a_latin_font_is_not_squeezed() -> None:
    assert squeezes("”，", lambda ch: 6.0 if ch == "”" else 16.0) == [0, 0]


def _document(*paragraphs: str, title: str = "") -> DocumentSpec:
    return DocumentSpec(LayoutKind.DOCUMENT, title, "江山市贺村司法所", body=[Paragraph(p) for p in paragraphs])


def _line(view, text: str) -> list[Char]:
    (_, chars), = view.find(text)
    return chars


def _steps(chars: list[Char]) -> list[float]:
    return [b["x0"] - a["x0"] for a, b in zip(chars, chars[1:], strict=False)]


@pytest.mark.parametrize(("text", "pairs"), [
    ("依据《行政处罚法》。另查明", ["》。"]), ("答复称“已执行完毕”，至今", ["”，"]), ("规定：“行政机关", ["：“"]),
    ("共三件（甲）（乙）已办结", ["）（"]), ("名称（《通知》）如下", ["（《", "》）"]), ("他说“不再处理。”随后", ["。”"]),
])
def test_adjacent_marks_are_closed_up_by_half_a_character(text: str, pairs: list[str], fonts: FontSet,
                                                          view) -> None:
    """A one-line paragraph (not justified): the second mark of each pair sits half a character closer than
    the grid's character pitch; every other glyph advances by exactly one pitch."""
    chars = _line(view(render_pdf(_document(text), fonts)), text)
    assert chars[0]["x0"] == pytest.approx(BLOCK_LEFT + 2 * CELL, abs=TOL)
    closed = {text.index(pair) + 1 for pair in pairs}
    for k, step in enumerate(_steps(chars), 1):
        if k in closed:
            assert step == pytest.approx(CELL - HALF, abs=TOL), (text, k)
        else:
            assert step == pytest.approx(CELL, abs=TOL), (text, k)


def test_lines_with_closed_up_marks_stay_justified_and_inside_the_block(fonts: FontSet, view) -> None:
    """A line that gains half a character from a squeeze takes no glyph it has no room for: it is justified
    flush with the right edge like any line broken early, the marks stay closed up, nothing crosses the edge."""
    text = ("根据《中华人民共和国行政处罚法》。" + "甲" * 9 + "“已执行完毕”，" + "乙" * 20 + "（一）（二）。" + "丙" * 30)
    pdf = view(render_pdf(_document(text), fonts))
    lines = [chars for _, _, chars in pdf.pages[0].text_lines(16)]
    assert "".join(c["text"] for chars in lines for c in chars) == text
    for chars in lines:
        assert chars[0]["x0"] >= BLOCK_LEFT - TOL and chars[-1]["x1"] <= BLOCK_RIGHT + TOL
    for chars in lines[:-1]:
        assert chars[-1]["x1"] == pytest.approx(BLOCK_RIGHT, abs=TOL)
    for pair in ("》。", "”，", "）（"):
        (_, found), = pdf.find(pair)
        assert found[1]["x0"] - found[0]["x0"] < CELL - HALF + 1.0, pair  # at most the justification's stretch


def test_a_title_with_adjacent_marks_is_closed_up_and_still_centred(fonts: FontSet, view) -> None:
    title = "关于印发《监督办法（试行）》的通知"
    chars = _line(view(render_pdf(_document("正文。", title=title), fonts)), title)
    at = title.index("）》") + 1
    assert chars[at]["x0"] - chars[at - 1]["x0"] == pytest.approx(22 - 11, abs=TOL)
    assert (chars[0]["x0"] + chars[-1]["x1"]) / 2 == pytest.approx(CENTRE, abs=0.5)
