"""SPEC L-2 (issue 14): the periodic report and the annual summary open as drafts already filled with the period's
figures and breakdowns — as they stood at the period's end — from the same statistics service as the ledgers."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from statistics_data import TODAY, KnownMonth, build_known_month

from hecun_office.services import documents
from hecun_office.services.audit import Actor
from hecun_office.services.statistics import Period
from hecun_office.storage.uow import Database


@pytest.fixture
def known(db: Database, actor: Actor) -> KnownMonth:
    return build_known_month(db, actor)


def test_the_periodic_report_on_march_drafted_in_april_says_what_stood_on_31_march(db: Database,
                                                                                   known: KnownMonth) -> None:
    values = documents.draft_values(db, "periodic_report", None, date(2026, 4, 8))  # after the 3 April rectification
    assert values["period"] == "2026年3月"
    assert (values["matters_received"], values["advices_issued"], values["rectified"], values["rectified_on_time"],
            values["rectified_late"], values["rectifying"], values["escalations"]) == (5, 4, 2, 1, 1, 1, 1)
    assert values["rectification_rate"] == "33.3%（3份建议书期限已届满或已整改，按期整改1份）"
    assert values["report_rate"] == "0.0%（应报告1件，3个工作日内报告0件）"
    assert values["by_source"] == "12345政务服务热线 2件、日常监督 2件、案卷评查 1件"
    assert values["by_unit"] == f"{known.units[0]} 2件、{known.units[1]} 2件、{known.units[2]} 1件"
    assert values["by_outcome"] == "建议书已制发 1件、已整改 2件、已提请司法局 1件、办结 1件"


def test_a_chosen_period_fills_the_draft_with_that_period(db: Database, known: KnownMonth) -> None:
    april = documents.draft_values(db, "periodic_report", None, TODAY, period=Period.of(2026, 4))
    assert (april["period"], april["matters_received"], april["rectified"], april["rectified_on_time"]) == (
        "2026年4月", 0, 1, 1)
    assert april["by_source"] == "无" and april["rectification_rate"] == "本期制发的建议书均在整改期限内"


def test_the_annual_summary_tells_the_breakdowns_in_its_text(db: Database, known: KnownMonth) -> None:
    values = documents.draft_values(db, "annual_summary", None, TODAY)
    assert (values["year"], values["matters_received"], values["rectified_on_time"]) == (2026, 5, 2)
    values.update(work="（一）开展日常监督。", problems="监督力量不足。", next_plan="加强案卷评查。")
    pdf = documents.preview_pdf(db, "annual_summary", values, TODAY)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert "按期整改2件，逾期整改1件" in text
    assert "受理的监督事项按来源分：12345政务服务热线 2件、日常监督 2件、案卷评查 1件。" in text
