"""STYLE.md "The house": Qt only under hecun_office/ui/, and the UI calls services, never a Session."""

from __future__ import annotations

import ast
from pathlib import Path

import hecun_office

PACKAGE = Path(hecun_office.__file__).resolve().parent
UI = PACKAGE / "ui"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


def test_qt_is_imported_under_ui_only():
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                 if UI not in p.parents and any(m.split(".")[0] in ("PySide6", "shiboken6")
                                                for m in imported_modules(p))]
    assert offenders == []


def test_ui_does_not_touch_the_database_directly():
    # the Database type; the composition root opens it, takes the single-instance lock and needs the file name
    allowed_storage = {"...storage.uow", "..storage.uow", "..storage.opening", "..storage.lock", "..storage.engine"}
    for path in UI.rglob("*.py"):
        for module in imported_modules(path):
            assert not module.startswith("sqlalchemy"), path
            if "storage" in module:
                assert module in allowed_storage, (path, module)
                assert module not in {"..storage.opening", "..storage.lock", "..storage.engine"} or path.name == "app.py", path
