"""STYLE.md habit 10: lint and strict typing are part of the test suite, so CI enforces them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing() -> None:
    proc = _run("ruff", "check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_whole_package_type_checks() -> None:
    """mypy over all of hecun_office: strict on domain, workdays and services (pyproject), checked everywhere else."""
    proc = _run("mypy", "hecun_office")
    assert proc.returncode == 0, proc.stdout + proc.stderr
