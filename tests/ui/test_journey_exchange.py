"""Acceptance journey of the exchange (SPEC §1 "At month end…", S-2, S-3, S-5, S-7): through the real main windows
of a township and of its county bureau.

The township has a matter in 协作中 whose 执法协作函 was issued (prepared with the services). Its clerk exports the
data packet on 报送与同步; the bureau imports it there and finds 答复司法所协作请求 in 整改与时限; the bureau drafts
the 执法协作反馈函 from the township matter's 起草文书 menu, a reviewer passes it and the director issues it, which
meets the bureau's obligation; the bureau exports the return packet; the township imports it, and its matter is
已反馈 with 等待司法局协作反馈 met. Every screen and dialog of the exchange is grabbed to /tmp/shots at 1366×768.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from exchange_pair import Pair, account, assistance_request_matter, make_pair
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from hecun_office.services.obligations import obligation_rows
from hecun_office.services.packet_import import ImportStatus
from hecun_office.services.search import MatterFilter, list_matters
from hecun_office.services.setup import default_actor
from hecun_office.ui.documents.action_dialogs import IssueDialog
from hecun_office.ui.documents.editor_dialog import EditorDialog
from hecun_office.ui.exchange.peer_key_dialog import PeerKeyDialog
from hecun_office.ui.exchange.tables import OUT_DETAIL
from hecun_office.ui.main_window import MainWindow

from .conftest import TODAY, click_center, click_nav, open_window, type_text, visible_child
from .test_documents_ui import wait_preview
from .test_exchange_ui import Chooser, close_message, wait_idle
from .waiting import settle

pytestmark = [pytest.mark.gui, pytest.mark.slow]
SHOTS = Path("/tmp/shots")
SCREEN = (1366, 768)


def shot(widget: QWidget, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    QApplication.processEvents()  # pending layout requests first: grab what the clerk would see
    assert widget.grab().save(str(path))
    return path


def window(qtbot, db, actor=None) -> MainWindow:
    win = open_window(qtbot, db, actor or default_actor(db))
    win.resize(*SCREEN)
    return win


def exchange(qtbot, win: MainWindow) -> Chooser:
    click_nav(qtbot, win, "报送与同步")
    chooser = Chooser()
    win.exchange.chooser = chooser
    return chooser


def obligation(db, kind_label: str):
    return next(r for r in obligation_rows(db, TODAY, include_closed=True) if r.kind_label == kind_label)


@pytest.fixture(params=["sqlite", "postgresql"])
def pair(request: pytest.FixtureRequest, tmp_path: Path):
    """The bureau on its embedded SQLite, and on a real PostgreSQL server (county mode with several clerks)."""
    bureau_url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    made = make_pair(tmp_path, bureau_url=bureau_url)
    yield made
    made.dispose()


def test_assistance_request_answered_through_packets(qtbot, pair: Pair, tmp_path: Path):
    matter_id = assistance_request_matter(pair.office, TODAY)
    usb = tmp_path / "U盘"
    usb.mkdir()

    # --- 贺村司法所: 导出数据包 ---------------------------------------------------------------------------------
    township = window(qtbot, pair.office)
    tchooser = exchange(qtbot, township)
    page = township.exchange
    shot(township, "exchange-office-page")
    tchooser.folders.append(usb)
    click_center(qtbot, page.export_button)
    wait_idle(qtbot, page)
    box = visible_child(qtbot, page, QMessageBox)
    shot(box, "exchange-office-export-message")
    close_message(qtbot, page, "hecun-0001.hcpkt")
    packet = usb / "hecun-0001.hcpkt"
    assert packet.exists() and "第 1 号" in page.result_text
    shot(township, "exchange-office-exported")
    assert obligation(pair.office, "等待司法局协作反馈").status == "open"

    # --- 江山市司法局: 导入数据包 -------------------------------------------------------------------------------
    bureau = window(qtbot, pair.bureau)
    bchooser = exchange(qtbot, bureau)
    bpage = bureau.exchange
    shot(bureau, "exchange-bureau-page")
    bchooser.files.append([packet])
    click_center(qtbot, bpage.import_button)
    wait_idle(qtbot, bpage)
    imported = bpage.outcome_model.row_at(0)
    assert imported.status == ImportStatus.IMPORTED and imported.sender_name == "贺村司法所"
    shot(bureau, "exchange-bureau-imported")

    click_nav(qtbot, bureau, "整改与时限")
    rows = bureau.obligations.model.rows()
    [reply_due] = [r for r in rows if r.kind_label == "答复司法所协作请求"]
    assert reply_due.status == "open" and reply_due.due.isoformat() == "2026-03-26"  # 3 working days
    assert "贺村司法所" in reply_due.title

    # --- the bureau answers: draft, review, issue ----------------------------------------------------------------
    [township_matter] = list_matters(pair.bureau, MatterFilter(), today=TODAY)
    click_nav(qtbot, bureau, "监督事项")
    bureau.matters.show_matter(township_matter.id)
    detail = bureau.matters.detail_page
    menu = {a.text(): a for a in detail.documents.draft_menu.actions()}
    assert sorted(menu) == ["执法协作反馈函", "行政执法监督通知书"]  # county mode drafts the bureau's own forms
    menu["执法协作反馈函"].trigger()
    editor = visible_child(qtbot, bureau, EditorDialog)
    assert isinstance(editor, EditorDialog)
    fields = editor.editors
    assert fields["requester"].value() == "贺村司法所"
    assert fields["request_number"].value() == "贺司函〔2026〕1号"
    type_text(qtbot, fields["opinions"].input, "经研究，该处罚决定未告知当事人陈述、申辩权利，程序违法，建议依法撤销后重新作出。")
    wait_preview(qtbot, editor)  # the draft is complete now: the 样稿 renders
    shot(editor, "exchange-bureau-reply-editor")
    click_center(qtbot, editor.submit_button)
    editor._ctx.tasks.wait()  # the write runs on the database worker
    assert editor.row is not None and editor.row.status == "review", editor.preview_message_text()
    doc_id = editor.row.id
    editor.reject()
    qtbot.waitUntil(lambda: not editor.isVisible())

    reviewer = window(qtbot, pair.bureau, account(pair.bureau, "qian", "钱立", "reviewer"))
    click_nav(qtbot, reviewer, "文书")
    review = reviewer.documents.open_document(doc_id)
    assert review is not None
    wait_preview(qtbot, review)
    click_center(qtbot, review.approve_button)
    review._ctx.tasks.wait()  # the write runs on the database worker
    assert review.row is not None and review.row.status == "approved"
    review.reject()
    reviewer.close()

    director = window(qtbot, pair.bureau, account(pair.bureau, "sun", "孙建国", "signer"))
    click_nav(qtbot, director, "文书")
    signing = director.documents.open_document(doc_id)
    assert signing is not None
    wait_preview(qtbot, signing)
    click_center(qtbot, signing.issue_button)
    issue = visible_child(qtbot, signing, IssueDialog)
    assert issue.issue_date.date() == QDate(2026, 3, 23)
    click_center(qtbot, issue.ok_button)
    signing._ctx.tasks.wait()  # signed off on the database worker; the dialog closes when the result arrives
    qtbot.waitUntil(lambda: not issue.isVisible())
    close_message(qtbot, signing, "已签发")
    assert signing.row is not None and signing.row.status == "issued"
    number = signing.row.number
    assert number and number.startswith("江司")
    signing.reject()
    director.close()
    assert obligation(pair.bureau, "答复司法所协作请求").status == "met_on_time"

    # --- 导出回执 for the township selected in 已登记的司法所 -----------------------------------------------------
    click_nav(qtbot, bureau, "报送与同步")
    bpage.tabs.setCurrentIndex(0)
    bpage.peers.setCurrentIndex(bpage.peer_model.index(0, 0))
    assert bpage.export_one_button.isEnabled()
    shot(bureau, "exchange-bureau-offices")
    back = tmp_path / "回执"
    back.mkdir()
    bchooser.folders.append(back)
    click_center(qtbot, bpage.export_one_button)
    wait_idle(qtbot, bpage)
    close_message(qtbot, bpage, "已为 1 个司法所导出回执")
    returned = back / "jiangshan-hecun-0001.hcpkt"
    assert returned.exists()
    bpage.tabs.setCurrentIndex(3)
    shot(bureau, "exchange-bureau-sent")

    # --- the township imports the return packet ----------------------------------------------------------------
    township.activateWindow()
    tchooser.files.append([returned])
    click_center(qtbot, page.import_button)
    wait_idle(qtbot, page)
    answer = page.outcome_model.row_at(0)
    assert answer.status == ImportStatus.IMPORTED
    detail = page.outcome_model.index(0, OUT_DETAIL).data()
    assert f"已登记司法局《执法协作反馈函》{number}" in detail
    assert "司法局已确认收到第 1 号" in detail
    shot(township, "exchange-office-imported")
    page.tabs.setCurrentIndex(0)
    assert page.sent_model.index(0, 4).data() == "是"
    page.tabs.setCurrentIndex(2)
    shot(township, "exchange-office-history")

    township.open_matter(matter_id)
    assert township.matters.detail_page.status.text() == "已反馈"
    assert obligation(pair.office, "等待司法局协作反馈").status.startswith("met")
    shot(township, "exchange-office-matter-answered")


def test_screens_of_keys_inbox_and_dialogs(qtbot, tmp_path: Path):
    """The screens not in the journey above, for looking at: keys in both modes, the enrolment dialog with a wrong
    fingerprint, the rotation question, a refused packet in red, the inbox."""
    pair = make_pair(tmp_path, enrolled=False)
    try:
        from hecun_office.services.exchange_keys import export_public

        key_file = tmp_path / "hecun.hckey"
        key_file.write_bytes(export_public(pair.office))
        bureau = window(qtbot, pair.bureau)
        chooser = exchange(qtbot, bureau)
        page = bureau.exchange
        page.tabs.setCurrentWidget(page.keys)
        shot(bureau, "exchange-bureau-keys")
        click_center(qtbot, page.keys.enrol_button)
        dialog = visible_child(qtbot, page.keys, PeerKeyDialog)
        shot(dialog, "exchange-enrol-dialog-empty")
        chooser.opens.append(key_file)
        click_center(qtbot, dialog.choose_button)
        type_text(qtbot, dialog.typed, "DC3E 729A 48E3 B418 2BC9 699C 4803 7B47")
        click_center(qtbot, dialog.ok_button)
        settle(dialog)
        assert dialog.errors.showing("fingerprint")
        shot(dialog, "exchange-enrol-dialog-mismatch")
        dialog.reject()

        office = window(qtbot, pair.office)
        exchange(qtbot, office)
        opage = office.exchange
        opage.tabs.setCurrentWidget(opage.keys)
        shot(office, "exchange-office-keys")
        click_center(qtbot, opage.keys.rotate_button)
        confirm = visible_child(qtbot, opage.keys, QMessageBox)
        shot(confirm, "exchange-rotation-confirm")
        confirm.reject()

        # A file that is not a packet, refused in red; the inbox set.
        junk = tmp_path / "hecun-0007.hcpkt"
        junk.write_bytes(b"PK\x03\x04 not really a packet")
        chooser.files.append([junk])
        click_center(qtbot, page.import_button)
        wait_idle(qtbot, page)
        assert page.outcome_model.row_at(0).status == ImportStatus.REJECTED
        inbox = tmp_path / "收件箱"
        inbox.mkdir()
        chooser.folders.append(inbox)
        click_center(qtbot, page.inbox_button)
        shot(bureau, "exchange-bureau-refused-and-inbox")
    finally:
        pair.dispose()
