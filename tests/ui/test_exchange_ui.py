"""报送与同步 through the real page in both modes (S-2, S-3, S-6, S-7, U-3): export with progress and cancel,
import with per-file outcomes (imported, already imported, refused), the watched inbox, enrolment with the
fingerprint typed from the paper form, the enrolment form, key rotation."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from exchange_pair import Pair, account, assistance_request_matter, make_pair
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from hecun_office.services.exchange_keys import export_public, list_peers, own_key
from hecun_office.services.packet_export import sent_packets
from hecun_office.services.packet_import import ImportStatus, history, quarantine_dir
from hecun_office.services.setup import default_actor
from hecun_office.storage.uow import Database
from hecun_office.ui.exchange import jobs
from hecun_office.ui.exchange.exchange_page import ExchangePage
from hecun_office.ui.exchange.inbox import inbox_folder
from hecun_office.ui.exchange.peer_key_dialog import PeerKeyDialog
from hecun_office.ui.exchange.tables import OUT_DETAIL, OUT_STATUS
from hecun_office.ui.main_window import MainWindow
from hecun_office.ui.models.base import ROW_ROLE

from .conftest import TODAY, click_center, click_nav, open_window, type_text, visible_child
from .waiting import settle

pytestmark = pytest.mark.gui
JOB_TIMEOUT = 20_000


class Chooser:
    """Stands in for the file dialogs: hands out the answers queued by the test, None/[] when none is left."""

    def __init__(self) -> None:
        self.folders: list[Path] = []
        self.files: list[list[Path]] = []
        self.opens: list[Path] = []
        self.saves: list[Path] = []
        self.asked: list[str] = []

    def folder(self, parent: QWidget, title: str) -> Path | None:
        self.asked.append(title)
        return self.folders.pop(0) if self.folders else None

    def open_files(self, parent: QWidget, title: str, name_filter: str) -> list[Path]:
        self.asked.append(title)
        return self.files.pop(0) if self.files else []

    def open_file(self, parent: QWidget, title: str, name_filter: str) -> Path | None:
        self.asked.append(title)
        return self.opens.pop(0) if self.opens else None

    def save_file(self, parent: QWidget, title: str, suggested_name: str, name_filter: str) -> Path | None:
        self.asked.append(f"{title}：{suggested_name}")
        return self.saves.pop(0) if self.saves else None


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    made = make_pair(tmp_path)
    yield made
    made.dispose()


def exchange_page(qtbot, db: Database, actor=None) -> tuple[MainWindow, ExchangePage, Chooser]:
    win = open_window(qtbot, db, actor or default_actor(db))
    click_nav(qtbot, win, "报送与同步")
    page = win.exchange
    assert win.current_page() is page
    chooser = Chooser()
    page.chooser = chooser
    return win, page, chooser


def wait_idle(qtbot, page: ExchangePage) -> None:
    qtbot.waitUntil(lambda: not page.busy, timeout=JOB_TIMEOUT)


def close_message(qtbot, parent: QWidget, contains: str = "") -> str:
    box = visible_child(qtbot, parent, QMessageBox)
    assert isinstance(box, QMessageBox)
    text = box.text()
    assert contains in text, text
    box.accept()
    qtbot.waitUntil(lambda: not box.isVisible())
    return text


def export_packet(qtbot, page: ExchangePage, chooser: Chooser, folder: Path) -> Path:
    chooser.folders.append(folder)
    click_center(qtbot, page.export_button)
    wait_idle(qtbot, page)
    close_message(qtbot, page, "已导出数据包")
    [made] = sorted(folder.glob("*.hcpkt"))
    return made


def import_through(qtbot, page: ExchangePage, chooser: Chooser, *files: Path) -> None:
    chooser.files.append(list(files))
    click_center(qtbot, page.import_button)
    wait_idle(qtbot, page)


def outcome(page: ExchangePage, row: int = 0):
    return page.outcome_model.row_at(row)


def test_office_exports_and_the_bureau_imports_replays_and_refuses(qtbot, pair: Pair, tmp_path: Path):
    matter_id = assistance_request_matter(pair.office, TODAY)
    assert matter_id
    _win, office, chooser = exchange_page(qtbot, pair.office)
    assert office.export_button.text() == "导出数据包…" and office.import_button.text() == "导入回执…"
    seen: list[int] = []
    office.progress.valueChanged.connect(seen.append)
    usb = tmp_path / "usb"
    usb.mkdir()
    packet = export_packet(qtbot, office, chooser, usb)
    assert packet.name == "hecun-0001.hcpkt"
    assert [p.name for p in usb.iterdir()] == ["hecun-0001.hcpkt"]  # no temporary file left beside it
    # The bar only ever moves forward. How many of the queued step signals arrive before the result depends on
    # the machine's load (a fast export can finish first), so the steps themselves are checked on ProgressJob.
    assert seen and seen == sorted(seen)
    assert office.job_row.isHidden()
    assert "第 1 号" in office.result_text and "事项 1 件" in office.result_text and "文书 1 份" in office.result_text
    [sent] = office.sent_model.rows()
    assert (sent.seq, sent.file_name) == (1, "hecun-0001.hcpkt")
    assert office.sent_model.index(0, 4).data() == "否"  # not yet acknowledged by the bureau
    assert "出" in chooser.asked[0]

    bwin, bureau, bchooser = exchange_page(qtbot, pair.bureau)
    assert bureau.import_button.text() == "导入数据包…"
    assert bwin.backup_label.text() == "尚无备份"
    import_through(qtbot, bureau, bchooser, packet)
    # The import backed up first (N-1); the status bar says so at once, not at the next hourly check.
    assert bwin.backup_label.text().startswith("最近备份：")
    first = outcome(bureau)
    assert first.status == ImportStatus.IMPORTED and first.seq == 1 and first.sender_name == "贺村司法所"
    detail = bureau.outcome_model.index(0, OUT_DETAIL).data()
    assert "收到贺村司法所的执法协作函" in detail and "应于 2026-03-26 前答复" in detail
    assert bureau.tabs.currentWidget() is bureau.outcome_tab
    assert bureau.history_model.rowCount() == 1
    assert bureau.history_model.row_at(0).status == ImportStatus.IMPORTED
    assert bureau.peer_model.index(0, 3).data() == "至第 1 号"

    # The same file again: already imported, nothing changed.
    import_through(qtbot, bureau, bchooser, packet)
    again = outcome(bureau)
    assert again.status == ImportStatus.DUPLICATE and "已导入过" in again.status.label
    assert "已导入过" in bureau.result_text
    assert bureau.history_model.rowCount() == 2 and len(bureau.outcome_model.rows()) == 2  # and the total row

    # A copy altered on the way: refused with a reason, in red, and kept in quarantine.
    tampered = tmp_path / "tampered" / packet.name
    tampered.parent.mkdir()
    data = bytearray(packet.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    import_through(qtbot, bureau, bchooser, tampered)
    refused = outcome(bureau)
    assert refused.status == ImportStatus.REJECTED and refused.reason
    assert "拒收" in bureau.result_text and refused.reason in bureau.outcome_model.index(0, OUT_DETAIL).data()
    assert bureau.outcome_model.index(0, OUT_STATUS).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#c62828"
    assert "c62828" in bureau.result_label.styleSheet()
    assert any(quarantine_dir(pair.bureau).iterdir())
    assert [r.status for r in history(pair.bureau)] == [ImportStatus.REJECTED, ImportStatus.DUPLICATE,
                                                        ImportStatus.IMPORTED]
    assert next(p for p in list_peers(pair.bureau) if p.code == "hecun").in_seq == 1



def test_a_gap_parks_the_later_packet_until_the_missing_one_arrives(qtbot, pair: Pair, tmp_path: Path):
    _owin, office, ochooser = exchange_page(qtbot, pair.office)
    first = export_packet(qtbot, office, ochooser, tmp_path / "one")
    second = export_packet(qtbot, office, ochooser, tmp_path / "two")
    assert second.name == "hecun-0002.hcpkt"

    _bwin, bureau, chooser = exchange_page(qtbot, pair.bureau)
    import_through(qtbot, bureau, chooser, second)
    parked = outcome(bureau)
    assert parked.status == ImportStatus.PARKED and "缺少第 1 号" in parked.reason
    assert "暂存" in bureau.result_text and "缺少第 1 号" in bureau.result_text
    assert bureau.peer_model.index(0, 3).data() == "尚未收到"

    # Both in one go: the missing one, then the parked one follows by itself.
    import_through(qtbot, bureau, chooser, first)
    assert [(o.seq, o.status) for o in bureau.outcome_model.rows()[:2]] == [(2, ImportStatus.IMPORTED),
                                                                           (1, ImportStatus.IMPORTED)]
    assert bureau.peer_model.index(0, 3).data() == "至第 2 号"
    assert "已导入 2 个" in bureau.result_text

def test_cancelling_an_export_writes_nothing_and_uses_no_number(qtbot, pair: Pair, tmp_path: Path, monkeypatch):
    reached, release = threading.Event(), threading.Event()
    real = jobs.export_data_packet

    def held_at_step_three(*args, **kwargs):
        steps = real(*args, **kwargs)
        try:
            while True:
                try:
                    step = next(steps)
                except StopIteration as stop:
                    return stop.value
                if step[0] == 3:
                    reached.set()
                    release.wait(10)
                yield step
        finally:
            steps.close()

    monkeypatch.setattr(jobs, "export_data_packet", held_at_step_three)
    _win, page, chooser = exchange_page(qtbot, pair.office)
    usb = tmp_path / "usb"
    usb.mkdir()
    chooser.folders.append(usb)
    click_center(qtbot, page.export_button)
    qtbot.waitUntil(reached.is_set, timeout=JOB_TIMEOUT)
    assert page.busy and page.job_row.isVisible() and page.cancel_button.isEnabled()
    assert not page.export_button.isEnabled() and not page.import_button.isEnabled()
    click_center(qtbot, page.cancel_button)
    assert page.cancel_button.text() == "正在取消…"
    release.set()
    wait_idle(qtbot, page)
    assert "已取消导出" in page.result_text and "编号未占用" in page.result_text
    assert list(usb.iterdir()) == []
    assert sent_packets(pair.office) == []
    assert next(p for p in list_peers(pair.office) if p.kind == "bureau").out_seq == 0
    assert page.export_button.isEnabled()

    monkeypatch.setattr(jobs, "export_data_packet", real)
    assert export_packet(qtbot, page, chooser, usb).name == "hecun-0001.hcpkt"  # number 1 is still free


def test_enrolment_refuses_a_wrong_fingerprint_and_accepts_the_right_one(qtbot, tmp_path: Path):
    pair = make_pair(tmp_path, enrolled=False)
    try:
        office_key = tmp_path / "贺村司法所-公钥-hecun.hckey"
        office_key.write_bytes(export_public(pair.office))
        bureau_key = tmp_path / "bureau.hckey"
        bureau_key.write_bytes(export_public(pair.bureau))
        _win, page, chooser = exchange_page(qtbot, pair.bureau)
        assert page.peer_model.rowCount() == 0 and page.peers_empty.isVisible()
        page.tabs.setCurrentWidget(page.keys)
        assert page.keys.fingerprint.text().replace("\n", "  ").split() == own_key(pair.bureau).shown.split()
        click_center(qtbot, page.keys.enrol_button)
        dialog: PeerKeyDialog = visible_child(qtbot, page.keys, PeerKeyDialog)
        assert dialog.windowTitle() == "登记司法所公钥" and not dialog.ok_button.isEnabled()

        chooser.opens.append(bureau_key)  # our own kind of file: refused before anything is typed
        click_center(qtbot, dialog.choose_button)
        assert "只能登记司法所的公钥" in dialog.errors.showing("general") and not dialog.ok_button.isEnabled()

        chooser.opens.append(office_key)
        click_center(qtbot, dialog.choose_button)
        shown = own_key(pair.office).shown
        assert dialog.name_value.text() == "贺村司法所" and dialog.code_value.text() == "hecun"
        # The file's fingerprint is not shown: the clerk types it from the signed paper form, never copies it.
        assert not dialog.file_fingerprint.isVisible() and shown.split()[0] not in dialog.file_fingerprint.text()
        assert dialog.ok_button.isEnabled() and dialog.ok_button.text() == "登记"
        wrong = " ".join(["0000"] * 8)
        type_text(qtbot, dialog.typed, wrong)
        click_center(qtbot, dialog.ok_button)
        settle(dialog)
        assert dialog.isVisible()
        assert "指纹与文件中的公钥不符" in dialog.errors.showing("fingerprint")
        assert not dialog.file_fingerprint.isVisible()  # nor on a mismatch, anywhere in the dialog
        seen = " ".join(w.text() for w in dialog.findChildren(QLabel) if w.isVisible())
        assert shown.split()[0] not in seen and shown.split()[1] not in seen
        assert list_peers(pair.bureau) == []

        dialog.typed.clear()
        type_text(qtbot, dialog.typed, shown.lower().replace(" ", ""))  # spaces and case do not matter
        click_center(qtbot, dialog.ok_button)
        settle(dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        [peer] = list_peers(pair.bureau)
        assert (peer.code, peer.name) == ("hecun", "贺村司法所")
        assert page.peer_model.rowCount() == 1 and page.peer_model.index(0, 2).data() == shown
        assert "已登记 1 个司法所" in page.keys.peer_status.text()

        # The township pins the bureau's key the same way.
        _owin, office, ochooser = exchange_page(qtbot, pair.office)
        office.tabs.setCurrentWidget(office.keys)
        assert "尚未绑定司法局公钥" in office.keys.peer_status.text()
        click_center(qtbot, office.keys.enrol_button)
        pin: PeerKeyDialog = visible_child(qtbot, office.keys, PeerKeyDialog)
        assert pin.windowTitle() == "绑定司法局公钥"
        ochooser.opens.append(bureau_key)
        click_center(qtbot, pin.choose_button)
        type_text(qtbot, pin.typed, own_key(pair.bureau).shown)
        click_center(qtbot, pin.ok_button)
        settle(pin)
        qtbot.waitUntil(lambda: not pin.isVisible())
        assert "已绑定：江山市司法局" in office.keys.peer_status.text()
    finally:
        pair.dispose()


def test_the_inbox_imports_a_dropped_packet_and_moves_it_aside(qtbot, pair: Pair, tmp_path: Path):
    out = tmp_path / "out"
    _owin, office, ochooser = exchange_page(qtbot, pair.office)
    packet = export_packet(qtbot, office, ochooser, out)

    _bwin, bureau, chooser = exchange_page(qtbot, pair.bureau)
    assert bureau.inbox_path.text() == "未设置" and not bureau.inbox_stop_button.isEnabled()
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    chooser.folders.append(inbox)
    click_center(qtbot, bureau.inbox_button)
    bureau._ctx.tasks.wait()  # the setting is written on the database worker
    assert inbox_folder(pair.bureau) == inbox  # kept for the next start on this PC
    assert bureau.inbox_path.text() == str(inbox) and bureau.inbox_stop_button.isEnabled()
    assert bureau.inbox is not None
    bureau.inbox.set_settle_ms(50)

    (inbox / ".hecun-0002.hcpkt.x.part").write_bytes(b"half")  # someone's temporary file: not a packet
    shutil.copyfile(packet, inbox / packet.name)
    done = inbox / "已处理" / packet.name
    qtbot.waitUntil(done.exists, timeout=JOB_TIMEOUT)
    wait_idle(qtbot, bureau)
    assert not (inbox / packet.name).exists()
    assert (inbox / ".hecun-0002.hcpkt.x.part").exists()
    assert [r.status for r in history(pair.bureau)] == [ImportStatus.IMPORTED]
    qtbot.waitUntil(lambda: bureau.history_model.rowCount() == 1)
    assert outcome(bureau).status == ImportStatus.IMPORTED
    assert "自动导入：贺村司法所第 1 号：已导入" in bureau.inbox_status.text()

    click_center(qtbot, bureau.inbox_stop_button)
    bureau._ctx.tasks.wait()
    assert inbox_folder(pair.bureau) is None and bureau.inbox.folder is None


def test_enrolment_form_and_key_file_are_saved_where_the_clerk_chooses(qtbot, pair: Pair, tmp_path: Path):
    _win, page, chooser = exchange_page(qtbot, pair.office)
    page.tabs.setCurrentWidget(page.keys)
    form = tmp_path / "登记表"  # no suffix typed: .pdf is added
    chooser.saves.append(form)
    click_center(qtbot, page.keys.form_button)
    close_message(qtbot, page.keys, "登记表")
    pdf = form.with_name("登记表.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert "贺村司法所-公钥登记表.pdf" in chooser.asked[-1]

    key_file = tmp_path / "key.hckey"
    chooser.saves.append(key_file)
    click_center(qtbot, page.keys.export_key_button)
    close_message(qtbot, page.keys, "已导出公钥文件")
    assert key_file.read_bytes() == export_public(pair.office)


def test_rotation_is_for_administrators_and_the_bureau_accepts_the_statement(qtbot, pair: Pair, tmp_path: Path):
    clerk = account(pair.office, "zhang", "张晓", "clerk")
    _cwin, as_clerk, _ = exchange_page(qtbot, pair.office, clerk)
    assert not as_clerk.keys.rotate_button.isEnabled() and "管理员" in as_clerk.keys.rotate_button.toolTip()
    assert not as_clerk.keys.enrol_button.isEnabled()
    assert as_clerk.export_button.isEnabled()  # a clerk exports packets

    _win, page, chooser = exchange_page(qtbot, pair.office)
    old = own_key(pair.office).shown
    statement = tmp_path / "statement.hckey"
    chooser.saves.append(statement)
    click_center(qtbot, page.keys.rotate_button)
    confirm = visible_child(qtbot, page.keys, QMessageBox)
    assert "密钥更换声明" in confirm.text() and "司法局" in confirm.text()
    click_center(qtbot, confirm.button(QMessageBox.StandardButton.Yes))
    close_message(qtbot, page.keys, "已更换密钥")
    new = own_key(pair.office).shown
    assert new != old and page.keys.fingerprint.text().split() == new.split()
    assert statement.exists()

    # Until the bureau accepts the statement it refuses packets signed with the new key; then it takes them.
    _bwin, bureau, bchooser = exchange_page(qtbot, pair.bureau)
    bureau.tabs.setCurrentWidget(bureau.keys)
    click_center(qtbot, bureau.keys.enrol_button)
    dialog: PeerKeyDialog = visible_child(qtbot, bureau.keys, PeerKeyDialog)
    bchooser.opens.append(statement)
    click_center(qtbot, dialog.choose_button)
    assert dialog.rotation_note.isVisible() and not dialog.typed.isVisible()
    assert dialog.ok_button.text() == "导入更换声明" and dialog.name_value.text() == "贺村司法所"
    assert dialog.file_fingerprint.isVisible() and dialog.file_fingerprint.text().split() == new.split()
    click_center(qtbot, dialog.ok_button)
    settle(dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert bureau.peer_model.index(0, 2).data() == new

    packet = export_packet(qtbot, page, chooser, tmp_path / "usb")
    import_through(qtbot, bureau, bchooser, packet)
    assert outcome(bureau).status == ImportStatus.IMPORTED


def test_return_packets_for_all_offices_and_writing_a_packet_again(qtbot, pair: Pair, tmp_path: Path):
    _owin, office, ochooser = exchange_page(qtbot, pair.office)
    packet = export_packet(qtbot, office, ochooser, tmp_path / "usb")
    _bwin, bureau, chooser = exchange_page(qtbot, pair.bureau)
    import_through(qtbot, bureau, chooser, packet)

    out = tmp_path / "回执"
    chooser.folders.append(out)
    click_center(qtbot, bureau.export_button)
    wait_idle(qtbot, bureau)
    text = close_message(qtbot, bureau, "已为 1 个司法所导出回执")
    assert "确认收到至第 1 号" in text
    made = out / "jiangshan-hecun-0001.hcpkt"
    assert made.exists()
    assert bureau.sent_model.index(0, 0).data() == "贺村司法所"

    # The stick was lost: the same bytes again, elsewhere.
    bureau.tabs.setCurrentIndex(3)
    bureau.sent.setCurrentIndex(bureau.sent_model.index(0, 0))
    assert bureau.rewrite_button.isEnabled()
    again = tmp_path / "again"
    again.mkdir()
    chooser.folders.append(again)
    click_center(qtbot, bureau.rewrite_button)
    qtbot.waitUntil(lambda: (again / made.name).exists() and "重新写出" in bureau.result_text, timeout=JOB_TIMEOUT)
    assert (again / made.name).read_bytes() == made.read_bytes()

    # The office takes the return packet: its packet 1 is now acknowledged.
    import_through(qtbot, office, ochooser, made)
    assert outcome(office).status == ImportStatus.IMPORTED
    assert "司法局已确认收到第 1 号" in office.outcome_model.index(0, OUT_DETAIL).data()
    assert office.sent_model.index(0, 4).data() == "是"
    assert office.outcome_model.index(0, 0).data(ROW_ROLE).file_name == made.name


def test_outcome_and_history_models_read_without_a_widget():
    """The thin models on their own (STYLE.md habit 6): text per column, refused rows red, an alarm on red."""
    from hecun_office.services.packet_import import ImportOutcome
    from hecun_office.ui.exchange.tables import OUT_DOCUMENTS, OUT_MATTERS, OUT_SEQ, OutcomeModel
    from hecun_office.ui.exchange.texts import counts_text

    model = OutcomeModel()
    model.set_rows([
        ImportOutcome("hecun-0003.hcpkt", ImportStatus.PARKED, "hecun", "贺村司法所", 3,
                      "缺少第 2 号数据包，本数据包（第 3 号）已暂存，收到第 2 号后自动导入。"),
        ImportOutcome("hecun-0001.hcpkt", ImportStatus.ALARM, "hecun", "贺村司法所", 1, "告警：内容不同。"),
        ImportOutcome("hecun-0002.hcpkt", ImportStatus.IMPORTED, "hecun", "贺村司法所", 2, "",
                      {"matters_new": 2, "documents_new": 1}, ("收到贺村司法所的执法协作函 贺司函〔2026〕1号。",)),
    ])
    assert model.rowCount() == 4 and model.columnCount() == 9  # the three packets and the total
    assert model.headerData(OUT_STATUS, Qt.Orientation.Horizontal) == "结果"
    assert model.index(0, OUT_STATUS).data() == "暂存，等待缺少的数据包"
    assert "等待" not in model.index(0, OUT_DETAIL).data() and "缺少第 2 号" in model.index(0, OUT_DETAIL).data()
    assert model.index(0, OUT_STATUS).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#8a5300"
    alarm = model.index(1, OUT_STATUS)
    assert alarm.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#c62828"
    assert alarm.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#ffebee"
    assert alarm.data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(2, OUT_SEQ).data() == "2"
    assert model.index(2, OUT_DETAIL).data() == "收到贺村司法所的执法协作函 贺司函〔2026〕1号。"
    assert [model.index(2, c).data() for c in (OUT_MATTERS, OUT_DOCUMENTS)] == ["2", "1"]  # counts in their columns
    assert model.index(2, OUT_STATUS).data(Qt.ItemDataRole.ForegroundRole) is None
    assert counts_text({}) == "无新的内容"
    assert counts_text({"acknowledged": 4, "files": 2, "future_kind": 1}) == "确认收到至第 4 号、PDF 及附件文件 2 个、future_kind 1"


def test_every_count_a_packet_can_carry_is_named_in_chinese():
    """Issue 11 item 13: "units 10" after exporting return packets — every kind the exchange counts has a name."""
    import re

    from hecun_office.ui.exchange.texts import counts_text

    kinds = ("matters", "events", "documents", "obligations", "attachments", "files",  # an office's packet
             "calendar_years", "units", "acknowledged")  # a return packet (services/packet_export.py)
    text = counts_text(dict.fromkeys(kinds, 3))
    assert not re.search(r"[A-Za-z_]{3,}", text.replace("PDF", "")), text
    assert "被监督单位名录 3 个" in text
