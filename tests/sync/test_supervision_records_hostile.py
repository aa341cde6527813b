"""Issue 16: the supervision records of a packet are checked field by field before anything is kept. A signed
packet from a township whose program misbehaves (or was altered before signing) must be refused whole, with the
member named, never crash the import or store a half-record; long texts are cut to the columns' sizes."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from hecun_office.review.score_sheet import load_score_sheet, sheet_data
from hecun_office.services.packet_supervision import MEMBERS, apply_records
from hecun_office.storage.models import Meeting, ReviewBatch, Supervisor
from hecun_office.storage.uow import Database
from hecun_office.sync.errors import PacketRejected
from hecun_office.sync.packet import Opened


def _uuid() -> str:
    return str(uuid.uuid4())


def _good() -> dict[str, list[dict[str, Any]]]:
    return {
        "supervisor": [{"uuid": _uuid(), "version": 1, "name": "赵敏", "kind": "deputy", "unit": "镇人大",
                        "appointed_on": "2024-03-21", "term_ends": None, "note": "",
                        "activities": [{"uuid": _uuid(), "on_date": "2026-03-01", "kind": "inspection",
                                        "description": "", "matter_uuid": None}]}],
        "meeting": [{"uuid": _uuid(), "version": 1, "held_on": "2026-02-26", "name": "联席会议", "place": "",
                     "convener": "", "chair": "", "participants": "", "attendees": "", "observers": "", "topics": "",
                     "decisions": [{"key": "k1", "text": "甲", "owner": "", "due_on": "2026-03-03", "done_on": None,
                                    "done_note": ""}], "minutes_uuid": None}],
        "review_batch": [{"uuid": _uuid(), "version": 1, "name": "评查", "period_from": "2026-01-01",
                          "period_to": "2026-03-31", "reviewers": "", "seed": "7", "per_unit": 20,
                          "sheet_name": "评分表", "sheet": sheet_data(load_score_sheet()),
                          "files": [{"uuid": _uuid(), "unit_name": "执法队", "file_no": "1号", "title": "",
                                     "list_row": 2, "drawn": True, "scores": {"subject": 15}, "total": 15.0,
                                     "grade": "不合格", "finding": "", "scored_by": "王晓", "scored_on": "2026-03-02",
                                     "matter_uuid": None}]}],
    }


def _opened(records: dict[str, list[dict[str, Any]]]) -> Opened:
    members = {MEMBERS[kind]: json.dumps(rows, ensure_ascii=False).encode() for kind, rows in records.items()}
    return Opened(envelope=None, members=members)  # type: ignore[arg-type]  # apply_records reads members only


def _apply(db: Database, records: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    with db.uow() as session:
        apply_records(session, "qinghu", _opened(records), lambda uuids: {},
                      lambda kind, n: counts.__setitem__(kind, n))
    return counts


def _held(db: Database) -> tuple[int, int, int]:
    with db.uow() as session:
        return tuple(int(session.scalar(select(func.count()).select_from(m)) or 0)  # type: ignore[return-value]
                     for m in (Supervisor, Meeting, ReviewBatch))


def test_good_records_are_kept_once_and_texts_are_cut_to_their_columns(db: Database) -> None:
    records = _good()
    records["supervisor"][0]["note"] = "很长" * 1000
    assert _apply(db, records) == {"supervisor": 1, "meeting": 1, "review_batch": 1}
    assert _apply(db, records) == {"supervisor": 0, "meeting": 0, "review_batch": 0}  # same versions: nothing
    with db.uow() as session:
        assert len(session.scalars(select(Supervisor.note)).one()) == 500


HOSTILE = [
    ("supervisor", lambda r: r.update(version="2"), "字段格式不对"),
    ("supervisor", lambda r: r.update(name=123), "字段格式不对"),
    ("supervisor", lambda r: r.update(appointed_on="2026-13-40"), "字段格式不对"),
    ("supervisor", lambda r: r.update(activities="很多"), "字段格式不对"),
    ("supervisor", lambda r: r.update(activities=[{"uuid": _uuid()}] * 20_001), "字段格式不对"),
    ("supervisor", lambda r: r.update(uuid="../../etc/passwd"), "标识不对"),
    ("meeting", lambda r: r["decisions"].append("不是事项"), "议定事项格式不对"),
    ("meeting", lambda r: r["decisions"][0].update(due_on=20260303), "字段格式不对"),
    ("review_batch", lambda r: r["files"][0].update(scores={"subject": "满分"}), "评查得分格式不对"),
    ("review_batch", lambda r: r["files"].append(dict(r["files"][0], uuid=_uuid())), "重复的案卷"),
    ("review_batch", lambda r: r.update(sheet={"total": 100, "items": "主体"}), "评分表"),
    ("review_batch", lambda r: r.update(per_unit=True), "字段格式不对"),
]


@pytest.mark.parametrize(("kind", "spoil", "said"), HOSTILE, ids=[f"{k}-{n}" for n, (k, _, _) in enumerate(HOSTILE)])
def test_a_malformed_record_refuses_the_packet_and_keeps_nothing(db: Database, kind: str, spoil: Any,
                                                                 said: str) -> None:
    records = copy.deepcopy(_good())
    spoil(records[kind][0])
    with pytest.raises(PacketRejected, match=said):
        _apply(db, records)
    assert _held(db) == (0, 0, 0)


def test_a_record_claiming_the_uuid_of_another_offices_record_is_refused(db: Database) -> None:
    records = _good()
    _apply(db, records)
    with db.uow() as session:
        session.scalars(select(Supervisor)).one().office_code = "fenglin"
    records["supervisor"][0]["version"] = 2
    with pytest.raises(PacketRejected, match="标识冲突"):
        _apply(db, records)
