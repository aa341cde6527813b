"""The tables of 监督员与会议 (O-1..O-4): thin models over the services' rows; personal data comes masked."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from ...services.case_review import BatchRow, FileRow, UnitSummary
from ...services.meetings import DecisionRow, MeetingRow
from ...services.personnel import OfficerRow
from ...services.reminders import WARN_DAYS
from ...services.supervisors import ActivityRow, SupervisorRow
from .. import style
from ..formatting import table_date, vocab_text
from ..models.base import Column, RowTableModel
from ..translate import QT_TRANSLATE_NOOP

C = "supervision"


def _tr(text: str) -> str:
    return QCoreApplication.translate(C, text)


def _colours(state: str, role: int) -> Any:
    """"red" (ended, expired) or "amber" (ending soon): the T-5 colours."""
    pair = {"red": (style.OVERDUE_TEXT, style.OVERDUE_BACKGROUND),
            "amber": (style.SOON_TEXT, style.SOON_BACKGROUND)}.get(state)
    if pair is None:
        return None
    if role == Qt.ItemDataRole.ForegroundRole:
        return QBrush(QColor(pair[0]))
    if role == Qt.ItemDataRole.BackgroundRole:
        return QBrush(QColor(pair[1]))
    return None


# --- 法治监督员 ---------------------------------------------------------------------------------------------------
def term_text(row: SupervisorRow) -> str:
    return {"ending": _tr("即将届满"), "ended": _tr("已届满")}.get(row.term_state, _tr("在任"))


class SupervisorTableModel(RowTableModel):
    CONTEXT = C
    TERM_COLUMN = 8
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "姓名"), lambda r: r.name),
        Column(QT_TRANSLATE_NOOP(C, "类别"), lambda r: vocab_text(r.kind_label)),
        Column(QT_TRANSLATE_NOOP(C, "工作单位"), lambda r: r.unit, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "联系方式"), lambda r: r.contact),
        Column(QT_TRANSLATE_NOOP(C, "聘任日期"), lambda r: table_date(r.appointed_on)),
        Column(QT_TRANSLATE_NOOP(C, "任期届满"), lambda r: table_date(r.term_ends)),
        Column(QT_TRANSLATE_NOOP(C, "参与活动"), lambda r: str(r.activities), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "反映问题"), lambda r: str(r.reports), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "任期状态"), term_text, centered=True),
    )

    def decorate(self, row: SupervisorRow, column: int, role: int) -> Any:
        if column != self.TERM_COLUMN:
            return None
        return _colours({"ended": "red", "ending": "amber"}.get(row.term_state, ""), role)


class ActivityTableModel(RowTableModel):
    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "日期"), lambda r: table_date(r.on_date)),
        Column(QT_TRANSLATE_NOOP(C, "类别"), lambda r: vocab_text(r.kind_label)),
        Column(QT_TRANSLATE_NOOP(C, "登记号"), lambda r: r.reg_no or ""),
        Column(QT_TRANSLATE_NOOP(C, "情况"), lambda r: r.description, tooltip=True),
    )

    def row_id(self, row: ActivityRow) -> int | None:
        return row.matter_id


# --- 联席会议 -----------------------------------------------------------------------------------------------------
def decisions_text(row: MeetingRow) -> str:
    if not row.decisions:
        return _tr("无")
    text = _tr("{n} 条").format(n=len(row.decisions))
    if row.open_decisions:
        text += _tr("，未完成 {m} 条").format(m=row.open_decisions)
    return text


class MeetingTableModel(RowTableModel):
    CONTEXT = C
    DECISIONS_COLUMN = 3
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "会议日期"), lambda r: table_date(r.held_on)),
        Column(QT_TRANSLATE_NOOP(C, "会议名称"), lambda r: r.name, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "召集单位"), lambda r: r.convener, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "议定事项"), decisions_text),
        Column(QT_TRANSLATE_NOOP(C, "纪要"), lambda r: _tr("已起草") if r.minutes_document_id else _tr("未起草"),
               centered=True),
    )

    def decorate(self, row: MeetingRow, column: int, role: int) -> Any:
        return _colours("amber" if column == self.DECISIONS_COLUMN and row.open_decisions else "", role)


def decision_state(row: DecisionRow) -> str:
    if row.done_on is not None:
        return _tr("{date} 完成").format(date=table_date(row.done_on))
    return _tr("未完成") if row.due_on is not None else _tr("无时限")


class DecisionTableModel(RowTableModel):
    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "议定事项"), lambda r: r.text, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "责任单位"), lambda r: r.owner, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "完成时限"), lambda r: table_date(r.due_on)),
        Column(QT_TRANSLATE_NOOP(C, "完成情况"), decision_state),
    )

    def row_id(self, row: DecisionRow) -> int | None:
        return None


# --- 案卷评查 -----------------------------------------------------------------------------------------------------
def period_text(row: BatchRow) -> str:
    return f"{table_date(row.period_from)} — {table_date(row.period_to)}"


class BatchTableModel(RowTableModel):
    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "批次名称"), lambda r: r.name, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "评查期间"), period_text),
        Column(QT_TRANSLATE_NOOP(C, "单位数"), lambda r: str(len(r.units)), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "清单"), lambda r: str(r.listed), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "抽取"), lambda r: str(r.drawn), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "已评"), lambda r: str(r.scored), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "随机种子"), lambda r: _tr("未抽样") if r.seed is None else str(r.seed)),
    )


def score_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class FileTableModel(RowTableModel):
    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "被评查单位"), lambda r: r.unit, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "案卷编号"), lambda r: r.file_no),
        Column(QT_TRANSLATE_NOOP(C, "案件名称"), lambda r: r.title, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "抽中"), lambda r: _tr("是") if r.drawn else "", centered=True),
        Column(QT_TRANSLATE_NOOP(C, "得分"), lambda r: score_text(r.total), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "等次"), lambda r: r.grade or "", centered=True),
        Column(QT_TRANSLATE_NOOP(C, "事项"), lambda r: r.matter_reg_no or ""),
    )

    def decorate(self, row: FileRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not row.drawn:
            return QBrush(QColor(style.MUTED_TEXT))
        return None


def grades_text(row: UnitSummary) -> str:
    return "，".join(f"{grade} {n}" for grade, n in row.grades.items() if n)


class SummaryTableModel(RowTableModel):
    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "被评查单位"), lambda r: r.unit, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "清单"), lambda r: str(r.listed), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "抽取"), lambda r: str(r.drawn), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "已评"), lambda r: str(r.scored), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "平均分"), lambda r: score_text(r.average), centered=True),
        Column(QT_TRANSLATE_NOOP(C, "等次分布"), grades_text),
        Column(QT_TRANSLATE_NOOP(C, "发现问题"), lambda r: str(r.findings), centered=True),
    )

    def row_id(self, row: UnitSummary) -> int | None:
        return None


# --- 执法人员 -----------------------------------------------------------------------------------------------------
def days_text(row: OfficerRow) -> str:
    if row.days_left is None:
        return ""
    if row.days_left < 0:
        return _tr("已过期 {n} 天").format(n=-row.days_left)
    return _tr("{n} 天").format(n=row.days_left)


def officer_state(row: OfficerRow) -> str:
    if row.days_left is None:
        return ""
    if row.days_left < 0:
        return "red"
    return "amber" if row.days_left <= WARN_DAYS else ""


class OfficerTableModel(RowTableModel):
    CONTEXT = C
    columns = (
        Column(QT_TRANSLATE_NOOP(C, "单位"), lambda r: r.unit, tooltip=True),
        Column(QT_TRANSLATE_NOOP(C, "姓名"), lambda r: r.name),
        Column(QT_TRANSLATE_NOOP(C, "执法证号"), lambda r: r.certificate_no),
        Column(QT_TRANSLATE_NOOP(C, "证件类型"), lambda r: r.kind),
        Column(QT_TRANSLATE_NOOP(C, "身份证号"), lambda r: r.id_no),
        Column(QT_TRANSLATE_NOOP(C, "有效期至"), lambda r: table_date(r.expires_on)),
        Column(QT_TRANSLATE_NOOP(C, "剩余天数"), days_text),
        Column(QT_TRANSLATE_NOOP(C, "事项"), lambda r: r.matter_reg_no or ""),
    )

    def decorate(self, row: OfficerRow, column: int, role: int) -> Any:
        return _colours(officer_state(row), role) if column in (5, 6) else None
