"""U-5: first-run set-up of an office or bureau database, and the state the app needs to start."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from sqlalchemy import select, text

from ..domain.errors import NotFound, ValidationError
from ..domain.permissions import Permission, require
from ..domain.vocab import Mode, Role, UnitKind
from ..storage.models import Base, OfficeProfile, Unit, User
from ..storage.uow import Database
from . import audit
from .audit import Actor
from .calendar import seed_library
from .exchange_keys import ensure_own_keys
from .passwords import hash_password
from .templates import seed_templates
from .users import actor_of


@dataclass
class ProfileInput:
    mode: str = Mode.OFFICE.value
    name: str = "贺村司法所"
    code: str = "hecun"
    abbr: str = "贺司"
    township: str = "贺村镇"
    county: str = "江山市"
    bureau_name: str = "江山市司法局"
    registration_pattern: str = "贺监登〔{year}〕{n}号"
    rectification_days: int = 15
    periodic_report_workday: int = 5
    # The office's supervised units as (name, kind) — the profile JSON's "units": [{"name": …, "kind": …}].
    # None: the township's defaults (``default_units``), never another township's units.
    units: list[tuple[str, str]] | None = None


def default_units(township: str) -> list[tuple[str, str]]:
    """贺村镇's ten for the Hecun pilot; for any other township its government and its 综合行政执法队, which the
    office completes in 设置 → 被监督单位."""
    township = township.strip()
    if township == "贺村镇":
        return [(n, k.value) for n, k in DEFAULT_UNITS]
    if not township:
        return []
    return [(f"{township}人民政府", UnitKind.TOWNSHIP_GOVERNMENT.value),
            (f"{township}综合行政执法队", UnitKind.INTERNAL_BODY.value)]


def profile_units(profile: ProfileInput) -> list[tuple[str, str]]:
    """The units set-up seeds, checked: names cleaned and unique, kinds known."""
    units = default_units(profile.township) if profile.units is None else profile.units
    kinds = {k.value for k in UnitKind}
    seen: set[str] = set()
    out = []
    for n, (name, kind) in enumerate(units, start=1):
        name = " ".join(str(name).split())
        if not name or len(name) > 128:
            raise ValidationError(f"第 {n} 个被监督单位的名称为空或超过 128 个字。", "units")
        if kind not in kinds:
            raise ValidationError(f"被监督单位“{name}”的类型“{kind}”不对，应为："
                                  + "、".join(f"{k.value}（{k.label}）" for k in UnitKind) + "。", "units")
        if name in seen:
            raise ValidationError(f"被监督单位“{name}”重复了。", "units")
        seen.add(name)
        out.append((name, kind))
    return out


def default_profile(mode: str = Mode.OFFICE.value) -> ProfileInput:
    if mode == Mode.BUREAU.value:
        return ProfileInput(mode=mode, name="江山市司法局", code="jiangshan", abbr="江司", township="",
                            registration_pattern="江司监登〔{year}〕{n}号")
    return ProfileInput()


# Units of the Hecun pilot: the township government, its bodies and the stationed county agencies.
DEFAULT_UNITS = [
    ("贺村镇人民政府", UnitKind.TOWNSHIP_GOVERNMENT),
    ("贺村镇综合行政执法队", UnitKind.INTERNAL_BODY),
    ("贺村镇社会事务管理办公室", UnitKind.INTERNAL_BODY),
    ("贺村镇村镇建设管理办公室", UnitKind.INTERNAL_BODY),
    ("江山市市场监督管理局贺村市场监督管理所", UnitKind.STATIONED_AGENCY),
    ("江山市公安局贺村派出所", UnitKind.STATIONED_AGENCY),
    ("衢州市生态环境局江山分局贺村环保所", UnitKind.STATIONED_AGENCY),
    ("江山市自然资源和规划局贺村自然资源所", UnitKind.STATIONED_AGENCY),
    ("江山市交通运输行政执法队贺村中队", UnitKind.STATIONED_AGENCY),
    ("贺村镇农业综合服务中心", UnitKind.ENTRUSTED),
]


@dataclass
class UserInput:
    username: str
    display_name: str
    role: str = Role.ADMIN.value
    password: str = ""


def _validate(profile: ProfileInput, user: UserInput) -> None:
    _validate_names(profile)
    profile_units(profile)
    if profile.mode not in {m.value for m in Mode}:
        raise ValidationError("请选择使用模式（司法所端或司法局端）。", "mode")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,30}", profile.code):
        raise ValidationError("机构代码只能用小写英文字母、数字和连字符（2–31 位），例如 hecun。它用于数据包文件名。", "code")
    _validate_numbers(profile)
    if not re.fullmatch(r"[A-Za-z0-9_.-]{2,32}", user.username):
        raise ValidationError("登录名只能用英文字母、数字、下划线、点和连字符（2–32 位）。", "username")
    if not user.display_name.strip():
        raise ValidationError("请填写第一位用户的姓名。", "display_name")
    if user.password and len(user.password) < 6:
        raise ValidationError("密码至少 6 位。", "password")


# The lengths of the office_profile columns (storage/models.py): a longer text would fail in the database instead.
_LIMITS = {"name": 64, "abbr": 16, "township": 64, "county": 64, "bureau_name": 64, "registration_pattern": 64}


def _validate_names(profile: ProfileInput | ProfileEdit) -> None:
    for field, label in (("name", "机构名称"), ("abbr", "机关代字"), ("bureau_name", "上级司法局"), ("county", "所在县（市、区）")):
        if not str(getattr(profile, field)).strip():
            raise ValidationError(f"请填写{label}。", field)
    for field, limit in _LIMITS.items():
        if len(str(getattr(profile, field)).strip()) > limit:
            raise ValidationError(f"最多 {limit} 个字。", field)


def _validate_numbers(profile: ProfileInput | ProfileEdit) -> None:
    pattern = profile.registration_pattern
    if "{year}" not in pattern or "{n}" not in pattern:
        raise ValidationError("登记编号格式必须包含 {year} 和 {n}，例如 贺监登〔{year}〕{n}号。", "registration_pattern")
    try:
        pattern.format(year=2026, n=1)
    except (KeyError, IndexError, ValueError):
        raise ValidationError("登记编号格式只能使用 {year} 和 {n} 两个占位符。", "registration_pattern") from None
    if not 1 <= profile.rectification_days <= 365:
        raise ValidationError("默认整改期限应在 1 到 365 天之间。", "rectification_days")
    if isinstance(profile, ProfileInput) and not 1 <= profile.periodic_report_workday <= 20:
        raise ValidationError("定期报送日应为每月第 1 到第 20 个工作日。", "periodic_report_workday")


ALREADY_SET_UP = "此数据库已经完成初始设置，不能重复设置。如需新建，请用 --db 指定新的数据库文件。"


def refuse_if_set_up(db: Database) -> None:
    if is_set_up(db):
        raise ValidationError(ALREADY_SET_UP)


def is_set_up(db: Database) -> bool:
    with db.uow() as session:
        return session.scalar(select(OfficeProfile.id)) is not None


def discard_unfinished_setup(db: Database) -> bool:
    """Quitting the GUI's first-run set-up leaves no empty database behind (issue 11): the SQLite file (with its
    -wal and -shm) is deleted when set-up did not complete there — no office profile, no account — and it holds
    nothing but this program's tables, so a file that is someone else's is never deleted. True when deleted."""
    file = db.file
    if file is None:
        return False
    with db.uow() as session:
        if session.scalar(select(OfficeProfile.id)) is not None or session.scalar(select(User.id)) is not None:
            return False
        tables = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'table'")))
    ours = set(Base.metadata.tables) | {"alembic_version"}
    if any(t not in ours and not t.startswith(("sqlite_", "matter_search")) for t in tables):
        return False
    db.dispose()
    for path in (file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
        path.unlink(missing_ok=True)
    with suppress(OSError):  # the instance lock's file: held until the program ends, so Windows keeps it
        file.with_name(file.name + ".lock").unlink(missing_ok=True)
    return True


def ensure_calendar(db: Database) -> int:
    """Seed the calendar from chinese-calendar for years not yet present (one query when done)."""
    with db.uow() as session:
        return seed_library(session)


def setup_database(db: Database, profile: ProfileInput, user: UserInput, with_default_units: bool = True,
                   created_at: datetime | None = None) -> None:
    _validate(profile, user)
    ensure_calendar(db)
    with db.uow() as session:
        if session.scalar(select(OfficeProfile.id)) is not None:
            raise ValidationError(ALREADY_SET_UP)
        now = created_at or datetime.now().replace(microsecond=0)
        values = asdict(profile)
        del values["units"]
        values["name"] = values["name"].strip()
        session.add(OfficeProfile(created_at=now, **values))
        account = User(username=user.username, display_name=user.display_name.strip(), role=user.role,
                       password_hash=hash_password(user.password) if user.password else None, created_at=now)
        session.add(account)
        if with_default_units and profile.mode == Mode.OFFICE.value:
            session.add_all(Unit(name=n, kind=k, created_at=now) for n, k in profile_units(profile))
        if profile.mode == Mode.OFFICE.value:
            seed_templates(session, now)
        session.flush()
        ensure_own_keys(session)  # S-6: the key pair is made with the installation
        actor = actor_of(account)
        audit.append(session, actor, "setup", "office_profile", profile.code, {"mode": profile.mode, "name": profile.name},
                     at=now)


@dataclass(frozen=True)
class ProfileView:
    mode: str
    name: str
    abbr: str
    code: str
    bureau_name: str
    county: str
    township: str
    rectification_days: int


def read_profile(db: Database) -> ProfileView | None:
    with db.uow() as session:
        p = session.scalar(select(OfficeProfile))
        if p is None:
            return None
        return ProfileView(p.mode, p.name, p.abbr, p.code, p.bureau_name, p.county, p.township, p.rectification_days)


@dataclass(frozen=True)
class ProfileEdit:
    """What 编辑本所信息 / 编辑本局信息 may change (issue 11 item 17). Not here: the mode and the office code, which
    identify the installation in packets, key enrolment and backups (the bureau files a township's packets under
    its code), and the periodic-report day, whose change would move the due dates of months already reported."""

    name: str
    abbr: str
    bureau_name: str
    county: str
    township: str
    registration_pattern: str
    rectification_days: int


EDITABLE_FIELDS = tuple(ProfileEdit.__dataclass_fields__)


def read_profile_edit(db: Database) -> ProfileEdit:
    with db.uow() as session:
        p = session.scalar(select(OfficeProfile))
        if p is None:
            raise NotFound("此数据库尚未完成初始设置。")
        return ProfileEdit(**{f: getattr(p, f) for f in EDITABLE_FIELDS})


def update_profile(db: Database, actor: Actor, edit: ProfileEdit) -> list[str]:
    """Change the profile; the audit log keeps each changed field before and after. Returns the changed fields
    (none: nothing written). A new 机关代字 or registration pattern applies to numbers assigned from now on: an
    issued number is stored with its document and never recomputed, and the sequences count on unchanged."""
    require(actor.role, Permission.SETTINGS_MANAGE)
    cleaned = replace(edit, **{f: getattr(edit, f).strip() for f in EDITABLE_FIELDS
                               if isinstance(getattr(edit, f), str)})
    _validate_names(cleaned)
    if any(ch.isspace() for ch in cleaned.abbr):
        raise ValidationError("机关代字不能含空格。", "abbr")
    _validate_numbers(cleaned)
    with db.uow() as session:
        p = session.scalar(select(OfficeProfile))
        if p is None:
            raise NotFound("此数据库尚未完成初始设置。")
        before = {f: getattr(p, f) for f in EDITABLE_FIELDS}
        after = asdict(cleaned)
        changed = [f for f in EDITABLE_FIELDS if before[f] != after[f]]
        if not changed:
            return []
        for field in changed:
            setattr(p, field, after[field])
        audit.append(session, actor, "office_profile.update", "office_profile", p.code,
                     {"before": {f: before[f] for f in changed}, "after": {f: after[f] for f in changed}})
        return changed


def default_actor(db: Database) -> Actor:
    """Until login lands (U-6), work is done as the first active user."""
    with db.uow() as session:
        u = session.scalar(select(User).where(User.active.is_(True)).order_by(User.id))
        if u is None:
            return audit.SYSTEM
        return actor_of(u)
