"""SPEC L-1..L-3 (issue 14): the one statistics service, against a month with known answers (tests/statistics_data.py).
The figures stand as of the period's end, not today: the PENDING matter was rectified in April."""

from __future__ import annotations

from datetime import date

import pytest
from statistics_data import TODAY, KnownMonth, build_known_month

from hecun_office.domain.errors import ValidationError
from hecun_office.services import statistics as st
from hecun_office.services.audit import Actor
from hecun_office.storage.uow import Database

MARCH = st.Period.of(2026, 3)


@pytest.fixture
def known(db: Database, actor: Actor) -> KnownMonth:
    return build_known_month(db, actor)


def test_a_period_is_a_month_or_a_year_and_bad_input_is_named_in_chinese() -> None:
    assert (MARCH.start, MARCH.end, MARCH.label, MARCH.slug) == (date(2026, 3, 1), date(2026, 3, 31), "2026年3月", "2026-03")
    year = st.Period.of(2026)
    assert (year.start, year.end, year.label, len(year.months())) == (date(2026, 1, 1), date(2026, 12, 31), "2026年", 12)
    assert st.Period.of(2024, 2).end == date(2024, 2, 29) and st.Period.of(2026, 12).end == date(2026, 12, 31)
    assert MARCH.as_of(date(2026, 3, 12)) == date(2026, 3, 12) and MARCH.as_of(TODAY) == MARCH.end
    with pytest.raises(ValidationError, match="月份“13”不对"):
        st.Period.of(2026, 13)
    with pytest.raises(ValidationError, match="年份“26”不对"):
        st.Period.of(26)


def test_each_advice_has_its_deadline_from_service_and_its_outcome_as_of_the_month_end(db: Database,
                                                                                        known: KnownMonth) -> None:
    with db.uow() as session:
        advices = {a.matter_id: a for a in st.advice_outcomes(session, MARCH, today=TODAY)}
    assert set(advices) == {known.on_time, known.late, known.escalated, known.pending}
    on_time, late = advices[known.on_time], advices[known.late]
    assert (on_time.served_on, on_time.deadline, on_time.rectified_on, on_time.outcome) == (
        date(2026, 3, 3), date(2026, 3, 18), date(2026, 3, 10), st.Outcome.ON_TIME)
    assert (late.deadline, late.rectified_on, late.outcome) == (date(2026, 3, 13), date(2026, 3, 25), st.Outcome.LATE)
    escalated = advices[known.escalated]
    assert (escalated.outcome, escalated.escalated_on) == (st.Outcome.OUTSTANDING, date(2026, 3, 20))
    pending = advices[known.pending]
    assert (pending.deadline, pending.rectified_on, pending.outcome) == (date(2026, 4, 7), None, st.Outcome.PENDING)
    assert on_time.number == "贺司建〔2026〕1号" and on_time.units == (known.units[0],)


def test_the_league_ranks_units_by_rectification_rate_and_lists_the_rest_unranked(db: Database,
                                                                                  known: KnownMonth) -> None:
    with db.uow() as session:
        rows = st.league(session, MARCH, today=TODAY)
        april = st.league(session, st.Period.of(2026, 4), today=TODAY)
    first, second = rows[0], rows[1]
    assert (first.unit, first.received, first.on_time, first.late, first.outstanding, first.rate.text, first.rank) == (
        known.units[0], 2, 1, 1, 0, "50.0%", 1)
    assert (second.unit, second.received, second.on_time, second.outstanding, second.pending, second.escalated,
            second.rate.text, second.rank) == (known.units[1], 2, 0, 1, 1, 1, "0.0%", 2)
    assert all(r.rank is None and r.received == 0 and r.rate.text == "—" for r in rows[2:])
    assert known.units[2] in [r.unit for r in rows[2:]]  # every supervised unit is listed
    assert [r.received for r in april] == [0] * len(april)  # no advice issued in April


def test_the_months_figures_stand_at_its_end_not_today(db: Database, known: KnownMonth) -> None:
    with db.uow() as session:
        march = st.figures(session, MARCH, today=TODAY)
        april = st.figures(session, st.Period.of(2026, 4), today=TODAY)
    assert (march.matters_received, march.advices_issued, march.rectified, march.rectified_on_time,
            march.rectified_late, march.escalations, march.matters_closed, march.case_files_reviewed) == (
        5, 4, 2, 1, 1, 1, 1, 2)  # two case files scored in March (review batch)
    assert march.rectifying == 1  # PENDING, rectified only on 3 April
    assert march.rectification_rate == st.Rate(1, 3)  # on time / (on time + late + outstanding)
    assert march.report_rate == st.Rate(0, 1)  # the escalation report: due 18 March, made 20 March
    assert [(c.label, c.count) for c in march.by_source] == [("12345政务服务热线", 2), ("日常监督", 2), ("案卷评查", 1)]
    assert [(c.label, c.count) for c in march.by_unit] == [(known.units[0], 2), (known.units[1], 2),
                                                           (known.units[2], 1)]
    assert dict((c.label, c.count) for c in march.by_outcome) == {
        "建议书已制发": 1, "已整改": 2, "已提请司法局": 1, "办结": 1}
    assert (april.matters_received, april.rectified, april.rectified_on_time, april.rectifying) == (0, 1, 1, 0)
    assert st.counts_text(march.by_source) == "12345政务服务热线 2件、日常监督 2件、案卷评查 1件"


def test_a_running_month_counts_up_to_today(db: Database, known: KnownMonth) -> None:
    with db.uow() as session:
        early = st.figures(session, MARCH, today=date(2026, 3, 12))
    assert early.as_of == date(2026, 3, 12) and early.rectified == 1  # the late rectification came on 25 March
    assert (early.matters_received, early.advices_issued) == (4, 3)  # PENDING came on 20 March
    assert early.rectification_rate == st.Rate(1, 1)  # the other deadlines had not passed on 12 March
    assert early.rectifying == 2 and early.escalations == 0


def test_per_month_series_for_the_charts(db: Database, known: KnownMonth) -> None:
    with db.uow() as session:
        by_source = st.matters_per_month(session, 2026, "source")
        by_category = st.matters_per_month(session, 2026, "category")
        limits = st.obligations_per_month(session, 2026, today=TODAY)
        with pytest.raises(ValidationError, match="不支持按“unit”分组"):
            st.matters_per_month(session, 2026, "unit")
    assert by_source.total("12345政务服务热线") == 2 and dict(by_source.series)["案卷评查"][2] == 1
    assert sum(sum(v) for _, v in by_category.series) == 5
    values = dict(limits.series)
    # March: three service receipts and one more, the ON_TIME rectification on time; the report two days late.
    # April: the PENDING rectification, on 3 April, before its 7 April deadline. Dropped obligations are left out.
    assert (values[st.ON_TIME_LABEL][2:4], values[st.LATE_LABEL][2:4], values[st.MISSED_LABEL][2:4]) == (
        (5, 1), (1, 0), (0, 0))


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory, county_template):
    from county_data import copy_county

    built = copy_county(county_template, tmp_path_factory.mktemp("county-statistics"))
    yield built
    built.dispose()


def test_the_bureau_sees_each_township_as_the_township_sees_itself(county) -> None:
    """Bureau mode: the same service over the townships' packets; a township's figures at the bureau are the
    figures its own office computes, and the county's are their sum."""
    year = st.Period.of(2026)
    today = date(2026, 12, 31)
    with county.bureau.uow() as session:
        offices = st.offices(session)
        total = st.figures(session, year, today=today)
        each = {code: st.figures(session, year, code, today=today) for code, _ in offices}
        by_office = st.league(session, year, by_office=True, today=today)
        by_unit = st.league(session, year, today=today)
    assert {"hecun", "qinghu"} <= {code for code, _ in offices}
    for field in ("matters_received", "advices_issued", "rectified", "escalations", "rectifying", "overdue"):
        assert getattr(total, field) == sum(getattr(f, field) for f in each.values()), field
    assert sorted(r.office_code for r in by_office) == sorted(code for code, _ in offices)
    assert total.advices_issued > 0 and sum(r.received for r in by_office) == total.advices_issued
    for code, office in (("hecun", county.hecun), ("qinghu", county.qinghu)):
        with office.db.uow() as session:
            own = st.figures(session, year, today=today)
            own_league = st.league(session, year, today=today)
            own_advices = [(a.reg_no, a.number, a.served_on, a.deadline, a.outcome)
                           for a in st.advice_outcomes(session, year, today=today)]
        with county.bureau.uow() as session:
            # the advice's number and service as the township issued them: an event's document_id is the
            # township's own row id, which at the bureau names some other document
            bureau_advices = [(a.reg_no, a.number, a.served_on, a.deadline, a.outcome)
                              for a in st.advice_outcomes(session, year, code, today=today)]
        assert own_advices and sorted(bureau_advices) == sorted(own_advices)
        at_bureau = each[code]
        assert (own.matters_received, own.advices_issued, own.rectified, own.rectifying, own.rectification_rate) == (
            at_bureau.matters_received, at_bureau.advices_issued, at_bureau.rectified, at_bureau.rectifying,
            at_bureau.rectification_rate)
        mine = [(r.unit, r.received, r.on_time, r.late, r.outstanding) for r in by_unit
                if r.office_code == code and r.received]
        assert mine == [(r.unit, r.received, r.on_time, r.late, r.outstanding) for r in own_league if r.received]
