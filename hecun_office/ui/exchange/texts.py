"""How packets, their contents and import outcomes read on screen, through Qt's translation (U-1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication

from ...services.import_report import note_groups, total
from ...services.packet_export import ExportResult
from ...services.packet_import import ImportOutcome, ImportStatus
from ..formatting import vocab_text
from ..translate import QT_TRANSLATE_NOOP
from .jobs import ImportRun, ReturnTarget

C = "exchange"

# Record counts of a packet's manifest (export) and of what an import applied, in the order a clerk reads them.
_COUNTS = (
    ("acknowledged", QT_TRANSLATE_NOOP(C, "确认收到至第 {n} 号")),
    ("matters", QT_TRANSLATE_NOOP(C, "事项 {n} 件")),
    ("matters_new", QT_TRANSLATE_NOOP(C, "新事项 {n} 件")),
    ("matters_updated", QT_TRANSLATE_NOOP(C, "更新事项 {n} 件")),
    ("matters_followed", QT_TRANSLATE_NOOP(C, "登记反馈的事项 {n} 件")),
    ("events", QT_TRANSLATE_NOOP(C, "办理记录 {n} 条")),
    ("events_new", QT_TRANSLATE_NOOP(C, "新办理记录 {n} 条")),
    ("documents", QT_TRANSLATE_NOOP(C, "文书 {n} 份")),
    ("documents_new", QT_TRANSLATE_NOOP(C, "新文书 {n} 份")),
    ("documents_updated", QT_TRANSLATE_NOOP(C, "更新文书 {n} 份")),
    ("assistance_requests", QT_TRANSLATE_NOOP(C, "待答复的协作请求 {n} 件")),
    ("assistance_settled", QT_TRANSLATE_NOOP(C, "无需答复的协作请求 {n} 件")),
    ("assistance_dropped", QT_TRANSLATE_NOOP(C, "不再需要答复的协作请求 {n} 件")),
    ("obligations", QT_TRANSLATE_NOOP(C, "时限 {n} 项")),
    ("attachments", QT_TRANSLATE_NOOP(C, "附件 {n} 个")),
    ("calendar_years", QT_TRANSLATE_NOOP(C, "节假日安排 {n} 年")),
    ("supervisor", QT_TRANSLATE_NOOP(C, "法治监督员 {n} 名")),
    ("meeting", QT_TRANSLATE_NOOP(C, "联席会议 {n} 次")),
    ("review_batch", QT_TRANSLATE_NOOP(C, "案卷评查批次 {n} 个")),
    ("officer", QT_TRANSLATE_NOOP(C, "执法人员 {n} 名")),
    ("files", QT_TRANSLATE_NOOP(C, "PDF 及附件文件 {n} 个")),
    ("units", QT_TRANSLATE_NOOP(C, "被监督单位名录 {n} 个")),  # the roster in a return packet (S-5)
)
_KNOWN = {key for key, _ in _COUNTS}


def tr(text: str) -> str:
    return QCoreApplication.translate(C, text)


def counts_text(counts: Mapping[str, int]) -> str:
    """事项 1 件、办理记录 4 条、文书 1 份 — zero counts left out; keys a newer version adds are shown as is."""
    parts = [tr(text).format(n=counts[key]) for key, text in _COUNTS if counts.get(key)]
    parts += [f"{key} {n}" for key, n in sorted(counts.items()) if key not in _KNOWN and n]
    return "、".join(parts) if parts else tr("无新的内容")


def export_message(result: ExportResult) -> str:
    if result.parts:
        files = "\n".join(tr("　{file}（第 {seq} 号）").format(file=p.file_name, seq=p.seq) for p in result.parts)
        return tr("内容较多，已分为 {n} 个连续的数据包：\n{files}\n位置：{folder}\n内容：{counts}。\n"
                  "请把这 {n} 个文件全部交司法局（U盘拷贝或上传），缺一个则后面的会暂存等待；司法局的回执确认收到后，"
                  "以后的数据包只包含此后的变化。").format(
            n=len(result.parts), files=files, folder=result.path.parent, counts=counts_text(result.counts))
    return tr("已导出数据包 {file}（第 {seq} 号）。\n位置：{folder}\n内容：{counts}。\n"
              "请把该文件交司法局（U盘拷贝或上传）；司法局的回执确认收到后，以后的数据包只包含此后的变化。").format(
        file=result.file_name, seq=result.seq, folder=result.path.parent, counts=counts_text(result.counts))


def returns_message(made: Sequence[tuple[ReturnTarget, ExportResult]], wanted: int) -> str:
    lines = [tr("已为 {n} 个司法所导出回执：").format(n=len(made))]
    for target, result in made:
        lines.append(tr("{office}：{file}（第 {seq} 号；{counts}）\n　位置：{folder}").format(
            office=target.name, file=result.file_name, seq=result.seq, counts=counts_text(result.counts),
            folder=result.path.parent))
    if len(made) < wanted:
        lines.append(tr("其余 {n} 个司法所的回执已取消，未导出，编号未占用。").format(n=wanted - len(made)))
    lines.append(tr("请把回执分别交各司法所，在其“报送与同步”中导入。"))
    return "\n".join(lines)


def run_summary(run: ImportRun, cancelled: bool = False) -> str:
    """The first line says it all: one packet's own summary, or a tally (已导入 2 个；拒收 1 个)."""
    tally: dict[ImportStatus, int] = {}
    for outcome in run.outcomes:
        tally[outcome.status] = tally.get(outcome.status, 0) + 1
    if len(run.outcomes) == 1:
        text = "\n".join([run.outcomes[0].summary, *(g.line() for g in note_groups(run.outcomes))])
    elif tally:
        text = "；".join(tr("{label} {n} 个").format(label=vocab_text(status), n=n) for status, n in tally.items())
        counts = total(run.outcomes).counts
        if counts:
            text += tr("。合计：{counts}").format(counts=counts_text(counts))
    else:
        text = tr("没有导入任何数据包。")
    lines = [text]
    if cancelled and run.remaining:
        lines.append(tr("已取消：其余 {n} 个文件未导入，可以稍后再导入。").format(n=run.remaining))
    lines.extend(run.unreadable)
    lines.extend(tr("“{name}”已处理，但无法移到“已处理”文件夹（{reason}），请手工移走。").format(name=name, reason=why)
                 for name, why in run.unmoved)
    return "\n".join(lines)


def alarming(run: ImportRun) -> bool:
    return any(o.status in (ImportStatus.REJECTED, ImportStatus.ALARM) for o in run.outcomes)


def verify_message(outcome: ImportOutcome) -> str:
    """校验数据包 (packet verify): what an import would do, with nothing imported or recorded."""
    lines = [tr("校验（未导入）：{summary}").format(summary=outcome.summary)]
    lines.extend(outcome.notes)
    if outcome.counts and outcome.status in (ImportStatus.VALID, ImportStatus.PARKED):
        lines.append(tr("内容：{counts}").format(counts=counts_text(outcome.counts)))
    lines.append(tr("只做了校验，没有导入，也不记入导入记录。"))
    return "\n".join(lines)


def verify_alarming(outcome: ImportOutcome) -> bool:
    return outcome.status in (ImportStatus.REJECTED, ImportStatus.ALARM)
