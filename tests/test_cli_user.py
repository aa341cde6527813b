"""Issue 15 item 9 (SPEC U-6): a command that writes acts as a named account with its password — the login's
checks, the account's role, its name in the audit log — and refuses without one; `keys reset` asks first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from hecun_office.cli import main
from hecun_office.services import exchange_keys as ek
from hecun_office.services.calendar import load_calendar
from hecun_office.services.users import create_account
from hecun_office.storage.models import AuditEntry
from hecun_office.storage.uow import Database

DAY = "2026-03-09"  # a Monday: a working day until overridden


def _run(capsys: pytest.CaptureFixture[str], db: Database, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(db.file), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _override(capsys: pytest.CaptureFixture[str], db: Database, *before: str) -> tuple[int, str, str]:
    return _run(capsys, db, *before, "calendar", "override", DAY, "rest", "--reason", "停电")


def _is_workday(db: Database) -> bool:
    with db.uow() as session:
        return load_calendar(session).is_workday(date.fromisoformat(DAY))


@pytest.fixture(autouse=True)
def _no_account_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HECUN_OFFICE_USER", raising=False)
    monkeypatch.delenv("HECUN_OFFICE_PASSWORD", raising=False)


def test_a_writing_command_without_an_account_refuses_and_changes_nothing(
        db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _override(capsys, db)
    assert code == 2 and "--user" in err and "HECUN_OFFICE_PASSWORD" in err
    assert _is_workday(db)
    code, _, err = _override(capsys, db, "--user", "admin")  # a name but no terminal to ask the password on
    assert code == 2 and "没有可输入密码的终端" in err and _is_workday(db)


def test_the_account_named_is_logged_in_its_role_applied_and_named_in_the_audit_log(
        db: Database, admin, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    create_account(db, admin, "zhao", "赵敏", "admin", "secret2")
    monkeypatch.setenv("HECUN_OFFICE_PASSWORD", "wrong-one")
    code, _, err = _override(capsys, db, "--user", "zhao")
    assert code == 1 and "用户名或密码不正确" in err and _is_workday(db)
    monkeypatch.setenv("HECUN_OFFICE_PASSWORD", "secret1")
    code, _, err = _override(capsys, db, "--user", "wang")  # the clerk may not change the calendar (U-6)
    assert code == 1 and _is_workday(db), err
    monkeypatch.setenv("HECUN_OFFICE_USER", "zhao")  # the environment names the account, as a script would
    monkeypatch.setenv("HECUN_OFFICE_PASSWORD", "secret2")
    code, out, err = _override(capsys, db)
    assert code == 0 and not _is_workday(db), err
    with db.uow() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert last.actor == "赵敏"


def test_keys_reset_asks_before_it_breaks_the_exchange(db: Database, capsys: pytest.CaptureFixture[str],
                                                       cli_user) -> None:
    cli_user("admin", "secret1")
    before = ek.own_key(db).fingerprint
    code, _, err = _run(capsys, db, "keys", "reset")
    assert code == 1 and "未重置" in err and ek.own_key(db).fingerprint == before
    code, out, _ = _run(capsys, db, "keys", "reset", "--yes")
    assert code == 0 and ek.own_key(db).fingerprint != before


def test_reading_commands_and_setup_need_no_account(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.sqlite3"
    assert main(["--db", str(path), "setup", "--password", "secret1"]) == 0
    for argv in (["check"], ["calendar", "coverage"], ["keys", "show"], ["packet", "history"]):
        assert main(["--db", str(path), *argv]) == 0, argv
    capsys.readouterr()
