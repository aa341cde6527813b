"""Thin table models of 报送与同步 (STYLE.md habit 6): packets sent, import outcomes and history, enrolled offices
and a township's roster of supervised units."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...services.exchange_keys import PeerView
from ...services.import_report import Total, note_groups, total
from ...services.packet_export import SentPacket
from ...services.packet_import import HistoryRow, ImportOutcome, ImportStatus
from ...services.rosters import RosterUnit
from .. import style
from ..formatting import vocab_text
from ..models.base import ROOT, Column, Index, RowTableModel
from ..translate import QT_TRANSLATE_NOOP
from .texts import counts_text

C = "tables"


def _tr(text: str) -> str:
    return QCoreApplication.translate(C, text)


def _when(row: Any) -> str:
    at = getattr(row, "created_at", None) or getattr(row, "received_at", None)
    return f"{at:%Y-%m-%d %H:%M}" if at else ""


_RED = QColor(style.OVERDUE_TEXT)
_RED_BACKGROUND = QColor(style.OVERDUE_BACKGROUND)
_AMBER = QColor(style.SOON_TEXT)
_GREY = QColor(style.MUTED_TEXT)
_TOTAL_BACKGROUND = QColor("#eef2f7")


def status_decoration(status: ImportStatus, role: int) -> Any:
    """Refused packets in red, an alarm also on red ground and bold, a parked one amber."""
    if role == Qt.ItemDataRole.ForegroundRole:
        if status in (ImportStatus.REJECTED, ImportStatus.ALARM):
            return QBrush(_RED)
        if status == ImportStatus.PARKED:
            return QBrush(_AMBER)
    if status == ImportStatus.ALARM:
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(_RED_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
    return None


def _seq(seq: int | None) -> str:
    return str(seq) if seq else "—"


# --- import outcomes of the last runs, with a total row (issue 12 item 9) ------------------------------------------
(OUT_FILE, OUT_SENDER, OUT_SEQ, OUT_STATUS, OUT_MATTERS, OUT_DOCUMENTS, OUT_OBLIGATIONS, OUT_ASSISTANCE,
 OUT_DETAIL) = range(9)
# What each count column adds up (import_report.COUNT_LABELS names them all in 说明).
_SUMS = {OUT_MATTERS: ("matters_new", "matters_updated", "matters_followed"),
         OUT_DOCUMENTS: ("documents_new", "documents_updated"), OUT_OBLIGATIONS: ("obligations",),
         OUT_ASSISTANCE: ("assistance_requests",)}
_SUMMED = {key for keys in _SUMS.values() for key in keys}


@dataclass(frozen=True)
class OutcomeTotal:
    """The last row: how many packets, by result, and the counts and grouped notes of them all."""

    outcomes: tuple[ImportOutcome, ...]

    @property
    def total(self) -> Total:
        return total(self.outcomes)


def _count(column: int) -> Callable[[Any], str]:
    def text(r: ImportOutcome | OutcomeTotal) -> str:
        if isinstance(r, OutcomeTotal):
            counts = r.total.counts
        elif r.status == ImportStatus.IMPORTED:
            counts = r.counts
        else:
            return "—"
        return str(sum(counts.get(key, 0) for key in _SUMS[column]))
    return text


def _outcome_detail(r: ImportOutcome | OutcomeTotal) -> str:
    """The reason, the notes grouped by kind, and the counts the columns do not show."""
    if isinstance(r, OutcomeTotal):
        outcomes, counts = r.outcomes, r.total.counts
    elif r.status == ImportStatus.IMPORTED:
        outcomes, counts = (r,), r.counts
    else:
        outcomes, counts = (r,), {}
    lines = [o.reason for o in outcomes if o.reason and not isinstance(r, OutcomeTotal)]
    lines += [g.line() for g in note_groups(outcomes)]
    rest = {k: n for k, n in counts.items() if k not in _SUMMED}
    if rest:
        lines.append(_tr("另有：{counts}").format(counts=counts_text(rest)))
    return "\n".join(lines)


def _status(r: ImportOutcome | OutcomeTotal) -> str:
    if isinstance(r, OutcomeTotal):
        return "、".join(_tr("{label} {n} 个").format(label=vocab_text(s), n=n) for s, n in r.total.by_status.items())
    return vocab_text(r.status)


class OutcomeModel(RowTableModel):
    """One row per packet with its counts, and under them a total row (not one of ``rows()``)."""

    CONTEXT = C
    _total = OutcomeTotal(())
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "文件"), lambda r: _tr("合计") if isinstance(r, OutcomeTotal) else r.file_name,
               tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "发送方"), lambda r: _tr("{n} 个数据包").format(n=len(r.outcomes))
               if isinstance(r, OutcomeTotal) else r.sender_name or r.sender or "—"),
        Column(QT_TRANSLATE_NOOP(C, "编号"), lambda r: "" if isinstance(r, OutcomeTotal) else _seq(r.seq),
               centered=True),
        Column(QT_TRANSLATE_NOOP(C, "结果"), _status, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "事项"), _count(OUT_MATTERS), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "文书"), _count(OUT_DOCUMENTS), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "时限"), _count(OUT_OBLIGATIONS), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "待答复协作函"), _count(OUT_ASSISTANCE), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "说明"), _outcome_detail, tooltip=True),
    )

    def set_rows(self, rows: Sequence[Any]) -> None:
        self._total = OutcomeTotal(tuple(rows))
        super().set_rows(rows)

    def rowCount(self, parent: Index = ROOT) -> int:
        n = super().rowCount(parent)
        return n + 1 if n else 0

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() == len(self._rows) and self._rows:
            if role == Qt.ItemDataRole.DisplayRole or (role == Qt.ItemDataRole.ToolTipRole
                                                       and self.columns[index.column()].tooltip):
                return self.columns[index.column()].text(self._total)
            if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[index.column()].centered:
                return int(Qt.AlignmentFlag.AlignCenter)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(_TOTAL_BACKGROUND)
            return None
        return super().data(index, role)

    def total_row(self) -> int | None:
        return len(self._rows) if self._rows else None

    def decorate(self, row: ImportOutcome, column: int, role: int) -> Any:
        return status_decoration(row.status, role)


# --- import history -------------------------------------------------------------------------------------------
HIS_TIME, HIS_FILE, HIS_SENDER, HIS_SEQ, HIS_STATUS, HIS_REASON, HIS_BY = range(7)


class HistoryModel(RowTableModel):
    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "时间"), _when),
        Column(QT_TRANSLATE_NOOP(C, "文件"), lambda r: r.file_name, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "发送方"), lambda r: r.sender_name or r.sender or "—"),
        Column(QT_TRANSLATE_NOOP(C, "编号"), lambda r: _seq(r.seq), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "结果"), lambda r: vocab_text(r.status)),
        Column(QT_TRANSLATE_NOOP(C, "说明"), lambda r: r.reason or counts_text(r.counts), tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "经办人"), lambda r: r.received_by),
    )

    def decorate(self, row: HistoryRow, column: int, role: int) -> Any:
        return status_decoration(row.status, role)


# --- packets sent ---------------------------------------------------------------------------------------------
SENT_SEQ, SENT_FILE, SENT_TIME, SENT_CONTENT, SENT_ACK = range(5)


class SentModel(RowTableModel):
    """The office's data packets; 司法局已确认 comes from the bureau's return packets."""

    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "编号"), lambda r: str(r.seq), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "文件"), lambda r: r.file_name),
        Column(QT_TRANSLATE_NOOP(C, "时间"), _when),
        Column(QT_TRANSLATE_NOOP(C, "内容"), lambda r: counts_text(r.counts), tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "司法局已确认"), lambda r: _tr("是") if r.acknowledged else _tr("否"),
               centered=True),
    )

    def row_id(self, row: SentPacket) -> int | None:
        return row.seq


RET_OFFICE, RET_SEQ, RET_FILE, RET_TIME, RET_CONTENT = range(5)


class ReturnSentModel(RowTableModel):
    """The bureau's return packets, per office (offices do not acknowledge them, so no such column)."""

    CONTEXT = C

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.names: Mapping[str, str] = {}  # office code → name, set with the rows
        self.columns = (
            Column(QT_TRANSLATE_NOOP(C, "司法所"), lambda r: self.names.get(r.recipient, r.recipient)),
            Column(QT_TRANSLATE_NOOP(C, "编号"), lambda r: str(r.seq), centered=True),
            Column(QT_TRANSLATE_NOOP(C, "文件"), lambda r: r.file_name),
            Column(QT_TRANSLATE_NOOP(C, "时间"), _when),
            Column(QT_TRANSLATE_NOOP(C, "内容"), lambda r: counts_text(r.counts), tooltip=True),
        )


# --- enrolled offices (bureau) ----------------------------------------------------------------------------------
PEER_CODE, PEER_NAME, PEER_FPR, PEER_IN, PEER_OUT, PEER_SINCE = range(6)


class PeerModel(RowTableModel):
    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "代码"), lambda r: r.code),
        Column(QT_TRANSLATE_NOOP(C, "名称"), lambda r: r.name),
        Column(QT_TRANSLATE_NOOP(C, "指纹"), lambda r: r.shown, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "已收到"), lambda r: _tr("至第 {n} 号").format(n=r.in_seq) if r.in_seq
               else _tr("尚未收到"), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "回执已发"), lambda r: _tr("{n} 个").format(n=r.out_seq), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "登记日期"), lambda r: f"{r.enrolled_at:%Y-%m-%d}"),
    )

    def row_id(self, row: PeerView) -> int | None:
        return None

    def code_at(self, row: int) -> str:
        return str(self.row_at(row).code)


# --- a township's roster of supervised units (bureau, S-5) ------------------------------------------------------
ROS_NAME, ROS_KIND, ROS_STATE = range(3)


class RosterModel(RowTableModel):
    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "单位名称"), lambda r: r.name, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "类型"), lambda r: r.kind_label),
        Column(QT_TRANSLATE_NOOP(C, "状态"), lambda r: _tr("在册") if r.active else _tr("已停用"), centered=True),
    )

    def row_id(self, row: RosterUnit) -> int | None:
        return None

    def find_name(self, name: str) -> int | None:
        return next((n for n, r in enumerate(self.rows()) if r.name == name), None)

    def decorate(self, row: RosterUnit, column: int, role: int) -> Any:
        """Units no longer supervised stay listed, in grey."""
        if not row.active and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_GREY)
        return None
