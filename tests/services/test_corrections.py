"""Issue 11 item 5: a registered matter is corrected as an action — before → after on the timeline and in the audit
log, personal data named but not shown, searchable under its new words, carried by the next packet, refused on a
matter the bureau holds read-only."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from exchange_pair import make_pair
from sqlalchemy import select

from hecun_office.domain.errors import ValidationError
from hecun_office.services import attachments, matters, packet_export, packet_import
from hecun_office.services.audit import Actor, verify_chain
from hecun_office.services.corrections import correct_matter
from hecun_office.services.intake import run_to_end
from hecun_office.services.matters import MatterFilter, MatterInput
from hecun_office.services.setup import default_actor
from hecun_office.storage.models import AuditEntry, Matter
from hecun_office.storage.uow import Database

DAY = date(2026, 3, 2)


def _registered(db: Database, actor: Actor) -> tuple[int, MatterInput]:
    units = matters.list_units(db)
    data = MatterInput(received_on=DAY, source="hotline", title="占道经营处罚未告知陈述申辩全", category="legality",
                       unit_ids=[units[1].id], facts="执法队罚款时未告知。", complainant_name="张三丰",
                       complainant_phone="13812345678")
    return matters.register_matter(db, actor, data, today=DAY).id, data


def test_a_correction_records_before_and_after_and_keeps_personal_data_off_the_timeline(
        db: Database, actor: Actor) -> None:
    matter_id, data = _registered(db, actor)
    units = matters.list_units(db)
    fixed = replace(data, title="占道经营处罚未告知陈述申辩权", complainant_name="张山峰",
                    unit_ids=[units[1].id, units[4].id])
    result = correct_matter(db, actor, matter_id, fixed, "标题错字；投诉人姓名经核对身份证更正", today=date(2026, 3, 3))
    assert result.fields == ["事项标题", "被监督单位", "投诉人/反映人"]
    detail = matters.matter_detail(db, matter_id, date(2026, 3, 3))
    assert (detail.title, detail.complainant_name) == ("占道经营处罚未告知陈述申辩权", "张山峰")
    assert detail.units == [units[1].name, units[4].name]
    event = detail.events[-1]
    assert (event.action_label, event.on, event.reason) == ("更正登记信息", date(2026, 3, 3),
                                                            "标题错字；投诉人姓名经核对身份证更正")
    assert "事项标题：占道经营处罚未告知陈述申辩全 → 占道经营处罚未告知陈述申辩权" in event.detail
    assert f"被监督单位：{units[1].name} → {units[1].name}、{units[4].name}" in event.detail
    assert "投诉人/反映人（已更正）" in event.detail and "张三丰" not in event.detail and "张山峰" not in event.detail
    with db.uow() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "matter.correct")).one()
        logged = json.dumps(entry.detail, ensure_ascii=False)
        assert "申辩全" in logged and "申辩权" in logged  # before and after
        assert "张三丰" not in logged and "张*" in logged  # personal data masked in the log
        assert verify_chain(session)[1] is None
    found = matters.list_matters(db, MatterFilter(text="申辩权"))
    assert [r.id for r in found] == [matter_id]  # the search index follows the correction


@pytest.mark.parametrize(("change", "reason", "field"), [
    ({}, "无变化", "title"),
    ({"title": "新标题"}, "  ", "reason"),
    ({"title": ""}, "删标题", "title"),
    ({"unit_ids": []}, "删单位", "unit_ids"),
    ({"unit_ids": [9999]}, "不存在的单位", "unit_ids"),
])
def test_bad_corrections_are_refused_in_chinese_and_change_nothing(
        db: Database, actor: Actor, change: dict[str, object], reason: str, field: str) -> None:
    matter_id, data = _registered(db, actor)
    with db.uow() as session:
        before = session.get(Matter, matter_id).version  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as err:
        correct_matter(db, actor, matter_id, replace(data, **change), reason, today=DAY)  # type: ignore[arg-type]
    assert err.value.field == field and err.value.message
    detail = matters.matter_detail(db, matter_id, DAY)
    assert detail.title == data.title and len(detail.events) == 1
    with db.uow() as session:
        assert session.get(Matter, matter_id).version == before  # type: ignore[union-attr]


def test_a_correction_travels_in_the_next_packet_and_the_bureau_cannot_correct_it(tmp_path: Path) -> None:
    pair = make_pair(tmp_path)
    try:
        office, clerk = pair.office, pair.office_admin
        matter_id, data = _registered(office, clerk)
        first = run_to_end(packet_export.export_data_packet(office, clerk, tmp_path / "usb1", DAY))
        run_to_end(packet_import.import_packets(pair.bureau, pair.bureau_admin, [first.path], DAY, backup=False))
        correct_matter(office, clerk, matter_id, replace(data, title="占道经营处罚未告知陈述申辩权"), "标题错字", DAY)
        second = run_to_end(packet_export.export_data_packet(office, clerk, tmp_path / "usb2", DAY))
        assert second.counts["matters"] == 1
        run_to_end(packet_import.import_packets(pair.bureau, pair.bureau_admin, [second.path], DAY, backup=False))
        with pair.bureau.uow() as session:
            held = session.scalars(select(Matter).where(Matter.office_code == "hecun")).one()
            held_id, title = held.id, held.title
        assert title == "占道经营处罚未告知陈述申辩权"
        bureau_detail = matters.matter_detail(pair.bureau, held_id, DAY)
        assert bureau_detail.events[-1].action_label == "更正登记信息" and not bureau_detail.correctable
        with pytest.raises(ValidationError, match="只能由该所更正"):
            correct_matter(pair.bureau, default_actor(pair.bureau), held_id, replace(data, title="局里改的"), "试图更正",
                           DAY)
        source = tmp_path / "照片.jpg"
        source.write_bytes(b"\xff\xd8photo")
        with pytest.raises(ValidationError, match="附件只能由该所添加"):
            attachments.add_attachment(pair.bureau, default_actor(pair.bureau), held_id, source)
    finally:
        pair.dispose()
