"""M-5 in the GUI: pick a file, map columns, preview, import off the GUI thread, cancel, result (U-3, U-4, M-7).

Each step is grabbed to screenshots/3x-intake-*.png for a person to look at (STYLE.md, Tests).
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from intake_files import (
    DUPLICATE_REF,
    Order,
    hotline_export,
    hotline_orders,
    supervisor_matter_input,
    write_orders,
    write_sheet,
)
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from hecun_office.services import intake as intake_service
from hecun_office.services.intake import ColumnMapping, Decision, RowStatus, preview_intake
from hecun_office.services.matters import MatterInput, count_matters, list_units, register_matter
from hecun_office.services.setup import default_actor
from hecun_office.ui.intake import intake_dialog as dialog_module
from hecun_office.ui.intake.intake_dialog import IntakeDialog
from hecun_office.ui.intake.intake_tables import (
    COL_COMPLAINANT,
    COL_DECISION,
    COL_STATUS,
    IntakePreviewModel,
    PreviewFilter,
)
from hecun_office.ui.intake.intake_view import MAPPING_PAGE, PREVIEW_PAGE, RESULT_PAGE
from hecun_office.ui.models.base import ROW_ROLE

from .conftest import TODAY, click_center, click_nav, type_text, visible_child

OUT = Path(__file__).resolve().parents[2] / "screenshots"
DISPLAY = Qt.ItemDataRole.DisplayRole
HOTLINE = ColumnMapping("hotline", {"work_order_no": "工单编号", "received_at": "受理时间", "title": "诉求标题",
                                    "content": "诉求内容", "complainant": "来电人", "phone": "联系电话",
                                    "unit": "承办单位"})


def save(widget: QWidget, name: str) -> None:
    OUT.mkdir(exist_ok=True)
    QTest.qWait(60)
    assert widget.grab().save(str(OUT / f"{name}.png"))


def friday_matter(db) -> str:
    unit = next(u.id for u in list_units(db) if u.name == "贺村镇村镇建设管理办公室")
    return register_matter(db, default_actor(db), MatterInput(**supervisor_matter_input(unit)), TODAY).reg_no


def open_dialog(qtbot, window) -> IntakeDialog:
    click_nav(qtbot, window, "监督事项")
    page = window.matters.list_page
    click_center(qtbot, page.intake_button)
    dialog = visible_child(qtbot, page, IntakeDialog)
    qtbot.waitUntil(dialog.isActiveWindow)  # focus checks need the dialog active, which may follow showing it
    return dialog


def idle(qtbot, dialog: IntakeDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15_000)


def load(qtbot, dialog: IntakeDialog, path: Path) -> None:
    dialog.load_file(path)  # what 选择文件… does after the file dialog
    idle(qtbot, dialog)


def source_row(dialog: IntakeDialog, ref: str) -> int:
    return next(n for n, r in enumerate(dialog.preview_model.rows()) if r.row.work_order_no == ref)


@pytest.mark.gui
def test_mondays_import_from_file_to_result(qtbot, window, db, tmp_path):
    assert friday_matter(db) == "贺监登〔2026〕1号"
    window.matters.list_page.refresh()
    path = hotline_export(tmp_path / "12345工单-0316-0320.xlsx")
    dialog = open_dialog(qtbot, window)
    assert dialog.pages.currentIndex() == MAPPING_PAGE and not dialog.next_button.isEnabled()

    load(qtbot, dialog, path)
    assert "第 2 行是表头，共 37 行工单" in dialog.file_info.text()
    assert dialog.field_combos["received_at"].currentData() == "受理时间"
    assert dialog.field_combos["complainant"].currentData() == "来电人"
    assert dialog.next_button.isEnabled()
    type_text(qtbot, dialog.mapping_name, "12345热线导出")
    click_center(qtbot, dialog.save_mapping_button)
    dialog._ctx.tasks.wait()  # the mapping is saved on the database worker
    assert [m.name for m in intake_service.list_mappings(db)] == ["12345热线导出"]
    assert dialog.saved_mappings.currentText() == "12345热线导出"
    assert "已保存映射" in dialog.mapping_note.text()
    save(dialog, "30-intake-mapping")

    click_center(qtbot, dialog.next_button)
    idle(qtbot, dialog)
    assert dialog.pages.currentIndex() == PREVIEW_PAGE
    summary = dialog.summary.text()
    for part in ("共 37 行", "新事项 3", "与已有事项重复 1", "文件内重复 0", "非执法类 33", "错误 0", "登记 3 项、合并 1 项"):
        assert part in summary
    assert dialog.confirm_button.text() == "确认导入（登记 3，合并 1）"
    model = dialog.preview_model
    dup = source_row(dialog, DUPLICATE_REF)
    assert model.index(dup, COL_STATUS).data(DISPLAY) == "与 贺监登〔2026〕1号 重复"
    assert model.index(dup, COL_DECISION).data(DISPLAY) == "合并 ▾"
    first_new = next(n for n, r in enumerate(model.rows()) if r.status == RowStatus.NEW)
    assert model.index(first_new, COL_COMPLAINANT).data(DISPLAY) == "刘** 139****1234"  # masked (M-7)
    assert model.index(first_new, COL_STATUS).data(DISPLAY) == "新事项（综合行政执法）"
    dialog.row_filter.setCurrentIndex(PreviewFilter.ENFORCEMENT)
    assert dialog.preview_filter.rowCount() == 4
    dialog.preview.selectRow(0)
    assert "被监督单位：贺村镇综合行政执法队（按承办单位名称对应）" in dialog.row_detail.toPlainText()
    save(dialog, "31-intake-preview")

    # the clerk also takes in one order the keywords missed
    dialog.row_filter.setCurrentIndex(PreviewFilter.NOT_ENFORCEMENT)
    assert dialog.preview_filter.rowCount() == 33
    extra = next(n for n, r in enumerate(model.rows()) if r.status == RowStatus.NOT_ENFORCEMENT)
    dialog.select_rows([extra])
    click_center(qtbot, dialog.include_button)
    assert model.decision(model.row_at(extra)) == Decision.REGISTER
    assert dialog.confirm_button.text() == "确认导入（登记 4，合并 1）"
    dialog.row_filter.setCurrentIndex(PreviewFilter.ALL)

    with qtbot.waitSignal(dialog.imported, timeout=15_000) as signal:
        click_center(qtbot, dialog.confirm_button)
    report = signal.args[0]
    assert dialog.pages.currentIndex() == RESULT_PAGE
    assert [o.reg_no for o in report.registered] == [f"贺监登〔2026〕{n}号" for n in (2, 3, 4, 5)]
    assert [o.reg_no for o in report.merged] == ["贺监登〔2026〕1号"]
    assert "导入完成：登记 4 项，合并 1 项，未导入 32 行，错误 0 行。" in dialog.result_summary.text()
    assert dialog.result_model.rowCount() == 37
    assert window.matters.list_page.model.rowCount() == 5  # the list behind the dialog is refreshed
    save(dialog, "33-intake-result")
    click_center(qtbot, dialog.close_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())


@pytest.mark.gui
def test_cancelling_the_import_leaves_nothing_behind(qtbot, window, db, tmp_path, monkeypatch):
    friday_matter(db)
    release = threading.Event()
    reached = threading.Event()
    real = dialog_module.apply_intake

    def slow_apply(*args, **kwargs):
        steps = real(*args, **kwargs)
        yield next(steps)  # (0, total): before the transaction
        yield next(steps)  # (1, total): one matter registered inside the open transaction
        reached.set()
        release.wait(10)
        return (yield from steps)

    monkeypatch.setattr(dialog_module, "apply_intake", slow_apply)
    dialog = open_dialog(qtbot, window)
    load(qtbot, dialog, hotline_export(tmp_path / "orders.xlsx"))
    click_center(qtbot, dialog.next_button)
    idle(qtbot, dialog)
    click_center(qtbot, dialog.confirm_button)
    qtbot.waitUntil(reached.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.import_progress.maximum() == 4)
    assert dialog.busy and dialog.cancel_import_button.isVisible() and not dialog.confirm_button.isEnabled()
    save(dialog, "32-intake-progress")
    dialog.reject()  # Esc while importing cancels the import instead of hiding it
    assert dialog.isVisible()
    release.set()
    idle(qtbot, dialog)
    assert dialog.pages.currentIndex() == PREVIEW_PAGE
    assert dialog.import_note.text() == "已取消导入：没有导入任何工单，登记编号也没有占用。"
    assert count_matters(db) == 1
    unit = list_units(db)[0].id
    assert register_matter(db, default_actor(db), MatterInput(**supervisor_matter_input(unit)), TODAY).reg_no == \
        "贺监登〔2026〕2号"  # the cancelled import used no number


@pytest.mark.gui
def test_a_file_that_is_not_xlsx_is_explained(qtbot, window, db, tmp_path):
    path = tmp_path / "12345工单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)
    dialog = open_dialog(qtbot, window)
    load(qtbot, dialog, path)
    assert dialog.mapping_error.isVisible()
    assert "旧版 Excel（.xls）" in dialog.mapping_error.text() and "另存为" in dialog.mapping_error.text()
    assert not dialog.next_button.isEnabled() and not dialog.mapping_box.isEnabled()
    save(dialog, "34-intake-file-error")
    dialog.reject()


@pytest.mark.gui
def test_a_missing_column_is_named_before_the_preview(qtbot, window, db, tmp_path):
    path = write_sheet(tmp_path / "platform.xlsx", ["工单号", "诉求内容", "处置单位"],
                       [["GD-1", "城管罚款", "贺村镇综合行政执法队"]], title="省平台导出")
    dialog = open_dialog(qtbot, window)
    load(qtbot, dialog, path)
    assert dialog.field_combos["work_order_no"].currentData() == "工单号"
    assert dialog.field_combos["received_at"].currentData() == ""
    click_center(qtbot, dialog.next_button)
    assert dialog.pages.currentIndex() == MAPPING_PAGE
    assert "请为“受理时间”选择对应的列" in dialog.mapping_error.text()
    assert dialog.field_combos["received_at"].hasFocus()
    save(dialog, "35-intake-missing-column")
    dialog.reject()


def test_preview_model_without_a_view(qapp, db, tmp_path):
    """STYLE.md habit 6: the table model on its own — masking, decisions, editing, filtering."""
    friday_matter(db)
    preview = preview_intake(db, hotline_export(tmp_path / "o.xlsx"), HOTLINE, TODAY)
    model = IntakePreviewModel()
    model.set_rows(preview.rows)
    assert model.rowCount() == 37 and model.columnCount() == 7
    headers = [model.headerData(c, Qt.Orientation.Horizontal, DISPLAY) for c in range(7)]
    assert headers == ["行", "工单编号", "受理日期", "标题", "来电人", "状态", "处理"]
    assert model.index(0, 2).data(DISPLAY) == "2026-03-16"
    assert model.index(0, COL_COMPLAINANT).data(DISPLAY) == "李* 139****0000"
    dup = next(n for n, r in enumerate(model.rows()) if r.row.work_order_no == DUPLICATE_REF)
    other = next(n for n, r in enumerate(model.rows()) if r.status == RowStatus.NOT_ENFORCEMENT)
    assert model.flags(model.index(dup, COL_DECISION)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(dup, COL_STATUS)) & Qt.ItemFlag.ItemIsEditable
    assert model.count_decisions() == {Decision.REGISTER: 3, Decision.MERGE: 1, Decision.SKIP: 33}
    assert model.setData(model.index(other, COL_DECISION), "register")
    assert not model.setData(model.index(other, COL_DECISION), "merge")  # nothing to merge into
    assert model.setData(model.index(dup, COL_DECISION), "skip")
    assert model.changed_decisions() == {model.row_at(other).row.row: Decision.REGISTER,
                                         model.row_at(dup).row.row: Decision.SKIP}
    assert model.index(other, COL_DECISION).data(ROW_ROLE) is model.row_at(other)
    proxy = PreviewFilter()
    proxy.setSourceModel(model)
    for mode, expected in ((PreviewFilter.IMPORTING, 4), (PreviewFilter.ENFORCEMENT, 4),
                           (PreviewFilter.NOT_ENFORCEMENT, 33), (PreviewFilter.DUPLICATES, 1), (PreviewFilter.ERRORS, 0),
                           (PreviewFilter.ALL, 37)):
        proxy.set_mode(mode)
        assert proxy.rowCount() == expected, mode
    assert date(2026, 3, 16) == model.row_at(0).row.received_on


@pytest.mark.gui
def test_bad_rows_are_shown_and_reported_not_dropped(qtbot, window, db, tmp_path):
    orders = hotline_orders(12, 4, duplicate_ref=None)
    orders[2] = Order("GD-BAD-1", "2026-13-01", "城管暂扣电动车", "城管暂扣电动车未开清单")
    orders[5] = Order(orders[1].ref, datetime(2026, 3, 18, 9, 30), "再次来电：罚款未开票据", "城管罚款未开票据")
    orders[8] = Order("", datetime(2026, 3, 18), "占道经营罚款", "占道经营罚款")
    dialog = open_dialog(qtbot, window)
    load(qtbot, dialog, write_orders(tmp_path / "bad.xlsx", orders))
    click_center(qtbot, dialog.next_button)
    idle(qtbot, dialog)
    assert "错误 2" in dialog.summary.text() and "文件内重复 1" in dialog.summary.text()
    model = dialog.preview_model
    assert model.index(2, COL_STATUS).data(DISPLAY) == "错误：受理时间“2026-13-01”不是有效日期。"
    assert model.index(5, COL_STATUS).data(DISPLAY) == "文件内重复（同第 4 行）"
    assert model.index(2, COL_DECISION).data(DISPLAY) == "跳过"  # nothing else allowed: no ▾
    dialog.preview.selectRow(2)
    assert "第 5 行：受理时间“2026-13-01”不是有效日期。" in dialog.row_detail.toPlainText()
    save(dialog, "36-intake-preview-errors")
    with qtbot.waitSignal(dialog.imported, timeout=15_000) as signal:
        click_center(qtbot, dialog.confirm_button)
    report = signal.args[0]
    assert len(report.outcomes) == 12 and len(report.errors) == 2
    assert [dialog.result_model.row_at(n).outcome for n in range(2)] == ["error", "error"]  # errors on top
    save(dialog, "37-intake-result-errors")
