"""workdays imports only the standard library, chinese_calendar and lunardate (STYLE.md: data in, dates out)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import hecun_office.workdays

PACKAGE = Path(hecun_office.workdays.__file__).parent
ALLOWED = set(sys.stdlib_module_names) | {"chinese_calendar", "lunardate"}


def test_imports_are_pure() -> None:
    offenders: list[str] = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] not in ALLOWED]
    assert offenders == []
