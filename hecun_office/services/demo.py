"""``hecun-office demo``: a realistic Hecun office (units, ~60 matters in every state through 2026) and,
for benchmarks, synthetic volume inserted in bulk (``--matters N``)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select

from ..domain.errors import ValidationError
from ..domain.lifecycle import Action, Status
from ..domain.vocab import Category, Method, Role, Source, Track
from ..storage.models import Matter, MatterEvent, NumberSequence, OfficeProfile, Unit, User, matter_units
from ..storage.uow import Database
from ..workdays import WorkCalendar
from . import audit, documents
from .audit import Actor
from .calendar import load_calendar
from .matters import MatterInput, TransitionInput, register_matter, transition_matter
from .passwords import hash_password
from .search import bulk_index
from .setup import ProfileInput, UserInput, is_set_up, setup_database

C, S = Category, Source

# (title, category, unit index in DEFAULT_UNITS, typical source, facts)
CASES: list[tuple[str, Category, int, Source, str]] = [
    ("占道经营处罚未告知陈述申辩权", C.LEGALITY, 1, S.HOTLINE,
     "群众反映贺村镇综合行政执法队对其占道经营作出罚款决定时，未告知其陈述、申辩的权利。"),
    ("违法建设案件立案后超期未作出处理决定", C.CONCENTRATED_PENALTY, 1, S.CASE_REVIEW,
     "案卷评查发现一起违法建设案件自立案之日起超过九十日未作出处理决定，亦无延期审批记录。"),
    ("执法人员未持证上岗开展市容巡查", C.QUALIFICATION, 1, S.SUPERVISOR,
     "法治监督员反映有两名协管人员在无执法人员带领的情况下单独开展市容巡查并开具责令改正通知书。"),
    ("食品经营许可现场核查记录不完整", C.LEGALITY, 4, S.INSPECTION,
     "检查发现三份食品经营许可现场核查记录缺少核查人员签名及核查时间。"),
    ("油烟扰民投诉处理超期未答复", C.RESPONSIBILITY, 6, S.COMPLAINT_PLATFORM,
     "投诉人通过浙江省统一政务咨询投诉举报平台反映餐饮油烟扰民，承办单位超过答复期限未作答复。"),
    ("行政处罚决定未按规定公示", C.DISCLOSURE, 1, S.DAILY,
     "日常监督发现2026年以来作出的部分一般程序行政处罚决定未在规定期限内公开。"),
    ("农村宅基地违法占地案件移交后监管指导缺位", C.DEPARTMENT_DUTIES, 7, S.SPECIAL,
     "宅基地执法事项划转后，业务主管部门未按约定开展业务培训与技术支撑。"),
    ("渣土运输车辆抛洒滴漏查处标准不一", C.DISPUTE, 8, S.HOTLINE,
     "乡镇执法队与交通执法中队对渣土车抛洒滴漏的管辖与处罚标准存在争议。"),
    ("扣押物品清单未交当事人签字", C.LEGALITY, 1, S.PETITION,
     "当事人来信反映执法人员扣押其三轮车及货物时，未当场交付扣押清单。"),
    ("涉嫌犯罪案件未依法移送公安机关", C.DISCLOSURE, 6, S.PROCURATORATE,
     "检察机关抄送线索：一起非法倾倒固体废物案件涉案数量可能达到刑事立案标准，未见移送记录。"),
    ("行政执法公示平台信息更新滞后", C.DISCLOSURE, 0, S.DAILY,
     "乡镇行政执法主体、人员及职责等事前公开信息未随机构调整及时更新。"),
    ("重大执法决定未经法制审核", C.LEGALITY, 0, S.CASE_REVIEW,
     "一起责令限期拆除决定属于重大执法决定，卷内未见法制审核意见。"),
    ("燃气安全检查责令整改后未复查", C.IMPLEMENTATION, 2, S.BUREAU,
     "司法局交办：燃气安全专项检查中发现的问题责令整改后，未见复查记录。"),
    ("执法记录仪使用不规范", C.RESPONSIBILITY, 1, S.SUPERVISOR,
     "法治监督员随同执法时发现执法全过程记录不完整，关键环节未录像。"),
    ("环境违法行为罚款裁量未说明理由", C.LEGALITY, 6, S.REVIEW_LITIGATION,
     "行政复议中发现一起环境违法罚款决定适用裁量基准上限但未说明理由。"),
    ("市场主体登记事项检查程序不规范", C.LEGALITY, 4, S.INSPECTION,
     "“双随机、一公开”抽查中，检查人员少于两人，且未出示执法证件。"),
    ("群众举报未在规定期限内核查", C.RESPONSIBILITY, 3, S.HOTLINE,
     "12345工单反映私搭乱建，承办单位超过规定期限未核查反馈。"),
    ("乡镇相对集中处罚权事项清单未公布", C.CONCENTRATED_PENALTY, 0, S.SPECIAL,
     "赋权事项调整后，乡镇未向社会公布调整后的行政处罚事项目录。"),
    ("治安管理处罚案件不属乡镇监督范围", C.OTHER, 5, S.PETITION,
     "来访群众反映派出所治安处罚问题，经核查属公安机关内部监督范围。"),
    ("农药经营检查需业务部门技术支持", C.DEPARTMENT_DUTIES, 9, S.DAILY,
     "检查中发现疑似禁用农药，需业务主管部门提供检测认定意见。"),
]

# Paths through the lifecycle (M-3); each ends in a different state.
PATHS: list[list[str]] = [
    [],
    ["start_verification"],
    ["start_verification", "close_no_issue"],
    ["start_verification", "issue_advice"],
    ["start_verification", "issue_advice", "start_rectification"],
    ["start_verification", "issue_advice", "start_rectification", "confirm_rectified"],
    ["start_verification", "issue_advice", "start_rectification", "confirm_rectified", "close"],
    ["start_verification", "issue_advice", "mark_overdue"],
    ["start_verification", "issue_advice", "mark_overdue", "escalate"],
    ["start_verification", "issue_advice", "mark_overdue", "escalate", "record_bureau_reply"],
    ["start_verification", "issue_advice", "start_rectification", "mark_refused"],
    ["start_verification", "flag_serious"],
    ["start_verification", "flag_serious", "escalate"],
    ["start_verification", "mark_out_of_scope", "transfer"],
    ["start_verification", "need_assistance", "send_assistance_request"],
    ["start_verification", "need_assistance", "send_assistance_request", "record_assistance_reply"],
    ["start_verification", "need_assistance", "send_assistance_request", "record_assistance_reply",
     "resume_verification", "issue_advice", "start_rectification", "confirm_rectified", "close"],
]

REASONS = {
    "close_no_issue": "经核查，执法程序合法，未发现问题。",
    "mark_refused": "被监督单位书面回复不予整改。",
    "flag_serious": "涉及多名当事人且可能涉嫌犯罪，情节复杂。",
    "mark_out_of_scope": "不属于司法所监督范围。",
}

DEMO_USERS = [("wang", "王晓燕", Role.CLERK), ("zhou", "周建国", Role.REVIEWER), ("li", "李志明", Role.SIGNER)]


def build_demo(db: Database, today: date, seed: int = 2026) -> int:
    """Set up 贺村司法所 with users and units and replay realistic matters up to ``today``."""
    if is_set_up(db):
        raise ValidationError("所选数据库已有数据，演示数据只能写入新的数据库。请用 --db 指定一个新文件。")
    rng = random.Random(seed)
    start = date(today.year, 1, 5)
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
    clerk = Actor(users["wang"][1], users["wang"][0], Role.CLERK.value)
    reviewer = Actor(users["zhou"][1], users["zhou"][0], Role.REVIEWER.value)
    signer = Actor(users["li"][1], users["li"][0], Role.SIGNER.value)
    span = max((today - start).days - 3, 1)
    count = 60
    for i in range(count):
        title, category, unit_idx, source, facts = CASES[i % len(CASES)]
        path = PATHS[i % len(PATHS)]
        received = start + timedelta(days=int(span * (i + rng.random()) / count))
        received = min(received, today)
        ref = f"GD{received:%Y%m%d}{rng.randint(100, 999)}" if source in (S.HOTLINE, S.COMPLAINT_PLATFORM) else ""
        data = MatterInput(
            received_on=received, source=source.value, title=title if i < len(CASES) else f"{title}（{i // len(CASES) + 1}）",
            category=category.value, unit_ids=[units[unit_idx]], track=(Track.FREQUENT if i % 3 == 0 else Track.GENERAL).value,
            source_ref=ref, method=rng.choice(list(Method)).value, facts=facts,
            legal_basis="《中华人民共和国行政处罚法》第四十四条、第四十五条" if category == C.LEGALITY else "",
            handler_id=users["wang"][0],
            complainant_name=rng.choice(["张伟", "李娜", "陈海", ""]) if source in (S.HOTLINE, S.PETITION) else "",
            complainant_phone=f"138{rng.randint(10000000, 99999999)}" if source == S.HOTLINE else "",
        )
        reg = register_matter(db, clerk, data, today=received)
        on = received
        for action in path:
            gap = rng.randint(1, 4)
            if action in ("start_rectification", "confirm_rectified"):
                gap = rng.randint(3, 10)
            if action == "mark_overdue":
                with db.uow() as session:
                    deadline = session.get(Matter, reg.id).rectification_deadline  # type: ignore[union-attr]
                on_next = (deadline or on) + timedelta(days=1)
            else:
                on_next = cal.add_working_days(on, gap).due
            if on_next > today:
                break
            on = on_next
            if action == "issue_advice":
                # Advices go the real way (D-4): drafted, reviewed, signed off, served; the deadline runs from service.
                on = _issue_advice(db, clerk, reviewer, signer, reg.id, on, today, cal)
                continue
            transition_matter(db, clerk, reg.id, TransitionInput(action, on, REASONS.get(action, "")), today=today)
    return count


def _issue_advice(db: Database, clerk: Actor, reviewer: Actor, signer: Actor, matter_id: int, on: date, today: date,
                  cal: WorkCalendar) -> date:
    """Draft → review → sign-off of the matter's advice on ``on``, served the next working day if that has come."""
    values = documents.draft_values(db, "supervision_advice", matter_id, on)
    values["legal_basis"] = values.get("legal_basis") or "《中华人民共和国行政处罚法》《浙江省综合行政执法条例》相关规定"
    doc = documents.create_draft(db, clerk, "supervision_advice", matter_id, values, on)
    documents.submit(db, clerk, doc)
    documents.review(db, reviewer, doc, approve=True)
    documents.issue(db, signer, doc, on, today=on)
    served = cal.add_working_days(on, 1).due
    if served > today:
        return on
    documents.record_service(db, clerk, doc, served, "直接送达", "单位收发员", today=served)
    return served


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
            session.execute(insert(Matter), matters)
            session.execute(insert(matter_units), links)
            session.execute(insert(MatterEvent), events)
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
