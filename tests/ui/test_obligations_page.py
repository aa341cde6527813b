"""T-5: the obligations register, with and without the met ones, and recording an office report."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from hecun_office.services.matters import (
    MatterInput,
    TransitionInput,
    list_units,
    register_matter,
    transition_matter,
)
from hecun_office.services.setup import default_actor
from hecun_office.ui.main_window import OBLIGATIONS
from hecun_office.ui.obligations.met_dialog import MetDialog

from .conftest import TODAY, visible_child


def advised_matter(db) -> int:
    actor = default_actor(db)
    unit = list_units(db)[1].id
    reg = register_matter(db, actor, MatterInput(received_on=date(2026, 3, 2), source="daily", title="执法人员未出示证件",
                                                 category="qualification", unit_ids=[unit]), TODAY)
    for action, on in (("start_verification", date(2026, 3, 3)), ("issue_advice", date(2026, 3, 4))):
        transition_matter(db, actor, reg.id, TransitionInput(action, on), TODAY)
    return reg.id


def test_register_lists_open_obligations_and_met_ones_on_request(qtbot, window, db):
    advised_matter(db)
    window.show_page(OBLIGATIONS)
    page = window.obligations
    kinds = [r.kind_label for r in page.model.rows()]
    assert "整改期限" in kinds and "定期报送工作情况" in kinds
    rectification = next(r for r in page.model.rows() if r.kind_label == "整改期限")
    assert rectification.due_text == "2026-03-19 星期四" and rectification.status == "overdue"

    report = next(n for n, r in enumerate(page.model.rows()) if r.kind_label == "定期报送工作情况")
    page.table.selectRow(report)
    assert page.mark_met.isEnabled()
    qtbot.mouseClick(page.mark_met, Qt.MouseButton.LeftButton)
    dialog: MetDialog = visible_child(qtbot, page, MetDialog)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    dialog._ctx.tasks.wait()  # the write runs on the database worker
    qtbot.waitUntil(lambda: not dialog.isVisible())
    open_count = page.model.rowCount()
    qtbot.mouseClick(page.include_closed, Qt.MouseButton.LeftButton)
    assert page.include_closed.isChecked()
    assert page.model.rowCount() == open_count + 1
    assert any(r.status_label in ("逾期完成", "按时完成") for r in page.model.rows())
