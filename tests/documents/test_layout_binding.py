"""D-5 and GB/T 9704-2012 on the last pages: the signature takes only the last line of text to a new page
(7.3.5) when a tighter line pitch cannot keep it on its page (7.3.5.4, test_layout_tightening), the 版记 lies
at the foot of the last page as bound — an even page, the paper being printed on both sides (6.2, 7.4.1) — and
a blank page before it leaves both pages unnumbered (7.5)."""

from __future__ import annotations

import pytest

from hecun_office.documents.fonts import FontSet
from hecun_office.documents.gbt9704 import render, render_pdf
from hecun_office.documents.model import DocumentSpec, LayoutKind, Paragraph
from hecun_office.documents.samples import assistance_letter

from .conftest import BLOCK_BOTTOM, MM, TOL, Page, PdfView

PITCH = 225 * MM / 22
FILL = "正" * 400
DATE = "2026年11月21日"
PRINTED = "2026年11月21日印发"
ATTACHMENTS = ("行政执法协调监督建议书", "热线工单", "处罚决定书复印件")


def _report(paragraphs: int, *, imprint: bool = True, watermark: str = "",
            attachments: tuple[str, ...] = ATTACHMENTS) -> DocumentSpec:
    """An escalation report: ``paragraphs`` two-line paragraphs, 特此报告。, three attachments, 附注, 版记."""
    body = [Paragraph(FILL[:54]) for _ in range(paragraphs)] + [Paragraph("特此报告。")]
    return DocumentSpec(LayoutKind.REPORT, "关于提请制发《行政执法监督通知书》的报告", "江山市贺村司法所",
                        number="贺司报〔2026〕7号", signer="李建国", recipient="江山市司法局", body=body,
                        attachments=list(attachments), signature="江山市贺村司法所", date_text=DATE,
                        note="（联系人：王晓燕）", printed_by="江山市贺村司法所" if imprint else "",
                        printed_date_text=PRINTED if imprint else "", watermark=watermark)


def _date(pdf: PdfView) -> tuple[Page, float]:
    ((page, chars),) = [(p, c) for p, c in pdf.find(DATE) if abs(c[0]["size"] - 16) < 0.01]
    return page, chars[0]["top"]


def _text_lines(page: Page) -> list[tuple[float, str]]:
    return [(top, text) for top, text, _ in page.text_lines(16)]


def _imprint_page(pdf: PdfView) -> Page:
    ((page, printed),) = pdf.find(PRINTED)
    assert printed[0]["bottom"] <= BLOCK_BOTTOM + TOL and printed[0]["top"] > BLOCK_BOTTOM - PITCH
    rules = [ln for ln in page.lines if round(ln["linewidth"] / MM, 2) == 0.35]
    assert any(ln["top"] == pytest.approx(BLOCK_BOTTOM, abs=TOL) for ln in rules)  # last rule on the block's edge
    return page


def _numbers(pdf: PdfView) -> list[str]:
    return [page.page_number_text for page in pdf.pages]


@pytest.mark.parametrize("paragraphs", [12, 13])
def test_the_signature_takes_only_the_last_line_of_text_to_a_new_page(paragraphs: int, fonts: FontSet,
                                                                      view) -> None:
    """Issue 11 item 18: this report ran to three pages with page 2 half empty, because the last two lines of
    the body, the whole 附件说明 and the 版记 all travelled with the signature. Only the line above the
    signature (here the last attachment, GB/T 9704 7.3.5.1 "正文（或附件说明）") has to go with it. (Here the
    signature misses page 2 by four and by six lines; by one or two it would stay there with a tighter line
    pitch, test_layout_tightening.)"""
    pdf = view(render_pdf(_report(paragraphs), fonts))
    page, date_top = _date(pdf)
    above = [text for top, text in _text_lines(page) if top < date_top - 1.5 * PITCH]
    assert above == ["3．处罚决定书复印件"], above
    before = pdf.pages[page.number - 2]
    bottom = max(top for top, _ in _text_lines(before)) + PITCH
    room = (BLOCK_BOTTOM - bottom) / PITCH
    assert room < 6 - 0.5  # the moved block (attachment, two lines for the seal, signature, date, 附注) did not fit
    assert page.text_lines(16)[0][1] != "特此报告。"  # the body's last line did not have to go along


def test_text_ending_on_an_even_page_with_room_carries_the_imprint_on_that_page(fonts: FontSet, view) -> None:
    pdf = view(render_pdf(_report(8), fonts))
    assert len(pdf.pages) == 2
    page, date_top = _date(pdf)
    assert page.number == 2 and _imprint_page(pdf) is page
    assert _numbers(pdf) == ["— 1 —", "— 2 —"]


@pytest.mark.parametrize(("paragraphs", "attachments", "text_pages"), [(0, (), 1), (12, ATTACHMENTS, 3)])
def test_text_ending_on_an_odd_page_puts_the_imprint_alone_on_the_back_of_that_leaf(
        paragraphs: int, attachments: tuple[str, ...], text_pages: int, fonts: FontSet, view) -> None:
    """The last face of the document is the even page after the text; no blank page comes before it, so it is
    numbered in sequence (7.5 leaves unnumbered only a 版记 page with a blank page before it). A one-page text
    with a 版记 thus becomes a single leaf printed on both sides."""
    pdf = view(render_pdf(_report(paragraphs, attachments=attachments), fonts))
    page, _ = _date(pdf)
    assert page.number == text_pages
    assert len(pdf.pages) == text_pages + 1
    last = _imprint_page(pdf)
    assert last is pdf.pages[-1] and not _text_lines(last)
    assert all(_text_lines(p) for p in pdf.pages[:-1])
    assert _numbers(pdf) == [f"— {n} —" for n in range(1, text_pages + 2)]


def test_text_ending_on_an_even_page_without_room_gets_a_blank_page_and_neither_is_numbered(
        fonts: FontSet, view) -> None:
    """GB/T 9704-2012 7.5: 公文的版记页前有空白页的，空白页和版记页均不编排页码."""
    pdf = view(render_pdf(_report(10), fonts))
    page, date_top = _date(pdf)
    assert page.number == 2
    note = pdf.one("（联系人：王晓燕）")[1]
    assert note[0]["bottom"] + 2 * PITCH > BLOCK_BOTTOM  # no room left for the two lines of the 版记
    assert len(pdf.pages) == 4
    assert not pdf.pages[2].chars and not pdf.pages[2].lines  # the blank page is blank
    assert _imprint_page(pdf) is pdf.pages[3] and not _text_lines(pdf.pages[3])
    assert _numbers(pdf) == ["— 1 —", "— 2 —", "", ""]


def test_a_draft_keeps_its_watermark_on_the_blank_page(fonts: FontSet, view) -> None:
    pdf = view(render_pdf(_report(10, watermark="样稿"), fonts))
    assert len(pdf.pages) == 4
    assert pdf.pages[2].chars and not pdf.pages[2].body and pdf.pages[2].page_number_text == ""


def test_a_document_without_imprint_ends_with_its_text(fonts: FontSet, view) -> None:
    for paragraphs in (0, 10, 12):
        pdf = view(render_pdf(_report(paragraphs, imprint=False, attachments=()), fonts))
        page, _ = _date(pdf)
        assert page is pdf.pages[-1]
        assert not pdf.find(PRINTED)
        if paragraphs == 0:
            assert _numbers(pdf) == [""]  # a single page has no number
        else:
            assert _numbers(pdf) == [f"— {n} —" for n in range(1, len(pdf.pages) + 1)]


def test_a_letter_puts_its_cc_on_the_back_and_numbers_from_the_second_page(fonts: FontSet, view) -> None:
    """信函格式 (10.1): the 抄送 lies at the foot of the last face too; the first page carries no number."""
    pdf = view(render_pdf(assistance_letter(), fonts))
    assert len(pdf.pages) == 2
    page, cc = pdf.one("抄送：江山市司法局。")
    assert page is pdf.pages[1] and cc[0]["bottom"] <= BLOCK_BOTTOM and cc[0]["top"] > BLOCK_BOTTOM - PITCH
    assert _numbers(pdf) == ["", "— 2 —"]


def test_every_ending_follows_the_standard(fonts: FontSet, view) -> None:
    """A sweep of body lengths across two page breaks: the 版记 is on an even page at the foot of the block, on
    the page with the signature when there is room, alone on the next page after an odd one, after an
    unnumbered blank page otherwise; every other page is numbered."""
    seen = set()
    for paragraphs in range(6, 20):
        spec = _report(paragraphs)
        result = render(spec, fonts)
        pdf = view(result.pdf)
        page, _ = _date(pdf)
        imprint = _imprint_page(pdf)
        assert imprint is pdf.pages[-1] and imprint.number % 2 == 0 and result.pages == len(pdf.pages)
        gap = imprint.number - page.number
        seen.add(gap)
        numbered = [f"— {n} —" for n in range(1, page.number + 1)]
        if gap == 0:
            assert _numbers(pdf) == numbered
        elif gap == 1:
            assert page.number % 2 == 1 and _numbers(pdf) == [*numbered, f"— {imprint.number} —"]
        else:
            assert gap == 2 and page.number % 2 == 0 and _numbers(pdf) == [*numbered, "", ""]
            assert not pdf.pages[page.number].chars
    assert seen == {0, 1, 2}


def test_the_signature_block_still_never_stands_alone(fonts: FontSet, view) -> None:
    """A body of one short line: the signature and the line above it stay on page one."""
    pdf = view(render_pdf(_report(0, attachments=()), fonts))
    page, date_top = _date(pdf)
    assert page.number == 1
    assert [text for top, text in _text_lines(page) if top < date_top - 1.5 * PITCH][-1] == "特此报告。"
