"""Issue 11 "Done when": the escalation of an overdue matter, from a bureau set up as the README says to the bureau
seeing the report — through the real windows, three people on one office PC.

A county bureau is set up from the CLI (``setup --mode bureau``) and its administrator logs into its GUI; the keys
are exchanged with ``keys export/enroll/pin``. At the office an overdue matter → 提请司法局 → the drafted report →
送审 by the clerk → 切换用户 → the reviewer finds it under 待我审核 and passes it → 切换用户 → the director finds it
under 待我签发 and issues it → the matter is 已提请司法局 and 逾期未改报告司法局 is met on the issue date → the
packet carries the report → the bureau imports it and sees the report on the matter.
"""

from __future__ import annotations

import json
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from issuing import issue_document
from PySide6.QtCore import Qt
from shiboken6 import isValid

from hecun_office.cli import main
from hecun_office.services import documents, matters, packet_export, packet_import
from hecun_office.services.intake import run_to_end
from hecun_office.services.matters import MatterInput, TransitionInput
from hecun_office.services.obligations import obligation_rows
from hecun_office.services.setup import default_actor
from hecun_office.storage.opening import open_database
from hecun_office.ui.app import build_main_window
from hecun_office.ui.documents.action_dialogs import IssueDialog
from hecun_office.ui.documents.editor_dialog import EditorDialog
from hecun_office.ui.main_window import MainWindow
from hecun_office.ui.startup import BENCH_LOGIN_ENV, Startup

from .conftest import TODAY, add_account, click_center, click_nav, pinned_today, type_text, visible_child
from .waiting import settle

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def log_in(qtbot, startup: Startup, username: str, password: str) -> MainWindow:
    dialog = startup.login_dialog
    assert dialog is not None and dialog.isVisible()
    edit = dialog.username.lineEdit()
    edit.selectAll()
    type_text(qtbot, edit, username)
    type_text(qtbot, dialog.password, password)
    with qtbot.waitSignal(startup.ready, timeout=5000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    window = startup.main_window
    assert isinstance(window, MainWindow)
    startup.tasks.wait()
    return window


def switch_to(qtbot, startup: Startup, username: str, password: str) -> MainWindow:
    old = startup.main_window
    assert old is not None
    click_center(qtbot, old.switch_user_button)
    qtbot.waitUntil(lambda: not isValid(old), timeout=3000)
    return log_in(qtbot, startup, username, password)


def open_queue_row(qtbot, window: MainWindow, section) -> EditorDialog:
    table = section.table
    rect = table.visualRect(section.model.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = visible_child(qtbot, window.dashboard, EditorDialog)
    assert isinstance(editor, EditorDialog)
    return editor


def overdue_matter(db, clerk, director) -> int:
    unit = matters.list_units(db)[1]
    start = date(2026, 2, 27)
    matter_id = matters.register_matter(db, clerk, MatterInput(
        received_on=start, source="hotline", title="占道经营处罚未告知陈述申辩权", category="legality",
        unit_ids=[unit.id], facts="当事人在贺村镇某路段占道经营，执法队作出罚款决定前未告知陈述、申辩权。",
        legal_basis="《中华人民共和国行政处罚法》第四十四条"), today=start).id
    matters.transition_matter(db, clerk, matter_id, TransitionInput("start_verification", start), today=start)
    issue_document(db, clerk, director, director, "supervision_advice", matter_id, date(2026, 3, 2),
                   rectification_days=10)
    advice = next(d for d in documents.list_documents(db, matter_id=matter_id) if d.form_id == "supervision_advice")
    documents.record_service(db, clerk, advice.id, date(2026, 3, 2), "直接送达", "执法队内勤", today=TODAY)  # → 03-12
    matters.transition_matter(db, clerk, matter_id, TransitionInput("mark_overdue", date(2026, 3, 13)), today=TODAY)
    return matter_id


def test_an_overdue_matter_is_escalated_by_issuing_the_report_and_the_bureau_sees_it(
        qtbot, db, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, cli_user) -> None:
    office_path, bureau_path = tmp_path / "office.sqlite3", tmp_path / "bureau.sqlite3"
    assert db.file == office_path

    # --- the county bureau, set up from the CLI as the README shows, and its keys exchanged ---------------------
    cli(capsys, "--db", str(bureau_path), "setup", "--mode", "bureau", "--password", "bureau2026")
    for path, name in ((office_path, "office.key"), (bureau_path, "bureau.key")):
        cli(capsys, "--db", str(path), "keys", "export", str(tmp_path / name))
    fingerprints = {p: json.loads(cli(capsys, "--db", str(p), "keys", "show", "--json"))["shown"]
                    for p in (office_path, bureau_path)}
    cli_user("admin", "bureau2026")  # each side's administrator registers the other's key (cli_user.py)
    cli(capsys, "--db", str(bureau_path), "keys", "enroll", str(tmp_path / "office.key"), "--fingerprint",
        fingerprints[office_path])
    cli_user("wang", "secret1")  # 王晓, the office's administrator (tests/ui/conftest.py)
    cli(capsys, "--db", str(office_path), "keys", "pin", str(tmp_path / "bureau.key"), "--fingerprint",
        fingerprints[bureau_path])
    bureau_db = open_database(f"sqlite:///{bureau_path}")
    bureau_startup = Startup(bureau_db, partial(build_main_window, bureau_db, pinned_today))
    bureau_startup.start()
    bureau_window = log_in(qtbot, bureau_startup, "admin", "bureau2026")  # the account setup made can log in
    assert bureau_window.windowTitle().startswith("江山市司法局") or "江山市司法局" in bureau_window.windowTitle()

    # --- the office: an overdue matter, three people on one PC ---------------------------------------------------
    clerk = add_account(db, "li", "李明", "clerk")
    add_account(db, "chen", "陈静", "reviewer", password="review9")
    director = add_account(db, "zhao", "赵建国", "signer", password="director9")
    matter_id = overdue_matter(db, clerk, director)
    report_due = next(r for r in obligation_rows(db, TODAY) if r.kind_label == "逾期未改报告司法局")
    assert report_due.due == date(2026, 3, 17) and report_due.status == "overdue"  # 3 working days after 03-12

    monkeypatch.setenv(BENCH_LOGIN_ENV, "li:secret1")  # the clerk is already logged in on the office PC
    startup = Startup(db, partial(build_main_window, db, pinned_today))
    with qtbot.waitSignal(startup.ready, timeout=5000):
        startup.start()
    monkeypatch.delenv(BENCH_LOGIN_ENV)
    window = startup.main_window
    assert window is not None

    # the clerk: 提请司法局 drafts the report; she sends it for review
    click_nav(qtbot, window, "监督事项")
    window.open_matter(matter_id)
    detail = window.matters.detail_page
    qtbot.mouseClick(detail.action_button("escalate"), Qt.MouseButton.LeftButton)
    report = visible_child(qtbot, detail, EditorDialog)
    assert isinstance(report, EditorDialog) and report.form_def.id == "escalation_report"
    values = report.values()
    assert values["advice_number"] == "贺司建〔2026〕1号"
    assert "整改期限已于2026年3月12日届满" in values["process"]
    click_center(qtbot, report.submit_button)
    report._ctx.tasks.wait()
    qtbot.waitUntil(lambda: report.row is not None and report.row.status == "review")
    doc_id = report.row.id
    report.reject()
    assert matters.matter_detail(db, matter_id, TODAY).status == "overdue"  # nothing moves before the issue

    # 切换用户 → the reviewer: 待我审核, 审核通过
    reviewer_window = switch_to(qtbot, startup, "chen", "review9")
    board = reviewer_window.dashboard
    qtbot.waitUntil(lambda: [r.id for r in board.to_review.model.rows()] == [doc_id])
    review = open_queue_row(qtbot, reviewer_window, board.to_review)
    click_center(qtbot, review.approve_button)
    review._ctx.tasks.wait()
    qtbot.waitUntil(lambda: review.row is not None and review.row.status == "approved")
    review.reject()

    # 切换用户 → the director: 待我签发, 签发 today
    director_window = switch_to(qtbot, startup, "zhao", "director9")
    board = director_window.dashboard
    qtbot.waitUntil(lambda: [r.id for r in board.to_issue.model.rows()] == [doc_id])
    signing = open_queue_row(qtbot, director_window, board.to_issue)
    click_center(qtbot, signing.issue_button)
    issue = visible_child(qtbot, signing, IssueDialog)
    click_center(qtbot, issue.ok_button)
    signing._ctx.tasks.wait()
    qtbot.waitUntil(lambda: not issue.isVisible())
    settle(signing)
    assert signing.row is not None and signing.row.status == "issued"
    number = signing.row.number
    assert number == "贺司报〔2026〕1号"
    signing.reject()

    # the matter moved and the obligation is met on the issue date (late: it was due 03-18)
    detail = matters.matter_detail(db, matter_id, TODAY)
    assert detail.status == "escalated"
    met = next(o for o in detail.obligations if o.kind == "escalation_report")
    assert (met.met_on, met.status) == (TODAY, "met_late")
    assert not [r for r in obligation_rows(db, TODAY) if r.kind_label == "逾期未改报告司法局"]
    startup.tasks.wait()
    director_window.close()

    # --- the packet carries the report; the bureau imports it and sees it ---------------------------------------
    exported = run_to_end(packet_export.export_data_packet(db, default_actor(db), tmp_path / "usb", TODAY))
    assert exported.counts["documents"] >= 2  # the advice and the report
    [outcome] = run_to_end(packet_import.import_packets(bureau_db, default_actor(bureau_db), [exported.path], TODAY,
                                                        backup=False))
    assert outcome.status.value == "imported", outcome
    click_nav(qtbot, bureau_window, "监督事项")
    held = next(r for r in matters.list_matters(bureau_db) if r.title == "占道经营处罚未告知陈述申辩权")
    bureau_window.open_matter(held.id)
    bureau_detail = bureau_window.matters.detail_page
    qtbot.waitUntil(lambda: bureau_detail.detail is not None and bureau_detail.detail.id == held.id)
    assert bureau_detail.status.text() == "已提请司法局"
    shown = [(r.form_id, r.number, r.status) for r in bureau_detail.documents.model.rows()]
    assert ("escalation_report", number, "issued") in shown
    [held_report] = [d for d in documents.list_documents(bureau_db, matter_id=held.id) if d.number == number]
    assert held_report.pdf_sha256 == documents.get_document(db, doc_id).pdf_sha256  # the very PDF the office issued
    bureau_window.close()
    bureau_startup.tasks.wait()
    bureau_db.dispose()
