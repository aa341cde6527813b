"""Issue 12 item 9 in the window: the bureau imports several packets at once and the 导入结果 table shows each
packet's counts (事项, 文书, 时限, 待答复协作函) and, under them, a total row with the notes grouped by kind."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from exchange_pair import Pair, make_pair
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView
from several_packets import several_packets

from hecun_office.services.packet_import import ImportStatus
from hecun_office.ui.exchange.tables import (
    OUT_ASSISTANCE,
    OUT_DETAIL,
    OUT_DOCUMENTS,
    OUT_FILE,
    OUT_MATTERS,
    OUT_OBLIGATIONS,
    OUT_SENDER,
    OUT_STATUS,
)

from .test_exchange_ui import exchange_page, import_through

pytestmark = pytest.mark.gui


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    made = make_pair(tmp_path)
    yield made
    made.dispose()


def test_the_outcome_table_shows_counts_per_packet_and_a_total(qtbot, pair: Pair, tmp_path: Path) -> None:
    files = several_packets(pair, tmp_path / "usb")
    bad = tmp_path / "usb" / "hecun-0009.hcpkt"
    bad.write_bytes(b"not a packet")
    win, bureau, chooser = exchange_page(qtbot, pair.bureau)
    import_through(qtbot, bureau, chooser, *files, bad)

    model = bureau.outcome_model
    assert [(o.seq, o.status) for o in model.rows()] == [
        (None, ImportStatus.REJECTED), (3, ImportStatus.IMPORTED), (2, ImportStatus.IMPORTED),
        (1, ImportStatus.IMPORTED)]
    assert model.rowCount() == 5  # four packets and the total
    cells = [[model.index(row, column).data() for column in
              (OUT_SENDER, OUT_MATTERS, OUT_DOCUMENTS, OUT_OBLIGATIONS, OUT_ASSISTANCE)] for row in range(5)]
    assert cells == [["—", "—", "—", "—", "—"], *[["贺村司法所", "2", "2", "2", "1"]] * 3,
                     ["4 个数据包", "6", "6", "6", "3"]]
    assert model.index(1, OUT_DETAIL).data().startswith("收到贺村司法所的执法协作函")  # one of its kind: as it is
    total = model.total_row()
    assert total == 4 and model.index(total, OUT_FILE).data() == "合计"
    assert model.index(total, OUT_STATUS).data() == "拒收 1 个、已导入 3 个"
    detail = model.index(total, OUT_DETAIL).data()
    assert detail.splitlines()[:2] == ["新收执法协作函，待司法局答复：3 件（应于 2026-03-26 前答复）",
                                       "执法协作函在收到前已反馈或办结，无需答复：3 件"]
    assert model.index(total, OUT_MATTERS).data(Qt.ItemDataRole.FontRole).bold()
    assert "合计" in bureau.result_text and "新事项 6 件" in bureau.result_text

    win.resize(1280, 720)
    qtbot.wait(50)
    header = bureau.outcomes.horizontalHeader()  # 说明 takes the room the count columns leave
    assert header.sectionResizeMode(OUT_DETAIL) == QHeaderView.ResizeMode.Stretch
    shot = Path(os.environ.get("HECUN_SHOT_DIR", tmp_path)) / "import-outcome-table.png"
    assert win.grab().save(str(shot)) and shot.stat().st_size > 0
