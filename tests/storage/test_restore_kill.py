"""Issue 15 item 1: a restore killed at any step leaves a whole database — the one before or the one restored —
and the next opening finishes or undoes what the restore left beside it; it never sets up an empty database where a
restore was interrupted.

The kills are real process deaths (``os._exit`` in a child process, no ``finally`` runs) placed before each file
operation the restore makes, one run per operation, so every intermediate state on the disk is reached."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hecun_office.domain.errors import EnvironmentProblem
from hecun_office.storage.backup import backup_file, restore_sqlite
from hecun_office.storage.lock import InstanceLock
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database

# Runs restore_database in a child that dies, as under kill -9, just before its N-th file operation.
CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path

    from hecun_office.services.backups import restore_database

    stop_at, calls = int(sys.argv[3]), [0]

    def dying(real):
        def call(*args, **kwargs):
            calls[0] += 1
            if calls[0] == stop_at:
                os._exit(9)
            return real(*args, **kwargs)
        return call

    for name in ("fsync", "link", "replace", "rename", "unlink"):
        setattr(os, name, dying(getattr(os, name)))
    restore_database(Path(sys.argv[2]), Path(sys.argv[1]))
    print("done", calls[0])
""")


def _name(file: Path) -> str:
    con = sqlite3.connect(file)
    try:
        return str(con.execute("SELECT name FROM office_profile").fetchone()[0])
    finally:
        con.close()


def _rename_office(file: Path, name: str) -> None:
    con = sqlite3.connect(file)
    try:
        with con:
            con.execute("UPDATE office_profile SET name = ?", (name,))
    finally:
        con.close()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".restoring", ".restore-plan", ".part")))


def test_a_restore_killed_before_any_of_its_file_operations_leaves_the_old_or_the_restored_database(
        db: Database, tmp_path: Path) -> None:
    live = db.file
    assert live is not None
    db.dispose()
    backup = backup_file(live, "manual")
    restored_name = _name(live)
    _rename_office(live, "改名后的司法所")  # the state the restore replaces
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    states = []
    for stop_at in range(1, 200):
        _rename_office(live, "改名后的司法所")
        run = subprocess.run([sys.executable, "-c", CHILD, str(backup), str(live), str(stop_at)], env=env,
                             capture_output=True, text=True, timeout=60)
        assert run.returncode in (0, 9), run.stderr
        assert live.is_file(), f"no database after a kill before file operation {stop_at}"
        reopened = open_database(f"sqlite:///{live}", create=False)  # the next start
        reopened.dispose()
        assert _leftovers(live.parent) == [], stop_at
        with sqlite3.connect(live) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        states.append(_name(live))
        assert states[-1] in ("改名后的司法所", restored_name), stop_at
        if run.returncode == 0:
            break
    else:
        pytest.fail("the restore never finished")
    assert len(states) > 5  # every step was reached
    assert states[-1] == restored_name
    assert "改名后的司法所" in states  # killed early, the old database stays
    # Every replaced database is kept under its own name, none overwritten by a later restore in the same second.
    kept = sorted(live.parent.glob("office-replaced-*.sqlite3"))
    assert kept and all(_name(k) == "改名后的司法所" for k in kept)


def test_two_restores_in_the_same_second_keep_both_replaced_databases(db: Database) -> None:
    live = db.file
    assert live is not None
    db.dispose()
    backup = backup_file(live, "manual")
    _rename_office(live, "第一次")
    first = restore_sqlite(backup, live)
    _rename_office(live, "第二次")
    second = restore_sqlite(backup, live)
    assert first is not None and second is not None and first != second
    assert (_name(first), _name(second)) == ("第一次", "第二次")


def test_a_lost_database_with_an_unfinished_restore_copy_is_not_set_up_afresh(db: Database) -> None:
    """What the restore before issue 15 left when killed during its copy: the live file moved aside, half a copy."""
    live = db.file
    assert live is not None
    db.dispose()
    aside = live.with_name("office-replaced-20261201-101500.sqlite3")
    live.replace(aside)
    live.with_name(live.name + ".restoring").write_bytes(aside.read_bytes()[: 8192])
    with pytest.raises(EnvironmentProblem) as refused:
        open_database(f"sqlite:///{live}")  # the GUI's opening, which may create
    assert "不会新建空数据库" in refused.value.message and aside.name in refused.value.message
    assert not live.exists()


def test_a_restore_is_finished_by_the_next_opening_once_decided(db: Database) -> None:
    """Killed after its plan was written (the copy checked, the safety copy named), the next opening completes it."""
    live = db.file
    assert live is not None
    db.dispose()
    restored_name = _decided_but_unfinished(live)
    assert _name(live) == "改名后的司法所"
    open_database(f"sqlite:///{live}", create=False).dispose()
    assert _name(live) == restored_name


def _decided_but_unfinished(live: Path) -> str:
    """A restore killed right after its plan was written; returns the office name the restore brings back."""
    backup = backup_file(live, "manual")
    restored_name = _name(live)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for stop_at in range(1, 200):
        _rename_office(live, "改名后的司法所")
        subprocess.run([sys.executable, "-c", CHILD, str(backup), str(live), str(stop_at)], env=env,
                       capture_output=True, timeout=60)
        if live.with_name(live.name + ".restore-plan").exists():
            return restored_name
    pytest.fail("no kill left a decided restore")


def test_the_leftovers_wait_while_another_program_holds_the_database_and_not_while_this_one_does(
        db: Database) -> None:
    """Another process holding the lock may be the restore itself, still at work: its files are not touched. The
    window holds the lock while it opens the database (app.run_gui), and then the opening finishes the restore."""
    live = db.file
    assert live is not None
    db.dispose()
    restored_name = _decided_but_unfinished(live)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    holder = subprocess.Popen([sys.executable, "-c", "import sys; from pathlib import Path; "
                               "from hecun_office.storage.lock import InstanceLock; "
                               f"lock = InstanceLock(Path({str(live)!r})); lock.acquire(); print('held', flush=True); "
                               "sys.stdin.read()"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        open_database(f"sqlite:///{live}", create=False).dispose()
        assert live.with_name(live.name + ".restore-plan").exists() and _name(live) == "改名后的司法所"
    finally:
        holder.communicate("")
    with InstanceLock(live):  # as the window opens it
        open_database(f"sqlite:///{live}", create=False).dispose()
    assert _name(live) == restored_name and _leftovers(live.parent) == []
