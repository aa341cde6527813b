"""SPEC U-1: every text the UI shows goes through Qt's translation, and the translations ship with the package.

tools/translations.py makes resources/translations/*.ts and hecun_office/ui/translations/*.qm from the sources:
zh_CN (the identity: the texts are written in Chinese) and the pseudo-locale en_XA (every text ⟦wrapped⟧)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QCoreApplication, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from hecun_office.ui import locale as ui_locale
from hecun_office.ui.locale import install_translations, installed_locale, remove_translations

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path("/tmp/shots")
CELL_ROWS = 40  # table rows read on each page
# shown data that is not stored as such: document numbers (and texts quoting them), masked names and phones
DATA = re.compile(r"〔\d{4}〕\d+号|\*")

# Step 3's findings (the demo office in en_XA, every page and tab): Chinese texts shown without going through
# translation, beside the data. Shrinking this list is progress; a text not listed fails the test.
KNOWN_HARD_CODED = [
    # services' own sentences and values the UI shows as they come (not yet marked with domain.i18n)
    r"\d{4}-\d{2}-\d{2} 直接送达",  # ui/documents: served_on + method (services.documents.SERVICE_METHODS)
    r"〔〕—：，。等标点齐全",  # services.font_settings: the font's sample
    r"仿宋字体.*缺少简体字.*",  # documents.fonts: what a font lacks
    r"未找到小标宋字体.*",  # documents.fonts
    # the sample office of the live preview (documents/samples.py)
    r"江山市贺村镇",
]
# Vocabulary labels (statuses, sources, categories, roles, unit kinds: every Labelled member) that the UI shows
# through ``.label``/``row.*_label`` instead of hecun_office.ui.formatting.vocab_text. None left: keep it so.
VOCABULARY_LABELS_SHOWN_UNTRANSLATED = 0
CJK = re.compile(r"[\u3400-\u9fff]")


def _tools():
    spec = importlib.util.spec_from_file_location("translations_tool", ROOT / "tools" / "translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def locale_switch(qapp) -> Iterator[object]:
    """Install a locale for one test; afterwards the application's translations are as before."""
    app = qapp
    before = installed_locale(app)

    def switch(locale: str) -> None:
        assert install_translations(app, locale)

    yield switch
    remove_translations(app)
    if before:
        install_translations(app, before)


# ---- step 1: the pipeline ------------------------------------------------------------------------------------------

def test_the_committed_translations_are_up_to_date_with_the_sources() -> None:
    """A text added (or changed) in the UI without `python tools/translations.py` fails here."""
    tool = _tools()
    assert tool.stale() == [], "python tools/translations.py"


def test_every_message_is_in_both_catalogues_and_the_pseudo_one_is_marked() -> None:
    tool = _tools()
    found, problems = tool.extract()
    assert problems == []
    assert len(found) > 1000  # the UI's texts and the vocabularies' labels
    zh = tool.read_ts(tool.ts_path("zh_CN"))
    xa = tool.read_ts(tool.ts_path("en_XA"))
    assert set(zh) == set(xa) == set(found)
    assert all(zh[k] == k[1] for k in zh)
    assert all(xa[k] == f"⟦{k[1]}⟧" for k in xa)


def test_the_extractor_reads_contexts_through_constants_and_wrappers(tmp_path: Path) -> None:
    """What pyside6-lupdate cannot: contexts named by a module constant and texts passed through small wrappers."""
    tool = _tools()
    ui = tmp_path / "hecun_office" / "ui"
    ui.mkdir(parents=True)
    (ui / "__init__.py").write_text("")
    (ui / "words.py").write_text(
        'from PySide6.QtCore import QCoreApplication\n'
        'C = "words"\n'
        'def tr(text):\n    return QCoreApplication.translate(C, text)\n'
        'def tr2(context, text):\n    return QCoreApplication.translate(context, text)\n'
        'TITLE = QT_TRANSLATE_NOOP(C, "标题")\n', encoding="utf-8")
    (ui / "page.py").write_text(
        'from .words import tr, tr2\n'
        'class Page:\n'
        '    def build(self):\n'
        '        return [self.tr("页"), tr("词"), tr2("Other", "别处"), self.tr("同名", "动词")]\n',
        encoding="utf-8")
    found, problems = tool.extract(tmp_path / "hecun_office")
    assert problems == []
    assert set(found) == {("words", "标题", ""), ("Page", "页", ""), ("words", "词", ""), ("Other", "别处", ""),
                          ("Page", "同名", "动词")}


def test_the_qm_files_are_inside_the_package() -> None:
    """They ship in the wheel with the package's other files (hatch takes everything under hecun_office/)."""
    for name in ("hecun_office_zh_CN.qm", "hecun_office_en_XA.qm"):
        assert (ui_locale.TRANSLATIONS_DIR / name).stat().st_size > 10_000


def _english(dialog: QWidget) -> set[str]:
    """Visible words of a Qt dialog still in English: a label, button, group, tab or list entry with a word of
    Latin letters and no Chinese (paper sizes such as "JIS B5", file names and paths aside)."""
    texts: list[str] = []
    for child in dialog.findChildren(QWidget):
        if not child.isVisible():
            continue
        if isinstance(child, QLabel | QAbstractButton):
            texts.append(child.text())
        elif isinstance(child, QGroupBox):
            texts.append(child.title())
        elif isinstance(child, QTabWidget):
            texts += [child.tabText(i) for i in range(child.count())]
        texts.append(child.toolTip())
    return {t for t in texts if re.search(r"[A-Za-z]{3}", t) and not CJK.search(t)
            and not re.fullmatch(r"(JIS|ANSI|ISO) ?\w+|[/\\].*|\S+\.\w+", t)}


# ---- step 2: the translators -------------------------------------------------------------------------------------

def test_the_locale_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ui_locale.LOCALE_ENV, raising=False)
    assert ui_locale.chosen_locale() == "zh_CN"
    monkeypatch.setenv(ui_locale.LOCALE_ENV, "en_XA")
    assert ui_locale.chosen_locale() == "en_XA"


def test_the_pseudo_locale_translates_the_application_texts(locale_switch) -> None:
    locale_switch("en_XA")
    assert QCoreApplication.translate("MainWindowView", "切换用户") == "⟦切换用户⟧"
    locale_switch("zh_CN")
    assert QCoreApplication.translate("MainWindowView", "切换用户") == "切换用户"


def test_qt_message_box_buttons_are_chinese(qtbot, locale_switch) -> None:
    locale_switch("zh_CN")
    box = QMessageBox(QMessageBox.Icon.Question, "标题", "正文",
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    texts = {box.button(b).text().replace("&", "") for b in (QMessageBox.StandardButton.Ok,
                                                             QMessageBox.StandardButton.Cancel)}
    assert texts == {"确定", "取消"}, texts
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Close).text().replace("&", "").startswith("关闭")


def test_qt_file_dialog_is_chinese(qtbot, locale_switch) -> None:
    """The non-native file dialog (the one Qt draws itself, as on Linux desktops without a portal)."""
    locale_switch("zh_CN")
    dialog = QFileDialog(None, "选择工单文件", str(ROOT), "Excel 工作簿 (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.resize(760, 460)
    dialog.show()
    qtbot.waitExposed(dialog)
    labels = {w.text().replace("&", "") for w in dialog.findChildren(QLabel) if w.isVisible() and w.text()}
    assert {"查找范围(L)：", "文件名称(N)：", "文件类型(T)："} <= labels, labels
    assert _english(dialog) == set()
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    texts = sorted(b.text().replace("&", "") for b in box.buttons())
    assert texts[0] == "取消" and texts[1].startswith("打开"), texts  # 打开(&O)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(os.fspath(SHOTS / "file_dialog_zh.png"))
    dialog.close()


def test_qt_print_dialog_is_chinese(qtbot, locale_switch) -> None:
    locale_switch("zh_CN")
    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert _english(dialog) == set()
    dialog.close()


def test_the_composition_root_installs_the_chosen_locale() -> None:
    """application() installs the translations when it makes the QApplication (a fresh process, as at start)."""
    code = ("from PySide6.QtCore import QCoreApplication as Q\n"
            "from hecun_office.ui.app import application\n"
            "app = application()\n"
            "print(Q.translate('MainWindowView', '切换用户'), Q.translate('QPlatformTheme', 'Cancel'),\n"
            "      app.applicationDisplayName())\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HECUN_OFFICE_LOCALE="en_XA", PYTHONIOENCODING="utf-8")
    pseudo = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, encoding="utf-8",
                            check=True, cwd=ROOT)
    assert pseudo.stdout.split() == ["⟦切换用户⟧", "Cancel", "⟦行政执法协调监督工作台⟧"], pseudo.stderr
    env[ui_locale.LOCALE_ENV] = ""
    chinese = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                             encoding="utf-8", check=True, cwd=ROOT)
    assert chinese.stdout.split() == ["切换用户", "取消", "行政执法协调监督工作台"], chinese.stderr


# ---- step 4: the vocabularies' labels ------------------------------------------------------------------------------

def test_every_vocabulary_label_is_in_the_catalogue() -> None:
    from hecun_office.domain.i18n import LABELS
    tool = _tools()
    assert tool.LABELS_CONTEXT == LABELS
    catalogue = tool.read_ts(tool.ts_path("zh_CN"))
    assert {(LABELS, label, "") for label in _vocabulary_labels()} <= set(catalogue)


def test_vocabulary_labels_are_translated_where_the_ui_shows_them(locale_switch) -> None:
    from hecun_office.domain.lifecycle import Status
    from hecun_office.domain.vocab import Source
    from hecun_office.ui.formatting import vocab_choices, vocab_text
    locale_switch("en_XA")
    assert vocab_text(Status.RECTIFYING) == "⟦整改中⟧"
    assert vocab_text("整改中") == "⟦整改中⟧"  # a service row's status_label
    assert vocab_text("") == ""
    assert ("hotline", "⟦12345政务服务热线⟧") in vocab_choices(Source)
    assert Status.RECTIFYING.label == "整改中"  # what documents, ledgers and packets print is unchanged
    locale_switch("zh_CN")
    assert vocab_text(Status.RECTIFYING) == "整改中"


def test_hard_coded_is_what_lacks_the_pseudo_marker() -> None:
    assert hard_coded({"⟦切换用户⟧", "共 ⟦3⟧ 项", "新增的文字", "Cancel", "2026-11-20"}) == {"新增的文字"}


# ---- step 3: the pseudo-locale finds what does not go through translation ----------------------------------------

def _shown_texts(root: QWidget) -> set[str]:
    """Texts a clerk sees on the visible widgets under ``root``: labels, buttons, group titles, tabs, headers, list
    entries, placeholders and tooltips."""
    texts: set[str] = set()
    for child in [root, *root.findChildren(QWidget)]:
        if not child.isVisible():
            continue
        if isinstance(child, QLabel | QAbstractButton):
            texts.add(child.text())
        if isinstance(child, QGroupBox):
            texts.add(child.title())
        if isinstance(child, QTabBar):
            texts |= {child.tabText(i) for i in range(child.count())}
        if isinstance(child, QHeaderView) and child.model() is not None:
            model = child.model()
            count = model.columnCount() if child.orientation() == Qt.Orientation.Horizontal else 0
            texts |= {str(model.headerData(i, child.orientation(), Qt.ItemDataRole.DisplayRole) or "")
                      for i in range(count)}
        if isinstance(child, QListWidget):
            texts |= {child.item(i).text() for i in range(child.count())}
        if isinstance(child, QComboBox):
            texts |= {child.itemText(i) for i in range(child.count())}
        if isinstance(child, QAbstractItemView) and not isinstance(child, QListWidget | QHeaderView) \
                and child.model() is not None:
            model = child.model()
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()  # a list model's is private
            texts |= {str(model.index(r, c).data() or "") for r in range(min(model.rowCount(), CELL_ROWS))
                      for c in range(columns)}
        if isinstance(child, QLineEdit | QPlainTextEdit | QTextEdit):
            texts.add(child.placeholderText())
        texts.add(child.toolTip())
        if child.isWindow():
            texts.add(child.windowTitle())
    return {t for t in texts if t}


def hard_coded(texts: set[str]) -> set[str]:
    """Chinese texts without the pseudo-locale's ⟦…⟧: they did not pass through translation."""
    return {t for t in texts if CJK.search(t) and "⟦" not in t}


def _settled(qtbot, win: QWidget) -> set[str]:
    """The texts once the page has finished loading (its reads run off the GUI thread): the same three times
    100 ms apart, or what there is after five seconds."""
    last: set[str] = set()
    same = 0
    for _ in range(50):
        qtbot.wait(100)
        now = _shown_texts(win)
        same = same + 1 if now == last else 0
        if same == 2:
            break
        last = now
    return last


def _walk(qtbot, win: QWidget) -> set[str]:
    seen = _settled(qtbot, win)
    navigation: QListWidget = win.navigation  # type: ignore[attr-defined]
    for row in range(navigation.count()):
        navigation.setCurrentRow(row)
        seen |= _settled(qtbot, win)
        for tabs in [w for w in win.findChildren(QTabWidget) if w.isVisible()]:
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                seen |= _settled(qtbot, win)
    return seen


@pytest.mark.xdist_group("demo")
def test_the_pseudo_locale_leaves_no_hard_coded_text(qtbot, locale_switch, demo_template, tmp_path) -> None:
    """The demo office's window in en_XA, every page and tab walked."""
    from db_copies import demo_copy

    from hecun_office.services.setup import default_actor
    from hecun_office.storage.opening import open_database
    from tests.ui.conftest import open_window
    locale_switch("en_XA")
    db = open_database(f"sqlite:///{demo_copy(demo_template, tmp_path / 'demo.sqlite3')}")
    win = open_window(qtbot, db, default_actor(db))
    win.resize(1366, 768)
    try:
        found = hard_coded(_walk(qtbot, win))
        data = _stored_texts(db)
    finally:
        win.close()
        db.dispose()
    left = {t for t in found if not _is_data(t, data)}
    labels = left & _vocabulary_labels()
    others = left - labels
    unknown = {t for t in others if not any(re.fullmatch(p, t) for p in KNOWN_HARD_CODED)}
    assert unknown == set(), f"shown without translation (wrap them in tr(), or translate at the UI boundary): {unknown}"
    assert len(labels) <= VOCABULARY_LABELS_SHOWN_UNTRANSLATED, sorted(labels)
    gone = [p for p in KNOWN_HARD_CODED if not any(re.fullmatch(p, t) for t in others)]
    assert gone == [], f"no longer shown untranslated, take them out of KNOWN_HARD_CODED: {gone}"
    if len(labels) < VOCABULARY_LABELS_SHOWN_UNTRANSLATED:
        pytest.fail(f"progress: lower VOCABULARY_LABELS_SHOWN_UNTRANSLATED to {len(labels)}")


def _stored_texts(db) -> set[str]:
    """Every text the database holds (names, titles, numbers, profile): data, shown as entered, not UI texts."""
    from sqlalchemy import column, inspect, select, table
    texts: set[str] = set()
    with db.engine.connect() as connection:
        inspector = inspect(connection)
        for name in inspector.get_table_names():
            columns = [c["name"] for c in inspector.get_columns(name)]
            for row in connection.execute(select(*[column(c) for c in columns]).select_from(table(name))):
                texts |= {v for v in row if isinstance(v, str) and CJK.search(v) and len(v) < 200}
    return texts


def _is_data(text: str, data: set[str]) -> bool:
    return text in data or bool(DATA.search(text))


def _vocabulary_labels() -> set[str]:
    import hecun_office.domain.documents
    import hecun_office.domain.lifecycle
    import hecun_office.domain.obligations
    import hecun_office.services.county
    import hecun_office.services.packet_import  # noqa: F401 - every module with a Labelled class
    from hecun_office.domain.vocab import Labelled

    def members(cls: type) -> set[str]:
        return {m.label for m in cls} | {t for sub in cls.__subclasses__() for t in members(sub)}

    return members(Labelled)
