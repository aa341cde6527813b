"""N-2 cold start of `hecun-office render`, as a whole process, against Typst setting a plain letter.

    python bench/render.py [--json] [--runs N]

`render_cli_s`: median wall time of `python -m hecun_office render supervision_advice --data advice.json --out
advice.pdf` (a two-page 行政执法协调监督建议书 draft), from the spawn to the exit, with the font metrics cache warm
and no database (a clerk drafting before set-up, or on another PC), the modules' bytecode compiled as in an
installed program. `render_cli_vs_typst`: the same number of runs of
`python -c "import typst; typst.compile(...)"` — a plain two-page letter of the same geometry (A4, margins 37 mm top
and 28 mm left, a 156 × 225 mm text block, 16 pt body in the font our 仿宋 resolves to, 22 lines a page) — each run
right after one of ours, and the median of the pair ratios, so that a busy moment of the machine weighs on both.

Also, for what a clerk meets on the way: `render_cli_cold_s` (the first run with an empty cache: the fonts are
parsed and the cache written) and `render_cli_set_up_s` (with a set-up database, whose office profile the draft
uses: this run loads the storage layer, which the database-free run does not).

Needs the `typst` package (`pip install -e ".[bench]"`); without it the comparison says so and is not estimated.
"""

from __future__ import annotations

import argparse
import json
import os
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

TODAY = "2026-11-21"  # pinned, so the letter is the same two pages whatever the day
# A supervision advice that sets on two pages with the shipped form (checked on every run: `render_cli_pages`).
ADVICE = {
    "unit": "贺村镇综合行政执法队", "title": "占道经营处罚未告知陈述申辩权",
    "basis": "根据《浙江省行政执法监督规定》，我所对你队2026年以来办理的农村违法建房查处案件开展了行政执法监督检查",
    "facts": "抽查案卷中，有3件案件现场检查笔录未载明执法人员执法证件号码。",
    "legal_basis": "《中华人民共和国行政处罚法》第四十四条、第五十五条",
    "advice": "1．对照问题清单逐件整改。\n2．规范法律文书制作。",
    "evidence": "行政执法案卷评查问题清单\n行政执法监督检查抽查案卷目录",
    "contact": "王晓燕，0570-4567890",
}


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def _typst_available() -> bool:
    try:
        import typst  # noqa: F401
    except ImportError:
        return False
    return True


def _families() -> dict[str, str]:
    """Font family of each role as this machine resolves it, so that Typst sets the letter in the same fonts."""
    from reportlab.pdfbase import pdfmetrics

    from hecun_office.documents.fonts import load_fonts

    fonts = load_fonts()
    out = {}
    for role in ("仿宋", "小标宋"):
        family = pdfmetrics.getFont(fonts.name(role)).face.familyName
        out[role] = family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family)
    return out


def letter_source() -> str:
    """The sample advice's words as a plain Typst letter: title, addressee, body, signature and date."""
    from hecun_office.documents.samples import two_page_advice

    spec = two_page_advice()
    families = _families()
    pitch = 225 / 22  # mm: 22 lines in the 225 mm block
    lines = [
        '#set page(paper: "a4", margin: (top: 37mm, left: 28mm, right: 26mm, bottom: 35mm))',
        f'#set text(font: "{families["仿宋"]}", size: 16pt, lang: "zh", top-edge: 1em, bottom-edge: 0em)',
        f"#set par(leading: {pitch:.4f}mm - 16pt, spacing: {pitch:.4f}mm - 16pt, "
        "first-line-indent: (amount: 2em, all: true), justify: true)",
        f'#align(center, text(font: "{families["小标宋"]}", size: 22pt)[{spec.title}])',
        "",
        f"#par(first-line-indent: 0em)[{spec.recipient}：]",
        "",
    ]
    for paragraph in spec.body:
        lines += [paragraph.text, ""]
    lines += [f"附件：{'；'.join(spec.attachments)}", "",
              f"#align(right)[{spec.signature} \\ {spec.date_text}]", "",
              spec.note or ""]
    return "\n".join(lines) + "\n"


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])} … failed: {proc.stderr[-600:]}")
    return elapsed


def _env(home: Path, cache: Path, pycache: Path) -> dict[str, str]:
    env = dict(os.environ, HECUN_OFFICE_HOME=str(home), HECUN_OFFICE_CACHE=str(cache))
    env.pop("HECUN_OFFICE_DB", None)
    # As an installed program runs: with its modules' bytecode compiled (pip and PyInstaller do that). A
    # PYTHONDONTWRITEBYTECODE in the environment would otherwise make every run compile our sources again (~25 ms);
    # the bytecode goes to the temporary folder, not into the tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def measure(runs: int = 9) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="hecun-render-") as tmp:
        work = Path(tmp)
        data = work / "advice.json"
        data.write_text(json.dumps(ADVICE, ensure_ascii=False), encoding="utf-8")
        ours_pdf = work / "advice.pdf"
        home, cache = work / "home", work / "cache"
        home.mkdir()
        env = _env(home, cache, work / "pycache")
        ours = [sys.executable, "-m", "hecun_office", "--today", TODAY, "render", "supervision_advice",
                "--data", str(data), "--out", str(ours_pdf)]

        _run([sys.executable, "-m", "hecun_office", "forms", "list"], env, work)  # bytecode written, cache empty
        out["render_cli_cold_s"] = round(_run(ours, env, work), 3)  # empty cache: parses and writes the metrics
        out["render_cli_pages"] = _pages(ours_pdf)
        typst_ok = _typst_available()
        if typst_ok:
            source = work / "letter.typ"
            source.write_text(letter_source(), encoding="utf-8")
            letter_pdf = work / "letter.pdf"
            theirs = [sys.executable, "-c", f"import typst; typst.compile({str(source)!r}, output={str(letter_pdf)!r})"]
            _run(theirs, env, work)  # Typst's own first run (its font scan is not cached either way)
            out["typst_pages"] = _pages(letter_pdf)
        ours_s, theirs_s, ratios = [], [], []
        for _ in range(runs):
            ours_s.append(_run(ours, env, work))
            if typst_ok:
                theirs_s.append(_run(theirs, env, work))
                ratios.append(ours_s[-1] / theirs_s[-1])
        out["render_cli_s"] = round(statistics.median(ours_s), 3)
        out["render_cli_runs_s"] = [round(t, 3) for t in ours_s]
        if typst_ok:
            out["typst_letter_s"] = round(statistics.median(theirs_s), 3)
            out["render_cli_vs_typst"] = round(statistics.median(ratios), 2)
            out["render_cli_vs_typst_pairs"] = [round(r, 2) for r in ratios]
        else:
            out["render_cli_vs_typst"] = None
            out["render_cli_vs_typst_note"] = "typst not installed: pip install -e \".[bench]\""

        # With a set-up database the draft carries the office's profile, read through the storage layer.
        subprocess.run([sys.executable, "-m", "hecun_office", "setup", "--password", "bench-pw1"], env=env, cwd=work, check=True,
                       capture_output=True, timeout=300)
        set_up = [_run(ours, env, work) for _ in range(max(3, runs // 3))]
        out["render_cli_set_up_s"] = round(statistics.median(set_up), 3)
        shutil.rmtree(cache, ignore_errors=True)
    out["render_cli_runs"] = runs
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--typ", action="store_true", help="print the Typst letter's source and stop")
    args = parser.parse_args()
    if args.typ:
        print(letter_source())
        return 0
    result = measure(args.runs)
    print_figures(result, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
