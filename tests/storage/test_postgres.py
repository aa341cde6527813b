"""County mode on PostgreSQL (S-7): the same code and migrations, against a real server (tests/pg.py).

Every test gets a fresh empty database on the session's server (``pg_url`` in tests/conftest.py); nothing here is
skipped when the server binaries are missing — the fixture fails and says what to install. Tests that hold for
both databases are parametrized over ``backend`` where they live (the models against the migrations in
test_migrations.py, concurrent sign-offs in tests/services/test_documents.py, the county's figures in
tests/services/test_county.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from pg import PostgresServer
from sqlalchemy import create_engine, inspect

from hecun_office.domain.errors import EnvironmentProblem
from hecun_office.services import audit, matters, search, setup
from hecun_office.services.audit import SYSTEM, Actor, verify_chain
from hecun_office.services.matters import MatterInput, next_number
from hecun_office.services.search import MatterFilter
from hecun_office.storage.engine import to_url
from hecun_office.storage.migrate import current_revision, head_revision, upgrade
from hecun_office.storage.models import NumberSequence
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database, begin_write

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 3, 23)
DAY = date(2026, 3, 2)  # Monday


@pytest.fixture
def opened() -> Iterator[Callable[[str], Database]]:
    """open_database, with every database disposed afterwards (the database is dropped after the test)."""
    dbs: list[Database] = []

    def open_(url: str) -> Database:
        db = open_database(url)
        dbs.append(db)
        return db

    yield open_
    for db in dbs:
        db.dispose()


def _hecun_office(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hecun_office", *argv], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, check=False)


def _office(db: Database) -> Actor:
    """Set up as 贺村司法所, as tests/conftest.py does for SQLite; returns the first user."""
    setup.setup_database(db, setup.default_profile(), setup.UserInput("wang", "王晓燕", "clerk", "secret1"),
                         created_at=datetime(2026, 1, 5, 9, 0))
    return setup.default_actor(db)


# ---- schema ---------------------------------------------------------------------------------------


def test_a_new_database_is_migrated_to_head(pg_url: str, opened: Callable[[str], Database]) -> None:
    db = opened(pg_url)
    assert db.engine.dialect.name == "postgresql" and not db.is_sqlite and db.file is None
    assert current_revision(db) == head_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert {"matters", "documents", "number_sequences", "audit_log", "alembic_version"} <= tables
    assert "matter_search" not in tables, "the FTS5 index is SQLite's alone"
    assert "matter_search_grams" in tables  # the bigram index of a server (0005, services/search.py)
    assert upgrade(db) is None, "a server database at head needs neither a migration nor a backup"


def test_two_pcs_starting_at_once_migrate_once(pg_url: str) -> None:
    results: list[object] = []
    barrier = threading.Barrier(3)

    def start() -> None:
        try:
            barrier.wait()
            db = open_database(pg_url)
            results.append(current_revision(db))
            db.dispose()
        except BaseException as exc:  # noqa: BLE001 - reported below
            results.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [head_revision()] * 3


# ---- command line -------------------------------------------------------------------------------


def test_bureau_setup_through_the_command_line(pg_url: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HECUN_OFFICE_DB"}
    env["HECUN_OFFICE_HOME"] = str(tmp_path / "home")
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://")  # as psql writes it: the driver is added
    first = _hecun_office("--db", plain, "setup", "--mode", "bureau", "--user", "li", "--name", "李明",
                          "--password", "secret1", env=env)
    assert first.returncode == 0, first.stderr
    assert "司法局端" in first.stdout and "江山市司法局" in first.stdout

    check = _hecun_office("--db", pg_url, "--today", "2026-03-02", "check", env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "[通过] 数据库结构版本" in check.stdout and "[通过] 审计日志链" in check.stdout
    assert "quick_check" not in check.stdout  # SQLite's own check is not pretended on a server

    again = _hecun_office("setup", "--mode", "bureau", env={**env, "HECUN_OFFICE_DB": pg_url})
    assert again.returncode == 1
    assert "已经完成初始设置" in again.stderr and "Traceback" not in again.stderr
    assert not list((tmp_path / "home").rglob("*.sqlite3")), "a server database leaves no SQLite file or backup"

    db = open_database(pg_url)
    try:
        profile = setup.read_profile(db)
        assert profile is not None and profile.mode == "bureau"
    finally:
        db.dispose()


def test_setup_in_process_with_the_environment_variable(pg_url: str, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from hecun_office.cli import main

    monkeypatch.setenv("HECUN_OFFICE_DB", pg_url)
    assert main(["setup", "--mode", "bureau", "--password", "secret1"]) == 0
    assert main(["setup", "--mode", "bureau"]) == 1
    assert "已经完成初始设置" in capsys.readouterr().err


# ---- numbering under concurrency ------------------------------------------------------------------


def test_numbers_stay_gapless_with_many_writers(pg_url: str, opened: Callable[[str], Database]) -> None:
    """Like two sign-offs on two PCs (tests/services/test_documents.py), with more of them: each thread has its
    own engine and sessions, the series starts with no row at all, and some transactions take a number and then
    fail — their numbers must go to the next writer, not be lost."""
    opened(pg_url)  # migrate once
    threads_n, each = 6, 5
    barrier = threading.Barrier(threads_n)
    issued: list[int] = []
    errors: list[BaseException] = []

    class Abandoned(Exception):
        pass

    def work(k: int) -> None:
        db = open_database(pg_url, migrate=False)  # its own connections, as a second PC would have
        try:
            barrier.wait()
            for i in range(each):
                try:
                    with db.uow() as session:
                        begin_write(session)
                        n = next_number(session, "document:test", 2026)
                        audit.append(session, SYSTEM, "issue", "document", f"{k}-{i}", {"n": n})
                        if i == 2 and k % 2:
                            raise Abandoned  # rolled back: the number is free again
                        issued.append(n)
                except Abandoned:
                    pass
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    expected = threads_n * each - threads_n // 2
    assert sorted(issued) == list(range(1, expected + 1))
    check = opened(pg_url)
    with check.uow() as session:
        assert session.get(NumberSequence, ("document:test", 2026)).last == expected  # type: ignore[union-attr]
        count, problem = verify_chain(session)
    assert problem is None and count == expected, "concurrent writers must not fork the audit chain"


# ---- search ---------------------------------------------------------------------------------------


def test_search_without_fts5_finds_a_two_character_chinese_word(pg_url: str,
                                                                opened: Callable[[str], Database]) -> None:
    db = opened(pg_url)
    actor = _office(db)
    units = [u.id for u in matters.list_units(db)]

    def register(title: str, **kw: object) -> int:
        data = MatterInput(received_on=date(2026, 3, 2), source="hotline", title=title, category="legality",
                           unit_ids=[units[1]], **kw)  # type: ignore[arg-type]
        return matters.register_matter(db, actor, data, today=TODAY).id

    stall = register("占道经营处罚未告知陈述申辩权", parties="李四（个体工商户）",
                     facts="当事人在贺村镇某路段占道经营，执法队作出罚款决定前未告知陈述、申辩权。")
    smoke = register("油烟扰民投诉处理超期未答复", source_ref="GD2026030212345", facts="投诉人张三多次反映。")
    register("执法人员未持证上岗")

    def found(query: str) -> set[int]:
        flt = MatterFilter(text=query)
        page = search.search_matters(db, flt, 200, TODAY)
        assert page.total == len(page.rows) == search.count_matters(db, flt, TODAY)
        return {r.id for r in page.rows}

    assert search.ensure_search_index(db) == 0  # nothing to keep in step on a server
    assert found("占道") == {stall}
    assert found("申辩") == {stall}
    assert found("李四") == {stall}  # the party
    assert found("张三 油烟") == {smoke}  # every run must occur, in any of the texts
    assert found("张三 占道") == set()
    assert found("gd2026030212345") == {smoke}  # source reference, case-insensitive
    assert found("１２３４５") == {smoke}  # full-width digits typed by a Chinese input method
    assert found("100%") == set() and found("占_") == {stall}  # LIKE's wildcards are only text here
    assert len(found("，")) == 3  # punctuation alone filters nothing


# ---- a wrong address ----------------------------------------------------------------------------


@pytest.fixture
def clerk_role(pg_server: PostgresServer, pg_url: str) -> str:
    """A role that must give its password (pg_hba: scram-sha-256 for everyone but the superuser), owning the test's
    database; returns the database's name."""
    database = pg_url.rsplit("/", 1)[1]
    pg_server.admin("DROP ROLE IF EXISTS county_clerk", "CREATE ROLE county_clerk LOGIN PASSWORD 'Pw-right-7'",
                    f'ALTER DATABASE "{database}" OWNER TO county_clerk')
    return database


@pytest.mark.parametrize(("where", "expected"), [
    ("wrong_password", "用户名或密码不正确"),
    ("no_database", "没有名为“nowhere”的数据库"),
    ("closed_port", "服务器拒绝连接或数据库服务没有运行"),
    ("unknown_host", "找不到服务器“no-such-host.invalid”"),
])
def test_an_unusable_server_is_a_chinese_message(pg_server: PostgresServer, clerk_role: str, where: str,
                                                 expected: str) -> None:
    url = {
        "wrong_password": pg_server.url(clerk_role, "county_clerk", "Pw-wrong-7"),
        "no_database": pg_server.url("nowhere", "county_clerk", "Pw-right-7"),
        "closed_port": pg_server.url(clerk_role).replace(f":{pg_server.port}/", ":1/"),
        "unknown_host": f"postgresql+psycopg://county_clerk:Pw-wrong-7@no-such-host.invalid/{clerk_role}",
    }[where]
    with pytest.raises(EnvironmentProblem) as exc:
        open_database(url)
    message = str(exc.value)
    assert message.startswith("无法连接 PostgreSQL 数据库") and expected in message, message
    assert "Pw-" not in message, "the password must never be shown"


def test_the_right_password_opens_and_a_wrong_one_fails_on_the_command_line(pg_server: PostgresServer,
                                                                             clerk_role: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HECUN_OFFICE_DB"}
    env["HECUN_OFFICE_HOME"] = str(tmp_path)
    good = _hecun_office("--db", pg_server.url(clerk_role, "county_clerk", "Pw-right-7"), "setup", "--mode", "bureau",
                         "--password", "secret1", env=env)
    assert good.returncode == 0, good.stderr
    bad = _hecun_office("--db", pg_server.url(clerk_role, "county_clerk", "Pw-wrong-7"), "check", env=env)
    assert bad.returncode == 1
    assert bad.stderr.strip().startswith("无法连接 PostgreSQL 数据库") and "用户名或密码不正确" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr


def test_urls_name_the_driver_and_displays_hide_the_password() -> None:
    assert to_url("postgresql://u:p@db.example/county") == "postgresql+psycopg://u:p@db.example/county"
    assert to_url("postgres://u@db.example/county") == "postgresql+psycopg://u@db.example/county"
    assert to_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    db = Database("postgresql+psycopg://u:secret@db.example:5432/county",
                  create_engine("postgresql+psycopg://u:secret@db.example:5432/county"))
    try:
        assert "secret" not in db.display and "db.example:5432/county" in db.display
    finally:
        db.dispose()
