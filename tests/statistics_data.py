"""A month with known answers for the statistics, the ledgers, the report drafts and the 台账统计 page (issue 14).

March 2026 at 贺村司法所, built as a clerk works (register, verify, issue the advice, record service, confirm or
mark overdue, escalate by issuing the report):

| matter | unit (list_units index) | advice | what happens | outcome as of 31 March |
|---|---|---|---|---|
| ON_TIME | 0 贺村镇人民政府 | 3月2日, served 3日, 15 days: 3月18日 | rectified 3月10日 | 按期整改 |
| LATE | 0 贺村镇人民政府 | 3月2日, served 3日, 10 days: 3月13日 | overdue 3月16日, rectified 3月25日 | 逾期整改 |
| ESCALATED | 1 贺村镇综合行政执法队 | 3月2日, served 3日, 10 days: 3月13日 | overdue 3月16日, report 3月20日 (due 18日: late) | 逾期未整改, 提请 |
| PENDING | 1 贺村镇综合行政执法队 | 3月20日, served 23日, 15 days: 4月7日 | rectified 4月3日 (after March) | 整改期限未到 |
| NO_ISSUE | 2 (third unit) | — | closed without issue 3月6日 | — |

and a case-file review batch of unit 1 whose three drawn files were scored on 19 and 20 March and 2 April.

So for March: 5 matters received, 4 advices, 2 rectifications (1 on time, 1 late), the league 贺村镇人民政府 50 % (rank
1), 贺村镇综合行政执法队 0 % (rank 2, one outstanding, one pending, one escalated), every other unit unranked; as of
31 March one matter still rectifying (PENDING), although by today it is rectified; the one escalation report was
made two days after its 3-working-day limit; two case files were reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from issuing import issue_document
from people import add_director

from hecun_office.review.sampling import CaseFile
from hecun_office.services import case_review, documents, matters
from hecun_office.services.audit import Actor
from hecun_office.services.matters import MatterInput, TransitionInput
from hecun_office.storage.uow import Database

MARCH = (2026, 3)
TODAY = date(2026, 5, 6)  # weeks after the month: the figures must still say what stood on 31 March


@dataclass(frozen=True)
class KnownMonth:
    on_time: int
    late: int
    escalated: int
    pending: int
    no_issue: int
    units: tuple[str, str, str]  # the three units' names, in list_units order


def _matter(db: Database, clerk: Actor, unit_id: int, on: date, title: str, source: str = "hotline",
            category: str = "legality") -> int:
    reg = matters.register_matter(db, clerk, MatterInput(
        received_on=on, source=source, title=title, category=category, unit_ids=[unit_id],
        facts=f"{title}的有关情况。", legal_basis="《中华人民共和国行政处罚法》"), today=on).id
    matters.transition_matter(db, clerk, reg, TransitionInput("start_verification", on), today=on)
    return reg


def _advise(db: Database, clerk: Actor, director: Actor, matter_id: int, on: date, days: int, served: date) -> None:
    """Issued on ``on``; the period runs from service (自送达之日起), recorded on ``served``."""
    issue_document(db, clerk, director, director, "supervision_advice", matter_id, on, rectification_days=days)
    advice = next(d for d in documents.list_documents(db, matter_id=matter_id) if d.form_id == "supervision_advice")
    documents.record_service(db, clerk, advice.id, served, "直接送达", "单位内勤", today=served)


def _step(db: Database, clerk: Actor, matter_id: int, action: str, on: date) -> None:
    matters.transition_matter(db, clerk, matter_id, TransitionInput(action, on, reason="见材料"), today=on)


def build_known_month(db: Database, clerk: Actor) -> KnownMonth:
    director = add_director(db)
    units = matters.list_units(db)
    a, b, c = units[0], units[1], units[2]
    on_time = _matter(db, clerk, a.id, date(2026, 3, 2), "行政许可超期办结", category="implementation")
    _advise(db, clerk, director, on_time, date(2026, 3, 2), 15, date(2026, 3, 3))
    _step(db, clerk, on_time, "confirm_rectified", date(2026, 3, 10))

    late = _matter(db, clerk, a.id, date(2026, 3, 2), "罚没款未按时上缴", source="daily")
    _advise(db, clerk, director, late, date(2026, 3, 2), 10, date(2026, 3, 3))
    _step(db, clerk, late, "mark_overdue", date(2026, 3, 16))
    _step(db, clerk, late, "confirm_rectified", date(2026, 3, 25))

    escalated = _matter(db, clerk, b.id, date(2026, 3, 2), "占道经营处罚未告知陈述申辩权")
    _advise(db, clerk, director, escalated, date(2026, 3, 2), 10, date(2026, 3, 3))
    _step(db, clerk, escalated, "mark_overdue", date(2026, 3, 16))
    issue_document(db, clerk, director, director, "escalation_report", escalated, date(2026, 3, 20))

    pending = _matter(db, clerk, b.id, date(2026, 3, 20), "执法文书送达不规范", source="case_review")
    _advise(db, clerk, director, pending, date(2026, 3, 20), 15, date(2026, 3, 23))
    _step(db, clerk, pending, "confirm_rectified", date(2026, 4, 3))

    no_issue = _matter(db, clerk, c.id, date(2026, 3, 6), "群众反映噪音扰民执法不力", source="daily")
    _step(db, clerk, no_issue, "close_no_issue", date(2026, 3, 6))

    # 案卷评查 (issue 16): three files of unit b drawn; two scored in March, one in April
    batch = case_review.create_batch(db, clerk, case_review.BatchInput("一季度案卷评查", date(2026, 1, 1),
                                                                        date(2026, 3, 31)))
    case_review.add_files(db, clerk, batch, [CaseFile(b.name, f"江执罚〔2026〕{n}号", "", n) for n in (1, 2, 3)])
    case_review.draw_sample(db, clerk, batch, 2026)
    full = {"subject": 15, "facts": 25, "law": 20, "procedure": 25, "documents": 10, "filing": 5}
    for file, on in zip(case_review.batch_detail(db, batch).files,
                        (date(2026, 3, 19), date(2026, 3, 20), date(2026, 4, 2)), strict=True):
        case_review.score_file(db, clerk, file.id, full, "", on, on)
    assert documents.list_documents(db, matter_id=escalated)  # the report was issued with the matter
    return KnownMonth(on_time, late, escalated, pending, no_issue, (a.name, b.name, c.name))
