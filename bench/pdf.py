"""N-2 document figures: a two-page advice rendered by the running application (fonts loaded once), and the
same letter converted from .docx by LibreOffice headless — what offices do today with Word/WPS templates. Also
the fonts' loading, parsed and from the on-disk metrics cache (``fonts_parsed_ms``, ``fonts_from_cache_ms``).

    python bench/pdf.py [--json] [--runs N] [--lo-runs N]

Needs `soffice` (Debian: libreoffice-writer-nogui) and python-docx for the comparison; without them the
comparison is reported as unavailable, never estimated.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from report import print_figures

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _font_program_bytes(pdf: bytes) -> int:
    """Bytes of the embedded TrueType programs as stored (compressed; the streams whose dictionary has /Length1):
    most of a letter's size (issue 12 item 4)."""
    total = 0
    for entries in re.findall(rb"<<([^<>]*/Length1 [^<>]*)>>", pdf):
        total += int(re.search(rb"/Length (\d+)", entries).group(1))  # type: ignore[union-attr]
    return total


def measure_render(runs: int = 30) -> dict[str, Any]:
    from hecun_office.documents.fonts import load_fonts
    from hecun_office.documents.gbt9704 import render_pdf
    from hecun_office.documents.samples import two_page_advice

    spec = two_page_advice()
    t0 = time.perf_counter()
    fonts = load_fonts()
    first = render_pdf(spec, fonts)
    first_ms = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        pdf = render_pdf(spec, fonts)
        times.append((time.perf_counter() - t) * 1000)
    assert pdf == first, "rendering is not deterministic"
    return {"pdf_ms_two_pages": round(statistics.median(times), 2), "pdf_ms_two_pages_max": round(max(times), 2),
            "pdf_first_render_with_font_loading_ms": round(first_ms, 1), "pdf_pages": _pages(pdf),
            "pdf_bytes": len(pdf), "pdf_font_program_bytes": _font_program_bytes(pdf), "pdf_runs": runs,
            **measure_font_loading()}


def measure_font_loading(runs: int = 3) -> dict[str, Any]:
    """Resolving the five roles with the font files parsed (an empty metrics cache, which is then written) and
    with their metrics read back from the cache, as every later start does (medians)."""
    from hecun_office.documents.font_cache import MetricsCache
    from hecun_office.documents.fonts import resolve_fonts

    parsed, cached = [], []
    with tempfile.TemporaryDirectory(prefix="hecun-fonts-") as tmp:
        for i in range(runs):
            folder = Path(tmp) / str(i)
            t = time.perf_counter()
            resolve_fonts(cache=MetricsCache(folder))
            parsed.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            cache = MetricsCache(folder)
            resolve_fonts(cache=cache)
            cached.append((time.perf_counter() - t) * 1000)
    return {"fonts_parsed_ms": round(statistics.median(parsed), 1),
            "fonts_from_cache_ms": round(statistics.median(cached), 1), "fonts_files": cache.hits}


def _docx(path: Path) -> None:
    """The same letter as a Word document set up like the offices' templates: A4, GB/T 9704 margins, 仿宋 16 pt."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from hecun_office.documents.model import HeadingLevel
    from hecun_office.documents.samples import two_page_advice

    spec = two_page_advice()
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    def para(text: str, size: float = 16, font: str = "仿宋", bold: bool = False, center: bool = False,
             indent: bool = True) -> None:
        p = doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        p.paragraph_format.line_spacing = Pt(28.95)
        run = p.add_run(text)
        run.font.size, run.bold = Pt(size), bold
        run.font.name = font
        run.element.rPr.rFonts.set(qn("w:eastAsia"), font)

    para(spec.issuer + spec.masthead_suffix, 26, "方正小标宋简体", center=True, indent=False)
    para(spec.number, center=True, indent=False)
    para(spec.title, 22, "方正小标宋简体", center=True, indent=False)
    para(spec.recipient + "：", indent=False)
    for p in spec.body:
        para(p.text, font="黑体" if p.level == HeadingLevel.H1 else "楷体" if p.level == HeadingLevel.H2 else "仿宋")
    para(spec.signature, indent=False)
    para(spec.date_text, indent=False)
    doc.save(str(path))


def measure_libreoffice(runs: int = 5) -> dict[str, Any]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    try:
        import docx  # noqa: F401
    except ImportError:
        return {"pdf_vs_libreoffice": None, "libreoffice_note": "python-docx not installed"}
    if soffice is None:
        return {"pdf_vs_libreoffice": None, "libreoffice_note": "soffice not installed"}
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "advice.docx"
        _docx(source)
        profile = Path(tmp) / "profile"
        for i in range(runs + 1):
            out = Path(tmp) / f"out{i}"
            t = time.perf_counter()
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                            "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=300)
            elapsed = (time.perf_counter() - t) * 1000
            if i > 0:  # the first run creates the LibreOffice profile: not what a clerk's daily use costs
                times.append(elapsed)
            pdf = (out / "advice.pdf").read_bytes()
        pages = _pages(pdf)
    return {"libreoffice_ms_median": round(statistics.median(times), 1), "libreoffice_pages": pages,
            "libreoffice_runs": runs}


def measure(runs: int = 30, lo_runs: int = 5) -> dict[str, Any]:
    ours = measure_render(runs)
    lo = measure_libreoffice(lo_runs)
    result = {**ours, **lo}
    if lo.get("libreoffice_ms_median"):
        result["pdf_vs_libreoffice"] = round(lo["libreoffice_ms_median"] / ours["pdf_ms_two_pages"], 1)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--lo-runs", type=int, default=5)
    args = parser.parse_args()
    result = measure(args.runs, args.lo_runs)
    print_figures(result, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
