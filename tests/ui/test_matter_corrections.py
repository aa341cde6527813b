"""Issue 11 item 5 through the real matter page: 更正登记信息 opens the registration as it stands, saves the change
with its reason on the database worker and the timeline shows before → after; 附件 are added and saved elsewhere;
提请司法局 opens the drafted report instead of moving the matter (item 2)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from hecun_office.services import documents, matters
from hecun_office.services.matters import MatterInput, TransitionInput
from hecun_office.services.setup import default_actor
from hecun_office.ui.documents.editor_dialog import EditorDialog
from hecun_office.ui.matters.correct_dialog import CorrectDialog

from .conftest import TODAY, click_nav, type_text, visible_child
from .waiting import settle


def _matter(db) -> int:
    units = matters.list_units(db)
    return matters.register_matter(db, default_actor(db), MatterInput(
        received_on=date(2026, 3, 2), source="hotline", title="占道经营处罚未告知陈述申辩全", category="legality",
        unit_ids=[units[1].id], facts="执法队罚款时未告知。", complainant_name="张三丰"), today=TODAY).id


def test_correcting_a_matter_through_its_page_shows_before_and_after_on_the_timeline(qtbot, window, db) -> None:
    matter_id = _matter(db)
    click_nav(qtbot, window, "监督事项")
    window.matters.show_matter(matter_id)
    detail = window.matters.detail_page
    qtbot.mouseClick(detail.correct_button, Qt.MouseButton.LeftButton)
    dialog: CorrectDialog = visible_child(qtbot, detail, CorrectDialog)
    assert dialog.title.text() == "占道经营处罚未告知陈述申辩全" and dialog.complainant_name.text() == "张三丰"
    assert dialog.unit_model.checked_ids() == [matters.list_units(db)[1].id] and not dialog.received_on.isEnabled()
    dialog.title.clear()
    type_text(qtbot, dialog.title, "占道经营处罚未告知陈述申辩权")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no reason: refused beside the field
    settle(dialog)
    assert dialog.isVisible() and "更正理由" in dialog.errors_reason.text()
    type_text(qtbot, dialog.reason, "标题错字")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)
    assert dialog.general_error.isHidden(), dialog.general_error.text()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: detail.title.text() == "占道经营处罚未告知陈述申辩权")
    last = detail.event_model.rows()[-1]
    assert last.action_label == "更正登记信息" and "申辩全 → 占道经营处罚未告知陈述申辩权" in last.detail


def test_attachments_are_added_and_saved_elsewhere_byte_for_byte(qtbot, window, db, tmp_path: Path) -> None:
    matter_id = _matter(db)
    click_nav(qtbot, window, "监督事项")
    window.matters.show_matter(matter_id)
    section = window.matters.detail_page.attachments
    assert section.empty.isVisible() and section.add_button.isEnabled()
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8" + bytes(range(256)) * 40)
    section.add_files([photo])
    section._ctx.tasks.wait()
    qtbot.waitUntil(lambda: section.model.rowCount() == 1)
    row = section.model.row_of(0)
    assert (row.file_name, row.size) == ("现场照片.jpg", photo.stat().st_size)
    section.export_to(row.id, tmp_path / "copy.jpg")
    section._ctx.tasks.wait()
    qtbot.waitUntil(lambda: (tmp_path / "copy.jpg").exists())
    assert (tmp_path / "copy.jpg").read_bytes() == photo.read_bytes()


def test_escalate_opens_the_drafted_report_and_the_matter_waits_for_its_issue(qtbot, window, db) -> None:
    actor = default_actor(db)
    matter_id = _matter(db)
    for action, on in (("start_verification", date(2026, 3, 2)), ("issue_advice", date(2026, 3, 2)),
                       ("mark_overdue", date(2026, 3, 18))):
        matters.transition_matter(db, actor, matter_id, TransitionInput(action, on), today=TODAY)
    click_nav(qtbot, window, "监督事项")
    window.matters.show_matter(matter_id)
    detail = window.matters.detail_page
    button = detail.action_button("escalate")
    assert button.text() == "提请司法局（起草文书）"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    editor: EditorDialog = visible_child(qtbot, detail, EditorDialog)
    assert editor.form_def.id == "escalation_report" and editor.doc_id is None
    assert "本所通过12345政务服务热线收到反映" in editor.values()["process"]
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    editor._ctx.tasks.wait()
    qtbot.waitUntil(lambda: editor.doc_id is not None)
    editor.reject()
    assert matters.matter_detail(db, matter_id, TODAY).status == "overdue"  # drafting moves nothing
    qtbot.mouseClick(detail.action_button("escalate"), Qt.MouseButton.LeftButton)  # the same draft, not a second
    qtbot.waitUntil(lambda: _editor_for(detail, editor.doc_id) is not None)
    assert len([d for d in documents.list_documents(db, matter_id=matter_id) if d.form_id == "escalation_report"]) == 1


def _editor_for(parent, doc_id):
    found = [e for e in parent.findChildren(EditorDialog) if e.isVisible() and e.doc_id == doc_id]
    return found[0] if found else None
