"""D-5 flow: 避头尾 line breaking, pagination that never strands the signature or leaves a page without text,
balanced titles and tables running over pages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hecun_office.documents.fonts import FontSet
from hecun_office.documents.gbt9704 import render, render_pdf
from hecun_office.documents.layout.breaking import NO_END, NO_START, balanced_lines, break_lines, squeezes
from hecun_office.documents.model import Cell, DocumentSpec, LayoutKind, Paragraph, TableSpec

from .conftest import BLOCK_BOTTOM, BLOCK_LEFT, BLOCK_RIGHT, BLOCK_TOP, TOL

FILL = "正" * 400
PITCH = 225 * 72 / 25.4 / 22


def _advance(ch: str) -> float:
    return 8.0 if ch.isascii() else 16.0


def test_no_line_starts_with_closing_punctuation_or_ends_with_an_opening_one(fonts: FontSet, view) -> None:
    # "（" falls in the last cell of line 1 (26 cells after the indent), which it may not close; line 2 then
    # holds 28 cells, and the 29th character is "，", which may not open line 3.
    text = "甲" * 25 + "（乙）" + "丙" * 25 + "，" + "丁" * 20 + "。" + "戊" * 10
    pdf = view(render_pdf(DocumentSpec(LayoutKind.DOCUMENT, "", "贺村司法所", body=[Paragraph(text)]), fonts))
    lines = [(t, chars) for _, t, chars in pdf.pages[0].text_lines(16)]
    assert "".join(t for t, _ in lines) == text
    assert len(lines) == 4
    for t, _ in lines:
        assert t[0] not in NO_START and t[-1] not in NO_END, t
    for _, chars in lines[:-1]:  # broken early, yet still flush with the right edge
        assert abs(chars[-1]["x1"] - BLOCK_RIGHT) < TOL
    assert max(c["x1"] for _, cs in lines for c in cs) <= BLOCK_RIGHT + TOL
    assert lines[0][0].endswith("甲") and lines[1][0].startswith("（")
    assert lines[2][0].startswith("丙，")


_TOKENS = ["中", "文", "字", "中，", "文。", "字、", "（字）", "《文》", "“引”", "12年", "ab字", "——", "……"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=90), st.integers(min_value=0, max_value=4))
def test_breaking_keeps_every_glyph_inside_and_obeys_the_rules(tokens: list[str], indent: int) -> None:
    text = "".join(tokens)
    right = 156 * 72 / 25.4
    lines = break_lines(text, _advance, first_x=indent * 15.79, rest_x=0, right=right, track=-0.2147)
    assert "".join(line.text for line in lines) == text
    for i, line in enumerate(lines):
        assert line.x + line.width <= right + 1e-6
        natural = sum(_advance(ch) for ch in line.text) - sum(squeezes(line.text, _advance))
        assert natural + line.char_space * (len(line.text) - 1) == pytest.approx(line.width)
        if i:
            assert line.text[0] not in NO_START, line.text
            assert line.text[:2] not in ("——", "……") or not lines[i - 1].text.endswith(line.text[0])
        if i < len(lines) - 1:
            assert line.text[-1] not in NO_END, line.text


def test_titles_break_where_the_meaning_allows_and_stay_centred() -> None:
    width = 156 * 72 / 25.4
    def adv(ch: str) -> float:  # 2号 (22 pt) advance
        return 11.0 if ch.isascii() else 22.0

    lines = balanced_lines("江山市贺村司法所关于规范农村违法建房查处程序的行政执法协调监督建议书", adv, width)
    assert [line.text for line in lines] == ["江山市贺村司法所关于", "规范农村违法建房查处程序的", "行政执法协调监督建议书"]
    for line in lines:
        assert abs(line.x + line.width / 2 - width / 2) < 1e-6
    short = balanced_lines("关于提请制发《行政执法监督通知书》的报告", adv, width)
    assert [line.text for line in short] == ["关于提请制发《行政执法监督通知书》的报告"]
    even = balanced_lines("江山市贺村司法所年度行政执法协调监督工作总结报告", adv, width)
    assert len(even) == 2 and abs(len(even[0].text) - len(even[1].text)) <= 2


def _advice(body_lines: int) -> DocumentSpec:
    paragraphs = [Paragraph(FILL[:54]) for _ in range(body_lines // 2)]  # 2 lines each (26 + 28)
    if body_lines % 2:
        paragraphs.append(Paragraph(FILL[:10]))
    return DocumentSpec(LayoutKind.DOCUMENT, "关于整改的建议书", "江山市贺村司法所", number="贺司建〔2026〕3号",
                        recipient="贺村镇综合行政执法队", body=paragraphs, attachments=["问题清单"],
                        signature="江山市贺村司法所", date_text="2026年11月21日", cc=["江山市司法局"],
                        printed_by="江山市贺村司法所", printed_date_text="2026年11月20日印发")


def test_signature_never_stands_alone_and_no_page_lacks_text(fonts: FontSet, view) -> None:
    """Sweep body lengths across a page break: the signature page always carries a line of text above the
    signature (of the body or of the 附件说明, whose last line GB/T 9704-2012 7.3.5.1 lets the seal sit under),
    and every page up to it carries text; only the 版记 page and a blank page before it may follow
    (test_layout_binding)."""
    seen_pages = set()
    for body_lines in range(1, 36):
        result = render(_advice(body_lines), fonts)
        pdf = view(result.pdf)
        ((sig_page, sig),) = [(p, c) for p, c in pdf.find("2026年11月21日")]
        text_pages = pdf.pages[:sig_page.number]
        seen_pages.add(len(text_pages))
        for page in text_pages:
            assert page.text_lines(16), (body_lines, page.number)
        for page in text_pages[:-1]:  # the text runs on, and what went over with the signature had to
            assert any("正" in text for _, text, _ in page.text_lines(16)), (body_lines, page.number)
        assert pdf.find("关于整改的建议书")[0][0] is pdf.pages[0]
        above = [text for top, text, _ in sig_page.text_lines(16) if top < sig[0]["top"] - 1.5 * PITCH]
        assert above and above[-1] == "附件：问题清单", body_lines
        for page in pdf.pages[sig_page.number:]:
            assert not page.text_lines(16), (body_lines, page.number)
        printed_page, printed = pdf.one("2026年11月20日印发")
        assert printed_page is pdf.pages[-1] and printed[0]["bottom"] <= BLOCK_BOTTOM
    assert seen_pages >= {1, 2}


def _table(rows: int, tall: int = 0) -> DocumentSpec:
    grid = [[Cell("序号", label=True), Cell("事项", label=True), Cell("办理情况", label=True)]]
    grid += [[Cell(str(i)), Cell(f"第{i}项监督事项"), Cell("已办结。" * (tall if i == 3 else 1))]
             for i in range(1, rows + 1)]
    return DocumentSpec(LayoutKind.TABLE, "行政执法监督事项登记表", "江山市贺村司法所",
                        table=TableSpec(columns=[1, 3, 4], rows=grid))


def test_table_rows_continue_on_the_next_page_without_being_split(fonts: FontSet, view) -> None:
    pdf = view(render_pdf(_table(40), fonts))
    assert len(pdf.pages) >= 2
    for i in range(1, 41):
        ((page, chars),) = [(p, c) for p, c in pdf.find(f"第{i}项监督事项")]
        row_top = chars[0]["top"]
        # the row's number sits on the same page and line as its text
        assert any(t.startswith(str(i)) and abs(top - row_top) < 1 for top, t, _ in page.text_lines())
    for page in pdf.pages:
        for c in page.body:
            assert BLOCK_LEFT - TOL <= c["x0"] and c["x1"] <= BLOCK_RIGHT + TOL
            assert BLOCK_TOP - TOL <= c["top"] and c["bottom"] <= BLOCK_BOTTOM + TOL
        for line in page.lines:
            assert BLOCK_TOP - 1 <= line["top"] and line["bottom"] <= BLOCK_BOTTOM + 1


def test_a_row_taller_than_a_page_is_split_and_stays_inside_the_block(fonts: FontSet, view) -> None:
    pdf = view(render_pdf(_table(4, tall=400), fonts))
    assert len(pdf.pages) >= 3
    assert sum(t.count("结") for p in pdf.pages for _, t, _ in p.text_lines()) == 400 + 3
    for page in pdf.pages:
        for c in page.body:
            assert BLOCK_TOP - TOL <= c["top"] and c["bottom"] <= BLOCK_BOTTOM + TOL
