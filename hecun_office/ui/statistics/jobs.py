"""What 台账统计 reads, in one go on the reader pool (N-2: grouped queries over a county's year take a moment).
Qt-free: the page hands ``load`` to the runner and shows the plain result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...services import statistics as st
from ...services.database import Database


@dataclass(frozen=True)
class Snapshot:
    """Everything the page shows for one period and one office (``office_code`` None: all)."""

    period: st.Period
    office_code: str | None
    offices: tuple[tuple[str, str], ...]  # (code, name); at an office its own only
    figures: st.Figures
    by_source: st.MonthSeries
    by_category: st.MonthSeries
    obligations: st.MonthSeries
    league: tuple[st.LeagueRow, ...]  # per supervised unit
    office_league: tuple[st.LeagueRow, ...]  # per 司法所: at the bureau over all of them, else empty


def load(db: Database, period: st.Period, office_code: str | None, bureau: bool, today: date) -> Snapshot:
    # One unit of work, so every figure on the page comes from the same state of the database. (The statistics
    # service takes a session, as the ledgers do; a database-level entry point in services would spare ui/ this.)
    with db.uow() as session:
        everyone = office_code is None
        return Snapshot(
            period=period, office_code=office_code, offices=tuple(st.offices(session)),
            figures=st.figures(session, period, office_code, today=today),
            by_source=st.matters_per_month(session, period.year, "source", office_code),
            by_category=st.matters_per_month(session, period.year, "category", office_code),
            obligations=st.obligations_per_month(session, period.year, office_code, today=today),
            league=tuple(st.league(session, period, office_code=office_code, today=today)),
            office_league=tuple(st.league(session, period, by_office=True, today=today))
            if bureau and everyone else ())
