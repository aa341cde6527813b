"""GB/T 9704-2012 7.3.5.4: when the room left cannot hold the seal, the signature and the 成文日期, the line pitch
may be adjusted. A signature block that misses the last page of text by a line or two stays on it with that page's
lines set closer (never closer than 26 pt, the first line in its place, the last on the block's last line); one
that misses by more goes overleaf with the line above it, as before (test_layout_binding)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hecun_office.documents.fonts import FontSet
from hecun_office.documents.gbt9704 import render_pdf
from hecun_office.documents.model import DocumentSpec, LayoutKind, Paragraph
from hecun_office.documents.samples import assistance_letter

from .conftest import BLOCK_BOTTOM, BLOCK_LEFT, BLOCK_RIGHT, BLOCK_TOP, MM, TOL, Page, PdfView

PITCH = 225 * MM / 22
TIGHTEST = 26.0
LAST_LINE = BLOCK_TOP + 21.5 * PITCH  # the centre of the block's 22nd line
FILL = "正" * 400
DATE = "2026年11月21日"


def _body(lines: int, closing: str) -> list[Paragraph]:
    """``lines`` lines of text (two-line paragraphs, one short one if odd), then the closing formula."""
    return ([Paragraph(FILL[:54]) for _ in range(lines // 2)] + [Paragraph(FILL[:20])] * (lines % 2)
            + [Paragraph(closing)])


def _report(lines: int) -> DocumentSpec:
    """The escalation report as drafted: body, 特此报告。, one attachment, signature, date, 附注, 版记."""
    return DocumentSpec(LayoutKind.REPORT, "关于提请制发《行政执法监督通知书》的报告", "江山市贺村司法所",
                        number="贺司报〔2026〕7号", signer="李建国", recipient="江山市司法局",
                        body=_body(lines, "特此报告。"), attachments=["《行政执法协调监督建议书》（贺司建〔2026〕3号）"],
                        signature="江山市贺村司法所", date_text=DATE, note="（联系人：王晓燕 0570-4567890）",
                        printed_by="江山市贺村司法所", printed_date_text="2026年11月21日印发")


def _letter(lines: int) -> DocumentSpec:
    """The assistance letter (信函格式, no attachment: the body's last line goes with the signature)."""
    letter = assistance_letter()
    return replace(letter, body=letter.body[:1] + _body(lines, "特此函告。"))


MAKERS = {"report": _report, "letter": _letter}


def _rows(page: Page) -> list[tuple[float, str]]:
    """(centre, text) of the flow's lines, top to bottom: 3号 text and the 2号 title, the header on page one
    left out. Every line's em box is centred in its slot, so centres step by the line pitch whatever the size."""
    rows = []
    for _, text, chars in page.text_lines():
        if chars[0]["size"] < 16 - 0.01:
            continue  # the 版记
        rows.append(((chars[0]["top"] + chars[0]["bottom"]) / 2, text))
    titles = [i for i, (_, text) in enumerate(rows) if text.startswith("关于")]
    return rows[titles[0]:] if titles else rows


def _date_page(pdf: PdfView) -> Page:
    ((page, _),) = [(p, c) for p, c in pdf.find(DATE) if abs(c[0]["size"] - 16) < 0.01]
    return page


def _steps(rows: list[tuple[float, str]], pitch: float) -> list[float]:
    """Each line's distance from the first in lines of ``pitch``."""
    return [(centre - rows[0][0]) / pitch for centre, _ in rows]


def _on_grid(rows: list[tuple[float, str]], pitch: float) -> bool:
    return all(abs(step - round(step)) < 0.01 for step in _steps(rows, pitch))


@pytest.mark.parametrize(("kind", "lines", "page_number", "misses"), [
    ("report", 2, 1, 1),   # one page instead of two
    ("report", 23, 2, 1),  # as the drafted report of issue 11 item 18: page 2 full instead of half empty
    ("report", 24, 2, 2),
    ("letter", 6, 1, 1),
    ("letter", 27, 2, 1),
    ("letter", 28, 2, 2),
])
def test_a_signature_missing_the_page_by_a_line_or_two_stays_with_a_tighter_pitch(
        kind: str, lines: int, page_number: int, misses: int, fonts: FontSet, view) -> None:
    spec = MAKERS[kind](lines)
    pdf = view(render_pdf(spec, fonts))
    page = _date_page(pdf)
    assert page.number == page_number
    assert all(_rows(p) for p in pdf.pages[:page_number])
    assert not any(_rows(p) for p in pdf.pages[page_number:])  # only a blank page and the 版记 follow

    rows = _rows(page)
    closing = spec.body[-1].text
    assert [text for _, text in rows if text == closing] == [closing]  # the closing formula is on this page
    pitch = min(b[0] - a[0] for a, b in zip(rows, rows[1:], strict=False))
    assert TIGHTEST - TOL <= pitch < PITCH - 1, pitch
    assert _on_grid(rows, pitch)  # one pitch for the whole page, blank lines included
    assert rows[-1][0] == pytest.approx(LAST_LINE, abs=TOL)  # the last line on the block's last line
    # The first line keeps its place: on page one where the same document sets it when nothing is tightened,
    # on a later page on the block's first line.
    first = _rows(view(render_pdf(MAKERS[kind](0), fonts)).pages[0])[0][0] if page_number == 1 else \
        BLOCK_TOP + PITCH / 2
    assert rows[0][0] == pytest.approx(first, abs=TOL)
    # The page holds ``misses`` lines more than the grid gives it from its first line down.
    held = round(_steps(rows, pitch)[-1]) + 1
    grid = round((LAST_LINE - rows[0][0]) / PITCH) + 1
    assert held == grid + misses
    for c in page.body:
        assert BLOCK_LEFT - TOL <= c["x0"] and c["x1"] <= BLOCK_RIGHT + TOL, c["text"]
        assert BLOCK_TOP - TOL <= c["top"] and c["bottom"] <= BLOCK_BOTTOM + TOL, c["text"]
    for before in pdf.pages[:page_number - 1]:  # only the last page of text is tightened
        assert _on_grid(_rows(before), PITCH)


@pytest.mark.parametrize(("kind", "lines", "page_number"), [
    ("report", 3, 1),   # two lines short on page one, which leaves room for 15 lines only at 26 pt
    ("report", 25, 2),  # three lines short
    ("letter", 7, 1),
    ("letter", 29, 2),
])
def test_a_signature_missing_by_more_goes_overleaf_with_the_line_above_it(
        kind: str, lines: int, page_number: int, fonts: FontSet, view) -> None:
    spec = MAKERS[kind](lines)
    pdf = view(render_pdf(spec, fonts))
    page = _date_page(pdf)
    assert page.number == page_number + 1
    rows = _rows(page)
    date_row = next(i for i, (_, text) in enumerate(rows) if text == DATE)
    above = [text for _, text in rows[:date_row - 1]]  # the signature's own line left out
    last_line = spec.attachments[-1] if spec.attachments else spec.body[-1].text
    assert len(above) == 1 and above[0].endswith(last_line[-5:]), above
    for p in pdf.pages[:page.number]:
        assert _on_grid(_rows(p), PITCH), p.number


def test_a_tightened_page_is_drawn_the_same_every_time(fonts: FontSet) -> None:
    """D-4 holds: the pitch is worked out from the layout alone."""
    assert render_pdf(_report(23), fonts) == render_pdf(_report(23), fonts)
