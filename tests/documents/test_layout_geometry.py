"""D-5 geometry read back from the PDF: A4, the 156 × 225 mm block, 22 lines × 28 characters, page numbers,
embedded subset fonts and byte-identical output."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from hecun_office.documents.fonts import FontSet
from hecun_office.documents.gbt9704 import render, render_pdf
from hecun_office.documents.model import DocumentSpec, LayoutKind, Paragraph

from .conftest import (
    BLOCK_BOTTOM,
    BLOCK_LEFT,
    BLOCK_RIGHT,
    BLOCK_TOP,
    MM,
    SAMPLES,
    TOL,
    in_role,
    is_page_number,
)

CJK = "贺村司法所依法开展行政执法协调监督工作推动镇域执法规范化建设提升群众满意度"


def _cjk_document(chars: int) -> DocumentSpec:
    text = (CJK * (chars // len(CJK) + 1))[:chars]
    return DocumentSpec(LayoutKind.DOCUMENT, "关于开展行政执法监督工作的通知", "江山市贺村司法所",
                        number="贺司〔2026〕1号", recipient="各执法单位", body=[Paragraph(text)])


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_pages_are_a4_and_every_body_glyph_stays_inside_the_text_block(name: str, sample) -> None:
    view = sample(name).view
    assert view.pages
    for page in view.pages:
        assert page.width == pytest.approx(595.28, abs=0.5) and page.height == pytest.approx(841.89, abs=0.5)
        assert page.body, f"page {page.number} of {name} carries no text"
        for c in page.body:
            assert c["x0"] >= BLOCK_LEFT - TOL and c["x1"] <= BLOCK_RIGHT + TOL, (name, page.number, c["text"])
            assert c["top"] >= BLOCK_TOP - TOL and c["bottom"] <= BLOCK_BOTTOM + TOL, (name, page.number, c["text"])


def test_a_full_page_holds_22_lines_of_28_characters_spanning_the_block(fonts: FontSet, view) -> None:
    pdf = view(render_pdf(_cjk_document(1400), fonts))
    assert len(pdf.pages) == 3
    full = pdf.pages[1].text_lines(16)
    assert len(full) == 22
    for _top, text, chars in full:
        assert len(text) == 28, text
        assert chars[0]["x0"] == pytest.approx(BLOCK_LEFT, abs=TOL)
        assert chars[-1]["x1"] == pytest.approx(BLOCK_RIGHT, abs=TOL)
    pitches = [b[0] - a[0] for a, b in zip(full, full[1:], strict=False)]
    assert statistics.mean(pitches) == pytest.approx(225 * MM / 22, abs=0.01)
    assert max(pitches) - min(pitches) < 0.01
    steps = [b["x0"] - a["x0"] for a, b in zip(full[0][2], full[0][2][1:], strict=False)]
    assert statistics.mean(steps) == pytest.approx(156 * MM / 28, abs=0.05)  # character pitch ≈ 15.79 pt
    # the first line of the paragraph (page one) is indented two characters
    first = next(line for line in pdf.pages[0].text_lines(16) if line[1].startswith(CJK[:5]))
    assert len(first[1]) == 26
    assert first[2][0]["x0"] == pytest.approx(BLOCK_LEFT + 2 * steps[0], abs=0.05)


def test_long_text_flows_onto_further_pages_without_losing_a_character(fonts: FontSet, view) -> None:
    pdf = view(render_pdf(_cjk_document(3000), fonts))
    assert len(pdf.pages) >= 5
    body = "".join(text for page in pdf.pages for _, text, _ in page.text_lines(16))
    assert (CJK * 100)[:3000] in body


def test_page_numbers_alternate_sides_below_the_block(sample, fonts: FontSet) -> None:
    pages = sample("long").view.pages
    assert len(pages) >= 3
    for page in pages:
        assert page.page_number_text == f"— {page.number} —"
        chars = [c for c in page.chars if is_page_number(c)]
        top = min(c["top"] for c in chars)
        assert top == pytest.approx(BLOCK_BOTTOM + 7 * MM, abs=0.5 * MM)
        if page.number % 2:
            assert max(c["x1"] for c in chars) == pytest.approx(BLOCK_RIGHT - 14, abs=TOL)
        else:
            assert min(c["x0"] for c in chars) == pytest.approx(BLOCK_LEFT + 14, abs=TOL)
        assert all(in_role(c, fonts, "宋体") for c in chars)


def test_a_single_page_document_has_no_page_number(fonts: FontSet, view) -> None:
    # without a 版记: one with a 版记 goes on to the back of the leaf (test_layout_binding)
    spec = dataclasses.replace(SAMPLES["report"](), printed_by="", printed_date_text="")
    (page,) = view(render_pdf(spec, fonts)).pages
    assert page.page_number_text == ""
    assert not [c for c in page.chars if c["top"] > BLOCK_BOTTOM]


def test_fonts_are_embedded_as_truetype_subsets(sample, fonts: FontSet) -> None:
    if not fonts.embedded:
        pytest.skip("this machine has no Chinese TrueType font; the CID fallback is not embedded")
    for name in ("advice", "letter", "receipt", "draft"):
        reader = pypdf.PdfReader(io.BytesIO(sample(name).result.pdf))
        seen = 0
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                assert re.fullmatch(r"/[A-Z]{6}\+.+", font["/BaseFont"]), font["/BaseFont"]
                assert "/FontFile2" in font["/FontDescriptor"].get_object()
                seen += 1
        assert seen >= 2


def test_rendering_is_byte_identical_for_the_same_input(fonts: FontSet) -> None:
    spec = SAMPLES["advice"]()
    first = render_pdf(spec, fonts)
    assert render_pdf(spec, fonts) == first
    assert render_pdf(SAMPLES["advice"](), fonts) == first
    other = SAMPLES["draft"]()
    assert render_pdf(other, fonts) != first


def test_rendering_is_byte_identical_across_processes(fonts: FontSet) -> None:
    """Reprints after a restart must match the SHA-256 stored at issue (D-4), whatever the hash seed."""
    script = ("import hashlib\nfrom hecun_office.documents import samples\n"
              "from hecun_office.documents.gbt9704 import render_pdf\n"
              "print(hashlib.sha256(render_pdf(samples.two_page_advice('样稿'))).hexdigest())")
    here = hashlib.sha256(render_pdf(SAMPLES["draft"](), fonts)).hexdigest()
    root = Path(__file__).resolve().parents[2]
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True,
                             check=True).stdout.strip()
        assert out == here


def test_render_reports_page_count_and_font_warnings(fonts: FontSet, sample) -> None:
    result = render(SAMPLES["advice"](), fonts)
    assert result.pages == len(sample("advice").view.pages) == 2
    assert result.warnings == fonts.warnings
