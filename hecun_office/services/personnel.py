"""执法人员 (SPEC O-4): the enforcement-certificate holders of the supervised units, from the units' .xlsx lists.

A list is read by the work-order intake's reader (size bounds, header detection) with the columns such lists use;
each row is kept by its certificate number (a second import updates, nothing is duplicated), its unit matched to the
office's units by name. ID numbers are personal data: masked wherever a list is shown (M-7). A certificate that
expires within ``WARN_DAYS`` days or has expired is a warning (content category 乡镇行政执法主体和行政执法人员资格的
合法性).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import NotFound, ValidationError
from ..domain.masking import mask_id_no
from ..domain.permissions import Permission, require
from ..domain.vocab import Category, Source
from ..ledgers.intake import IntakeField, cell_text, load_list, parse_date
from ..storage.models import EnforcementOfficer, Matter, Unit
from ..storage.uow import Database, begin_write
from . import audit
from .audit import Actor
from .matters import MatterInput, Registered, _register, check_input
from .reminders import WARN_DAYS, certificate_warnings  # noqa: F401  (callers and tests name it here)

WHAT = "执法人员名单"

PERSONNEL_FIELDS: tuple[IntakeField, ...] = (
    IntakeField("name", "姓名", ("姓名", "执法人员姓名", "持证人", "人员姓名", "执法人员"), True),
    IntakeField("unit", "所在单位", ("所在单位", "工作单位", "执法单位", "单位名称", "单位"), True),
    IntakeField("certificate_no", "执法证号", ("执法证号", "执法证件号", "执法证编号", "执法证件编号", "证号"), True),
    IntakeField("id_no", "身份证号码", ("身份证号码", "身份证号", "公民身份号码", "证件号码")),
    IntakeField("kind", "证件类型", ("证件类型", "执法证类型", "证件种类", "执法类别")),
    IntakeField("issued_on", "发证日期", ("发证日期", "发证时间", "领证日期")),
    IntakeField("expires_on", "有效期至", ("有效期至", "有效期截止", "有效截止日期", "到期日期", "截止日期", "有效期")),
    IntakeField("status", "状态", ("证件状态", "状态")),
)
_LIMITS = {"name": 64, "unit": 128, "certificate_no": 64, "id_no": 32, "kind": 64, "status": 32}


@dataclass(frozen=True)
class ImportedList:
    added: int
    updated: int
    unmatched_units: tuple[str, ...]  # unit names not among the office's units (kept as listed)
    problems: tuple[str, ...]  # rows left out, each with its row number and why


@dataclass(frozen=True)
class OfficerRow:
    id: int
    unit: str
    name: str
    certificate_no: str
    kind: str
    id_no: str  # masked unless asked for in full
    issued_on: date | None
    expires_on: date | None
    status: str
    days_left: int | None  # to expiry from ``today``; negative once expired
    matter_reg_no: str | None = None  # the matter an expired certificate was turned into

    @property
    def expired(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def import_list(db: Database, actor: Actor, path: Path, now: datetime | None = None) -> ImportedList:
    """Read a units' list of certificate holders and keep every good row; all or nothing per file."""
    require(actor.role, Permission.MATTER_WORK)
    sheet, column = load_list(path, PERSONNEL_FIELDS, WHAT)
    rows, problems = _rows(sheet.rows, column)
    if not rows:
        raise ValidationError(f"文件“{sheet.file_name}”中没有可导入的执法人员。" + ("；".join(problems[:3]) or ""), "file")
    now = now or datetime.now().replace(microsecond=0)
    with db.uow() as session:
        begin_write(session)
        units = {name: unit_id for unit_id, name in session.execute(
            select(Unit.id, Unit.name).where(Unit.office_code == "", Unit.active.is_(True)))}
        held = {o.certificate_no: o for o in session.scalars(
            select(EnforcementOfficer).where(EnforcementOfficer.office_code == ""))}
        added = sum(_keep(session, held, units, values, now) for values in rows)
        updated = len(rows) - added
        unmatched = tuple(sorted({str(v["unit"]) for v in rows} - set(units)))
        audit.append(session, actor, "personnel.import", "enforcement_officers", sheet.sha256[:16],
                     {"file": sheet.file_name, "added": added, "updated": updated, "left_out": len(problems)})
    return ImportedList(added, updated, unmatched, tuple(problems))


def _keep(session: Session, held: dict[str, EnforcementOfficer], units: dict[str, int], values: dict[str, Any],
          now: datetime) -> bool:
    """One holder by certificate number: added (True) or the held row updated. The list or the form has the
    holder as the unit states it today."""
    officer = held.get(values["certificate_no"])
    new = officer is None
    if officer is None:
        officer = EnforcementOfficer(office_code="", certificate_no=values["certificate_no"], created_at=now)
        session.add(officer)
        held[values["certificate_no"]] = officer
    else:
        officer.version += 1
    officer.unit_name, officer.unit_id = values["unit"], units.get(values["unit"])
    officer.name, officer.kind, officer.status = values["name"], values["kind"], values["status"]
    officer.id_no = values["id_no"] or None
    officer.issued_on, officer.expires_on = values["issued_on"], values["expires_on"]
    officer.updated_at = now
    return new


@dataclass(frozen=True)
class OfficerInput:
    """A holder entered by hand (issue 16: 导入或录入)."""

    name: str
    unit: str
    certificate_no: str
    kind: str = ""
    id_no: str = ""
    issued_on: date | None = None
    expires_on: date | None = None
    status: str = ""


def save_officer(db: Database, actor: Actor, data: OfficerInput, now: datetime | None = None) -> bool:
    """Enter one holder; the certificate number identifies them, as in a list (entered again: updated). True when
    the holder is new."""
    require(actor.role, Permission.MATTER_WORK)
    values: dict[str, Any] = {key: str(getattr(data, key)).strip() for key in _LIMITS}
    for f in PERSONNEL_FIELDS:
        if f.required and not values[f.key]:
            raise ValidationError(f"请填写{f.label}。", f.key)
        if f.key in _LIMITS and len(values[f.key]) > _LIMITS[f.key]:
            raise ValidationError(f"“{f.label}”过长，请控制在 {_LIMITS[f.key]} 字以内。", f.key)
    if data.issued_on and data.expires_on and data.expires_on < data.issued_on:
        raise ValidationError(f"有效期至 {data.expires_on:%Y-%m-%d} 早于发证日期，请检查。", "expires_on")
    values["issued_on"], values["expires_on"] = data.issued_on, data.expires_on
    now = now or datetime.now().replace(microsecond=0)
    with db.uow() as session:
        begin_write(session)
        units = {name: unit_id for unit_id, name in session.execute(
            select(Unit.id, Unit.name).where(Unit.office_code == "", Unit.active.is_(True)))}
        held = {o.certificate_no: o for o in session.scalars(select(EnforcementOfficer).where(
            EnforcementOfficer.office_code == "", EnforcementOfficer.certificate_no == values["certificate_no"]))}
        new = _keep(session, held, units, values, now)
        session.flush()
        audit.append(session, actor, "personnel.save", "enforcement_officers", held[values["certificate_no"]].uuid,
                     {"new": new})
        return new


def _cell(row: tuple[object, ...], column: dict[str, int], key: str) -> object:
    index = column.get(key)
    return row[index] if index is not None and index < len(row) else None


def _rows(raw: Sequence[tuple[int, tuple[object, ...]]],
          column: dict[str, int]) -> tuple[list[dict[str, Any]], list[str]]:
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, row in raw:
        values: dict[str, Any] = {key: cell_text(_cell(row, column, key)) for key in _LIMITS}
        missing = [f.label for f in PERSONNEL_FIELDS if f.required and not values[f.key]]
        if missing:
            problems.append(f"第 {number} 行缺少{'、'.join(missing)}")
            continue
        too_long = [f.label for f in PERSONNEL_FIELDS if f.key in _LIMITS and len(values[f.key]) > _LIMITS[f.key]]
        if too_long:
            problems.append(f"第 {number} 行的{'、'.join(too_long)}过长")
            continue
        try:
            for key in ("issued_on", "expires_on"):
                values[key] = parse_date(_cell(row, column, key))
        except ValueError:
            problems.append(f"第 {number} 行的日期无法识别（应为 2026-03-01 这样的日期）")
            continue
        if values["certificate_no"] in seen:
            problems.append(f"第 {number} 行的执法证号与第 {seen[values['certificate_no']]} 行重复，只取前一行")
            continue
        seen[values["certificate_no"]] = number
        rows.append(values)
    return rows, problems


def list_officers(db: Database, today: date, expiring_within: int | None = None,
                  full_id: bool = False, office_code: str = "") -> list[OfficerRow]:
    """The register, ID numbers masked; with ``expiring_within`` only certificates expired or expiring within that
    many days (soonest first)."""
    if expiring_within is not None and (isinstance(expiring_within, bool) or expiring_within < 0):
        raise ValidationError(f"天数“{expiring_within}”不对：请填写 0 或正整数。", "expiring_within")
    query = select(EnforcementOfficer).where(EnforcementOfficer.office_code == office_code)
    if expiring_within is not None:
        query = query.where(EnforcementOfficer.expires_on <= today + timedelta(days=expiring_within))
    with db.uow() as session:
        officers = session.scalars(query.order_by(EnforcementOfficer.expires_on, EnforcementOfficer.unit_name,
                                                  EnforcementOfficer.name)).all()
        reg = dict(session.execute(select(Matter.id, Matter.reg_no).join(
            EnforcementOfficer, EnforcementOfficer.matter_id == Matter.id)
            .where(EnforcementOfficer.office_code == office_code)).all())
        return [OfficerRow(
            id=o.id, matter_reg_no=reg.get(o.matter_id) if o.matter_id else None, unit=o.unit_name, name=o.name, certificate_no=o.certificate_no, kind=o.kind,
            id_no=(o.id_no or "") if full_id else mask_id_no(o.id_no or ""), issued_on=o.issued_on,
            expires_on=o.expires_on, status=o.status,
            days_left=(o.expires_on - today).days if o.expires_on else None) for o in officers]


def officer_to_matter(db: Database, actor: Actor, officer_id: int, today: date) -> Registered:
    """A holder whose certificate has expired becomes a matter in one step (content category 乡镇行政执法主体和行政
    执法人员资格的合法性, source 日常监督, the holder's unit), linked to the holder."""
    require(actor.role, Permission.MATTER_WORK)
    with db.uow() as session:
        begin_write(session)
        officer = session.get(EnforcementOfficer, officer_id)
        if officer is None:
            raise NotFound("该执法人员已不在名单中，请刷新。")
        if officer.office_code:
            raise ValidationError("该执法人员名单由司法所报送，本机构只能查看。")
        if officer.matter_id is not None:
            reg_no = session.scalar(select(Matter.reg_no).where(Matter.id == officer.matter_id))
            raise ValidationError(f"该执法人员的证件问题已登记为事项 {reg_no}。")
        if officer.expires_on is None or officer.expires_on >= today:
            raise ValidationError(f"{officer.name}的执法证未过期，不需登记事项；到期前 {WARN_DAYS} 天起在工作台提醒。")
        unit_id = officer.unit_id or session.scalar(select(Unit.id).where(
            Unit.office_code == "", Unit.name == officer.unit_name))
        if unit_id is None:
            raise ValidationError(f"“{officer.unit_name}”不在本所的被监督单位名录中：请在“设置 → 被监督单位”中添加"
                                  "（名称与名单一致），再登记事项。", "unit")
        data = MatterInput(
            received_on=today, source=Source.DAILY.value, category=Category.QUALIFICATION.value, unit_ids=[unit_id],
            title=f"执法人员{officer.name}的执法证已过期（{officer.unit_name}）"[:200],
            source_ref=f"执法证{officer.certificate_no}"[:64],
            facts=f"{officer.unit_name}执法人员{officer.name}，执法证号 {officer.certificate_no}"
                  f"{('（' + officer.kind + '）') if officer.kind else ''}，有效期至 {officer.expires_on:%Y-%m-%d}，"
                  f"已过期 {(today - officer.expires_on).days} 天。过期后仍从事执法活动的，执法主体资格不合法。")
        check_input(data, today)
        registered = _register(session, actor, data, today)
        officer.matter_id, officer.updated_at = registered.id, datetime.now().replace(microsecond=0)
        officer.version += 1
        audit.append(session, actor, "personnel.matter", "enforcement_officers", officer.uuid,
                     {"matter": registered.reg_no})
        return registered
