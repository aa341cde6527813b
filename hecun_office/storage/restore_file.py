"""Putting a backup in place of the live SQLite file so that a kill at any moment leaves a whole database (N-1,
issue 15 item 1), and finishing at the next opening a restore that was killed half-way.

The steps, each durable before the next begins:

1. the backup is copied to ``<db>.restoring`` beside the live file, flushed with its folder, and checked (its size
   against its header, then quick_check) — the live file is not touched;
2. the plan ``<db>.restore-plan`` is written, naming the safety copy: from here on the restore is decided;
3. the safety copy ``<stem>-replaced-<stamp><suffix>``: a hard link to the live file (a copy where links are not
   possible), with the live file's -wal and -shm moved beside it (a -wal left next to the restored file would be
   replayed into it);
4. one atomic rename puts the copy in place, then the plan goes.

Killed before 2, the live database is as it was and the next opening deletes the unfinished copy; killed after 2,
the next opening does what is left of 3 and 4 (each step can be done again). The database file is therefore
always either the one before or the one restored, and never missing.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from ..domain.errors import EnvironmentProblem
from ..environment import translate
from .lock import InstanceLock

log = logging.getLogger(__name__)

MAGIC = b"SQLite format 3\x00"
COPY_SUFFIX = ".restoring"
PLAN_SUFFIX = ".restore-plan"


def summarise_check(result: str) -> str:
    """SQLite's integrity report in one line for a message: its first problem and how many there are. The whole
    report goes to the log (it can run to a hundred lines, and a one-line refusal must stay one line)."""
    lines = [line.strip() for line in result.splitlines() if line.strip() and not line.startswith("*** in database")]
    if len(lines) <= 1:
        return (lines[0] if lines else result.strip())[:200]
    log.warning("完整性检查报告 %d 处问题：\n%s", len(lines), result)
    return f"{lines[0][:200]} 等 {len(lines)} 处问题"


def header_problem(path: Path) -> str:
    """'' when ``path`` starts like an SQLite database, else why not, in Chinese: missing, a folder, unreadable, empty
    or something else. Only the first 100 bytes are read."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
    except IsADirectoryError:
        return "是文件夹，不是文件"
    except OSError as exc:
        return f"无法读取（{exc.strerror or exc}）"
    if not head:
        return "是空文件（0 字节）"
    if not head.startswith(MAGIC) or len(head) < 100:
        return "不是 SQLite 数据库文件"
    return ""


def file_problem(path: Path) -> str:
    """'' when ``path`` is a whole SQLite database that passes quick_check, else why not, in Chinese (one line).
    For a closed copy (a backup, a restore's copy): a live file's header may count pages its -wal still holds.

    Read without changing anything beside it (``immutable``: no -wal or -shm is made next to a backup or a copy)."""
    problem = header_problem(path)
    if problem:
        return problem
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(100)
    except OSError as exc:
        return f"无法读取（{exc.strerror or exc}）"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    # The page count in the header is valid when the two change counters agree (SQLite file format, 1.3.8); a
    # copy cut short by a kill or a full disk is shorter than it says.
    if pages and head[24:28] == head[92:96] and size < page_size * pages:
        return f"文件不完整（{size} 字节，应有 {page_size * pages} 字节）"
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
        try:
            rows = [str(r[0]) for r in con.execute("PRAGMA quick_check")]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return f"无法作为数据库读取（{exc}）"
    result = "\n".join(rows)
    return "" if result == "ok" else summarise_check(result)


def sync_folder(folder: Path) -> None:
    """Make the names just written or renamed in ``folder`` durable (POSIX). Windows has no folder handle to flush;
    NTFS journals the rename itself."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_flushed(source: Path, target: Path) -> None:
    with open(source, "rb") as src, open(target, "wb") as out:
        shutil.copyfileobj(src, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())


def _plan_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + PLAN_SUFFIX)


def _copy_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + COPY_SUFFIX)


def restore_sqlite(backup: Path, db_file: Path) -> Path | None:
    """Put a verified backup in place of the database; the replaced files are kept aside, never deleted.

    Returns where the replaced database was kept, if there was one. The caller must have closed every connection
    to ``db_file`` first (and holds its InstanceLock). When the live file cannot be replaced (Windows: it is still
    open somewhere), everything is put back and EnvironmentProblem says that nothing changed."""
    if not backup.is_file():
        raise EnvironmentProblem(f"找不到备份文件 {backup}。可用 hecun-office restore 列出现有备份。")
    finish_interrupted_restore(db_file, replacing=True)
    problem = file_problem(backup)
    if problem:
        raise EnvironmentProblem(f"备份文件 {backup.name} {problem}，不能用来恢复。请选择其他备份。数据库没有改动。")
    copy = _copy_path(db_file)
    try:
        _copy_flushed(backup, copy)
        sync_folder(db_file.parent)
    except OSError as exc:
        copy.unlink(missing_ok=True)
        raise (translate(exc, "恢复", db_file.parent, after="数据库没有改动。") or EnvironmentProblem(
            f"无法复制备份（{exc.strerror or exc}），请检查磁盘空间和权限。数据库没有改动。")) from exc
    problem = file_problem(copy)
    if problem:  # the disk gave back something else than was written
        copy.unlink(missing_ok=True)
        raise EnvironmentProblem(f"备份复制到 {copy.name} 后校验未通过（{problem}），请检查磁盘后重试。数据库没有改动。")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")  # to the microsecond: two restores never share a name
    aside = db_file.with_name(f"{db_file.stem}-replaced-{stamp}{db_file.suffix}") if db_file.exists() else None
    plan = _plan_path(db_file)
    try:
        _write_plan(plan, backup, aside)
        _swap(db_file, copy, aside)
    except OSError as exc:  # Windows: the file is still open somewhere. Put back what moved; nothing changed.
        _undo(db_file, copy, aside)
        raise EnvironmentProblem(f"数据库文件正被使用，无法替换（{exc.strerror}）。请关闭使用它的程序后重试。"
                                 "数据库没有改动。") from exc
    plan.unlink()
    sync_folder(db_file.parent)
    return aside


def _plan_part(plan: Path) -> Path:
    return plan.with_name(plan.name + ".part")


def _write_plan(plan: Path, backup: Path, aside: Path | None) -> None:
    part = _plan_part(plan)
    with open(part, "w", encoding="utf-8") as out:
        json.dump({"backup": str(backup), "aside": aside.name if aside is not None else None}, out)
        out.flush()
        os.fsync(out.fileno())
    part.replace(plan)
    sync_folder(plan.parent)


def _swap(db_file: Path, copy: Path, aside: Path | None) -> None:
    """Steps 3 and 4; done again from the start by finish_interrupted_restore after a kill."""
    if aside is not None:
        if not aside.exists() and db_file.exists():
            try:
                os.link(db_file, aside)
            except FileExistsError:
                pass  # made a moment ago: never copied over, it is the only copy of the replaced database
            except OSError:  # no hard links there (FAT32): a flushed copy, named when whole
                part = aside.with_name(aside.name + ".part")
                _copy_flushed(db_file, part)
                part.replace(aside)
        for suffix in ("-wal", "-shm"):
            side, kept = db_file.with_name(db_file.name + suffix), aside.with_name(aside.name + suffix)
            if side.exists():  # one already beside the safety copy is its own: a later one never replaces it
                side.replace(kept if not kept.exists() else side.with_name(side.name + ".orphan"))
        sync_folder(db_file.parent)
    else:
        for suffix in ("-wal", "-shm"):  # left without its database: kept, but never replayed into the copy
            side = db_file.with_name(db_file.name + suffix)
            if side.exists():
                side.replace(side.with_name(side.name + ".orphan"))
    copy.replace(db_file)
    sync_folder(db_file.parent)


def _undo(db_file: Path, copy: Path, aside: Path | None) -> None:
    if aside is not None:
        for suffix in ("-wal", "-shm"):
            moved = aside.with_name(aside.name + suffix)
            if moved.exists():
                moved.replace(db_file.with_name(db_file.name + suffix))
        if aside.exists() and db_file.exists() and os.path.samefile(aside, db_file):
            aside.unlink()  # only the second name of the live file; a copy made elsewhere stays
    copy.unlink(missing_ok=True)
    _plan_path(db_file).unlink(missing_ok=True)


def finish_interrupted_restore(db_file: Path, replacing: bool = False) -> str:
    """What a restore killed half-way left beside ``db_file``, put right; returns what was done ('' for nothing).

    A decided restore (its plan is there) is finished; an undecided one only leaves an unfinished copy, which goes.
    Nothing is touched while the restoring program still runs (it holds the database's lock). Without a plan and
    without the live file, the copy may be half a file: EnvironmentProblem says so and names the safety copies —
    unless ``replacing``: a new restore is about to put a whole copy there, and the half one just goes."""
    plan, copy = _plan_path(db_file), _copy_path(db_file)
    if not (plan.exists() or copy.exists() or _plan_part(plan).exists()):
        return ""
    lock = InstanceLock(db_file)
    try:
        lock.acquire()
        held = True
    except EnvironmentProblem:
        held = False
        if not _held_by_this_process(lock.path):
            log.info("%s：恢复仍在进行（数据库被另一程序锁定），不处理其留下的文件", db_file.name)
            return ""
    try:
        return _finish(db_file, plan, copy, replacing)
    finally:
        if held:
            lock.release()


def _held_by_this_process(lock_file: Path) -> bool:
    """Whether the lock file names this process: the window and `restore` open the database while they hold its
    lock. Windows locks the file's first byte against every other handle, ours too, so there the rest of the number
    is compared (with the length); elsewhere the whole of it."""
    mine = str(os.getpid()).encode()
    try:
        with open(lock_file, "rb") as handle:
            try:
                return handle.read() == mine
            except OSError:
                handle.seek(1)
                return os.fstat(handle.fileno()).st_size == len(mine) and handle.read() == mine[1:]
    except OSError:
        return False


def _finish(db_file: Path, plan: Path, copy: Path, replacing: bool) -> str:
    _plan_part(plan).unlink(missing_ok=True)  # a plan not yet whole decides nothing
    if plan.exists():
        try:
            aside_name = json.loads(plan.read_text(encoding="utf-8")).get("aside")
        except (OSError, ValueError, AttributeError):
            aside_name = None  # a plan is written whole under another name first; this is not expected
        aside = db_file.with_name(aside_name) if isinstance(aside_name, str) else None
        if copy.exists():
            _swap(db_file, copy, aside)
            done = f"上次从备份恢复被中断，已完成恢复（原数据库保留为 {aside.name if aside else '无'}）。"
        else:
            done = "上次从备份恢复在最后一步被中断，恢复已完成。"
        plan.unlink()
        sync_folder(db_file.parent)
        log.warning("%s：%s", db_file.name, done)
        return done
    if not copy.exists():
        return ""
    if db_file.exists() or replacing:
        copy.unlink()
        done = "上次从备份恢复在复制备份时被中断，数据库没有改动；已删除未复制完的文件。"
        log.warning("%s：%s", db_file.name, done)
        return done
    kept = sorted(db_file.parent.glob(f"{glob.escape(db_file.stem)}-replaced-*{db_file.suffix}"), reverse=True)
    where = f"原数据库保留为 {kept[0]}，" if kept else ""
    raise EnvironmentProblem(
        f"数据库文件 {db_file} 不存在，旁边有一次中断的恢复留下的 {copy.name}（可能不完整），程序不会新建空数据库。"
        f"{where}请用 hecun-office --db \"{db_file}\" restore 选择备份恢复，或把保留的原数据库改名为 {db_file.name}。")
