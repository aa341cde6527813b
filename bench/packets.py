"""N-2 exchange figures: a year's packet (2,000 matters, 4,000 documents) exported in under 10 s and imported at
the bureau at 1,000+ matters/s. Not a test: it measures and prints figures.

    python bench/packets.py [--json] [--runs N] [--profile [--top N]] [--keep DIR] [--pdf-bytes N]

Sets up an office (贺村司法所) and a bureau (江山市司法局) in a temporary directory (HECUN_OFFICE_HOME pointed
there, so the keys' protection secrets never touch the real data directory), exchanges their public keys the way
the enrolment forms do (the bureau enrols the office key, the office pins the bureau key), and fills the office
with one realistic year in Core bulk inserts: 2,000 matters with their units, timelines (~5 events each) and
obligations (3 each), and 4,000 issued documents, each with its own stored PDF. The PDFs are real ones rendered by
``hecun_office.documents`` (a two-page advice and a letter); every document gets those bytes with its own trailer
comment, so that each has its own SHA-256 and its own member in the packet, as real issued documents do.

``packet_export_s_year``: wall time of one ``export_data_packet`` run to its end (selecting, JSON, zipping, HPKE
encryption, signing, keeping the packet in the database, writing with fsync, reading back and verifying,
committing), on a fresh copy of the office database each run so that every export carries the whole year.
``import_matters_per_s``: 2,000 ÷ the wall time of ``import_bytes`` (verify, decrypt, check, apply, commit) of
that packet on a fresh copy of the freshly set-up bureau database each run. Medians of ``--runs`` (3), with every
run, the process's CPU time (barely moved by other work on the machine, unlike the wall time), the export's time
per progress step, the packet's size and the peak memory. ``--profile`` adds one export and one import under
cProfile; ``--pdf-bytes N`` (diagnosis, not the figure) cuts the PDFs to tell the records' cost from the bytes'.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this tree, whatever else is installed

YEAR_MATTERS = 2000
YEAR_DOCUMENTS = 4000
TARGET_EXPORT_S = 10.0  # N-2: a year's packet exported in under 10 s
TARGET_IMPORT_MPS = 1000.0  # N-2: imported at the bureau at 1,000+ matters/s
EXPORT_PHASES = ("select_matters", "select_events", "select_documents_and_pdfs", "select_obligations_attachments",
                 "seal_zip_encrypt_sign", "keep_write_fsync_verify_commit")

# (actions with the status each leaves, weight): a year's matters end mostly closed (~5 timeline entries each).
PATHS: list[tuple[list[tuple[str, str]], int]] = [
    ([("register", "registered"), ("start_verification", "verifying"), ("issue_advice", "advice_issued"),
      ("record_service", "advice_issued"), ("start_rectification", "rectifying"),
      ("confirm_rectified", "rectified"), ("close", "closed")], 30),
    ([("register", "registered"), ("start_verification", "verifying"), ("close_no_issue", "closed")], 20),
    ([("register", "registered"), ("start_verification", "verifying"), ("issue_advice", "advice_issued"),
      ("record_service", "advice_issued"), ("start_rectification", "rectifying")], 15),
    ([("register", "registered"), ("start_verification", "verifying"), ("issue_advice", "advice_issued"),
      ("mark_overdue", "overdue"), ("escalate", "escalated")], 10),
    ([("register", "registered"), ("start_verification", "verifying"), ("mark_out_of_scope", "out_of_scope"),
      ("transfer", "transferred")], 10),
    ([("register", "registered"), ("start_verification", "verifying"), ("need_assistance", "assistance_needed"),
      ("send_assistance_request", "assisting"), ("record_assistance_reply", "assistance_answered"),
      ("resume_verification", "verifying")], 10),
    ([("register", "registered"), ("start_verification", "verifying")], 5),
]
# (form, number code, sample PDF, weight) of the office's numbered documents.
FORMS = [("supervision_advice", "建", "advice", 50), ("rectification_reminder", "督", "letter", 20),
         ("escalation_report", "报", "advice", 12), ("clue_transfer", "移", "letter", 10),
         ("assistance_request", "函", "letter", 3), ("meeting_minutes", "纪", "advice", 5)]
OBLIGATIONS = [("rectification", "整改期限"), ("service_receipt", "送达回证待收回"), ("periodic_report", "定期报送工作情况"),
               ("escalation_report", "逾期未改报告司法局"), ("bureau_reply", "等待司法局协作反馈")]


def _machine() -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import _machine as machine  # one description of the machine for every bench

    return machine()


def _load() -> list[float] | None:
    """The machine's load: other work running at the same time slows every figure."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _peak_rss_mib() -> float | None:
    """The process's peak resident memory so far: a year's packet is held in memory several times over."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (2**20 if sys.platform == "darwin" else 1024), 1)


def ratios(result: dict[str, Any]) -> dict[str, float]:
    """Figure against the N-2 target, below 1 meets it (as bench/run.py): seconds ÷ 10 s; 1,000 matters/s ÷ rate."""
    return {"packet_export_s_year": round(result["packet_export_s_year"] / TARGET_EXPORT_S, 3),
            "import_matters_per_s": round(TARGET_IMPORT_MPS / result["import_matters_per_s"], 3)}


def sample_pdfs() -> dict[str, bytes]:
    """Real issued-looking PDFs from the application's own renderer (fonts loaded once)."""
    from hecun_office.documents.fonts import load_fonts
    from hecun_office.documents.gbt9704 import render_pdf
    from hecun_office.documents.samples import assistance_letter, two_page_advice

    fonts = load_fonts()
    return {"advice": render_pdf(two_page_advice(), fonts), "letter": render_pdf(assistance_letter(), fonts)}


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def _open(file: Path) -> Any:
    from hecun_office.services.setup import ensure_calendar
    from hecun_office.storage.engine import to_url
    from hecun_office.storage.opening import open_database

    db = open_database(to_url(file))
    ensure_calendar(db)
    return db


def _close(db: Any, file: Path) -> None:
    """Dispose the engine; closing the last connection checkpoints the WAL so that the file alone is the database."""
    db.dispose()
    for suffix in ("-wal", "-shm"):
        side = file.with_name(file.name + suffix)
        if side.exists() and side.stat().st_size:
            raise SystemExit(f"{side} is not empty after closing the database; cannot copy {file} alone")


def set_up(work: Path) -> tuple[Path, Path]:
    """A pristine office and bureau that know each other's keys; returns their database files (closed)."""
    from hecun_office.services import exchange_keys as ek
    from hecun_office.services.setup import (
        ProfileInput,
        UserInput,
        default_actor,
        default_profile,
        setup_database,
    )

    office_file, bureau_file = work / "office.sqlite3", work / "bureau.sqlite3"
    office, bureau = _open(office_file), _open(bureau_file)
    setup_database(office, ProfileInput(), UserInput("admin", "管理员", "admin", "hecun2026"))
    setup_database(bureau, default_profile("bureau"), UserInput("admin", "管理员", "admin", "hecun2026"))
    ek.add_peer(bureau, default_actor(bureau), ek.export_public(office), ek.own_key(office).fingerprint)
    ek.add_peer(office, default_actor(office), ek.export_public(bureau), ek.own_key(bureau).fingerprint)
    _close(office, office_file)
    _close(bureau, bureau_file)
    return office_file, bureau_file


def add_year(office_file: Path, year: int, pdfs: dict[str, bytes], matters: int = YEAR_MATTERS,
             documents: int = YEAR_DOCUMENTS, seed: int = 2026, batch: int = 500) -> dict[str, int]:
    """One year of an office in Core bulk inserts (as services/demo.py add_synthetic does)."""
    from sqlalchemy import insert, select

    from hecun_office.services import audit
    from hecun_office.services.demo import SYNTHETIC_PLACES, SYNTHETIC_PROBLEMS, SYNTHETIC_WORDS, _person
    from hecun_office.services.search import bulk_index
    from hecun_office.storage import blobs
    from hecun_office.storage.models import (
        Document,
        DocumentFile,
        Matter,
        MatterEvent,
        NumberSequence,
        Obligation,
        OfficeProfile,
        Unit,
        User,
        matter_units,
    )

    rng = random.Random(seed)
    db = _open(office_file)
    with db.uow() as session:
        units = list(session.execute(select(Unit.id, Unit.name)))
        handler_id, handler = session.execute(select(User.id, User.display_name).order_by(User.id)).one()
        profile = session.scalar(select(OfficeProfile))
        assert profile is not None
        pattern, abbr = profile.registration_pattern, profile.abbr
    weights = [w for _, w in PATHS]
    form_weights = [w for *_, w in FORMS]
    doc_seq: dict[str, int] = {}
    counts = {"matters": 0, "events": 0, "documents": 0, "obligations": 0, "pdf_bytes": 0}
    per_matter_docs = [documents // matters + (1 if k < documents % matters else 0) for k in range(matters)]
    days = (date(year, 12, 31) - date(year, 1, 1)).days
    for start in range(0, matters, batch):
        m_rows: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        ev_rows: list[dict[str, Any]] = []
        doc_rows: list[dict[str, Any]] = []
        file_rows: list[dict[str, Any]] = []
        file_bytes: list[bytes] = []
        ob_rows: list[dict[str, Any]] = []
        with db.uow() as session:
            first_id = (session.scalar(select(Matter.id).order_by(Matter.id.desc()).limit(1)) or 0) + 1
            first_doc = (session.scalar(select(Document.id).order_by(Document.id.desc()).limit(1)) or 0) + 1
            for k in range(min(batch, matters - start)):
                n = start + k + 1
                mid = first_id + k
                received = date(year, 1, 1) + timedelta(days=int(days * (n - 1) / matters))
                path = rng.choices(PATHS, weights)[0][0]
                status = path[-1][1]
                word, problem, place = (rng.choice(SYNTHETIC_WORDS), rng.choice(SYNTHETIC_PROBLEMS),
                                        rng.choice(SYNTHETIC_PLACES))
                party = _person(rng)
                person = rng.random() < 0.4
                unit_id, unit_name = rng.choice(units)
                stamp = datetime.combine(received, datetime.min.time()) + timedelta(hours=9, minutes=rng.randrange(480))
                deadline = received + timedelta(days=rng.randint(20, 40)) if status in (
                    "advice_issued", "rectifying", "rectified", "overdue", "escalated", "closed") else None
                m_rows.append(dict(
                    id=mid, uuid=_uuid(rng), version=len(path), reg_no=pattern.format(year=year, n=n), reg_year=year,
                    reg_seq=n, received_on=received, source=rng.choice(["hotline", "complaint_platform", "petition",
                                                                        "inspection", "case_review", "daily"]),
                    source_ref=f"GD{received:%Y%m%d}{rng.randint(0, 99999):05d}" if rng.random() < 0.4 else None,
                    category=rng.choice(["legality", "responsibility", "disclosure", "qualification",
                                         "concentrated_penalty", "implementation"]), method=None,
                    track="frequent" if rng.random() < 0.3 else "general", title=f"{place}{word}{problem}",
                    facts=(f"群众反映{place}村{word}相关执法问题：{problem}。经初步了解，当事人{party}对执法程序与文书"
                           f"规范有异议，需调取执法案卷核查。承办人已电话联系{unit_name}，对方表示将提供案卷材料。"),
                    parties=f"{party}（{place}村）", legal_basis="《中华人民共和国行政处罚法》第四十四条、第四十五条",
                    serious=rng.random() < 0.02, in_scope=status not in ("out_of_scope", "transferred"),
                    handler_id=handler_id, status=status, complainant_name=_person(rng) if person else None,
                    complainant_phone=f"13{rng.randint(0, 999_999_999):09d}" if person else None,
                    complainant_id_no=None, rectification_deadline=deadline, created_at=stamp,
                    updated_at=stamp + timedelta(days=3 * len(path)), office_code=""))
                links.append(dict(matter_id=mid, unit_id=unit_id))
                on, prev = received, None
                for action, to in path:
                    ev_rows.append(dict(uuid=_uuid(rng), matter_id=mid, action=action, from_status=prev, to_status=to,
                                        on_date=on, recorded_at=datetime.combine(on, datetime.min.time())
                                        + timedelta(hours=10), actor=handler,
                                        reason="经核查，执法程序合法，未发现问题。" if action == "close_no_issue" else "",
                                        data={"deadline": deadline.isoformat()} if action == "start_rectification"
                                        and deadline else {}))
                    prev, on = to, on + timedelta(days=rng.randint(1, 6))
                for j, (kind, label) in enumerate(rng.sample(OBLIGATIONS, 3)):
                    trigger = received + timedelta(days=rng.randint(1, 20))
                    met = status == "closed" or rng.random() < 0.6
                    ob_rows.append(dict(
                        uuid=_uuid(rng), version=1 + (j % 2), rule_key=f"matter:{mid}:{kind}", kind=kind,
                        matter_id=mid, title=f"{label}：{place}{word}{problem}", trigger_on=trigger, starts_on=trigger,
                        due_on=trigger + timedelta(days=rng.randint(5, 21)), provisional=False, previous_due_on=None,
                        state="met" if met else "open", met_on=trigger + timedelta(days=rng.randint(1, 5)) if met else None,
                        note="", updated_at=stamp))
                for _ in range(per_matter_docs[start + k]):
                    form_id, code, sample, _w = rng.choices(FORMS, form_weights)[0]
                    doc_seq[form_id] = doc_seq.get(form_id, 0) + 1
                    seq = doc_seq[form_id]
                    doc_id = first_doc + len(doc_rows)
                    doc_uuid = _uuid(rng)
                    # The rendered PDF with a trailer comment of its own: each document has its own bytes and digest.
                    pdf = pdfs[sample] + f"%hecun-bench {doc_uuid}\n".encode("ascii")
                    digest = hashlib.sha256(pdf).hexdigest()
                    issue_on = min(received + timedelta(days=rng.randint(3, 30)), date(year, 12, 31))
                    issued_at = datetime.combine(issue_on, datetime.min.time()) + timedelta(hours=15)
                    served = issue_on + timedelta(days=1) if rng.random() < 0.8 else None
                    doc_rows.append(dict(
                        id=doc_id, uuid=doc_uuid, version=2 if served else 1, matter_id=mid, form_id=form_id,
                        status="issued", title=f"关于{place}{word}{problem}的文书", number=f"{abbr}{code}〔{year}〕{seq}号",
                        year=year, seq=seq, fields={"unit": unit_name, "title": f"{word}{problem}", "facts": problem,
                                                    "contact": "王晓燕 0570-4567890"},
                        drafted_by=handler, reviewed_by=handler, signed_by=handler, issued_at=issued_at,
                        pdf_sha256=digest, supersedes_id=None, void_reason=None, created_at=issued_at - timedelta(days=2),
                        updated_at=issued_at, issue_date=issue_on, reviewed_at=issued_at - timedelta(hours=3),
                        voided_by=None, voided_at=None, backdate_reason=None, preprinted=False, served_on=served,
                        service_method="直接送达" if served else None, service_receiver="单位收发员" if served else None,
                        service_recorded_by=handler if served else None, office_code="", received_on=None,
                        in_reply_to=None))
                    file_rows.append(dict(document_id=doc_id, sha256=digest))
                    file_bytes.append(pdf)
                    counts["pdf_bytes"] += len(pdf)
            session.execute(insert(Matter), m_rows)
            session.execute(insert(matter_units), links)
            session.execute(insert(MatterEvent), ev_rows)
            session.execute(insert(Obligation), ob_rows)
            session.execute(insert(Document), doc_rows)
            blobs.put_all(session, file_bytes)  # the content store first, as the services do
            session.execute(insert(DocumentFile), file_rows)
            bulk_index(session, m_rows)
            audit.append(session, audit.SYSTEM, "bench.year", "matter", f"{first_id}-{first_id + len(m_rows) - 1}",
                         {"count": len(m_rows)})
            counts["matters"] += len(m_rows)
            counts["events"] += len(ev_rows)
            counts["documents"] += len(doc_rows)
            counts["obligations"] += len(ob_rows)
    with db.uow() as session:
        session.add(NumberSequence(series="matter_registration", year=year, last=matters))
        for form_id, last in doc_seq.items():
            session.add(NumberSequence(series=f"document:{form_id}", year=year, last=last))
    _close(db, office_file)
    return counts


def _actor(db: Any) -> Any:
    from hecun_office.services.setup import default_actor

    return default_actor(db)


def export_once(office_copy: Path, out_dir: Path, today: date, profiler: cProfile.Profile | None = None
                ) -> tuple[float, float, dict[str, float], Any]:
    """One full export: its wall time, the process's CPU time (other work on the machine barely moves it), the
    time of each phase between the generator's progress steps, and the result."""
    from hecun_office.services.packet_export import export_data_packet

    db = _open(office_copy)
    try:
        actor = _actor(db)
        steps = export_data_packet(db, actor, out_dir, today)
        marks: list[tuple[int, float]] = []  # (steps done, when it said so)
        if profiler is not None:
            profiler.enable()
        cpu = time.process_time()
        start = time.perf_counter()
        try:
            while True:
                done, _total = next(steps)
                marks.append((done, time.perf_counter()))
        except StopIteration as stop:
            result = stop.value
        end = time.perf_counter()
        cpu = time.process_time() - cpu
        if profiler is not None:
            profiler.disable()
    finally:
        db.dispose()
    return end - start, cpu, export_phases(start, marks, end), result


def export_phases(start: float, marks: list[tuple[int, float]], end: float) -> dict[str, float]:
    """Step n reported done ends phase n; what follows the last report (writing, committing) is the last phase."""
    phases = {"lock_and_peer": marks[0][1] - start if marks else end - start}
    last = marks[0][1] if marks else end
    for done, at in marks[1:]:
        name = EXPORT_PHASES[min(done, len(EXPORT_PHASES)) - 1]
        phases[name] = phases.get(name, 0.0) + at - last
        last = at
    phases[EXPORT_PHASES[-1]] = phases.get(EXPORT_PHASES[-1], 0.0) + end - last
    return phases


def import_once(bureau_copy: Path, name: str, data: bytes, today: date, profiler: cProfile.Profile | None = None
                ) -> tuple[float, Any, float]:
    """One import of the packet; its wall time, the outcome and the process's CPU time."""
    from hecun_office.services.packet_import import ImportStatus, import_bytes

    db = _open(bureau_copy)
    try:
        actor = _actor(db)
        if profiler is not None:
            profiler.enable()
        cpu = time.process_time()
        start = time.perf_counter()
        outcomes = import_bytes(db, actor, name, data, today)
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
        if profiler is not None:
            profiler.disable()
    finally:
        db.dispose()
    if len(outcomes) != 1 or outcomes[0].status != ImportStatus.IMPORTED:
        raise SystemExit(f"the year's packet was not imported: {[o.summary for o in outcomes]}")
    return elapsed, outcomes[0], cpu


def export_memory(office_file: Path, out_dir: Path, today: date, packet_bytes: int) -> dict[str, Any]:
    """Issue 12 item 7: the Python memory one export holds at its peak (tracemalloc), against the packet's size
    (4-5.4x before the export streamed its members), and what the export adds to the office's database and
    content store (the packet kept for a rewrite lives in the store, not in the database)."""
    import tracemalloc

    copy = _copy(office_file, office_file.with_name("office-memory.sqlite3"))
    store = copy.parent / "attachments"
    before_db, before_store = copy.stat().st_size, _tree_bytes(store)
    tracemalloc.start()
    try:
        export_once(copy, out_dir, today)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    db = _open(copy)
    _close(db, copy)
    figures = {"packet_export_peak_mib": round(peak / 2**20, 1),
               "packet_export_peak_to_packet": round(peak / packet_bytes, 2),
               "office_db_mib_before_export": round(before_db / 2**20, 1),
               "office_db_mib_after_export": round(copy.stat().st_size / 2**20, 1),
               "office_store_mib_added_by_export": round((_tree_bytes(store) - before_store) / 2**20, 1)}
    copy.unlink()
    shutil.rmtree(out_dir, ignore_errors=True)
    return figures


def _tree_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) if folder.is_dir() else 0


def _copy(src: Path, dst: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        dst.with_name(dst.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    return dst


def _profile_text(profiler: cProfile.Profile, top: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def measure(runs: int = 3, profile: bool = False, work: Path | None = None, top: int = 40,
            pdf_bytes: int | None = None) -> dict[str, Any]:
    """Set up, fill a year, export ``runs`` times and import ``runs`` times; the figures as a dict.

    ``pdf_bytes`` (diagnosis only) cuts every sample PDF to that size, to tell the cost of the records from the
    cost of carrying the PDFs' bytes."""
    out: dict[str, Any] = {"packet_load_average_before": _load()}
    today = date.today()
    year = today.year - 1
    with tempfile.TemporaryDirectory(prefix="hecun-bench-packets-") as tmp:
        base = work or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        home = base / "home"
        home.mkdir(exist_ok=True)
        saved_home = os.environ.get("HECUN_OFFICE_HOME")
        os.environ["HECUN_OFFICE_HOME"] = str(home)  # the keys' protection secrets: never the real data directory
        try:
            t0 = time.perf_counter()
            office_file, bureau_file = set_up(base)
            pdfs = sample_pdfs()
            if pdf_bytes is not None:
                pdfs = {k: v[:pdf_bytes] for k, v in pdfs.items()}
                out["packet_note"] = f"DIAGNOSIS: every PDF cut to {pdf_bytes} bytes; not the N-2 figure"
            counts = add_year(office_file, year, pdfs)
            out["packet_setup_s"] = round(time.perf_counter() - t0, 2)
            out["packet_year"] = {**counts, "sample_pdf_bytes": {k: len(v) for k, v in pdfs.items()},
                                  "office_db_mib": round(office_file.stat().st_size / 2**20, 1)}

            exports: list[float] = []
            export_cpu: list[float] = []
            phases: list[dict[str, float]] = []
            result = None
            for i in range(runs):
                copy = _copy(office_file, base / f"office-run{i}.sqlite3")
                out_dir = base / f"out{i}"
                elapsed, cpu, steps, result = export_once(copy, out_dir, today)
                exports.append(elapsed)
                export_cpu.append(cpu)
                phases.append(steps)
                if i < runs - 1:
                    shutil.rmtree(out_dir)
                copy.unlink()
                for suffix in ("-wal", "-shm"):
                    copy.with_name(copy.name + suffix).unlink(missing_ok=True)
            assert result is not None
            if result.counts["matters"] != counts["matters"] or result.counts["documents"] != counts["documents"]:
                raise SystemExit(f"the export did not carry the whole year: {result.counts}")
            data = result.path.read_bytes()
            out["packet_export_s_year"] = round(statistics.median(exports), 3)
            out["packet_export_runs_s"] = [round(x, 3) for x in exports]
            out["packet_export_cpu_s"] = round(statistics.median(export_cpu), 3)
            median_run = sorted(range(runs), key=lambda i: exports[i])[runs // 2]
            out["packet_export_phases_s"] = {name: round(s, 3) for name, s in phases[median_run].items()}
            out["packet_bytes"] = len(data)
            out["packet_mib"] = round(len(data) / 2**20, 1)
            out["packet_counts"] = dict(result.counts)
            out.update(export_memory(office_file, base / "out-memory", today, len(data)))

            imports: list[float] = []
            import_cpu: list[float] = []
            outcome = None
            for i in range(runs):
                # A folder of its own: the bureau's content store starts empty, as on the bureau's PC (in the
                # office's folder every PDF would already be there and the import would write none).
                (base / f"bureau-run{i}").mkdir(exist_ok=True)
                copy = _copy(bureau_file, base / f"bureau-run{i}" / "bureau.sqlite3")
                elapsed, outcome, cpu = import_once(copy, result.file_name, data, today)
                imports.append(elapsed)
                import_cpu.append(cpu)
                shutil.rmtree(base / "quarantine", ignore_errors=True)
                shutil.rmtree(copy.parent)
            assert outcome is not None
            if outcome.counts.get("matters_new") != counts["matters"]:
                raise SystemExit(f"the import did not apply the whole year: {outcome.counts}")
            median_import = statistics.median(imports)
            out["packet_import_s"] = round(median_import, 3)
            out["packet_import_runs_s"] = [round(x, 3) for x in imports]
            out["packet_import_cpu_s"] = round(statistics.median(import_cpu), 3)
            out["import_matters_per_s"] = round(counts["matters"] / median_import, 1)
            out["import_documents_per_s"] = round(counts["documents"] / median_import, 1)
            out["import_counts"] = dict(outcome.counts)
            out["import_matters_per_s_runs"] = sorted(round(counts["matters"] / x, 1) for x in imports)

            if profile:
                prof = cProfile.Profile()
                copy = _copy(office_file, base / "office-profile.sqlite3")
                export_once(copy, base / "out-profile", today, prof)
                out["packet_export_profile"] = _profile_text(prof, top)
                prof = cProfile.Profile()
                copy = _copy(bureau_file, base / "bureau-profile.sqlite3")
                import_once(copy, result.file_name, data, today, prof)
                out["packet_import_profile"] = _profile_text(prof, top)
        finally:
            if saved_home is None:
                os.environ.pop("HECUN_OFFICE_HOME", None)
            else:
                os.environ["HECUN_OFFICE_HOME"] = saved_home
    out["packet_runs"] = runs
    out["packet_load_average_after"] = _load()
    out["packet_peak_rss_mib"] = _peak_rss_mib()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=3, help="exports and imports to take the median of (3)")
    parser.add_argument("--profile", action="store_true", help="one more export and import under cProfile")
    parser.add_argument("--top", type=int, default=40, help="functions listed per profile (40)")
    parser.add_argument("--keep", type=Path, help="work in DIR and keep the databases and the packet")
    parser.add_argument("--pdf-bytes", type=int, help="diagnosis: cut every PDF to N bytes (records' cost alone)")
    args = parser.parse_args()
    machine = _machine()
    result = {"machine": machine, **measure(args.runs, args.profile, args.keep, args.top, args.pdf_bytes)}
    result["targets"] = {"packet_export_s_year": f"< {TARGET_EXPORT_S:g} s",
                         "import_matters_per_s": f">= {TARGET_IMPORT_MPS:g} matters/s"}
    result["ratio_to_target"] = ratios(result)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    on = (f"{machine['platform']}, {machine.get('cpu_model') or machine['processor']}, {machine['cpu_count']} cores, "
          f"SQLite {machine['sqlite']}, Python {machine['python']}")
    ratio = ratios(result)
    print(f"machine: {on}; load average before {result['packet_load_average_before']}, after "
          f"{result['packet_load_average_after']}")
    if "packet_note" in result:
        print(result["packet_note"])
    print(f"year: {result['packet_year']}")
    print(f"packet_export_s_year: {result['packet_export_s_year']} s (target < {TARGET_EXPORT_S:g} s; ratio "
          f"{ratio['packet_export_s_year']}; runs {result['packet_export_runs_s']})  [{on}]")
    print(f"  packet: {result['packet_mib']} MiB ({result['packet_bytes']} bytes), {result['packet_counts']}")
    print(f"  phases (median run): {result['packet_export_phases_s']}; CPU time {result['packet_export_cpu_s']} s")
    print(f"  packet_export_peak_mib: {result['packet_export_peak_mib']} (Python memory of one export, tracemalloc) = "
          f"{result['packet_export_peak_to_packet']} x the packet; office database "
          f"{result['office_db_mib_before_export']} -> {result['office_db_mib_after_export']} MiB, content store "
          f"+{result['office_store_mib_added_by_export']} MiB (the packet kept until acknowledged)")
    print(f"import_matters_per_s: {result['import_matters_per_s']} matters/s (target >= {TARGET_IMPORT_MPS:g}; ratio "
          f"{ratio['import_matters_per_s']}; import {result['packet_import_s']} s, runs {result['packet_import_runs_s']})"
          f"  [{on}]")
    print(f"  import_documents_per_s: {result['import_documents_per_s']}; CPU time {result['packet_import_cpu_s']} s; "
          f"applied {result['import_counts']}")
    print(f"peak memory of this process: {result['packet_peak_rss_mib']} MiB; set-up of the year "
          f"{result['packet_setup_s']} s (not measured)")
    for key in ("packet_export_profile", "packet_import_profile"):
        if key in result:
            print(f"\n===== {key} =====\n{result[key]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
