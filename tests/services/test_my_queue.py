"""T-6, U-6: the dashboard's lists of documents waiting for the person logged in (SPEC §1: "two advices await
the director's sign-off")."""

from __future__ import annotations

from datetime import date, datetime

from hecun_office.services import documents, matters, templates
from hecun_office.services.audit import Actor
from hecun_office.services.matters import TransitionInput
from hecun_office.services.my_queue import documents_waiting_for
from hecun_office.storage.models import User
from hecun_office.storage.uow import Database

DAY = date(2026, 3, 2)


def _user(db: Database, username: str, name: str, role: str) -> Actor:
    with db.uow() as session:
        user = User(username=username, display_name=name, role=role, password_hash=None,
                    created_at=datetime(2026, 3, 2, 9, 0))
        session.add(user)
        session.flush()
        return Actor(user.display_name, user.id, user.role)


def _advice(db: Database, clerk: Actor) -> int:
    t = next(t for t in templates.list_templates(db) if t.name == "占道经营处罚未告知陈述申辩权")
    reg = matters.register_matter(db, clerk, templates.matter_from_template(t, DAY, [matters.list_units(db)[1].id]),
                                  today=DAY)
    matters.transition_matter(db, clerk, reg.id, TransitionInput("start_verification", DAY), today=DAY)
    values = documents.draft_values(db, "supervision_advice", reg.id, DAY)
    return documents.create_draft(db, clerk, "supervision_advice", reg.id, values, DAY)


def test_review_sign_off_and_returned_drafts_wait_for_the_right_people(db: Database) -> None:
    clerk = _user(db, "zhang", "张晓", "clerk")
    other_clerk = _user(db, "zhao", "赵敏", "clerk")
    reviewer = _user(db, "chen", "陈静", "reviewer")
    director = _user(db, "li", "李志明", "signer")
    in_review, approved, returned, draft = (_advice(db, clerk) for _ in range(4))
    for doc in (in_review, approved, returned):
        documents.submit(db, clerk, doc)
    documents.review(db, reviewer, approved, approve=True)
    documents.review(db, reviewer, returned, approve=False, comment="请补充违反的具体条款。")

    for_reviewer = documents_waiting_for(db, reviewer)
    assert [d.id for d in for_reviewer.to_review] == [in_review]
    assert for_reviewer.to_issue == () and for_reviewer.may_review and not for_reviewer.may_issue
    row = for_reviewer.to_review[0]
    assert row.form_name == "行政执法协调监督建议书" and row.drafted_by == "张晓" and row.matter_reg_no

    for_director = documents_waiting_for(db, director)
    assert [d.id for d in for_director.to_review] == [in_review]
    assert [d.id for d in for_director.to_issue] == [approved]

    for_clerk = documents_waiting_for(db, clerk)
    assert for_clerk.to_review == () and for_clerk.to_issue == ()
    assert [(d.id, d.returned_by, d.comment) for d in for_clerk.returned] == [
        (returned, "陈静", "请补充违反的具体条款。")]  # a draft never sent back is not listed
    assert documents_waiting_for(db, other_clerk).count == 0  # someone else's returned draft

    documents.submit(db, clerk, returned)  # corrected and sent again: no longer 被退回
    assert documents_waiting_for(db, clerk).returned == ()
    assert [d.id for d in documents_waiting_for(db, reviewer).to_review] == [in_review, returned]
    assert draft not in {d.id for d in documents_waiting_for(db, director).to_review}
