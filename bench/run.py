"""Benchmarks of N-2 on a demo office with many matters. Not a test: it measures and prints figures.

    python bench/run.py [--json] [--matters N] [--keep DIR]

Builds a demo database with ``hecun-office demo --matters N`` (default 100,000) in a temporary directory,
then times opening it, working-day arithmetic, filtering the matter list and the dashboard. Every figure
is a real measurement on this machine; the machine is described in the output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this tree, whatever else is installed

# SPEC N-2 targets the figures are compared with (milliseconds).
TARGETS_MS = {"list_matters_ms_p95": 100.0, "list_matters_rare_ms_p95": 100.0}


def _machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "sqlite": sqlite3.sqlite_version,
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    from importlib.metadata import version

    info["sqlalchemy"] = version("SQLAlchemy")
    return info


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]  # nearest rank


def _timed(fn: Callable[[], object], runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def build_demo(db_file: Path, matters: int, home: Path) -> float:
    env = dict(os.environ, HECUN_OFFICE_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    env.pop("HECUN_OFFICE_DB", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "hecun_office", "--db", str(db_file), "demo", "--matters", str(matters)],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(db_file: Path, today: date) -> dict[str, Any]:
    # Import first so that open_db_s is the opening, not the interpreter loading SQLAlchemy and Alembic.
    from hecun_office.services.calendar import load_calendar
    from hecun_office.services.matters import MatterFilter, count_matters, list_matters
    from hecun_office.services.obligations import dashboard
    from hecun_office.storage.engine import to_url
    from hecun_office.storage.opening import open_database

    out: dict[str, Any] = {}
    start = time.perf_counter()
    db = open_database(to_url(db_file))
    out["open_db_s"] = round(time.perf_counter() - start, 4)
    try:
        out["matters_in_db"] = count_matters(db)

        with db.uow() as session:
            cal = load_calendar(session)
        rng = random.Random(2026)
        base = date(2020, 1, 1)
        calls = [(base + timedelta(days=rng.randrange(7 * 365)), rng.randint(1, 20)) for _ in range(1000)]
        per_call = []
        for trigger, n in calls:
            t0 = time.perf_counter_ns()
            cal.add_working_days(trigger, n)
            per_call.append(time.perf_counter_ns() - t0)
        out["workdays_add_us"] = round(statistics.median(per_call) / 1000, 3)
        out["workdays_add_us_p95"] = round(_p95([float(x) for x in per_call]) / 1000, 3)

        for key, text in (("list_matters", "违法建设"), ("list_matters_rare", "不存在的关键词")):
            times, rows = _timed(lambda text=text: list_matters(db, MatterFilter(text=text)), 20)
            out[f"{key}_ms_p95"] = _ms(_p95(times))
            out[f"{key}_ms_median"] = _ms(statistics.median(times))
            out[f"{key}_rows"] = len(rows)  # type: ignore[arg-type]
        out["list_matters_filter"] = "违法建设 (common word; first page of 500) / 不存在的关键词 (no match: full scan)"

        first, board = _timed(lambda: dashboard(db, today), 1)
        out["dashboard_first_ms"] = _ms(first[0])  # includes refreshing the office's obligations
        times, board = _timed(lambda: dashboard(db, today), 5)
        out["dashboard_ms"] = _ms(statistics.median(times))
        out["dashboard_rows"] = sum(len(getattr(board, k)) for k in ("overdue", "due_today", "upcoming"))
    finally:
        db.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--matters", type=int, default=100_000, help="synthetic matters to add (default 100000)")
    parser.add_argument("--keep", type=Path, help="build the database in DIR and keep it")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="hecun-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        home = work / "home"
        home.mkdir(exist_ok=True)
        os.environ["HECUN_OFFICE_HOME"] = str(home)  # never the clerk's real data directory
        os.environ.pop("HECUN_OFFICE_DB", None)
        db_file = work / "bench.sqlite3"
        if db_file.exists():
            raise SystemExit(f"{db_file} exists; the demo needs a new database")
        result: dict[str, Any] = {"machine": _machine(), "matters_requested": args.matters}
        result["demo_build_s"] = round(build_demo(db_file, args.matters, home), 3)
        result["db_size_mib"] = round(db_file.stat().st_size / 1024 / 1024, 1)
        result.update(measure(db_file, date.today()))
        result["targets_ms"] = TARGETS_MS
        result["ratio_to_target"] = {k: round(result[k] / v, 3) for k, v in TARGETS_MS.items()}

    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
