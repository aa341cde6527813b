"""Root conftest: must run before any QApplication exists (STYLE.md, Tests)."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A write made by ui code on the GUI thread fails the test (STYLE.md habit 4; hecun_office.ui.app).
os.environ.setdefault("HECUN_OFFICE_STRICT_GUI_WRITES", "1")
# Tests never touch the clerk's real data directory.
os.environ.pop("HECUN_OFFICE_DB", None)
