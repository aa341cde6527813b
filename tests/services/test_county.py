"""S-7: the bureau's cross-township overview, on a county built through the real services (tests/county_data.py):
贺村 and 清湖 packets imported into one bureau database, 凤林 enrolled without a packet. The figures are checked
with the bureau on SQLite and on PostgreSQL (S-7: month extraction, the request-key join and the grouping agree)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from county_data import EXPECTED, TODAY, County, build_county, copy_county
from sqlalchemy import event, update

from hecun_office.services.county import AwaitingKind, CountyOverview, OfficeFigures, county_overview
from hecun_office.storage.models import Peer
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database

SCALARS = ("last_seq", "open_matters", "overdue_escalations", "awaiting_assistance", "overdue_assistance",
           "awaiting_notice", "rectification_due", "rectified_on_time")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory, county_template: County) -> Iterator[County]:
    built = copy_county(county_template, tmp_path_factory.mktemp("county"))
    yield built
    built.dispose()


@pytest.fixture
def county_on(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[County]:
    """The county with its bureau on ``backend``: the module's SQLite copy, or built afresh on PostgreSQL."""
    if backend == "sqlite":
        yield request.getfixturevalue("county")
        return
    built = build_county(tmp_path, bureau_url=request.getfixturevalue("pg_url"))
    yield built
    built.dispose()


@pytest.fixture(scope="module")
def overview(county: County) -> CountyOverview:
    return county_overview(county.bureau, TODAY)


def _months(office: OfficeFigures) -> dict[int, tuple[int, int, int, int]]:
    return {m.month: (m.received, m.advices, m.rectification_due, m.rectified_on_time) for m in office.months
            if (m.received, m.advices, m.rectification_due, m.rectified_on_time) != (0, 0, 0, 0)}


def _check(overview: CountyOverview) -> None:
    assert [o.code for o in overview.offices] == ["hecun", "qinghu", "fenglin"]  # enrolment order
    for office in overview.offices:
        expected = EXPECTED[office.code]
        assert office.name == expected["name"]
        assert {k: getattr(office, k) for k in SCALARS} == {k: expected[k] for k in SCALARS}, office.code
        assert _months(office) == expected["months"], office.code
        assert [m.month for m in office.months] == list(range(1, 13))


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def test_figures_per_office_match_what_the_townships_registered_and_issued(county_on: County) -> None:
    overview = county_overview(county_on.bureau, TODAY)
    _check(overview)
    hecun, qinghu, fenglin = overview.offices
    assert hecun.active and qinghu.active and fenglin.active
    assert hecun.received_this_year == 9 and hecun.advices_this_year == 4
    assert qinghu.received_this_year == 4 and qinghu.advices_this_year == 2
    # 贺村: M1 on time (01-28 ≤ 01-30), M2 late (03-04 > 02-27), M3 marked overdue; M4's deadline is still ahead
    assert hecun.rectification_rate == pytest.approx(1 / 3)
    assert qinghu.rectification_rate == 1.0
    assert hecun.awaiting_bureau == 4
    assert hecun.last_packet_on == date.today()  # the wall-clock day the packets were imported
    assert [(a.kind, a.reg_no, a.working_days_left) for a in overview.awaiting] == [
        (AwaitingKind.ASSISTANCE_REPLY, county_on.reg_nos["M6"], -1),
        (AwaitingKind.ASSISTANCE_REPLY, county_on.reg_nos["M7"], 3),
        (AwaitingKind.SUPERVISION_NOTICE, county_on.reg_nos["M9"], None),
        (AwaitingKind.SUPERVISION_NOTICE, county_on.reg_nos["M5"], None)]


def test_an_office_without_packets_shows_zeros(overview: CountyOverview) -> None:
    fenglin = overview.office("fenglin")
    assert fenglin is not None
    assert (fenglin.last_seq, fenglin.last_packet_on, fenglin.received_this_year) == (0, None, 0)
    assert fenglin.rectification_rate is None
    assert all(m == type(m)(m.month) for m in fenglin.months)


def test_totals_are_the_sum_of_the_offices(overview: CountyOverview) -> None:
    total = overview.total
    assert total.is_total and overview.office("") is total
    for key in SCALARS[1:]:
        assert getattr(total, key) == sum(getattr(o, key) for o in overview.offices), key
    assert _months(total) == {1: (2, 2, 1, 1), 2: (2, 1, 2, 1), 3: (9, 3, 1, 0)}
    assert total.rectification_rate == pytest.approx(2 / 4)


def test_items_awaiting_the_bureau(county: County, overview: CountyOverview) -> None:
    rows = [(a.kind, a.reg_no, a.document_number, a.received_on, a.due, a.working_days_left, a.waiting_days)
            for a in overview.awaiting]
    reg, number = county.reg_nos, county.report_numbers
    assert rows == [
        # received with packet 1 on Tue 03-17: due Fri 03-20, one working day late on Monday
        (AwaitingKind.ASSISTANCE_REPLY, reg["M6"], number["M6"], date(2026, 3, 17), date(2026, 3, 20), -1, 4),
        (AwaitingKind.ASSISTANCE_REPLY, reg["M7"], number["M7"], TODAY, date(2026, 3, 26), 3, 0),
        # escalations without a supervision notice, longest waiting first; M8 was answered on 03-18
        (AwaitingKind.SUPERVISION_NOTICE, reg["M9"], "", date(2026, 3, 13), None, None, 6),
        (AwaitingKind.SUPERVISION_NOTICE, reg["M5"], number["M5"], date(2026, 3, 17), None, None, 4),
    ]
    first = overview.awaiting[0]
    assert first.overdue and first.office_name == "贺村司法所" and first.matter_id is not None
    assert first.due_text == "2026-03-20 星期五"
    assert not overview.awaiting[1].overdue and not overview.awaiting[2].overdue


def test_an_escalation_report_is_overdue_only_after_its_due_day(county: County) -> None:
    # 贺村 M3: deadline 03-10 passed, report due 03-13; 清湖 Q4: refused 03-09, report due 03-12
    on_due_day = county_overview(county.bureau, date(2026, 3, 13))
    assert [o.overdue_escalations for o in on_due_day.offices] == [0, 1, 0]
    day_after = county_overview(county.bureau, date(2026, 3, 14))
    assert [o.overdue_escalations for o in day_after.offices] == [1, 1, 0]


def test_rectification_counts_once_the_deadline_has_passed(county: County) -> None:
    # M1's deadline 01-30 (met on 01-28): not counted on the deadline day itself, counted the day after
    assert county_overview(county.bureau, date(2026, 1, 30)).offices[0].rectification_due == 0
    after = county_overview(county.bureau, date(2026, 1, 31)).offices[0]
    assert (after.rectification_due, after.rectified_on_time) == (1, 1)


def test_month_buckets_belong_to_the_current_year(county: County) -> None:
    next_year = county_overview(county.bureau, date(2027, 2, 1))
    assert next_year.year == 2027
    assert _months(next_year.total) == {}
    assert next_year.total.open_matters == 10  # not a yearly figure


def test_an_office_no_longer_active_keeps_its_data_in_view(county: County, tmp_path: Path) -> None:
    copy = tmp_path / "bureau.sqlite3"
    with county.bureau.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(county.bureau.file or "", copy)
    db = open_database(f"sqlite:///{copy}")
    try:
        with db.uow() as session:
            session.execute(update(Peer).where(Peer.code.in_(["qinghu", "fenglin"])).values(active=False))
        overview = county_overview(db, TODAY)
    finally:
        db.dispose()
    # 清湖 has data and moves to the end, marked inactive; 凤林 never sent anything and is no longer listed
    assert [(o.code, o.active) for o in overview.offices] == [("hecun", True), ("qinghu", False)]
    assert overview.offices[1].open_matters == EXPECTED["qinghu"]["open_matters"]


def test_an_office_database_has_no_county(db: Database) -> None:
    overview = county_overview(db, TODAY)
    assert overview.offices == () and overview.awaiting == ()
    assert overview.total.open_matters == 0 and overview.total.rectification_rate is None


def test_the_number_of_queries_does_not_grow_with_the_data(county: County) -> None:
    """Grouped queries over the county, not a query (or a loop) per matter or per office."""
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    county_overview(county.bureau, TODAY)  # the calendar is cached after the first call
    event.listen(county.bureau.engine, "before_cursor_execute", count)
    try:
        county_overview(county.bureau, TODAY)
    finally:
        event.remove(county.bureau.engine, "before_cursor_execute", count)
    assert len(statements) <= 16, statements
