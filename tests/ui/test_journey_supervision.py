"""Issue 16's journey through the real main window, as a clerk at 贺村司法所 would go on 2026-03-23: register a
法治监督员, record a joint meeting with two decisions and draft its minutes, run a case-file review of two units
with a recorded seed, score a drawn file and turn its finding into a matter, import the units' certificate list
with an expired certificate — and see on 工作台 the expiry warning under 提醒（n） and the decision falling due."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from hecun_office.review.sampling import CaseFile, draw
from hecun_office.services.matters import list_units
from hecun_office.storage.models import Matter
from hecun_office.ui.documents.editor_dialog import EditorDialog
from hecun_office.ui.main_window import DASHBOARD, MainWindow
from hecun_office.ui.supervision.supervision_page import MEETINGS, PERSONNEL, REVIEW
from tests.ui.conftest import click_nav
from tests.ui.test_supervision_page import Chooser, accept, cell, grab, open_page
from tests.ui.waiting import settle

pytestmark = pytest.mark.gui
SEED = 731


def xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_supervisors_meetings_review_and_certificates(qtbot, window: MainWindow, db, tmp_path: Path):
    page = open_page(qtbot, window)
    units = [u.name for u in list_units(window._ctx.db)[:2]]

    # 1. 法治监督员
    dialog = page.supervisors.open_add_dialog()
    dialog.name.setText("周敏")
    dialog.kind.setCurrentIndex(dialog.kind.findData("lawyer"))
    dialog.unit.setText("贺村法律服务所")
    dialog.appointed_on.setText("2026-01-10")
    dialog.term_ends.setText("2028-01-09")
    accept(qtbot, window, dialog)
    assert cell(page.supervisors.table, 0, 0) == "周敏" and cell(page.supervisors.table, 0, 8) == "在任"

    # 2. 联席会议 with two decisions, the first due tomorrow; its minutes drafted from the record
    page.show_tab(MEETINGS)
    meeting = page.meetings.open_add_dialog()
    meeting.held_on.setText("2026-03-20")
    meeting.name.setText("贺村镇行政执法协调监督联席会议")
    meeting.chair.setText("陈所长")
    rows = meeting.decision_rows
    rows.rows[0][0].setText("镇综合行政执法队报送执法人员名单")
    rows.rows[0][1].setText(units[1])
    rows.rows[0][2].setText("2026-03-24")
    rows.add_button.click()
    rows.rows[1][0].setText("建立案卷评查整改台账")
    rows.rows[1][2].setText("2026-04-30")
    accept(qtbot, window, meeting)
    assert cell(page.meetings.table, 0, 3) == "2 条，未完成 2 条"
    page.meetings.minutes_button.click()
    settle(window)
    editor = page.meetings.editor
    assert isinstance(editor, EditorDialog) and editor.isVisible()
    assert "镇综合行政执法队报送执法人员名单" in str(editor.values().get("decisions", ""))
    editor.discard_changes()
    settle(window)
    assert cell(page.meetings.table, 0, 4) == "已起草"

    # 3. 案卷评查 of two units: 3 files and 2 files, 2 drawn per unit with the seed
    page.show_tab(REVIEW)
    batch = page.review.open_add_dialog()
    batch.name.setText("2025年第四季度行政执法案卷评查")
    batch.per_unit.setValue(2)
    accept(qtbot, window, batch)
    listed = [[units[0], f"贺政罚〔2025〕{n}号", f"案件{n}"] for n in range(1, 4)] + \
             [[units[1], f"贺执罚〔2025〕{n}号", f"案件{n}"] for n in range(1, 3)]
    page.review.chooser = Chooser(xlsx(tmp_path / "cases.xlsx", ["被评查单位", "案卷编号", "案件名称"], listed))
    page.review.import_button.click()
    settle(window)
    seed = page.review.open_seed_dialog()
    seed.seed.setText(str(SEED))
    accept(qtbot, window, seed)
    expected = {(f.unit, f.number) for f in draw([CaseFile(u, n, t) for u, n, t in listed], SEED, 2).drawn}
    files = page.review.file_model.rows()
    assert {(f.unit, f.file_no) for f in files if f.drawn} == expected  # the same draw anyone can make
    assert [cell(page.review.summary, n, 2) for n in range(2)] == ["2", "2"]
    first = next(n for n, f in enumerate(files) if f.drawn)
    page.review.files.selectRow(first)
    score = page.review.open_score_dialog()
    score.spins["documents"].setValue(4)
    score.finding.setPlainText("处罚决定书未载明救济途径")
    accept(qtbot, window, score)
    qtbot.waitUntil(lambda: cell(page.review.files, first, 5) == "优秀", timeout=3000)  # 94 分
    page.review.finding_button.click()
    settle(window)
    qtbot.waitUntil(lambda: bool(cell(page.review.files, first, 6)), timeout=3000)
    reg_no = cell(page.review.files, first, 6)
    assert window.statusBar().currentMessage() == f"已登记事项 {reg_no}，来源为案卷评查"
    # the matter names the batch and the case file it came from, after its source
    with db.uow() as session:
        matter_id = session.scalars(select(Matter.id).where(Matter.reg_no == reg_no)).one()
    window.open_matter(matter_id)
    settle(window)
    source = window.matters.detail_page.fields["source"].text()
    assert source.startswith("案卷评查：") and cell(page.review.files, first, 1) in source, source
    grab(window, "matter_from_finding")
    click_nav(qtbot, window, "监督员与会议")
    settle(window)

    # 4. 执法人员: one certificate expired, one valid
    page.show_tab(PERSONNEL)
    page.personnel.chooser = Chooser(xlsx(tmp_path / "officers.xlsx",
                                          ["姓名", "所在单位", "执法证号", "有效期至"],
                                          [["赵强", units[1], "33000012345", "2026-02-28"],
                                           ["钱芳", units[1], "33000012346", "2027-06-30"]]))
    page.personnel.import_button.click()
    settle(window)
    assert cell(page.personnel.table, 0, 6) == "已过期 23 天"

    # 5. 工作台: the expiry under 提醒（n）, the decision due tomorrow, the review's matter among the matters
    click_nav(qtbot, window, "工作台")
    settle(window)
    board = window.pages[DASHBOARD]
    assert board.warnings_title.text().startswith("提醒（") and board.warnings_title.text() != "提醒（0）"
    assert "赵强" in board.warnings.text() and "已过期" in board.warnings.text()
    titles = [r.title for section in board.sections() for r in section.model.rows()]
    assert any(t.startswith("贺村镇行政执法协调监督联席会议议定：镇综合行政执法队报送执法人员名单") for t in titles), titles
    assert not any("建立案卷评查整改台账" in t for t in titles)  # due beyond the next five working days
