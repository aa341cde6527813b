"""Issue 10, cold start: commands that need no database import no storage code.

Each command runs in a fresh interpreter, which then lists what it imported; SQLAlchemy, Alembic, our storage
layer and the services (which all sit on storage) must not be among them, nor Qt.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from hecun_office import cli
from hecun_office.cli import main

FORBIDDEN = ("sqlalchemy", "alembic", "hecun_office.storage", "hecun_office.services", "PySide6", "psycopg")
ADVICE = {"unit": "贺村镇综合行政执法队", "title": "占道经营处罚未告知陈述申辩权",
          "facts": "经查，该队作出处罚决定前未告知当事人陈述、申辩的权利。", "legal_basis": "《中华人民共和国行政处罚法》第四十四条"}

RUN_AND_LIST = """
import json, sys
from hecun_office.cli import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


def imported_by(tmp_path: Path, *argv: str) -> list[str]:
    listing = tmp_path / "modules.json"
    proc = subprocess.run([sys.executable, "-c", RUN_AND_LIST, str(listing), *argv], capture_output=True, text=True,
                          encoding="utf-8", check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(listing.read_text(encoding="utf-8"))
    assert result["code"] == 0, proc.stderr
    modules: list[str] = result["modules"]
    return modules


def storage_modules(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "advice.json"
    path.write_text(json.dumps(ADVICE, ensure_ascii=False), encoding="utf-8")
    return path


def test_render_imports_no_storage_code(tmp_path: Path, data: Path) -> None:
    pytest.importorskip("hecun_office.documents.gbt9704")
    missing_db, out = tmp_path / "none.sqlite3", tmp_path / "advice.pdf"
    modules = imported_by(tmp_path, "--db", str(missing_db), "render", "supervision_advice", "--data", str(data),
                          "--out", str(out))
    assert "hecun_office.documents.gbt9704" in modules  # it did render (guards against a vacuous pass)
    assert storage_modules(modules) == []
    assert out.read_bytes().startswith(b"%PDF") and not missing_db.exists()


@pytest.mark.parametrize("argv", [["forms", "list"], ["forms", "show", "supervision_advice", "--json"],
                                  ["workdays", "add", "2026-02-15", "3", "--json"],
                                  ["workdays", "period", "2026-12-30", "10"]], ids=" ".join)
def test_commands_without_a_database_import_no_storage_code(tmp_path: Path, argv: list[str]) -> None:
    missing_db = tmp_path / "none.sqlite3"
    modules = imported_by(tmp_path, "--db", str(missing_db), *argv)
    assert storage_modules(modules) == []
    assert not missing_db.exists()  # nor do they create the database


def test_a_set_up_database_is_still_read_through_storage(tmp_path: Path, data: Path) -> None:
    """The guard above is not vacuous: with a database present the same command does load storage."""
    db = tmp_path / "office.sqlite3"
    assert main(["--db", str(db), "setup", "--password", "secret1"]) == 0
    modules = imported_by(tmp_path, "--db", str(db), "workdays", "add", "2026-02-15", "3")
    assert "hecun_office.storage.opening" in modules and "sqlalchemy" in modules


def test_the_default_office_of_a_draft_is_the_set_up_default(tmp_path: Path) -> None:
    from hecun_office.services.setup import default_profile

    # every value a document can print; the units a profile may seed (issue 12 item 1) are not printed
    printed = {k: v for k, v in asdict(default_profile()).items() if k != "units"}
    assert cli._DEFAULT_OFFICE == printed


@pytest.mark.parametrize("argv", [["workdays", "add", "2026-02-15", "3", "--json"],
                                  ["workdays", "add", "2026-12-30", "3", "--json"],  # into a year not yet published
                                  ["workdays", "period", "2026-09-28", "10", "--json"],
                                  ["workdays", "add", "2004-12-30", "5"]])
def test_deadlines_without_a_database_are_those_of_a_new_database(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                 argv: list[str]) -> None:
    db = tmp_path / "w.sqlite3"
    assert main(["--db", str(db), *argv]) == 0
    without = capsys.readouterr().out
    assert not db.exists()
    assert main(["--db", str(db), "setup", "--password", "secret1"]) == 0  # creates and seeds the database
    capsys.readouterr()
    assert db.exists()
    assert main(["--db", str(db), *argv]) == 0
    assert capsys.readouterr().out == without


def test_render_on_a_set_up_database_reads_the_profile_without_the_orm(tmp_path: Path, data: Path) -> None:
    """A clerk's PC has a database: the letterhead comes from its profile, read with the standard library only."""
    from dataclasses import fields

    from pypdf import PdfReader

    from hecun_office.services.setup import ProfileView
    from hecun_office.storage.peek import PROFILE_COLUMNS

    assert PROFILE_COLUMNS == tuple(f.name for f in fields(ProfileView))  # the same row read_profile gives
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"name": "上余司法所", "abbr": "上司", "code": "shangyu", "township": "上余镇"},
                                  ensure_ascii=False), encoding="utf-8")
    db, out = tmp_path / "office.sqlite3", tmp_path / "advice.pdf"
    assert main(["--db", str(db), "setup", "--profile", str(profile), "--password", "secret1"]) == 0
    modules = imported_by(tmp_path, "--db", str(db), "render", "supervision_advice", "--data", str(data),
                          "--out", str(out))
    assert "hecun_office.storage.peek" in modules  # it did read the database
    assert [m for m in storage_modules(modules) if m not in ("hecun_office.storage", "hecun_office.storage.peek")] == []
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "上余司法所" in text and "贺村司法所" not in text


def test_a_profile_that_cannot_be_peeked_goes_through_storage(tmp_path: Path) -> None:
    from hecun_office.storage.peek import peek_profile

    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all" * 100)
    assert peek_profile(broken) is None
    assert peek_profile(tmp_path / "missing.sqlite3") is None and not (tmp_path / "missing.sqlite3").exists()
