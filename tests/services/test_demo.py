"""Issue 11 item 19: the demo office looks well run at its "today" — a handful of lapsed time limits, periodic
reports up to date, every office form in use, numbers that follow dates, and every escalation, transfer and
assistance request made by issuing its document (item 2). The demo is built once for the module (it is slow)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

import pytest
from db_copies import DEMO_DAY, DemoTemplate, demo_copy, shared_home
from sqlalchemy import select

from hecun_office.documents.forms import Side
from hecun_office.domain.documents import DocStatus
from hecun_office.domain.lifecycle import Action, Status
from hecun_office.domain.obligations import ObligationKind
from hecun_office.services import documents
from hecun_office.services.audit import Actor
from hecun_office.services.my_queue import documents_waiting_for
from hecun_office.services.obligations import dashboard, obligation_rows
from hecun_office.storage.models import Document, Matter, MatterEvent, User
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database

pytestmark = pytest.mark.xdist_group("demo")  # one worker builds the demo for all its users
TODAY = date.fromisoformat(DEMO_DAY)  # a Friday


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, demo_template: DemoTemplate) -> Iterator[Database]:
    """The demo the command line built at TODAY (one build shared with the CLI and packet tests)."""
    folder = tmp_path_factory.mktemp("demo")
    with shared_home(folder / "home"):
        db = open_database(f"sqlite:///{demo_copy(demo_template, folder / 'demo.sqlite3')}")
        yield db
        db.dispose()


def _issued(db: Database) -> list[Document]:
    with db.uow() as session:
        docs = list(session.scalars(select(Document).where(Document.status == DocStatus.ISSUED.value)))
        session.expunge_all()
        return docs


def test_only_a_handful_of_time_limits_have_lapsed_and_no_report_is_months_late(office: Database) -> None:
    board = dashboard(office, TODAY)
    assert 2 <= len(board.overdue) <= 5, [(r.kind, r.title, r.due) for r in board.overdue]
    assert all(r.working_days_left >= -5 for r in board.overdue), [(r.title, r.due) for r in board.overdue]
    office_kinds = {ObligationKind.PERIODIC_REPORT.value, ObligationKind.ANNUAL_SUMMARY.value}
    assert not [r for r in board.overdue if r.kind in office_kinds]
    # Every monthly report and annual summary that has fallen due was sent on time.
    register = obligation_rows(office, TODAY, include_closed=True)
    assert not [r.title for r in register if r.status == "met_late"]  # whatever was done, was done in time
    rows = [r for r in register if r.kind in office_kinds and r.due < TODAY]
    assert len([r for r in rows if r.kind == ObligationKind.PERIODIC_REPORT.value]) >= 12
    assert {r.status for r in rows} == {"met_on_time"}, [(r.title, r.status) for r in rows if r.status != "met_on_time"]
    # Nothing the office owes the bureau is late: lapses are a receipt, a deadline, the bureau's own reply.
    reports = {ObligationKind.ESCALATION_REPORT.value, ObligationKind.REFUSAL_REPORT.value,
               ObligationKind.SERIOUS_REPORT.value}
    assert not [r for r in board.overdue if r.kind in reports]
    assert [r for r in board.upcoming if r.kind in reports], "reports being prepared are shown"
    # SPEC §1, Monday 9:00: one report to the bureau is due today, drafted and awaiting the director's sign-off.
    assert [r.kind for r in board.due_today] == [ObligationKind.ESCALATION_REPORT.value]


def test_document_numbers_follow_issue_dates_per_form_and_year(office: Database) -> None:
    series: dict[tuple[str, int], list[tuple[int, date]]] = defaultdict(list)
    for doc in _issued(office):
        if doc.number:
            assert doc.year is not None and doc.seq is not None and doc.issue_date is not None
            series[(doc.form_id, doc.year)].append((doc.seq, doc.issue_date))
    for key, numbers in series.items():
        numbers.sort()
        assert [seq for seq, _ in numbers] == list(range(1, len(numbers) + 1)), key
        dates = [d for _, d in numbers]
        assert dates == sorted(dates), (key, dates)
    assert len(series) >= 10  # seven numbered forms, two years


def test_registration_numbers_follow_received_dates(office: Database) -> None:
    with office.uow() as session:
        rows = session.execute(select(Matter.reg_year, Matter.reg_seq, Matter.received_on)
                               .order_by(Matter.reg_year, Matter.reg_seq)).all()
    by_year: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for year, seq, received in rows:
        by_year[year].append((seq, received))
    assert set(by_year) == {TODAY.year - 1, TODAY.year}
    for numbers in by_year.values():
        assert [seq for seq, _ in numbers] == list(range(1, len(numbers) + 1))
        assert [d for _, d in numbers] == sorted(d for _, d in numbers)


def test_every_office_form_is_in_use(office: Database) -> None:
    used = {doc.form_id for doc in _issued(office)}
    office_forms = {f.id for f in documents.forms(Side.OFFICE)}
    assert office_forms <= used, sorted(office_forms - used)
    # The bureau's forms reach an office only in a return packet; an office cannot draft them.
    assert not used & {f.id for f in documents.forms(Side.BUREAU)}


BY_ISSUE = {Action.ESCALATE.value: "escalation_report", Action.TRANSFER.value: "clue_transfer",
            Action.SEND_ASSISTANCE_REQUEST.value: "assistance_request"}


def test_every_escalation_transfer_and_assistance_request_is_its_issued_document(office: Database) -> None:
    issued = {doc.id: doc for doc in _issued(office)}
    with office.uow() as session:
        events = session.execute(select(MatterEvent.matter_id, MatterEvent.action, MatterEvent.on_date,
                                        MatterEvent.data).where(MatterEvent.action.in_(BY_ISSUE))).all()
        statuses = {int(i): str(s) for i, s in session.execute(select(Matter.id, Matter.status))}
    assert {action for _, action, _, _ in events} == set(BY_ISSUE)
    for matter_id, action, on, data in events:
        doc = issued.get(int(data.get("document_id", 0)))
        assert doc is not None, (matter_id, action)  # the step was the document's issue, not a status click
        assert (doc.form_id, doc.matter_id, doc.issue_date) == (BY_ISSUE[action], matter_id, on)
    moved = {matter_id for matter_id, _, _, _ in events}
    for matter_id, status in statuses.items():
        if status in (Status.ESCALATED.value, Status.TRANSFERRED.value, Status.ASSISTING.value):
            assert matter_id in moved, (matter_id, status)


def test_every_served_document_has_its_service_receipt(office: Database) -> None:
    docs = _issued(office)
    receipts = {(d.matter_id, d.fields.get("document_number")) for d in docs if d.form_id == "service_receipt"}
    served = [d for d in docs if d.served_on is not None]
    assert len(served) >= 20
    assert all((d.matter_id, d.number) in receipts for d in served)


def test_matter_register_states_and_queues_look_like_an_office_at_work(office: Database) -> None:
    docs = _issued(office)
    with office.uow() as session:
        matters = {int(i): str(s) for i, s in session.execute(select(Matter.id, Matter.status))}
        signer = session.scalars(select(User).where(User.username == "li")).one()
        actor = Actor(signer.display_name, signer.id, signer.role)
    assert len(matters) == 61  # the stories' 60 and the 2025 case-file review's finding (issue 16)
    assert {d.matter_id for d in docs if d.form_id == "matter_register"} == set(matters)  # one sheet per file
    statuses = set(matters.values())
    assert statuses >= {"registered", "verifying", "advice_issued", "rectifying", "closed", "overdue", "refused",
                        "serious", "escalated", "transferred", "assisting", "assistance_answered"}, statuses
    closed = sum(1 for s in matters.values() if s in ("closed", "transferred"))
    assert closed >= 40  # two years of work: most of it is done
    queue = documents_waiting_for(office, actor)
    forms = sorted(q.form_name for q in queue.to_issue)
    assert forms.count("行政执法协调监督建议书") == 2, forms  # SPEC §1: two advices await the director's sign-off
