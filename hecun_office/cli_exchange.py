"""C / S-8: ``keys`` and ``packet`` subcommands.

packet import/verify exit with 0 (imported, or already imported), 3 (parked: a packet is missing before it) or
2 (rejected), the reason on stderr; other problems exit 1 like every command.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .cli_user import confirmed, signed_in


def add_parsers(sub: Any) -> None:
    k = sub.add_parser("keys", help="本机构密钥：查看、导出公钥、登记司法所公钥、绑定司法局公钥、更换密钥")
    ksub = k.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    ks = ksub.add_parser("show", help="显示本机构公钥指纹（用于登记表）")
    ks.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    ke = ksub.add_parser("export", help="导出本机构公钥登记文件")
    ke.add_argument("file", type=Path, metavar="FILE", help="写出的公钥文件（交对方登记）")
    for name, text in (("enroll", "（司法局）登记司法所的公钥文件或密钥更换声明"),
                       ("pin", "（司法所）绑定司法局的公钥文件或密钥更换声明")):
        kp = ksub.add_parser(name, help=text)
        kp.add_argument("file", type=Path, metavar="FILE", help="对方交来的公钥文件或密钥更换声明")
        kp.add_argument("--fingerprint", default="", help="登记表上对方盖章确认的指纹（至少前 8 组）")
        kp.add_argument("--replace", action="store_true", help="对方私钥丢失后重新登记（替换原公钥）")
    kr = ksub.add_parser("rotate", help="生成新密钥，并写出新旧密钥共同签署的更换声明")
    kr.add_argument("--out", type=Path, required=True, metavar="FILE", help="写出的密钥更换声明文件（交对方导入）")
    ksub.add_parser("list", help="已登记的对方机构")
    kz = ksub.add_parser("reset", help="私钥丢失时重置密钥（需对方核对新指纹后重新登记）")
    kz.add_argument("--yes", action="store_true", help="不再询问，直接重置")
    kx = ksub.add_parser("export-secret", help="导出本机私钥保护文件（口令加密），供同一数据库的另一台电脑使用")
    kx.add_argument("file", type=Path, metavar="FILE", help="写出的私钥保护文件")
    kx.add_argument("--passphrase", help="口令（至少 8 位；缺省时交互输入；也可用环境变量 HECUN_OFFICE_PASSPHRASE）")
    ki = ksub.add_parser("import-secret", help="导入另一台电脑导出的私钥保护文件")
    ki.add_argument("file", type=Path, metavar="FILE", help="另一台电脑导出的私钥保护文件")
    ki.add_argument("--passphrase", help="导出时设定的口令（缺省时交互输入）")

    p = sub.add_parser("packet", help="数据包：导出、校验、导入")
    psub = p.add_subparsers(dest="packet_command", metavar="ACTION", required=True)
    pe = psub.add_parser("export", help="导出数据包（司法所）或回执数据包（司法局，缺省为每个已登记的司法所）")
    pe.add_argument("--out", type=Path, default=Path.cwd(), metavar="DIR", help="数据包写到哪个文件夹（U盘等；缺省为当前文件夹）")
    pe.add_argument("--to", metavar="CODE", help="（司法局）只为该司法所导出回执")
    pv = psub.add_parser("verify", help="校验数据包（不导入）")
    pv.add_argument("file", type=Path, metavar="FILE", help="要校验的数据包文件（.hcpkt）")
    pi = psub.add_parser("import", help="导入数据包（可一次多个）")
    pi.add_argument("files", type=Path, nargs="+", metavar="FILE", help="要导入的数据包文件（.hcpkt，可多个）")
    pi.add_argument("--json", action="store_true", help="以 JSON 格式输出每个数据包的全部内容和说明，以及合计")
    pr = psub.add_parser("rewrite", help="按原样重新写出以前导出的数据包（U盘丢失时）")
    pr.add_argument("seq", type=int, help="数据包编号（见“报送与同步”或 packet history）")
    pr.add_argument("--to", metavar="CODE", help="收件机构代码（司法所端可省略）")
    pr.add_argument("--out", type=Path, default=Path.cwd(), metavar="DIR", help="写到哪个文件夹（缺省为当前文件夹）")
    ph = psub.add_parser("history", help="导入记录")
    ph.add_argument("--json", action="store_true", help="以 JSON 格式输出")


def cmd_keys(args: argparse.Namespace, db: Any) -> int:
    from .files import read_limited
    from .services import exchange_keys as ek
    from .sync.keys import MAX_KEY_FILE

    if args.keys_command == "show":
        own = ek.own_key(db)
        if args.json:
            print(json.dumps({"code": own.code, "name": own.name, "mode": own.mode, "fingerprint": own.fingerprint,
                              "shown": own.shown}, ensure_ascii=False))
        else:
            print(f"{own.name}（{own.code}）公钥指纹：{own.shown}")
        return 0
    if args.keys_command == "export":
        _write(args.file, ek.export_public(db))
        own = ek.own_key(db)
        print(f"已导出公钥登记文件 {args.file}。请把文件连同盖章的登记表（指纹 {own.shown}）交给对方。")
        return 0
    if args.keys_command in ("enroll", "pin"):
        mode = ek.own_key(db).mode
        if (args.keys_command == "enroll") != (mode == "bureau"):
            raise _usage("司法局端用 keys enroll 登记司法所公钥；司法所端用 keys pin 绑定司法局公钥。")
        key_file = ek.read_key_file(args.file)  # the checks the window makes before asking for the fingerprint
        actor = signed_in(db, args, "登记对方公钥")
        peer = ek.add_peer(db, actor, key_file.data, args.fingerprint, replace=args.replace)
        print(f"已登记：{peer.name}（{peer.code}），指纹 {peer.shown}。")
        return 0
    if args.keys_command == "rotate":
        statement = ek.rotate(db, signed_in(db, args, "更换密钥"))
        _write(args.out, statement)
        print(f"已生成新密钥，更换声明写入 {args.out}。请交对方导入（keys enroll / keys pin）。新指纹 {ek.own_key(db).shown}")
        return 0
    if args.keys_command == "export-secret":
        actor = signed_in(db, args, "导出私钥保护文件")
        _write(args.file, ek.export_key_secret(db, actor, _passphrase(args)))
        print(f"已导出私钥保护文件 {args.file}。请把文件和口令分开交给另一台电脑的管理员，导入后删除该文件。")
        return 0
    if args.keys_command == "import-secret":
        data = read_limited(args.file, MAX_KEY_FILE)  # before asking for the passphrase: the file may be wrong
        actor = signed_in(db, args, "导入私钥保护文件")
        count = ek.import_key_secret(db, actor, data, _passphrase(args))
        print(f"已导入 {count} 把密钥的保护文件，本机现在可以签名和解密数据包。")
        return 0
    if args.keys_command == "reset":
        actor = signed_in(db, args, "重置密钥")
        if not confirmed(args, "重置后旧密钥作废，对方须核对新指纹重新登记，在此之前数据包无法交换", "重置"):
            print("未重置，密钥没有改动。确认要重置请加 --yes 重新运行（或在终端按提示输入“重置”）。", file=sys.stderr)
            return 1
        own = ek.reset_keys(db, actor)
        print(f"已生成新密钥，指纹 {own.shown}。请导出公钥文件（keys export），连同盖章的登记表交对方重新登记。")
        return 0
    for peer in ek.list_peers(db):
        print(f"{peer.code}\t{peer.name}\t{peer.shown}\t收到至第 {peer.in_seq} 号\t发出 {peer.out_seq} 个（已确认 {peer.acked_seq}）")
    return 0


def cmd_packet(args: argparse.Namespace, db: Any, today: Any) -> int:
    from .services import exchange_keys as ek
    from .services import packet_export, packet_import
    from .services.intake import run_to_end

    writes = {"export": "导出数据包", "import": "导入数据包", "rewrite": "重新写出数据包"}
    if args.packet_command in writes:
        actor = signed_in(db, args, writes[args.packet_command])
    if args.packet_command == "export":
        if ek.own_key(db).mode == "office":
            results = [run_to_end(packet_export.export_data_packet(db, actor, args.out, today))]
        else:
            codes = [args.to] if args.to else [p.code for p in ek.list_peers(db)]
            if not codes:
                raise _usage("尚未登记任何司法所，没有可导出的回执。")
            results = [run_to_end(packet_export.export_return_packet(db, actor, c, args.out, today)) for c in codes]
        for r in results:
            if r.parts:
                print(f"内容较多，已分为 {len(r.parts)} 个连续的数据包（第 {r.parts[0].seq}–{r.parts[-1].seq} 号），"
                      "请全部交给对方：")
            for part in r.each():
                counts = "，".join(f"{k} {v}" for k, v in part.counts.items())
                print(f"已导出 {part.path}（第 {part.seq} 号，{part.size} 字节；{counts}）")
        return 0
    if args.packet_command == "rewrite":
        to = args.to or next((p.code for p in ek.list_peers(db) if p.kind == "bureau"), None)
        if to is None:
            raise _usage("请用 --to 指定收件机构代码。")
        print(f"已重新写出 {packet_export.rewrite_packet(db, to, args.seq, args.out)}")
        return 0
    if args.packet_command == "history":
        rows = packet_import.history(db)
        if args.json:
            print(json.dumps([{"at": r.received_at.isoformat(), "file": r.file_name, "sender": r.sender,
                               "seq": r.seq, "status": r.status.value, "reason": r.reason, "counts": r.counts}
                              for r in rows], ensure_ascii=False, indent=1))
        else:
            for r in rows:
                print(f"{r.received_at:%Y-%m-%d %H:%M}\t{r.file_name}\t{r.sender_name or r.sender or '-'}\t"
                      f"{r.seq or '-'}\t{r.status.label}\t{r.reason}")
        return 0
    if args.packet_command == "verify":
        outcome = packet_import.verify_packet(db, args.file)
        _report([outcome])
        return outcome.exit_code
    outcomes = run_to_end(packet_import.import_packets(db, actor, args.files, today))
    if args.json:
        from .services.import_report import as_json

        print(json.dumps(as_json(outcomes), ensure_ascii=False, indent=1))
    else:
        _report(outcomes)
    return packet_import.worst_exit(outcomes)


def _report(outcomes: Any) -> None:
    """One line per packet (on stderr for one not imported, with its reason), the notes grouped, the total."""
    from .services.import_report import report

    for line, error in report(outcomes):
        print(line, file=sys.stderr if error else sys.stdout)


def _passphrase(args: argparse.Namespace) -> str:
    import getpass
    import os

    given = args.passphrase or os.environ.get("HECUN_OFFICE_PASSPHRASE")
    if given:
        return str(given)
    if not sys.stdin.isatty():
        raise _usage("请用 --passphrase 或环境变量 HECUN_OFFICE_PASSPHRASE 提供口令。")
    return getpass.getpass("口令：")


def _usage(message: str) -> Exception:
    from .domain.errors import HecunError

    return HecunError(message)


def _write(path: Path, data: bytes) -> None:
    from .domain.errors import HecunError

    try:
        path.write_bytes(data)
    except OSError as exc:
        raise HecunError(f"无法写入 {path}：{exc.strerror or exc}") from None
