"""D-1..D-4, D-8: draft a document from a form and a matter, review, sign off with a gapless number, void,
record service — and let the matter follow (an issued advice starts rectification, an escalation report escalates).

The issued PDF is rendered once, inside the issuing transaction, and its bytes are kept: a reprint is the same
file, byte for byte (D-4).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..documents.compose import compose, field_values, format_date, validate_values
from ..documents.forms import FormDef, Side, load_forms, number_for
from ..domain.documents import DocAction, DocStatus, doc_transition, form_actions
from ..domain.errors import NotFound, TransitionNotAllowed, ValidationError
from ..domain.lifecycle import BY_DOCUMENT, TRANSITIONS, Action, Status
from ..domain.obligations import ObligationKind
from ..domain.permissions import Permission, require
from ..domain.vocab import Category, Source, Track
from ..storage import blobs
from ..storage.models import (
    Document,
    DocumentFile,
    Matter,
    MatterTemplate,
    OfficeProfile,
    Peer,
)
from ..storage.uow import Database, begin_write
from . import audit, statistics
from .audit import Actor
from .calendar import load_calendar
from .matters import (
    TransitionInput,
    apply_transition,
    next_number,
    profile,
    record_fact,
)
from .narrative import MatterWords, history, sentence
from .obligations import meet_open, refresh_matter
from .search import label as vocab_label
from .statistics import Period

SERVICE_METHODS = ("直接送达", "邮寄送达", "留置送达", "电子送达")

# Issuing these forms moves the matter when its status allows; otherwise the document is only recorded.
MATTER_ACTION_ON_ISSUE: dict[str, Action] = {
    "supervision_advice": Action.ISSUE_ADVICE,
    **{form_id: action for action, form_id in BY_DOCUMENT.items()},
}


@lru_cache(maxsize=1)
def _shipped_forms() -> dict[str, FormDef]:
    return load_forms()


def forms(side: Side | None = None) -> list[FormDef]:
    """The validated form catalogue (loaded once; a broken file raises FormError naming file and field)."""
    return [f for f in _shipped_forms().values() if side is None or f.side == side]


def form(form_id: str) -> FormDef:
    catalogue = _shipped_forms()
    if form_id not in catalogue:
        raise ValidationError(f"没有名为“{form_id}”的文书格式。可用的有：{'、'.join(catalogue)}。", "form_id")
    return catalogue[form_id]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _office_values(office: OfficeProfile) -> dict[str, Any]:
    return {"name": office.name, "abbr": office.abbr, "township": office.township, "county": office.county,
            "bureau_name": office.bureau_name, "rectification_days": office.rectification_days}


def _matter_context(session: Session, matter: Matter) -> dict[str, Any]:
    units = "、".join(u.name for u in matter.units)
    timeline = history(matter.events, MatterWords(matter.reg_no, matter.title, matter.source, units))
    advice = ""
    if matter.template_id:
        template = session.get(MatterTemplate, matter.template_id)
        advice = template.advice_text if template else ""
    return {
        "reg_no": matter.reg_no, "title": matter.title, "facts": matter.facts, "legal_basis": matter.legal_basis,
        "received_on": matter.received_on, "source": vocab_label(Source, matter.source), "source_ref": matter.source_ref or "",
        "category": vocab_label(Category, matter.category), "track": vocab_label(Track, matter.track),
        "units": units, "unit": matter.units[0].name if matter.units else "",
        "rectification_deadline": matter.rectification_deadline,
        "handler": matter.handler.display_name if matter.handler else "", "timeline": timeline,
        "advice_text": advice, "escalation_reason": _escalation_reason(matter),
        "out_of_scope_reason": sentence(next((ev.reason for ev in reversed(matter.events)
                                               if ev.action == Action.MARK_OUT_OF_SCOPE.value and ev.reason), "")),
    }


def _escalation_reason(matter: Matter) -> str:
    """提请情形 of the escalation report: the pilot plan's two cases (§二(四)1)."""
    if matter.status == Status.SERIOUS.value:
        return "违法情节严重、复杂"
    return "经建议限期整改但不予改正"


# S-7: what each bureau form answers; its draft refers to (and, once issued, closes) that request.
REPLY_TO = {"assistance_reply": "assistance_request", "supervision_notice": "escalation_report"}


# What an office form refers to: the report and the reminder name the advice, not whatever was issued last.
REFERS_TO = {"escalation_report": "supervision_advice", "rectification_reminder": "supervision_advice"}


def _related_doc(session: Session, matter_id: int, form_id: str | None = None) -> Document | None:
    query = select(Document).where(Document.matter_id == matter_id, Document.status == DocStatus.ISSUED.value)
    if form_id in REPLY_TO:
        query = query.where(Document.form_id == REPLY_TO[form_id], Document.office_code != "")
    elif form_id in REFERS_TO:
        query = query.where(Document.form_id == REFERS_TO[form_id])
    return session.scalar(query.order_by(Document.issue_date.desc(), Document.id.desc()).limit(1))


def _issuer(session: Session, doc: Document, office: OfficeProfile) -> str:
    if not doc.office_code:
        return office.name
    return session.scalar(select(Peer.name).where(Peer.code == doc.office_code)) or doc.office_code


def _related_context(session: Session, matter_id: int | None, office: OfficeProfile,
                     form_id: str | None = None) -> dict[str, Any]:
    """The latest issued document of the matter: what a reminder, report, receipt or bureau reply refers to."""
    if matter_id is None:
        return {}
    doc = _related_doc(session, matter_id, form_id)
    if doc is None:
        return {}
    return {"title": doc.title, "number": doc.number or "", "date": doc.issue_date,
            "issuer": _issuer(session, doc, office)}


def report_period(form_id: str, today: date) -> Period:
    """The period a report covers by default (L-2): the annual summary this year, the periodic report last month
    (it is due on the n-th working day of the next one)."""
    if form_id == "annual_summary":
        return Period.of(today.year)
    last_month_end = date(today.year, today.month, 1) - timedelta(days=1)
    return Period.of(last_month_end.year, last_month_end.month)


def _stats(session: Session, period: Period, today: date) -> dict[str, Any]:
    """The period's figures for the periodic report and the annual summary, from the one statistics service (the
    ledgers and the charts show the same), as they stood at the period's end (L-2) — nothing typed twice."""
    figures = statistics.figures(session, period, "", today=today)
    rate, reports = figures.rectification_rate, figures.report_rate
    return {
        "year": period.year, "period": period.label,
        "matters_received": figures.matters_received, "matters_closed": figures.matters_closed,
        "advices_issued": figures.advices_issued, "rectified": figures.rectified,
        "rectified_on_time": figures.rectified_on_time, "rectified_late": figures.rectified_late,
        "rectifying": figures.rectifying, "overdue": figures.overdue, "escalations": figures.escalations,
        "assistance_requests": figures.assistance_requests, "clue_transfers": figures.clue_transfers,
        "case_files_reviewed": figures.case_files_reviewed,
        "rectification_rate": (f"{rate.text}（{rate.denominator}份建议书期限已届满或已整改，按期整改{rate.numerator}份）"
                               if rate.denominator else "本期制发的建议书均在整改期限内"),
        "report_rate": (f"{reports.text}（应报告{reports.denominator}件，3个工作日内报告{reports.numerator}件）"
                        if reports.denominator else "本期无应报告司法局的事项"),
        "by_source": statistics.counts_text(figures.by_source),
        "by_category": statistics.counts_text(figures.by_category),
        "by_unit": statistics.counts_text(figures.by_unit),
        "by_outcome": statistics.counts_text(figures.by_outcome),
    }


def _uses_stats(definition: FormDef) -> bool:
    return any(isinstance(alt, str) and alt.startswith("stats.") for f in definition.fields for alt in f.alternatives)


def context(session: Session, definition: FormDef, matter_id: int | None, today: date,
            period: Period | None = None) -> dict[str, Any]:
    """What the form's defaults may draw on; the statistics (counts over every matter) only for forms using them,
    for ``period`` (the 台账统计 page's choice) or the report's default period."""
    office = profile(session)
    ctx: dict[str, Any] = {"today": today, "office": _office_values(office), "matter": {},
                           "related": _related_context(session, matter_id, office, definition.id), "stats": {}}
    if _uses_stats(definition):
        ctx["stats"] = _stats(session, period or report_period(definition.id, today), today)
    if matter_id is not None:
        matter = session.get(Matter, matter_id)
        if matter is None:
            raise NotFound("该事项不存在或已被删除，请刷新列表。")
        ctx["matter"] = _matter_context(session, matter)
    return ctx


def _storable(values: Mapping[str, Any]) -> dict[str, Any]:
    """Field values as JSON (dates as YYYY-MM-DD), the form ``render --data`` takes too."""
    stored: dict[str, Any] = json.loads(json.dumps(dict(values), ensure_ascii=False, default=lambda v: v.isoformat()
                                                   if isinstance(v, date) else str(v)))
    return stored


def draft_values(db: Database, form_id: str, matter_id: int | None, today: date,
                 period: Period | None = None) -> dict[str, Any]:
    """The fields of a new draft, filled from the matter and the office (D-1 defaults); a report's figures for
    ``period`` when one is given."""
    definition = form(form_id)
    with db.uow() as session:
        # M-4: the advice's default names matter.advice_text first, so a template's wording comes in by itself
        return _storable(field_values(definition, context(session, definition, matter_id, today, period)))


# ---- the document's life ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRow:
    id: int
    form_id: str
    form_name: str
    title: str
    status: str
    status_label: str
    number: str
    matter_id: int | None
    drafted_by: str
    reviewed_by: str
    signed_by: str
    issue_date: date | None
    served_on: date | None
    service_method: str
    service_receiver: str
    supersedes_id: int | None
    void_reason: str
    actions: tuple[str, ...]
    values: dict[str, Any]
    pdf_sha256: str
    matter_reg_no: str = ""  # what the register and the editor show for the matter
    preprinted: bool = False  # 套打: printed on pre-printed red-header paper


def _row(doc: Document, matter_reg_no: str = "") -> DocumentRow:
    status = DocStatus(doc.status)
    definition = _shipped_forms().get(doc.form_id)
    name = definition.name if definition else doc.form_id
    return DocumentRow(doc.id, doc.form_id, name, doc.title, doc.status, status.label, doc.number or "",
                       doc.matter_id, doc.drafted_by or "", doc.reviewed_by or "", doc.signed_by or "", doc.issue_date,
                       doc.served_on, doc.service_method or "", doc.service_receiver or "", doc.supersedes_id,
                       doc.void_reason or "", tuple(a.value for a in form_actions(status, _numbered(doc.form_id))), dict(doc.fields),
                       doc.pdf_sha256 or "", matter_reg_no, bool(doc.preprinted))


def _reg_nos(session: Session, docs: list[Document]) -> dict[int, str]:
    ids = {d.matter_id for d in docs if d.matter_id is not None}
    if not ids:
        return {}
    rows = session.execute(select(Matter.id, Matter.reg_no).where(Matter.id.in_(ids))).all()
    return {int(matter_id): str(reg_no) for matter_id, reg_no in rows}


def _get(session: Session, doc_id: int, for_update: bool = False) -> Document:
    if for_update:  # read-check-write: serialise with any other PC acting on the same document
        begin_write(session)
    doc = session.get(Document, doc_id, with_for_update=for_update)
    if doc is None:
        raise NotFound("该文书不存在，请刷新列表。")
    if for_update and doc.office_code:
        raise ValidationError(f"该文书由{_issuer(session, doc, profile(session))}制发，经数据包收到，本机构只能查看和打印。")
    return doc


def create_draft(db: Database, actor: Actor, form_id: str, matter_id: int | None, values: Mapping[str, Any],
                 today: date, preprinted: bool = False, supersedes_id: int | None = None) -> int:
    """拟稿. A draft may be incomplete; it is checked in full when sent for review."""
    require(actor.role, Permission.DOCUMENT_DRAFT)
    with db.uow() as session:
        return add_draft(session, actor, form_id, matter_id, values, preprinted, supersedes_id)


def add_draft(session: Session, actor: Actor, form_id: str, matter_id: int | None, values: Mapping[str, Any],
              preprinted: bool = False, supersedes_id: int | None = None) -> int:
    """create_draft inside the caller's transaction (a meeting's minutes are drafted with the meeting's link)."""
    require(actor.role, Permission.DOCUMENT_DRAFT)
    definition = form(form_id)
    bureau = profile(session).mode == "bureau"
    if definition.side != (Side.BUREAU if bureau else Side.OFFICE):
        side = "司法局" if definition.side == Side.BUREAU else "司法所"
        raise ValidationError(f"“{definition.name}”由{side}制发，本端不能起草。", "form_id")
    matter = session.get(Matter, matter_id) if matter_id is not None else None
    if matter_id is not None and matter is None:
        raise NotFound("该事项不存在或已被删除，请刷新列表。")
    if matter is not None and matter.office_code and not bureau:
        raise ValidationError("该事项由其他机构报送，只能查看。", "matter_id")
    in_reply_to = None
    if form_id in REPLY_TO:
        request = _related_doc(session, matter_id, form_id) if matter_id is not None else None
        if request is None:
            wanted = form(REPLY_TO[form_id]).name
            raise ValidationError(f"“{definition.name}”答复司法所的《{wanted}》：请在收到该文书的事项中起草。",
                                  "matter_id")
        in_reply_to = request.uuid
    if supersedes_id is not None:
        old = _get(session, supersedes_id)
        if old.status != DocStatus.ISSUED.value or old.form_id != form_id:
            raise ValidationError("只能更正已签发的同类文书。", "supersedes_id")
    now = _now()
    doc = Document(matter_id=matter_id, form_id=form_id, status=DocStatus.DRAFT.value, title=definition.name,
                   fields=_storable(values), drafted_by=actor.name, preprinted=preprinted,
                   supersedes_id=supersedes_id, in_reply_to=in_reply_to, created_at=now, updated_at=now)
    session.add(doc)
    session.flush()
    audit.append(session, actor, "document.draft", "document", doc.uuid, {"form": form_id, "matter": matter_id})
    return doc.id


def update_draft(db: Database, actor: Actor, doc_id: int, values: Mapping[str, Any],
                 preprinted: bool | None = None) -> None:
    require(actor.role, Permission.DOCUMENT_DRAFT)
    with db.uow() as session:
        doc = _get(session, doc_id, for_update=True)
        if doc.status != DocStatus.DRAFT.value:
            raise TransitionNotAllowed(f"文书当前状态为“{DocStatus(doc.status).label}”，不能修改。"
                                       "需要修改时请审核人“退回修改”；已签发的文书只能另拟更正文书。")
        doc.fields = _storable(values)
        if preprinted is not None:
            doc.preprinted = preprinted
        doc.updated_at = _now()
        session.flush()  # the flush moves the version (storage/models.py _bump_versions) that the audit names
        audit.append(session, actor, "document.edit", "document", doc.uuid, {"version": doc.version})


def _move(session: Session, actor: Actor, doc: Document, action: DocAction, detail: dict[str, Any]) -> None:
    target, permission = doc_transition(DocStatus(doc.status), action)
    require(actor.role, permission)
    doc.status = target.value
    doc.updated_at = _now()
    audit.append(session, actor, f"document.{action.value}", "document", doc.uuid,
                 {"form": doc.form_id, "number": doc.number, **detail})


def submit(db: Database, actor: Actor, doc_id: int) -> None:
    """送审: the values must be complete and valid now."""
    with db.uow() as session:
        doc = _get(session, doc_id, for_update=True)
        validate_values(form(doc.form_id), doc.fields)
        _move(session, actor, doc, DocAction.SUBMIT, {})


def review(db: Database, actor: Actor, doc_id: int, approve: bool, comment: str = "") -> None:
    """审核: pass it on for sign-off, or send it back with the reason."""
    with db.uow() as session:
        doc = _get(session, doc_id, for_update=True)
        if not approve and not comment.strip():
            raise ValidationError("退回修改时请写明需要修改的地方。", "comment")
        _move(session, actor, doc, DocAction.APPROVE if approve else DocAction.RETURN, {"comment": comment.strip()})
        if approve:
            doc.reviewed_by = actor.name
            doc.reviewed_at = _now()


def _compose_pdf(session: Session, doc: Document, draft: bool, on: date, number: str = "") -> bytes:
    from ..documents.gbt9704 import render_pdf

    office = profile(session)
    spec = compose(form(doc.form_id), doc.fields, _office_values(office), number=number, date=on, draft=draft,
                   preprinted=doc.preprinted)
    return bytes(render_pdf(spec))


def issue(db: Database, actor: Actor, doc_id: int, issue_date: date, today: date, backdate_reason: str = "", *,
          unembedded_fonts_confirmed: bool = False) -> list[str]:
    """签发: number, final PDF, its SHA-256 and the matter's next step, all in one transaction (D-3, D-4).

    A final PDF whose text falls back to a font it does not embed (the CID fallback of D-6, on a PC without Chinese
    TrueType fonts) prints differently on another PC: it is kept only when the signer confirmed that
    (``unembedded_fonts_confirmed``); otherwise the whole issue is rolled back — no number is taken — and the
    ValidationError (field ``unembedded_fonts_confirmed``) says what to do."""
    require(actor.role, Permission.DOCUMENT_ISSUE)
    if issue_date > today:
        raise ValidationError(f"成文日期 {issue_date:%Y-%m-%d} 晚于今天，不能预先签发。", "issue_date")
    if issue_date < today and not backdate_reason.strip():
        raise ValidationError(f"成文日期 {issue_date:%Y-%m-%d} 早于今天。倒签需由签发人填写理由并确认。", "backdate_reason")
    with db.uow() as session:
        doc = _get(session, doc_id, for_update=True)
        definition = form(doc.form_id)
        if not definition.number_pattern:
            raise TransitionNotAllowed(f"“{definition.name}”不编文号，填好后直接“定稿”即可。")
        values = dict(doc.fields)
        if any(f.name == "signer" for f in definition.fields):
            values["signer"] = actor.name  # 签发人 on a report to the bureau is whoever signs it off
        doc.fields = _storable(validate_values(definition, values))
        _move(session, actor, doc, DocAction.ISSUE, {"issue_date": issue_date, "backdate_reason": backdate_reason})
        seq = next_number(session, f"document:{doc.form_id}", issue_date.year)
        doc.year, doc.seq = issue_date.year, seq
        doc.number = number_for(definition.number_pattern, profile(session).abbr, issue_date.year, seq)
        doc.backdate_reason = backdate_reason.strip() or None
        pdf = _keep_final_pdf(session, actor, doc, issue_date)
        if not unembedded_fonts_confirmed:
            from .font_settings import refuse_unembedded_fonts

            refuse_unembedded_fonts(pdf)
        if doc.supersedes_id is not None:
            old = _get(session, doc.supersedes_id)
            old.void_reason = f"已由{doc.number}更正"
        if doc.in_reply_to:
            _answered(session, doc, issue_date)
        _meets_office_obligation(session, actor, doc, issue_date)
        return _matter_follows(session, actor, doc, definition, issue_date)


def _answered(session: Session, doc: Document, on: date) -> None:
    """The bureau's reply is issued: its own 3-working-day obligation for that request is met (S-7)."""
    meet_open(session, f"{ObligationKind.ASSISTANCE_REPLY.value}:{doc.in_reply_to}", on, doc.number or "")


def _keep_final_pdf(session: Session, actor: Actor, doc: Document, on: date) -> bytes:
    """Render the final PDF (no 样稿) once and keep its bytes (in the content store, written before this
    transaction commits) and SHA-256: every reprint is this file (D-4)."""
    pdf = _compose_pdf(session, doc, draft=False, on=on, number=doc.number or "")
    digest = blobs.put(session, pdf)
    doc.issue_date, doc.issued_at, doc.signed_by, doc.pdf_sha256 = on, _now(), actor.name, digest
    session.add(DocumentFile(document_id=doc.id, sha256=digest))
    return pdf


def _matter_follows(session: Session, actor: Actor, doc: Document, definition: FormDef, on: date) -> list[str]:
    if doc.matter_id is None or doc.form_id not in MATTER_ACTION_ON_ISSUE:
        return []
    matter = session.get(Matter, doc.matter_id)
    assert matter is not None
    action = MATTER_ACTION_ON_ISSUE[doc.form_id]
    if Status(matter.status) not in TRANSITIONS[action][0]:
        return [f"事项当前状态为“{Status(matter.status).label}”，文书已签发，但未自动执行“{action.label}”。"]
    extra: dict[str, Any] = {"document_id": doc.id, "number": doc.number}
    days = doc.fields.get("rectification_days")  # validated at issue: an int when the form has the field
    if definition.deadline_from_service:
        extra["deadline_from_service"] = True
    step = TransitionInput(action.value, on, reason=f"{definition.name} {doc.number or ''}".strip(),
                           rectification_days=days if isinstance(days, int) else None, extra=extra)
    return apply_transition(session, actor, matter.id, action, step)


def _numbered(form_id: str) -> bool:
    catalogue = _shipped_forms()
    return form_id not in catalogue or bool(catalogue[form_id].number_pattern)


def finalize(db: Database, actor: Actor, doc_id: int, today: date) -> None:
    """定稿 of a record form (送达回证, 登记表, 报送表): the final PDF without 样稿, kept like an issued one."""
    with db.uow() as session:
        doc = _get(session, doc_id, for_update=True)
        definition = form(doc.form_id)
        if definition.number_pattern:
            raise TransitionNotAllowed(f"“{definition.name}”需经审核、签发，不能直接定稿。")
        doc.fields = _storable(validate_values(definition, doc.fields))
        _move(session, actor, doc, DocAction.FINALIZE, {})
        _keep_final_pdf(session, actor, doc, today)
        _meets_office_obligation(session, actor, doc, today)


_PERIOD = re.compile(r"(\d{4})年(\d{1,2})月")


def _office_obligation_key(doc: Document) -> str | None:
    """The office obligation a report document answers (L-2): the month its 报送表 covers, the year of its 总结."""
    fields = doc.fields or {}
    if doc.form_id == "periodic_report":
        found = _PERIOD.search(str(fields.get("period") or ""))
        return f"office:periodic:{int(found.group(1)):04d}-{int(found.group(2)):02d}" if found else None
    if doc.form_id == "annual_summary" and str(fields.get("year") or "").isdigit():
        return f"office:annual:{int(fields['year']):04d}"
    return None


def _meets_office_obligation(session: Session, actor: Actor, doc: Document, on: date) -> None:
    """定稿 of the monthly 报送表 or 签发 of the annual summary meets that period's obligation on that day, as an
    issued escalation report meets its 3-working-day obligation: the clerk does not tick it off by hand."""
    key = _office_obligation_key(doc)
    if key is None:
        return
    if meet_open(session, key, on, f"{form(doc.form_id).name} {doc.number or ''}".strip()) is not None:
        audit.append(session, actor, "obligation.met", "obligation", key, {"on": on, "document": doc.uuid})
    # else: already met (by hand, or an earlier report), or not yet due to exist


def void(db: Database, actor: Actor, doc_id: int, reason: str) -> None:
    """作废: the number stays recorded with the reason and is never reused (D-3)."""
    if not reason.strip():
        raise ValidationError("请填写作废理由。", "reason")
    with db.uow() as session:
        doc = _get(session, doc_id, for_update=True)
        _move(session, actor, doc, DocAction.VOID, {"reason": reason.strip()})
        doc.void_reason, doc.voided_by, doc.voided_at = reason.strip(), actor.name, _now()


def record_service(db: Database, actor: Actor, doc_id: int, served_on: date, method: str, receiver: str,
                   today: date) -> list[str]:
    """送达 (D-8): for an advice whose period runs from service, this sets the rectification deadline."""
    require(actor.role, Permission.DOCUMENT_DRAFT)
    if method not in SERVICE_METHODS:
        raise ValidationError(f"请选择送达方式：{'、'.join(SERVICE_METHODS)}。", "method")
    if not receiver.strip():
        raise ValidationError("请填写受送达人（签收人）。", "receiver")
    if served_on > today:
        raise ValidationError(f"送达日期 {served_on:%Y-%m-%d} 晚于今天，请检查日期。", "served_on")
    with db.uow() as session:
        doc = _get(session, doc_id, for_update=True)
        if doc.status != DocStatus.ISSUED.value:
            raise TransitionNotAllowed("只有已签发的文书才能登记送达。")
        if doc.served_on is not None:
            raise ValidationError(f"该文书已于 {doc.served_on:%Y-%m-%d} 登记送达。", "served_on")
        if doc.issue_date and served_on < doc.issue_date:
            raise ValidationError(f"送达日期不能早于成文日期 {doc.issue_date:%Y-%m-%d}。", "served_on")
        doc.served_on, doc.service_method, doc.service_receiver = served_on, method, receiver.strip()
        doc.service_recorded_by = actor.name
        doc.updated_at = _now()
        audit.append(session, actor, "document.serve", "document", doc.uuid,
                     {"number": doc.number, "served_on": served_on, "method": method})
        if doc.matter_id is None:
            return []
        matter = session.get(Matter, doc.matter_id)
        assert matter is not None
        record_fact(session, actor, matter, Action.RECORD_SERVICE, served_on,
                    f"{doc.title} {doc.number or ''}（{method}，{receiver.strip()}签收）",
                    {"document_id": doc.id, "served_on": served_on.isoformat(), "method": method,
                     "receiver": receiver.strip(), "title": doc.title, "number": doc.number or ""})
        alerts = refresh_matter(session, matter, load_calendar(session))
        if matter.rectification_deadline:
            alerts.append(f"整改期限：{format_date(matter.rectification_deadline)}。")
        return alerts


# ---- reading and printing ---------------------------------------------------------------------------


def list_documents(db: Database, matter_id: int | None = None, status: str | None = None,
                   limit: int = 500) -> list[DocumentRow]:
    with db.uow() as session:
        query = select(Document).order_by(Document.id.desc()).limit(limit)
        if matter_id is not None:
            query = query.where(Document.matter_id == matter_id)
        if status:
            query = query.where(Document.status == status)
        docs = list(session.scalars(query))
        reg_nos = _reg_nos(session, docs)
        return [_row(d, reg_nos.get(d.matter_id or 0, "")) for d in docs]


def get_document(db: Database, doc_id: int) -> DocumentRow:
    with db.uow() as session:
        doc = _get(session, doc_id)
        return _row(doc, _reg_nos(session, [doc]).get(doc.matter_id or 0, ""))


def document_pdf(db: Database, doc_id: int, today: date) -> bytes:
    """What prints: the stored bytes of an issued document, a fresh 样稿 of anything else."""
    with db.uow() as session:
        doc = _get(session, doc_id)
        if doc.status == DocStatus.ISSUED.value:
            stored = session.get(DocumentFile, doc.id)
            assert stored is not None, "an issued document always has its PDF"
            return blobs.get(session, stored.sha256, f"文书“{doc.number or doc.title}”")
        return _compose_pdf(session, doc, draft=True, on=today, number=doc.number or "")


def font_warnings() -> list[str]:
    """D-6: which fonts were substituted on this PC (empty when the office fonts are installed)."""
    from ..documents.fonts import load_fonts

    return list(load_fonts().warnings)


def preview_pdf(db: Database, form_id: str, values: Mapping[str, Any], today: date, preprinted: bool = False) -> bytes:
    """A live 样稿 while drafting (D-7); values may still be incomplete, the error says which field."""
    with db.uow() as session:
        office = profile(session)
        spec = compose(form(form_id), values, _office_values(office), date=today, draft=True, preprinted=preprinted)
    from ..documents.gbt9704 import render_pdf

    return bytes(render_pdf(spec))
