"""D-5: a DocumentSpec drawn as a GB/T 9704-2012 PDF (A4, 22 lines × 28 characters, embedded subset fonts).

The same spec and fonts always give the same bytes (reportlab ``invariant=1``), which D-4 relies on to prove
that a reprint is the issued document.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.pdfgen.canvas import Canvas

from .fonts import FontSet, load_fonts
from .layout.build import plan
from .layout.geometry import PAGE_H, PAGE_W
from .layout.paginate import bind, paginate
from .layout.paint import Painter
from .model import DocumentSpec


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)  # font substitutions and missing glyphs, in Chinese


def render(spec: DocumentSpec, fonts: FontSet | None = None) -> Rendered:
    """Lay out and draw ``spec``; the warnings say which fonts stood in for which and which characters a font
    lacked (they are drawn with another font that has them)."""
    fonts = fonts or load_fonts()
    layout = plan(spec, fonts)
    bound = bind(paginate(layout.flow, layout.start), layout.imprint, layout.start)
    pages = bound.pages
    buffer = io.BytesIO()
    # The initial font is ours: reportlab would otherwise put an unembedded Helvetica on every page.
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1,
                    initialFontName=fonts.name("仿宋"))
    canvas.setTitle(spec.title)
    canvas.setAuthor(spec.issuer)
    canvas.setCreator("hecun-office")
    painter = Painter(canvas, fonts)
    for number, placed in enumerate(pages, 1):
        if spec.watermark:
            painter.watermark(spec.watermark)
        if number == 1:
            for item, top in layout.fixed:
                item.paint(painter, top)
        for item, top in placed:
            item.paint(painter, top)
        if len(pages) > 1 and (number > 1 or layout.number_first_page) and number not in bound.unnumbered:
            painter.page_number(number)
        canvas.showPage()
    canvas.save()
    return Rendered(buffer.getvalue(), len(pages), fonts.warnings + fonts.glyph_warnings(painter.missing))


def render_pdf(spec: DocumentSpec, fonts: FontSet | None = None) -> bytes:
    return render(spec, fonts).pdf
