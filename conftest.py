"""Root conftest: must run before any QApplication exists (STYLE.md, Tests)."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch the clerk's real data directory.
os.environ.pop("HECUN_OFFICE_DB", None)
