"""N-1: a second program instance on the same database is refused with a clear message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hecun_office.domain.errors import EnvironmentProblem
from hecun_office.storage.lock import InstanceLock


def test_second_lock_on_the_same_database_is_refused_and_released_on_exit(tmp_path: Path) -> None:
    db_file = tmp_path / "office.sqlite3"
    with InstanceLock(db_file):
        code = ("import sys; from pathlib import Path; from hecun_office.storage.lock import InstanceLock\n"
                "from hecun_office.domain.errors import EnvironmentProblem\n"
                f"try:\n    InstanceLock(Path({str(db_file)!r})).acquire()\nexcept EnvironmentProblem as e:\n"
                "    print(e.message); sys.exit(3)\n")
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=False)
        assert proc.returncode == 3, proc.stderr
        assert "已经在使用这个数据库" in proc.stdout
    # released: another lock can be taken now
    with InstanceLock(db_file):
        pass


def test_lock_in_the_same_process_twice_is_refused(tmp_path: Path) -> None:
    first = InstanceLock(tmp_path / "a.sqlite3")
    first.acquire()
    try:
        with pytest.raises(EnvironmentProblem):
            InstanceLock(tmp_path / "a.sqlite3").acquire()
    finally:
        first.release()
