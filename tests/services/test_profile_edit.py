"""Issue 11 item 17: the office profile can be changed — what may safely change, by whom, with before and after in
the audit log; a new 机关代字 numbers only what is issued from then on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from people import add_director
from sqlalchemy import select

from hecun_office.domain.errors import ValidationError
from hecun_office.domain.permissions import NotPermitted
from hecun_office.services import documents, matters, templates
from hecun_office.services.audit import Actor, verify_chain
from hecun_office.services.matters import TransitionInput
from hecun_office.services.setup import EDITABLE_FIELDS, read_profile, read_profile_edit, update_profile
from hecun_office.storage.models import AuditEntry
from hecun_office.storage.uow import Database

DAY = date(2026, 3, 2)


def test_the_administrator_changes_the_profile_and_the_audit_log_keeps_before_and_after(db: Database,
                                                                                       admin: Actor) -> None:
    before = read_profile_edit(db)
    assert before.name == "贺村司法所" and before.abbr == "贺司" and before.rectification_days == 15
    assert "code" not in EDITABLE_FIELDS and "mode" not in EDITABLE_FIELDS  # they identify the installation
    changed = update_profile(db, admin, replace(before, name=" 贺村镇司法所 ", abbr="贺镇司", rectification_days=20))
    assert changed == ["name", "abbr", "rectification_days"]
    after = read_profile(db)
    assert after is not None and (after.name, after.abbr, after.rectification_days) == ("贺村镇司法所", "贺镇司", 20)
    assert after.code == "hecun" and after.mode == "office"
    with db.uow() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.action == "office_profile.update" and entry.actor == "管理员"
        assert entry.detail == {"before": {"name": "贺村司法所", "abbr": "贺司", "rectification_days": 15},
                                "after": {"name": "贺村镇司法所", "abbr": "贺镇司", "rectification_days": 20}}
        assert verify_chain(session)[1] is None
        count = session.query(AuditEntry).count()
    assert update_profile(db, admin, read_profile_edit(db)) == []  # nothing changed: nothing written
    with db.uow() as session:
        assert session.query(AuditEntry).count() == count


def test_only_settings_managers_may_change_it(db: Database, actor: Actor) -> None:
    with pytest.raises(NotPermitted, match="修改系统设置"):
        update_profile(db, actor, replace(read_profile_edit(db), name="别的所"))
    profile = read_profile(db)
    assert profile is not None and profile.name == "贺村司法所"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "  ", "请填写机构名称"),
    ("abbr", "贺 司", "不能含空格"),
    ("abbr", "贺" * 17, "最多 16 个字"),
    ("county", "", "请填写所在县"),
    ("registration_pattern", "贺监登{n}号", "{year}"),
    ("registration_pattern", "贺监登〔{year}〕{n}号{x}", "只能使用"),
    ("rectification_days", 0, "1 到 365"),
])
def test_invalid_input_names_its_field_in_chinese(db: Database, admin: Actor, field: str, value: object,
                                                  message: str) -> None:
    with pytest.raises(ValidationError, match=message) as raised:
        update_profile(db, admin, replace(read_profile_edit(db), **{field: value}))
    assert raised.value.field == field


def test_a_new_abbreviation_numbers_future_documents_only(db: Database, actor: Actor, admin: Actor) -> None:
    director = add_director(db)

    def issued_advice() -> str:
        t = next(t for t in templates.list_templates(db) if t.name == "占道经营处罚未告知陈述申辩权")
        reg = matters.register_matter(db, actor, templates.matter_from_template(t, DAY, [matters.list_units(db)[1].id]),
                                      today=DAY)
        matters.transition_matter(db, actor, reg.id, TransitionInput("start_verification", DAY), today=DAY)
        doc = documents.create_draft(db, actor, "supervision_advice", reg.id,
                                     documents.draft_values(db, "supervision_advice", reg.id, DAY), DAY)
        documents.submit(db, actor, doc)
        documents.review(db, director, doc, approve=True)
        documents.issue(db, director, doc, DAY, today=DAY)
        number = documents.get_document(db, doc).number
        assert number is not None
        return number

    first = issued_advice()
    update_profile(db, admin, replace(read_profile_edit(db), abbr="贺镇司"))
    second = issued_advice()
    assert (first, second) == ("贺司建〔2026〕1号", "贺镇司建〔2026〕2号")  # the sequence counts on
    assert documents.get_document(db, 1).number == first  # an issued number is never rewritten
