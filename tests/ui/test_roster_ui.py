"""S-5 at the bureau: 报送与同步 → 已登记的司法所 → 单位名录… keeps a township's roster of supervised units; units
are added and retired through the dialog, and the service's refusals show in it in Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from exchange_pair import PASSWORD, Pair, assistance_request_matter, make_pair
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from hecun_office.services.exchange_keys import add_peer, export_public, own_key
from hecun_office.services.intake import run_to_end
from hecun_office.services.packet_export import export_data_packet
from hecun_office.services.packet_import import import_packets
from hecun_office.services.rosters import roster, set_roster_unit
from hecun_office.services.setup import ProfileInput, UserInput, setup_database
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database
from hecun_office.ui.exchange.exchange_page import ExchangePage
from hecun_office.ui.exchange.roster_dialog import RosterDialog
from hecun_office.ui.exchange.tables import ROS_KIND, ROS_NAME, ROS_STATE, RosterModel
from hecun_office.ui.main_window import MainWindow

from .conftest import TODAY, click_center, click_nav, open_window, type_text, visible_child

pytestmark = pytest.mark.gui
SHOTS = Path("/tmp/shots")
FIRST_UNIT = "贺村镇综合行政执法队"  # the unit of the matter in hecun's first packet, second on its roster
OFFICE_UNITS = 10  # hecun's packet carries its whole roster (issue 12)
NEW_UNIT = "江山市应急管理局贺村应急管理站"
QINGHU_UNIT = "清湖镇人民政府"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    made = make_pair(tmp_path)
    yield made
    made.dispose()


@pytest.fixture
def qinghu(tmp_path: Path, pair: Pair) -> Iterator[Database]:
    """A second township, 清湖司法所, enrolled at the bureau, with a unit on its roster there."""
    db = open_database(f"sqlite:///{tmp_path / 'qinghu.sqlite3'}")
    profile = ProfileInput(name="清湖司法所", code="qinghu", abbr="清司", township="清湖镇",
                           registration_pattern="清监登〔{year}〕{n}号")
    setup_database(db, profile, UserInput("qian", "钱锋", password=PASSWORD), created_at=datetime(2026, 1, 5, 9))
    add_peer(pair.bureau, pair.bureau_admin, export_public(db), own_key(db).shown)
    set_roster_unit(pair.bureau, pair.bureau_admin, "qinghu", QINGHU_UNIT, "township_government")
    yield db
    db.dispose()


def hecun_packet_imported(pair: Pair, folder: Path) -> None:
    assistance_request_matter(pair.office, TODAY)
    sent = run_to_end(export_data_packet(pair.office, pair.office_admin, folder, TODAY))
    run_to_end(import_packets(pair.bureau, pair.bureau_admin, [sent.path], TODAY, backup=False))


def bureau_page(qtbot, pair: Pair) -> tuple[MainWindow, ExchangePage]:
    win = open_window(qtbot, pair.bureau, pair.bureau_admin)
    click_nav(qtbot, win, "报送与同步")
    assert isinstance(win.exchange, ExchangePage) and win.exchange.bureau
    return win, win.exchange  # the caller keeps the window alive


def click_row(qtbot, table: QTableView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert table.currentIndex().row() == row


def listed(dialog: RosterDialog) -> list[tuple[str, str, str]]:
    m = dialog.model
    return [(m.index(r, ROS_NAME).data(), m.index(r, ROS_KIND).data(), m.index(r, ROS_STATE).data())
            for r in range(m.rowCount())]


def test_the_bureau_adds_and_retires_units_on_a_townships_roster(qtbot, pair: Pair, qinghu: Database,
                                                                 tmp_path: Path):
    hecun_packet_imported(pair, tmp_path / "usb")
    assert [(u.uuid, u.name) for u in roster(pair.bureau, "hecun")] == [
        (u.uuid, u.name) for u in roster(pair.office, "")]
    assert roster(pair.bureau, "hecun")[1].name == FIRST_UNIT

    _win, page = bureau_page(qtbot, pair)
    assert page.roster_button.text() == "单位名录…" and not page.roster_button.isEnabled()
    hecun = next(r for r in range(page.peer_model.rowCount()) if page.peer_model.code_at(r) == "hecun")
    click_row(qtbot, page.peers, hecun)
    assert page.roster_button.isEnabled()
    click_center(qtbot, page.roster_button)
    dialog = visible_child(qtbot, page, RosterDialog)
    assert isinstance(dialog, RosterDialog)
    assert dialog.windowTitle() == "贺村司法所被监督单位名录"
    assert dialog.note.text() == "名录随下一次回执数据包下发到该司法所。"
    assert len(listed(dialog)) == OFFICE_UNITS and listed(dialog)[1] == (FIRST_UNIT, "乡镇内设机构", "在册")
    assert [dialog.kind_combo.itemText(i) for i in range(dialog.kind_combo.count())] == [
        "乡镇人民政府", "乡镇内设机构", "县级部门派驻机构", "受委托组织"]
    assert not dialog.toggle_button.isEnabled()

    # A new stationed agency, typed and added with the button.
    type_text(qtbot, dialog.name_edit, NEW_UNIT)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findText("县级部门派驻机构"))
    click_center(qtbot, dialog.add_button)
    dialog._ctx.tasks.wait()  # the write runs on the database worker
    assert dialog.errors.showing("name") == "" and dialog.name_edit.text() == ""
    assert listed(dialog)[-1] == (NEW_UNIT, "县级部门派驻机构", "在册")
    assert dialog.selected_unit() is not None and dialog.selected_unit().name == NEW_UNIT

    # Nothing typed: the service's message, nothing changes.
    click_center(qtbot, dialog.add_button)
    dialog._ctx.tasks.wait()  # the write runs on the database worker
    assert dialog.errors.showing("name") == "请填写单位名称。" and dialog.add_error.isVisible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    qtbot.wait(50)
    assert dialog.grab().save(str(SHOTS / "roster_dialog_error.png"))
    # A unit of the name of one on 清湖司法所's roster (Enter adds): units are per township (issue 12), so this is
    # another unit, on 贺村's roster; 清湖's keeps its own.
    type_text(qtbot, dialog.name_edit, QINGHU_UNIT)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    dialog._ctx.tasks.wait()  # the write runs on the database worker
    assert dialog.errors.showing("name") == "" and listed(dialog)[-1] == (QINGHU_UNIT, "县级部门派驻机构", "在册")
    # One already listed here is not silently changed by adding it again.
    dialog.name_edit.clear()
    type_text(qtbot, dialog.name_edit, FIRST_UNIT)
    click_center(qtbot, dialog.add_button)
    dialog._ctx.tasks.wait()  # the write runs on the database worker
    assert "已在本名录中" in dialog.errors.showing("name")
    assert len(roster(pair.bureau, "hecun")) == OFFICE_UNITS + 2

    # The law-enforcement team was abolished in a reform: retired, kept on the list in grey; then restored.
    click_row(qtbot, dialog.table, 1)
    assert dialog.toggle_button.text() == "停用" and dialog.toggle_button.isEnabled()
    click_center(qtbot, dialog.toggle_button)
    dialog._ctx.tasks.wait()  # the write runs on the database worker
    assert dialog.errors.showing("name") == ""
    assert listed(dialog)[1] == (FIRST_UNIT, "乡镇内设机构", "已停用")
    assert dialog.model.index(1, ROS_NAME).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#5f6b7a"
    assert dialog.toggle_button.text() == "恢复"
    assert [(u.name, u.kind, u.active) for u in roster(pair.bureau, "hecun")][1:2] + [
        (u.name, u.kind, u.active) for u in roster(pair.bureau, "hecun")][-2:] == [
        (FIRST_UNIT, "internal_body", False), (NEW_UNIT, "stationed_agency", True),
        (QINGHU_UNIT, "stationed_agency", True)]

    dialog.resize(720, 540)
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.name_edit.clear()
    click_row(qtbot, dialog.table, 0)  # the retired one shows in grey
    qtbot.wait(50)  # let the layout settle
    assert dialog.grab().save(str(SHOTS / "roster_dialog.png"))

    click_row(qtbot, dialog.table, 1)
    click_center(qtbot, dialog.toggle_button)
    dialog._ctx.tasks.wait()  # the write runs on the database worker
    assert roster(pair.bureau, "hecun")[1].active and dialog.toggle_button.text() == "停用"
    assert [u.name for u in roster(pair.bureau, "qinghu")] == [QINGHU_UNIT]  # the other roster untouched
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_roster_model_reads_without_a_widget():
    from hecun_office.services.rosters import RosterUnit

    model = RosterModel()
    model.set_rows([RosterUnit("贺村镇人民政府", "township_government", "乡镇人民政府", True),
                    RosterUnit("贺村镇农业综合服务中心", "entrusted", "受委托组织", False)])
    assert model.columnCount() == 3 and model.rowCount() == 2
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["单位名称", "类型", "状态"]
    assert model.index(0, ROS_STATE).data() == "在册" and model.index(1, ROS_STATE).data() == "已停用"
    assert model.index(0, ROS_NAME).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(1, ROS_KIND).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.find_name("贺村镇农业综合服务中心") == 1 and model.find_name("无此单位") is None
