"""S-7 in the matter list: at the bureau the list holds every township's matters, names the township of each and
filters by it (tests/county_data.py: 贺村 and 清湖 packets imported into one bureau database, 凤林 enrolled but
silent). An office's own list has no townships and reads no peers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from county_data import TODAY, County, build_county
from sqlalchemy import event, update

from hecun_office.services.search import (
    MatterFilter,
    count_matters,
    list_matters,
    list_saved_filters,
    offices,
    save_filter,
    search_matters,
)
from hecun_office.storage.models import Matter, Peer
from hecun_office.storage.uow import Database


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[County]:
    built = build_county(tmp_path_factory.mktemp("county"))
    yield built
    built.dispose()


def test_the_bureau_lists_every_township_with_its_name(county: County):
    rows = list_matters(county.bureau, today=TODAY)
    assert len(rows) == 13
    by_reg = {r.reg_no: r for r in rows}
    assert by_reg[county.reg_nos["M1"]].office == "贺村司法所"
    assert by_reg[county.reg_nos["Q1"]].office == "清湖司法所"
    assert {r.office for r in rows} == {"贺村司法所", "清湖司法所"}


def test_filter_by_office(county: County):
    qinghu = list_matters(county.bureau, MatterFilter(office_code="qinghu"), today=TODAY)
    assert sorted(r.reg_no for r in qinghu) == sorted(county.reg_nos[k] for k in ("Q1", "Q2", "Q3", "Q4"))
    assert {r.office for r in qinghu} == {"清湖司法所"}
    # the county overview's 在办事项 figures: 贺村 7, 清湖 3
    page = search_matters(county.bureau, MatterFilter(office_code="hecun", open_only=True), 200, TODAY)
    assert page.total == 7 and len(page.rows) == 7 and {r.office for r in page.rows} == {"贺村司法所"}
    assert count_matters(county.bureau, MatterFilter(office_code="qinghu", open_only=True), TODAY) == 3
    assert count_matters(county.bureau, MatterFilter(office_code="fenglin"), TODAY) == 0
    assert count_matters(county.bureau, MatterFilter(office_code=None), TODAY) == 13


def test_rows_show_the_townships_handler(county: County):
    with county.bureau.uow() as session:
        session.execute(update(Matter).where(Matter.office_code == "qinghu").values(handler_name="陈清"))
    try:
        rows = list_matters(county.bureau, MatterFilter(office_code="qinghu"), today=TODAY)
        assert {r.handler for r in rows} == {"陈清"}  # handler_id is NULL at the bureau: the office's name
    finally:
        with county.bureau.uow() as session:
            session.execute(update(Matter).where(Matter.office_code == "qinghu").values(handler_name="管理员"))


def test_offices_for_the_filter(county: County):
    assert offices(county.bureau) == [("hecun", "贺村司法所"), ("qinghu", "清湖司法所"), ("fenglin", "凤林司法所")]
    with county.bureau.uow() as session:
        session.execute(update(Peer).where(Peer.code.in_(("qinghu", "fenglin"))).values(active=False))
    try:
        # an office no longer active stays while its matters are here; one without matters goes
        assert offices(county.bureau) == [("hecun", "贺村司法所"), ("qinghu", "清湖司法所")]
    finally:
        with county.bureau.uow() as session:
            session.execute(update(Peer).where(Peer.code.in_(("qinghu", "fenglin"))).values(active=True))
    assert offices(county.hecun.db) == []  # an office: its peer is the bureau


def test_saved_filter_keeps_the_office(county: County):
    save_filter(county.bureau, "user:1", "清湖在办", MatterFilter(office_code="qinghu", open_only=True))
    saved = list_saved_filters(county.bureau, "user:1")
    assert [(s.name, s.filter.office_code, s.filter.open_only) for s in saved] == [("清湖在办", "qinghu", True)]
    assert MatterFilter.from_criteria(MatterFilter(office_code="hecun").to_criteria()) == MatterFilter(
        office_code="hecun")


def _statements(db: Database) -> list[str]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    return seen


def test_an_offices_list_reads_no_peers(county: County):
    db = county.hecun.db
    seen = _statements(db)
    rows = list_matters(db, today=TODAY)
    assert len(rows) == 9 and {r.office for r in rows} == {""}
    assert not [s for s in seen if "peers" in s]
