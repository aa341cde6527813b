"""A small county for the S-7 tests: 江山市司法局 with the packets of 贺村 and 清湖 imported, and 凤林 enrolled but
silent. Everything goes through the real services on real SQLite files; the expected figures are spelled out in
``EXPECTED`` next to the story that produces them. Building takes about two seconds, so tests/conftest.py builds it
once per session (``county_template``) and fixtures take a ``copy_county`` of it.

Today is Monday 2026-03-23. 贺村 sends packet 1 on Tuesday 03-17 and packet 2 today; 清湖 sends one packet today.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from issuing import filled, issue_document
from sqlalchemy import select

from hecun_office.domain.lifecycle import BY_DOCUMENT, Action
from hecun_office.services import documents, exchange_keys, setup
from hecun_office.services.audit import Actor
from hecun_office.services.intake import run_to_end
from hecun_office.services.matters import (
    MatterInput,
    TransitionInput,
    apply_transition,
    list_units,
    register_matter,
    transition_matter,
)
from hecun_office.services.packet_export import export_data_packet
from hecun_office.services.packet_import import ImportStatus, import_packets
from hecun_office.services.users import create_account
from hecun_office.storage.models import Matter
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database

TODAY = date(2026, 3, 23)
PACKET_1_DAY = date(2026, 3, 17)

# A county agency's 所 may serve several townships: 贺村's market-supervision station is on 清湖's roster too, and
# the bureau keeps it once per roster (issue 12). Q4 names it.
SHARED_UNIT = "江山市市场监督管理局贺村市场监督管理所"
QINGHU = setup.ProfileInput(code="qinghu", name="清湖司法所", abbr="清司", township="清湖镇",
                            registration_pattern="清监登〔{year}〕{n}号",
                            units=[("清湖镇人民政府", "township_government"), ("清湖镇综合行政执法队", "internal_body"),
                                   (SHARED_UNIT, "stationed_agency")])
FENGLIN = setup.ProfileInput(code="fenglin", name="凤林司法所", abbr="凤司", township="凤林镇",
                             registration_pattern="凤监登〔{year}〕{n}号")


@dataclass
class Office:
    db: Database
    admin: Actor
    reviewer: Actor
    signer: Actor


@dataclass
class County:
    bureau: Database
    bureau_admin: Actor
    hecun: Office
    qinghu: Office
    reg_nos: dict[str, str]  # story name (M1…, Q1…) -> registration number
    report_numbers: dict[str, str]  # story name -> number of its escalation report / assistance request

    def dispose(self) -> None:
        for db in (self.bureau, self.hecun.db, self.qinghu.db):
            db.dispose()


def copy_county(template: County, base: Path) -> County:
    """A closed county (its WAL folded into the files) copied to ``base`` with everything beside its databases
    (the packets sent, the key secrets in ``home``) and opened again: the same offices, actors and numbers."""
    source = template.bureau.file
    assert source is not None, "only a county built on SQLite files can be copied"
    shutil.copytree(source.parent, base, dirs_exist_ok=True)

    def copied(db: Database) -> Database:
        assert db.file is not None
        return open_database(f"sqlite:///{base / db.file.name}")

    return replace(template, bureau=copied(template.bureau), hecun=replace(template.hecun, db=copied(template.hecun.db)),
                   qinghu=replace(template.qinghu, db=copied(template.qinghu.db)))


def _calendar_only(base: Path) -> Path:
    """A migrated database with the calendar seeded (most of the set-up time), copied for every installation."""
    path = base / "calendar.sqlite3"
    db = open_database(f"sqlite:///{path}")
    setup.ensure_calendar(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


def _installation(template: Path, path: Path, profile: setup.ProfileInput, url: str | None = None) -> Database:
    if url is None:
        shutil.copyfile(template, path)
    db = open_database(url or f"sqlite:///{path}")
    setup.setup_database(db, profile, setup.UserInput("admin", "管理员", "admin", "secret1"),
                         created_at=datetime(2026, 1, 5, 9, 0))
    return db


def _office(template: Path, path: Path, profile: setup.ProfileInput) -> Office:
    db = _installation(template, path, profile)
    admin = setup.default_actor(db)
    ids = {role: create_account(db, admin, role, name, role, "secret1")
           for role, name in (("reviewer", "周审核"), ("signer", "李所长"))}
    return Office(db, admin, Actor("周审核", ids["reviewer"], "reviewer"), Actor("李所长", ids["signer"], "signer"))


def _enrol(bureau: Database, bureau_admin: Actor, office: Database) -> None:
    office_admin = setup.default_actor(office)
    exchange_keys.add_peer(bureau, bureau_admin, exchange_keys.export_public(office),
                           exchange_keys.own_key(office).fingerprint)
    exchange_keys.add_peer(office, office_admin, exchange_keys.export_public(bureau),
                           exchange_keys.own_key(bureau).fingerprint)


def _send(office: Office, bureau: Database, bureau_admin: Actor, out: Path, day: date) -> None:
    result = run_to_end(export_data_packet(office.db, office.admin, out, day))
    outcomes = run_to_end(import_packets(bureau, bureau_admin, [result.path], day, backup=False))
    assert [o.status for o in outcomes] == [ImportStatus.IMPORTED], outcomes


def _matter(office: Office, title: str, received: date, unit: int = 1) -> int:
    units = list_units(office.db)
    return register_matter(office.db, office.admin, MatterInput(
        received_on=received, source="daily", title=title, category="legality", unit_ids=[units[unit].id],
        facts=f"{title}。经初步了解，相关执法行为存在程序问题。"), TODAY).id


def _steps(office: Office, matter_id: int, *steps: tuple[str, date] | tuple[str, date, date]) -> None:
    for step in steps:
        action, on = step[0], step[1]
        deadline = step[2] if len(step) == 3 else None  # type: ignore[misc]
        reason = {"flag_serious": "情节复杂。", "mark_refused": "单位书面答复拒绝整改。",
                  "close_no_issue": "未发现问题。"}.get(action, "")
        step_input = TransitionInput(action, on, reason=reason, rectification_deadline=deadline)
        if Action(action) in BY_DOCUMENT:
            # A status click without its document, as versions before issue 11 allowed: databases in the field
            # hold such matters, and the bureau must still see them (awaiting a notice).
            with office.db.uow() as session:
                apply_transition(session, office.admin, matter_id, Action(action), step_input)
            continue
        transition_matter(office.db, office.admin, matter_id, step_input, TODAY)


def _issue(office: Office, form_id: str, matter_id: int, on: date) -> str:
    """Draft → review → sign-off on ``on``; the matter moves with the document (escalate, send request)."""
    doc = issue_document(office.db, office.admin, office.reviewer, office.signer, form_id, matter_id, on)
    return documents.get_document(office.db, doc).number


def build_county(base: Path, bureau_url: str | None = None) -> County:
    """Build the county under ``base`` (the key-protection secrets go to ``base/home``); the bureau's database is
    ``bureau_url`` when given (PostgreSQL, S-7), else a SQLite file there too."""
    previous = os.environ.get("HECUN_OFFICE_HOME")
    os.environ["HECUN_OFFICE_HOME"] = str(base / "home")
    try:
        return _build(base, bureau_url)
    finally:
        if previous is None:
            os.environ.pop("HECUN_OFFICE_HOME", None)
        else:
            os.environ["HECUN_OFFICE_HOME"] = previous


def _build(base: Path, bureau_url: str | None) -> County:
    template = _calendar_only(base)
    bureau = _installation(template, base / "bureau.sqlite3", setup.default_profile("bureau"), bureau_url)
    bureau_admin = setup.default_actor(bureau)
    bureau_signer = Actor("张局长", create_account(bureau, bureau_admin, "signer", "张局长", "signer", "secret1"),
                          "signer")
    hecun = _office(template, base / "hecun.sqlite3", setup.default_profile())
    qinghu = _office(template, base / "qinghu.sqlite3", QINGHU)
    fenglin = _installation(template, base / "fenglin.sqlite3", FENGLIN)
    for office_db in (hecun.db, qinghu.db, fenglin):
        _enrol(bureau, bureau_admin, office_db)
    fenglin.dispose()
    reg: dict[str, int] = {}
    numbers: dict[str, str] = {}

    # 贺村, before packet 1 (03-17)
    reg["M1"] = m = _matter(hecun, "占道经营处罚未告知陈述申辩权", date(2026, 1, 12))
    _steps(hecun, m, ("start_verification", date(2026, 1, 13)),
           ("issue_advice", date(2026, 1, 14), date(2026, 1, 30)),  # rectified on time, closed
           ("confirm_rectified", date(2026, 1, 28)), ("close", date(2026, 1, 29)))
    reg["M2"] = m = _matter(hecun, "违法建设案件超期未作处理决定", date(2026, 2, 2))
    _steps(hecun, m, ("start_verification", date(2026, 2, 3)),
           ("issue_advice", date(2026, 2, 4), date(2026, 2, 27)), ("start_rectification", date(2026, 2, 10)),
           ("confirm_rectified", date(2026, 3, 4)), ("close", date(2026, 3, 5)))  # rectified late, closed
    reg["M3"] = m = _matter(hecun, "扣押物品清单未交当事人签字", date(2026, 3, 2))
    _steps(hecun, m, ("start_verification", date(2026, 3, 2)),
           ("issue_advice", date(2026, 3, 3), date(2026, 3, 10)),
           ("mark_overdue", date(2026, 3, 11)))  # report due 03-13, never made: overdue escalation
    reg["M4"] = m = _matter(hecun, "食品经营许可现场核查记录不完整", date(2026, 3, 5), unit=4)  # SHARED_UNIT
    _steps(hecun, m, ("start_verification", date(2026, 3, 5)),
           ("issue_advice", date(2026, 3, 6), date(2026, 4, 6)))  # deadline still to come
    reg["M5"] = m = _matter(hecun, "涉嫌犯罪案件未依法移送公安机关", date(2026, 3, 9))
    _steps(hecun, m, ("start_verification", date(2026, 3, 9)), ("flag_serious", date(2026, 3, 10)))
    numbers["M5"] = _issue(hecun, "escalation_report", m, date(2026, 3, 12))  # awaits a notice
    reg["M8"] = m = _matter(hecun, "重大执法决定未经法制审核", date(2026, 3, 4))
    _steps(hecun, m, ("start_verification", date(2026, 3, 4)), ("flag_serious", date(2026, 3, 5)))
    numbers["M8"] = _issue(hecun, "escalation_report", m, date(2026, 3, 6))  # the bureau answers it below
    reg["M9"] = m = _matter(hecun, "执法记录仪使用不规范", date(2026, 3, 11))
    _steps(hecun, m, ("start_verification", date(2026, 3, 11)), ("flag_serious", date(2026, 3, 12)),
           ("escalate", date(2026, 3, 13)))  # escalated without a report document (an older version): awaits a notice
    reg["M6"] = m = _matter(hecun, "农药经营检查需业务部门技术支持", date(2026, 3, 16))
    _steps(hecun, m, ("start_verification", date(2026, 3, 16)), ("need_assistance", date(2026, 3, 16)))
    numbers["M6"] = _issue(hecun, "assistance_request", m, date(2026, 3, 16))  # received 03-17, due 03-20
    _send(hecun, bureau, bureau_admin, base / "usb", PACKET_1_DAY)

    # the bureau answers M8's escalation report with a supervision notice
    with bureau.uow() as session:
        m8 = session.scalar(select(Matter.id).where(Matter.office_code == "hecun", Matter.title.like("重大执法决定%")))
    values = filled(bureau, "supervision_notice", m8, date(2026, 3, 18))
    doc = documents.create_draft(bureau, bureau_admin, "supervision_notice", m8, values, date(2026, 3, 18))
    documents.submit(bureau, bureau_admin, doc)
    documents.review(bureau, bureau_signer, doc, approve=True)
    documents.issue(bureau, bureau_signer, doc, date(2026, 3, 18), today=date(2026, 3, 18))

    # 贺村, before packet 2 (today)
    reg["M7"] = m = _matter(hecun, "燃气安全检查责令整改后未复查", date(2026, 3, 18))
    _steps(hecun, m, ("start_verification", date(2026, 3, 18)), ("need_assistance", date(2026, 3, 19)))
    numbers["M7"] = _issue(hecun, "assistance_request", m, date(2026, 3, 20))  # received today, due 03-26
    _send(hecun, bureau, bureau_admin, base / "usb", TODAY)

    # 清湖: one packet, today
    reg["Q1"] = m = _matter(qinghu, "执法人员未持证上岗", date(2026, 1, 20))
    _steps(qinghu, m, ("start_verification", date(2026, 1, 20)),
           ("issue_advice", date(2026, 1, 21), date(2026, 2, 10)), ("confirm_rectified", date(2026, 2, 9)))
    reg["Q2"] = m = _matter(qinghu, "农业执法委托协议到期未续签", date(2026, 2, 25))
    _steps(qinghu, m, ("start_verification", date(2026, 2, 25)), ("close_no_issue", date(2026, 2, 26)))
    reg["Q3"] = _matter(qinghu, "油烟扰民投诉处理超期未答复", date(2026, 3, 10))
    reg["Q4"] = m = _matter(qinghu, "市场主体登记事项检查程序不规范", date(2026, 3, 2), unit=2)
    _steps(qinghu, m, ("start_verification", date(2026, 3, 2)),
           ("issue_advice", date(2026, 3, 3), date(2026, 3, 31)), ("start_rectification", date(2026, 3, 5)),
           ("mark_refused", date(2026, 3, 9)))  # refusal report due 03-12, never made: overdue escalation
    _send(qinghu, bureau, bureau_admin, base / "usb", TODAY)

    reg_nos = {}
    for name, matter_id in reg.items():
        office = qinghu if name.startswith("Q") else hecun
        with office.db.uow() as session:
            reg_nos[name] = session.get(Matter, matter_id).reg_no  # type: ignore[union-attr]
    return County(bureau, bureau_admin, hecun, qinghu, reg_nos, numbers)


# What the story above must show at the bureau on TODAY (see services/county.py for the definitions).
# months: {month: (received, advices, rectification due, rectified on time)}
EXPECTED = {
    "hecun": dict(name="贺村司法所", last_seq=2, open_matters=7, overdue_escalations=1, awaiting_assistance=2,
                  overdue_assistance=1, awaiting_notice=2, rectification_due=3, rectified_on_time=1,
                  months={1: (1, 1, 1, 1), 2: (1, 1, 1, 0), 3: (7, 2, 1, 0)}),
    "qinghu": dict(name="清湖司法所", last_seq=1, open_matters=3, overdue_escalations=1, awaiting_assistance=0,
                   overdue_assistance=0, awaiting_notice=0, rectification_due=1, rectified_on_time=1,
                   months={1: (1, 1, 0, 0), 2: (1, 0, 1, 1), 3: (2, 1, 0, 0)}),
    "fenglin": dict(name="凤林司法所", last_seq=0, open_matters=0, overdue_escalations=0, awaiting_assistance=0,
                    overdue_assistance=0, awaiting_notice=0, rectification_due=0, rectified_on_time=0, months={}),
}
