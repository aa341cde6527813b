"""O-4: ``hecun-office personnel import FILE.xlsx`` (a units' list of enforcement-certificate holders, acting as a
named account) and ``hecun-office personnel list [--expiring-within DAYS] [--json]`` (ID numbers masked)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from .cli_user import signed_in


def add_parser(sub: Any) -> None:
    p = sub.add_parser("personnel", help="执法人员：导入执法证持证人员名单、列出即将到期和已过期的执法证")
    psub = p.add_subparsers(dest="personnel_command", metavar="ACTION", required=True)
    i = psub.add_parser("import", help="导入执法人员名单（.xlsx：姓名、所在单位、执法证号、身份证号码、发证日期、有效期至）")
    i.add_argument("file", type=Path, metavar="FILE.xlsx", help="各单位报来的执法人员名单（.xlsx），按执法证号新增或更新")
    ls = psub.add_parser("list", help="列出执法人员（身份证号码遮挡）")
    ls.add_argument("--expiring-within", type=int, metavar="DAYS", help="只列出已过期或 DAYS 天内到期的执法证")
    ls.add_argument("--json", action="store_true", help="以 JSON 格式输出（供其他程序读取）")


def cmd_personnel(args: argparse.Namespace, db: Any, today: date) -> int:
    from .services.personnel import import_list, list_officers

    if args.personnel_command == "import":
        result = import_list(db, signed_in(db, args, "导入执法人员名单"), args.file)
        print(f"已导入执法人员名单 {args.file.name}：新增 {result.added} 人，更新 {result.updated} 人。")
        if result.unmatched_units:
            print(f"注意：以下单位不在本所的被监督单位中，已按名单原样保存：{'、'.join(result.unmatched_units)}。")
        for problem in result.problems:
            print(f"未导入：{problem}。")
        return 0
    rows = list_officers(db, today, args.expiring_within)
    if args.json:
        print(json.dumps([{"unit": r.unit, "name": r.name, "certificate_no": r.certificate_no, "kind": r.kind,
                           "id_no": r.id_no, "issued_on": r.issued_on.isoformat() if r.issued_on else None,
                           "expires_on": r.expires_on.isoformat() if r.expires_on else None, "status": r.status,
                           "days_left": r.days_left, "expired": r.expired} for r in rows],
                         ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        when = "" if r.expires_on is None else (
            f"已于 {r.expires_on.isoformat()} 过期" if r.expired else f"{r.expires_on.isoformat()} 到期（还有 {r.days_left} 天）")
        print(f"{r.unit}\t{r.name}\t{r.certificate_no}\t{r.id_no}\t{when}".rstrip())
    return 0
