"""The bureau's window at the full county year (issue 12 item 10): 390,000 matters from 19 townships at one bureau.
Not a test: it measures and prints figures.

    python bench/bureau_window.py [--json] [--matters N] [--cache DIR] [--rebuild] [--overview-runs N]
                                  [--startup-runs N] [--only overview,startup,gui] [--profile]

Building (once, cached under ``--cache``, default ``~/.cache/hecun-office-bench/bureau-window-<N>``):

- a small county from bench/county.py (19 townships × ``BASE_MATTERS`` matters and ``BASE_DOCUMENTS`` issued
  documents each, their own keys and packets), whose packets are imported at the bureau by the real
  ``services.packet_import.import_packets`` — so every row has the shape the import gives it (office codes, the
  townships' units, timelines, documents, mirrored office obligations, the bureau's own reply obligations);
- that imported year copied in SQL (``INSERT … SELECT`` with shifted ids and fresh UUIDs, registration numbers
  kept unique per office, the full-text index copied row for row) until the bureau holds ``--matters`` (390,000)
  matters with their timelines, documents and obligations in the same proportions; then ``PRAGMA optimize``.

Measured as of the last day of the county's year (so the overview's months are full):

- ``county_overview_ms``: ``services.county.county_overview``, median of ``--overview-runs`` (5) after a first call
  reported apart (``county_overview_first_ms``);
- ``bureau_startup_s``: median of ``--startup-runs`` spawns of ``python -m hecun_office --db FILE`` (offscreen,
  logged in by ``HECUN_OFFICE_BENCH_LOGIN``) from the spawn to the main window shown and painted, after one run
  that writes the bytecode (as bench/run.py ``measure_startup``);
- ``bureau_max_gui_stall_ms``: the real main window in this process (offscreen), a 10 ms ``QTimer`` ticking; the
  largest gap between two ticks while the window shows, its county overview arrives, the 监督事项 list opens and
  the filter is changed (township, status, unit, source, category, track, overdue, serious, dates, a word), each
  change waited out until the list settled; per phase in ``bureau_stall_by_phase_ms``;
- the load average before and after (other work on the machine slows every figure).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this tree, whatever else is installed
sys.path.insert(0, str(Path(__file__).resolve().parent))

import county  # noqa: E402  (bench/county.py: the townships, their keys and packets)
import packets  # noqa: E402
from report import print_figures  # noqa: E402

TARGET_MATTERS = 390_000
BASE_MATTERS = 250  # per township in the imported year that is then copied
BASE_DOCUMENTS = 50
TARGET_OVERVIEW_MS = 100.0
TARGET_STARTUP_S = 1.0
TARGET_STALL_MS = 50.0
BUILD_FORMAT = 1
LOGIN = f"admin:{county.ADMIN_PASSWORD}"


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ---- building ----------------------------------------------------------------------------------------------------

def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _uuid_expr(column: str) -> str:
    """A UUID of its own for copy ``:k`` of a row: its first 8 hex digits replaced by the copy number."""
    return f"printf('%08x', :k) || substr({column}, 9)"


def _copy_table(conn: sqlite3.Connection, table: str, k: int, overrides: dict[str, str], where: str = "",
                params: dict[str, Any] | None = None) -> None:
    cols = _columns(conn, table)
    exprs = [overrides.get(c, c) for c in cols]
    sql = (f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM {table} "
           f"WHERE {where or '1'}")
    conn.execute(sql, {"k": k, **(params or {})})


def _multiply(bureau_file: Path, target: int) -> dict[str, int]:
    """Copy the imported year in SQL until the bureau holds about ``target`` matters."""
    conn = sqlite3.connect(bureau_file)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -400000")
        base = {t: conn.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0]
                for t in ("matters", "matter_events", "documents", "obligations", "office_obligations")}
        base_matters = conn.execute("SELECT count(*) FROM matters WHERE office_code > ''").fetchone()[0]
        copies = max(round(target / base_matters) - 1, 0)
        for k in range(1, copies + 1):
            m, e, d, o, oo = (k * base[t] for t in ("matters", "matter_events", "documents", "obligations",
                                                     "office_obligations"))
            w = {"bm": base["matters"]}
            _copy_table(conn, "matters", k, {
                "id": f"id + {m}", "uuid": _uuid_expr("uuid"), "reg_seq": f"reg_seq + {k} * 100000",
                "reg_no": f"reg_no || '-' || {k}"}, "office_code > '' AND id <= :bm", w)
            conn.execute(f"INSERT INTO matter_units (matter_id, unit_id) SELECT matter_id + {m}, unit_id "
                         "FROM matter_units mu JOIN matters x ON x.id = mu.matter_id "
                         "WHERE x.office_code > '' AND mu.matter_id <= :bm", w)
            conn.execute(f"INSERT INTO matter_search (rowid, tokens) SELECT s.rowid + {m}, s.tokens "
                         "FROM matter_search s JOIN matters x ON x.id = s.rowid "
                         "WHERE x.office_code > '' AND x.id <= :bm", w)
            _copy_table(conn, "matter_events", k, {"id": f"id + {e}", "uuid": _uuid_expr("uuid"),
                                                   "matter_id": f"matter_id + {m}"},
                        "matter_id IN (SELECT id FROM matters WHERE office_code > '' AND id <= :bm)", w)
            _copy_table(conn, "documents", k, {
                "id": f"id + {d}", "uuid": _uuid_expr("uuid"), "matter_id": f"matter_id + {m}",
                "supersedes_id": f"supersedes_id + {d}", "in_reply_to": _uuid_expr("in_reply_to"),
                "seq": f"seq + {k} * 100000", "number": f"number || '-' || {k}"},
                "office_code > '' AND id <= :bd", {"bd": base["documents"]})
            _copy_table(conn, "office_obligations", k, {
                "id": f"id + {oo}", "uuid": _uuid_expr("uuid"), "matter_id": f"matter_id + {m}"},
                "id <= :bo", {"bo": base["office_obligations"]})
            # the bureau's own obligations on the townships' matters (replies to their requests): the rule key
            # names the request's UUID, copied the same way as the request
            prefix = len("assistance_reply:")
            _copy_table(conn, "obligations", k, {
                "id": f"id + {o}", "uuid": _uuid_expr("uuid"), "matter_id": f"matter_id + {m}",
                "rule_key": f"substr(rule_key, 1, {prefix}) || printf('%08x', :k) || substr(rule_key, {prefix + 9})"},
                "id <= :bob AND kind = 'assistance_reply' AND matter_id IN "
                "(SELECT id FROM matters WHERE office_code > '' AND id <= :bm)", {"bob": base["obligations"], **w})
            conn.commit()
            if k % 10 == 0:
                print(f"bureau window build: copy {k}/{copies}", file=sys.stderr)
        conn.execute("PRAGMA optimize")
        conn.execute("ANALYZE")
        conn.commit()
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("matters", "matter_events", "documents", "obligations", "office_obligations")}
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
    return counts


def build(cache: Path, target: int, rebuild: bool) -> dict[str, Any]:
    small, manifest, _ = county.county(cache.parent, len(county.TOWNSHIPS), BASE_MATTERS, BASE_DOCUMENTS, rebuild)
    work = cache.with_name(f"{cache.name}.building-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    began = time.perf_counter()
    shutil.copytree(small / "bureau", work / "bureau")
    shutil.copytree(small / "home", work / "home")
    today = date.fromisoformat(manifest["as_of"])
    files = [small / "packets" / t["packet"] for t in manifest["townships"]]
    bureau_file = work / "bureau" / "bureau.sqlite3"
    from hecun_office.storage.engine import to_url
    from hecun_office.storage.opening import open_database

    with county._home(work / "home"):
        db = open_database(to_url(bureau_file))
        try:
            _, _, outcomes = county._import(db, files, today)
            county._expect(outcomes, "imported", files)
        finally:
            packets._close(db, bureau_file)
    shutil.rmtree(work / "bureau" / "backups", ignore_errors=True)
    t_import = time.perf_counter() - began
    counts = _multiply(bureau_file, target)
    built = {**county.code_version(), "build_format": BUILD_FORMAT, "target": target,
             "built_at": datetime.now().isoformat(timespec="seconds"), "as_of": manifest["as_of"],
             "year": manifest["year"], "import_s": round(t_import, 1),
             "build_s": round(time.perf_counter() - began, 1), **counts}
    (work / "manifest.json").write_text(json.dumps(built, indent=2), encoding="utf-8")
    shutil.rmtree(cache, ignore_errors=True)
    os.replace(work, cache)
    return built


def bureau(cache_root: Path, target: int, rebuild: bool) -> tuple[Path, dict[str, Any]]:
    cache = cache_root / f"bureau-window-{target}"
    manifest_file = cache / "manifest.json"
    if not rebuild and manifest_file.is_file():
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        wanted = {**county.code_version(), "build_format": BUILD_FORMAT}
        if all(manifest.get(k) == v for k, v in wanted.items()):
            return cache, manifest
        print(f"{cache} was built by other code: building it again", file=sys.stderr)
    return cache, build(cache, target, rebuild)


# ---- measuring ---------------------------------------------------------------------------------------------------

def measure_overview(db_file: Path, today: date, runs: int, profile: bool) -> dict[str, Any]:
    from hecun_office.services.county import county_overview
    from hecun_office.storage.engine import to_url
    from hecun_office.storage.opening import open_database

    db = open_database(to_url(db_file))
    try:
        start = time.perf_counter()
        board = county_overview(db, today)
        first = time.perf_counter() - start
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            county_overview(db, today)
            times.append(time.perf_counter() - start)
        out: dict[str, Any] = {
            "county_overview_first_ms": round(first * 1000, 1),
            "county_overview_ms": round(statistics.median(times) * 1000, 1),
            "county_overview_runs_ms": [round(t * 1000, 1) for t in times],
            "county_overview_shows": {"offices": len(board.offices), "open_matters": board.total.open_matters,
                                      "awaiting": len(board.awaiting),
                                      "received": board.total.received_this_year,
                                      "rectification": f"{board.total.rectified_on_time}/"
                                                       f"{board.total.rectification_due}"}}
        if profile:
            prof = cProfile.Profile()
            prof.enable()
            county_overview(db, today)
            prof.disable()
            text = io.StringIO()
            pstats.Stats(prof, stream=text).sort_stats("cumulative").print_stats(30)
            print(text.getvalue(), file=sys.stderr)
        return out
    finally:
        db.dispose()


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, HECUN_OFFICE_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    env.pop("HECUN_OFFICE_DB", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def measure_startup(db_file: Path, home: Path, today: date, runs: int) -> dict[str, Any]:
    env = _env(home)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    env["HECUN_OFFICE_BENCH_LOGIN"] = LOGIN
    seconds: list[float] = []
    for n in range(runs + 1):  # the first run writes the bytecode and is not counted
        env["HECUN_OFFICE_BENCH_STARTUP"] = repr(time.time())
        proc = subprocess.run([sys.executable, "-m", "hecun_office", "--db", str(db_file), "--today",
                               today.isoformat()], env=env,
                              capture_output=True, text=True, timeout=180)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("HECUN_OFFICE_BENCH_STARTUP ")), None)
        if proc.returncode != 0 or line is None:
            raise SystemExit(f"the program did not report its start-up: {proc.returncode} {proc.stderr[-800:]}")
        if n:
            seconds.append(float(line.split()[1]))
    return {"bureau_startup_s": round(statistics.median(seconds), 3), "bureau_startup_runs_s": seconds}


def measure_gui(db_file: Path, home: Path, today: date, stacks: bool = False, gc_freeze: bool = False
                ) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--gui-child", str(db_file),
                           "--today", today.isoformat()] + (["--stacks"] if stacks else [])
                          + (["--gc-freeze"] if gc_freeze else []), env=_env(home),
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise SystemExit(f"the GUI run failed: {proc.stderr[-1500:]}")
    if stacks:
        print("\n".join(ln for ln in proc.stderr.splitlines() if ln.startswith("stall sample")), file=sys.stderr)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


class StallSampler:
    """``--stacks``: while the GUI thread is late for its tick by more than ``LATE_S``, a thread of the bench takes
    its stack every 5 ms; the commonest stacks per phase go to stderr (where a stall's time goes)."""

    LATE_S = 0.025

    def __init__(self, ticker: Any) -> None:
        import collections
        import threading

        self._ticker = ticker
        self._main = threading.main_thread().ident
        self.samples: collections.Counter[tuple[str, str]] = collections.Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        import threading
        import traceback

        while not self._stop.wait(0.005):
            last = getattr(self._ticker, "last_tick", None)
            if last is None or time.perf_counter() - last < self.LATE_S:
                continue
            frames = sys._current_frames()
            names = {t.ident: t.name for t in threading.enumerate()}
            for ident, frame in frames.items():
                if ident == threading.get_ident():
                    continue
                main = ident == self._main
                full = traceback.extract_stack(frame)
                if not main and not any("hecun_office" in f.filename for f in full):
                    continue  # the bench's own threads
                stack = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in full
                         if not main or "hecun_office" in f.filename or "bureau_window" in f.filename][-6:]
                who = "GUI" if main else names.get(ident, "?")
                self.samples[(f"{self._ticker.phase} {who}", " < ".join(reversed(stack)))] += 1

    def report(self) -> None:
        self._stop.set()
        for (phase, stack), n in self.samples.most_common(25):
            print(f"stall sample x{n} [{phase}] {stack}", file=sys.stderr)


def gui_child(db_file: Path, today: date, stacks: bool = False, gc_freeze: bool = False) -> dict[str, Any]:
    """In a process of its own: the real bureau window offscreen, the event loop timed (bench/gui.py's ticker)."""
    from gui import PAUSE_MS, Ticker, commit_text, wait_until
    from PySide6.QtTest import QTest

    from hecun_office.services.users import authenticate
    from hecun_office.storage.engine import to_url
    from hecun_office.storage.opening import open_database
    from hecun_office.ui.app import application, apply_look, build_main_window
    from hecun_office.ui.main_window import MATTERS

    app = application()
    apply_look(app)
    db = open_database(to_url(db_file))
    username, password = LOGIN.split(":", 1)
    actor = authenticate(db, username, password)

    class TimedTicker(Ticker):  # type: ignore[misc]
        last_tick: float | None = None

        def _tick(self) -> None:
            self.last_tick = time.perf_counter()
            super()._tick()

    ticker = TimedTicker()
    sampler = StallSampler(ticker) if stacks else None
    if sampler is not None:
        sampler.start()
    out: dict[str, Any] = {}
    started = time.perf_counter()
    window = build_main_window(db, today=lambda: today, actor=actor)
    out["bureau_window_build_ms"] = round((time.perf_counter() - started) * 1000, 1)
    if gc_freeze:  # --gc-freeze: what the composition root could do once the window is built (see --help)
        import gc

        gc.freeze()
        out["bureau_gc_frozen_objects"] = gc.get_freeze_count()
    window.resize(1366, 768)
    ticker.start()
    ticker.enter("startup")
    window.show()
    county_page = window.dashboard.county
    if county_page is not None and hasattr(county_page, "busy"):
        wait_until(lambda: county_page.overview is not None and not county_page.busy, 60_000)
    QTest.qWait(300)

    ticker.enter("open_list")
    window.show_page(MATTERS)
    page = window.matters.list_page
    loader = page.loader

    def settled() -> bool:
        return not loader.running and not page.filters.pending()

    wait_until(settled, 60_000)
    QTest.qWait(PAUSE_MS)
    bar = page.filters
    changes: list[tuple[Any, int]] = []
    if bar.office.count() > 2:
        changes += [(bar.office, 3), (bar.office, 0)]
    changes += [(bar.status, 1), (bar.status, bar.status.findData("closed")), (bar.unit, 2), (bar.source, 1),
                (bar.category, 3), (bar.track, 2), (bar.status, 0), (bar.unit, 0), (bar.source, 0),
                (bar.category, 0), (bar.track, 0)]
    if bar.office.count() > 2:
        changes += [(bar.office, 7), (bar.status, 1), (bar.office, 0), (bar.status, 0)]
    ticker.enter("filters")
    prof = cProfile.Profile() if stacks else None  # the GUI thread only: where a filter change spends its time
    if prof is not None:
        prof.enable()
    for box, index in changes:
        box.setCurrentIndex(index)
        wait_until(settled, 60_000)
        QTest.qWait(PAUSE_MS // 2)
    for check in (bar.overdue, bar.serious, bar.overdue, bar.serious, bar.date_enabled, bar.date_enabled):
        check.click()
        wait_until(settled, 60_000)
        QTest.qWait(PAUSE_MS // 2)
    if prof is not None:
        prof.disable()
        text = io.StringIO()
        pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(25)
        print("\n".join("stall sample " + ln for ln in text.getvalue().splitlines() if ln.strip()), file=sys.stderr)
    # The county's figures read again on the reader pool (as after a packet import: nothing kept applies) while the
    # clerk goes on filtering: the worker's Python must not hold up the window.
    ticker.enter("filters_during_overview")
    import hecun_office.services.county as county_service

    kept = getattr(county_service, "_TOWNSHIP", None)
    if kept is not None:
        kept.clear()
    county_page.refresh()
    during = 0
    for box, index in changes * 3:
        if not county_page.busy:
            break
        box.setCurrentIndex(index)
        wait_until(settled, 60_000)
        QTest.qWait(PAUSE_MS // 4)
        during += 1
    wait_until(lambda: not county_page.busy, 60_000)
    out["bureau_filter_changes_during_overview"] = during
    ticker.enter("search")
    commit_text(page.search, "问题")
    wait_until(settled, 60_000)
    QTest.qWait(PAUSE_MS // 2)
    bar.clear()
    wait_until(settled, 60_000)
    ticker.enter("end")
    QTest.qWait(100)
    if sampler is not None:
        sampler.report()
    out["bureau_filter_changes"] = len(changes) + 6 + 2
    out["bureau_rows_shown"] = page.model.rowCount()
    out["bureau_stall_by_phase_ms"] = {k: round(v, 1) for k, v in ticker.worst.items() if k not in ("start", "end")}
    out["bureau_max_gui_stall_ms"] = max(out["bureau_stall_by_phase_ms"].values())
    out["bureau_max_filter_stall_ms"] = max(out["bureau_stall_by_phase_ms"].get(p, 0.0)
                                            for p in ("open_list", "filters", "search"))
    window.close()
    db.dispose()
    return out


def measure(cache_root: Path, target: int, rebuild: bool, only: set[str], overview_runs: int, startup_runs: int,
            profile: bool, stacks: bool = False, gc_freeze: bool = False) -> dict[str, Any]:
    cache, manifest = bureau(cache_root, target, rebuild)
    today = date.fromisoformat(manifest["as_of"])
    out: dict[str, Any] = {
        "bureau": (f"{manifest['matters']} matters, {manifest['matter_events']} timeline entries, "
                   f"{manifest['documents']} documents, {manifest['office_obligations']} office obligations, "
                   f"{manifest['obligations']} bureau obligations (year {manifest['year']}, as of {today})"),
        "bureau_cache": str(cache), "bureau_build_s": manifest["build_s"],
        "load_average_before": _load(),
    }
    with tempfile.TemporaryDirectory(prefix="hecun-bench-bureau-") as tmp:
        work = Path(tmp)
        shutil.copytree(cache / "home", work / "home")
        shutil.copytree(cache / "bureau", work / "bureau")
        db_file = work / "bureau" / "bureau.sqlite3"
        with county._home(work / "home"):
            if "overview" in only:
                out.update(measure_overview(db_file, today, overview_runs, profile))
                out["load_average_after_overview"] = _load()
            if "startup" in only:
                out.update(measure_startup(db_file, work / "home", today, startup_runs))
                out["load_average_after_startup"] = _load()
            if "gui" in only:
                out.update(measure_gui(db_file, work / "home", today, stacks, gc_freeze))
    out["load_average_after"] = _load()
    ratios = {}
    if "county_overview_ms" in out:
        ratios["county_overview_ms"] = out["county_overview_ms"] / TARGET_OVERVIEW_MS
    if "bureau_startup_s" in out:
        ratios["bureau_startup_s"] = out["bureau_startup_s"] / TARGET_STARTUP_S
    if "bureau_max_gui_stall_ms" in out:
        ratios["bureau_max_gui_stall_ms"] = out["bureau_max_gui_stall_ms"] / TARGET_STALL_MS
    out["ratio_to_target"] = {k: round(v, 3) for k, v in ratios.items()}
    out["targets"] = {"county_overview_ms": "< 100 ms", "bureau_startup_s": "< 1 s",
                      "bureau_max_gui_stall_ms": "< 50 ms"}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--matters", type=int, default=TARGET_MATTERS, help=f"matters at the bureau ({TARGET_MATTERS})")
    parser.add_argument("--cache", type=Path, default=county.default_cache())
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--overview-runs", type=int, default=5)
    parser.add_argument("--startup-runs", type=int, default=3)
    parser.add_argument("--only", default="overview,startup,gui")
    parser.add_argument("--profile", action="store_true", help="one more overview under cProfile (stderr)")
    parser.add_argument("--stacks", action="store_true",
                        help="sample the GUI thread's stack during stalls over 25 ms (stderr)")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="experiment: gc.freeze() once the window is built (full collections then skip the "
                             "objects of the start-up; a full collection holds the GIL and stalls the window)")
    parser.add_argument("--gui-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--today", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.gui_child:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        print(json.dumps(gui_child(args.gui_child, date.fromisoformat(args.today), args.stacks, args.gc_freeze)))
        return 0
    result = measure(args.cache, args.matters, args.rebuild, set(args.only.split(",")), args.overview_runs,
                     args.startup_runs, args.profile, args.stacks, args.gc_freeze)
    print_figures(result, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
