"""Issue 15 item 10: an alarm and a refusal of a packet whose sender is known name the office as the clerk knows
it (贺村司法所第 2 号), not by its code ("hecun第 2 号"), in the one-line summary and in the grouped report."""

from __future__ import annotations

from pathlib import Path

from hecun_office.services.import_report import report
from hecun_office.storage.uow import Database

from .conftest import PairFiles
from .pairs import copy_db, deliver, export, freeze, public_party, register, sender_of, sqlite

EMPTY = [("records/matters.json", b"[]", True), ("records/events.json", b"[]", True)]


def test_an_alarm_names_the_office(bureau: Database, office: Database, tmp_path: Path) -> None:
    register(office, "占道经营处罚监督")
    first = export(office, tmp_path / "1")
    freeze(office)
    restored = sqlite(copy_db(Path(str(office.file)), tmp_path / "restored" / "office.sqlite3"))
    register(office, "违法建设查处监督")
    second = export(office, tmp_path / "2")
    register(restored, "另一个版本的第二号数据包中的事项")  # an office restored from a backup exports its #2 again
    other_second = export(restored, tmp_path / "2x")
    restored.dispose()
    assert [o.status.value for o in deliver(bureau, *first) + deliver(bureau, *second)] == ["imported"] * 2
    alarm = deliver(bureau, *other_second)[0]
    assert alarm.status.value == "alarm"
    assert alarm.summary.startswith("贺村司法所第 2 号：拒收并告警。"), alarm.summary
    assert alarm.sender_name == "贺村司法所"
    lines = [line for line, _error in report([alarm])]
    assert lines[0].startswith("贺村司法所第 2 号（hecun-0002.hcpkt）"), lines
    assert not any("hecun第" in line for line in lines)


def test_a_packet_for_another_bureau_is_refused_naming_the_office(bureau: Database, office: Database,
                                                                 pair_files: PairFiles, tmp_path: Path) -> None:
    other = sqlite(copy_db(pair_files.other_bureau, tmp_path / "other.sqlite3"))
    party, box = public_party(other)
    other.dispose()
    outcome = deliver(bureau, "hecun-0001.hcpkt", sender_of(office).seal(EMPTY, recipient=party, recipient_box=box))[0]
    assert outcome.status.value == "rejected" and "不是发给本机构的" in outcome.reason
    assert outcome.summary.startswith("贺村司法所第 1 号：拒收。"), outcome.summary
