"""D-4, D-7, D-8 through the real dialogs: draft an advice from a matter, live preview, submit as the clerk,
review and sign off as the director, serve it, print at 100 % and save the exact issued bytes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from people import add_user
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from hecun_office.services import documents, matters, templates
from hecun_office.services.audit import Actor
from hecun_office.services.matters import TransitionInput
from hecun_office.storage.uow import Database
from hecun_office.ui.app import apply_look
from hecun_office.ui.context import UiContext
from hecun_office.ui.documents.action_dialogs import IssueDialog, ReasonDialog, ServiceDialog
from hecun_office.ui.documents.documents_page import DocumentsPage
from hecun_office.ui.documents.editor_dialog import EditorDialog
from hecun_office.ui.documents.editor_view import EDITOR_SIZE
from hecun_office.ui.documents.new_document_dialog import NewDocumentDialog
from hecun_office.ui.documents.printing import a4_printer, paint_pdf
from hecun_office.ui.matters.detail_page import DetailPage
from hecun_office.ui.tasks import TaskRunner
from hecun_office.ui.widgets import DateEdit

from .conftest import TODAY, click_center, pinned_today, type_text, visible_child

pytestmark = pytest.mark.gui
RENDER_TIMEOUT = 20_000  # the first render loads the CJK fonts
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"



@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.wait()


@pytest.fixture
def clerk_ctx(db: Database, runner: TaskRunner) -> UiContext:
    return UiContext(db=db, today=pinned_today, actor=add_user(db, "zhang", "张晓", "clerk"), tasks=runner)


@pytest.fixture
def signer_ctx(db: Database, runner: TaskRunner) -> UiContext:
    return UiContext(db=db, today=pinned_today, actor=add_user(db, "li", "李志明", "signer"), tasks=runner)


def verifying_matter(db: Database, actor: Actor) -> int:
    """A frequent matter in 核查, as a clerk registers it from its template."""
    template = next(t for t in templates.list_templates(db) if t.name == "占道经营处罚未告知陈述申辩权")
    data = templates.matter_from_template(template, TODAY - timedelta(days=3), [matters.list_units(db)[1].id])
    reg = matters.register_matter(db, actor, data, today=TODAY)
    matters.transition_matter(db, actor, reg.id, TransitionInput("start_verification", TODAY - timedelta(days=3)),
                              today=TODAY)
    return reg.id


def wait_preview(qtbot, editor: EditorDialog) -> QPdfDocument:
    def ready() -> bool:
        doc = editor.preview_document
        return (not editor.preview_busy() and doc is not None and doc.status() == QPdfDocument.Status.Ready
                and doc.pageCount() >= 1)

    qtbot.waitUntil(ready, timeout=RENDER_TIMEOUT)
    doc = editor.preview_document
    assert doc is not None
    return doc


def message_box(qtbot, parent: QWidget) -> QMessageBox:
    box = visible_child(qtbot, parent, QMessageBox)
    assert isinstance(box, QMessageBox)
    return box


def open_editor(qtbot, ctx: UiContext, doc_id: int) -> EditorDialog:
    editor = EditorDialog.for_document(ctx, doc_id)
    qtbot.addWidget(editor)
    editor.show()
    wait_preview(qtbot, editor)
    return editor


def test_an_advice_goes_from_the_matter_to_service_through_the_dialogs(qtbot, db, clerk_ctx, signer_ctx, tmp_path,
                                                                       monkeypatch):
    matter_id = verifying_matter(db, clerk_ctx.actor)
    page = DetailPage(clerk_ctx)
    clerk_ctx.tasks.changed.connect(page.apply_changes)  # as the main window wires its pages
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    assert page.show_matter(matter_id)
    menu = [a.text() for a in page.documents.draft_menu.actions()]
    assert menu[0] == "行政执法协调监督建议书" and "送达回证" in menu and "年度行政执法监督工作总结" not in menu
    assert page.documents.empty.isVisible()

    # 起草文书 → the editor, its widgets generated from the form and filled from the matter
    editor = page.documents.draft("supervision_advice")
    assert editor is not None and editor.isVisible()
    fields = editor.editors
    assert isinstance(fields["unit"].input, QLineEdit) and fields["unit"].input.maxLength() == 60
    assert fields["unit"].input.text() == matters.list_units(db)[1].name
    assert isinstance(fields["facts"].input, QPlainTextEdit) and "陈述、申辩" in fields["facts"].input.toPlainText()
    assert isinstance(fields["rectification_days"].input, QSpinBox)
    assert fields["rectification_days"].value() == 15
    assert "*" in fields["unit"].label.text() and "*" not in fields["evidence"].label.text()
    assert fields["title"].input.toolTip().startswith("接在“对你单位")  # help text
    first = wait_preview(qtbot, editor)
    assert first.pageCount() >= 1
    before = editor.preview_bytes
    assert before.startswith(b"%PDF")

    # an edit re-renders 400 ms after the last keystroke
    with qtbot.waitSignal(editor.preview_updated, timeout=RENDER_TIMEOUT):
        type_text(qtbot, fields["contact"].input, "，电话0570-4000000")
        assert editor.preview_busy()
    wait_preview(qtbot, editor)
    assert editor.preview_bytes != before
    assert editor.dirty

    # an invalid value: the message names the field, the field is marked, the last good preview stays
    good = editor.preview_bytes
    with qtbot.waitSignal(editor.preview_failed, timeout=RENDER_TIMEOUT):
        fields["facts"].input.setPlainText("")
    assert "发现的问题" in editor.preview_message_text()
    assert editor.problem_field == "facts" and fields["facts"].input.property("invalid") is True
    assert editor.preview_bytes == good and editor.preview_document is not None

    # 送审 with the field still empty: refused, the field named and focused; then fixed and sent
    click_center(qtbot, editor.submit_button)
    clerk_ctx.tasks.wait()  # the write runs on the database worker
    assert editor.row is not None and editor.row.status == "draft"  # saved as a draft, not submitted
    assert "发现的问题" in editor.preview_message_text()
    fields["facts"].input.setPlainText("经查，该单位作出行政处罚决定前未告知当事人陈述、申辩权利。")
    click_center(qtbot, editor.submit_button)
    clerk_ctx.tasks.wait()
    assert editor.row.status == "review"
    assert fields["facts"].input.property("invalid") is False
    assert fields["unit"].input.isReadOnly()
    assert editor.approve_button.isVisible() and not editor.approve_button.isEnabled()  # a clerk does not review
    assert "审核人" in editor.approve_button.toolTip()
    doc_id = editor.row.id
    assert page.documents.model.rowCount() == 1
    editor.reject()
    qtbot.waitUntil(lambda: not editor.isVisible())

    # the director: 退回修改 needs a reason
    signer = open_editor(qtbot, signer_ctx, doc_id)
    click_center(qtbot, signer.return_button)
    back = visible_child(qtbot, signer, ReasonDialog)
    click_center(qtbot, back.ok_button)
    signer_ctx.tasks.wait()
    assert "退回修改" in back.errors.showing("comment")
    back.reject()
    click_center(qtbot, signer.approve_button)
    signer_ctx.tasks.wait()
    assert signer.row.status == "approved"

    # 签发: an earlier date asks for the backdating reason, the service enforces it
    click_center(qtbot, signer.issue_button)
    issue = visible_child(qtbot, signer, IssueDialog)
    assert issue.issue_date.date() == QDate(2026, 3, 23) and not issue.backdate_reason.isVisible()
    issue.issue_date.setDate(QDate(2026, 3, 20))
    assert issue.backdate_reason.isVisible()
    click_center(qtbot, issue.ok_button)
    signer_ctx.tasks.wait()
    assert "倒签" in issue.errors.showing("backdate_reason")
    issue.issue_date.setDate(QDate(2026, 3, 23))
    click_center(qtbot, issue.ok_button)
    signer_ctx.tasks.wait()  # signed off on the database worker; the dialog closes when the result arrives
    qtbot.waitUntil(lambda: not issue.isVisible())
    box = message_box(qtbot, signer)
    assert "贺司建〔2026〕1号" in box.text() and "送达" in box.text()
    box.accept()
    assert signer.row.status == "issued" and signer.row.number == "贺司建〔2026〕1号"
    assert signer.number.text() == "贺司建〔2026〕1号"
    wait_preview(qtbot, signer)
    issued_pdf = documents.document_pdf(db, doc_id, TODAY)
    assert signer.preview_bytes == issued_pdf  # the stored file, not a fresh rendering
    assert not signer.save_button.isVisible() and signer.void_button.isEnabled()
    signer.reject()

    # the matter follows: its documents show the number; 建议书已制发
    page.refresh()
    assert page.status.text() == "建议书已制发"
    assert page.documents.model.row_at(0).number == "贺司建〔2026〕1号"

    # 登记送达 as the clerk: the rectification deadline counts from service
    clerk = page.documents.open_document(doc_id)  # double-click in the matter's 文书 section
    assert clerk is not None
    wait_preview(qtbot, clerk)
    assert not clerk.issue_button.isVisible() and not clerk.void_button.isEnabled()
    click_center(qtbot, clerk.serve_button)
    serve = visible_child(qtbot, clerk, ServiceDialog)
    assert [serve.method.itemText(i) for i in range(serve.method.count())] == list(documents.SERVICE_METHODS)
    click_center(qtbot, serve.ok_button)
    clerk_ctx.tasks.wait()
    assert "受送达人" in serve.errors.showing("receiver")
    type_text(qtbot, serve.receiver, "赵立（执法队办公室）")
    click_center(qtbot, serve.ok_button)
    clerk_ctx.tasks.wait()  # recorded on the database worker; the dialog closes when the result arrives
    qtbot.waitUntil(lambda: not serve.isVisible())
    box = message_box(qtbot, clerk)
    assert "整改期限：2026年4月7日" in box.text()  # 15 days from Mon 23 March end on Tue 7 April
    box.accept()
    assert clerk.row.served_on == TODAY and not clerk.serve_button.isEnabled()
    qtbot.waitUntil(lambda: page.fields["deadline"].text() == "2026-04-07")
    assert page.fields["deadline"].isVisible()
    assert page.documents.model.row_at(0).served_on == TODAY

    # 打印 through the factored painter: a PDF "printer" gets the same pages
    out = tmp_path / "printed.pdf"
    printer = a4_printer(QPrinter(QPrinter.PrinterMode.HighResolution))
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    painter = QPainter(printer)
    pages = paint_pdf(issued_pdf, painter, printer)
    painter.end()
    original = PdfReader(io.BytesIO(issued_pdf))
    printed = PdfReader(str(out))
    assert pages == len(original.pages) == len(printed.pages)
    assert [round(float(p.mediabox.width)) for p in printed.pages] == [round(float(p.mediabox.width))
                                                                       for p in original.pages]

    # 另存为PDF writes exactly the issued bytes
    target = tmp_path / "建议书"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    clerk_ctx.tasks.wait()  # the preview read back after 送达 is current: it is what is saved
    saved = clerk.save_pdf()
    assert saved is not None and saved.name == "建议书.pdf"
    clerk_ctx.tasks.wait()  # the file is written on the reader pool
    assert saved.read_bytes() == issued_pdf

    # 打印送达回证: a receipt draft naming the document, opened for printing
    click_center(qtbot, clerk.receipt_button)
    receipt = visible_child(qtbot, clerk, EditorDialog)
    assert receipt is not clerk and receipt.form_def.id == "service_receipt"
    values = receipt.values()
    assert values["document_title"] == "行政执法协调监督建议书"
    assert values["document_number"] == "贺司建〔2026〕1号"
    assert values["method"] == "直接送达" and values["served_on"] == "2026-03-23"
    assert isinstance(receipt.editors["method"].input, QComboBox)
    assert isinstance(receipt.editors["served_on"].input, DateEdit)
    wait_preview(qtbot, receipt)
    receipt.reject()
    clerk.reject()
    clerk_ctx.tasks.wait()  # the receipt's draft is saved on the database worker
    page.refresh()
    assert page.documents.model.rowCount() == 2


def test_documents_page_filters_and_drafts_a_new_document(qtbot, db, clerk_ctx, signer_ctx):
    matter_id = verifying_matter(db, clerk_ctx.actor)
    values = documents.draft_values(db, "supervision_advice", matter_id, TODAY)
    first = documents.create_draft(db, clerk_ctx.actor, "supervision_advice", matter_id, values, TODAY)
    documents.submit(db, clerk_ctx.actor, first)
    page = DocumentsPage(clerk_ctx)
    clerk_ctx.tasks.changed.connect(page.apply_changes)  # as the main window wires its pages
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert page.model.rowCount() == 1
    row = page.model.row_at(0)
    assert row.matter_reg_no and row.status_label == "待审核"
    assert page.model.index(0, 0).data() == "（签发时编号）"
    assert [page.status_filter.itemText(i) for i in range(page.status_filter.count())] == [
        "全部", "草稿", "待审核", "待签发", "已签发", "已作废"]
    page.status_filter.setCurrentIndex(page.status_filter.findText("草稿"))
    assert page.model.rowCount() == 0
    page.status_filter.setCurrentIndex(0)
    page.form_filter.setCurrentIndex(page.form_filter.findText("送达回证"))
    assert page.model.rowCount() == 0
    page.form_filter.setCurrentIndex(0)

    # 新建文书: a periodic report draws on no matter; the editor opens filled from the office's figures
    click_center(qtbot, page.new_button)
    chooser = visible_child(qtbot, page, NewDocumentDialog)
    chooser.choose("periodic_report")
    assert not chooser.matter_choice.isEnabled()
    chooser.choose("rectification_reminder", matter_id)
    assert chooser.matter_choice.isEnabled() and chooser.matter_choice.currentIndex() > 0
    click_center(qtbot, chooser.ok_button)
    editor = visible_child(qtbot, page, EditorDialog)
    assert editor.form_def.id == "rectification_reminder" and editor.row is None
    assert editor.matter.text().startswith("事项：")
    qtbot.waitUntil(lambda: not editor.preview_busy(), timeout=RENDER_TIMEOUT)
    # no advice issued yet: the reminder cannot be complete, the preview says what is missing
    assert editor.preview_document is None and "建议书" in editor.preview_message_text()
    assert editor.save()  # a draft may be incomplete
    clerk_ctx.tasks.wait()  # the write runs on the database worker
    assert editor.row is not None and editor.row.status_label == "草稿"
    assert page.model.rowCount() == 2
    editor.reject()

    # a document in review, seen by the director, double-clicked in the register
    signer_page = DocumentsPage(signer_ctx)
    signer_ctx.tasks.changed.connect(signer_page.apply_changes)  # as the main window wires its pages
    qtbot.addWidget(signer_page)
    signer_page.show()
    signer_page.refresh()
    signer_page.status_filter.setCurrentIndex(signer_page.status_filter.findText("待审核"))
    index = signer_page.model.index(0, 0)
    rect = signer_page.table.visualRect(index)
    qtbot.mouseClick(signer_page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(signer_page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    opened = visible_child(qtbot, signer_page, EditorDialog)
    assert opened.doc_id == first and opened.approve_button.isEnabled()
    wait_preview(qtbot, opened)
    opened.reject()


def test_unsaved_changes_are_not_lost_silently(qtbot, db, clerk_ctx):
    editor = EditorDialog.new_draft(clerk_ctx, "meeting_minutes", None)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: not editor.preview_busy(), timeout=RENDER_TIMEOUT)
    type_text(qtbot, editor.editors["place"].input, "贺村镇人民政府三楼会议室")
    editor.reject()
    box = message_box(qtbot, editor)
    assert editor.isVisible()
    box.button(QMessageBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not editor.isVisible())
    [row] = documents.list_documents(db)
    assert row.form_id == "meeting_minutes" and row.values["place"] == "贺村镇人民政府三楼会议室"
    assert row.drafted_by == "张晓"


def test_a_blank_optional_date_stays_blank(qtbot, clerk_ctx):
    editor = EditorDialog.new_draft(clerk_ctx, "service_receipt", None)
    qtbot.addWidget(editor)
    served = editor.editors["served_on"]
    assert served.value() is None
    served.set_value("2026-03-20")
    assert served.value() == "2026-03-20"
    served.clear()
    assert served.value() is None
    editor.discard_changes()


def _grab(widget: QWidget, name: str) -> Path:
    """Screens a clerk sees, for a person to look at (STYLE.md, Tests): screenshots/ is gitignored."""
    SCREENSHOTS.mkdir(exist_ok=True)
    QTest.qWait(150)  # QPdfView paints its pages from a render thread
    path = SCREENSHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def scroll_to_text(editor: EditorDialog) -> None:
    """Past the masthead to the body, where a clerk reads the preview."""
    bar = editor.preview.verticalScrollBar()
    QTest.qWait(50)
    bar.setValue(bar.maximum() // 5)


def test_screenshots_of_the_documents_screens(qtbot, db, clerk_ctx, signer_ctx):
    apply_look(QApplication.instance())
    advice_matter = verifying_matter(db, clerk_ctx.actor)
    issued = documents.create_draft(db, clerk_ctx.actor, "supervision_advice", advice_matter,
                                    documents.draft_values(db, "supervision_advice", advice_matter, TODAY), TODAY)
    documents.submit(db, clerk_ctx.actor, issued)
    documents.review(db, signer_ctx.actor, issued, approve=True)
    approved = EditorDialog.for_document(signer_ctx, issued)
    qtbot.addWidget(approved)
    approved.show()
    sign = approved.open_issue_dialog()
    sign.issue_date.setDate(QDate(2026, 3, 20))
    paths = [_grab(sign, "48-issue-dialog-backdated")]
    sign.reject()
    approved.reject()
    documents.issue(db, signer_ctx.actor, issued, TODAY, TODAY)
    other = verifying_matter(db, clerk_ctx.actor)
    documents.create_draft(db, clerk_ctx.actor, "supervision_advice", other,
                           documents.draft_values(db, "supervision_advice", other, TODAY), TODAY)
    documents.create_draft(db, clerk_ctx.actor, "periodic_report", None,
                           documents.draft_values(db, "periodic_report", None, TODAY), TODAY)

    page = DocumentsPage(clerk_ctx)
    clerk_ctx.tasks.changed.connect(page.apply_changes)  # as the main window wires its pages
    qtbot.addWidget(page)
    page.resize(1366 - 200, 768 - 60)  # the page beside the navigation, above the status bar
    page.show()
    page.refresh()
    paths.append(_grab(page, "40-documents-page"))
    chooser = page.open_new_dialog()
    assert chooser is not None
    chooser.choose("supervision_advice", other)
    paths.append(_grab(chooser, "47-new-document"))
    chooser.reject()

    editor = EditorDialog.new_draft(clerk_ctx, "supervision_advice", other,
                                    matters.matter_detail(db, other, TODAY).reg_no)
    qtbot.addWidget(editor)
    editor.resize(*EDITOR_SIZE)
    editor.set_split(EDITOR_SIZE[0])
    editor.show()
    wait_preview(qtbot, editor)
    scroll_to_text(editor)
    paths.append(_grab(editor, "41-editor-draft"))
    with qtbot.waitSignal(editor.preview_failed, timeout=RENDER_TIMEOUT):
        editor.editors["legal_basis"].input.setPlainText("")
    paths.append(_grab(editor, "42-editor-draft-invalid"))
    editor.discard_changes()

    issued_editor = EditorDialog.for_document(clerk_ctx, issued)
    qtbot.addWidget(issued_editor)
    issued_editor.resize(*EDITOR_SIZE)
    issued_editor.set_split(EDITOR_SIZE[0])
    issued_editor.show()
    wait_preview(qtbot, issued_editor)
    scroll_to_text(issued_editor)
    paths.append(_grab(issued_editor, "43-editor-issued"))
    service = issued_editor.open_service_dialog()
    type_text(qtbot, service.receiver, "赵立（执法队办公室）")
    paths.append(_grab(service, "44-service-dialog"))
    service.reject()
    receipt = issued_editor.open_receipt()
    assert receipt is not None
    receipt.resize(*EDITOR_SIZE)
    receipt.set_split(EDITOR_SIZE[0])
    wait_preview(qtbot, receipt)
    paths.append(_grab(receipt, "46-editor-receipt"))
    receipt.reject()
    issued_editor.reject()
    clerk_ctx.tasks.wait()  # the receipt's draft is saved on the database worker

    documents.record_service(db, clerk_ctx.actor, issued, TODAY, "直接送达", "赵立", TODAY)
    detail = DetailPage(clerk_ctx)
    clerk_ctx.tasks.changed.connect(detail.apply_changes)  # as the main window wires its pages
    qtbot.addWidget(detail)
    detail.resize(1366 - 200, 768 - 60)
    detail.show()
    assert detail.show_matter(advice_matter)
    paths.append(_grab(detail, "45-matter-detail-documents"))
    for path in paths:
        assert path.stat().st_size > 10_000


def test_the_editor_says_when_a_font_was_substituted(qtbot, db, clerk_ctx):
    """D-6: the visible fallback warning. This machine has no 方正小标宋简体, so the note must be there."""
    from hecun_office.services import documents as documents_service

    assert any("小标宋" in w for w in documents_service.font_warnings())
    editor = EditorDialog.new_draft(clerk_ctx, "supervision_advice", verifying_matter(db, clerk_ctx.actor))
    qtbot.addWidget(editor)
    editor.show()
    wait_preview(qtbot, editor)
    assert editor.font_note.isVisible() and "小标宋" in editor.font_note.text()
