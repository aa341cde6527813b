"""Issue 12 item 6: text filters on PostgreSQL through the bigram table (migration 0005, services/search.py), with
the same results as the plain ILIKE filter it narrows, and as SQLite's FTS5; no extension, no superuser."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from county_data import build_county
from pg import PostgresServer
from sqlalchemy import create_engine, text

from hecun_office.services import matters, search, setup
from hecun_office.services.audit import Actor
from hecun_office.services.matters import MatterInput
from hecun_office.services.search import MatterFilter
from hecun_office.storage.migrate import alembic_config
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database

TODAY = date(2026, 3, 23)

# (title, facts, parties, source_ref, merged work order's reference or None)
MATTERS = [
    ("占道经营处罚未告知陈述申辩权", "当事人在贺村镇某路段占道经营，执法队作出罚款决定前未告知陈述、申辩权。",
     "李四（个体工商户）", "GD2026030212345", None),
    ("油烟扰民投诉处理超期未答复", "投诉人张三多次反映，联系电话13812345678。", "", "GD2026030299999", "ZW20260301777"),
    ("执法人员未持证上岗", "执法证号3308001234，2026年3月抽查发现。", "张三丰", None, None),
    ("违法建设案件超期未作出处理决定", "Room 12B，ABC公司违建；电话0570-4123456。", "ABC建材有限公司", "12345", None),
    ("道路占用", "经营者称已取得许可。", "王五", None, None),
    ("网格员上报：店外经营", "店外经营（占道）三次。", "", "WG-2026-0001", "GD2026030212345"),
]
QUERIES = ["占道", "占道经营", "经营", "占", "道", "张三", "张三丰", "张三 油烟", "张三 占道", "申辩权",
           "李四", "王五", "138", "1381234", "5678", "12345", "0570", "4123456", "３３０８", "gd2026", "GD2026030212345",
           "zw2026", "abc", "ABC公司", "room 12b", "12b", "2026年3月", "3", "b", "100%", "占_", "经营者称", "店外",
           "一", "，", "执法 决定 超期", "wg 0001"]


def _office(db: Database) -> Actor:
    setup.setup_database(db, setup.default_profile(), setup.UserInput("wang", "王晓燕", "clerk", "secret1"),
                         created_at=datetime(2026, 1, 5, 9, 0))
    return setup.default_actor(db)


def _fill(db: Database) -> None:
    actor = _office(db)
    units = [u.id for u in matters.list_units(db)]
    for title, facts, parties, ref, merged in MATTERS:
        matter_id = matters.register_matter(db, actor, MatterInput(
            received_on=date(2026, 3, 2), source="hotline", title=title, category="legality", unit_ids=[units[1]],
            facts=facts, parties=parties, source_ref=ref or ""), today=TODAY).id
        if merged:
            with db.uow() as session:
                session.execute(text(
                    "INSERT INTO matter_refs (matter_id, source, source_ref, received_on, summary, merged_by, "
                    "merged_at) VALUES (:m, 'hotline', :r, '2026-03-03', '', 'wang', '2026-03-03 09:00')"),
                    {"m": matter_id, "r": merged})
                search.reindex_matter(session, matter_id)


def _found(db: Database, query: str) -> list[int]:
    flt = MatterFilter(text=query)
    page = search.search_matters(db, flt, 200, TODAY)
    assert page.total == len(page.rows) == search.count_matters(db, flt, TODAY)
    return sorted(r.id for r in page.rows)


def _all_found(db: Database) -> dict[str, list[int]]:
    return {q: _found(db, q) for q in QUERIES}


@pytest.fixture
def opened() -> Iterator[Callable[[str], Database]]:
    dbs: list[Database] = []

    def open_(url: str) -> Database:
        db = open_database(url)
        dbs.append(db)
        return db

    yield open_
    for db in dbs:
        db.dispose()


def _alembic(url: str, command_name: str, revision: str) -> None:
    from alembic import command

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(str(engine.url))
            cfg.attributes["connection"] = conn
            getattr(command, command_name)(cfg, revision)
    finally:
        engine.dispose()


def _insert_at_0004(url: str) -> None:
    """MATTERS written as a 0004 database holds them: by SQL on the 0004 schema (today's services write today's)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for n, (title, facts, parties, ref, merged) in enumerate(MATTERS, start=1):
                matter_id = conn.execute(text(
                    "INSERT INTO matters (uuid, version, reg_no, reg_year, reg_seq, received_on, source, source_ref, "
                    "category, track, title, facts, legal_basis, serious, in_scope, status, parties, created_at, "
                    "updated_at, office_code) VALUES (:uuid, 1, :reg_no, 2026, :n, '2026-03-02', 'hotline', :ref, "
                    "'legality', 'general', :title, :facts, '', false, true, 'registered', :parties, "
                    "'2026-03-02 09:00', '2026-03-02 09:00', '') RETURNING id"),
                    {"uuid": str(uuid.uuid4()), "reg_no": f"贺司监〔2026〕{n}号", "n": n, "ref": ref, "title": title,
                     "facts": facts, "parties": parties}).scalar_one()
                if merged:
                    conn.execute(text(
                        "INSERT INTO matter_refs (matter_id, source, source_ref, received_on, summary, merged_by, "
                        "merged_at) VALUES (:m, 'hotline', :r, '2026-03-03', '', 'wang', '2026-03-03 09:00')"),
                        {"m": matter_id, "r": merged})
    finally:
        engine.dispose()


def test_0005_upgrades_a_0004_server_database_with_matters(pg_url: str, opened: Callable[[str], Database]) -> None:
    _alembic(pg_url, "upgrade", "0004_units_per_office")
    _insert_at_0004(pg_url)
    _alembic(pg_url, "upgrade", "head")
    db = opened(pg_url)
    with db.uow() as session:
        assert session.scalar(text("SELECT count(*) FROM matter_search_grams")) == len(MATTERS)
    assert search.ensure_search_index(db) == 0
    indexed = _by_title(db)
    assert indexed["占道"] == ["占道经营处罚未告知陈述申辩权", "网格员上报：店外经营"]  # the second by its merged ref
    assert indexed["zw2026"] == ["油烟扰民投诉处理超期未答复"]
    with db.uow() as session:
        session.execute(text("DROP TABLE matter_search_grams"))
    db.dispose()
    assert _by_title(opened(pg_url)) == indexed  # what ILIKE alone finds


def _titles(db: Database) -> dict[int, str]:
    with db.uow() as session:
        return {row[0]: row[1] for row in session.execute(text("SELECT id, title FROM matters"))}


def _by_title(db: Database) -> dict[str, list[str]]:
    titles = _titles(db)
    return {q: sorted(titles[i] for i in ids) for q, ids in _all_found(db).items()}


def _has_grams(db: Database) -> bool:
    with db.uow() as session:
        return search._has_grams(session)


def _sqlite_results(path: str) -> dict[str, list[str]]:
    db = open_database(path)
    try:
        _fill(db)
        return _by_title(db)
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """What SQLite's FTS5 finds for every query."""
    return _sqlite_results(f"sqlite:///{tmp_path_factory.mktemp('fts5') / 'office.sqlite3'}")


def test_the_bigram_table_finds_what_ilike_alone_found(pg_url: str, opened: Callable[[str], Database],
                                                       on_sqlite: dict[str, list[str]]) -> None:
    """Through the bigram table, and without it (the plain ILIKE filter before 0005): the same matters for every
    query, and the same as SQLite's FTS5."""
    db = opened(pg_url)
    _fill(db)
    assert _has_grams(db)
    bigrams = _by_title(db)
    with db.uow() as session:
        session.execute(text("DROP TABLE matter_search_grams"))  # as before 0005: ILIKE on every matter
    db.dispose()
    db = opened(pg_url)
    assert not _has_grams(db)
    before = _by_title(db)
    assert bigrams == before
    assert before == on_sqlite
    assert before["占道"] == ["占道经营处罚未告知陈述申辩权", "网格员上报：店外经营"]
    assert before["138"] == ["油烟扰民投诉处理超期未答复"] and before["100%"] == [] and before["占_"] != []


def test_a_utf8_database_owned_by_a_plain_role(pg_server: PostgresServer, opened: Callable[[str], Database],
                                               on_sqlite: dict[str, list[str]]) -> None:
    """0005 needs no extension and no superuser: a county server's database owned by an ordinary role, under a
    UTF-8 LC_CTYPE (where ILIKE lowers by the locale), migrates and finds the same matters."""
    name, role = f"t_{uuid.uuid4().hex}", f"r_{uuid.uuid4().hex[:12]}"
    pg_server.admin(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'secret1'",
                    f"CREATE DATABASE \"{name}\" OWNER \"{role}\" TEMPLATE template0 ENCODING 'UTF8' "
                    "LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'")
    try:
        db = opened(pg_server.url(name, user=role, password="secret1"))
        _fill(db)
        with db.uow() as session:
            assert session.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) is False
            assert session.scalar(text("SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql'")) == 0
        assert _has_grams(db)
        assert _by_title(db) == on_sqlite
        db.dispose()
    finally:
        pg_server.drop_database(name)
        pg_server.admin(f'DROP ROLE IF EXISTS "{role}"')


def test_the_bigram_table_keeps_in_step(pg_url: str, opened: Callable[[str], Database]) -> None:
    """index_matter on an edit, bulk_index for bulk loads, ensure_search_index for a matter written without them,
    and a deleted matter's row goes with it."""
    db = opened(pg_url)
    _fill(db)
    ids = {title: i for i, title in _titles(db).items()}
    stall = ids["占道经营处罚未告知陈述申辩权"]
    with db.uow() as session:
        session.execute(text("UPDATE matters SET title = '夜间施工噪声扰民' WHERE id = :id"), {"id": stall})
        search.reindex_matter(session, stall)
    assert stall in _found(db, "噪声") and stall not in _found(db, "处罚未告知")
    with db.uow() as session:  # a matter the bigram table lacks, as a bulk load without bulk_index leaves it
        session.execute(text("DELETE FROM matter_search_grams WHERE matter_id = :id"), {"id": stall})
    assert _found(db, "噪声") == []  # the index narrows: a matter it lacks is not found
    assert search.ensure_search_index(db) == 1
    assert search.ensure_search_index(db) == 0
    assert _found(db, "噪声") == [stall]
    with db.uow() as session:
        session.execute(text("DELETE FROM matter_search_grams WHERE matter_id = :id"), {"id": stall})
        search.bulk_index(session, [{"id": stall, "title": "夜间施工噪声扰民", "reg_no": "X"}])
    assert _found(db, "噪声") == [stall]
    with db.uow() as session:
        session.execute(text("DELETE FROM matter_refs WHERE matter_id = :id"), {"id": stall})
        session.execute(text("DELETE FROM matter_units WHERE matter_id = :id"), {"id": stall})
        session.execute(text("DELETE FROM matter_events WHERE matter_id = :id"), {"id": stall})
        session.execute(text("DELETE FROM obligations WHERE matter_id = :id"), {"id": stall})
        session.execute(text("DELETE FROM matters WHERE id = :id"), {"id": stall})
        assert session.scalar(text("SELECT count(*) FROM matter_search_grams WHERE matter_id = :id"),
                              {"id": stall}) == 0


def test_matters_imported_from_packets_are_found_at_a_server_bureau(tmp_path: Path, pg_url: str) -> None:
    """Packet import writes matters in bulk (services/packet_apply.py: bulk_index for new ones, reindex_matter for
    newer versions): every one has its bigram row and is found by its title and its registration number."""
    county = build_county(tmp_path, bureau_url=pg_url)
    try:
        bureau = county.bureau
        with bureau.uow() as session:
            rows = session.execute(text("SELECT id, title, reg_no FROM matters")).all()
            assert rows and session.scalar(text("SELECT count(*) FROM matter_search_grams")) == len(rows)
        assert search.ensure_search_index(bureau) == 0
        for matter_id, title, reg_no in rows:
            assert matter_id in _found(bureau, title) and matter_id in _found(bureau, reg_no)
    finally:
        county.dispose()
