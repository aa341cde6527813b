"""设置 → 字体 in the GUI (D-6, issue 11 item 11), and 签发 asking before it keeps a PDF with an unembedded font."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from people import add_user
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QCheckBox, QFileDialog, QMessageBox, QScrollArea

from hecun_office import paths
from hecun_office.documents import fonts as fonts_module
from hecun_office.documents.fonts import ROLES, load_fonts
from hecun_office.services import documents, matters, templates
from hecun_office.services.matters import TransitionInput
from hecun_office.storage.models import Document
from hecun_office.storage.uow import Database
from hecun_office.ui.app import apply_look
from hecun_office.ui.context import UiContext
from hecun_office.ui.documents.action_dialogs import IssueDialog
from hecun_office.ui.settings.fonts_section import FontsSection, sample_family
from hecun_office.ui.tasks import TaskRunner

from .conftest import TODAY, pinned_today, visible_child

pytestmark = pytest.mark.gui
TT = Path("/usr/share/fonts/truetype")
ZENHEI, DEJAVU = TT / "wqy/wqy-zenhei.ttc", TT / "dejavu/DejaVuSans.ttf"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.wait()


@pytest.fixture
def no_system_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setattr(fonts_module, "system_font_dirs", lambda: [empty])
    fonts_module._load.cache_clear()
    yield
    fonts_module._load.cache_clear()


def section(qtbot, db: Database, runner: TaskRunner) -> FontsSection:
    apply_look(QApplication.instance())
    ctx = UiContext(db=db, today=pinned_today, actor=add_user(db, "zhang", "张晓", "clerk"), tasks=runner)
    widget = FontsSection(ctx)
    scroll = QScrollArea()  # as 设置 shows its tabs: inside the page's scroll area
    scroll.setWidgetResizable(True)
    scroll.setWidget(widget)
    qtbot.addWidget(scroll)  # pytest-qt keeps a weak reference: the section keeps its scroll area alive
    widget.host = scroll  # type: ignore[attr-defined]
    scroll.resize(1100, 980)
    scroll.show()  # the section reads the fonts when first shown: mounted as a tab, it needs no call from the page
    qtbot.waitUntil(lambda: len(widget.rows) == len(ROLES), timeout=20_000)
    return widget


def _stored() -> dict[str, str]:
    file = paths.data_dir() / "fonts.json"
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}


def test_each_role_shows_its_file_a_sample_in_that_font_and_the_glyph_check(qtbot, db, runner) -> None:
    if not ZENHEI.is_file():
        pytest.skip("no CJK font here")
    widget = section(qtbot, db, runner)
    fonts = load_fonts()
    for role in ROLES:
        box = widget.boxes[role]
        assert box.file.text() == str(fonts.path(role))
        assert fonts.label(role) in box.source.text() and "嵌入 PDF" in box.source.text()
        family = sample_family(fonts.path(role))
        assert box.sample.text().startswith("贺村司法所") and family  # Qt read the very file the PDF uses
        assert QFontInfo(box.sample.font()).family() == family
        assert box.glyphs.text() == "〔〕—：，。等标点齐全"
        assert not box.reset_button.isEnabled()  # nothing chosen yet: already the default
    SCREENSHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SCREENSHOTS / "settings-fonts.png"))


def test_choosing_a_file_uses_it_and_a_bad_file_changes_nothing(qtbot, db, runner, tmp_path) -> None:
    if not (ZENHEI.is_file() and DEJAVU.is_file()):
        pytest.skip("no CJK font here")
    widget = section(qtbot, db, runner)
    dialog = widget.open_file_dialog("仿宋")
    assert isinstance(dialog, QFileDialog) and "仿宋" in dialog.windowTitle()
    with qtbot.waitSignal(widget.message, timeout=20_000) as said:
        dialog.fileSelected.emit(str(ZENHEI))  # what the dialog sends when the clerk picks the file
    assert said.args[0].startswith("仿宋字体已改用") and "wqy-zenhei.ttc" in said.args[0]
    box = widget.boxes["仿宋"]
    qtbot.waitUntil(lambda: box.file.text() == str(ZENHEI))
    assert "设置中指定" in box.source.text() and box.reset_button.isEnabled()
    assert load_fonts().path("仿宋") == ZENHEI  # the next preview uses it, no restart
    assert _stored() == {"fonts.仿宋": str(ZENHEI)}

    bad = tmp_path / "仿宋.ttf"
    bad.write_text("这不是字体", encoding="utf-8")
    widget.choose_file("仿宋", bad)
    qtbot.waitUntil(lambda: box.error.isVisible(), timeout=10_000)
    assert "不是可用的 TrueType 字体文件" in box.error.text() and "设置未改变" in box.error.text()
    widget.choose_file("小标宋", DEJAVU)
    qtbot.waitUntil(lambda: widget.boxes["小标宋"].error.isVisible(), timeout=10_000)
    assert "不含简体中文字" in widget.boxes["小标宋"].error.text()
    assert _stored() == {"fonts.仿宋": str(ZENHEI)} and box.file.text() == str(ZENHEI)
    SCREENSHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SCREENSHOTS / "settings-fonts-refused.png"))

    with qtbot.waitSignal(widget.message, timeout=20_000) as said:
        box.reset_button.click()
    assert said.args[0].startswith("仿宋字体已恢复默认") and _stored() == {}
    qtbot.waitUntil(lambda: not box.reset_button.isEnabled())
    assert box.file.text() != str(ZENHEI)


def test_a_pc_without_chinese_fonts_says_so_per_role(qtbot, db, runner, no_system_fonts) -> None:
    widget = section(qtbot, db, runner)
    for role in ROLES:
        box = widget.boxes[role]
        assert "本机没有可用的中文 TrueType 字体" in box.file.text()
        assert "不嵌入 PDF" in box.source.text() and box.notes.isVisible()
        assert "“设置 → 字体”" in box.notes.text()
    SCREENSHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SCREENSHOTS / "settings-fonts-none.png"))


# -- 签发 ----------------------------------------------------------------------------------------------------------


def approved_advice(db: Database) -> tuple[int, UiContext]:
    clerk = add_user(db, "zhang", "张晓", "clerk")
    signer = add_user(db, "li", "李志明", "signer")
    template = next(t for t in templates.list_templates(db) if t.name == "占道经营处罚未告知陈述申辩权")
    data = templates.matter_from_template(template, TODAY - timedelta(days=3), [matters.list_units(db)[1].id])
    reg = matters.register_matter(db, clerk, data, today=TODAY)
    matters.transition_matter(db, clerk, reg.id, TransitionInput("start_verification", TODAY - timedelta(days=3)),
                              today=TODAY)
    values = documents.draft_values(db, "supervision_advice", reg.id, TODAY)
    doc = documents.create_draft(db, clerk, "supervision_advice", reg.id, values, TODAY)
    documents.submit(db, clerk, doc)
    documents.review(db, signer, doc, approve=True)
    return doc, UiContext(db=db, today=pinned_today, actor=signer, tasks=TaskRunner())


def _number(db: Database, doc_id: int) -> str | None:
    with db.uow() as session:
        row = session.get(Document, doc_id)
        assert row is not None
        return row.number


def test_issuing_with_an_unembedded_font_asks_the_signer_first(qtbot, db, no_system_fonts) -> None:
    doc_id, ctx = approved_advice(db)
    dialog = IssueDialog(ctx, documents.get_document(db, doc_id))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ok_button.click()
    box = visible_child(qtbot, dialog, QMessageBox)
    assert isinstance(box, QMessageBox) and box.objectName() == "unembeddedFontsBox"
    assert "不嵌入 PDF" in box.text() and "“设置 → 字体”" in box.text()
    yes = box.button(QMessageBox.StandardButton.Yes)
    assert yes.text() == "仍然签发" and not yes.isEnabled()  # nothing happens by pressing Enter
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert _number(db, doc_id) is None and dialog.isVisible()
    SCREENSHOTS.mkdir(exist_ok=True)
    box.grab().save(str(SCREENSHOTS / "issue-unembedded-fonts.png"))

    check = box.checkBox()
    assert isinstance(check, QCheckBox)
    check.setChecked(True)
    with qtbot.waitSignal(dialog.issued, timeout=20_000):
        yes.click()
    assert (_number(db, doc_id) or "").endswith("〔2026〕1号")
    ctx.tasks.wait()


def test_cancelling_the_question_issues_nothing(qtbot, db, no_system_fonts) -> None:
    doc_id, ctx = approved_advice(db)
    dialog = IssueDialog(ctx, documents.get_document(db, doc_id))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ok_button.click()
    box = visible_child(qtbot, dialog, QMessageBox)
    box.button(QMessageBox.StandardButton.Cancel).click()
    ctx.tasks.wait()
    assert _number(db, doc_id) is None and dialog.isVisible() and dialog.ok_button.isEnabled()
