"""Issue 12 item 6: text filters on PostgreSQL through the bigram table and pg_trgm (migration 0005,
services/search.py), with the same results as the plain ILIKE filter they replace, and as SQLite's FTS5."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest
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


def test_0005_upgrades_a_0004_server_database_with_matters(pg_url: str, opened: Callable[[str], Database]) -> None:
    db = opened(pg_url)
    _fill(db)
    db.dispose()
    _alembic(pg_url, "downgrade", "0004_units_per_office")  # a database as 0004 left it, matters and all
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT to_regclass('matter_search_grams')")).scalar() is None
        assert conn.execute(text("SELECT count(*) FROM matters")).scalar() == len(MATTERS)
    engine.dispose()
    _alembic(pg_url, "upgrade", "head")
    db = opened(pg_url)
    with db.uow() as session:
        assert session.scalar(text("SELECT count(*) FROM matter_search_grams")) == len(MATTERS)
        assert session.scalar(text("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'matter_search_trgm_%'")) == 6
    assert search.ensure_search_index(db) == 0
    assert _found(db, "占道") == _found(db, "GD2026030212345") and len(_found(db, "占道")) == 2
