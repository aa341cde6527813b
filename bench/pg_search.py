"""Text filters on PostgreSQL (issue 12 item 6): plain ILIKE on every matter (before 0005) against the bigram table
and the pg_trgm indexes (services/search.py ``_text_terms``). Not a test: it measures and prints figures.

    python bench/pg_search.py [--matters 100000] [--runs 5] [--ctype C|C.UTF-8] [--url URL] [--json]

A private server is started as tests/pg.py does (or ``--url``: an empty database on a server of your own), a
bureau-less office is set up in a new database with LC_CTYPE ``--ctype`` (C, as the tests' server, makes pg_trgm
skip Chinese letters; C.UTF-8 lets it make trigrams of them), and ``--matters`` synthetic matters are inserted in
bulk (services/demo.py ``add_synthetic``: Core executemany batches with their bigram rows). Then every query is
timed as the list runs it after a filter change (``search_matters``: the first page of 200 and the count), the
median of ``--runs`` after one warm-up, on each path:

- ``ilike``: the filter before 0005, ILIKE on every matter;
- ``bigram``: the bigram table narrows, ILIKE decides (a server without pg_trgm);
- ``trgm``: what the server at hand does: runs of three or more characters through the trigram indexes when
  pg_trgm makes trigrams of them, the others through the bigram table.

Each path is checked to find the same matters as ``ilike``. The load average is printed before and after: the
machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy import text  # noqa: E402

from hecun_office.services import demo, search, setup  # noqa: E402
from hecun_office.services.search import MatterFilter, _ServerText  # noqa: E402
from hecun_office.storage.opening import open_database  # noqa: E402
from hecun_office.storage.uow import Database  # noqa: E402

TODAY = date.today()
# (label, query): Chinese words of two and four characters, one character, names, digits, a phone fragment.
QUERIES = [
    ("cjk2_common", "占道"),
    ("cjk2_name", "祝桂"),
    ("cjk4", "油烟扰民"),
    ("cjk_phrase", "处罚决定未按规定公示"),
    ("cjk1", "祝"),
    ("place_3", "贺村镇"),
    ("phone_7", "1381234"),
    ("phone_4", "5678"),
    ("ref", "GD2024"),
    ("two_runs", "燃气安全 清湖"),
    ("no_match", "不存在的事"),
]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _time(db: Database, query: str, runs: int) -> tuple[float, list[int], int]:
    flt = MatterFilter(text=query)
    page = search.search_matters(db, flt, 200, TODAY)  # warm-up
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        page = search.search_matters(db, flt, 200, TODAY)
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000, [r.id for r in page.rows], page.total


def _forced(server: _ServerText | None) -> Any:
    real = search._server_text

    def server_text(session: Any) -> _ServerText | None:
        return server if server is not None else real(session)
    return server_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--matters", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ctype", default="C")
    parser.add_argument("--url", help="a database on your own server (default: a private server): an empty one is "
                        "set up and filled, one with matters (from an earlier run) is measured as it is")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    server = None
    if args.url:
        url = args.url
    else:
        from pg import start_server

        server = start_server()
        name = f"bench_{uuid.uuid4().hex[:8]}"
        server.admin(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' "
                     f"LC_CTYPE '{args.ctype}'")
        url = server.url(name)
    figures: dict[str, Any] = {"matters": args.matters, "ctype": args.ctype, "load_before": _load()}
    try:
        os.environ.setdefault("HECUN_OFFICE_HOME", str(Path(server.root if server else "/tmp") / "home"))
        db = open_database(url)
        with db.uow() as session:
            held = int(session.scalar(text("SELECT count(*) FROM matters")) or 0)
        figures["fill_s"] = 0.0
        if not held:
            setup.setup_database(db, setup.default_profile(), setup.UserInput("wang", "王晓燕", "clerk", "secret1"),
                                 created_at=datetime(2026, 1, 5, 9, 0))
            began = time.perf_counter()
            demo.add_synthetic(db, args.matters)
            figures["fill_s"] = round(time.perf_counter() - began, 1)
        figures["matters"] = args.matters = held or args.matters
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))  # steady state: hint bits and visibility map set, statistics
        with db.uow() as session:
            figures["server_text"] = repr(search._server_text(session))
            figures["sizes_mb"] = {name: round(int(session.scalar(text(
                f"SELECT pg_total_relation_size('{name}')")) or 0) / 2**20, 1) for name in (
                "matters", "matter_search_grams")}
            figures["sizes_mb"]["trgm_indexes"] = round(int(session.scalar(text(
                "SELECT coalesce(sum(pg_relation_size(indexrelid)), 0) FROM pg_index i JOIN pg_class c "
                "ON c.oid = i.indexrelid WHERE c.relname LIKE 'matter_search_trgm_%'")) or 0) / 2**20, 1)
        paths = {"ilike": _ServerText(False, False, False), "bigram": _ServerText(True, False, False), "trgm": None}
        rows: dict[str, dict[str, Any]] = {}
        real = search._server_text
        for label, query in QUERIES:
            row: dict[str, Any] = {"query": query}
            reference: list[int] | None = None
            for path, forced in paths.items():
                search._server_text = _forced(forced)  # type: ignore[assignment]
                try:
                    ms, ids, total = _time(db, query, args.runs)
                finally:
                    search._server_text = real  # type: ignore[assignment]
                row[f"{path}_ms"] = round(ms, 1)
                row["hits"] = total
                if reference is None:
                    reference = ids
                elif ids != reference:
                    row[f"{path}_DIFFERS"] = True
            rows[label] = row
        figures["queries"] = rows
        figures["load_after"] = _load()
        db.dispose()
    finally:
        if server is not None:
            server.stop()
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
        return 0
    print(f"{args.matters} matters, LC_CTYPE {args.ctype}, filled in {figures['fill_s']} s; "
          f"{figures['server_text']}; sizes MB {figures['sizes_mb']}")
    print(f"{'query':<14}{'text':<14}{'hits':>7}{'ilike ms':>10}{'bigram ms':>11}{'trgm ms':>9}")
    for label, row in rows.items():
        flags = " ".join(k for k in row if k.endswith("DIFFERS"))
        print(f"{label:<14}{row['query']:<14}{row['hits']:>7}{row['ilike_ms']:>10}{row['bigram_ms']:>11}"
              f"{row['trgm_ms']:>9} {flags}")
    print(f"load average before {figures['load_before']}, after {figures['load_after']} "
          f"(os.getloadavg, {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
