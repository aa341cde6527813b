"""Text filters on PostgreSQL (issue 12 item 6): plain ILIKE on every matter (the filter before 0005) against the
bigram table of 0005 (services/search.py ``_text_terms``), and, for the record, against pg_trgm's trigram indexes.
Not a test: it measures and prints figures.

    python bench/pg_search.py [--matters 100000] [--runs 5] [--ctype C|C.UTF-8] [--url URL] [--no-trgm] [--json]

A private server is started as tests/pg.py does (or ``--url``: a database on a server of your own; an empty one is
set up and filled, one with matters from an earlier run is measured as it is). The new database has LC_CTYPE
``--ctype``: C, as the tests' server, where pg_trgm makes no trigrams of Chinese letters, or C.UTF-8, where it
does (and ILIKE lowers by the locale). ``--matters`` synthetic matters are inserted in bulk (services/demo.py
``add_synthetic``: Core executemany batches, their bigram rows with them), then VACUUM ANALYZE. Every query is
timed as the list runs it after a filter change (``search_matters``: the first page of 200 and the count), the
median of ``--runs`` after one warm-up, on each path:

- ``ilike``: the filter before 0005, ILIKE on every matter;
- ``bigram``: what services/search.py does: the bigram table names the candidates, ILIKE decides;
- ``trgm`` (unless ``--no-trgm``): pg_trgm is created here with GIN trigram indexes on the five searched columns
  and matter_refs.source_ref, and runs of three characters or more that pg_trgm makes trigrams of go through
  them (one set of ids, a union), shorter ones through the bigram table: the design 0005 did not take.

Each path is checked to find the same matters as ``ilike``. The load average is printed before and after: the
machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
import unicodedata
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy import ColumnElement, or_, select, text, union  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from hecun_office.services import demo, search, setup  # noqa: E402
from hecun_office.services.search import MatterFilter  # noqa: E402
from hecun_office.storage.models import Matter, MatterRef  # noqa: E402
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
    ("digits_7", "1381234"),
    ("digits_4", "5678"),
    ("ref", "GD2024"),
    ("two_runs", "燃气安全 清湖"),
    ("no_match", "不存在的事"),
]
TRGM_INDEXES = [("matters", col) for col in ("title", "facts", "parties", "reg_no", "source_ref")] + [
    ("matter_refs", "source_ref")]


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


def _trgm_terms(trgm_han: bool) -> Callable[[Session, str], list[ColumnElement[bool]]]:
    """services/search.py ``_text_terms`` with the trigram indexes for the runs they can narrow."""
    real = search._text_terms

    def terms(session: Session, words: str) -> list[ColumnElement[bool]]:
        runs = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", words).casefold())
        long = [r for r in runs if len(r) >= 3 and (trgm_han or r.isascii())]
        short = " ".join(r for r in runs if r not in long)
        out = real(session, short) if short else []
        for run in long:
            like = search._like(run)
            cols = (Matter.title, Matter.facts, Matter.parties, Matter.reg_no, Matter.source_ref)
            out.append(Matter.id.in_(union(select(Matter.id).where(or_(*(c.ilike(like, escape="\\") for c in cols))),
                                           select(MatterRef.matter_id).where(
                                               MatterRef.source_ref.ilike(like, escape="\\")))))
        return out
    return terms


def _fill(db: Database, matters: int) -> float:
    setup.setup_database(db, setup.default_profile(), setup.UserInput("wang", "王晓燕", "clerk", "secret1"),
                         created_at=datetime(2026, 1, 5, 9, 0))
    began = time.perf_counter()
    demo.add_synthetic(db, matters)
    return round(time.perf_counter() - began, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--matters", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ctype", default="C")
    parser.add_argument("--url", help="a database on your own server (default: a private server)")
    parser.add_argument("--no-trgm", action="store_true", help="leave pg_trgm out")
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
        os.environ.setdefault("HECUN_OFFICE_HOME", str(server.root / "home"))
    figures: dict[str, Any] = {"ctype": args.ctype, "load_before": _load()}
    try:
        db = open_database(url)
        with db.uow() as session:
            held = int(session.scalar(text("SELECT count(*) FROM matters")) or 0)
        figures["fill_s"] = _fill(db, args.matters) if not held else None
        trgm_han = False
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if not args.no_trgm:
                began = time.perf_counter()
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
                for table, col in TRGM_INDEXES:
                    conn.execute(text(f"CREATE INDEX IF NOT EXISTS bench_trgm_{table}_{col} ON {table} "
                                      f"USING gin ({col} gin_trgm_ops)"))
                figures["trgm_build_s"] = round(time.perf_counter() - began, 1)
                trgm_han = bool(conn.scalar(text("SELECT cardinality(show_trgm('经营者')) > 0")))
            conn.execute(text("VACUUM ANALYZE"))  # steady state: hint bits and visibility map set, statistics
            figures["matters"] = conn.scalar(text("SELECT count(*) FROM matters"))
            figures["ctype"] = conn.scalar(text("SELECT datctype FROM pg_database WHERE datname = current_database()"))
            figures["sizes_mb"] = {name: round(int(conn.scalar(text(
                f"SELECT pg_total_relation_size('{name}')")) or 0) / 2**20, 1) for name in (
                "matters", "matter_search_grams")}
            figures["sizes_mb"]["trgm_indexes"] = round(int(conn.scalar(text(
                "SELECT coalesce(sum(pg_relation_size(c.oid)), 0) FROM pg_class c "
                "WHERE c.relname LIKE 'bench_trgm_%'")) or 0) / 2**20, 1)
        figures["trgm_han"] = trgm_han
        real_terms, real_grams = search._text_terms, search._has_grams
        paths: dict[str, Callable[[], None]] = {
            "ilike": lambda: setattr(search, "_has_grams", lambda session: False),
            "bigram": lambda: None,
        }
        if not args.no_trgm:
            paths["trgm"] = lambda: setattr(search, "_text_terms", _trgm_terms(trgm_han))
        rows: dict[str, dict[str, Any]] = {}
        for label, query in QUERIES:
            row: dict[str, Any] = {"query": query}
            reference: list[int] | None = None
            for path, switch in paths.items():
                switch()
                try:
                    ms, ids, total = _time(db, query, args.runs)
                finally:
                    search._text_terms, search._has_grams = real_terms, real_grams
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
    print(f"{figures['matters']} matters, LC_CTYPE {figures['ctype']}, filled in {figures['fill_s']} s, "
          f"pg_trgm indexes built in {figures.get('trgm_build_s')} s (Chinese trigrams: {trgm_han}); "
          f"sizes MB {figures['sizes_mb']}")
    print(f"{'query':<14}{'text':<12}{'hits':>7}" + "".join(f"{p + ' ms':>11}" for p in paths))
    for label, row in rows.items():
        flags = " ".join(k for k in row if k.endswith("DIFFERS"))
        print(f"{label:<14}{row['query']:<12}{row['hits']:>7}" + "".join(f"{row[p + '_ms']:>11}" for p in paths)
              + (f"  {flags}" if flags else ""))
    print(f"load average before {figures['load_before']}, after {figures['load_after']} "
          f"(os.getloadavg, {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
