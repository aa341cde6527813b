"""密钥与登记 and 校验数据包 on 报送与同步: what the CLI's keys export-secret / import-secret / reset, keys enroll/pin
--replace and packet verify do, through the page (SPEC C: everything the CLI does, the GUI does too)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from exchange_pair import Pair, account, make_pair
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from hecun_office.services.exchange_keys import export_public, list_peers, own_key
from hecun_office.services.intake import run_to_end
from hecun_office.services.packet_export import export_data_packet
from hecun_office.services.packet_import import ImportStatus, history
from hecun_office.storage.uow import Database
from hecun_office.ui.exchange.exchange_page import ExchangePage
from hecun_office.ui.exchange.passphrase_dialog import PassphraseDialog
from hecun_office.ui.exchange.peer_key_dialog import PeerKeyDialog

from .conftest import TODAY, click_center, type_text, visible_child
from .test_exchange_ui import Chooser, close_message, exchange_page, import_through, outcome
from .waiting import settle

pytestmark = pytest.mark.gui
SHOTS = Path("/tmp/shots")
SCREEN = (1366, 768)
PASSPHRASE = "correct horse 42"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    made = make_pair(tmp_path)
    yield made
    made.dispose()


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    assert widget.grab().save(str(SHOTS / f"keys_{name}.png"))


def keys_page(qtbot, db: Database, actor=None) -> tuple[QWidget, ExchangePage, Chooser]:
    win, page, chooser = exchange_page(qtbot, db, actor)
    win.resize(*SCREEN)
    page.tabs.setCurrentWidget(page.keys)
    return win, page, chooser


def office_packet(pair: Pair, folder: Path) -> Path:
    return run_to_end(export_data_packet(pair.office, pair.office_admin, folder, TODAY)).path


def passphrase_dialog(qtbot, page: ExchangePage) -> PassphraseDialog:
    dialog = visible_child(qtbot, page.keys, PassphraseDialog)
    assert isinstance(dialog, PassphraseDialog)
    return dialog


def enter(qtbot, dialog: PassphraseDialog, first: str, again: str | None = None) -> None:
    dialog.passphrase.clear()
    type_text(qtbot, dialog.passphrase, first)
    if again is not None:
        dialog.again.clear()
        type_text(qtbot, dialog.again, again)
    click_center(qtbot, dialog.ok_button)
    settle(dialog)


def test_the_private_key_goes_to_a_second_pc_by_file_and_passphrase(qtbot, pair: Pair, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch):
    win, page, chooser = keys_page(qtbot, pair.bureau)
    assert page.keys.more_button.isEnabled() and page.keys.export_secret_action.isEnabled()
    secret = tmp_path / "usb" / "bureau.hcsecret"
    secret.parent.mkdir()

    page.keys.export_secret_action.trigger()
    dialog = passphrase_dialog(qtbot, page)
    assert dialog.again.isVisible() and "PostgreSQL" in dialog.intro.text() and "分开" in dialog.intro.text()
    enter(qtbot, dialog, "short", "short")
    assert "至少 8 位" in dialog.errors.showing("passphrase") and dialog.isVisible()
    enter(qtbot, dialog, PASSPHRASE, PASSPHRASE + "x")
    assert "不一致" in dialog.errors.showing("again") and dialog.isVisible()
    shot(dialog, "export_secret_mismatch")
    assert not chooser.asked  # nothing is asked or written until both entries agree
    enter(qtbot, dialog, PASSPHRASE, PASSPHRASE)  # no file chosen: the dialog stays open
    assert dialog.isVisible() and not secret.exists() and "私钥保护文件" in chooser.asked[-1]
    chooser.saves.append(secret)
    click_center(qtbot, dialog.ok_button)
    page._ctx.tasks.wait()  # the write runs on the database worker
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "分开" in close_message(qtbot, page.keys, "已导出私钥保护文件")
    assert secret.exists() and PASSPHRASE.encode() not in secret.read_bytes()
    win.close()

    packet = office_packet(pair, tmp_path / "out")
    fingerprint = own_key(pair.bureau).fingerprint
    # The second bureau PC: the same database, its own (empty) data directory.
    monkeypatch.setenv("HECUN_OFFICE_HOME", str(tmp_path / "second-pc"))
    with pytest.raises(Exception, match="找不到本机构私钥的保护文件"):
        export_public(pair.bureau)
    _win2, second, schooser = keys_page(qtbot, pair.bureau)
    schooser.opens.append(secret)
    second.keys.import_secret_action.trigger()
    dialog = passphrase_dialog(qtbot, second)
    assert not dialog.again.isVisible() and str(secret) in dialog.intro.text()
    enter(qtbot, dialog, "wrong passphrase")
    second._ctx.tasks.wait()  # the write runs on the database worker
    assert "口令不对" in dialog.errors.showing("") and dialog.isVisible()
    shot(dialog, "import_secret_wrong")
    enter(qtbot, dialog, PASSPHRASE)
    second._ctx.tasks.wait()  # the write runs on the database worker
    qtbot.waitUntil(lambda: not dialog.isVisible())
    close_message(qtbot, second.keys, "本机现在可以签名和解密数据包")
    assert own_key(pair.bureau).fingerprint == fingerprint
    assert export_public(pair.bureau)  # signs again
    import_through(qtbot, second, schooser, packet)
    assert outcome(second).status == ImportStatus.IMPORTED


def test_reset_then_the_other_side_re_enrols_by_the_paper_form(qtbot, pair: Pair, tmp_path: Path):
    clerk = account(pair.office, "zhang", "张晓", "clerk")
    _cwin, as_clerk, _ = keys_page(qtbot, pair.office, clerk)
    assert not as_clerk.keys.more_button.isEnabled() and "管理员" in as_clerk.keys.more_button.toolTip()
    assert not any(a.isEnabled() for a in (as_clerk.keys.export_secret_action, as_clerk.keys.import_secret_action,
                                           as_clerk.keys.reset_action))

    win, page, chooser = keys_page(qtbot, pair.office)
    shot(win, "office_tab")
    menu = page.keys.more_menu
    menu.popup(page.keys.more_button.mapToGlobal(QPoint(0, page.keys.more_button.height())))
    qtbot.waitUntil(menu.isVisible)
    shot(menu, "more_menu")
    menu.hide()

    old = own_key(pair.office).shown
    page.keys.reset_action.trigger()
    confirm = visible_child(qtbot, page.keys, QMessageBox)
    assert "私钥确已丢失" in confirm.text() and "重新登记" in confirm.text()
    yes = confirm.button(QMessageBox.StandardButton.Yes)
    assert not yes.isEnabled()  # only once the clerk ticks that the key cannot be recovered
    shot(confirm, "reset_confirm")
    click_center(qtbot, confirm.checkBox())
    assert yes.isEnabled()
    click_center(qtbot, yes)
    text = close_message(qtbot, page.keys, "新指纹")
    new = own_key(pair.office).shown
    assert new != old and new.split()[0] in text
    assert page.keys.fingerprint.text().split() == new.split()

    # The bureau refuses the new key as a plain enrolment, and offers 重新登记 after a confirmation.
    key_file = tmp_path / "new.hckey"
    chooser.saves.append(key_file)
    click_center(qtbot, page.keys.export_key_button)
    close_message(qtbot, page.keys, "已导出公钥文件")
    bwin, bureau, bchooser = keys_page(qtbot, pair.bureau)
    shot(bwin, "bureau_tab")
    click_center(qtbot, bureau.keys.enrol_button)
    dialog = visible_child(qtbot, bureau.keys, PeerKeyDialog)
    assert isinstance(dialog, PeerKeyDialog)
    bchooser.opens.append(key_file)
    click_center(qtbot, dialog.choose_button)
    assert not dialog.replace_button.isVisible()
    type_text(qtbot, dialog.typed, new)
    click_center(qtbot, dialog.ok_button)
    settle(dialog)
    assert "已经登记过另一把公钥" in dialog.errors.showing("") and dialog.replace_button.isVisible()
    shot(dialog, "enrol_replace_offered")
    click_center(qtbot, dialog.replace_button)
    sure = visible_child(qtbot, dialog, QMessageBox)
    assert "停用" in sure.text() and "贺村司法所" in sure.text()
    shot(sure, "replace_confirm")
    click_center(qtbot, sure.button(QMessageBox.StandardButton.Yes))
    settle(bwin)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert bureau.peer_model.index(0, 2).data() == new
    assert next(p for p in list_peers(pair.bureau) if p.code == "hecun").keys == 2

    import_through(qtbot, bureau, bchooser, office_packet(pair, tmp_path / "out"))
    assert outcome(bureau).status == ImportStatus.IMPORTED


def test_verify_says_what_an_import_would_do_and_records_nothing(qtbot, pair: Pair, tmp_path: Path):
    packet = office_packet(pair, tmp_path / "out")
    win, page, chooser = exchange_page(qtbot, pair.bureau)
    win.resize(*SCREEN)
    assert page.verify_button.isEnabled()
    chooser.opens.append(packet)
    click_center(qtbot, page.verify_button)
    qtbot.waitUntil(lambda: "校验通过" in page.result_text, timeout=20_000)
    assert "贺村司法所第 1 号" in page.result_text and "没有导入" in page.result_text
    assert "c62828" not in page.result_label.styleSheet()
    shot(win, "verify_valid")
    assert history(pair.bureau) == [] and page.history_model.rowCount() == 0
    assert next(p for p in list_peers(pair.bureau) if p.code == "hecun").in_seq == 0

    tampered = tmp_path / "tampered" / packet.name
    tampered.parent.mkdir()
    data = bytearray(packet.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    chooser.opens.append(tampered)
    click_center(qtbot, page.verify_button)
    qtbot.waitUntil(lambda: "拒收" in page.result_text, timeout=20_000)
    assert "c62828" in page.result_label.styleSheet()
    assert history(pair.bureau) == []
    assert page.verify_button.isEnabled()
