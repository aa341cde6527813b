"""The dashboard's warnings about the pilot's other supervision work (T-6, SPEC O-1, O-4): enforcement certificates
expired or expiring within ``WARN_DAYS`` days, supervisors' terms ended or ending within ``TERM_WARN_DAYS`` days.
Plain reads of one session, so that the obligations module can build the dashboard without importing the services
that write these records (they import the matters module, which imports the obligations)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..storage.models import EnforcementOfficer, Supervisor
from ..storage.uow import Database

WARN_DAYS = 60  # issue 16: certificates expiring within 60 days are warned about
TERM_WARN_DAYS = 30  # issue 16: terms ending within 30 days are warned about
NAMED = 3  # supervisors named in a dashboard warning; the rest are counted


CERTIFICATES_NAMED = 3  # holders named in the dashboard's warning; the rest are counted


def certificate_warnings(session: Session, today: date, office_code: str = "") -> list[str]:
    """The dashboard's warning (T-6): certificates expired, or expiring within WARN_DAYS days, of the office's units
    (at the bureau: of township ``office_code``'s)."""
    rows: list[tuple[str, str, date]] = [(name, unit, expires) for name, unit, expires in session.execute(
        select(EnforcementOfficer.name, EnforcementOfficer.unit_name, EnforcementOfficer.expires_on)
        .where(EnforcementOfficer.office_code == office_code, EnforcementOfficer.expires_on.is_not(None),
               EnforcementOfficer.expires_on <= today + timedelta(days=WARN_DAYS))
        .order_by(EnforcementOfficer.expires_on, EnforcementOfficer.name)) if expires is not None]
    if not rows:
        return []
    expired = sum(1 for _, _, expires in rows if expires < today)
    named = "；".join(f"{name}（{unit}，{expires:%Y-%m-%d}{'已过期' if expires < today else '到期'}）"
                     for name, unit, expires in rows[:CERTIFICATES_NAMED])
    more = f"等 {len(rows)} 人" if len(rows) > CERTIFICATES_NAMED else ""
    counts = "、".join(part for part in (f"已过期 {expired} 人" if expired else "",
                                         f"{WARN_DAYS} 天内到期 {len(rows) - expired} 人" if len(rows) > expired else "")
                       if part)
    return [f"执法证{counts}：{named}{more}。请督促所在单位及时换证；执法证过期的人员不得从事执法活动"
            "（乡镇行政执法主体和行政执法人员资格的合法性）。"]


def term_warnings(session: Session, today: date, office_code: str = "") -> list[str]:
    """The dashboard's warning (T-6): supervisors whose term has ended or ends within TERM_WARN_DAYS days."""
    rows = session.execute(select(Supervisor.name, Supervisor.term_ends).where(
        Supervisor.office_code == office_code, Supervisor.term_ends.is_not(None),
        Supervisor.term_ends <= today + timedelta(days=TERM_WARN_DAYS))
        .order_by(Supervisor.term_ends, Supervisor.name)).all()
    dated = [(n, t) for n, t in rows if t is not None]
    ended = [(n, t) for n, t in dated if t < today]
    ending = [(n, t) for n, t in dated if t >= today]
    warnings: list[str] = []
    for group, text in ((ended, "任期已届满"), (ending, f"任期将在 {TERM_WARN_DAYS} 天内届满")):
        if group:
            named = "、".join(f"{n}（{t:%Y-%m-%d}）" for n, t in group[:NAMED])
            more = f"等 {len(group)} 人" if len(group) > NAMED else ""
            warnings.append(f"法治监督员{text}：{named}{more}。请续聘或另行聘任，在“监督员与会议”中更新任期。")
    return warnings


def supervision_warnings(db: Database, today: date, office_code: str = "") -> list[str]:
    """The warnings above for one office: at the bureau a township's, as its packets reported its records."""
    with db.uow() as session:
        return certificate_warnings(session, today, office_code) + term_warnings(session, today, office_code)
