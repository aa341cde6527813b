"""M-4: frequent-matter (高频事项) templates — category, legal basis, standard advice text, rectification period —
so that a frequent matter is registered and its advice drafted in a minute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import NotFound, ValidationError
from ..domain.permissions import Permission, require
from ..domain.vocab import Category, Method, Source, Track
from ..storage.models import MatterTemplate
from ..storage.uow import Database
from . import audit
from .audit import Actor
from .matters import MatterInput

_PROCEDURE = "《中华人民共和国行政处罚法》"

# Drafted from the pilot plan's wording (§二(一)3 高频事项 with templates) and the common findings of township
# enforcement reviews; an office edits or adds its own in 设置 → 高频事项模板.
DEFAULT_TEMPLATES: list[dict[str, object]] = [
    dict(name="占道经营处罚未告知陈述申辩权", title="占道经营行政处罚未告知当事人陈述、申辩权利",
         category=Category.LEGALITY, method=Method.CASE_REVIEW,
         facts="经查，该单位对当事人占道经营行为作出行政处罚决定前，未告知当事人拟作出的行政处罚内容及事实、理由、依据，"
               "未告知当事人依法享有的陈述、申辩权利。",
         legal_basis=f"{_PROCEDURE}第四十四条、第四十五条",
         advice_text="严格执行行政处罚事先告知制度，作出行政处罚决定前依法告知当事人拟作出的行政处罚内容及事实、理由、依据，"
                     "并告知当事人依法享有陈述、申辩等权利，充分听取当事人意见；对已办结案件开展自查，发现问题及时依法纠正。",
         rectification_days=15),
    dict(name="执法人员未出示执法证件", title="执法人员实施检查时未主动出示行政执法证件",
         category=Category.QUALIFICATION, method=Method.INSPECTION,
         facts="经查，该单位执法人员在实施现场检查时，未主动向当事人或者有关人员出示行政执法证件。",
         legal_basis=f"{_PROCEDURE}第四十二条、第五十五条",
         advice_text="组织执法人员学习行政执法程序规定，执法时不少于两人并主动出示行政执法证件；对未取得执法证件的人员不得安排独立执法。",
         rectification_days=15),
    dict(name="处罚决定书未载明救济途径", title="行政处罚决定书未载明申请行政复议、提起行政诉讼的途径和期限",
         category=Category.LEGALITY, method=Method.CASE_REVIEW,
         facts="经案卷评查，该单位制作的行政处罚决定书未载明申请行政复议、提起行政诉讼的途径和期限。",
         legal_basis=f"{_PROCEDURE}第五十九条",
         advice_text="规范行政处罚决定书制作，依法载明申请行政复议、提起行政诉讼的途径和期限；使用统一的执法文书格式。",
         rectification_days=15),
    dict(name="执法信息未按规定公示", title="行政执法信息未按规定公示",
         category=Category.DISCLOSURE, method=Method.INSPECTION,
         facts="经查，该单位具有一定社会影响的行政处罚决定未在规定期限内依法公开。",
         legal_basis=f"{_PROCEDURE}第三十九条、第四十八条",
         advice_text="落实行政执法公示制度，依法及时公开行政执法主体、人员、职责、权限、依据、程序及具有一定社会影响的行政处罚决定。",
         rectification_days=15),
    dict(name="重大执法决定未经法制审核", title="重大行政执法决定作出前未经法制审核",
         category=Category.RESPONSIBILITY, method=Method.CASE_REVIEW,
         facts="经查，该单位作出的重大行政执法决定，在作出决定前未经法制审核。",
         legal_basis=f"{_PROCEDURE}第五十八条",
         advice_text="落实重大行政执法决定法制审核制度，明确审核机构和人员，未经法制审核或者审核未通过的，不得作出决定。",
         rectification_days=15),
    dict(name="划转事项业务指导培训不到位", title="行政执法事项划转后业务主管部门监管、指导、培训职责履行不到位",
         category=Category.DEPARTMENT_DUTIES, method=Method.WORK_REPORT,
         facts="经查，行政执法事项划转乡镇后，业务主管部门未按规定开展业务指导和培训，乡镇执法人员对相关事项的执法标准掌握不足。",
         legal_basis="《浙江省综合行政执法条例》相关规定",
         advice_text="依法履行划转事项的监管、指导、培训等职责，制定年度培训计划，及时向乡镇提供业务指导和技术支持。",
         rectification_days=30),
]


@dataclass
class TemplateInput:
    name: str
    title: str
    category: str
    method: str | None = None
    facts: str = ""
    legal_basis: str = ""
    advice_text: str = ""
    rectification_days: int = 15


@dataclass(frozen=True)
class TemplateRow:
    id: int
    name: str
    title: str
    category: str
    category_label: str
    method: str | None
    facts: str
    legal_basis: str
    advice_text: str
    rectification_days: int
    active: bool


def _row(t: MatterTemplate) -> TemplateRow:
    return TemplateRow(t.id, t.name, t.title, t.category, Category(t.category).label, t.method, t.facts,
                       t.legal_basis, t.advice_text, t.rectification_days, t.active)


def _check(data: TemplateInput) -> None:
    if not data.name.strip():
        raise ValidationError("请填写模板名称。", "name")
    if len(data.name.strip()) > 100:
        raise ValidationError("模板名称过长，请控制在 100 字以内。", "name")
    if not data.title.strip():
        raise ValidationError("请填写事项标题。", "title")
    if data.category not in {c.value for c in Category}:
        raise ValidationError("请选择监督内容。", "category")
    if data.method and data.method not in {m.value for m in Method}:
        raise ValidationError("监督方式无效，请重新选择。", "method")
    if not data.advice_text.strip():
        raise ValidationError("请填写标准建议内容，起草建议书时会自动填入。", "advice_text")
    if not 1 <= data.rectification_days <= 365:
        raise ValidationError("整改期限应在 1 到 365 天之间。", "rectification_days")


def seed_templates(session: Session, now: datetime) -> int:
    """Add the shipped templates whose names are not taken yet (set-up and demo)."""
    taken = set(session.scalars(select(MatterTemplate.name)))
    added = 0
    for t in DEFAULT_TEMPLATES:
        if t["name"] in taken:
            continue
        session.add(MatterTemplate(created_at=now, updated_at=now, **{k: (v.value if isinstance(v, Category | Method)
                                                                           else v) for k, v in t.items()}))
        added += 1
    return added


def list_templates(db: Database, active_only: bool = True) -> list[TemplateRow]:
    with db.uow() as session:
        query = select(MatterTemplate).order_by(MatterTemplate.name)
        if active_only:
            query = query.where(MatterTemplate.active.is_(True))
        return [_row(t) for t in session.scalars(query)]


def get_template(db: Database, template_id: int) -> TemplateRow:
    with db.uow() as session:
        t = session.get(MatterTemplate, template_id)
        if t is None:
            raise NotFound("该模板不存在，请刷新模板列表。")
        return _row(t)


def save_template(db: Database, actor: Actor, data: TemplateInput, template_id: int | None = None) -> int:
    require(actor.role, Permission.TEMPLATE_MANAGE)
    _check(data)
    now = datetime.now().replace(microsecond=0)
    with db.uow() as session:
        clash = session.scalar(select(MatterTemplate.id).where(MatterTemplate.name == data.name.strip()))
        if clash is not None and clash != template_id:
            raise ValidationError(f"已有名为“{data.name.strip()}”的模板，请换一个名称。", "name")
        t = session.get(MatterTemplate, template_id) if template_id else None
        if template_id and t is None:
            raise NotFound("该模板不存在，请刷新模板列表。")
        if t is None:
            t = MatterTemplate(created_at=now)
            session.add(t)
        t.name, t.title, t.category = data.name.strip(), data.title.strip(), data.category
        t.method = data.method or None
        t.facts, t.legal_basis, t.advice_text = data.facts.strip(), data.legal_basis.strip(), data.advice_text.strip()
        t.rectification_days, t.updated_at, t.active = data.rectification_days, now, True
        session.flush()
        audit.append(session, actor, "template.save", "template", t.uuid, {"name": t.name})
        return t.id


def set_template_active(db: Database, actor: Actor, template_id: int, active: bool) -> None:
    """Templates are retired, never deleted: matters registered from them keep pointing at them."""
    require(actor.role, Permission.TEMPLATE_MANAGE)
    with db.uow() as session:
        t = session.get(MatterTemplate, template_id)
        if t is None:
            raise NotFound("该模板不存在，请刷新模板列表。")
        t.active = active
        audit.append(session, actor, "template.active" if active else "template.retire", "template", t.uuid,
                     {"name": t.name})


def matter_from_template(template: TemplateRow, received_on: date, unit_ids: list[int],
                         source: str = Source.DAILY.value) -> MatterInput:
    """A frequent matter pre-filled from its template; the clerk completes the facts and registers it."""
    return MatterInput(received_on=received_on, source=source, title=template.title, category=template.category,
                       unit_ids=unit_ids, track=Track.FREQUENT.value, method=template.method, facts=template.facts,
                       legal_basis=template.legal_basis, template_id=template.id)
