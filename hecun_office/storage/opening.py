"""Open a database for use: engine with pragmas, integrity check, migrations after a backup (N-1).

On PostgreSQL (county mode, S-7) only the migrations apply. The server looks after its own files: it has its own
write-ahead log and crash recovery, SQLite's quick_check has no counterpart a client may run (page checks need the
amcheck extension and superuser rights), backups are the server administrator's pg_dump rather than a file copy,
several bureau clerks are meant to work at once (no single-instance lock), and the database is on the network by
design (no network-share refusal). What a clerk can get wrong is the address, so that is checked first.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, DBAPIError

from .. import paths
from ..domain.errors import EnvironmentProblem
from .backup import list_backups, next_good_backup, quick_check, reason_label
from .engine import make_engine, sqlite_file, to_url
from .migrate import upgrade
from .peek import EarlyCheck
from .restore_file import finish_interrupted_restore, header_problem, summarise_check
from .uow import Database

log = logging.getLogger(__name__)


class DatabaseMissing(EnvironmentProblem):
    """The SQLite file named does not exist, and this command does not create one."""

    def __init__(self, file: Path) -> None:
        super().__init__(f"数据库文件 {file} 不存在。请检查 --db 或 HECUN_OFFICE_DB 的路径是否写对；"
                         "新建数据库请先运行 hecun-office setup（或打开程序完成初始设置）。")
        self.file = file


def refuse_unusable(file: Path) -> None:
    """An existing file that is empty, unreadable or no SQLite database is never set up over (N-1, issue 15 item
    2): SQLite would take a zero-length file for a new database, and the set-up would bury the clerk's way back —
    a restore from the verified backups beside it."""
    problem = header_problem(file)
    if problem:
        raise EnvironmentProblem(f"数据库文件 {file} {problem}，不是可用的数据库；程序不会在它上面新建数据库。"
                                 f"{restore_advice(file)}")


def _administrator(backup: Path) -> str:
    """The login name of the backup's first active administrator, for the restore command the clerk is shown
    (restore acts as a named account: cli_user.py); a placeholder when the backup cannot say."""
    try:
        with closing(sqlite3.connect(backup.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)) as conn:
            row = conn.execute("SELECT username FROM users WHERE role = 'admin' AND active "
                               "ORDER BY id LIMIT 1").fetchone()
    except (sqlite3.Error, OSError, ValueError):
        row = None
    return str(row[0]) if row and row[0] else "管理员登录名"


def restore_advice(file: Path) -> str:
    """What to do about an unusable database file: restore the newest whole backup, named, with the command."""
    good = next_good_backup(file)
    if good is not None:
        taken = datetime.fromtimestamp(good.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        return (f"请从备份恢复，最新的完好备份是 {good.name}（{reason_label(good) or '备份'}，{taken}）："
                f"hecun-office --db \"{file}\" --user {_administrator(good)} restore \"{good}\" --yes"
                "（密码在终端输入）")
    if list_backups(file):
        return "旁边的备份也都无法使用，请找回别处保存的备份（如U盘上的副本），用 hecun-office restore 恢复。"
    return ("旁边没有找到它的备份。如有别处保存的备份，请用 hecun-office restore 恢复；如果这是新安装，"
            "请删除这个文件后重新打开程序。")


def resolve_url(db_arg: str | None) -> str:
    """``--db`` wins, then HECUN_OFFICE_DB, then SQLite in the per-user data directory (SPEC C)."""
    return to_url(db_arg or os.environ.get("HECUN_OFFICE_DB") or paths.default_db_path())


def open_database(url: str, migrate: bool = True, early_check: EarlyCheck | None = None,
                  create: bool = True) -> Database:
    """``early_check``: the quick_check of this file, already started (the GUI starts it before its imports).
    ``create=False``: an SQLite file that does not exist is refused (DatabaseMissing) instead of being created with
    its folders; only `setup`, `demo` and the GUI's first run create a database (SPEC C)."""
    url = to_url(url)  # postgresql:// gets the psycopg driver
    file = sqlite_file(url)
    if file is not None:
        finish_interrupted_restore(file)  # a restore killed half-way is finished (or refused) before anything else
        if os.path.lexists(file):
            refuse_unusable(file)
        elif not create:
            raise DatabaseMissing(file)
    db = Database(url, make_engine(url))
    if db.is_sqlite:
        result = early_check.result() if early_check is not None else None
        if result is None:
            try:
                result = quick_check(db.engine)
            except DatabaseError as exc:  # badly damaged: even the connect pragmas fail
                result = str(exc.orig)
        if result != "ok":
            db.dispose()
            advice = restore_advice(file) if file is not None else "请从备份恢复：hecun-office restore。"
            raise EnvironmentProblem(f"数据库完整性检查未通过（{summarise_check(result)}）。{advice}")
    else:
        try:
            with db.engine.connect():
                pass
        except DBAPIError as exc:
            db.dispose()
            raise EnvironmentProblem(connection_problem(url, exc)) from None
    if migrate:
        upgrade(db)
    return db


def connection_problem(url: str, exc: DBAPIError) -> str:
    """What a clerk reads when the database server cannot be used; the driver's words go to the log.

    libpq reports connection failures as text without an SQLSTATE, so the common cases are told apart by their
    (English) wording; anything else is still a one-line Chinese message, with the server's words appended."""
    parsed = make_url(url)
    where = f"{parsed.host or '本机'}" + (f":{parsed.port}" if parsed.port else "")
    detail = str(exc.orig if exc.orig is not None else exc).strip()
    log.warning("cannot connect to %s: %s", parsed.render_as_string(hide_password=True), detail)
    text = detail.lower()
    if "password" in text or "authentication failed" in text or ("role" in text and "does not exist" in text):
        reason = (f"用户名或密码不正确（用户 {parsed.username or '未填写'}）。"
                  "请核对数据库地址中的用户名和密码，或请数据库管理员重设密码。")
    elif "database" in text and "does not exist" in text:
        reason = f"服务器上没有名为“{parsed.database}”的数据库。请核对数据库名，或请数据库管理员先建好这个数据库。"
    elif "pg_hba.conf" in text:
        reason = "服务器不允许从这台电脑连接。请数据库管理员在 pg_hba.conf 中允许本机地址。"
    elif "resolve host" in text or "translate host name" in text:
        reason = f"找不到服务器“{parsed.host}”。请检查服务器名称是否写对、网络是否连通。"
    elif "timeout" in text or "timed out" in text:
        reason = "连接超时。请检查网络连接和防火墙，并确认服务器已开机。"
    elif "refused" in text or "could not connect" in text or "no such file" in text:
        reason = "服务器拒绝连接或数据库服务没有运行。请确认 PostgreSQL 服务已启动、端口填写正确。"
    else:
        first = detail.splitlines()[0] if detail else type(exc.orig).__name__
        reason = f"{first[:200]}。请把这条信息告诉数据库管理员。"
    return f"无法连接 PostgreSQL 数据库“{parsed.database or ''}”（{where}）：{reason}"
