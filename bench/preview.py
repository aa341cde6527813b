"""N-2 "the editor's first preview under 300 ms": from opening the document editor to its first preview painted.

    python bench/preview.py [--json] [--runs N]

Each run is a fresh interpreter, as a clerk's first editor of the day is: the office database is set up and the
editor's modules are imported first (the main window has them), then the clock starts, `EditorDialog` is built on
a complete supervision advice and shown offscreen, and the clock stops when the preview shows a loaded document
and its first page has been drawn at the preview's width (``QPdfDocument.render``, what the view paints) and the
dialog grabbed. Font metrics come from a warm on-disk cache (a run before the measured ones fills it). The
rendering itself, fonts included, happens on the editor's own reader thread, as in the application.

`first_preview_ms` is the median; `first_preview_runs_ms` every run. Needs PySide6 with QtPdf (the application's
own dependencies). A measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
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

TODAY = (2026, 11, 21)


def one_run(work: Path) -> dict[str, Any]:
    """In this (fresh) process: set up, then time one editor to its first painted preview."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from datetime import date

    from PySide6.QtCore import QEventLoop, QSize, QTimer
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtWidgets import QApplication

    from hecun_office.services import documents
    from hecun_office.services.setup import (
        UserInput,
        default_actor,
        default_profile,
        is_set_up,
        setup_database,
    )
    from hecun_office.storage.engine import to_url
    from hecun_office.storage.opening import open_database
    from hecun_office.ui.context import UiContext
    from hecun_office.ui.documents.editor_dialog import EditorDialog
    from hecun_office.ui.tasks import TaskRunner

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from render import ADVICE

    app = QApplication.instance() or QApplication([])
    db_file = work / "office.sqlite3"
    db = open_database(to_url(db_file))
    if not is_set_up(db):  # the first run sets the office up; the measured ones find it
        setup_database(db, default_profile(), UserInput("admin", "管理员", "admin", ""))
    today = date(*TODAY)
    values = documents.draft_values(db, "supervision_advice", None, today)
    values.update(ADVICE)
    ctx = UiContext(db=db, today=lambda: today, actor=default_actor(db), tasks=TaskRunner())

    # The GUI thread waits in Qt's own event loop, as the application's does: a Python loop polling the preview
    # would take the interpreter lock from the thread that renders it.
    loop = QEventLoop()
    timeout = QTimer()
    timeout.setSingleShot(True)
    timeout.timeout.connect(loop.quit)
    start = time.perf_counter()
    dialog = EditorDialog(ctx, "supervision_advice", None, values)
    dialog.preview_updated.connect(loop.quit)
    dialog.preview_failed.connect(loop.quit)
    dialog.show()
    timeout.start(60_000)
    loop.exec()
    shown_ms = (time.perf_counter() - start) * 1000
    doc = dialog.preview_document
    if doc is None or doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
        raise SystemExit(f"no preview within 60 s: {dialog.preview_message_text()!r}")
    page = doc.pagePointSize(0)
    width = max(200, dialog.width() // 2)
    image = doc.render(0, QSize(width, round(width * page.height() / page.width())))
    dialog.grab()
    painted_ms = (time.perf_counter() - start) * 1000
    pages = doc.pageCount()
    dialog.close()
    ctx.tasks.wait()
    db.dispose()
    app.processEvents()
    return {"first_preview_ms": round(painted_ms, 1), "preview_shown_ms": round(shown_ms, 1), "pages": pages,
            "image_null": image.isNull()}


def measure(runs: int = 5) -> dict[str, Any]:
    times, shown = [], []
    pages = None
    with tempfile.TemporaryDirectory(prefix="hecun-preview-") as tmp:
        work = Path(tmp)
        env = dict(os.environ, HECUN_OFFICE_HOME=str(work / "home"), HECUN_OFFICE_CACHE=str(work / "cache"),
                   QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=str(work / "pycache"))
        env.pop("HECUN_OFFICE_DB", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode compiled, as in an installed program (bench/render.py)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
        for i in range(runs + 1):
            proc = subprocess.run([sys.executable, __file__, "--one", str(work)], env=env, capture_output=True,
                                  text=True, timeout=300)
            if proc.returncode != 0:
                raise SystemExit(f"bench/preview.py run failed: {proc.stderr[-800:]}")
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            if i == 0:
                continue  # fills the font metrics cache and the bytecode: not what a clerk's day looks like
            times.append(result["first_preview_ms"])
            shown.append(result["preview_shown_ms"])
            pages = result["pages"]
    return {"first_preview_ms": round(statistics.median(times), 1), "first_preview_runs_ms": times,
            "first_preview_shown_ms": round(statistics.median(shown), 1), "first_preview_pages": pages}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # one measured run in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.one)))
        return 0
    result = measure(args.runs)
    print_figures(result, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
