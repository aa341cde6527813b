"""Several data packets of 贺村 for the import-report tests (issue 12 item 9): three packets, each with two
执法协作函 — one still waiting, one answered at the office (登记司法局反馈) before the packet leaves."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from exchange_pair import Pair, account, request_assistance

from hecun_office.services import matters, packet_export
from hecun_office.services.audit import Actor
from hecun_office.services.intake import run_to_end
from hecun_office.services.matters import TransitionInput

DAYS = (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4))


def _request(pair: Pair, director: Actor, title: str, on: date) -> int:
    return request_assistance(pair.office, pair.office_admin, director, on, title)


def several_packets(pair: Pair, usb: Path) -> list[Path]:
    """hecun-0001 … hecun-0003 in ``usb``: two new matters, two requests (one waiting, one answered) each."""
    director = account(pair.office, "li", "李志明", "signer")
    out = []
    for n, day in enumerate(DAYS, start=1):
        _request(pair, director, f"第 {n} 批需要协作的事项甲", day)
        answered = _request(pair, director, f"第 {n} 批需要协作的事项乙", day)
        matters.transition_matter(pair.office, pair.office_admin, answered,
                                  TransitionInput("record_assistance_reply", day), today=day)
        out.append(run_to_end(packet_export.export_data_packet(pair.office, pair.office_admin, usb, day)).path)
    return out
