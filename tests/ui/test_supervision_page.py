"""SPEC O-1..O-4 (issue 16): 监督员与会议 in the real main window — each tab's forms write through the database
worker and the lists follow the change notice; at the bureau a township's records are shown read-only.
Screens are grabbed to /tmp/shots/supervision_*.png at 1366×768."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from hecun_office.review.sampling import CaseFile
from hecun_office.review.score_sheet import load_score_sheet
from hecun_office.services.case_review import BatchInput, add_files, batch_detail, create_batch
from hecun_office.services.matters import list_units
from hecun_office.services.meetings import DecisionInput, MeetingInput, save_meeting
from hecun_office.services.packet_supervision import MEMBERS, apply_records
from hecun_office.services.personnel import list_officers
from hecun_office.services.setup import default_actor
from hecun_office.services.supervisors import SupervisorInput, save_supervisor
from hecun_office.storage.uow import Database
from hecun_office.sync.packet import Opened
from hecun_office.ui.documents.editor_dialog import EditorDialog
from hecun_office.ui.main_window import SUPERVISION, MainWindow
from hecun_office.ui.supervision.entry_dialogs import CaseFileDialog, OfficerDialog
from hecun_office.ui.supervision.meeting_dialogs import DecisionDoneDialog, MeetingDialog
from hecun_office.ui.supervision.review_dialogs import BatchDialog, ScoreDialog, SeedDialog
from hecun_office.ui.supervision.supervision_page import MEETINGS, PERSONNEL, REVIEW, SupervisionPage
from hecun_office.ui.supervision.supervisor_dialogs import (
    ActivityDialog,
    LinkDialog,
    ReportDialog,
    SupervisorDialog,
)
from tests.ui.conftest import TODAY, click_nav, open_window, type_text
from tests.ui.test_translations import _settled, _stored_texts, hard_coded, locale_switch  # noqa: F401 (a fixture)
from tests.ui.test_translations_dialogs import DATA
from tests.ui.waiting import settle

pytestmark = pytest.mark.gui
SHOTS = Path("/tmp/shots")


def grab(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    QTest.qWait(50)  # the layouts settle first (a scroll bar shown while a list was replaced goes again)
    widget.grab().save(str(SHOTS / f"supervision_{name}.png"))


def open_page(qtbot, win: MainWindow) -> SupervisionPage:
    win.resize(1366, 768)
    win.show_page(SUPERVISION)
    page = win.supervision
    assert win.current_page() is page
    settle(win)
    qtbot.waitUntil(lambda: page.lists is not None and not page.busy, timeout=5000)
    return page


def accept(qtbot, win: MainWindow, dialog) -> None:
    dialog.submit()
    settle(win)
    assert not dialog.isVisible(), dialog.general_error.text() or [e.text() for e in dialog.error_labels.values()]


class Chooser:
    """The file dialog's stand-in: the file the clerk would pick."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def open_file(self, _parent: QWidget, _title: str, _filter: str) -> Path:
        return self.path


def cell(table, row: int, column: int) -> str:
    return table.model().index(row, column).data()


def test_the_page_replaces_the_placeholder_with_four_tabs(qtbot, window: MainWindow):
    click_nav(qtbot, window, "监督员与会议")
    page = open_page(qtbot, window)
    assert window.pages[SUPERVISION] is page
    assert [page.tabs.tabText(n) for n in range(4)] == ["法治监督员", "联席会议", "案卷评查", "执法人员"]
    assert not page.office.isVisible()  # an office sees its own records
    assert page.supervisors.add_button.isVisible() and page.supervisors.add_button.isEnabled()
    assert not page.supervisors.edit_button.isEnabled()  # nothing chosen yet
    assert page.supervisors.edit_button.toolTip() == "请先在表格中选择一位监督员。"


def test_a_supervisor_is_registered_and_their_activity_and_report_listed(qtbot, window: MainWindow):
    page = open_page(qtbot, window)
    tab = page.supervisors
    dialog = tab.open_add_dialog()
    assert isinstance(dialog, SupervisorDialog)
    dialog.submit()  # no name: the service's message stands next to the field
    settle(window)
    assert dialog.isVisible() and dialog.errors.showing("name") == "请填写监督员姓名。"
    type_text(qtbot, dialog.name, "李文")
    assert dialog.errors.showing("name") == ""  # gone as the clerk types
    dialog.kind.setCurrentIndex(dialog.kind.findData("deputy"))
    dialog.unit.setText("县人大常委会")
    dialog.contact.setText("13800001234")
    dialog.appointed_on.setText("2024-04-01")
    dialog.term_ends.setText((TODAY + timedelta(days=10)).isoformat())
    grab(dialog, "dialog_supervisor")
    accept(qtbot, window, dialog)
    assert tab.model.rowCount() == 1
    assert [cell(tab.table, 0, c) for c in range(9)] == [
        "李文", "人大代表", "县人大常委会", "138****1234", "2024-04-01", "2026-04-02", "0", "0", "即将届满"]
    assert tab.selected() is not None and tab.selected().name == "李文"  # the row just saved is chosen
    assert tab.model.index(0, 8).data(Qt.ItemDataRole.ForegroundRole) is not None  # amber

    activity = tab.open_activity_dialog()
    assert isinstance(activity, ActivityDialog)
    assert activity.kind.findData("report") < 0  # reports are matters, registered below
    activity.on_date.setText("2026-03-10")
    activity.kind.setCurrentIndex(activity.kind.findData("inspection"))
    activity.description.setPlainText("参加镇市场监管执法检查")
    grab(activity, "dialog_activity")
    accept(qtbot, window, activity)

    report = tab.open_report_dialog()
    assert isinstance(report, ReportDialog)
    report.title.setText("某餐馆占道经营未见处理")
    report.unit_model.set_checked(list_units(window._ctx.db)[0].id)
    report.facts.setPlainText("监督员反映：三月以来某餐馆长期占道经营。")
    grab(report, "dialog_report")
    accept(qtbot, window, report)
    assert "来源为法治监督员反映" in window.statusBar().currentMessage()
    reg_no = window.statusBar().currentMessage().split()[1].split("，")[0]
    assert [cell(tab.table, 0, c) for c in (6, 7)] == ["2", "1"]
    qtbot.waitUntil(lambda: tab.activity_model.rowCount() == 2, timeout=3000)
    kinds = [cell(tab.activities, n, 1) for n in range(2)]
    assert kinds == ["反映问题", "执法检查"] or kinds == ["执法检查", "反映问题"]
    assert reg_no in [cell(tab.activities, n, 2) for n in range(2)]

    link = tab.open_link_dialog()
    assert isinstance(link, LinkDialog)
    link.reg_no.setText("不存在")
    link.submit()
    settle(window)
    assert link.isVisible() and "没有登记号为“不存在”的事项" in link.errors.showing("reg_no")
    grab(link, "dialog_link")
    link.reject()
    grab(window, "tab_supervisors")


def test_a_meeting_with_decisions_is_recorded_corrected_and_carried_out(qtbot, window: MainWindow):
    page = open_page(qtbot, window)
    page.show_tab(MEETINGS)
    tab = page.meetings
    dialog = tab.open_add_dialog()
    assert isinstance(dialog, MeetingDialog)
    dialog.held_on.setText("2026-03-20")
    dialog.name.setText("2026年第一季度行政执法协调监督联席会议")
    dialog.convener.setText("贺村司法所")
    dialog.participants.setPlainText("镇综合执法办、市场监管所、派出所")
    dialog.topics.setPlainText("通报一季度执法监督情况")
    rows = dialog.decision_rows
    assert len(rows.rows) == 1  # one empty row to start with
    rows.rows[0][0].setText("各执法单位报送执法人员名单")
    rows.rows[0][1].setText("镇综合执法办")
    rows.rows[0][2].setText("2026-03-31")
    rows.add_button.click()
    rows.rows[1][0].setText("也删去")
    rows.add_button.click()
    rows.rows[2][0].setText("删去的一条")
    rows.rows[2][3].click()  # 删除 the last
    rows.add_button.click()
    rows.rows[2][0].setText("整改占道经营问题")
    rows.rows[2][2].setText("2026-04-15")
    rows.rows[1][3].click()  # 删除 one in the middle: the rows below move up
    assert [r[0].text() for r in rows.rows] == ["各执法单位报送执法人员名单", "整改占道经营问题"]
    assert rows.grid.getItemPosition(rows.grid.indexOf(rows.rows[1][0]))[0] == 2
    grab(dialog, "dialog_meeting")
    accept(qtbot, window, dialog)
    assert [cell(tab.table, 0, c) for c in range(5)] == [
        "2026-03-20", "2026年第一季度行政执法协调监督联席会议", "贺村司法所", "2 条，未完成 2 条", "未起草"]
    assert tab.decision_model.rowCount() == 2

    again = tab.open_edit_dialog()  # the record comes back as it was saved, decisions and all
    assert isinstance(again, MeetingDialog)
    assert [r[0].text() for r in again.decision_rows.rows] == ["各执法单位报送执法人员名单", "整改占道经营问题"]
    assert again.decision_rows.rows[0][2].text() == "2026-03-31"
    again.reject()

    done = tab.open_done_dialog()
    assert isinstance(done, DecisionDoneDialog)
    assert done.decision.count() == 2
    done.on.setText("2026-03-22")
    done.done_note.setPlainText("名单已报送")
    grab(done, "dialog_decision_done")
    accept(qtbot, window, done)
    assert cell(tab.table, 0, 3) == "2 条，未完成 1 条"
    assert cell(tab.decisions, 0, 3) == "2026-03-22 完成"

    tab.minutes_button.click()
    settle(window)
    editor = tab.editor
    assert isinstance(editor, EditorDialog) and editor.isVisible()
    grab(editor, "dialog_minutes_editor")
    editor.discard_changes()
    settle(window)
    assert cell(tab.table, 0, 4) == "已起草" and tab.minutes_button.text() == "打开纪要"
    grab(window, "tab_meetings")


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_review_batch_is_made_drawn_scored_and_reported(qtbot, window: MainWindow, tmp_path: Path):
    page = open_page(qtbot, window)
    page.show_tab(REVIEW)
    tab = page.review
    unit = list_units(window._ctx.db)[0].name
    dialog = tab.open_add_dialog()
    assert isinstance(dialog, BatchDialog)
    assert (dialog.period_from.text(), dialog.period_to.text()) == ("2025-10-01", "2025-12-31")
    dialog.name.setText("2025年第四季度行政执法案卷评查")
    grab(dialog, "dialog_batch")
    accept(qtbot, window, dialog)
    assert tab.selected() is not None and not tab.sample_button.isEnabled()  # nothing listed yet
    rows = [[unit, f"A-{n:02}", f"案件{n}"] for n in range(1, 4)]
    tab.chooser = Chooser(write_xlsx(tmp_path / "list.xlsx", ["被评查单位", "案卷编号", "案件名称"], rows))
    tab.import_button.click()
    settle(window)
    assert "已导入 3 卷" in window.statusBar().currentMessage()
    assert cell(tab.table, 0, 3) == "3" and tab.file_model.rowCount() == 3
    seed = tab.open_seed_dialog()
    assert isinstance(seed, SeedDialog) and seed.seed.text().isdigit()
    seed.seed.setText("20260323")
    grab(seed, "dialog_seed")
    accept(qtbot, window, seed)
    assert cell(tab.table, 0, 6) == "20260323" and cell(tab.table, 0, 4) == "3"
    assert not tab.import_button.isEnabled() and not tab.sample_button.isEnabled()
    tab.files.selectRow(0)
    score = tab.open_score_dialog()
    assert isinstance(score, ScoreDialog)
    assert score.total_label.text() == "100 分，等次：优秀"
    score.spins["facts"].setValue(10)
    assert score.total_label.text() == "85 分，等次：良好"
    score.spins["procedure"].setValue(0)
    assert "一票否决" in score.total_label.text()
    score.spins["procedure"].setValue(20)
    score.finding.setPlainText("未告知陈述申辩权利")
    score.on.setText("2026-03-20")
    grab(score, "dialog_score")
    accept(qtbot, window, score)
    assert "等次：良好" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: cell(tab.files, 0, 5) == "良好", timeout=3000)
    assert tab.selected_file() is not None and tab.finding_button.isEnabled()
    tab.finding_button.click()
    settle(window)
    assert "来源为案卷评查" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: bool(cell(tab.files, 0, 6)), timeout=3000)
    assert not tab.finding_button.isEnabled()
    assert cell(tab.summary, 0, 0) == unit and cell(tab.summary, 0, 3) == "1"
    tab.report_button.click()
    settle(window)
    assert isinstance(tab.editor, EditorDialog) and tab.editor.isVisible()
    tab.editor.discard_changes()
    settle(window)
    grab(window, "tab_review")


def test_certificates_expired_are_red_and_become_matters(qtbot, window: MainWindow, tmp_path: Path):
    page = open_page(qtbot, window)
    page.show_tab(PERSONNEL)
    tab = page.personnel
    unit = list_units(window._ctx.db)[0].name
    header = ["姓名", "所在单位", "执法证号", "身份证号码", "证件类型", "有效期至"]
    rows = [["张三", unit, "ZF-001", "330102198001011234", "行政执法证", "2026-03-01"],
            ["李四", unit, "ZF-002", "330102198101011234", "行政执法证", "2026-04-30"],
            ["王五", "某未知单位", "ZF-003", "", "行政执法证", "2028-01-01"]]
    tab.chooser = Chooser(write_xlsx(tmp_path / "officers.xlsx", header, rows))
    tab.import_button.click()
    settle(window)
    assert window.statusBar().currentMessage() == "新增 3 人，更新 0 人。"
    info = [w for w in window.findChildren(QWidget, "messageBox") if w.isVisible()]
    assert info and "某未知单位" in info[0].text()
    info[0].close()
    assert tab.model.rowCount() == 3
    assert [cell(tab.table, 0, c) for c in (1, 4, 5, 6)] == ["张三", "330102********1234", "2026-03-01", "已过期 22 天"]
    assert cell(tab.table, 1, 6) == "38 天"
    assert tab.model.index(0, 6).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert tab.model.index(2, 6).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "已过期 1 人" in tab.count.text()
    tab.table.selectRow(1)
    assert not tab.matter_button.isEnabled()  # not expired
    tab.table.selectRow(0)
    assert tab.matter_button.isEnabled()
    tab.matter_button.click()
    settle(window)
    assert cell(tab.table, 0, 7) and not tab.matter_button.isEnabled()
    grab(window, "tab_personnel")


def test_at_the_bureau_a_townships_records_are_read_only(qtbot, bureau_window: MainWindow, county):
    page = open_page(qtbot, bureau_window)
    assert page.office.isVisible() and page.office.count() >= 1
    assert page.lists is not None and page.lists.office_code == page.office.currentData()
    for tab in page.all_tabs():
        assert not any(b.isVisible() for b in tab.findChildren(type(page.supervisors.add_button)))
    assert page.readonly_note.isVisible() and "只能查看" in page.readonly_note.text()
    # the last township's packet brings a certificate holder whose certificate has expired (the import's own step)
    last = page.office.itemData(page.office.count() - 1)
    holder = {"uuid": "0f6b3c1e-8a55-4f0e-9d3a-2b7c9e1d4a60", "version": 1, "unit_name": "镇综合行政执法队",
              "name": "柴永明", "certificate_no": "浙J009001", "kind": "行政执法证", "id_no": "330881********1234",
              "issued_on": "2020-06-30", "expires_on": "2026-01-31", "status": "有效", "matter_uuid": None}
    with ThreadPoolExecutor(1) as worker:  # a write: never on the GUI thread
        worker.submit(_receive, county.bureau, last, holder).result()
    page.office.setCurrentIndex(page.office.count() - 1)
    qtbot.waitUntil(lambda: page.lists.office_code == page.office.currentData() and not page.busy, timeout=5000)
    qtbot.waitUntil(lambda: page.warnings.isVisible(), timeout=5000)
    assert "柴永明" in page.warnings.text() and "已过期 1 人" in page.warnings.text()  # the township's dashboard's
    page.office.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.lists.office_code == page.office.currentData() and not page.busy, timeout=5000)
    assert not page.warnings.isVisible()  # another township, nothing to warn about
    page.office.setCurrentIndex(page.office.count() - 1)
    qtbot.waitUntil(lambda: page.warnings.isVisible() and not page.busy, timeout=5000)
    scroller = bureau_window.stack.currentWidget()
    assert not scroller.verticalScrollBar().isVisible()  # the warning's line still fits 1366×768
    grab(bureau_window, "bureau")


def _receive(db, code: str, holder: dict) -> None:
    members = {MEMBERS["officer"]: json.dumps([holder], ensure_ascii=False).encode()}
    with db.uow() as session:
        apply_records(session, code, Opened(envelope=None, members=members), lambda uuids: {}, lambda k, n: None)


def test_every_tab_fits_the_window_at_1366_by_768_without_scrolling(qtbot, window: MainWindow):
    page = open_page(qtbot, window)
    scroller = window.stack.currentWidget()
    for n in range(4):
        page.show_tab(n)
        qtbot.wait(10)
        hints = {type(c).__name__ + ":" + c.objectName(): c.minimumSizeHint().toTuple()
                 for c in page.tabs.widget(n).findChildren(QWidget) if c.isVisible()}
        widest = sorted(hints.items(), key=lambda kv: -kv[1][0])[:4]
        tallest = sorted(hints.items(), key=lambda kv: -kv[1][1])[:4]
        assert not scroller.horizontalScrollBar().isVisible(), (page.minimumSizeHint(), widest)
        assert not scroller.verticalScrollBar().isVisible(), (page.minimumSizeHint(), tallest)


def test_the_page_and_its_dialogs_show_no_text_that_skipped_translation(qtbot, locale_switch, db: Database):  # noqa: F811
    """SPEC U-1: in the pseudo-locale every text of the four tabs (with rows in them) and of every dialog is
    ⟦marked⟧, apart from data — names, numbers and the score sheet's items, which are the county's data."""
    actor, units = default_actor(db), list_units(db)
    save_supervisor(db, actor, SupervisorInput("李文", "deputy", date(2024, 4, 1), TODAY + timedelta(days=5)))
    meeting_id = save_meeting(db, actor, MeetingInput(date(2026, 3, 20), "联席会议", decisions=(
        DecisionInput("报送名单", "执法队", date(2026, 3, 31)),)), TODAY)
    batch_id = create_batch(db, actor, BatchInput("评查", date(2025, 10, 1), date(2025, 12, 31)))
    add_files(db, actor, batch_id, [CaseFile(units[0].name, "A-1", "案件")])
    locale_switch("en_XA")
    win = open_window(qtbot, db, actor)
    try:
        page = open_page(qtbot, win)
        stored = _stored_texts(db)
        sheet = load_score_sheet()
        data = stored | {i.label for i in sheet.items} | {g.label for g in sheet.grades}
        found: dict[str, set[str]] = {}

        def check(name: str, widget: QWidget) -> None:
            left = {t for t in hard_coded(_settled(qtbot, widget)) if t not in data and not DATA.search(t)}
            if left:
                found[name] = left

        for n in range(4):
            page.show_tab(n)
            check(f"tab {n}", win)
        page.show_tab(0)
        page.supervisors.table.selectRow(0)
        page.meetings.want(page.meetings.table, meeting_id)
        page.review.want(page.review.table, batch_id)
        for name, open_one in (("supervisor", page.supervisors.open_edit_dialog),
                               ("activity", page.supervisors.open_activity_dialog),
                               ("report", page.supervisors.open_report_dialog),
                               ("link", page.supervisors.open_link_dialog),
                               ("meeting", page.meetings.open_edit_dialog),
                               ("decision done", page.meetings.open_done_dialog),
                               ("batch", page.review.open_add_dialog),
                               ("seed", page.review.open_seed_dialog),
                               ("enter file", page.review.open_enter_dialog),
                               ("enter officer", page.personnel.open_enter_dialog)):
            dialog = open_one()
            assert dialog is not None, name
            check(name, dialog)
            dialog.reject()
        detail = batch_detail(db, batch_id)
        score = ScoreDialog(win._ctx, detail.sheet, detail.files[0], win)
        score.show()
        check("score", score)
        score.reject()
    finally:
        win.close()
    assert found == {}, f"shown without translation (wrap them in tr()): {found}"


def test_a_holder_and_a_case_file_are_entered_by_hand(qtbot: QtBot, window: MainWindow) -> None:
    """Issue 16: “导入或录入” — a holder and a case file entered one at a time; the same 执法证号 again updates the
    holder, the same file again is not listed twice; an entry without 执法证号 is refused next to the field."""
    db = window._ctx.db
    page = open_page(qtbot, window)
    page.show_tab(PERSONNEL)
    tab = page.personnel
    units = [u.name for u in list_units(db) if not u.office_code]
    assert tab.enter_button.isVisible() and tab.enter_button.isEnabled()
    dialog = tab.open_enter_dialog()
    assert isinstance(dialog, OfficerDialog)
    assert [dialog.unit.itemText(n) for n in range(dialog.unit.count())] == units
    assert (dialog.kind.text(), dialog.status.text()) == ("行政执法证", "有效")
    assert dialog.issued_on.text() == "" and dialog.expires_on.text() == ""
    type_text(qtbot, dialog.name, "赵六")
    dialog.unit.setCurrentIndex(0)
    dialog.submit()  # no 执法证号: refused next to the field, nothing saved
    settle(window)
    assert dialog.isVisible() and dialog.errors.showing("certificate_no") == "请填写执法证号。"
    assert list_officers(db, TODAY) == []
    type_text(qtbot, dialog.certificate_no, "ZF-101")
    assert dialog.errors.showing("certificate_no") == ""
    dialog.id_no.setText("330102198001011234")
    dialog.expires_on.setText("2027-06-30")
    grab(dialog, "dialog_enter_officer")
    accept(qtbot, window, dialog)
    assert window.statusBar().currentMessage() == "已录入执法人员 赵六（执法证号 ZF-101）"
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=3000)
    assert [cell(tab.table, 0, c) for c in range(6)] == [
        units[0], "赵六", "ZF-101", "行政执法证", "330102********1234", "2027-06-30"]
    chosen = tab.selected()
    assert chosen is not None and chosen.certificate_no == "ZF-101"  # the holder just entered
    [held] = list_officers(db, TODAY, full_id=True)
    assert (held.unit, held.name, held.kind, held.status, held.id_no, held.issued_on, held.expires_on) == (
        units[0], "赵六", "行政执法证", "有效", "330102198001011234", None, date(2027, 6, 30))

    again = tab.open_enter_dialog()  # the same certificate number: the holder is updated, not added
    assert isinstance(again, OfficerDialog)
    again.name.setText("赵六")
    again.unit.setEditText("某未列入名录的单位")  # free text: as the unit's list names it
    again.certificate_no.setText("ZF-101")
    again.issued_on.setText("2024-07-01")
    again.expires_on.setText("2026-03-01")
    accept(qtbot, window, again)
    assert window.statusBar().currentMessage() == "已更新执法人员 赵六（执法证号 ZF-101）"
    qtbot.waitUntil(lambda: cell(tab.table, 0, 0) == "某未列入名录的单位", timeout=3000)
    assert tab.model.rowCount() == 1 and cell(tab.table, 0, 6) == "已过期 22 天"
    [held] = list_officers(db, TODAY)
    assert (held.unit, held.issued_on, held.expires_on) == ("某未列入名录的单位", date(2024, 7, 1), date(2026, 3, 1))

    page.show_tab(REVIEW)
    review = page.review
    assert not review.enter_button.isEnabled()  # no batch chosen
    batch = review.open_add_dialog()
    assert isinstance(batch, BatchDialog)
    batch.name.setText("手工录入的评查批次")
    accept(qtbot, window, batch)
    qtbot.waitUntil(lambda: review.selected() is not None and review.enter_button.isEnabled(), timeout=3000)
    entry = review.open_enter_dialog()
    assert isinstance(entry, CaseFileDialog)
    assert [entry.unit.itemText(n) for n in range(entry.unit.count())] == units
    entry.unit.setCurrentIndex(0)
    entry.title.setText("某餐馆占道经营案")
    entry.submit()  # no 案卷编号
    settle(window)
    assert entry.isVisible() and entry.errors.showing("number") == "请填写案卷编号。"
    type_text(qtbot, entry.number, "镇综执罚〔2025〕12号")
    grab(entry, "dialog_enter_file")
    accept(qtbot, window, entry)
    assert window.statusBar().currentMessage() == f"已将案卷 镇综执罚〔2025〕12号（{units[0]}）列入清单"
    qtbot.waitUntil(lambda: review.file_model.rowCount() == 1, timeout=3000)
    assert [cell(review.files, 0, c) for c in range(3)] == [units[0], "镇综执罚〔2025〕12号", "某餐馆占道经营案"]
    assert cell(review.table, 0, 3) == "1" and review.sample_button.isEnabled()
    listed = review.selected()
    assert listed is not None
    batch_id = listed.id
    same = review.open_enter_dialog()  # listed already: said so, not listed twice
    assert isinstance(same, CaseFileDialog)
    same.unit.setEditText(units[0])
    same.number.setText("镇综执罚〔2025〕12号")
    accept(qtbot, window, same)
    assert window.statusBar().currentMessage() == f"{units[0]}的案卷 镇综执罚〔2025〕12号 已在清单中，未重复列入"
    files = batch_detail(db, batch_id).files
    assert [(f.unit, f.file_no, f.title) for f in files] == [(units[0], "镇综执罚〔2025〕12号", "某餐馆占道经营案")]

    seed = review.open_seed_dialog()  # once drawn, the list is closed
    assert isinstance(seed, SeedDialog)
    accept(qtbot, window, seed)
    qtbot.waitUntil(lambda: getattr(review.selected(), "seed", None) is not None, timeout=3000)
    assert not review.enter_button.isEnabled() and review.enter_button.toolTip() == "本批次已抽样，清单不能再增加。"
    assert review.open_enter_dialog() is None


def _township_meeting_with_minutes(pair, folder: Path) -> None:
    """At the office: a meeting recorded, its minutes drafted from the record and issued; then the data packet
    imported at the bureau. On a worker thread: writes never run on the GUI thread."""
    from exchange_pair import account

    from hecun_office.services import documents, meetings, packet_export, packet_import
    from hecun_office.services.intake import run_to_end

    office, admin = pair.office, pair.office_admin
    meeting = save_meeting(office, admin, MeetingInput(
        TODAY - timedelta(days=3), "县乡两级行政执法监督机构联席会议", "贺村镇人民政府三楼会议室", "江山市司法局", "张某某",
        "贺村镇人民政府、贺村司法所", "张某某、李某某", decisions=(DecisionInput("完善执法全过程记录", "执法队", TODAY),)),
        TODAY)
    minutes = meetings.draft_minutes(office, admin, meeting, TODAY)
    director = account(office, "li", "李志明", "signer")
    documents.submit(office, admin, minutes)
    documents.review(office, director, minutes, approve=True)
    documents.issue(office, director, minutes, TODAY, today=TODAY)
    result = run_to_end(packet_export.export_data_packet(office, admin, folder, TODAY))
    run_to_end(packet_import.import_packets(pair.bureau, pair.bureau_admin, [result.path], TODAY, backup=False))


def test_at_the_bureau_a_townships_issued_minutes_open_read_only(qtbot, tmp_path: Path):
    from exchange_pair import make_pair

    pair = make_pair(tmp_path)
    try:
        with ThreadPoolExecutor(1) as worker:
            worker.submit(_township_meeting_with_minutes, pair, tmp_path / "usb").result()
        win = open_window(qtbot, pair.bureau, default_actor(pair.bureau))
        win.resize(1366, 768)
        page = open_page(qtbot, win)
        page.show_tab(MEETINGS)
        tab = page.meetings
        qtbot.waitUntil(lambda: tab.model.rowCount() == 1 and not page.busy, timeout=5000)
        assert not tab.add_button.isVisible() and tab.view_minutes_button.isVisible()
        assert not tab.note.isVisible()  # the office's instructions are not the bureau's
        tab.table.selectRow(0)
        assert tab.view_minutes_button.isEnabled()
        grab(win, "bureau_meetings")
        tab.view_minutes_button.click()
        editor = tab.editor
        assert isinstance(editor, EditorDialog) and editor.form_def.id == "meeting_minutes"
        qtbot.waitUntil(lambda: not editor.preview_busy(), timeout=10000)
        assert not editor.editable  # the township's document: looked at, printed, never changed here
        editor.reject()
    finally:
        pair.dispose()
