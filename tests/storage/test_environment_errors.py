"""Issue 15 item 3: a full disk, a read-only folder and a locked database reach the clerk as their own error types
with a Chinese message that says what happened and what to do, never as "OperationalError: database or disk is
full" or "程序内部错误".

Everything here happens for real: a tmpfs of a few megabytes that the test fills up, a read-only bind mount, a
second SQLite connection holding the write lock. Mounting needs root (the tests run as root here and in CI); where
mount(8) is refused the mount tests skip and say why.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from hecun_office.domain.errors import DiskFull, EnvironmentProblem, FileLocked, ReadOnlyLocation, StorageGone
from hecun_office.environment import environment_errors, translate
from hecun_office.files import write_atomically
from hecun_office.services import matters, setup
from hecun_office.services.matters import MatterInput
from hecun_office.storage.blobs import FileBlobs
from hecun_office.storage.engine import make_engine
from hecun_office.storage.models import Matter
from hecun_office.storage.uow import Database

TODAY = date(2026, 3, 2)
MB = 1024 * 1024


def _mount(*argv: str) -> None:
    done = subprocess.run(["mount", *argv], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mount {' '.join(argv)} was refused ({done.stderr.strip()}): these tests need root and "
                    "mount(8), as the test machines and CI have")


def _unmount(target: Path) -> None:
    if subprocess.run(["umount", str(target)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)  # still in use: detach it anyway


@contextmanager
def tiny_disk(target: Path, size: int) -> Iterator[Path]:
    """A tmpfs of ``size`` bytes at ``target``, unmounted afterwards whatever happens."""
    if not sys.platform.startswith("linux"):
        pytest.skip("tmpfs mounts are Linux's")
    target.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target))
    try:
        yield target
    finally:
        _unmount(target)


@contextmanager
def read_only_view(source: Path, target: Path) -> Iterator[Path]:
    """``source`` seen again at ``target`` through a read-only bind mount (chmod does not stop root; this does)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("bind mounts are Linux's")
    target.mkdir(parents=True, exist_ok=True)
    _mount("--bind", "-o", "ro", str(source), str(target))
    try:
        yield target
    finally:
        _unmount(target)


def fill(folder: Path) -> Path:
    """Write a file into ``folder`` until the disk refuses: the disk is then full."""
    filler = folder / "filler.bin"
    block = b"\xa5" * (64 * 1024)
    with filler.open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(block)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    with filler.open("ab", buffering=0) as fh:  # the last partial block too, so not a page is left
        try:
            while True:
                fh.write(b"\xa5" * 512)
        except OSError:
            pass
    return filler


def _register(db: Database, title: str) -> int:
    units = [u.id for u in matters.list_units(db)]
    data = MatterInput(received_on=date(2026, 2, 2), source="hotline", title=title, category="legality",
                       unit_ids=units[:1], facts=f"{title}的基本事实，写得长一些。" * 40, parties="某某公司")
    return matters.register_matter(db, setup.default_actor(db), data, TODAY).id


def _matters(db: Database) -> int:
    with db.uow() as session:
        return int(session.scalar(select(func.count()).select_from(Matter)) or 0)


# ---- the database ---------------------------------------------------------------------------------------------------

@pytest.fixture
def disk(tmp_path: Path, _template_db: Path) -> Iterator[Path]:
    """A tmpfs with room for the test database and 2 MB more."""
    with tiny_disk(tmp_path / "disk", _template_db.stat().st_size + 2 * MB) as folder:
        yield folder


@pytest.fixture
def db_path(disk: Path) -> Path:
    """The ``db`` fixture (tests/conftest.py) copies the set-up office onto the tiny disk."""
    return disk / "office.sqlite3"


def test_a_full_disk_under_the_database_is_disk_full_and_loses_nothing(db: Database, disk: Path) -> None:
    before = _matters(db)
    filler = fill(disk)
    with pytest.raises(DiskFull) as full:
        _register(db, "磁盘满时登记的事项")
    message = full.value.message
    assert message.startswith("保存失败：") and "磁盘已满" in message and str(db.file) in message
    assert "没有保存" in message
    assert isinstance(full.value.__cause__, Exception)  # the original stays chained, for the log
    filler.unlink()
    assert _matters(db) == before  # nothing half-saved
    _register(db, "腾出空间后登记的事项")  # and the database works on, intact
    assert _matters(db) == before + 1
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"


def test_the_command_line_says_the_disk_is_full_not_internal_error(db: Database, disk: Path,
                                                                   tmp_path: Path) -> None:
    """`calendar override` on a full disk said "程序内部错误，详情见日志"."""
    fill(disk)
    home = tmp_path / "home-elsewhere"  # the log lives off the full disk
    env = {**os.environ, "HECUN_OFFICE_HOME": str(home), "HECUN_OFFICE_USER": "admin",
           "HECUN_OFFICE_PASSWORD": "secret1"}
    done = subprocess.run([sys.executable, "-m", "hecun_office", "--db", str(db.file), "calendar", "override",
                           "2026-10-10", "rest", "--reason", "磁盘满时的调整"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "磁盘已满" in done.stderr and "内部错误" not in done.stderr, done.stderr
    assert "OperationalError" not in done.stderr and "Traceback" not in done.stderr


def test_a_backup_onto_a_full_disk_says_the_disk_is_full(db: Database, disk: Path, tmp_path: Path) -> None:
    """`backup` on a full disk said "程序内部错误": SQLite's backup raises sqlite3.OperationalError, not OSError."""
    fill(disk)
    env = {**os.environ, "HECUN_OFFICE_HOME": str(tmp_path / "home-elsewhere"), "HECUN_OFFICE_USER": "admin",
           "HECUN_OFFICE_PASSWORD": "secret1"}
    done = subprocess.run([sys.executable, "-m", "hecun_office", "--db", str(db.file), "backup"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "磁盘已满" in done.stderr and "内部错误" not in done.stderr, done.stderr
    assert not [p for p in disk.rglob("*.part")]  # no half copy left to look like a backup


def test_a_locked_database_is_file_locked(db: Database, db_path: Path) -> None:
    """Another program (or clerk) holds the write lock longer than the busy timeout."""
    impatient = make_engine(f"sqlite:///{db_path}")

    @event.listens_for(impatient, "connect")
    def _short_wait(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=200")  # after engine.py's 10 s: the test need not wait

    other = Database(f"sqlite:///{db_path}", impatient)
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(FileLocked) as locked:
            _register(other, "被锁定时登记的事项")
        assert "已被锁定" in locked.value.message and "稍等片刻后重试" in locked.value.message
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        other.dispose()


# ---- files: the content store and atomic writes ------------------------------------------------------------------

def test_the_content_store_on_a_full_disk_is_disk_full_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    with tiny_disk(tmp_path / "disk", MB) as disk:
        store = FileBlobs(disk / "attachments")
        with pytest.raises(DiskFull) as full:
            store.put_many(None, [os.urandom(600 * 1024), os.urandom(600 * 1024)])  # type: ignore[arg-type]
        assert "磁盘已满" in full.value.message and "attachments" in full.value.message
        assert not [p for p in (disk / "attachments").rglob("*") if p.is_file()]


def test_the_content_store_in_a_read_only_folder_is_read_only_location(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    with read_only_view(tmp_path / "store", tmp_path / "ro") as folder:
        with pytest.raises(ReadOnlyLocation) as refused:
            FileBlobs(folder).put_many(None, [b"%PDF-1.7 a letter"])  # type: ignore[arg-type]
        assert "只读" in refused.value.message


def test_an_atomic_write_on_a_full_disk_keeps_the_old_file(tmp_path: Path) -> None:
    with tiny_disk(tmp_path / "disk", MB) as disk:
        target = disk / "台账.xlsx"
        write_atomically(target, b"old")
        fill(disk)
        with pytest.raises(DiskFull) as full:
            write_atomically(target, os.urandom(256 * 1024))
        assert str(target) in full.value.message
        assert target.read_bytes() == b"old"
        assert sorted(p.name for p in disk.iterdir()) == ["filler.bin", "台账.xlsx"]


def test_an_atomic_write_into_a_read_only_folder_is_read_only_location(tmp_path: Path) -> None:
    (tmp_path / "usb").mkdir()
    with read_only_view(tmp_path / "usb", tmp_path / "usb-locked") as folder:
        with pytest.raises(ReadOnlyLocation) as refused:
            write_atomically(folder / "hecun-0001.hcpkt", b"PK\x03\x04")
        assert "写保护" in refused.value.message


# ---- the translation itself ----------------------------------------------------------------------------------

def test_errors_that_are_not_the_environment_pass_unchanged() -> None:
    with pytest.raises(sqlite3.IntegrityError):
        with environment_errors():
            raise sqlite3.IntegrityError("UNIQUE constraint failed: matters.uuid")
    with pytest.raises(ValueError):
        with environment_errors():
            raise ValueError("a bug")
    problem = EnvironmentProblem("已经说清楚的问题")
    with pytest.raises(EnvironmentProblem) as same:
        with environment_errors():
            raise problem
    assert same.value is problem


def test_a_translated_os_error_is_still_that_os_error() -> None:
    """Callers that word a refused write themselves (a ledger open in Excel: ``except PermissionError``) still can."""
    refused = PermissionError(errno.EACCES, "Permission denied", "/u/.台账.tmp", None, "/u/台账.xlsx")
    problem = translate(refused, "保存文件", "/u/台账.xlsx")
    assert isinstance(problem, ReadOnlyLocation) and isinstance(problem, PermissionError)
    assert (problem.errno, problem.strerror, problem.filename, problem.filename2) == (
        errno.EACCES, "Permission denied", "/u/.台账.tmp", "/u/台账.xlsx")
    assert str(problem) == problem.message and "只读" in problem.message


def test_a_share_gone_away_is_storage_gone() -> None:
    for code in (errno.EIO, errno.ENOENT, errno.ESTALE):
        gone = translate(OSError(code, os.strerror(code)), "导出", Path("/nowhere/share/hecun-0001.hcpkt"))
        assert isinstance(gone, StorageGone) and "重新连接" in gone.message


def test_the_window_shows_an_environment_problem_as_it_is() -> None:
    from hecun_office.ui.errors import message_for

    full = translate(OSError(errno.ENOSPC, "No space left on device"), "备份", "/data/backups")
    assert isinstance(full, DiskFull)
    assert message_for(full) == full.message
