"""S-7: the bureau's cross-township overview, on a county built through the real services (tests/county_data.py):
贺村 and 清湖 packets imported into one bureau database, 凤林 enrolled without a packet. The figures are checked
with the bureau on SQLite and on PostgreSQL (S-7: month extraction, the request-key join and the grouping agree)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from county_data import EXPECTED, TODAY, County, _matter, _send, _steps, build_county, copy_county
from sqlalchemy import event, select, update

from hecun_office.domain.lifecycle import FINAL_STATUSES
from hecun_office.services.county import AwaitingKind, CountyOverview, OfficeFigures, county_overview
from hecun_office.storage.models import Document, Matter, MatterEvent, OfficeObligation, Peer
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


def _recount(db: Database, today: date) -> dict[str, dict[str, object]]:
    """The overview's figures counted the plain way: every township row loaded, counted in Python."""
    with db.uow() as session:
        matters = session.execute(select(Matter.id, Matter.office_code, Matter.status, Matter.received_on,
                                         Matter.reg_no).where(Matter.office_code != "")).all()
        events = session.execute(select(MatterEvent.matter_id, MatterEvent.action, MatterEvent.on_date)).all()
        obligations = session.execute(select(OfficeObligation.office_code, OfficeObligation.kind,
                                             OfficeObligation.state, OfficeObligation.due_on,
                                             OfficeObligation.met_on)).all()
        notices = session.execute(select(Document.matter_id, Document.issue_date).where(
            Document.office_code == "", Document.form_id == "supervision_notice",
            Document.status == "issued")).all()
    office_of = {m.id: m.office_code for m in matters}
    final = {s.value for s in FINAL_STATUSES}
    out: dict[str, dict[str, object]] = {}
    for code in sorted(set(office_of.values())):
        mine = [m for m in matters if m.office_code == code]
        months = {n: [0, 0, 0, 0] for n in range(1, 13)}
        for m in mine:
            if m.received_on.year == today.year:
                months[m.received_on.month][0] += 1
        for e in events:
            if office_of.get(e.matter_id) == code and e.action == "issue_advice" and e.on_date.year == today.year:
                months[e.on_date.month][1] += 1
        overdue = 0
        for o in obligations:
            if o.office_code != code:
                continue
            if o.kind in ("escalation_report", "refusal_report", "serious_report") and o.state == "open" \
                    and o.due_on < today:
                overdue += 1
            if o.kind == "rectification" and o.due_on.year == today.year and o.due_on < today:
                months[o.due_on.month][2] += 1
                months[o.due_on.month][3] += o.state == "met" and o.met_on is not None and o.met_on <= o.due_on
        waiting = []
        for m in mine:
            if m.status != "escalated":
                continue
            escalated = max((e.on_date for e in events if e.matter_id == m.id and e.action == "escalate"),
                            default=m.received_on)
            if not any(n.matter_id == m.id and n.issue_date is not None and n.issue_date >= escalated
                       for n in notices):
                waiting.append(m.reg_no)
        out[code] = {"open_matters": sum(m.status not in final for m in mine), "overdue_escalations": overdue,
                     "months": {n: tuple(v) for n, v in months.items() if any(v)}, "waiting": sorted(waiting)}
    return out


def _shown(overview: CountyOverview) -> dict[str, dict[str, object]]:
    notices = [a for a in overview.awaiting if a.kind == AwaitingKind.SUPERVISION_NOTICE]
    return {o.code: {"open_matters": o.open_matters, "overdue_escalations": o.overdue_escalations,
                     "months": _months(o), "waiting": sorted(a.reg_no for a in notices if a.office_code == o.code)}
            for o in overview.offices if o.last_seq}


@pytest.mark.parametrize("today", [TODAY, date(2026, 1, 31), date(2026, 3, 13), date(2026, 3, 14),
                                   date(2027, 2, 1)])
def test_the_figures_equal_a_plain_recount(county: County, today: date) -> None:
    """Issue 12 item 10: the overview reads grouped figures (and keeps them between calls); they are still what
    counting every township row one by one gives, on every day — called twice, from the kept figures too."""
    expected = _recount(county.bureau, today)
    assert _shown(county_overview(county.bureau, today)) == expected
    assert _shown(county_overview(county.bureau, today)) == expected


@pytest.fixture
def county_copy(county_template: County, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[County]:
    built = copy_county(county_template, tmp_path / "county")
    monkeypatch.setenv("HECUN_OFFICE_HOME", str(tmp_path / "county" / "home"))  # the copied key secrets
    yield built
    built.dispose()


def test_a_packet_applied_after_an_overview_is_in_the_next_one(county_copy: County, tmp_path: Path) -> None:
    """The township figures are kept between calls until a packet moves an office's chain head."""
    bureau = county_copy.bureau
    before = county_overview(bureau, TODAY)
    assert county_overview(bureau, TODAY) == before  # from the kept figures
    m = _matter(county_copy.qinghu, "行政检查未出示执法证件", date(2026, 3, 20))
    _steps(county_copy.qinghu, m, ("start_verification", date(2026, 3, 20)),
           ("issue_advice", date(2026, 3, 21), date(2026, 4, 10)))
    _send(county_copy.qinghu, bureau, county_copy.bureau_admin, tmp_path / "usb", TODAY)
    after = county_overview(bureau, TODAY)
    q_before, q_after = before.office("qinghu"), after.office("qinghu")
    assert q_before is not None and q_after is not None
    assert q_after.open_matters == q_before.open_matters + 1
    assert q_after.months[2].received == q_before.months[2].received + 1
    assert q_after.months[2].advices == q_before.months[2].advices + 1
    assert q_after.last_seq == q_before.last_seq + 1
    assert _shown(after) == _recount(bureau, TODAY)


def test_the_bureaus_own_notices_are_read_on_every_call(county_copy: County) -> None:
    """Whether the bureau answered an escalation is its own work, not a township's: read afresh, never kept."""
    bureau = county_copy.bureau
    before = county_overview(bureau, TODAY)
    assert county_copy.reg_nos["M8"] not in [a.reg_no for a in before.awaiting]
    with bureau.uow() as session:  # M8's supervision notice voided (as if never issued)
        session.execute(update(Document).where(Document.office_code == "",
                                               Document.form_id == "supervision_notice").values(status="voided"))
    after = county_overview(bureau, TODAY)
    assert county_copy.reg_nos["M8"] in [a.reg_no for a in after.awaiting]
    hecun_before, hecun_after = before.office("hecun"), after.office("hecun")
    assert hecun_before is not None and hecun_after is not None
    assert hecun_after.awaiting_notice == hecun_before.awaiting_notice + 1
    assert [a.kind for a in after.awaiting] == sorted(a.kind for a in after.awaiting)  # replies first
