"""L-2: the monthly 报送表 and the annual summary meet their office obligations when the document is finalised or
issued — the clerk does not also tick the obligation off by hand (a finalised report left it open before)."""

from __future__ import annotations

from datetime import date

from issuing import filled, issue_document
from people import add_director

from hecun_office.services import documents
from hecun_office.services.audit import Actor
from hecun_office.services.obligations import ensure_office_obligations, obligation_rows
from hecun_office.storage.uow import Database

REPORT_DAY = date(2026, 2, 3)


def _row(db: Database, title: str, today: date):
    return next(r for r in obligation_rows(db, today, include_closed=True) if r.title == title)


def test_finalising_the_monthly_report_meets_that_month_only(db: Database, actor: Actor) -> None:
    ensure_office_obligations(db, REPORT_DAY)
    values = filled(db, "periodic_report", None, REPORT_DAY)
    assert values["period"] == "2026年1月"
    doc = documents.create_draft(db, actor, "periodic_report", None, values, REPORT_DAY)
    documents.finalize(db, actor, doc, REPORT_DAY)
    january = _row(db, "2026年1月工作情况报送", REPORT_DAY)
    assert (january.status, january.met_on) == ("met_on_time", REPORT_DAY)
    assert "行政执法协调监督工作情况报送表" in january.note
    ensure_office_obligations(db, date(2026, 3, 2))
    assert _row(db, "2026年2月工作情况报送", date(2026, 3, 2)).status == "open"  # the next month is still owed
    assert "报送表" in _row(db, "2026年1月工作情况报送", date(2026, 3, 2)).note  # kept when the rules run again


def test_issuing_the_annual_summary_meets_the_year(db: Database, actor: Actor) -> None:
    director = add_director(db)
    day = date(2026, 12, 18)
    ensure_office_obligations(db, day)
    issue_document(db, actor, director, director, "annual_summary", None, day)
    summary = _row(db, "2026年度行政执法监督工作总结", day)
    assert (summary.status, summary.met_on) == ("met_on_time", day)
