"""What may import what (STYLE.md, "The house"), checked on the source with ``ast``: the one layering test.

Every import counts, including the lazy ones inside functions: a Qt import in a service is a Qt import
whether it runs at start or on the first click.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "hecun_office"
# Our code outside the package: Alembic's environment and migrations, benchmarks, installer scripts.
OTHER_SOURCE = [ROOT / "db", ROOT / "bench", ROOT / "installer"]
# Calls that have no place in the application: archives are unpacked member by member with checked names
# (packets, S-*), and deadlines come from WorkCalendar, not from chinese-calendar's own arithmetic (T-2).
FORBIDDEN_CALLS = {"extractall", "unpack_archive", "find_workday"}


def _python_files(*roots: Path) -> Iterator[Path]:
    for root in roots:
        if root.is_dir():
            yield from sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
        elif root.suffix == ".py" and root.is_file():
            yield root


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) for every import in the file; relative imports resolved."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                if node.level > 1:
                    base_parts = base_parts[:-(node.level - 1)]
                base = ".".join(base_parts)
            else:
                base = ""
            target = ".".join(p for p in (base, node.module or "") if p)
            if node.module:
                yield node.lineno, target
            # ``from . import x`` / ``from hecun_office import ui`` import submodules by name.
            for alias in node.names:
                if alias.name != "*":
                    yield node.lineno, f"{target}.{alias.name}"


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_resolver_understands_relative_imports() -> None:
    """Guard for the checks below: relative imports resolve to the names they really import."""
    source = PACKAGE / "services" / "matters.py"
    names = {name for _, name in _imports(source)}
    assert "hecun_office.domain.errors" in names
    assert "hecun_office.storage.models" in names
    assert "hecun_office.services.audit" in names  # from . import audit
    ui_names = {name for p in _python_files(PACKAGE / "ui") for _, name in _imports(p)}
    assert any(_within(n, "PySide6") for n in ui_names), "the Qt check below would see nothing"


def test_pyside6_only_under_ui() -> None:
    ui = PACKAGE / "ui"
    offenders = [f"{_rel(p)}:{line} imports {name}"
                 for p in _python_files(PACKAGE, ROOT / "db")
                 if ui not in p.parents
                 for line, name in _imports(p)
                 if _within(name, "PySide6") or _within(name, "shiboken6")]
    assert offenders == [], "PySide6 belongs under hecun_office/ui/ only:\n" + "\n".join(offenders)


@pytest.mark.parametrize("layer", ["domain", "workdays"])
def test_pure_layers_import_nothing_of_ours(layer: str) -> None:
    own = f"hecun_office.{layer}"
    offenders = [f"{_rel(p)}:{line} imports {name}"
                 for p in _python_files(PACKAGE / layer)
                 for line, name in _imports(p)
                 if _within(name, "hecun_office") and not _within(name, own)]
    assert offenders == [], f"{own} must stand alone:\n" + "\n".join(offenders)


# What ui/ may import from our package: it calls services and shows results. Domain values (errors, vocabularies,
# permissions) and the pure calendar (weekday names, a pasted notice parsed for its preview) are data, and so are
# the form declarations read from forms/*.toml that the editor builds its fields from. Storage, sync, ledgers,
# documents' layout (reportlab), files and paths are the services' business.
UI_MAY_IMPORT = ("hecun_office.ui", "hecun_office.services", "hecun_office.domain", "hecun_office.workdays",
                 "hecun_office.documents.forms")
# The composition root wires the concrete pieces: it opens the database (with the integrity check the command
# line started early) and holds the single-instance lock.
COMPOSITION_ROOT = {"hecun_office/ui/app.py": ("hecun_office.storage.opening", "hecun_office.storage.lock",
                                               "hecun_office.storage.engine", "hecun_office.storage.uow",
                                               "hecun_office.storage.peek")}
# Libraries ui/ never uses itself: no Session, no reportlab canvas, no spreadsheet building.
UI_NEVER_IMPORTS = ("sqlalchemy", "alembic", "reportlab", "openpyxl")
# Imports still waiting for their change, each (file, module). The test fails once one is gone, so the list
# only shrinks.
UI_NOT_YET: set[tuple[str, str]] = set()


def _ui_imports() -> Iterator[tuple[str, int, str]]:
    """(file, line, module) for every import in ui/ of our package, names imported from a module folded into it."""
    for path in _python_files(PACKAGE / "ui"):
        for line, name in _imports(path):
            if _within(name, "hecun_office"):
                yield _rel(path), line, _module_of(name)


def _module_of(name: str) -> str:
    """``hecun_office.storage.uow.Database`` → ``hecun_office.storage.uow``: the longest prefix that is a file or
    package of ours (``from . import x`` names modules, ``from .m import x`` names objects)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ROOT.joinpath(*parts[:end])
        if candidate.with_suffix(".py").is_file() or (candidate / "__init__.py").is_file():
            return ".".join(parts[:end])
    return name


def test_ui_imports_only_what_it_may() -> None:
    offenders = set()
    for file, line, module in _ui_imports():
        allowed = UI_MAY_IMPORT + COMPOSITION_ROOT.get(file, ())
        if not any(_within(module, prefix) for prefix in allowed) and module != "hecun_office" \
                and (file, module) not in UI_NOT_YET:
            offenders.add(f"{file}:{line} imports {module}")
    assert sorted(offenders) == [], ("ui/ calls services and shows results; route these through hecun_office.services "
                             "(a re-export is fine for a type):\n" + "\n".join(offenders))


def test_ui_allow_list_has_no_stale_entries() -> None:
    seen = {(file, module) for file, _line, module in _ui_imports()}
    stale = sorted(UI_NOT_YET - seen)
    assert stale == [], "fixed, so take them off UI_NOT_YET in tests/test_layering.py:\n" + "\n".join(map(str, stale))


def test_ui_never_touches_a_session_or_a_canvas() -> None:
    offenders = [f"{_rel(p)}:{line} imports {name}"
                 for p in _python_files(PACKAGE / "ui")
                 for line, name in _imports(p)
                 if any(_within(name, library) for library in UI_NEVER_IMPORTS)]
    assert offenders == [], "\n".join(offenders)


def test_ui_check_sees_a_violation() -> None:
    """Guard: the resolver folds names into modules, and a storage import in a view would be caught."""
    assert _module_of("hecun_office.storage.uow.Database") == "hecun_office.storage.uow"
    assert _module_of("hecun_office.services") == "hecun_office.services"
    assert _module_of("hecun_office.paths") == "hecun_office.paths"
    assert not any(_within("hecun_office.storage.uow", prefix) for prefix in UI_MAY_IMPORT)
    assert any(file == "hecun_office/ui/app.py" for file, _line, _module in _ui_imports())


def test_services_never_import_ui() -> None:
    offenders = [f"{_rel(p)}:{line} imports {name}"
                 for p in _python_files(PACKAGE / "services")
                 for line, name in _imports(p)
                 if _within(name, "hecun_office.ui")]
    assert offenders == [], "services are called by the UI, never the other way round:\n" + "\n".join(offenders)


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def test_no_forbidden_calls_outside_tests() -> None:
    offenders = []
    for path in _python_files(PACKAGE, *OTHER_SOURCE, ROOT / "conftest.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node) in FORBIDDEN_CALLS:
                offenders.append(f"{_rel(path)}:{node.lineno} calls {_called_name(node)}()")
            # A function passed around or aliased is still the same call waiting to happen.
            elif isinstance(node, ast.ImportFrom) and any(a.name in FORBIDDEN_CALLS for a in node.names):
                offenders.append(f"{_rel(path)}:{node.lineno} imports {[a.name for a in node.names]}")
    assert offenders == [], "\n".join(offenders)


def test_forbidden_call_check_sees_attribute_and_bare_calls() -> None:
    tree = ast.parse("import shutil, tarfile\ntarfile.open('x').extractall('y')\nshutil.unpack_archive('a')\n"
                     "find_workday(3)\n")
    called = {_called_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert FORBIDDEN_CALLS <= called
