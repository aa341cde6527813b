"""A file far larger than any packet is refused before it is read whole (files.read_limited), and the refusal is
recorded like any other bad packet; verify says the same without recording anything."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hecun_office.services import packet_import
from hecun_office.services.audit import Actor
from hecun_office.services.import_report import report
from hecun_office.services.intake import run_to_end
from hecun_office.services.packet_import import ImportStatus, history, import_packets, verify_packet
from hecun_office.storage.uow import Database


def test_a_file_over_the_packet_limit_is_refused_and_recorded(db: Database, actor: Actor, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packet_import, "MAX_FILE", 1024)
    big = tmp_path / "江山市司法局-0001.hcpkt"
    big.write_bytes(b"\0" * 1025)
    assert verify_packet(db, big).status == ImportStatus.REJECTED
    assert history(db) == []
    [outcome] = run_to_end(import_packets(db, actor, [big], date(2026, 3, 2), backup=False))
    # the reason says why; the file is named beside it, in the outcome and in the printed line
    assert outcome.status == ImportStatus.REJECTED and "1 KB" in outcome.reason and outcome.file_name == big.name
    assert report([outcome]) == [(f"{big.name}：拒收。{outcome.reason}", True)]
    assert [(row.file_name, row.status) for row in history(db)] == [(big.name, ImportStatus.REJECTED)]
