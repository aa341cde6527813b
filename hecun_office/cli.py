"""Entry point (SPEC C): no arguments opens the GUI; subcommands do the same work without a screen.

Exit status: 0 success; 1 a problem the user can fix (one line in Chinese on stderr); 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

# Only what every command needs: storage (SQLAlchemy, Alembic), services, reportlab and Qt are imported by the
# commands that use them, so that `render`, `forms` and `workdays` start without a database layer (issue 10);
# tests/test_cli_imports.py fails when one of them imports storage again.
from . import __version__, cli_exchange, cli_ledger, cli_personnel, cli_review, cli_text, logs, paths
from .cli_user import add_user_option, signed_in
from .domain.errors import EnvironmentProblem, HecunError

if TYPE_CHECKING:
    from .documents.forms import FormDef
    from .services.setup import ProfileInput, ProfileView
    from .storage.peek import EarlyCheck
    from .workdays import Deadline, WorkCalendar

log = logging.getLogger(__name__)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.strip().split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        # Well formed but no such day (2026-02-30, 2026-13-01): say so, it is not a format error.
        raise argparse.ArgumentTypeError(f"{text.strip()} 不是有效日期，请核对年月日（例如二月只有 28 或 29 天）")
    raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，例如 2026-03-05（收到：{text}）")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数（收到：{text}）") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数（收到：{text}）")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{message}\n")


JSON_HELP = "以 JSON 格式输出（供其他程序读取）"


def build_parser() -> argparse.ArgumentParser:
    cli_text.install()  # argparse's own words (用法, 参数, 无效的选择…) in Chinese
    p = _Parser(prog="hecun-office", description="乡镇司法所行政执法协调监督工作台")
    p.add_argument("--db", metavar="PATH_OR_URL", help="数据库文件或 URL（默认：用户数据目录中的 SQLite；也可用 HECUN_OFFICE_DB）")
    p.add_argument("--version", action="version", version=f"hecun-office {__version__}", help="显示程序版本并退出")
    p.add_argument("--today", type=_date, help=argparse.SUPPRESS)  # pin "today" for demonstrations and tests
    add_user_option(p)  # who a writing command acts as (cli_user.py)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("setup", help="不打开界面完成初始设置")
    s.add_argument("--mode", choices=["office", "bureau"], default="office",
                   help="office：司法所端（缺省）；bureau：司法局端（县级）")
    s.add_argument("--profile", type=Path, help="机构信息 JSON 文件（缺省为贺村司法所 / 江山市司法局）")
    s.add_argument("--user", default="admin", help="第一位用户的登录名")
    s.add_argument("--name", default="管理员", help="第一位用户的姓名")
    s.add_argument("--password", help="第一位用户的密码（至少 6 位；缺省时在终端上输入两次）")

    d = sub.add_parser("demo", help="生成演示数据库（贺村司法所，约 60 件事项）")
    d.add_argument("--matters", type=_positive, default=0, help="另外生成 N 件合成事项（用于性能测试）")
    d.add_argument("--seed", type=int, default=2026, help="随机数种子：同一种子生成同样的演示数据")

    w = sub.add_parser("workdays", help="工作日计算")
    wsub = w.add_subparsers(dest="workdays_command", metavar="ACTION", required=True)
    wa = wsub.add_parser("add", help="DATE 之后第 N 个工作日（当日不计入）")
    wa.add_argument("date", type=_date, help="起算日 YYYY-MM-DD（当日不计入）")
    wa.add_argument("n", type=_positive, help="工作日数")
    wa.add_argument("--json", action="store_true", help=JSON_HELP)
    wp = wsub.add_parser("period", help="自 DATE 起 N 日的期限（末日为休息日的顺延）")
    wp.add_argument("date", type=_date, help="起算日 YYYY-MM-DD")
    wp.add_argument("days", type=_positive, help="日数（自然日）")
    wp.add_argument("--json", action="store_true", help=JSON_HELP)

    c = sub.add_parser("calendar", help="工作日历")
    csub = c.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    cs = csub.add_parser("show", help="列出某年（或某月）的休息日和调休上班日")
    cs.add_argument("year", type=int, help="年份，例如 2026")
    cs.add_argument("--month", type=int, help="只列出该月（1–12）")
    cs.add_argument("--json", action="store_true", help=JSON_HELP)
    ci = csub.add_parser("import", help="导入国务院节假日安排通知（文本文件），先显示差异")
    ci.add_argument("file", type=Path, help="通知全文的文本文件（UTF-8 或 GBK）")
    ci.add_argument("--year", type=int, help="通知所属年份（缺省从通知中读出）")
    ci.add_argument("--yes", action="store_true", help="确认导入（缺省只预览差异）")
    cc = csub.add_parser("coverage", help="各年份日历来源")
    cc.add_argument("--json", action="store_true", help=JSON_HELP)
    co = csub.add_parser("override", help="人工调整某一天")
    co.add_argument("date", type=_date, help="要调整的日期 YYYY-MM-DD")
    co.add_argument("kind", choices=["work", "rest"], help="work：改为工作日；rest：改为休息日")
    co.add_argument("--reason", required=True, help="调整原因（记入日历和审计日志）")

    k = sub.add_parser("check", help="检查数据库完整性、迁移、审计链、日历覆盖、密钥、公文字体")
    k.add_argument("--json", action="store_true", help=JSON_HELP)

    b = sub.add_parser("backup", help="立即备份数据库")
    b.add_argument("--out", type=Path, help="备份文件的位置（缺省：数据库旁的 backups 文件夹）")

    r = sub.add_parser("restore", help="从备份恢复数据库（不带参数时列出现有备份）")
    r.add_argument("backup", type=Path, nargs="?", help="要恢复的备份文件（缺省时列出本数据库的备份）")
    r.add_argument("--yes", action="store_true", help="确认恢复")

    f = sub.add_parser("forms", help="格式文书（forms/ 目录中的文书定义）")
    fsub = f.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    fl = fsub.add_parser("list", help="列出全部格式文书")
    fl.add_argument("--json", action="store_true", help=JSON_HELP)
    fs = fsub.add_parser("show", help="某种文书的字段")
    fs.add_argument("form_id", metavar="FORM_ID", help="文书代码，例如 supervision_advice（见 forms list）")
    fs.add_argument("--json", action="store_true", help=JSON_HELP)

    rd = sub.add_parser("render", help="按 JSON 中的字段值生成文书样稿 PDF（带“样稿”水印）")
    rd.add_argument("form_id", metavar="FORM_ID", help="文书代码，例如 supervision_advice（见 forms list）")
    rd.add_argument("--data", type=Path, required=True, metavar="FILE.json", help="字段值（JSON 对象，日期写作 YYYY-MM-DD）")
    rd.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="生成的 PDF 文件")
    rd.add_argument("--preprinted", action="store_true", help="套打：在已印红头的纸上打印，版头留空")
    cli_exchange.add_parsers(sub)
    cli_ledger.add_parser(sub)
    cli_review.add_parser(sub)
    cli_personnel.add_parser(sub)
    return p


def _sqlite_path(args: argparse.Namespace) -> Path | None:
    """The SQLite file the command is about (``--db``, then HECUN_OFFICE_DB, then the data directory, as
    ``storage.opening.resolve_url`` has it), found without importing storage; None for a database URL."""
    text = args.db or os.environ.get("HECUN_OFFICE_DB") or str(paths.default_db_path())
    return None if "://" in text else Path(text).expanduser()


def _database_absent(args: argparse.Namespace) -> bool:
    """True when the database is an SQLite file that does not exist yet. Commands that only read (render,
    workdays) then use the defaults a new database would hold, create no file and import no storage code. A URL
    always goes through storage."""
    path = _sqlite_path(args)
    return path is not None and not path.exists()


def _open(args: argparse.Namespace, create: bool = False):  # type: ignore[no-untyped-def]
    """The database, migrated; a missing SQLite file is refused unless ``create`` (setup only, SPEC C)."""
    from .services.search import ensure_search_index
    from .services.setup import ensure_calendar
    from .storage.opening import open_database, resolve_url

    db = open_database(resolve_url(args.db), create=create)
    ensure_calendar(db)
    ensure_search_index(db)
    return db


def _today(args: argparse.Namespace) -> date:
    return args.today or date.today()


def _profile_units(raw: object) -> list[tuple[str, str]]:
    """The profile file's "units": [{"name": "清湖镇人民政府", "kind": "township_government"}, …]; the kind may also
    be given by its Chinese label (乡镇人民政府, 乡镇内设机构, 县级部门派驻机构, 受委托组织)."""
    from .domain.vocab import UnitKind

    by_label = {k.label: k.value for k in UnitKind}
    example = '"units": [{"name": "清湖镇人民政府", "kind": "乡镇人民政府"}]'
    if not isinstance(raw, list):
        raise HecunError(f"机构信息文件的 units 应为单位列表，例如 {example}。")
    units = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) \
                or not isinstance(item.get("kind"), str) or set(item) - {"name", "kind"}:
            raise HecunError(f"机构信息文件 units 的第 {n} 项应有 name 和 kind 两个字段，例如 {example}。")
        units.append((item["name"], by_label.get(item["kind"].strip(), item["kind"].strip())))
    return units


def cmd_setup(args: argparse.Namespace) -> int:
    from .services import setup

    profile = setup.default_profile(args.mode)
    if args.profile:
        try:
            values = json.loads(args.profile.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise HecunError(f"无法读取机构信息文件 {args.profile}：{exc}。请提供 UTF-8 编码的 JSON 文件。") from None
        if not isinstance(values, dict):
            raise HecunError("机构信息文件应为 JSON 对象，例如 {\"name\": \"贺村司法所\"}。")
        unknown = set(values) - set(vars(profile))
        if unknown:
            raise HecunError(f"机构信息文件含未知字段：{'、'.join(sorted(unknown))}。可用字段：{'、'.join(vars(profile))}。")
        if "units" in values:
            values["units"] = _profile_units(values["units"])
        for key, value in values.items():
            setattr(profile, key, value)
        profile.mode = args.mode
    new = _database_absent(args)
    db = _open(args, create=True)
    try:
        setup.refuse_if_set_up(db)  # before the password is typed twice for nothing
        password = _setup_password(args)
        setup.setup_database(db, profile, setup.UserInput(args.user, args.name, "admin", password))
    except BaseException:
        if new and db.file is not None:  # a refused set-up leaves no empty database behind
            db.dispose()
            _remove_database_file(db.file)
        raise
    print(f"已完成初始设置：{profile.name}（{'司法局端' if args.mode == 'bureau' else '司法所端'}），数据库 {db.display}")
    return 0


def _setup_password(args: argparse.Namespace) -> str:
    """The first user's password: ``--password``, else typed twice (hidden) on a terminal; never none (issue 11)."""
    import getpass

    from .services.users import MIN_PASSWORD

    password = args.password
    if password is None:
        if not sys.stdin.isatty():
            raise HecunError(f"未设置任何内容：第一位用户（{args.user}）需要密码。没有终端可以输入时，"
                             f"请用 --password 指定（至少 {MIN_PASSWORD} 位）。")
        password = getpass.getpass(f"为 {args.user} 设置密码（至少 {MIN_PASSWORD} 位）：")
        if len(password) >= MIN_PASSWORD and getpass.getpass("再输入一次：") != password:
            raise HecunError("两次输入的密码不一致，未设置任何内容。请重新运行 setup。")
    if len(password) < MIN_PASSWORD:
        raise HecunError(f"密码至少 {MIN_PASSWORD} 位，未设置任何内容。请重新运行 setup 并设置更长的密码。")
    return str(password)


def _remove_database_file(file: Path) -> None:
    for path in (file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
        path.unlink(missing_ok=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from .services import demo
    from .storage.opening import open_database, resolve_url

    url = resolve_url(args.db or str(paths.data_dir() / "demo.sqlite3"))
    db = open_database(url)
    count = demo.build_demo(db, today=_today(args), seed=args.seed)
    print(f"演示数据库：{db.display}（{count} 件事项）")
    if args.matters:
        added = demo.add_synthetic(db, args.matters, seed=args.seed)
        print(f"另外生成合成事项 {added} 件。")
    print(f"打开：hecun-office --db \"{db.display}\"")
    return 0


def _calendar(args: argparse.Namespace) -> tuple[WorkCalendar, Callable[[WorkCalendar, tuple[int, ...]], str]]:
    """The database's calendar and its label; without a database, the calendar a new one would be seeded with
    (chinese-calendar's years, ``services.calendar.seed_library``), and the database is not created for it."""
    if _database_absent(args):
        from .workdays import WorkCalendar, library_entries, library_years

        years = library_years()
        entries = {e.day: e for year in years for e in library_entries(year)}
        return WorkCalendar(entries, years), _calendar_label
    from .services.calendar import calendar_label, load_calendar

    db = _open(args)
    with db.uow() as session:
        return load_calendar(session), calendar_label


def _calendar_label(cal: WorkCalendar, uncovered: tuple[int, ...] = ()) -> str:
    # Same words as services.calendar.calendar_label, which cannot be imported without storage.
    years = sorted(cal.covered_years)
    text = f"已确认 {years[0]}–{years[-1]} 年" if years else "无已确认年份"
    if uncovered:
        text += f"；{'、'.join(map(str, uncovered))}年安排未导入，按法定节假日推算，待国务院通知确认"
    return text


def _deadline_json(args: argparse.Namespace, compute: Callable[[WorkCalendar], Deadline]) -> int:
    from .workdays import PROVISIONAL_LABEL, weekday_name

    cal, calendar_label = _calendar(args)
    result = compute(cal)
    label = calendar_label(cal, result.uncovered_years)
    due, provisional = result.due, result.provisional
    if args.json:
        print(json.dumps({"due": due.isoformat(), "weekday": weekday_name(due), "provisional": provisional,
                          "calendar": label}, ensure_ascii=False))
    else:
        print(f"{due.isoformat()} {weekday_name(due)}" + (f"（{PROVISIONAL_LABEL}）" if provisional else ""))
    return 0


def cmd_workdays(args: argparse.Namespace) -> int:
    if args.workdays_command == "add":
        return _deadline_json(args, lambda cal: cal.add_working_days(args.date, args.n))
    return _deadline_json(args, lambda cal: cal.period_end(args.date, args.days))


def cmd_calendar(args: argparse.Namespace) -> int:
    from .services import calendar as cal_service
    from .workdays import parse_notice, weekday_name

    db = _open(args)
    action = args.calendar_command
    if action == "show":
        with db.uow() as session:
            cal = cal_service.load_calendar(session)
        start = date(args.year, args.month or 1, 1)
        rows = []
        day = start
        while day.year == args.year and (args.month is None or day.month == args.month):
            entry = cal.entry(day)
            weekend = day.weekday() >= 5
            if entry.is_workday == weekend or args.month is not None:
                rows.append({"date": day.isoformat(), "weekday": weekday_name(day), "workday": entry.is_workday,
                             "source": entry.source.value, "note": entry.note})
            day += timedelta(days=1)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=1))
        else:
            covered = args.year in cal.covered_years
            print(f"{args.year}年{'' if covered else '（未导入国务院安排，以下为推算，待国务院通知确认）'}"
                  + ("" if args.month else "：非周末的休息日和周末上班日"))
            for r in rows:
                print(f"{r['date']} {r['weekday']} {'上班' if r['workday'] else '休息'} {r['note']}".rstrip())
        return 0
    if action == "coverage":
        with db.uow() as session:
            cov = cal_service.coverage(session)
        if args.json:
            print(json.dumps([{"year": c.year, "source": c.source, "detail": c.detail, "overrides": c.overrides}
                              for c in cov], ensure_ascii=False))
        else:
            for c in cov:
                print(f"{c.year} {c.detail}" + (f"（人工调整 {c.overrides} 天）" if c.overrides else ""))
            print(f"已确认 {len(cov)} 个年份；其余年份的期限按法定节假日推算（待国务院通知确认）。")
        return 0
    if action == "override":
        actor = signed_in(db, args, "调整工作日历")
        cal_service.override_day(db, actor, args.date, args.kind == "work", args.reason)
        print(f"已将 {args.date.isoformat()} 调整为{'工作日' if args.kind == 'work' else '休息日'}。")
        return 0
    # import
    arrangement = parse_notice(cal_service.read_notice_file(args.file), args.year)
    changes = cal_service.preview_arrangement(db, arrangement)
    print(f"{arrangement.year}年节假日安排：{len(arrangement.holidays)} 个假期，{len(arrangement.adjusted_workdays)} 个调休上班日；"
          f"与当前日历相比有 {len(changes)} 天不同：")
    for ch in changes:
        before = "无" if ch.before is None else ("上班" if ch.before.is_workday else "休息")
        print(f"  {ch.day.isoformat()} {weekday_name(ch.day)} {before} → {'上班' if ch.after.is_workday else '休息'} {ch.after.note}")
    if not args.yes:
        print("未导入。确认无误后加 --yes 重新运行以导入。")
        return 0
    alerts = cal_service.import_arrangement(db, signed_in(db, args, "导入节假日安排"), arrangement)
    print(f"已导入{arrangement.year}年节假日安排。")
    for alert in alerts:
        print("  " + alert)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .services.check import run_checks

    db = _open(args)
    results = run_checks(db, _today(args))
    if args.json:
        print(json.dumps([r.__dict__ for r in results], ensure_ascii=False))
    else:
        for r in results:
            print(f"[{'通过' if r.ok else '问题'}] {r.name}：{r.detail}")
    failed = [r for r in results if not r.ok]
    if failed:
        print(f"检查未通过：{failed[0].name}——{failed[0].detail}", file=sys.stderr)
        return 1
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from .services.backups import PG_BACKUP
    from .storage.backup import backup_sqlite

    db = _open(args)
    if db.file is None:
        raise HecunError(PG_BACKUP)
    path = backup_sqlite(db.engine, db.file, reason="manual", target=args.out)
    print(f"已备份到 {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    # The same checks and steps as 设置 → 数据维护 → 从备份恢复 (services/backups.py).
    from .services.backups import PG_RESTORE, check_backup_belongs, restore_database
    from .storage.backup import list_backups
    from .storage.engine import sqlite_file
    from .storage.lock import InstanceLock
    from .storage.opening import resolve_url

    db_file = sqlite_file(resolve_url(args.db))
    if db_file is None:
        raise HecunError(PG_RESTORE)
    if args.backup is None:
        backups = list_backups(db_file)  # this database's only, not those of others in the same folder
        if not backups:
            print(f"{db_file.parent / 'backups'} 中没有 {db_file.name} 的备份。")
        for path in backups:
            print(path)
        return 0
    check_backup_belongs(args.backup, db_file)
    if not args.yes:
        print(f"未恢复，数据库没有改动。将用 {args.backup} 替换 {db_file}（原文件会改名保留）；"
              "确认请加 --yes 重新运行。", file=sys.stderr)
        return 1
    with InstanceLock(db_file):
        actor = _restoring_actor(args, db_file)
        restored = restore_database(db_file, args.backup, actor=actor)
    print(f"已从 {args.backup.name} 恢复。" + (f"原数据库已保留为 {restored.aside.name}。" if restored.aside else "")
          + (f"恢复前的数据已备份到 {restored.safety_copy}。" if restored.safety_copy else ""))
    if restored.safety_problem:
        print(f"恢复前未能备份原数据库（{restored.safety_problem}），原文件已改名保留。", file=sys.stderr)
    if restored.missing_files:
        print(f"注意：恢复的数据库引用的 {restored.missing_files} 个文件（文书 PDF 或附件）在备份文件夹和本机都找不到，"
              "请运行 hecun-office check 查看是哪些。", file=sys.stderr)
    return 0


def _restoring_actor(args: argparse.Namespace, db_file: Path) -> Any:
    """Who restores: an account of the live database, or, when that file is gone or cannot be opened (the reason
    to restore), of the backup being restored — logged in on a scratch copy, so the backup itself stays as it is."""
    import shutil
    import tempfile

    from .storage.opening import open_database

    def sign_in(file: Path) -> Any:
        db = open_database(f"sqlite:///{file}", create=False)
        try:
            return signed_in(db, args, "从备份恢复")
        finally:
            db.dispose()

    if db_file.is_file():
        try:
            return sign_in(db_file)
        except EnvironmentProblem as exc:
            log.info("restore: the live database cannot be opened (%s); signing in against the backup", exc)
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / "backup.sqlite3"
        shutil.copyfile(args.backup, scratch)
        return sign_in(scratch)


def _form(form_id: str) -> FormDef:
    from .documents.forms import load_forms
    from .domain.errors import NotFound

    forms = load_forms()
    if form_id not in forms:
        raise NotFound(f"没有名为“{form_id}”的格式文书。可用的文书：{'、'.join(forms)}。")
    return forms[form_id]


def cmd_forms(args: argparse.Namespace) -> int:
    from .documents.forms import SIDE_LABELS, load_forms

    if args.forms_command == "list":
        forms = load_forms()
        rows = [{"id": f.id, "name": f.name, "side": f.side.value, "layout": f.layout.value} for f in forms.values()]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=1))
        else:
            for f in forms.values():
                print(f"{f.id:<24}{SIDE_LABELS[f.side]}  {f.name}")
        return 0
    form = _form(args.form_id)
    fields = []
    for fd in form.fields:
        entry: dict[str, object] = {"name": fd.name, "label": fd.label, "type": fd.type.value, "required": fd.required}
        if fd.choices:
            entry["choices"] = list(fd.choices)
        if fd.default is not None:
            shown = [v.isoformat() if isinstance(v, date) else v for v in fd.alternatives]
            entry["default"] = shown if isinstance(fd.default, tuple) else shown[0]
        if fd.max_length is not None:
            entry["max_length"] = fd.max_length
        if fd.minimum is not None:
            entry["min"] = fd.minimum
        if fd.maximum is not None:
            entry["max"] = fd.maximum
        if fd.help:
            entry["help"] = fd.help
        fields.append(entry)
    if args.json:
        print(json.dumps({"id": form.id, "name": form.name, "side": form.side.value, "layout": form.layout.value,
                          "number_pattern": form.number_pattern, "fields": fields}, ensure_ascii=False, indent=1))
        return 0
    print(f"{form.name}（{form.id}，{SIDE_LABELS[form.side]}）" + (f" 文号：{form.number_pattern}" if form.number_pattern else ""))
    for fd in form.fields:
        extra = f" 可选：{'、'.join(fd.choices)}" if fd.choices else ""
        print(f"  {fd.name:<22}{fd.type.value:<10}{'必填' if fd.required else '选填'}  {fd.label}{extra}")
    return 0


# services.setup.default_profile() as plain values: setup.py imports storage, which a draft without a database does
# not need (tests/test_cli_imports.py checks that the two agree).
_DEFAULT_OFFICE: dict[str, str | int] = {
    "mode": "office", "name": "贺村司法所", "code": "hecun", "abbr": "贺司", "township": "贺村镇", "county": "江山市",
    "bureau_name": "江山市司法局", "registration_pattern": "贺监登〔{year}〕{n}号", "rectification_days": 15,
    "periodic_report_workday": 5}


def _profile_for_render(args: argparse.Namespace) -> ProfileView | ProfileInput | SimpleNamespace:
    """The office profile of the database when one is set up there; otherwise the default profile.
    A database that does not exist yet is not created just to draft a document, and no storage code is loaded."""
    if _database_absent(args):
        return SimpleNamespace(**_DEFAULT_OFFICE)
    path = _sqlite_path(args)
    if path is not None:
        from .storage.peek import peek_profile  # the standard library only

        peeked = peek_profile(path)
        if peeked is not None:
            return SimpleNamespace(**peeked)
    from .services.setup import default_profile, read_profile
    from .storage.engine import sqlite_file
    from .storage.opening import open_database, resolve_url

    url = resolve_url(args.db)
    file = sqlite_file(url)
    if file is not None and not file.exists():
        return default_profile()
    db = open_database(url)
    try:
        return read_profile(db) or default_profile()
    finally:
        db.dispose()


def cmd_render(args: argparse.Namespace) -> int:
    from .documents.compose import compose, field_values
    from .domain.errors import ValidationError

    form = _form(args.form_id)
    try:
        data = json.loads(args.data.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise HecunError(f"无法读取字段值文件 {args.data}：{exc}。请提供 UTF-8 编码的 JSON 对象。") from None
    if not isinstance(data, dict):
        raise HecunError(f"字段值文件 {args.data} 应为 JSON 对象，例如 {{\"unit\": \"贺村镇综合行政执法队\"}}。")
    profile = _profile_for_render(args)
    today = _today(args)
    values = field_values(form, {"office": profile, "today": today}, data)
    try:
        spec = compose(form, values, profile, date=today, draft=True, preprinted=args.preprinted)
    except ValidationError as exc:  # the clerk's message names the label; the JSON's author needs the key too
        raise ValidationError(f"{exc.message}（字段值文件中的键：{exc.field}）", exc.field) from None
    from .documents.gbt9704 import render  # after validation: a data error is reported before fonts load

    rendered = render(spec)  # the fonts chosen in 设置 → 字体 on this PC, as the GUI's preview has them
    pdf = rendered.pdf
    try:
        args.out.write_bytes(pdf)
    except OSError as exc:
        raise HecunError(f"无法写入 {args.out}：{exc.strerror or exc}。") from None
    print(f"已生成样稿：{args.out}（{form.name}，{len(pdf)} 字节）")
    for warning in dict.fromkeys(rendered.warnings):  # substitutions are diagnostics: stdout stays the result
        print(f"注意：{warning}", file=sys.stderr)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "setup": cmd_setup, "demo": cmd_demo, "workdays": cmd_workdays, "calendar": cmd_calendar,
    "check": cmd_check, "backup": cmd_backup, "restore": cmd_restore, "forms": cmd_forms, "render": cmd_render,
    "keys": lambda args: cli_exchange.cmd_keys(args, _open(args)),
    "packet": lambda args: cli_exchange.cmd_packet(args, _open(args), _today(args)),
    "ledger": lambda args: cli_ledger.cmd_ledger(args, _open(args), _today(args)),
    "review": lambda args: cli_review.cmd_review(args),
    "personnel": lambda args: cli_personnel.cmd_personnel(args, _open(args), _today(args)),
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logs.configure(paths.data_dir())
    if args.command is None:
        from .qt_libs import report_missing  # no Qt import: names the X11 libraries Qt would abort for

        if report_missing():  # Linux with the xcb plugin only; prints the apt-get line in Chinese
            return 2
        early = _early_check(args)  # first: it runs while Qt and the window's modules are imported
        from .storage.opening import resolve_url
        from .ui.app import run_gui

        return run_gui(resolve_url(args.db), today=(lambda: args.today) if args.today else date.today,
                       early_check=early)
    try:
        return COMMANDS[args.command](args)
    except Exception as exc:
        if not _user_can_fix(exc):  # a bug: details to the log, one line to the user
            log.exception("command %s failed", args.command)
            print(f"程序内部错误，详情见日志 {paths.data_dir() / 'hecun-office.log'}。", file=sys.stderr)
            return 1
        # Problems the user can fix: one line (or the parser's few lines) in Chinese, no traceback.
        log.info("command %s refused: %s", args.command, exc)
        print(str(exc), file=sys.stderr)
        code = getattr(exc, "exit_code", 1)  # an error class may say it is a usage error (2), as argparse's are
        return code if isinstance(code, int) and code > 0 else 1


def _early_check(args: argparse.Namespace) -> EarlyCheck | None:
    """The GUI's integrity check of an existing SQLite file, started on a thread (storage.peek.EarlyCheck)."""
    path = _sqlite_path(args)
    if path is None or not path.is_file():
        return None
    from .storage.peek import EarlyCheck  # the standard library only

    return EarlyCheck(path)


def _user_can_fix(exc: Exception) -> bool:
    if isinstance(exc, HecunError):
        return True
    # The calendar's own errors; only a command that imported the calendar can raise them, so `render` does not
    # import it (and chinese-calendar's tables) just to name them here.
    workdays = sys.modules.get("hecun_office.workdays")
    return workdays is not None and isinstance(exc, (workdays.NoticeParseError, workdays.YearNotCovered))


def main_gui() -> int:
    return main([])


if __name__ == "__main__":
    raise SystemExit(main())
