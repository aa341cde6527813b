from __future__ import annotations

from datetime import date

import pytest

from hecun_office.workdays import DayEntry, WorkCalendar, library_entries, library_years


@pytest.fixture(scope="session")
def library_table() -> dict[date, DayEntry]:
    return {e.day: e for year in library_years() for e in library_entries(year)}


@pytest.fixture(scope="session")
def cal(library_table: dict[date, DayEntry]) -> WorkCalendar:
    """The calendar as a fresh install has it: chinese-calendar's years only, 2027 onwards provisional."""
    return WorkCalendar(library_table, library_years())
