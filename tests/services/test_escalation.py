"""Issue 11 item 2: the escalation, the clue transfer and the assistance request happen by issuing their document.
提请司法局 drafts the report from the matter (its history told in sentences, the advice named as attachment); issuing
the report moves the matter and meets the 3-working-day obligation on the issue date (SPEC T-5, pilot plan §二(四)1)."""

from __future__ import annotations

from datetime import date

import pytest
from issuing import issue_document
from people import add_director

from hecun_office.domain.errors import TransitionNotAllowed
from hecun_office.services import documents, matters
from hecun_office.services.audit import Actor
from hecun_office.services.matters import MatterInput, TransitionInput
from hecun_office.storage.uow import Database

ADVICE_DAY, OVERDUE_DAY, REPORT_DAY = date(2026, 3, 2), date(2026, 3, 19), date(2026, 3, 20)


def _overdue_matter(db: Database, clerk: Actor, director: Actor) -> int:
    unit = matters.list_units(db)[1]
    reg = matters.register_matter(db, clerk, MatterInput(
        received_on=ADVICE_DAY, source="hotline", title="占道经营处罚未告知陈述申辩权", category="legality",
        unit_ids=[unit.id], facts="群众反映执法队作出罚款决定时未告知陈述、申辩权利。",
        legal_basis="《中华人民共和国行政处罚法》第四十四条"), today=ADVICE_DAY).id
    matters.transition_matter(db, clerk, reg, TransitionInput("start_verification", ADVICE_DAY), today=ADVICE_DAY)
    issue_document(db, clerk, director, director, "supervision_advice", reg, ADVICE_DAY, rectification_days=15)
    doc = next(d for d in documents.list_documents(db, matter_id=reg) if d.form_id == "supervision_advice")
    documents.record_service(db, clerk, doc.id, date(2026, 3, 3), "直接送达", "执法队内勤", today=date(2026, 3, 3))
    matters.transition_matter(db, clerk, reg, TransitionInput("mark_overdue", OVERDUE_DAY), today=OVERDUE_DAY)
    return reg


def test_escalation_is_refused_as_a_status_click_and_nothing_changes(db: Database, actor: Actor) -> None:
    director = add_director(db)
    reg = _overdue_matter(db, actor, director)
    with pytest.raises(TransitionNotAllowed, match="关于提请制发《行政执法监督通知书》的报告"):
        matters.transition_matter(db, actor, reg, TransitionInput("escalate", REPORT_DAY), today=REPORT_DAY)
    detail = matters.matter_detail(db, reg, REPORT_DAY)
    assert detail.status == "overdue"
    report = next(o for o in detail.obligations if o.kind == "escalation_report")
    assert report.status not in ("met_on_time", "met_late")


def test_the_drafted_report_tells_the_history_in_sentences_and_names_the_advice(db: Database, actor: Actor) -> None:
    director = add_director(db)
    reg = _overdue_matter(db, actor, director)
    values = documents.draft_values(db, "escalation_report", reg, REPORT_DAY)
    process = values["process"]
    assert process.startswith("2026年3月2日，本所通过12345政务服务热线收到反映“占道经营处罚未告知陈述申辩权”的问题，")
    assert "登记编号贺监登〔2026〕1号。同日，本所开始调查核实。同日，本所向贺村镇综合行政执法队制发《行政执法协调监督建议书》（贺司建〔2026〕1号），要求自送达之日起15日内整改并书面反馈" in process
    assert "《行政执法协调监督建议书》（贺司建〔2026〕1号）以直接送达方式送达贺村镇综合行政执法队，由执法队内勤签收。" in process
    assert "整改期限已于2026年3月18日届满，截至2026年3月19日，贺村镇综合行政执法队仍未完成整改。" in process
    assert "登记。" not in process and "\n" not in process  # not a list of status labels
    assert values["advice_number"] == "贺司建〔2026〕1号"  # the advice, listed as attachment
    assert values["reason"] == "经建议限期整改但不予改正"


def test_issuing_the_report_escalates_and_meets_the_obligation_on_its_issue_date(db: Database, actor: Actor) -> None:
    director = add_director(db)
    reg = _overdue_matter(db, actor, director)
    doc = issue_document(db, actor, director, director, "escalation_report", reg, REPORT_DAY)
    detail = matters.matter_detail(db, reg, REPORT_DAY)
    assert detail.status == "escalated"
    report = next(o for o in detail.obligations if o.kind == "escalation_report")
    assert (report.status, report.met_on) == ("met_on_time", REPORT_DAY)
    number = documents.get_document(db, doc).number
    assert detail.events[-1].action_label == "提请司法局" and number in detail.events[-1].reason


def test_a_serious_matter_is_reported_as_serious(db: Database, actor: Actor) -> None:
    unit = matters.list_units(db)[0]
    reg = matters.register_matter(db, actor, MatterInput(
        received_on=ADVICE_DAY, source="case_review", title="重大执法决定未经法制审核", category="legality",
        unit_ids=[unit.id]), today=ADVICE_DAY).id
    matters.transition_matter(db, actor, reg, TransitionInput("start_verification", ADVICE_DAY), today=ADVICE_DAY)
    matters.transition_matter(db, actor, reg, TransitionInput("flag_serious", ADVICE_DAY, reason="涉及多个案件。"),
                              today=ADVICE_DAY)
    values = documents.draft_values(db, "escalation_report", reg, ADVICE_DAY)
    assert values["reason"] == "违法情节严重、复杂"
    assert "同日，经核查，本所认为该事项违法情节严重、复杂：涉及多个案件。" in values["process"]


def test_clue_transfer_draws_on_the_out_of_scope_reason_and_moves_the_matter_when_issued(
        db: Database, actor: Actor) -> None:
    director = add_director(db)
    unit = matters.list_units(db)[0]
    reg = matters.register_matter(db, actor, MatterInput(
        received_on=ADVICE_DAY, source="petition", title="县级部门执法人员涉嫌违规", category="other",
        unit_ids=[unit.id]), today=ADVICE_DAY).id
    matters.transition_matter(db, actor, reg, TransitionInput("start_verification", ADVICE_DAY), today=ADVICE_DAY)
    matters.transition_matter(db, actor, reg, TransitionInput("mark_out_of_scope", ADVICE_DAY,
                                                              reason="涉及县级部门，超出本所监督范围"), today=ADVICE_DAY)
    with pytest.raises(TransitionNotAllowed, match="违法线索移送函"):
        matters.transition_matter(db, actor, reg, TransitionInput("transfer", ADVICE_DAY), today=ADVICE_DAY)
    values = documents.draft_values(db, "clue_transfer", reg, ADVICE_DAY)
    assert values["reason"] == "涉及县级部门，超出本所监督范围。"  # a sentence of the letter, closed with 。
    assert "经核查，该事项超出本所监督范围：涉及县级部门，超出本所监督范围。" in values["investigation"]
    issue_document(db, actor, director, director, "clue_transfer", reg, ADVICE_DAY)
    assert matters.matter_detail(db, reg, ADVICE_DAY).status == "transferred"
