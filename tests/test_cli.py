"""SPEC C and T-7 through the real command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from db_copies import DEMO_DAY, DemoTemplate, demo_copy

from hecun_office.cli import main

NOTICE_2027 = Path(__file__).parent / "workdays" / "data" / "notice_2027_madeup.txt"

@pytest.fixture(autouse=True)
def _signed_in(cli_user) -> None:
    cli_user("admin", "secret1")  # writing commands act as a named account (hecun_office/cli_user.py)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_workdays_add_json_as_a_separate_process(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "hecun_office", "--db", str(tmp_path / "w.sqlite3"), "workdays", "add",
                           "2026-02-15", "3", "--json"], capture_output=True, text=True, encoding="utf-8", check=False)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["due"] == "2026-02-26" and result["weekday"] == "星期四" and result["provisional"] is False
    assert "2026" in result["calendar"]


def test_workdays_add_into_an_unimported_year_is_provisional(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(tmp_path / "w.sqlite3"), "workdays", "add", "2026-12-30", "3", "--json")
    result = json.loads(out)
    assert code == 0
    # Wed 12-30 → 12-31 (1), 2027-01-01 元旦 skipped, weekend, Mon 01-04 (2), Tue 01-05 (3)
    assert result == {"due": "2027-01-05", "weekday": "星期二", "provisional": True, "calendar": result["calendar"]}
    assert "待国务院通知确认" in result["calendar"]
    code, out, _ = run(capsys, "--db", str(tmp_path / "w.sqlite3"), "workdays", "add", "2026-12-30", "3")
    assert out.strip() == "2027-01-05 星期二（待国务院通知确认）"


@pytest.mark.parametrize("argv", [["workdays", "add", "2026-02-30", "3"], ["workdays", "add", "2026-02-01", "0"],
                                  ["workdays", "add", "2026-02-01", "x"], ["calendar", "override", "2026-03-09", "rest"]])
def test_bad_arguments_exit_2_with_a_chinese_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(tmp_path / "w.sqlite3"), *argv])
    assert exc.value.code == 2
    assert "参数错误" in capsys.readouterr().err


def test_setup_then_check_passes_and_setup_twice_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "o.sqlite3")
    code, out, _ = run(capsys, "--db", db, "setup", "--mode", "office", "--user", "wang", "--name", "王晓燕",
                         "--password", "secret1")
    assert code == 0 and "贺村司法所" in out
    code, out, err = run(capsys, "--db", db, "--today", "2026-03-02", "check")
    assert code == 0, err
    assert "[通过] 审计日志链" in out and "[通过] 数据库结构版本" in out
    code, _, err = run(capsys, "--db", db, "setup")  # refused before any password is asked
    assert code == 1 and "已经完成初始设置" in err


def test_setup_with_a_profile_file_and_bad_profile_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "p.json"
    good.write_text(json.dumps({"name": "清湖司法所", "abbr": "清司", "code": "qinghu", "township": "清湖街道",
                                "registration_pattern": "清监登〔{year}〕{n}号"}, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "--db", str(tmp_path / "a.sqlite3"), "setup", "--profile", str(good), "--password", "secret1")
    assert code == 0 and "清湖司法所" in out, err
    bad = tmp_path / "bad.json"
    for content, fragment in (("{not json", "无法读取"), ('{"colour": 1}', "未知字段"), ('{"code": "清湖"}', "机构代码"),
                              ('{"registration_pattern": "X{n}"}', "{year}")):
        bad.write_text(content, encoding="utf-8")
        code, _, err = run(capsys, "--db", str(tmp_path / "b.sqlite3"), "setup", "--profile", str(bad), "--password", "secret1")
        assert code == 1 and fragment in err, err


def test_bureau_mode_setup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(tmp_path / "b.sqlite3"), "setup", "--mode", "bureau", "--password", "secret1")
    assert code == 0 and "江山市司法局" in out and "司法局端" in out


def set_up(capsys: pytest.CaptureFixture[str], db: str, *extra: str) -> str:
    code, _, err = run(capsys, "--db", db, "setup", "--password", "secret1", *extra)
    assert code == 0, err
    return db


def test_calendar_import_previews_then_imports_with_yes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = set_up(capsys, str(tmp_path / "c.sqlite3"))
    code, out, _ = run(capsys, "--db", db, "calendar", "import", str(NOTICE_2027))
    assert code == 0 and "未导入" in out and "2027-01-31 星期日 休息 → 上班" in out
    code, out, _ = run(capsys, "--db", db, "workdays", "add", "2027-02-04", "1", "--json")
    assert json.loads(out)["provisional"] is True
    code, out, _ = run(capsys, "--db", db, "calendar", "import", str(NOTICE_2027), "--yes")
    assert code == 0 and "已导入2027年" in out
    code, out, _ = run(capsys, "--db", db, "workdays", "add", "2027-02-04", "1", "--json")
    # the made-up notice: 02-05..02-12 off, so the next working day is Mon 02-15
    assert json.loads(out) | {"calendar": ""} == {"due": "2027-02-15", "weekday": "星期一", "provisional": False,
                                                  "calendar": ""}
    code, out, _ = run(capsys, "--db", db, "calendar", "coverage")
    assert "2027 国务院办公厅关于2027年部分节假日安排的通知" in out


def test_calendar_import_of_garbage_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = set_up(capsys, str(tmp_path / "c.sqlite3"))
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\xff\xfe garbage")
    code, _, err = run(capsys, "--db", db, "calendar", "import", str(junk), "--yes")
    assert code == 1 and "UTF-8" in err
    junk.write_text("今天天气很好。", encoding="utf-8")
    code, _, err = run(capsys, "--db", db, "calendar", "import", str(junk), "--yes")
    assert code == 1 and "请粘贴" in err
    code, out, _ = run(capsys, "--db", db, "calendar", "coverage", "--json")
    assert 2027 not in [row["year"] for row in json.loads(out)]


def test_calendar_import_reads_a_gbk_notice_and_refuses_a_huge_file(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    db = set_up(capsys, str(tmp_path / "c.sqlite3"))
    gbk = tmp_path / "通知（WPS）.txt"
    gbk.write_bytes(NOTICE_2027.read_text(encoding="utf-8").replace("\n", "\r\n").encode("gbk"))
    code, out, _ = run(capsys, "--db", db, "calendar", "import", str(gbk))
    assert code == 0 and "2027-01-31 星期日 休息 → 上班" in out
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(2 << 30)  # sparse
    code, _, err = run(capsys, "--db", db, "calendar", "import", str(huge), "--yes")
    assert code == 1 and "超过 1 MB" in err


@pytest.mark.xdist_group("demo")
def test_demo_builds_a_realistic_office_with_every_state(demo_template: DemoTemplate, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`--today 2026-11-20 demo` (run once for the session by the ``demo_template`` fixture, through main())."""
    from hecun_office.services import demo, matters
    from hecun_office.storage.opening import open_database

    assert demo_template.code == 0, demo_template.output
    db_file = demo_copy(demo_template, tmp_path / "demo.sqlite3")
    db = open_database(f"sqlite:///{db_file}")
    rows = matters.list_matters(db, limit=100_000)
    statuses = {r.status for r in rows}
    assert statuses >= {"registered", "verifying", "advice_issued", "rectifying", "closed", "overdue", "refused",
                        "serious", "escalated", "transferred", "assisting", "assistance_answered"}, statuses
    assert f"（{len(rows)} 件事项）" in demo_template.output  # it says how many matters it made
    demo.add_synthetic(db, 500)  # what --matters N adds for the benchmarks
    assert len(matters.list_matters(db, limit=100_000)) == len(rows) + 500
    db.dispose()
    code, _, err = run(capsys, "--db", str(db_file), "demo")
    assert code == 1 and "新的数据库" in err
    code, out, err = run(capsys, "--db", str(db_file), "--today", DEMO_DAY, "check")
    assert code == 0, out + err


def test_backup_then_restore_brings_back_the_saved_state(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "r.sqlite3"
    set_up(capsys, str(db))
    code, out, _ = run(capsys, "--db", str(db), "backup", "--out", str(tmp_path / "saved.sqlite3"))
    assert code == 0
    assert run(capsys, "--db", str(db), "calendar", "override", "2026-03-09", "rest", "--reason", "停电")[0] == 0
    code, out, err = run(capsys, "--db", str(db), "restore", str(tmp_path / "saved.sqlite3"))
    assert code == 1 and "未恢复" in err and "--yes" in err  # nothing restored is not a success
    code, out, err = run(capsys, "--db", str(db), "restore", str(tmp_path / "saved.sqlite3"), "--yes")
    assert code == 0 and "原数据库已保留" in out, err
    code, out, _ = run(capsys, "--db", str(db), "workdays", "add", "2026-03-06", "1", "--json")
    assert json.loads(out)["due"] == "2026-03-09"  # the override made after the backup is gone
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database" * 100)
    code, _, err = run(capsys, "--db", str(db), "restore", str(tmp_path / "junk.sqlite3"), "--yes")
    assert code == 1 and "损坏" in err


def test_database_chosen_by_environment_variable_and_db_flag_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    env_db, flag_db = tmp_path / "env.sqlite3", tmp_path / "flag.sqlite3"
    monkeypatch.setenv("HECUN_OFFICE_DB", str(env_db))
    assert run(capsys, "setup", "--password", "secret1")[0] == 0
    assert env_db.exists() and not flag_db.exists()
    assert run(capsys, "--db", str(flag_db), "setup", "--mode", "bureau", "--password", "secret1")[0] == 0
    assert flag_db.exists()
    code, _, err = run(capsys, "setup")  # the environment's database is already set up
    assert code == 1 and "已经完成初始设置" in err


# ---- issue 11: no account without a password; no database by mistake; restore only this installation's ----------


def test_setup_without_a_terminal_or_password_refuses_and_leaves_no_database(tmp_path: Path,
                                                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "county" / "b.sqlite3"
    code, _, err = run(capsys, "--db", str(db), "setup", "--mode", "bureau")
    assert code == 1 and "--password" in err and "未设置任何内容" in err
    assert not db.exists() and not list(db.parent.glob("b.sqlite3*"))  # no empty database to trip over later
    code, _, err = run(capsys, "--db", str(db), "setup", "--mode", "bureau", "--password", "12345")
    assert code == 1 and "至少 6 位" in err and not db.exists()


def test_setup_on_a_terminal_asks_twice_and_the_account_can_log_in(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    from hecun_office.services.users import authenticate
    from hecun_office.storage.opening import open_database

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    typed = iter(["county-pw1", "county-pw2"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(typed))
    db_file = tmp_path / "b.sqlite3"
    code, _, err = run(capsys, "--db", str(db_file), "setup", "--mode", "bureau")
    assert code == 1 and "不一致" in err and not db_file.exists()

    typed = iter(["county-pw1", "county-pw1"])
    code, out, err = run(capsys, "--db", str(db_file), "setup", "--mode", "bureau")
    assert code == 0 and "司法局端" in out, err
    db = open_database(f"sqlite:///{db_file}", create=False)
    try:
        assert authenticate(db, "admin", "county-pw1").role == "admin"
    finally:
        db.dispose()


@pytest.mark.parametrize("argv", [["check"], ["calendar", "coverage"], ["calendar", "show", "2026"], ["keys", "show"],
                                  ["packet", "history"], ["backup"]])
def test_a_mistyped_db_is_refused_and_nothing_is_created(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        argv: list[str]) -> None:
    db = tmp_path / "typo" / "offcie.sqlite3"
    code, _, err = run(capsys, "--db", str(db), *argv)
    assert code == 1 and "不存在" in err and "offcie.sqlite3" in err
    assert "setup" in err
    assert not (tmp_path / "typo").exists()


def test_restore_refuses_another_installations_backup_and_lists_only_its_own(tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    office, bureau, office2 = (str(tmp_path / n) for n in ("office.sqlite3", "bureau.sqlite3", "office-2.sqlite3"))
    set_up(capsys, office)
    set_up(capsys, bureau, "--mode", "bureau")
    set_up(capsys, office2, "--profile", str(_profile(tmp_path, code="qinghu", name="清湖司法所")))
    for db in (office, bureau, office2):
        assert run(capsys, "--db", db, "backup")[0] == 0
    code, out, _ = run(capsys, "--db", office, "restore")
    listed = out.split()
    assert code == 0 and len(listed) == 1 and Path(listed[0]).name.startswith("office-2026"), out

    bureau_backup = run(capsys, "--db", bureau, "restore")[1].split()[0]
    code, _, err = run(capsys, "--db", office, "restore", bureau_backup, "--yes")
    assert code == 1 and "江山市司法局" in err and "贺村司法所" in err and "未恢复" in err
    qinghu_backup = run(capsys, "--db", office2, "restore")[1].split()[0]
    code, _, err = run(capsys, "--db", office, "restore", qinghu_backup, "--yes")  # same mode, another office
    assert code == 1 and "清湖司法所" in err
    code, out, _ = run(capsys, "--db", office, "keys", "show")
    assert code == 0 and "江山市司法局" not in out and not list(tmp_path.glob("office-replaced-*"))


def _profile(tmp_path: Path, **values: str) -> Path:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    return path


def test_restore_onto_a_lost_database_file_takes_only_its_own_backup(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    office, bureau = set_up(capsys, str(tmp_path / "office.sqlite3")), str(tmp_path / "bureau.sqlite3")
    set_up(capsys, bureau, "--mode", "bureau")
    for db in (office, bureau):
        assert run(capsys, "--db", db, "backup")[0] == 0
    own, other = (run(capsys, "--db", db, "restore")[1].split()[0] for db in (office, bureau))
    for suffix in ("", "-wal", "-shm"):
        Path(office + suffix).unlink(missing_ok=True)
    code, _, err = run(capsys, "--db", office, "restore", other, "--yes")
    assert code == 1 and "不是它的备份" in err and not Path(office).exists()
    code, out, err = run(capsys, "--db", office, "restore", own, "--yes")
    assert code == 0 and "已从" in out, err
    code, out, _ = run(capsys, "--db", office, "keys", "show")
    assert code == 0 and "江山市司法局" not in out


def test_thinning_one_databases_backups_leaves_a_siblings_alone(tmp_path: Path) -> None:
    import os
    from datetime import datetime, timedelta

    from hecun_office.services.backups import thin
    from hecun_office.storage.backup import list_backups

    office, sibling = tmp_path / "office.sqlite3", tmp_path / "office-2.sqlite3"
    office.write_bytes(b"")
    sibling.write_bytes(b"")
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime(2026, 12, 1, 12)
    for name in ("office", "office-2"):
        for i in range(30):  # stale copies, several a day: thinning deletes most of them
            path = folder / f"{name}-202610{1 + i // 3:02d}-0{i % 3}0000-000000-daily.sqlite3"
            path.write_bytes(b"x")
            t = (now - timedelta(days=40 + i // 3, hours=i % 3)).timestamp()
            os.utime(path, (t, t))
    assert len(list_backups(office)) == 30 and not any(p.name.startswith("office-2-") for p in list_backups(office))
    assert all(p.name.startswith("office-2-") for p in list_backups(sibling))
    thin(office, now)
    assert len(list_backups(sibling)) == 30  # the sibling's backups are its own to thin
    assert len(list_backups(office)) < 30
