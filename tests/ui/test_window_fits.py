"""SPEC U-1 / issue 11 item 12: the main window fits the screen at 1366×768 and at 1280×720 with 150 % scaling.

Each size runs in a fresh process: the offscreen platform takes the screen's geometry from a configuration file,
and QT_SCALE_FACTOR gives the 150 % a clerk sets in Windows. The pages scroll inside the window; the window
itself must never be larger than the screen's available area.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys, tempfile
from datetime import date
from hecun_office.services.setup import UserInput, default_profile, setup_database
from hecun_office.storage.opening import open_database
from hecun_office.ui.app import application, apply_look, build_main_window
app = application(); apply_look(app)
db = open_database(f"sqlite:///{tempfile.mkdtemp()}/office.sqlite3", create=True)
setup_database(db, default_profile("office"), UserInput("wang", "王晓", password="secret1"))
window = build_main_window(db, lambda: date(2026, 3, 23))
window.show()
app.processEvents()
sizes = {}
for page in range(window.stack.count()):
    window.show_page(page)
    app.processEvents()
    sizes[page] = window.frameGeometry().size().toTuple()
available = window.screen().availableGeometry().size().toTuple()
window.show_page(1)
app.processEvents()
table = window.matters.list_page.table
from hecun_office.ui.models.matter_table import COL_TITLE
title = [table.columnWidth(COL_TITLE), 12 * table.fontMetrics().horizontalAdvance("中")]
print(json.dumps({"available": available, "sizes": sizes, "minimum": window.minimumSizeHint().toTuple(),
                  "title": title}))
"""


@pytest.mark.parametrize(("width", "height", "scale"), [(1366, 768, "1"), (1280, 720, "1.5")],
                         ids=["1366x768", "1280x720-at-150%"])
def test_the_window_fits_the_screen_on_every_page(tmp_path: Path, width: int, height: int, scale: str) -> None:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "dpr": 1}]}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR=scale,
               HECUN_OFFICE_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-1500:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    aw, ah = result["available"]
    frame = 4  # the offscreen platform's window frame: two pixels on each side
    for page, (w, h) in result["sizes"].items():
        assert w <= aw + frame and h <= ah + frame, (page, (w, h), (aw, ah), result["minimum"])
    width, twelve_characters = result["title"]
    assert width >= twelve_characters, result["title"]  # the title column never shrinks to "食…"
