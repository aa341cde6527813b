"""The table models on their own, without any view (STYLE.md habit 6)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush

from hecun_office.services.matters import MatterRow
from hecun_office.services.obligations import ObligationRow
from hecun_office.ui import style
from hecun_office.ui.models.base import ID_ROLE, ROW_ROLE
from hecun_office.ui.models.matter_table import (
    COL_DEADLINE,
    COL_RECEIVED,
    COL_REG_NO,
    COL_TITLE,
    MatterTableModel,
)
from hecun_office.ui.models.obligation_table import COL_LEFT, COL_SUBJECT, ObligationTableModel

DISPLAY = Qt.ItemDataRole.DisplayRole


def matter(n: int, deadline: date | None = None) -> MatterRow:
    return MatterRow(id=n, reg_no=f"贺监登〔2026〕{n}号", received_on=date(2026, 3, 5), source_label="12345政务服务热线",
                     units="贺村镇综合行政执法队", title=f"事项{n}", status="registered", status_label="登记",
                     handler="王晓", serious=False, rectification_deadline=deadline)


def obligation(status: str, left: int, provisional: bool = False) -> ObligationRow:
    return ObligationRow(id=1, kind="escalation_report", kind_label="逾期未改报告司法局",
                         title="逾期未改报告司法局：占道经营", matter_id=7, reg_no="贺监登〔2026〕7号",
                         trigger_on=date(2026, 3, 17), starts_on=date(2026, 3, 18), due=date(2026, 3, 20), weekday="星期五",
                         working_days_left=left, status=status, status_label={"open": "未到期", "overdue": "已逾期"}[status],
                         provisional=provisional, previous_due=None, met_on=None, note="")


def test_matter_model_columns_and_dates(qapp):
    model = MatterTableModel()
    model.load(lambda limit, offset: [matter(1, date(2026, 3, 20)), matter(2)][offset:offset + limit])
    assert model.rowCount() == 2
    assert model.columnCount() == 9
    headers = [model.headerData(c, Qt.Orientation.Horizontal, DISPLAY) for c in range(9)]
    assert headers == ["登记编号", "受理日期", "来源", "被监督单位", "标题", "状态", "承办人", "整改期限", "反映人"]
    assert model.index(0, COL_REG_NO).data(DISPLAY) == "贺监登〔2026〕1号"
    assert model.index(0, COL_RECEIVED).data(DISPLAY) == "2026-03-05"
    assert model.index(0, COL_DEADLINE).data(DISPLAY) == "2026-03-20"
    assert model.index(1, COL_DEADLINE).data(DISPLAY) == ""
    assert model.index(1, COL_TITLE).data(ID_ROLE) == 2
    assert model.index(1, COL_TITLE).data(ROW_ROLE).title == "事项2"
    assert model.find(2) == 1
    assert model.rowCount(model.index(0, 0)) == 0  # a table, not a tree


def test_a_provisional_rectification_deadline_is_marked_in_the_list(qapp):
    """T-3 / issue 11 item 15: a deadline in a year whose holidays are not imported is flagged where it is shown."""
    from dataclasses import replace

    model = MatterTableModel()
    model.load(lambda limit, offset: [replace(matter(1, date(2027, 2, 1)), deadline_provisional=True),
                                      matter(2, date(2026, 3, 20))][offset:offset + limit])
    assert model.index(0, COL_DEADLINE).data(DISPLAY) == "2027-02-01（待确认）"
    assert "待国务院通知确认" in model.index(0, COL_DEADLINE).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, COL_DEADLINE).data(DISPLAY) == "2026-03-20"


def test_matter_model_fetches_pages_lazily(qapp):
    rows = [matter(n) for n in range(1, 451)]
    calls: list[tuple[int, int]] = []

    def fetch(limit: int, offset: int) -> list[MatterRow]:
        calls.append((limit, offset))
        return rows[offset:offset + limit]

    model = MatterTableModel()
    model.load(fetch)
    assert model.rowCount() == MatterTableModel.PAGE and not model.complete
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 450 and model.complete
    assert not model.canFetchMore(QModelIndex())
    assert calls == [(200, 0), (200, 200), (200, 400)]


def test_obligation_model_colours_and_texts(qapp):
    model = ObligationTableModel()
    model.set_rows([obligation("overdue", -1), obligation("open", 0), obligation("open", 1),
                    obligation("open", 3, provisional=True)])
    fg = Qt.ItemDataRole.ForegroundRole

    def colour(row: int) -> str | None:
        brush = model.index(row, 0).data(fg)
        return brush.color().name() if isinstance(brush, QBrush) else None

    assert colour(0) == style.OVERDUE_TEXT
    assert colour(1) == colour(2) == style.SOON_TEXT.lower()
    assert colour(3) is None
    assert model.index(0, COL_LEFT).data(DISPLAY) == "逾期 1 个工作日"
    assert model.index(1, COL_LEFT).data(DISPLAY) == "今日到期"
    assert model.index(3, COL_LEFT).data(DISPLAY) == "3 个工作日"
    assert model.index(0, COL_SUBJECT).data(DISPLAY) == "占道经营"  # the kind has its own column
    assert model.index(3, 3).data(DISPLAY) == "2026-03-20 星期五（待国务院通知确认）"
