"""S-6 enrolment form: one A4 page, read back — the office, its code and the fingerprint's eight groups in large
type, two rows of four, the date and the places for signature and seal; fonts embedded."""

from __future__ import annotations

import io
from datetime import date

import pdfplumber
from pypdf import PdfReader

from hecun_office.documents.enrolment_form import EnrolmentDetails, enrolment_form_pdf

SHOWN = "DC3E 729A 48E3 B418 2BC9 699C 4803 7B47"
A4 = (595.28, 841.89)


def _form(mode: str = "office", name: str = "贺村司法所", code: str = "hecun") -> bytes:
    return enrolment_form_pdf(EnrolmentDetails(mode, name, code, SHOWN, date(2026, 1, 5)), date(2026, 3, 23))


def test_one_a4_page_with_the_office_and_its_fingerprint():
    pdf = _form()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
    assert reader.metadata is not None and reader.metadata.title == "公钥登记表 贺村司法所"
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        text = page.extract_text()
        for expected in ("公钥登记表", "贺村司法所", "hecun", "司法所（乡镇端）", "2026年1月5日", "经办人（签字）",
                         "（盖章）", "填表日期：2026年3月23日", "报司法局登记本所公钥用"):
            assert expected in text, expected
        # The eight groups, in order, each readable as a word; two rows of four.
        groups = [w for w in page.extract_words(x_tolerance=6) if w["text"] in SHOWN.split()]
        rows: dict[int, list[str]] = {}
        for w in sorted(groups, key=lambda w: (round(w["top"]), w["x0"])):
            rows.setdefault(round(w["top"]), []).append(w["text"])
        assert [g for row in rows.values() for g in row] == SHOWN.split()
        assert [len(row) for row in rows.values()] == [4, 4]
        sizes = {round(c["size"]) for c in page.chars if c["text"] in "0123456789ABCDEF"
                 and any(c["top"] == w["top"] for w in groups)}
        assert min(sizes) >= 20  # large enough to read out over the phone
        body = [c for c in page.chars if c["text"] == "贺"]
        assert body and all(c["fontname"] for c in body)


def test_fonts_are_embedded_and_the_bureau_form_says_what_it_is_for():
    pdf = _form("bureau", "江山市司法局", "jiangshan")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = doc.pages[0].extract_text()
    assert "江山市司法局" in text and "司法局（县级端）" in text and "交各司法所绑定本局公钥用" in text
    reader = PdfReader(io.BytesIO(pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
        if descriptor is not None:
            descriptor = descriptor.get_object()
            embedded.append(any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert embedded and all(embedded)


def test_the_same_input_gives_the_same_bytes():
    assert _form() == _form()
