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
from PySide6.QtCore import QCoreApplication
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from hecun_office.ui import locale as ui_locale
from hecun_office.ui.locale import install_translations, installed_locale, remove_translations

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path("/tmp/shots")
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
            "print(Q.translate('MainWindowView', '切换用户'), Q.translate('QPlatformTheme', 'Cancel'))\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HECUN_OFFICE_LOCALE="en_XA", PYTHONIOENCODING="utf-8")
    pseudo = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, encoding="utf-8",
                            check=True, cwd=ROOT)
    assert pseudo.stdout.split() == ["⟦切换用户⟧", "Cancel"], pseudo.stderr
    env[ui_locale.LOCALE_ENV] = ""
    chinese = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                             encoding="utf-8", check=True, cwd=ROOT)
    assert chinese.stdout.split() == ["切换用户", "取消"], chinese.stderr
