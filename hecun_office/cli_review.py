"""O-3: ``hecun-office review sample --files LIST.xlsx --seed N [--per-unit 20] [--json]`` — the sample of a case-file
review drawn from the units' list exactly as a review batch draws it (review/sampling.py), so that anyone holding the
list and the recorded seed can reproduce and check it. Reads no database."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser("review", help="案卷评查：按随机种子从案卷清单抽取评查案卷（可复核）")
    rsub = p.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    s = rsub.add_parser("sample", help="从各单位的案卷清单（.xlsx）抽样：每单位不少于 20 卷，不足的全部抽取")
    s.add_argument("--files", type=Path, required=True, metavar="LIST.xlsx", help="案卷清单（含被评查单位、案卷编号列）")
    s.add_argument("--seed", type=int, required=True, metavar="N", help="随机种子（记入评查记录；同一清单同一种子抽样结果相同）")
    s.add_argument("--per-unit", type=int, default=20, metavar="N", help="每个单位抽取的卷数（缺省 20）")
    s.add_argument("--json", action="store_true", help="以 JSON 格式输出（供其他程序读取）")


def cmd_review(args: argparse.Namespace) -> int:
    from .review.case_list import read_case_list
    from .review.sampling import draw

    sample = draw(read_case_list(args.files), args.seed, args.per_unit)
    if args.json:
        print(json.dumps({
            "seed": sample.seed, "per_unit": sample.per_unit,
            "units": [{"unit": u.unit, "listed": u.listed, "drawn": [
                {"number": f.number, "title": f.title, "row": f.row} for f in u.drawn]} for u in sample.units],
            "duplicates": [{"unit": f.unit, "number": f.number, "row": f.row} for f in sample.duplicates],
        }, ensure_ascii=False, indent=1))
        return 0
    print(f"随机种子 {sample.seed}，每单位抽取 {sample.per_unit} 卷（不足的全部抽取）：")
    for unit in sample.units:
        taken = "全部" if unit.all_taken else f"抽取 {len(unit.drawn)} 卷"
        print(f"{unit.unit}：清单 {unit.listed} 卷，{taken}")
        for f in unit.drawn:
            print(f"  {f.number}\t{f.title}".rstrip())
    for f in sample.duplicates:
        print(f"注意：第 {f.row} 行 {f.unit} {f.number} 与前面重复，只计一次。")
    return 0
