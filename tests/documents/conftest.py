"""Reading rendered PDFs back: characters with positions and fonts (pdfplumber), lines, text per grid line."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pdfplumber
import pytest
from reportlab.pdfbase import pdfmetrics

from hecun_office.documents import samples
from hecun_office.documents.fonts import FontSet, load_fonts
from hecun_office.documents.gbt9704 import Rendered, render
from hecun_office.documents.model import DocumentSpec

MM = 72 / 25.4
BLOCK_LEFT, BLOCK_RIGHT = 28 * MM, 184 * MM
BLOCK_TOP, BLOCK_BOTTOM = 37 * MM, 262 * MM
TOL = 0.02  # points; positions are written with six significant digits
RED = (0.86, 0.0, 0.0)

Char = dict[str, Any]


def font_name(fonts: FontSet, role: str) -> str:
    """The PostScript name a role's font carries in the PDF (after the subset tag)."""
    face = pdfmetrics.getFont(fonts.name(role)).face
    name = face.name.decode("latin-1") if isinstance(face.name, bytes) else str(face.name)
    return name


def in_role(char: Char, fonts: FontSet, role: str) -> bool:
    return char["fontname"].split("+", 1)[-1].startswith(font_name(fonts, role))


def is_red(obj: Char) -> bool:
    colour = obj.get("non_stroking_color") if "text" in obj else obj.get("stroking_color")
    return tuple(colour or ()) == RED


def is_watermark(char: Char) -> bool:
    return tuple(char.get("non_stroking_color") or ()) == (0.86,)


def is_page_number(char: Char) -> bool:
    return char["top"] > BLOCK_BOTTOM and char["size"] == 14


@dataclass
class Page:
    number: int
    width: float
    height: float
    chars: list[Char]
    lines: list[Char]

    @property
    def body(self) -> list[Char]:
        """Everything except masthead, watermark and page number: what must stay inside the text block."""
        return [c for c in self.chars if not (is_red(c) or is_watermark(c) or is_page_number(c))]

    def text_lines(self, size: float | None = None) -> list[tuple[float, str, list[Char]]]:
        """Body characters grouped by baseline, top to bottom: (top, text, chars)."""
        rows: dict[float, list[Char]] = {}
        for c in self.body:
            if size is None or abs(c["size"] - size) < 0.01:
                rows.setdefault(round(self.height - c["matrix"][5], 1), []).append(c)
        out = []
        for _, chars in sorted(rows.items()):
            chars.sort(key=lambda c: c["x0"])
            out.append((min(c["top"] for c in chars), "".join(c["text"] for c in chars), chars))
        return out

    @property
    def page_number_text(self) -> str:
        return "".join(c["text"] for c in sorted(self.chars, key=lambda c: c["x0"]) if is_page_number(c))

    def text(self) -> str:
        return "".join(line for _, line, _ in self.text_lines())


@dataclass
class PdfView:
    pdf: bytes
    pages: list[Page]

    def find(self, text: str) -> list[tuple[Page, list[Char]]]:
        """Every place ``text`` occurs on a single grid line."""
        found = []
        for page in self.pages:
            for _, line, chars in page.text_lines():
                start = line.find(text)
                while start >= 0:
                    found.append((page, chars[start:start + len(text)]))
                    start = line.find(text, start + 1)
        return found

    def one(self, text: str) -> tuple[Page, list[Char]]:
        found = self.find(text)
        assert len(found) == 1, f"{text!r} found {len(found)} times"
        return found[0]


def read_pdf(pdf: bytes) -> PdfView:
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for i, p in enumerate(doc.pages, 1):
            pages.append(Page(i, float(p.width), float(p.height), list(p.chars), list(p.lines)))
    return PdfView(pdf, pages)


@pytest.fixture(scope="session")
def fonts() -> FontSet:
    return load_fonts()


@pytest.fixture(scope="session")
def view() -> Callable[[bytes], PdfView]:
    return read_pdf


SAMPLES = {
    "advice": lambda: samples.two_page_advice(),
    "draft": lambda: samples.two_page_advice(watermark="样稿"),
    "report": samples.one_page_report,
    "letter": samples.assistance_letter,
    "receipt": samples.service_receipt,
    "long": samples.long_summary,
    "preprinted": lambda: replace(samples.two_page_advice(), preprinted=True),
}


@dataclass
class Sample:
    spec: DocumentSpec
    result: Rendered
    view: PdfView


@pytest.fixture(scope="session")
def sample(fonts: FontSet) -> Callable[[str], Sample]:
    """The shipped samples, each rendered and read back once per test session."""
    cache: dict[str, Sample] = {}

    def get(name: str) -> Sample:
        if name not in cache:
            spec = SAMPLES[name]()
            result = render(spec, fonts)
            cache[name] = Sample(spec, result, read_pdf(result.pdf))
        return cache[name]

    return get
