"""Issue 16 figures (SPEC O-3, O-5, N-2): a county-sized case-file review.

- ``review_sample_cli_s``: ``hecun-office review sample --files LIST.xlsx --seed N --json`` as a whole process on
  a list of 19 units × 1,000 files (19,000 rows: far more than a quarter's review), median of 3.
- ``review_batch_s``: the same list into a review batch of an office database (add_files), the draw
  (draw_sample), and the batch read back for the page (batch_detail), in this process; and whether the batch drew
  exactly what the command printed (``review_same_sample``).

    python bench/review.py [--json] [--units 19] [--files 1000]
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
from datetime import date
from pathlib import Path
from typing import Any

from report import print_figures

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = 20261203


def _write_list(path: Path, units: int, files: int) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("案卷清单")
    sheet.append(["序号", "被评查单位", "案卷编号", "案件名称"])
    n = 0
    for u in range(units):
        for f in range(1, files + 1):
            n += 1
            sheet.append([n, f"第{u + 1:02d}执法单位", f"江执罚〔2026〕{f}号", f"案件{f}"])
    book.save(path)


def measure(units: int = 19, files: int = 1000, runs: int = 3) -> dict[str, Any]:
    from hecun_office.review.case_list import read_case_list
    from hecun_office.services import case_review, setup
    from hecun_office.storage.opening import open_database

    with tempfile.TemporaryDirectory(prefix="hecun-review-") as tmp:
        work = Path(tmp)
        os.environ["HECUN_OFFICE_HOME"] = str(work / "home")
        listed = work / "list.xlsx"
        _write_list(listed, units, files)
        command = [sys.executable, "-m", "hecun_office", "review", "sample", "--files", str(listed),
                   "--seed", str(SEED), "--json"]
        times, printed = [], ""
        for _ in range(runs):
            started = time.perf_counter()
            proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            times.append(time.perf_counter() - started)
            if proc.returncode != 0:
                raise SystemExit(f"review sample failed: {proc.stderr[-800:]}")
            printed = proc.stdout
        cli = json.loads(printed)

        db = open_database(f"sqlite:///{work / 'office.sqlite3'}")
        setup.setup_database(db, setup.ProfileInput(), setup.UserInput("admin", "管理员", password="secret1"))
        actor = setup.default_actor(db)
        started = time.perf_counter()
        batch = case_review.create_batch(db, actor, case_review.BatchInput("基准", date(2026, 1, 1), date(2026, 3, 31)))
        case_review.add_files(db, actor, batch, read_case_list(listed))
        added = time.perf_counter()
        case_review.draw_sample(db, actor, batch, SEED)
        drawn = time.perf_counter()
        detail = case_review.batch_detail(db, batch)
        read = time.perf_counter()
        db.dispose()
    from_cli = {(u["unit"], f["number"]) for u in cli["units"] for f in u["drawn"]}
    from_batch = {(f.unit, f.file_no) for f in detail.files if f.drawn}
    return {"review_list_rows": units * files, "review_sample_cli_s": round(statistics.median(times), 3),
            "review_sample_cli_runs_s": [round(t, 3) for t in times],
            "review_batch_s": round(read - started, 3), "review_batch_import_s": round(added - started, 3),
            "review_batch_draw_s": round(drawn - added, 3), "review_batch_detail_s": round(read - drawn, 3),
            "review_drawn": len(from_batch), "review_same_sample": from_cli == from_batch,
            "load_average": list(os.getloadavg())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--units", type=int, default=19)
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    print_figures(measure(args.units, args.files), args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
