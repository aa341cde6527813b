"""M-6 search and M-7 masking through the real services on a real SQLite file (FTS5 included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import text

from hecun_office.domain.errors import NotFound, ValidationError
from hecun_office.services import demo, matters, search
from hecun_office.services.audit import Actor
from hecun_office.services.matters import MatterInput, TransitionInput
from hecun_office.services.search import FilterExists, MatterFilter
from hecun_office.storage.models import MatterRef, User
from hecun_office.storage.uow import Database

TODAY = date(2026, 3, 23)


@dataclass
class Office:
    ids: dict[str, int]  # letter -> matter id
    units: list[int]
    other_handler: int


def _register(db: Database, actor: Actor, **kw: object) -> int:
    data = dict(received_on=date(2026, 3, 2), source="hotline", title="", category="legality", unit_ids=[])
    data.update(kw)
    return matters.register_matter(db, actor, MatterInput(**data), today=TODAY).id  # type: ignore[arg-type]


def _walk(db: Database, actor: Actor, matter_id: int, steps: list[tuple[str, date]]) -> None:
    for action, on in steps:
        matters.transition_matter(db, actor, matter_id, TransitionInput(action, on, reason="理由"), today=TODAY)


@pytest.fixture
def office(db: Database, actor: Actor) -> Office:
    """Four matters that differ in every filtered field."""
    units = [u.id for u in matters.list_units(db)]
    with db.uow() as session:
        other = User(username="zhou", display_name="周建国", role="clerk", password_hash=None,
                     created_at=datetime(2026, 1, 5))
        session.add(other)
        session.flush()
        other_id = other.id
    ids = {
        "A": _register(db, actor, title="占道经营处罚未告知陈述申辩权", source="hotline", category="legality",
                       unit_ids=[units[1]], source_ref="GD2026030212345", complainant_name="张三",
                       complainant_phone="13812345678", parties="李四（个体工商户）", received_on=date(2026, 3, 2),
                       facts="当事人在贺村镇某路段占道经营，执法队作出罚款决定前未告知陈述、申辩权。"),
        "B": _register(db, actor, title="违法建设案件超期未作出处理决定", source="case_review",
                       category="concentrated_penalty", unit_ids=[units[2]], track="frequent",
                       received_on=date(2026, 2, 10)),
        "C": _register(db, actor, title="执法人员未持证上岗", source="supervisor", category="qualification",
                       unit_ids=[units[1], units[3]], received_on=date(2025, 12, 20)),
        "D": _register(db, actor, title="油烟扰民投诉处理超期未答复", source="complaint_platform",
                       category="responsibility", unit_ids=[units[3]], handler_id=other_id,
                       facts="油烟扰民，投诉人多次反映，承办单位未答复。", received_on=date(2026, 3, 20)),
    }
    _walk(db, actor, ids["A"], [("start_verification", date(2026, 3, 2)), ("issue_advice", date(2026, 3, 3)),
                                ("start_rectification", date(2026, 3, 5))])  # deadline 03-18 < TODAY: overdue
    # Serious on Friday 03-20: the report to the bureau is due three working days later, after TODAY.
    _walk(db, actor, ids["B"], [("start_verification", date(2026, 2, 10)), ("flag_serious", date(2026, 3, 20))])
    _walk(db, actor, ids["C"], [("start_verification", date(2026, 1, 5)), ("close_no_issue", date(2026, 1, 9))])
    return Office(ids, units, other_id)


def found(db: Database, office: Office, **kw: object) -> set[str]:
    flt = MatterFilter(**kw)  # type: ignore[arg-type]
    rows = search.list_matters(db, flt, today=TODAY)
    letters = {k for k, v in office.ids.items() if v in {r.id for r in rows}}
    assert search.count_matters(db, flt, TODAY) == len(rows), kw
    page = search.search_matters(db, flt, 200, TODAY)
    assert [r.id for r in page.rows] == [r.id for r in rows] and page.total == len(rows) and not page.at_least
    return letters


def test_every_filter(db: Database, office: Office) -> None:
    assert found(db, office) == {"A", "B", "C", "D"}
    assert found(db, office, status="closed") == {"C"}
    assert found(db, office, status=["closed", "serious"]) == {"B", "C"}
    assert found(db, office, open_only=True) == {"A", "B", "D"}
    assert found(db, office, unit_id=office.units[1]) == {"A", "C"}
    assert found(db, office, unit_id=office.units[3]) == {"C", "D"}
    assert found(db, office, unit_id=office.units[0]) == set()
    assert found(db, office, source="hotline") == {"A"}
    assert found(db, office, category="concentrated_penalty") == {"B"}
    assert found(db, office, track="frequent") == {"B"}
    assert found(db, office, handler_id=office.other_handler) == {"D"}
    assert found(db, office, received_from=date(2026, 3, 1)) == {"A", "D"}
    assert found(db, office, received_to=date(2026, 2, 10)) == {"B", "C"}
    assert found(db, office, received_from=date(2026, 2, 10), received_to=date(2026, 3, 2)) == {"A", "B"}
    assert found(db, office, overdue=True) == {"A"}
    assert found(db, office, serious=True) == {"B"}
    assert found(db, office, text="超期", open_only=True) == {"B", "D"}
    assert found(db, office, text="超期", unit_id=office.units[3], handler_id=office.other_handler) == {"D"}
    assert found(db, office, text="占道", status="closed") == set()


def test_rows_are_newest_first_with_labels_and_masked_complainant(db: Database, office: Office) -> None:
    rows = search.list_matters(db, today=TODAY)
    assert [r.received_on for r in rows] == sorted((r.received_on for r in rows), reverse=True)
    a = next(r for r in rows if r.id == office.ids["A"])
    assert a.complainant == "张* 138****5678"  # M-7: masked in lists
    assert "张三" not in repr(a) and "13812345678" not in repr(a)
    assert a.category_label == "具体行政行为的合法性" and a.source_label == "12345政务服务热线"
    assert a.status_label == "整改中" and a.overdue
    assert next(r for r in rows if r.id == office.ids["B"]).complainant == ""
    c = next(r for r in rows if r.id == office.ids["C"])
    assert c.units == "贺村镇综合行政执法队、" + matters.list_units(db)[3].name and not c.overdue
    detail = matters.matter_detail(db, office.ids["A"], TODAY)
    assert (detail.complainant_name, detail.complainant_phone) == ("张三", "13812345678")  # in full on the detail


@pytest.mark.parametrize(("query", "expected"), [
    ("占", {"A"}),  # one character: a prefix of the bigrams
    ("申辩", {"A"}),
    ("申辩权", {"A"}),
    ("处罚未告知", {"A"}),
    ("处罚决定", set()),  # the characters occur, but not in this order
    ("超期", {"B", "D"}),
    ("油烟扰民，投诉", {"D"}),  # punctuation splits the query: each part must occur
    ("扰民投诉人", set()),  # the facts have a comma inside it (扰民，投诉人): not one phrase
    ("李四", {"A"}),  # 当事人
    ("GD2026030212345", {"A"}),  # a hotline work-order number
    ("gd2026030212345", {"A"}),
    ("030212345", {"A"}),
    ("贺监登〔2026〕1号", {"A"}),  # the registration number
    ("不存在的关键词", set()),
    ("，。！", {"A", "B", "C", "D"}),  # nothing searchable: no text filter
])
def test_full_text(db: Database, office: Office, query: str, expected: set[str]) -> None:
    assert found(db, office, text=query) == expected


def test_the_index_follows_registration_and_is_rebuilt_when_out_of_step(db: Database, office: Office,
                                                                        actor: Actor) -> None:
    new = _register(db, actor, title="燃气安全检查责令整改后未复查", unit_ids=[office.units[2]], source="bureau")
    assert found(db, office, text="燃气") == set() and search.list_matters(db, MatterFilter(text="燃气"))[0].id == new
    assert search.ensure_search_index(db) == 0  # in step: nothing to do

    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM matter_search WHERE rowid IN (:a, :b)"), {"a": office.ids["A"], "b": new})
    assert found(db, office, text="占道") == set()
    assert search.ensure_search_index(db) == 5
    assert found(db, office, text="占道") == {"A"}
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM matter_search")).scalar() == 5


def test_merged_work_orders_are_searchable(db: Database, office: Office) -> None:
    with db.uow() as session:
        session.add(MatterRef(matter_id=office.ids["D"], source="hotline", source_ref="ZJ-20260321-0107",
                              received_on=date(2026, 3, 21), summary="", merged_by="王晓燕",
                              merged_at=datetime(2026, 3, 21, 9, 0)))
        session.flush()
        search.reindex_matter(session, office.ids["D"])
    assert found(db, office, text="ZJ-20260321-0107") == {"D"}
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM matter_search"))
    assert search.ensure_search_index(db) == 4
    assert found(db, office, text="20260321 0107") == {"D"}  # the merged reference survives a rebuild
    with db.uow() as session, pytest.raises(NotFound):
        search.reindex_matter(session, 9999)


def test_saved_filters_round_trip(db: Database) -> None:
    flt = MatterFilter(text="占道", status="rectifying", unit_id=2, received_from=date(2026, 1, 1),
                       received_to=date(2026, 3, 31), overdue=True)
    first = search.save_filter(db, "user:1", "逾期的占道", flt)
    search.save_filter(db, "user:1", "严重", MatterFilter(serious=True, open_only=True))
    search.save_filter(db, "user:2", "逾期的占道", MatterFilter())  # another person's filter of the same name
    saved = search.list_saved_filters(db, "user:1")
    assert [s.name for s in saved] == sorted(["逾期的占道", "严重"])
    assert next(s for s in saved if s.id == first).filter == flt  # dates come back as dates
    with db.uow() as session:
        criteria = session.execute(text("SELECT criteria FROM saved_filters WHERE id = :id"), {"id": first}).scalar()
    assert '"2026-01-01"' in criteria and "false" not in criteria  # ISO dates, only what is set

    with pytest.raises(FilterExists, match="是否用当前条件替换"):
        search.save_filter(db, "user:1", " 逾期的占道 ", MatterFilter(serious=True))
    assert search.save_filter(db, "user:1", "逾期的占道", MatterFilter(serious=True), replace=True) == first
    assert next(s for s in search.list_saved_filters(db, "user:1") if s.id == first).filter == MatterFilter(serious=True)
    with pytest.raises(ValidationError, match="请填写筛选名称"):
        search.save_filter(db, "user:1", "  ", flt)
    with pytest.raises(ValidationError, match="过长"):
        search.save_filter(db, "user:1", "名" * 65, flt)

    with pytest.raises(NotFound):
        search.delete_saved_filter(db, "user:2", first)  # not theirs
    search.delete_saved_filter(db, "user:1", first)
    assert [s.name for s in search.list_saved_filters(db, "user:1")] == ["严重"]
    assert [s.name for s in search.list_saved_filters(db, "user:2")] == ["逾期的占道"]


def test_filter_criteria_tolerate_other_versions() -> None:
    flt = MatterFilter.from_criteria({"text": "占道", "received_from": "2026-01-01", "received_to": "not a date",
                                      "colour": "red"})
    assert flt == MatterFilter(text="占道", received_from=date(2026, 1, 1))
    assert MatterFilter().is_empty() and MatterFilter(text="  ").is_empty()
    assert not MatterFilter(serious=True).is_empty() and not MatterFilter(text="占道").is_empty()


@pytest.fixture
def volume(db: Database) -> Database:
    """A few hundred synthetic matters: enough for pages, plans and caps."""
    demo.add_synthetic(db, 700, seed=7, batch=300)
    return db


def test_synthetic_matters_are_indexed_in_the_same_batches(volume: Database) -> None:
    with volume.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM matter_search")).scalar() == 700
    assert search.ensure_search_index(volume) == 0


def test_keyset_pages_follow_the_order(volume: Database) -> None:
    whole = search.list_matters(volume, limit=10_000, today=TODAY)
    assert len(whole) == 700
    assert [(r.received_on, r.id) for r in whole] == sorted(((r.received_on, r.id) for r in whole), reverse=True)
    pages, after = [], None
    while True:
        page = search.list_matters(volume, limit=200, today=TODAY, after=after)
        pages += page
        if len(page) < 200:
            break
        after = (page[-1].received_on, page[-1].id)
    assert [r.id for r in pages] == [r.id for r in whole]
    assert [r.id for r in search.list_matters(volume, limit=200, offset=200, today=TODAY)] == [r.id for r in whole[200:400]]


FILTERS = [MatterFilter(text="问题"), MatterFilter(text="占道", open_only=True), MatterFilter(unit_id=2),
           MatterFilter(unit_id=2, text="监督", status="closed"), MatterFilter(overdue=True, text="群众"),
           MatterFilter(serious=True), MatterFilter(text="王", track="frequent")]


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: str(f.to_criteria()))
def test_every_plan_gives_the_same_answer(volume: Database, flt: MatterFilter,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    expected = search.list_matters(volume, flt, limit=10_000, today=TODAY)
    assert expected, "the filter should find something in the synthetic office"
    for drive_max in (0, 10**9):  # probe every set while reading the list in order / read the smallest set
        monkeypatch.setattr(search, "DRIVE_MAX", drive_max)
        monkeypatch.setattr(search, "COUNT_DRIVE_MAX", drive_max)
        assert search.list_matters(volume, flt, limit=10_000, today=TODAY) == expected
        assert search.count_matters(volume, flt, TODAY) == len(expected)
        page = search.search_matters(volume, flt, 50, TODAY)
        assert page.rows == expected[:50] and page.total == len(expected) and not page.at_least


def test_a_count_that_would_probe_everything_stops_at_the_cap(volume: Database,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "COUNT_DRIVE_MAX", 0)
    monkeypatch.setattr(search, "COUNT_CAP", 30)
    flt = MatterFilter(text="问题", open_only=True)
    page = search.search_matters(volume, flt, 20, TODAY)
    assert len(page.rows) == 20 and page.total == 30 and page.at_least
    assert search.count_matters(volume, flt, TODAY) > 30  # the exact count is still there when asked for
    alone = search.search_matters(volume, MatterFilter(text="问题"), 20, TODAY)
    assert alone.total == 700 and not alone.at_least  # the text alone: the index counts it exactly
    few = search.search_matters(volume, MatterFilter(text="问题", status="serious"), 20, TODAY)
    assert not few.at_least and few.total == len(few.rows) < 30
