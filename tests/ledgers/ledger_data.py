"""The office the ledger tests read: the March of tests/statistics_data.py (an on-time and a late rectification, an
escalation, an advice still within its period) plus what only the ledgers show:

- COMPLAINT: registered 25 March from the 12345 hotline with a complainant 张三 13812345678 (M-7 masking);
- a 联席会议纪要 issued 26 March as 贺司纪〔2026〕1号 and voided the same day, "文号重复" (D-3: the number stays);
- DECEMBER: an advice issued 21 December, served 22 December, 15 days from service: the deadline 6 January 2027
  lies in a year whose holidays are not known yet, so it is provisional (T-4).

Built once per test session (``ledger_office_template`` below) and copied per test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from db_copies import freeze, open_copy, shared_home
from issuing import issue_document
from sqlalchemy import select
from statistics_data import KnownMonth, build_known_month

from hecun_office.services import documents, matters, setup
from hecun_office.services.audit import Actor
from hecun_office.services.matters import MatterInput, TransitionInput
from hecun_office.storage.models import User
from hecun_office.storage.uow import Database

LEDGER_TODAY = date(2026, 12, 28)
COMPLAINANT = ("张三", "13812345678")
VOIDED_NUMBER = "贺司纪〔2026〕1号"
VOID_REASON = "文号重复"


@dataclass(frozen=True)
class LedgerOffice:
    month: KnownMonth
    complaint: int
    december: int
    december_reg_no: str


def build_ledger_office(db: Database) -> LedgerOffice:
    clerk = setup.default_actor(db)
    month = build_known_month(db, clerk)
    with db.uow() as session:
        director_id = session.scalar(select(User.id).where(User.username == "li"))
    director = Actor("李志明", director_id, "signer")  # tests/people.add_director, made by the March
    units = matters.list_units(db)
    complaint = matters.register_matter(db, clerk, MatterInput(
        received_on=date(2026, 3, 25), source="hotline", title="油烟扰民投诉处理超期", category="responsibility",
        unit_ids=[units[0].id], source_ref="GD2026032500001", complainant_name=COMPLAINANT[0],
        complainant_phone=COMPLAINANT[1]), today=date(2026, 3, 25)).id
    minutes = issue_document(db, clerk, director, director, "meeting_minutes", None, date(2026, 3, 26))
    assert documents.get_document(db, minutes).number == VOIDED_NUMBER
    documents.void(db, director, minutes, VOID_REASON)

    december = matters.register_matter(db, clerk, MatterInput(
        received_on=date(2026, 12, 18), source="daily", title="行政处罚决定书未载明救济途径", category="legality",
        unit_ids=[units[1].id]), today=date(2026, 12, 18)).id
    matters.transition_matter(db, clerk, december, TransitionInput("start_verification", date(2026, 12, 18)),
                              today=date(2026, 12, 18))
    issue_document(db, clerk, director, director, "supervision_advice", december, date(2026, 12, 21),
                   rectification_days=15)
    advice = next(d for d in documents.list_documents(db, matter_id=december) if d.form_id == "supervision_advice")
    documents.record_service(db, clerk, advice.id, date(2026, 12, 22), "直接送达", "单位内勤", today=date(2026, 12, 22))
    reg_no = matters.matter_detail(db, december, LEDGER_TODAY).reg_no
    return LedgerOffice(month, complaint, december, reg_no)


def build_template(folder: Path, template_db: Path) -> tuple[Path, Path, LedgerOffice]:
    """The ledger office built on a copy of the session's set-up database; (file, its home, what it holds)."""
    path = folder / "ledger-office.sqlite3"
    home = folder / "home"
    with shared_home(home):
        db = open_copy(template_db, path, template_db.parent / "home")
        office = build_ledger_office(db)
        freeze(db)
    return path, home, office

