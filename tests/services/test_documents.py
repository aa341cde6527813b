"""D-3, D-4, D-8 through the real services: draft → review → sign-off with a gapless number, immutable issued PDFs,
voided numbers kept, service starting the rectification period, the matter following its documents."""

from __future__ import annotations

import hashlib
import threading
from datetime import date

import pytest
from people import add_director
from sqlalchemy import select

from hecun_office.domain.errors import TransitionNotAllowed, ValidationError
from hecun_office.domain.permissions import NotPermitted
from hecun_office.services import documents, matters, templates
from hecun_office.services.audit import Actor, verify_chain
from hecun_office.services.matters import TransitionInput
from hecun_office.services.setup import default_actor
from hecun_office.storage.models import Document, DocumentFile
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database

DAY = date(2026, 3, 2)  # Monday



@pytest.fixture
def director(db: Database) -> Actor:
    return add_director(db)


def _verifying_matter(db: Database, actor: Actor) -> int:
    t = next(t for t in templates.list_templates(db) if t.name == "占道经营处罚未告知陈述申辩权")
    data = templates.matter_from_template(t, DAY, [matters.list_units(db)[1].id])
    reg = matters.register_matter(db, actor, data, today=DAY)
    matters.transition_matter(db, actor, reg.id, TransitionInput("start_verification", DAY), today=DAY)
    return reg.id


def _approved_advice(db: Database, clerk: Actor, director: Actor, matter_id: int) -> int:
    values = documents.draft_values(db, "supervision_advice", matter_id, DAY)
    doc = documents.create_draft(db, clerk, "supervision_advice", matter_id, values, DAY)
    documents.submit(db, clerk, doc)
    documents.review(db, director, doc, approve=True)
    return doc


def test_a_draft_is_filled_from_the_matter_and_its_template(db: Database, actor: Actor) -> None:
    matter_id = _verifying_matter(db, actor)
    values = documents.draft_values(db, "supervision_advice", matter_id, DAY)
    assert values["unit"] == matters.list_units(db)[1].name
    assert "陈述、申辩" in values["facts"] and "第四十四条" in values["legal_basis"]
    assert values["advice"].startswith("严格执行行政处罚事先告知制度")  # the template's standard advice (M-4)
    assert values["rectification_days"] == 15


def test_sign_off_assigns_gapless_numbers_and_stores_the_exact_pdf(db: Database, actor: Actor, director: Actor) -> None:
    first = _approved_advice(db, actor, director, _verifying_matter(db, actor))
    second = _approved_advice(db, actor, director, _verifying_matter(db, actor))
    with pytest.raises(NotPermitted, match="签发"):
        documents.issue(db, actor, first, DAY, today=DAY)  # a clerk cannot sign off
    documents.issue(db, director, first, DAY, today=DAY)
    documents.issue(db, director, second, DAY, today=DAY)
    a, b = documents.get_document(db, first), documents.get_document(db, second)
    assert (a.number, b.number) == ("贺司建〔2026〕1号", "贺司建〔2026〕2号")
    assert a.signed_by == "李志明" and a.reviewed_by == "李志明" and a.status == "issued"
    pdf = documents.document_pdf(db, first, today=date(2026, 3, 9))
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == a.pdf_sha256
    assert documents.document_pdf(db, first, today=date(2026, 5, 1)) == pdf  # a reprint is byte-identical
    with pytest.raises(TransitionNotAllowed):
        documents.update_draft(db, actor, first, {"facts": "改"})  # issued documents never change
    with db.uow() as session:
        assert verify_chain(session)[1] is None


def test_a_voided_number_is_kept_and_never_reused(db: Database, actor: Actor, director: Actor) -> None:
    first = _approved_advice(db, actor, director, _verifying_matter(db, actor))
    documents.issue(db, director, first, DAY, today=DAY)
    with pytest.raises(ValidationError, match="作废理由"):
        documents.void(db, director, first, " ")
    documents.void(db, director, first, "送达对象有误")
    second = _approved_advice(db, actor, director, _verifying_matter(db, actor))
    documents.issue(db, director, second, DAY, today=DAY)
    voided, issued = documents.get_document(db, first), documents.get_document(db, second)
    assert (voided.status, voided.number, voided.void_reason) == ("voided", "贺司建〔2026〕1号", "送达对象有误")
    assert issued.number == "贺司建〔2026〕2号"


def test_backdated_and_future_issue_need_the_signers_reason(db: Database, actor: Actor, director: Actor) -> None:
    doc = _approved_advice(db, actor, director, _verifying_matter(db, actor))
    with pytest.raises(ValidationError, match="晚于今天"):
        documents.issue(db, director, doc, date(2026, 3, 3), today=DAY)
    with pytest.raises(ValidationError, match="倒签"):
        documents.issue(db, director, doc, date(2026, 2, 27), today=DAY)
    # the matter's timeline may not run backwards either: the backdated advice must not predate its verification
    with pytest.raises(ValidationError, match="早于上一步"):
        documents.issue(db, director, doc, date(2026, 2, 27), today=DAY, backdate_reason="所长出差，补签")
    assert documents.get_document(db, doc).number == ""  # the refused issue used no number


def test_review_can_send_back_with_a_reason_and_incomplete_drafts_cannot_be_submitted(
        db: Database, actor: Actor, director: Actor) -> None:
    matter_id = _verifying_matter(db, actor)
    values = documents.draft_values(db, "supervision_advice", matter_id, DAY)
    doc = documents.create_draft(db, actor, "supervision_advice", matter_id, {**values, "facts": ""}, DAY)
    with pytest.raises(ValidationError) as missing:
        documents.submit(db, actor, doc)
    assert missing.value.field == "facts"
    documents.update_draft(db, actor, doc, values)
    documents.submit(db, actor, doc)
    with pytest.raises(NotPermitted):
        documents.review(db, actor, doc, approve=True)  # a clerk does not review
    with pytest.raises(ValidationError, match="退回"):
        documents.review(db, director, doc, approve=False)
    documents.review(db, director, doc, approve=False, comment="整改期限改为10日")
    assert documents.get_document(db, doc).status == "draft"


def test_issuing_an_advice_moves_the_matter_and_service_starts_the_rectification_period(
        db: Database, actor: Actor, director: Actor) -> None:
    matter_id = _verifying_matter(db, actor)
    doc = _approved_advice(db, actor, director, matter_id)
    alerts = documents.issue(db, director, doc, DAY, today=DAY)
    assert any("送达" in a for a in alerts)
    detail = matters.matter_detail(db, matter_id, DAY)
    assert detail.status == "advice_issued" and detail.rectification_deadline is None
    assert [o.kind for o in detail.obligations if o.kind == "service_receipt"]
    with pytest.raises(ValidationError, match="送达方式"):
        documents.record_service(db, actor, doc, date(2026, 3, 4), "快递", "张三", today=date(2026, 3, 4))
    documents.record_service(db, actor, doc, date(2026, 3, 4), "直接送达", "张三", today=date(2026, 3, 4))
    detail = matters.matter_detail(db, matter_id, date(2026, 3, 4))
    # 15 calendar days from service on Wed 2026-03-04 end on Thu 2026-03-19 (a working day)
    assert detail.rectification_deadline == date(2026, 3, 19)
    kinds = {o.kind: o for o in detail.obligations}
    assert kinds["rectification"].due == date(2026, 3, 19)
    assert kinds["service_receipt"].status == "met_on_time"
    assert "escalation_report" not in kinds  # it arises only once the deadline has passed
    later = {o.kind: o for o in matters.matter_detail(db, matter_id, date(2026, 3, 20)).obligations}
    assert later["escalation_report"].due == date(2026, 3, 24)  # 3 working days after the deadline day
    assert any("文书送达" in e.action_label for e in detail.events)
    with pytest.raises(ValidationError, match="已于"):
        documents.record_service(db, actor, doc, date(2026, 3, 4), "直接送达", "张三", today=date(2026, 3, 4))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_concurrent_sign_offs_never_get_the_same_number(backend_db: Database) -> None:
    """Six sign-offs on six PCs at once, on the office's SQLite file and on a county's PostgreSQL server (S-7)."""
    db = backend_db
    actor, director = default_actor(db), add_director(db)
    docs = [_approved_advice(db, actor, director, _verifying_matter(db, actor)) for _ in range(6)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(docs))

    def sign(doc_id: int) -> None:
        other = open_database(db.url, migrate=False)  # its own connections, as a second PC would have
        try:
            barrier.wait()
            documents.issue(other, director, doc_id, DAY, today=DAY)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            other.dispose()

    threads = [threading.Thread(target=sign, args=(d,)) for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with db.uow() as session:
        numbers = sorted(session.scalars(select(Document.seq).where(Document.status == "issued")))
        assert numbers == [1, 2, 3, 4, 5, 6]
        assert session.scalar(select(DocumentFile.document_id).limit(1)) is not None
    assert sorted(documents.get_document(db, d).number or "" for d in docs) == sorted(
        f"贺司建〔2026〕{n}号" for n in range(1, 7))
    pdf = documents.document_pdf(db, docs[0], today=date(2026, 3, 9))  # a bytea round trip on PostgreSQL
    assert pdf.startswith(b"%PDF")
    with db.uow() as session:
        assert verify_chain(session)[1] is None


def test_a_service_receipt_is_finalised_by_the_clerk_without_number_or_watermark(db: Database, actor: Actor,
                                                                                director: Actor) -> None:
    matter_id = _verifying_matter(db, actor)
    advice = _approved_advice(db, actor, director, matter_id)
    documents.issue(db, director, advice, DAY, today=DAY)
    values = documents.draft_values(db, "service_receipt", matter_id, DAY)
    receipt = documents.create_draft(db, actor, "service_receipt", matter_id, values, DAY)
    row = documents.get_document(db, receipt)
    assert "finalize" in row.actions and "submit" not in row.actions
    assert "finalize" not in documents.get_document(db, advice).actions
    with pytest.raises(TransitionNotAllowed, match="定稿"):
        documents.issue(db, director, receipt, DAY, today=DAY)
    documents.finalize(db, actor, receipt, DAY)
    done = documents.get_document(db, receipt)
    assert (done.status, done.number) == ("issued", "")
    import io

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(documents.document_pdf(db, receipt, DAY))).pages)
    assert "送达回证" in text and "样稿" not in text and "贺司建〔2026〕1号" in text
