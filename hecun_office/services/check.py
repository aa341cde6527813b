"""``hecun-office check``: integrity, migrations, audit chain, calendar coverage, fonts (SPEC C, N-1)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..storage.migrate import current_revision, head_revision
from ..storage.models import CalendarYear
from ..storage.uow import Database
from .audit_records import Findings, examine

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


def run_checks(db: Database, today: date) -> list[CheckResult]:
    results: list[CheckResult] = []
    if db.is_sqlite:
        results.append(_integrity(db))
    current, head = current_revision(db), head_revision()
    results.append(CheckResult("数据库结构版本", current == head,
                               f"当前 {current}，最新 {head}" + ("" if current == head else "，请重新启动程序以升级")))
    with db.uow() as session:
        results.extend(_audit(examine(session)))
        years = set(session.scalars(select(CalendarYear.year)))
    if today.year in years:
        detail = f"{today.year}年已确认"
        if (today.month, today.day) >= (10, 15) and today.year + 1 not in years:
            detail += f"；{today.year + 1}年安排尚未导入（跨年期限为推算，待国务院通知确认）"
        results.append(CheckResult("工作日历", True, detail))
    else:
        results.append(CheckResult("工作日历", False, f"{today.year}年节假日安排尚未导入，请导入国务院通知"))
    results.append(_content_store(db))
    results.append(_keys(db))
    results.extend(_fonts())
    results.append(_forms())
    return results


def _integrity(db: Database) -> CheckResult:
    """Issue 15 item 7: the full ``integrity_check``, not start-up's ``quick_check``: only the full one compares
    each index with its table, so a changed byte in an indexed column (a matter's status, a document number) that
    leaves every page well-formed is found here. It reads the whole file: seconds for a county year, which is
    why start-up stays quick. SQLite lists up to 100 problems, one per row: the check's line shows the first two
    and the count, the log keeps them all."""
    with db.engine.connect() as conn:
        rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]
    if rows == ["ok"]:
        return CheckResult("数据库完整性", True, "integrity_check 正常")
    log.error("integrity_check of %s found %d problem(s):\n%s", db.display, len(rows), "\n".join(rows))
    shown = "；".join(r[:120] for r in rows[:2]) + (f"；等共 {len(rows)} 处" if len(rows) > 2 else "")
    return CheckResult("数据库完整性", False, f"数据库文件损坏（integrity_check 发现 {len(rows)} 处问题：{shown}）。"
                                             "请从备份恢复（restore），详情见日志。")


def _audit(found: Findings) -> list[CheckResult]:
    """Issue 15 item 8: the chain, the heads that left this database, and the records against the chain."""
    walked = found.walked
    if walked.problem is not None:
        return [CheckResult("审计日志链", False, walked.problem)]
    if found.heads:
        chain = CheckResult("审计日志链", False, f"{walked.count} 条记录自身哈希相接，但与已随数据包交出的链头不符（"
                            f"审计日志{found.summary(found.heads)}已不在链中）：审计日志被截断或整体重算过。"
                            "请从备份恢复（restore），并与数据包的接收方核对。")
    else:
        chain = CheckResult("审计日志链", True, f"{walked.count} 条记录，哈希链完整")
    before = (f"；{walked.before_records} 条审计记录早于记录哈希（0008 版升级前写入），其时的记录已在升级时补记"
              if walked.before_records else "")
    if found.problems:
        records = CheckResult("审计记录核对", False, f"记录与审计日志不符：{found.summary(found.problems)}。"
                              "数据可能被绕过本程序改动过，请从备份恢复（restore）并核对。")
    else:
        records = CheckResult("审计记录核对", True, f"{found.events} 条时间线记录、{found.documents} 份文书与审计日志一致"
                              + before)
    return [chain, records]


def _content_store(db: Database) -> CheckResult:
    """Issue 12 item 4: every PDF, attachment and kept packet the database names is in the content store, whole
    (each file read and hashed: seconds for a county year's gigabytes, which is why start-up does not do it)."""
    from ..storage.models import Attachment, Document, DocumentFile, PacketIn, PacketOut

    with db.uow() as session:
        named: dict[str, str] = {}
        for sha, number, title in session.execute(select(DocumentFile.sha256, Document.number, Document.title)
                                                  .join(Document, Document.id == DocumentFile.document_id)):
            named.setdefault(sha, f"文书“{number or title}”")
        for sha, name in session.execute(select(Attachment.sha256, Attachment.file_name)):
            named.setdefault(sha, f"附件“{name}”")
        for table in (PacketOut, PacketIn):
            for kept, name in session.execute(select(table.data_sha256, table.file_name)
                                              .where(table.data_sha256.is_not(None))):
                if kept:
                    named.setdefault(kept, f"数据包“{name}”")
        bad = [(what, problem) for sha, what in sorted(named.items())
               if (problem := db.blobs.verify(session, sha)) is not None]
    if not bad:
        return CheckResult("文书与附件文件", True, f"{len(named)} 个文件齐全，校验值一致")
    shown = "；".join(f"{what}{problem}" for what, problem in bad[:5]) + ("等" if len(bad) > 5 else "")
    return CheckResult("文书与附件文件", False, f"{len(bad)} 个文件缺失或损坏：{shown}。请从备份恢复（restore）。")


def _keys(db: Database) -> CheckResult:
    """S-6: the private key is usable here (its protection secret is on this machine) and who is enrolled; and
    which store protects that secret at rest (issue 13: DPAPI on Windows, a 0600 file elsewhere)."""
    from ..domain.errors import HecunError
    from ..sync import secret_store
    from .exchange_keys import list_peers, own_key, private_keys

    store = secret_store.active()
    try:
        own = own_key(db)
        with db.uow() as session:
            from ..storage.models import KeyPair

            pair = session.scalar(select(KeyPair).where(KeyPair.fingerprint == own.fingerprint))
            assert pair is not None
            private_keys(pair)
    except HecunError as exc:
        return CheckResult("数据包密钥", False, f"{exc.message}{store.description}。")
    peers = list_peers(db)
    names = "、".join(p.name for p in peers) or ("尚未登记任何司法所" if own.mode == "bureau" else "尚未绑定司法局公钥")
    return CheckResult("数据包密钥", not store.problem, f"本机构指纹 {own.shown}；对方：{names}；{store.description}")


def _fonts() -> list[CheckResult]:
    """One short line per role (D-6): its file, embedded or not, missing punctuation. A substitute font still
    passes (it is embedded, the page only looks different); the CID fallback does not, since that PDF prints
    differently on another PC."""
    from .font_settings import role_fonts, unusable_font_notes

    results = [CheckResult(f"{row.role}字体", row.embedded, row.summary) for row in role_fonts()]
    results.extend(CheckResult("字体文件", True, note) for note in unusable_font_notes())
    return results


def _forms() -> CheckResult:
    from ..domain.errors import HecunError
    from .documents import forms

    try:
        return CheckResult("文书格式", True, f"{len(forms())} 种格式文书校验通过")
    except HecunError as exc:
        return CheckResult("文书格式", False, exc.message)
