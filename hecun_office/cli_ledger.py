"""L-4: ``hecun-office ledger KIND --year YYYY [--month M] [--full-names] [--by office] --out FILE.xlsx``.

Exit 0 with where the ledger went and how many rows it has; 1 with one line in Chinese when the database, the
period or the target is not right (as every command); 2 for a usage error (an unknown KIND among them).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from .cli_user import signed_in

# The ledgers by their CLI names, spelled out here so that building the parser imports neither openpyxl nor the
# services (tests/test_cli_imports.py); tests/test_cli_ledger.py holds it equal to services.ledger_export.KINDS.
KINDS = ("matters", "documents", "advices", "league", "obligations", "reviews", "meetings", "certificates",
         "supervisors")
KIND_HELP = ("matters：监督事项台账；documents：文书登记簿；advices：建议书制发及整改落实情况表；"
             "league：月度晒绩表；obligations：时限登记簿；reviews：案卷评查情况表；meetings：联席会议议定事项落实情况表；"
             "certificates：执法人员持证情况表；supervisors：法治监督员名册")


def add_parser(sub: Any) -> None:
    p = sub.add_parser("ledger", help="导出台账（Excel）：监督事项台账、文书登记簿、建议书整改情况、月度晒绩表、时限登记簿，"
                       "及案卷评查、联席会议、执法人员持证、法治监督员名册")
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=KIND_HELP)
    p.add_argument("--year", type=int, required=True, metavar="YYYY", help="统计年份，例如 2026")
    p.add_argument("--month", type=int, metavar="M", help="统计月份 1–12（缺省为全年）")
    p.add_argument("--full-names", action="store_true",
                   help="投诉人姓名和电话不作遮挡（个人信息，导出记入审计日志）")
    p.add_argument("--by", choices=["office"], help="（司法局端，仅 league）按司法所汇总，每个司法所一行")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="写出的 Excel 文件")


def cmd_ledger(args: argparse.Namespace, db: Any, today: date) -> int:
    from .services.ledger_export import Period, export_ledger

    period = Period.of(args.year, args.month)
    result = export_ledger(db, args.kind, period, args.out, actor=signed_in(db, args, "导出台账"), full_names=args.full_names,
                           by_office=args.by == "office", today=today)
    print(f"已导出 {result.title}：{result.path}，共 {result.rows} 行。")
    return 0
