"""The lazy 监督事项 model and its loader without a view (STYLE.md habit 6), over real services where it matters."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush

from hecun_office.services import demo
from hecun_office.services.search import MatterFilter, MatterPage, MatterRow, list_matters
from hecun_office.storage.uow import Database
from hecun_office.ui import style
from hecun_office.ui.matters import list_loader
from hecun_office.ui.matters.list_loader import MatterListLoader
from hecun_office.ui.models.matter_table import (
    COL_COMPLAINANT,
    COL_DEADLINE,
    COL_STATUS,
    COL_TITLE,
    MatterTableModel,
)

from .conftest import TODAY, pinned_today

DISPLAY = Qt.ItemDataRole.DisplayRole
ROOT = QModelIndex()


def row(n: int, overdue: bool = False) -> MatterRow:
    return MatterRow(id=n, reg_no=f"贺监登〔2026〕{n}号", received_on=date(2026, 3, 5), source_label="12345政务服务热线",
                     units="贺村镇综合行政执法队", title=f"事项{n}", status="rectifying", status_label="整改中",
                     handler="王晓", serious=False, rectification_deadline=date(2026, 3, 20),
                     category_label="具体行政行为的合法性", complainant="张* 138****5678", overdue=overdue)


def test_first_page_with_total_then_pages_on_demand(qapp) -> None:
    rows = [row(n) for n in range(1, 451)]
    calls: list[tuple[int, int]] = []

    def fetch(limit: int, offset: int) -> list[MatterRow]:
        calls.append((limit, offset))
        return rows[offset:offset + limit]

    model = MatterTableModel()
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    model.show_page(rows[:200], 450, fetch=fetch)
    assert resets == [200] and calls == []  # the first page came from elsewhere (a worker)
    assert (model.rowCount(), model.total, model.complete) == (200, 450, False)
    assert model.canFetchMore(ROOT) and not model.canFetchMore(model.index(0, 0))
    model.fetchMore(ROOT)
    model.fetchMore(ROOT)
    assert calls == [(200, 200), (200, 400)]
    assert (model.rowCount(), model.total, model.complete) == (450, 450, True)
    assert not model.canFetchMore(ROOT)
    model.fetchMore(ROOT)
    assert calls == [(200, 200), (200, 400)]

    model.show_page(rows[:3], 3, fetch=fetch)  # a new filter starts over
    assert resets == [200, 3] and model.complete and model.total == 3


def test_a_capped_total_is_a_lower_bound_until_the_end(qapp) -> None:
    rows = [row(n) for n in range(1, 251)]
    model = MatterTableModel()
    model.show_page(rows[:200], 220, at_least=True, fetch=lambda limit, offset: rows[offset:offset + limit])
    assert model.total == 220 and model.total_is_lower_bound
    model.fetchMore(ROOT)
    assert model.total == 250 and not model.total_is_lower_bound


def test_masked_complainant_overdue_colour_and_category_tooltip(qapp) -> None:
    model = MatterTableModel()
    model.show_page([row(1, overdue=True), row(2)], 2)
    assert model.index(0, COL_COMPLAINANT).data(DISPLAY) == "张* 138****5678"
    red = model.index(0, COL_DEADLINE).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(red, QBrush) and red.color().name() == style.OVERDUE_TEXT
    assert isinstance(model.index(0, COL_STATUS).data(Qt.ItemDataRole.ForegroundRole), QBrush)
    assert model.index(1, COL_DEADLINE).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(0, COL_TITLE).data(Qt.ItemDataRole.ToolTipRole) == "事项1\n具体行政行为的合法性"


@pytest.fixture
def volume(db: Database) -> Database:
    demo.add_synthetic(db, 450, seed=3, batch=200)
    return db


def test_loader_in_place_pages_by_keyset_to_the_end(qapp, volume: Database) -> None:
    model = MatterTableModel()
    loader = MatterListLoader(volume, pinned_today, model)
    loaded: list[int] = []
    loader.loaded.connect(lambda: loaded.append(model.rowCount()))
    loader.load(MatterFilter())
    assert not loader.running and loaded == [200]  # a small office: read in place, at once
    assert model.total == 450
    while model.canFetchMore(ROOT):
        model.fetchMore(ROOT)
    everything = list_matters(volume, limit=1000, today=TODAY)
    assert [r.id for r in model.rows()] == [r.id for r in everything]
    loader.load(MatterFilter(text="问题监督", status="closed"))
    assert model.total == len(list_matters(volume, MatterFilter(text="问题监督", status="closed"), limit=1000))


def test_loader_on_a_worker_keeps_only_the_newest_filter(qtbot, volume: Database,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    queried: list[str] = []
    real = list_loader.search_matters

    def slow(db: Database, flt: MatterFilter, limit: int, today: date) -> MatterPage:
        queried.append(flt.text)
        release.wait(5)
        return real(db, flt, limit, today)

    monkeypatch.setattr(list_loader, "search_matters", slow)
    model = MatterTableModel()
    loader = MatterListLoader(volume, pinned_today, model)
    loader.background_from = 0  # as on a large database
    loader.load(MatterFilter(text="占道"))
    assert loader.running and model.rowCount() == 0
    loader.load(MatterFilter(text="违法建设"))  # typed on while the first query runs ...
    loader.load(MatterFilter(text="油烟扰民"))  # ... only the newest one is worth running
    release.set()
    with qtbot.waitSignal(loader.loaded, timeout=5000):
        pass
    assert queried == ["占道", "油烟扰民"]
    assert not loader.running
    assert model.rowCount() > 0 and all("油烟扰民" in r.title for r in model.rows())
    assert model.total == len(list_matters(volume, MatterFilter(text="油烟扰民"), limit=1000))


def test_loader_reports_a_failure(qtbot, volume: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> MatterPage:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(list_loader, "search_matters", broken)
    model = MatterTableModel()
    loader = MatterListLoader(volume, pinned_today, model)
    loader.background_from = 0
    with qtbot.waitSignal(loader.failed, timeout=5000) as blocker:
        loader.load(MatterFilter())
    assert isinstance(blocker.args[0], RuntimeError) and not loader.running
