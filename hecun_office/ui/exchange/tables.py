"""Thin table models of 报送与同步 (STYLE.md habit 6): packets sent, import outcomes and history, enrolled offices
and a township's roster of supervised units."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...services.exchange_keys import PeerView
from ...services.packet_export import SentPacket
from ...services.packet_import import HistoryRow, ImportOutcome, ImportStatus
from ...services.rosters import RosterUnit
from .. import style
from ..models.base import Column, RowTableModel
from ..translate import QT_TRANSLATE_NOOP
from .texts import counts_text, outcome_detail

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


# --- import outcomes of the last run -----------------------------------------------------------------------------
OUT_FILE, OUT_SENDER, OUT_SEQ, OUT_STATUS, OUT_DETAIL = range(5)


class OutcomeModel(RowTableModel):
    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "文件"), lambda r: r.file_name, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "发送方"), lambda r: r.sender_name or r.sender or "—"),
        Column(QT_TRANSLATE_NOOP(C, "编号"), lambda r: _seq(r.seq), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "结果"), lambda r: r.status.label),
        Column(QT_TRANSLATE_NOOP(C, "说明"), outcome_detail, tooltip=True),
    )

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
        Column(QT_TRANSLATE_NOOP(C, "结果"), lambda r: r.status.label),
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
