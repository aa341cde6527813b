"""S-3 convergence: packets that reach the bureau in any order, some twice, leave it holding exactly what delivering
them once, in order, would — the gap parks, the duplicate changes nothing, the missing tail is simply not there yet.

The office's packets are made once for the module, with the bureau's acknowledgements in between so that later
packets carry only what changed (#2 and #4 need #1 and #3 before them to mean anything)."""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sync.pairs import (
    blank_template,
    copy_db,
    deliver,
    enrol,
    export,
    export_return,
    freeze,
    move,
    new_db,
    office_state,
    peer_state,
    register,
    shared_home,
    sqlite,
    statuses,
)

from hecun_office.services import setup
from hecun_office.sync import container, packet

PACKETS = 5


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("convergence-home")


@pytest.fixture(autouse=True)
def _isolated_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The keys made for the module keep their protection secrets here (overrides tests/conftest.py)."""
    monkeypatch.setenv("HECUN_OFFICE_HOME", str(home))


@dataclass(repr=False)  # hypothesis prints the arguments of a failing example: the plan is what matters
class Story:
    packets: list[tuple[str, bytes]]
    pristine_bureau: Path
    reference: list[dict[str, list[str]]]  # the bureau's view of the office after #1..#k delivered in order
    folder: Path
    counter: Iterator[int]

    def scratch(self) -> Path:
        path = self.folder / f"example-{next(self.counter)}"
        previous = self.folder / f"example-{int(path.name.split('-')[1]) - 1}"
        shutil.rmtree(previous, ignore_errors=True)
        return path / "bureau.sqlite3"


def _counts(data: bytes) -> dict[str, Any]:
    return dict(json.loads(container.read_zip(data)[packet.MANIFEST])["counts"])


@pytest.fixture(scope="module")
def story(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Story:
    folder = tmp_path_factory.mktemp("convergence")
    with shared_home(home):
        blank = blank_template(folder)
        office = new_db(blank, folder / "office.sqlite3", setup.default_profile())
        bureau = new_db(blank, folder / "bureau.sqlite3", setup.default_profile("bureau"))
        enrol(bureau, office)
        enrol(office, bureau)
        freeze(bureau)
        helper = sqlite(copy_db(folder / "bureau.sqlite3", folder / "helper" / "bureau.sqlite3"))
        packets: list[tuple[str, bytes]] = []

        def ship(acknowledge: bool) -> None:
            made = export(office, folder / f"out-{len(packets) + 1}")
            packets.append(made)
            assert statuses(deliver(helper, *made))[0][1] == "imported"
            if acknowledge:
                receipt = export_return(helper, "hecun", folder / f"receipt-{len(packets)}")
                assert statuses(deliver(office, *receipt))[0][1] == "imported"

        a = register(office, "占道经营处罚监督", date(2026, 2, 2))
        b = register(office, "违法建设查处监督", date(2026, 2, 3))
        ship(acknowledge=True)
        move(office, a, "start_verification", date(2026, 2, 10))
        c = register(office, "油烟扰民投诉处理监督", date(2026, 2, 11))
        ship(acknowledge=False)
        move(office, b, "start_verification", date(2026, 2, 12))
        ship(acknowledge=True)
        move(office, a, "close_no_issue", date(2026, 2, 20), reason="经核查执法程序合法")
        ship(acknowledge=False)
        register(office, "渣土运输执法监督", date(2026, 2, 24))
        move(office, c, "start_verification", date(2026, 2, 25))
        ship(acknowledge=False)
        freeze(helper)
        freeze(office)
        assert len(packets) == PACKETS
        # Incremental after each acknowledgement: #2 has A and C but not B, #4 only A.
        assert [_counts(d)["matters"] for _, d in packets] == [2, 2, 3, 1, 3]

        in_order = sqlite(copy_db(folder / "bureau.sqlite3", folder / "in-order" / "bureau.sqlite3"))
        reference = [office_state(in_order, "hecun")]
        for made in packets:
            assert statuses(deliver(in_order, *made))[0][1] == "imported"
            reference.append(office_state(in_order, "hecun"))
        freeze(in_order)
    assert reference[0]["matters"] == [] and len(reference[5]["matters"]) == 4
    assert len({repr(r) for r in reference}) == PACKETS + 1  # every packet changes what the bureau holds
    return Story(packets, folder / "bureau.sqlite3", reference, folder, itertools.count())


@st.composite
def deliveries(draw: st.DrawFn) -> tuple[int, list[int]]:
    """(how many of the office's first packets ever arrive, the order they arrive in, duplicates included)."""
    made = draw(st.integers(3, PACKETS))
    arrived = made - draw(st.integers(0, 2))  # the last ones may still be on a USB stick in a drawer
    order = list(draw(st.permutations(range(arrived))))
    for again in draw(st.lists(st.integers(0, arrived - 1), max_size=4)):
        order.insert(draw(st.integers(0, len(order))), again)
    return arrived, order


@settings(max_examples=25, deadline=None)
@given(deliveries())
@example((5, [4, 3, 2, 1, 0]))
@example((5, [1, 1, 4, 0, 2, 4, 3, 0]))
@example((3, [2, 2, 1, 0]))
def test_any_delivery_order_with_duplicates_converges_to_in_order_delivery(story: Story,
                                                                        plan: tuple[int, list[int]]) -> None:
    arrived, order = plan
    bureau = sqlite(copy_db(story.pristine_bureau, story.scratch()))
    try:
        outcomes = [o for i in order for o in deliver(bureau, *story.packets[i])]
        assert {o.status.value for o in outcomes} <= {"imported", "duplicate", "parked"}
        imported = [o.seq for o in outcomes if o.status.value == "imported"]
        assert imported == list(range(1, len(imported) + 1))  # each applied once, always in sequence
        assert len(imported) == arrived
        assert peer_state(bureau, "hecun")[0] == arrived
        assert office_state(bureau, "hecun") == story.reference[arrived]
    finally:
        bureau.dispose()
