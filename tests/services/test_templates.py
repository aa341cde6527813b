"""M-4: frequent-matter templates seeded at set-up, edited by the director, used to register a matter."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from hecun_office.domain.errors import ValidationError
from hecun_office.domain.permissions import NotPermitted
from hecun_office.services import matters, templates
from hecun_office.services.audit import Actor
from hecun_office.services.templates import TemplateInput
from hecun_office.storage.models import Matter
from hecun_office.storage.uow import Database


def test_set_up_seeds_the_shipped_templates(db: Database) -> None:
    names = {t.name for t in templates.list_templates(db)}
    assert "占道经营处罚未告知陈述申辩权" in names
    assert len(names) == len(templates.DEFAULT_TEMPLATES)


def test_a_frequent_matter_is_registered_from_its_template(db: Database, actor: Actor) -> None:
    t = next(t for t in templates.list_templates(db) if t.name == "占道经营处罚未告知陈述申辩权")
    unit = matters.list_units(db)[1]
    data = templates.matter_from_template(t, date(2026, 3, 2), [unit.id])
    reg = matters.register_matter(db, actor, data, today=date(2026, 3, 2))
    with db.uow() as session:
        m = session.get(Matter, reg.id)
        assert m is not None
        assert (m.track, m.template_id, m.category) == ("frequent", t.id, "legality")
        assert "第四十四条" in m.legal_basis and m.title == t.title


def test_templates_are_managed_by_signer_or_admin_and_validated(db: Database, actor: Actor, admin: Actor) -> None:
    data = TemplateInput(name="违规收费", title="行政执法中违规收取费用", category="legality",
                         advice_text="立即停止违规收费并依法退还。", rectification_days=10)
    with pytest.raises(NotPermitted):
        templates.save_template(db, actor, data)
    tid = templates.save_template(db, admin, data)
    with pytest.raises(ValidationError, match="已有名为"):
        templates.save_template(db, admin, data)
    with pytest.raises(ValidationError, match="整改期限"):
        templates.save_template(db, admin, TemplateInput(**{**data.__dict__, "rectification_days": 0}), tid)
    templates.set_template_active(db, admin, tid, False)
    assert "违规收费" not in {t.name for t in templates.list_templates(db)}
    assert "违规收费" in {t.name for t in templates.list_templates(db, active_only=False)}
    with db.uow() as session:
        assert session.scalar(select(Matter.id).where(Matter.template_id == tid)) is None
