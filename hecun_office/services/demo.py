"""``hecun-office demo``: a realistic, well-run Hecun office and, for benchmarks, synthetic volume inserted in bulk
(``--matters N``).

The realistic part replays about two years of the office's work through the services a clerk uses, in date order
across every matter, so that registration and document numbers follow their dates. Each matter follows a story that
keeps its time limits (advice drafted, reviewed, signed off and served; rectification checked before the deadline;
the 3-working-day report to the bureau made by issuing the escalation report, the clue transfer or the assistance
request — never by a status click). The stories of the newest matters are placed so that at "today" the office has
work in every state, two advices await sign-off, and only a handful of time limits have lapsed: a service receipt
not yet returned, a rectification deadline that passed yesterday, an assistance request the bureau has not answered.
Around the matters the office files its monthly report, the minutes of the quarterly joint meeting and the annual
summary, each on time.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy import Table, func, insert, select

from ..domain.errors import ValidationError
from ..domain.lifecycle import Action, Status
from ..domain.supervision import ActivityKind
from ..domain.vocab import Category, Method, Role, Source, Track
from ..review.sampling import CaseFile
from ..storage.models import (
    Matter,
    MatterEvent,
    NumberSequence,
    Obligation,
    OfficeProfile,
    Unit,
    User,
    matter_units,
)
from ..storage.uow import Database
from ..workdays import WorkCalendar
from . import audit, case_review, documents, meetings, personnel, supervisors
from .audit import Actor
from .calendar import load_calendar
from .matters import MatterInput, TransitionInput, list_units, register_matter, transition_matter
from .obligations import complete_office_obligation, ensure_office_obligations
from .passwords import hash_password
from .search import bulk_index
from .setup import DEFAULT_UNITS, ProfileInput, UserInput, is_set_up, setup_database

C, S = Category, Source

# (title, category, unit index in DEFAULT_UNITS, typical source, facts, stories it fits — taken in turn)
CASES: list[tuple[str, Category, int, Source, str, tuple[str, ...]]] = [
    ("占道经营处罚未告知陈述申辩权", C.LEGALITY, 1, S.HOTLINE,
     "群众反映贺村镇综合行政执法队对其占道经营作出罚款决定时，未告知其陈述、申辩的权利。",
     ("rectified", "reminded", "overdue")),
    ("违法建设案件立案后超期未作出处理决定", C.CONCENTRATED_PENALTY, 1, S.CASE_REVIEW,
     "案卷评查发现一起违法建设案件自立案之日起超过九十日未作出处理决定，亦无延期审批记录。",
     ("overdue", "rectified")),
    ("执法人员未持证上岗开展市容巡查", C.QUALIFICATION, 1, S.SUPERVISOR,
     "法治监督员反映有两名协管人员在无执法人员带领的情况下单独开展市容巡查并开具责令改正通知书。",
     ("rectified", "refused")),
    ("食品经营许可现场核查记录不完整", C.LEGALITY, 4, S.INSPECTION,
     "检查发现三份食品经营许可现场核查记录缺少核查人员签名及核查时间。",
     ("rectified",)),
    ("油烟扰民投诉处理超期未答复", C.RESPONSIBILITY, 6, S.COMPLAINT_PLATFORM,
     "投诉人通过浙江省统一政务咨询投诉举报平台反映餐饮油烟扰民，承办单位超过答复期限未作答复。",
     ("reminded", "rectified")),
    ("行政处罚决定未按规定公示", C.DISCLOSURE, 1, S.DAILY,
     "日常监督发现2026年以来作出的部分一般程序行政处罚决定未在规定期限内公开。",
     ("rectified",)),
    ("农村宅基地违法占地案件移交后监管指导缺位", C.DEPARTMENT_DUTIES, 7, S.SPECIAL,
     "宅基地执法事项划转后，业务主管部门未按约定开展业务培训与技术支撑。",
     ("assist_advice", "rectified")),
    ("渣土运输车辆抛洒滴漏查处标准不一", C.DISPUTE, 8, S.HOTLINE,
     "乡镇执法队与交通执法中队对渣土车抛洒滴漏的管辖与处罚标准存在争议。",
     ("assist_close", "no_issue")),
    ("扣押物品清单未交当事人签字", C.LEGALITY, 1, S.PETITION,
     "当事人来信反映执法人员扣押其三轮车及货物时，未当场交付扣押清单。",
     ("rectified", "refused")),
    ("涉嫌犯罪案件未依法移送公安机关", C.DISCLOSURE, 6, S.PROCURATORATE,
     "检察机关抄送线索：一起非法倾倒固体废物案件涉案数量可能达到刑事立案标准，未见移送记录。",
     ("serious",)),
    ("行政执法公示平台信息更新滞后", C.DISCLOSURE, 0, S.DAILY,
     "乡镇行政执法主体、人员及职责等事前公开信息未随机构调整及时更新。",
     ("rectified", "reminded")),
    ("重大执法决定未经法制审核", C.LEGALITY, 0, S.CASE_REVIEW,
     "一起责令限期拆除决定属于重大执法决定，卷内未见法制审核意见。",
     ("overdue", "rectified")),
    ("燃气安全检查责令整改后未复查", C.IMPLEMENTATION, 2, S.BUREAU,
     "司法局交办：燃气安全专项检查中发现的问题责令整改后，未见复查记录。",
     ("rectified",)),
    ("执法记录仪使用不规范", C.RESPONSIBILITY, 1, S.SUPERVISOR,
     "法治监督员随同执法时发现执法全过程记录不完整，关键环节未录像。",
     ("no_issue", "rectified")),
    ("环境违法行为罚款裁量未说明理由", C.LEGALITY, 6, S.REVIEW_LITIGATION,
     "行政复议中发现一起环境违法罚款决定适用裁量基准上限但未说明理由。",
     ("rectified",)),
    ("市场主体登记事项检查程序不规范", C.LEGALITY, 4, S.INSPECTION,
     "“双随机、一公开”抽查中，检查人员少于两人，且未出示执法证件。",
     ("rectified",)),
    ("群众举报未在规定期限内核查", C.RESPONSIBILITY, 3, S.HOTLINE,
     "12345工单反映私搭乱建，承办单位超过规定期限未核查反馈。",
     ("reminded",)),
    ("乡镇相对集中处罚权事项清单未公布", C.CONCENTRATED_PENALTY, 0, S.SPECIAL,
     "赋权事项调整后，乡镇未向社会公布调整后的行政处罚事项目录。",
     ("rectified",)),
    ("派出所治安管理处罚程序问题", C.OTHER, 5, S.PETITION,
     "来访群众反映派出所治安处罚问题，经核查属公安机关内部监督范围。",
     ("transfer",)),
    ("农药经营检查需业务部门技术支持", C.DEPARTMENT_DUTIES, 9, S.DAILY,
     "检查中发现疑似禁用农药，需业务主管部门提供检测认定意见。",
     ("assist_close", "assist_advice")),
]

# The newest matters, placed so that at "today" each stands where its story says: (case, story, the last step
# taken by today, working days since that step or None for "as recently as the story allows", stop there).
# The three that stop are the office's only lapsed time limits; everything else keeps its dates.
CURRENT: list[tuple[int, str, tuple[str, str], int | None, bool]] = [
    (13, "no_issue", ("register", ""), None, False),                        # 登记
    (3, "rectified", ("act", "start_verification"), None, False),           # 核查
    (15, "rectified", ("draft", "supervision_advice"), None, False),        # advice awaiting sign-off
    (2, "refused", ("draft", "supervision_advice"), None, False),           # a second one
    (12, "rectified", ("serve", "supervision_advice"), None, False),        # 建议书已制发, served
    (4, "reminded", ("act", "start_rectification"), None, False),           # 整改中
    (11, "overdue", ("draft", "escalation_report"), 2, True),               # 逾期未改, its report due today (SPEC §1)
    (8, "refused", ("draft", "escalation_report"), None, False),            # 拒不整改, report awaiting sign-off
    (9, "serious", ("act", "flag_serious"), None, False),                   # 情节严重复杂, report not yet drafted
    (1, "overdue", ("issue", "escalation_report"), None, False),            # 已提请司法局, awaiting its notice
    (6, "assist_advice", ("act", "record_assistance_reply"), None, False),  # 已反馈
    (5, "rectified", ("issue", "supervision_advice"), 5, True),             # lapse: service receipt not returned
    (0, "overdue", ("deadline", ""), 1, True),                              # lapse: deadline passed yesterday
    (19, "assist_close", ("issue", "assistance_request"), 5, True),         # lapse: the bureau has not answered
]

MATTERS = 60  # the realistic part: CURRENT at "today", the rest spread over the years before

# Reasons as a clerk types them; the escalation report's history (services/narrative.py) puts them into sentences.
REASONS = {
    "close_no_issue": "执法程序合法，文书齐全",
    "mark_refused": "该单位书面回复认为原执法行为并无不当",
    "flag_serious": "涉及多名当事人，且涉案数量可能达到刑事立案标准",
    "mark_out_of_scope": "该问题属公安机关内部执法监督范围",
    "confirm_rectified": "被监督单位书面反馈整改情况，经复查已整改到位",
    "close": "整改情况已复核归档",
    "record_bureau_reply": "江山市司法局已就本事项制发《行政执法监督通知书》，督促被监督单位依法纠正",
    "record_assistance_reply": "司法局提出咨询意见，并同意派员参与监督",
    "resume_verification": "根据司法局反馈意见继续核查",
}

DEMO_USERS = [("wang", "王晓燕", Role.CLERK), ("zhou", "周建国", Role.REVIEWER), ("li", "李志明", Role.SIGNER)]
RECEIVERS = ["徐丽", "郑涛", "祝红", "毛静"]  # the units' clerks who sign for documents

BASIS = "《中华人民共和国行政处罚法》《浙江省综合行政执法条例》相关规定"
FILL_IF_EMPTY = frozenset({"legal_basis"})  # typed only where the matter has none
TYPED: dict[str, dict[str, object]] = {
    "supervision_advice": {"legal_basis": BASIS},
    "rectification_reminder": {
        "situation": "截至本函发出之日，我所尚未收到你单位的整改进展情况，建议书指出的问题尚未整改到位。",
        "rectification_days": 3},
    "escalation_report": {
        "legal_basis": BASIS, "evidence": "相关执法案卷材料复印件"},
    "assistance_request": {
        "assistance": "提供咨询意见并参与执法监督",
        "questions": "请就本事项涉及的法律适用及监督方式提供咨询意见，协调业务主管部门提供检测、认定等技术支持，"
                     "并派员参与监督。",
        "materials": "现场检查记录及照片"},
    "clue_transfer": {"materials": "来访登记表、初步核查记录",
                      "reason": "该线索反映的问题属公安机关内部执法监督范围，超出我所行政执法协调监督范围。"},
}

Step = tuple[date, str, str]  # (on, what, which): ("act", action), ("draft"|"issue"|"serve", form id), …


def _wd(cal: WorkCalendar, d: date, n: int) -> date:
    return cal.add_working_days(d, n).due if n > 0 else d


def _workday_on_or_after(cal: WorkCalendar, d: date) -> date:
    return d if cal.is_workday(d) else cal.add_working_days(d, 1).due


def _workdays_before(cal: WorkCalendar, d: date, n: int) -> date:
    while n > 0:
        d -= timedelta(days=1)
        n -= cal.is_workday(d)
    return d


def plan(story: str, received: date, rng: random.Random, cal: WorkCalendar, days: int) -> list[Step]:
    """The dated steps of one matter's story, each within the time limit it answers (pure: dates only)."""
    def wd(d: date, n: int) -> date:
        return _wd(cal, d, n)

    steps: list[Step] = [(received, "register", "")]
    v = wd(received, rng.randint(1, 3))
    steps.append((v, "act", "start_verification"))
    if story == "no_issue":
        return steps + [(wd(v, rng.randint(3, 8)), "act", "close_no_issue")]
    if story == "serious":
        f = wd(v, rng.randint(2, 4))
        return steps + [(f, "act", "flag_serious"), (wd(f, 1), "draft", "escalation_report"),
                        (wd(f, 2), "issue", "escalation_report"),
                        (wd(f, 2 + rng.randint(8, 15)), "act", "record_bureau_reply")]
    if story == "transfer":
        o = wd(v, rng.randint(1, 3))
        return steps + [(o, "act", "mark_out_of_scope"), (wd(o, 1), "draft", "clue_transfer"),
                        (wd(o, 2), "issue", "clue_transfer")]
    if story.startswith("assist"):
        n = wd(v, rng.randint(1, 3))
        sent = wd(n, 1)
        reply = wd(sent, rng.randint(1, 3))  # the bureau answers within its 3 working days (§二(四)2)
        steps += [(n, "act", "need_assistance"), (n, "draft", "assistance_request"), (sent, "issue", "assistance_request"),
                  (reply, "act", "record_assistance_reply")]
        if story == "assist_close":
            return steps + [(wd(reply, rng.randint(1, 3)), "act", "close")]
        v = wd(reply, 1)
        steps.append((v, "act", "resume_verification"))
    a = wd(v, rng.randint(2, 5))
    issued = wd(a, 1)
    served = wd(issued, rng.randint(1, 2))
    deadline = cal.period_end(served, days).due
    steps += [(a, "draft", "supervision_advice"), (issued, "issue", "supervision_advice"),
              (served, "serve", "supervision_advice")]
    last = wd(served, rng.randint(2, 4))
    if story != "overdue" or rng.random() < 0.5:
        steps.append((last, "act", "start_rectification"))
    if story in ("reminded", "overdue") and wd(last, 5) < deadline:
        # 整改督办函 half-way through the period: the unit has not reported progress yet
        last = wd(last, 2)
        steps += [(last, "draft", "rectification_reminder"), (wd(last, 1), "issue", "rectification_reminder"),
                  (wd(last, 2), "serve", "rectification_reminder")]
        last = wd(last, 2)
    if story == "refused":
        f = max(min(wd(last, rng.randint(2, 4)), deadline), last)  # the written refusal comes within the period
        return steps + [(f, "act", "mark_refused"), (f, "draft", "escalation_report"),
                        (wd(f, 1), "issue", "escalation_report"),
                        (wd(f, 1 + rng.randint(8, 15)), "act", "record_bureau_reply")]
    steps.append((deadline, "deadline", ""))  # nothing happens; a place a story may stop at
    if story == "overdue":
        m = wd(deadline, 1)  # default is established at the end of the deadline day
        return steps + [(m, "act", "mark_overdue"), (m, "draft", "escalation_report"),
                        (wd(m, 1), "issue", "escalation_report"),
                        (wd(m, 1 + rng.randint(8, 15)), "act", "record_bureau_reply")]
    confirmed = max(min(wd(last, rng.randint(1, 3)), deadline), last)
    return steps + [(confirmed, "act", "confirm_rectified"), (wd(confirmed, rng.randint(1, 3)), "act", "close")]


def _place(story: str, target: tuple[str, str], age: int | None, stop: bool, today: date, cal: WorkCalendar,
           seed: int, days: int) -> list[Step]:
    """The story moved in time so that by ``today`` its last step is ``target`` (taken ``age`` working days ago)."""
    anchor = _workdays_before(cal, today, age) if age is not None else None
    received = today
    while not cal.is_workday(received):
        received -= timedelta(days=1)
    for _ in range(400):
        steps = plan(story, received, random.Random(seed), cal, days)
        done = [s for s in steps if s[0] <= today]
        where = next((k for k, s in enumerate(steps) if s[1:] == target), None)
        if where is not None and (steps[where][0] <= anchor if anchor else bool(done) and done[-1][1:] == target):
            return steps[:where + 1] if stop else steps
        received = _workdays_before(cal, received, 1)
    raise AssertionError(f"no placement of {story} ending at {target}")  # a broken CURRENT table, not a user error


@dataclass
class _Matter:
    """One matter's story while it is replayed: its steps, and what it has become in the database so far."""

    number: int
    case: int
    steps: list[Step]
    matter_id: int = 0
    drafts: dict[str, int] = field(default_factory=dict)  # form id -> the document being worked on


@dataclass
class _Office:
    db: Database
    cal: WorkCalendar
    rng: random.Random
    clerk: Actor
    reviewer: Actor
    signer: Actor
    units: list[int]
    handler_id: int
    meetings: dict[date, int] = field(default_factory=dict)
    supervisors: list[int] = field(default_factory=list)

    # ---- documents: drafted by the clerk, reviewed, signed off by the director, on their dates (D-4)

    def draft(self, form_id: str, matter_id: int | None, on: date, **values: object) -> int:
        filled = documents.draft_values(self.db, form_id, matter_id, on)
        filled.update({k: v for k, v in values.items() if k not in FILL_IF_EMPTY or not filled.get(k)})
        doc = documents.create_draft(self.db, self.clerk, form_id, matter_id, filled, on)
        if documents.form(form_id).number_pattern:
            documents.submit(self.db, self.clerk, doc)
            documents.review(self.db, self.reviewer, doc, approve=True)
        else:
            documents.finalize(self.db, self.clerk, doc, on)  # a record form: no number, no sign-off
        return doc

    def issue(self, doc: int, on: date) -> None:
        # demo documents: on a PC without Chinese TrueType fonts they are issued with the CID fallback all the same
        documents.issue(self.db, self.signer, doc, on, today=on, unembedded_fonts_confirmed=True)

    def serve(self, doc: int, matter_id: int, on: date) -> None:
        """送达 with its 送达回证 (D-8): the receipt is printed, signed by the unit and kept in the file."""
        served = documents.get_document(self.db, doc)
        receiver = self.rng.choice(RECEIVERS)
        self.draft("service_receipt", matter_id, on, document_title=served.title, document_number=served.number,
                   place="受送达单位办公室", method="直接送达", receiver=receiver, served_on=on.isoformat())
        documents.record_service(self.db, self.clerk, doc, on, "直接送达", receiver, today=on)

    # ---- one step of a matter's story

    def register(self, m: _Matter, on: date) -> None:
        title, category, unit_idx, source, facts, _ = CASES[m.case]
        rng = self.rng
        ref = f"GD{on:%Y%m%d}{rng.randint(100, 999)}" if source in (S.HOTLINE, S.COMPLAINT_PLATFORM) else ""
        data = MatterInput(
            received_on=on, source=source.value,
            title=title,  # the same problem recurs, as a frequent matter does: the registration number tells them apart
            category=category.value, unit_ids=[self.units[unit_idx]],
            track=(Track.FREQUENT if m.number % 3 == 0 else Track.GENERAL).value,
            source_ref=ref, method=rng.choice(list(Method)).value, facts=facts,
            legal_basis="《中华人民共和国行政处罚法》第四十四条、第四十五条" if category == C.LEGALITY else "",
            handler_id=self.handler_id,
            complainant_name=rng.choice(["张伟", "李娜", "陈海", ""]) if source in (S.HOTLINE, S.PETITION) else "",
            complainant_phone=f"138{rng.randint(10000000, 99999999)}" if source == S.HOTLINE else "",
        )
        m.matter_id = register_matter(self.db, self.clerk, data, today=on).id
        self.draft("matter_register", m.matter_id, on, handler_opinion="建议受理并开展核查。")  # the paper file's cover

    def step(self, m: _Matter, on: date, what: str, which: str) -> None:
        if what == "register":
            self.register(m, on)
        elif what == "act":
            transition_matter(self.db, self.clerk, m.matter_id, TransitionInput(which, on, REASONS.get(which, "")),
                              today=on)
        elif what == "draft":
            m.drafts[which] = self.draft(which, m.matter_id, on, **self._matter_values(which, m.matter_id))
        elif what == "issue":
            self.issue(m.drafts[which], on)  # the escalation, transfer or request moves the matter (issue 11 item 2)
        elif what == "serve":
            self.serve(m.drafts[which], m.matter_id, on)

    def _matter_values(self, form_id: str, matter_id: int) -> dict[str, object]:
        """What the clerk types into a draft beyond what the matter fills in."""
        values = dict(TYPED.get(form_id, {}))
        if form_id == "escalation_report":  # the advice the unit did not follow, not the reminder after it
            advice = next((d for d in documents.list_documents(self.db, matter_id)
                           if d.form_id == "supervision_advice" and d.number), None)
            if advice is not None:
                values["advice_number"] = advice.number
        return values

    # ---- the office's own reporting (T-5): monthly report, joint-meeting minutes, annual summary

    def monthly_report(self, on: date) -> None:
        """The report on last month, filled from the figures, finalised and sent; its obligation is met."""
        doc = self.draft("periodic_report", None, on, filled_by=self.clerk.name, filled_on=on.isoformat(),
                         main_work="依照试点工作实施方案开展日常监督，跟进建议书整改落实，按时报送相关情况。",
                         problems="个别被监督单位整改情况书面反馈不够及时。",
                         next_plan="继续跟踪未办结事项的整改情况，按期向司法局报告。")
        last = date(on.year, on.month, 1) - timedelta(days=1)
        self._met(f"office:periodic:{last:%Y-%m}", on, f"工作情况报送表已报送司法局（文书 {doc}）")

    def minutes(self, meeting: date, on: date) -> None:
        """The quarter's joint meeting recorded with its decisions (O-2), its minutes drafted from the record and
        issued; the decisions are obligations until recorded done (decision_done)."""
        due = meeting + timedelta(days=45)  # well after the last decision_done (up to 14 working days)
        meeting_id = meetings.save_meeting(self.db, self.clerk, meetings.MeetingInput(
            held_on=meeting, name="县乡两级行政执法监督机构联席会议", place="江山市司法局三楼会议室",
            convener="江山市司法局", chair="江山市司法局分管副局长",
            participants="江山市司法局、贺村镇人民政府、贺村司法所及重点业务部门",
            attendees="司法局、贺村镇人民政府、贺村司法所、镇综合行政执法队负责人",
            observers="法治监督员代表", topics="通报本季度行政执法协调监督工作情况，研究建议书整改落实中发现的问题。",
            decisions=tuple(meetings.DecisionInput(text, owner, due) for text, owner in DECISIONS)), on)
        self.meetings[meeting] = meeting_id
        doc = meetings.draft_minutes(self.db, self.clerk, meeting_id, on)
        documents.update_draft(self.db, self.clerk, doc, {**documents.get_document(self.db, doc).values,
                                                          "distribution": "江山市司法局，贺村镇人民政府"})
        documents.submit(self.db, self.clerk, doc)
        documents.review(self.db, self.reviewer, doc, approve=True)
        self.issue(doc, on)
        for supervisor_id in self.supervisors[:2]:  # supervisors sit in (列席)
            supervisors.record_activity(self.db, self.clerk, supervisor_id, supervisors.ActivityInput(
                meeting, ActivityKind.MEETING.value, "列席县乡两级行政执法监督机构联席会议"), on)

    def decision_done(self, meeting: date, index: int, on: date) -> None:
        meeting_id = self.meetings[meeting]
        key = meetings.meeting_input(self.db, meeting_id).decisions[index].key
        meetings.decision_done(self.db, self.clerk, meeting_id, key, on, on, "已落实")

    # ---- the pilot's other supervision work (O-1, O-3, O-4)

    def appoint_supervisors(self, on: date, today: date) -> None:
        for n, (name, kind, unit) in enumerate(SUPERVISORS):
            # the last one's term ends 20 days after the demo's today: the dashboard warns about it
            term = today + timedelta(days=20) if n == len(SUPERVISORS) - 1 else on + timedelta(days=3 * 365)
            self.supervisors.append(supervisors.save_supervisor(self.db, self.clerk, supervisors.SupervisorInput(
                name, kind, on, term, unit, f"1385701{self.rng.randint(1000, 9999)}")))

    def review(self, year: int, on: date) -> None:
        """The year's joint case-file review of two units: lists entered, a sample drawn from a recorded seed,
        every drawn file scored, the worst file's finding turned into a matter."""
        batch = case_review.create_batch(self.db, self.clerk, case_review.BatchInput(
            f"{year}年度行政执法案卷评查", date(year, 1, 1), date(year, 10, 31),
            "贺村司法所、法治监督员、江山市人民检察院", per_unit=20))
        names = [u.name for u in list_units(self.db)[1:3]]
        files = [CaseFile(unit, f"江{'执罚' if k == 0 else '市监处'}〔{year}〕{n}号", f"{year}年第{n}号案卷", n)
                 for k, unit in enumerate(names) for n in range(1, (34, 12)[k] + 1)]
        case_review.add_files(self.db, self.clerk, batch, files)
        case_review.draw_sample(self.db, self.clerk, batch, year * 1000 + 11)
        full = {"subject": 15, "facts": 25, "law": 20, "procedure": 25, "documents": 10, "filing": 5}
        worst = None
        for n, f in enumerate(f for f in case_review.batch_detail(self.db, batch).files if f.drawn):
            scores = dict(full, facts=25 - self.rng.randint(0, 8), documents=10 - self.rng.randint(0, 4))
            finding = ""
            if n % 9 == 4:
                scores["procedure"], finding = 0, "行政处罚决定前未告知当事人陈述、申辩权利"
            case_review.score_file(self.db, self.clerk, f.id, scores, finding, on, on)
            worst = f.id if finding and worst is None else worst
        if worst is not None:
            found = case_review.finding_to_matter(self.db, self.clerk, worst, on)
            self.draft("matter_register", found.id, on, handler_opinion="案卷评查发现问题，建议受理并开展核查。")
        report = case_review.draft_report(self.db, self.clerk, batch, on)
        documents.update_draft(self.db, self.clerk, report, {
            **documents.get_document(self.db, report).values,
            "assessment": "被评查单位案卷总体规范，执法主体合法、事实清楚，少数案卷存在程序瑕疵和文书不规范问题。",
            "follow_up": "对发现的问题制发建议书督促整改，下一年度将整改情况纳入评查重点。"})
        documents.submit(self.db, self.clerk, report)
        documents.review(self.db, self.reviewer, report, approve=True)
        self.issue(report, on)
        for supervisor_id in self.supervisors[2:4]:
            supervisors.record_activity(self.db, self.clerk, supervisor_id, supervisors.ActivityInput(
                on, ActivityKind.CASE_REVIEW.value, f"参加{year}年度行政执法案卷评查"), on)

    def certificates(self, on: date, today: date) -> None:
        """The units' certificate holders as entered; one expired and one expiring soon on the demo's today."""
        units = [u.name for u in list_units(self.db)[:4]]
        for n, name in enumerate(HOLDERS):
            expires = (today - timedelta(days=12) if n == 0 else today + timedelta(days=40) if n == 1
                       else date(on.year + 3 + n % 3, 6, 30))
            personnel.save_officer(self.db, self.clerk, personnel.OfficerInput(
                name, units[n % len(units)], f"浙J{330881 + n:06d}", "行政执法证",
                f"33088119{80 + n % 15}0{1 + n % 9}1{n % 10}{1000 + n}", date(on.year - 2, 6, 30), expires, "有效"))

    def annual_summary(self, drafted: date, issued: date | None) -> None:
        doc = self.draft(
            "annual_summary", None, drafted,
            work="围绕试点工作实施方案，规范监督流程，制发行政执法协调监督建议书并跟进整改落实，按时报送工作情况。",
            problems="个别被监督单位整改反馈不及时；高频事项模板仍需充实。",
            next_plan="完善高频事项模板，加强与司法局的协作配合，推动行政执法监督全覆盖。")
        if issued is not None:
            self.issue(doc, issued)
            self._met(f"office:annual:{drafted.year}", issued, f"年度工作总结已报送司法局（文书 {doc}）")

    def _met(self, rule_key: str, on: date, note: str) -> None:
        ensure_office_obligations(self.db, on)
        with self.db.uow() as session:
            obligation_id = session.scalar(select(Obligation.id).where(Obligation.rule_key == rule_key))
        if obligation_id is not None:
            complete_office_obligation(self.db, self.clerk, obligation_id, on, note)


DECISIONS = (("对逾期未整改事项按规定报告司法局", "贺村司法所"),
             ("各派驻机构落实执法全过程记录制度", "镇综合行政执法队"),
             ("下季度联席会议由贺村镇人民政府承办", "贺村镇人民政府"))
SUPERVISORS = (("毛建国", "deputy", "贺村镇人大"), ("周丽华", "cppcc", "江山市政协"), ("徐明", "lawyer", "浙江江山律师事务所"),
               ("郑晓燕", "journalist", "江山日报社"), ("姜大伟", "public", "贺村村民代表"))
HOLDERS = ("祝立新", "毛志强", "徐海燕", "王建平", "周伟", "郑春梅", "姜涛", "柴永明", "汪丽", "何建军", "余晓东", "吴芳")


def build_demo(db: Database, today: date, seed: int = 2026) -> int:
    """Set up 贺村司法所 with users and units and replay its work since January of last year up to ``today``."""
    if is_set_up(db):
        raise ValidationError("所选数据库已有数据，演示数据只能写入新的数据库。请用 --db 指定一个新文件。")
    rng = random.Random(seed)
    start = date(today.year - 1, 1, 5)
    setup_database(db, ProfileInput(), UserInput("admin", "管理员", Role.ADMIN.value, "hecun2026"),
                   created_at=datetime.combine(start, datetime.min.time()))
    with db.uow() as session:
        now = datetime.now().replace(microsecond=0)
        for username, name, role in DEMO_USERS:
            session.add(User(username=username, display_name=name, role=role.value,
                             password_hash=hash_password("hecun2026"), created_at=now))
    with db.uow() as session:
        users = {u.username: (u.id, u.display_name) for u in session.scalars(select(User))}
        units = [u.id for u in session.scalars(select(Unit).order_by(Unit.id))]
        cal = load_calendar(session)
        days = session.scalars(select(OfficeProfile.rectification_days)).one()
    assert len(units) == len(DEFAULT_UNITS)
    actor = {name: Actor(users[name][1], users[name][0], role.value) for name, _, role in DEMO_USERS}
    office = _Office(db, cal, rng, actor["wang"], actor["zhou"], actor["li"], units, users["wang"][0])
    matters = _stories(today, start, cal, rng, seed, days)
    _replay(office, matters, _office_calendar(office, start, today), today)
    ensure_office_obligations(db, today)
    with db.uow() as session:  # the stories' matters and those the case-file reviews' findings became
        return int(session.scalar(select(func.count(Matter.id))) or 0)


def _stories(today: date, start: date, cal: WorkCalendar, rng: random.Random, seed: int, days: int) -> list[_Matter]:
    """Matters spread from ``start`` to about two months before ``today`` (their stories are over by then), and
    the CURRENT ones placed at ``today``."""
    current = [_Matter(0, case, _place(story, target, age, stop, today, cal, seed + k, days))
               for k, (case, story, target, age, stop) in enumerate(CURRENT)]
    spread = MATTERS - len(current)
    end = today - timedelta(days=60)
    matters = []
    for i in range(spread):
        case = i % len(CASES)
        stories = CASES[case][5]
        received = _workday_on_or_after(cal, start + timedelta(days=int((end - start).days * (i + rng.random()) / spread)))
        matters.append(_Matter(0, case, plan(stories[(i // len(CASES)) % len(stories)], received, rng, cal, days)))
    matters += current
    matters.sort(key=lambda m: m.steps[0][0])
    for number, m in enumerate(matters):
        m.number = number
    return matters


def _office_calendar(office: _Office, start: date, today: date) -> list[tuple[date, Callable[[], None]]]:
    """The office's own dated work: the monthly report by the 2nd–3rd working day, the joint meeting's minutes
    each quarter, the annual summary before Christmas."""
    cal, work = office.cal, []
    y, m = start.year, start.month
    while (y, m) < (today.year, today.month):
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        on = _wd(cal, date(y, m, 1) - timedelta(days=1), office.rng.randint(2, 3))
        work.append((on, partial(office.monthly_report, on)))
    appointed = _wd(cal, start, 5)
    work.append((appointed, partial(office.appoint_supervisors, appointed, today)))
    work.append((appointed, partial(office.certificates, appointed, today)))
    for year in range(start.year, today.year + 1):
        for month in (3, 6, 9, 12):
            meeting = _wd(cal, date(year, month, 14), 1)
            on = _wd(cal, meeting, 2)
            work.append((on, partial(office.minutes, meeting, on)))
            for index in range(len(DECISIONS)):
                done = _wd(cal, meeting, 6 + 4 * index)
                work.append((done, partial(office.decision_done, meeting, index, done)))
        reviewed = _wd(cal, date(year, 11, 20), 1)
        work.append((reviewed, partial(office.review, year, reviewed)))
        drafted = _wd(cal, date(year, 12, 17), 1)
        issued = _wd(cal, drafted, 2)
        work.append((drafted, partial(office.annual_summary, drafted, issued if issued <= today else None)))
    return [(on, job) for on, job in work if on <= today]


def _replay(office: _Office, matters: list[_Matter], work: list[tuple[date, Callable[[], None]]], today: date) -> None:
    """Every dated step of every story and of the office, in date order: numbers follow dates (D-3)."""
    queue: list[tuple[date, int, int, Callable[[], None] | _Matter]] = []
    order = 0
    for on, job in work:
        queue.append((on, 0, order, job))
        order += 1
    for m in matters:
        queue.append((m.steps[0][0], 1, order, m))
        order += 1
    heapq.heapify(queue)
    position = {id(m): 0 for m in matters}
    while queue:
        on, _, _, item = heapq.heappop(queue)
        if on > today:
            break
        if not isinstance(item, _Matter):
            item()
            continue
        k = position[id(item)]
        _, what, which = item.steps[k]
        office.step(item, on, what, which)
        if k + 1 < len(item.steps):
            position[id(item)] = k + 1
            nxt = max(item.steps[k + 1][0], on)
            heapq.heappush(queue, (nxt, 1, order, item))
            order += 1


SYNTHETIC_WORDS = ["占道经营", "违法建设", "油烟扰民", "渣土运输", "食品安全", "燃气安全", "环境污染", "噪声扰民",
                   "户外广告", "农药经营", "宅基地", "市容环卫", "消防通道", "河道保洁", "非法营运"]
SYNTHETIC_PROBLEMS = ["未告知陈述申辩权", "执法文书送达不规范", "超期未作出处理决定", "罚款裁量未说明理由",
                      "执法人员未出示证件", "现场检查笔录不完整", "扣押物品未开具清单", "投诉超期未答复",
                      "处罚决定未按规定公示", "整改复查记录缺失"]
SYNTHETIC_PLACES = ["贺村", "淤头", "耕读", "山底", "长台", "清湖", "凤林", "大桥", "贺村镇区", "上余"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱胡郭何高林郑毛祝姜汪"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


_MATTERS: Table = Matter.__table__  # type: ignore[assignment]
_EVENTS: Table = MatterEvent.__table__  # type: ignore[assignment]


def add_synthetic(db: Database, n: int, seed: int = 1, years: int = 10, batch: int = 5000) -> int:
    """Insert ``n`` plausible matters over the last ``years`` years in bulk (benchmarks: N-2), with their
    full-text rows in the same batches."""
    rng = random.Random(seed)
    with db.uow() as session:
        unit_ids = list(session.scalars(select(Unit.id)))
        user_ids = list(session.scalars(select(User.id)))
        last = {row.year: row.last for row in session.scalars(
            select(NumberSequence).where(NumberSequence.series == "matter_registration"))}
        pattern = session.scalar(select(OfficeProfile.registration_pattern))
    if not unit_ids or pattern is None:
        raise ValidationError("请先完成初始设置（hecun-office setup 或 demo）再生成合成事项。")
    today = date.today()
    end_year = today.year
    sources, categories = list(Source), list(Category)
    final = [Status.CLOSED] * 6 + [Status.TRANSFERRED, Status.VERIFYING, Status.RECTIFYING, Status.REGISTERED,
                                   Status.ADVICE_ISSUED, Status.ESCALATED, Status.RECTIFIED]
    with_ref = {Source.HOTLINE, Source.COMPLAINT_PLATFORM}
    with_person = {Source.HOTLINE, Source.COMPLAINT_PLATFORM, Source.PETITION, Source.SUPERVISOR}
    done = 0
    now = datetime.now().replace(microsecond=0)
    while done < n:
        size = min(batch, n - done)
        matters, links, events = [], [], []
        with db.uow() as session:
            first_id = (session.scalar(select(Matter.id).order_by(Matter.id.desc()).limit(1)) or 0) + 1
            for k in range(size):
                year = end_year - rng.randrange(years)
                last[year] = last.get(year, 0) + 1
                received = date(year, 1, 1) + timedelta(days=rng.randrange(365 if year < end_year else max(today.timetuple().tm_yday - 1, 1)))
                word, problem, place = (rng.choice(SYNTHETIC_WORDS), rng.choice(SYNTHETIC_PROBLEMS),
                                        rng.choice(SYNTHETIC_PLACES))
                status = rng.choice(final)
                source = rng.choice(sources)
                party = _person(rng)
                person = source in with_person and rng.random() < 0.7
                deadline = (received + timedelta(days=rng.randint(10, 40))
                            if status in (Status.ADVICE_ISSUED, Status.RECTIFYING, Status.RECTIFIED) else None)
                mid = first_id + k
                matters.append(dict(
                    id=mid, uuid=f"{rng.getrandbits(128):032x}", version=1,
                    reg_no=pattern.format(year=year, n=last[year]), reg_year=year, reg_seq=last[year],
                    received_on=received, source=source.value,
                    source_ref=f"GD{received:%Y%m%d}{rng.randint(0, 99999):05d}" if source in with_ref else None,
                    category=rng.choice(categories).value, method=None,
                    track=(Track.FREQUENT if rng.random() < 0.3 else Track.GENERAL).value,
                    title=f"{word}问题监督（{mid}）",
                    facts=f"群众反映{place}村{word}相关执法问题：{problem}。经初步了解，当事人{party}对执法程序与文书规范"
                          f"有异议，需核查执法案卷。",
                    parties=f"{party}（{place}村）", legal_basis="", serious=rng.random() < 0.02, in_scope=True,
                    handler_id=rng.choice(user_ids), status=status.value,
                    complainant_name=_person(rng) if person else None,
                    complainant_phone=f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}" if person else None,
                    complainant_id_no=None, rectification_deadline=deadline, created_at=now, updated_at=now))
                links.append(dict(matter_id=mid, unit_id=rng.choice(unit_ids)))
                events.append(dict(uuid=f"{rng.getrandbits(128):032x}", matter_id=mid, action=Action.REGISTER.value,
                                   from_status=None, to_status=status.value, on_date=received, recorded_at=now,
                                   actor="合成数据", reason="", data={}))
            # Core inserts on the tables: one executemany each, without the ORM's bulk bookkeeping (a quarter faster)
            session.execute(insert(_MATTERS), matters)
            session.execute(insert(matter_units), links)
            session.execute(insert(_EVENTS), events)
            audit.note_events(session, [str(e["uuid"]) for e in events])  # recorded in the chain like any (issue 15)
            bulk_index(session, matters)
            for year, value in last.items():
                row = session.get(NumberSequence, ("matter_registration", year))
                if row is None:
                    session.add(NumberSequence(series="matter_registration", year=year, last=value))
                else:
                    row.last = value
            audit.append(session, audit.SYSTEM, "demo.synthetic", "matter", f"{first_id}-{first_id + size - 1}",
                         {"count": size})
        done += size
    return done
