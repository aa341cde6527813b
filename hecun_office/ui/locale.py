"""The UI's language (SPEC U-1): the application's translation and Qt's own, installed once at start.

The texts are written in Simplified Chinese, so zh_CN is the identity translation; it ships all the same, with Qt's
qtbase_zh_CN (standard buttons 确定/取消, the non-native file dialog, the print dialog), so that these are Chinese on
every platform whatever the system's language. ``HECUN_OFFICE_LOCALE=en_XA`` selects the pseudo-locale that
tools/translations.py generates (every text ⟦wrapped⟧): what is shown unwrapped does not go through translation.
The .qm files are made by ``python tools/translations.py`` from resources/translations/*.ts.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

LOCALE_ENV = "HECUN_OFFICE_LOCALE"
DEFAULT_LOCALE = "zh_CN"
PSEUDO_LOCALE = "en_XA"
APP_CATALOG = "hecun_office"
QT_SUPPLEMENT_CATALOG = "hecun_qtbase"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
_INSTALLED = "hecun_locale"  # application property: the locale installed
_QT_TRANSLATED = "hecun_qt_translated"  # read by app.install_qt_translations, which then leaves Qt's alone

_translators: list[QTranslator] = []


def chosen_locale() -> str:
    return os.environ.get(LOCALE_ENV, "").strip() or DEFAULT_LOCALE


def installed_locale(app: QCoreApplication) -> str | None:
    value = app.property(_INSTALLED)
    return value if isinstance(value, str) and value else None


def install_translations(app: QCoreApplication, locale: str | None = None) -> bool:
    """Install the application's translation for ``locale`` (default: HECUN_OFFICE_LOCALE, else zh_CN) and Qt's
    own for that language, replacing what an earlier call installed. Idempotent; False when the application's
    translation for the locale was not found (the Chinese source texts are shown then)."""
    wanted = locale or chosen_locale()
    if installed_locale(app) == wanted:
        return True
    remove_translations(app)
    found = True
    # Qt's first: the translator installed last is asked first, and the application's texts take precedence
    qt = QTranslator(app)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(QLocale(wanted), "qtbase", "_", qt_folder):
        app.installTranslator(qt)
        _translators.append(qt)
    elif wanted != PSEUDO_LOCALE:
        log.warning("没有找到 Qt 自带的界面翻译 qtbase_%s（%s），系统对话框将显示英文", wanted, qt_folder)
    supplement = QTranslator(app)  # what Qt's catalogue misses (tools/translations.py QT_SUPPLEMENT)
    if supplement.load(f"{QT_SUPPLEMENT_CATALOG}_{wanted}", str(TRANSLATIONS_DIR)):
        app.installTranslator(supplement)
        _translators.append(supplement)
    own = QTranslator(app)
    if own.load(f"{APP_CATALOG}_{wanted}", str(TRANSLATIONS_DIR)):
        app.installTranslator(own)
        _translators.append(own)
    else:
        log.warning("没有找到界面翻译 %s_%s.qm（%s）", APP_CATALOG, wanted, TRANSLATIONS_DIR)
        found = False
    app.setProperty(_INSTALLED, wanted)
    app.setProperty(_QT_TRANSLATED, True)
    return found


def remove_translations(app: QCoreApplication) -> None:
    """Take out what install_translations installed (tests switch locales within one application)."""
    while _translators:
        translator = _translators.pop()
        app.removeTranslator(translator)
        translator.deleteLater()
    app.setProperty(_INSTALLED, "")
    app.setProperty(_QT_TRANSLATED, False)
