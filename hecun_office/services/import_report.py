"""What a batch of imported packets reports (issue 12 item 9): one line per packet with its counts, the notes grouped
by kind with their number, and a total — instead of every packet's notes one by one (a county's first import gave
350 lines). The full detail stays in ``as_json``. Plain Chinese text for the command line; the window shows the same
figures through its own translated table (ui/exchange/tables.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .packet_import import ImportOutcome, ImportStatus

# Counts of what an import applied, in the order a clerk reads them, with their unit. Keys not listed are shown as is.
COUNT_LABELS: tuple[tuple[str, str], ...] = (
    ("matters_new", "新事项 {n} 件"),
    ("matters_updated", "更新事项 {n} 件"),
    ("events_new", "办理记录 {n} 条"),
    ("documents_new", "新文书 {n} 份"),
    ("documents_updated", "更新文书 {n} 份"),
    ("obligations", "时限 {n} 项"),
    ("attachments", "附件 {n} 个"),
    ("assistance_requests", "待答复协作函 {n} 件"),
    ("assistance_settled", "无需答复协作函 {n} 件"),
    ("assistance_dropped", "不再需答复协作函 {n} 件"),
    ("matters_followed", "登记反馈的事项 {n} 件"),
    ("calendar_years", "节假日安排 {n} 年"),
    ("units", "被监督单位名录 {n} 个"),
    ("supervisor", "法治监督员 {n} 名"),
    ("meeting", "联席会议 {n} 次"),
    ("review_batch", "案卷评查批次 {n} 个"),
    ("officer", "执法人员 {n} 名"),
    ("acknowledged", "确认收到至第 {n} 号"),
)
_KNOWN = {key for key, _ in COUNT_LABELS}
NOT_SUMMED = frozenset({"acknowledged"})  # a sequence number, not an amount

# Kinds of notes (packet_apply.Applied.note) and how their group reads: label, unit.
NOTE_KINDS: dict[str, tuple[str, str]] = {
    "assistance_open": ("新收执法协作函，待司法局答复", "件"),
    "assistance_settled": ("执法协作函在收到前已反馈或办结，无需答复", "件"),
    "assistance_dropped": ("待答复的执法协作函已在司法所反馈或办结，不再需要答复", "件"),
    "ack": ("对方确认收到本机此前发出的数据包", "次"),
}


_DUE = re.compile(r"应于 (\d{4}-\d{2}-\d{2}) 前答复")


@dataclass(frozen=True)
class NoteGroup:
    kind: str  # "" for notes without a kind: identical texts are grouped
    label: str
    count: int
    texts: tuple[str, ...]  # every note of the group, in order

    def line(self) -> str:
        """One line for the whole group: a single note as it is, more as their number (and when replies are due)."""
        if self.count == 1:
            return self.texts[0]
        if not self.kind:
            return f"{self.label}（{self.count} 次）"
        text = f"{self.label}：{self.count} {NOTE_KINDS.get(self.kind, ('', '条'))[1]}"
        due = sorted({m.group(1) for t in self.texts if (m := _DUE.search(t))})
        if due:
            text += f"（应于 {due[0]} 前答复）" if len(due) == 1 else f"（应于 {due[0]} 至 {due[-1]} 前答复）"
        return text


@dataclass(frozen=True)
class Total:
    packets: int
    by_status: dict[ImportStatus, int]
    counts: dict[str, int]


def counts_text(counts: dict[str, int]) -> str:
    parts = [text.format(n=counts[key]) for key, text in COUNT_LABELS if counts.get(key)]
    parts += [f"{key} {n}" for key, n in sorted(counts.items()) if key not in _KNOWN and n]
    return "、".join(parts) if parts else "无新的内容"


def packet_line(outcome: ImportOutcome) -> str:
    """贺村司法所第 2 号（hecun-0002.hcpkt）：已导入。新事项 3 件、…  — the reason instead of counts when not applied."""
    who = f"{outcome.sender_name or outcome.sender or '未知发送方'}第 {outcome.seq} 号（{outcome.file_name}）" \
        if outcome.seq else outcome.file_name
    detail = counts_text(outcome.counts) if outcome.status == ImportStatus.IMPORTED else outcome.reason
    return f"{who}：{outcome.status.label}。{detail}"


def note_groups(outcomes: Sequence[ImportOutcome]) -> list[NoteGroup]:
    """Notes of every packet by kind (in the order kinds first appear); notes without a kind by identical text."""
    grouped: dict[str, list[str]] = {}
    for o in outcomes:
        kinds = o.note_kinds or ("",) * len(o.notes)
        for text, kind in zip(o.notes, kinds, strict=False):
            grouped.setdefault(f"k:{kind}" if kind else f"t:{text}", []).append(text)
    out = []
    for key, texts in grouped.items():
        kind = key[2:] if key.startswith("k:") else ""
        label = NOTE_KINDS.get(kind, (kind,))[0] if kind else texts[0]
        out.append(NoteGroup(kind, label, len(texts), tuple(texts)))
    return out


def total(outcomes: Sequence[ImportOutcome]) -> Total:
    by_status: dict[ImportStatus, int] = {}
    counts: dict[str, int] = {}
    for o in outcomes:
        by_status[o.status] = by_status.get(o.status, 0) + 1
        if o.status == ImportStatus.IMPORTED:
            for key, n in o.counts.items():
                if key not in NOT_SUMMED:
                    counts[key] = counts.get(key, 0) + n
    return Total(len(outcomes), by_status, counts)


def total_line(outcomes: Sequence[ImportOutcome]) -> str:
    t = total(outcomes)
    statuses = "、".join(f"{status.label} {n} 个" for status, n in t.by_status.items())
    return f"合计：{t.packets} 个数据包（{statuses}）；{counts_text(t.counts)}。" if t.packets else "没有导入任何数据包。"


def report(outcomes: Sequence[ImportOutcome]) -> list[tuple[str, bool]]:
    """The lines ``packet import`` prints, each with whether it goes to stderr (a packet not imported: S-8)."""
    lines = [(packet_line(o), o.exit_code != 0) for o in outcomes]
    groups = note_groups(outcomes)
    if groups:
        lines.append(("说明：", False))
        lines += [(f"  {g.line()}", False) for g in groups]
    if len(outcomes) > 1 or groups:
        lines.append((total_line(outcomes), False))
    return lines


def as_json(outcomes: Sequence[ImportOutcome]) -> dict[str, Any]:
    """Everything, for scripts: each packet with its counts and every note (with its kind), and the total."""
    t = total(outcomes)
    return {
        "packets": [{"file": o.file_name, "sender": o.sender, "sender_name": o.sender_name, "seq": o.seq,
                     "status": o.status.value, "exit_code": o.exit_code, "reason": o.reason, "counts": o.counts,
                     "notes": [{"kind": k, "text": n} for n, k in
                               zip(o.notes, o.note_kinds or ("",) * len(o.notes), strict=False)]}
                    for o in outcomes],
        "total": {"packets": t.packets, "by_status": {s.value: n for s, n in t.by_status.items()},
                  "counts": t.counts},
    }
