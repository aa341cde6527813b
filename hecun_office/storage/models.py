"""SQLAlchemy 2.0 typed models (STYLE.md habit 1). The schema itself is owned by Alembic (db/versions)."""

from __future__ import annotations

import uuid as uuid_mod
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

# Stable constraint names so that Alembic batch migrations on SQLite can address them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    return str(uuid_mod.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=False)}


class OfficeProfile(Base):
    """One row: who owns this database (U-5)."""

    __tablename__ = "office_profile"
    id: Mapped[int] = mapped_column(primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))  # office | bureau
    code: Mapped[str] = mapped_column(String(32))  # ASCII office code used in packet names
    name: Mapped[str] = mapped_column(String(64))  # 贺村司法所
    abbr: Mapped[str] = mapped_column(String(16))  # 贺司
    township: Mapped[str] = mapped_column(String(64))  # 贺村镇
    county: Mapped[str] = mapped_column(String(64))  # 江山市
    bureau_name: Mapped[str] = mapped_column(String(64))  # 江山市司法局
    registration_pattern: Mapped[str] = mapped_column(String(64))  # 贺监登〔{year}〕{n}号
    rectification_days: Mapped[int] = mapped_column(Integer, default=15)
    periodic_report_workday: Mapped[int] = mapped_column(Integer, default=5)
    created_at: Mapped[datetime]


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]


class Unit(Base):
    """A supervised unit (被监督单位)."""

    __tablename__ = "units"
    __table_args__ = (
        # Units are identified per office (issue 12): the bureau holds each township's units under its code, so
        # two townships' 贺村镇人民政府 are two rows, and a county agency supervised by several is one per roster.
        UniqueConstraint("office_code", "uuid", name="uq_units_office_uuid"),
        # Names are unique among a roster's active units only: a retired unit keeps its name on old matters.
        Index("uq_units_office_active_name", "office_code", "name", unique=True,
              sqlite_where=text("active"), postgresql_where=text("active")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), default=new_uuid)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    # S-5: at the bureau, whose roster the unit is on ('' = county-wide or, at an office, its own roster).
    office_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # Bumped by every change of name, kind or status on either side; a roster entry in a packet is taken over
    # only when it is newer (the bureau also when equal: the office has the last word on its own units).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


matter_units = Table(
    "matter_units",
    Base.metadata,
    Column("matter_id", ForeignKey("matters.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True, index=True),
)


class NumberSequence(Base):
    """Gapless counters per (series, year): registration numbers now, document numbers later (D-3)."""

    __tablename__ = "number_sequences"
    series: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Matter(Base):
    __tablename__ = "matters"
    __table_args__ = (
        # S-7: a bureau database also holds the townships' matters; registration numbers are unique per office.
        UniqueConstraint("office_code", "reg_year", "reg_seq", name="uq_matters_office_reg"),
        Index("ix_matters_office_received", "office_code", "received_on"),
        Index("ix_matters_status_received", "status", "received_on"),
        Index("ix_matters_received", "received_on"),
        Index("ix_matters_source_ref", "source_ref"),
        # M-6/N-2: the list order (received_on, id) carrying every filterable column, so that filtering and
        # counting 100,000 matters reads this narrow index only (services/search.py).
        Index("ix_matters_list", "received_on", "id", "status", "source", "category", "track", "handler_id",
              "serious", "rectification_deadline"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    version: Mapped[int] = mapped_column(Integer, default=1)
    reg_no: Mapped[str] = mapped_column(String(64))
    reg_year: Mapped[int] = mapped_column(Integer)
    reg_seq: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(32))
    source_ref: Mapped[str | None] = mapped_column(String(128))
    category: Mapped[str] = mapped_column(String(32))
    method: Mapped[str | None] = mapped_column(String(32))
    track: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    facts: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    serious: Mapped[bool] = mapped_column(Boolean, default=False)
    in_scope: Mapped[bool] = mapped_column(Boolean, default=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(32))
    complainant_name: Mapped[str | None] = mapped_column(String(64))
    complainant_phone: Mapped[str | None] = mapped_column(String(32))
    complainant_id_no: Mapped[str | None] = mapped_column(String(32))
    rectification_deadline: Mapped[date | None] = mapped_column(Date)
    parties: Mapped[str] = mapped_column(Text, default="")  # 当事人 (M-6 full text)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("matter_templates.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # '' for this database's own matters; at the bureau, the code of the office that reported it (S-7).
    office_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    handler_name: Mapped[str | None] = mapped_column(String(64))  # the office's handler, for reported matters

    units: Mapped[list[Unit]] = relationship(secondary=matter_units, lazy="selectin")
    handler: Mapped[User | None] = relationship(lazy="joined")
    events: Mapped[list[MatterEvent]] = relationship(
        back_populates="matter", order_by="MatterEvent.id", cascade="all, delete-orphan"
    )


class MatterEvent(Base):
    """The matter's timeline: append-only."""

    __tablename__ = "matter_events"
    # A period's entries by action (services/statistics.py; migration 0007)
    __table_args__ = (Index("ix_matter_events_on_action", "on_date", "action"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    on_date: Mapped[date] = mapped_column(Date)  # business date of what happened
    recorded_at: Mapped[datetime]  # wall clock of the entry
    actor: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    matter: Mapped[Matter] = relationship(back_populates="events")


class Obligation(Base):
    __tablename__ = "obligations"
    __table_args__ = (Index("ix_obligations_state_due", "state", "due_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    rule_key: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    trigger_on: Mapped[date] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    previous_due_on: Mapped[date | None] = mapped_column(Date)  # set when a recomputation moved the date (T-3)
    state: Mapped[str] = mapped_column(String(16))
    met_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime]


class CalendarDay(Base):
    """T-1: one row per day with a known arrangement."""

    __tablename__ = "calendar_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(16))  # library | notice | override
    note: Mapped[str] = mapped_column(String(64), default="")
    changed_by: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime]


class CalendarYear(Base):
    """Which years have a confirmed arrangement and where it came from."""

    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(200), default="")
    imported_by: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime]


class Document(Base):
    """An issued or drafted standard-form document (metadata; layout comes with the documents issue)."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("office_code", "form_id", "year", "seq", name="uq_documents_office_form_seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    version: Mapped[int] = mapped_column(Integer, default=1)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True)
    form_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # draft | review | issued | voided
    title: Mapped[str] = mapped_column(String(300))
    number: Mapped[str | None] = mapped_column(String(64))
    year: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    drafted_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    signed_by: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[datetime | None]
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    void_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime | None]
    issue_date: Mapped[date | None] = mapped_column(Date)  # 成文日期
    reviewed_at: Mapped[datetime | None]
    voided_by: Mapped[str | None] = mapped_column(String(64))
    voided_at: Mapped[datetime | None]
    backdate_reason: Mapped[str | None] = mapped_column(Text)  # director's override (D-3)
    preprinted: Mapped[bool] = mapped_column(Boolean, default=False)
    served_on: Mapped[date | None] = mapped_column(Date)  # D-8
    service_method: Mapped[str | None] = mapped_column(String(16))
    service_receiver: Mapped[str | None] = mapped_column(String(64))
    service_recorded_by: Mapped[str | None] = mapped_column(String(64))
    # S-5/S-7: '' when this database's owner issued it, else the issuer's code (a township at the bureau,
    # the bureau at a township). Such documents arrive in packets and are read-only here.
    office_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    received_on: Mapped[date | None] = mapped_column(Date)  # when it arrived here by packet
    in_reply_to: Mapped[str | None] = mapped_column(String(36), index=True)  # UUID of the request answered


class DocumentFile(Base):
    """The issued PDF kept for a document: exactly what was signed, every reprint and packet is these bytes (D-4).
    The bytes are in the content store under ``sha256`` (storage/blobs.py)."""

    __tablename__ = "document_files"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)


class Blob(Base):
    """The content store of a server database (PostgreSQL): bytes by their SHA-256 (storage/blobs.py). A database
    file keeps them as files beside it instead, and this table stays empty."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class MatterTemplate(Base):
    """M-4: a frequent-matter (高频事项) template."""

    __tablename__ = "matter_templates"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32))
    method: Mapped[str | None] = mapped_column(String(32))
    facts: Mapped[str] = mapped_column(Text, default="")  # a starting text the clerk completes
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    advice_text: Mapped[str] = mapped_column(Text, default="")  # standard 监督建议 wording
    rectification_days: Mapped[int] = mapped_column(Integer, default=15)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class MatterRef(Base):
    """Further intake references merged into a matter (a second work order about the same thing, M-5)."""

    __tablename__ = "matter_refs"
    __table_args__ = (Index("ix_matter_refs_source_ref", "source_ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(32))
    source_ref: Mapped[str] = mapped_column(String(128))
    received_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    merged_by: Mapped[str] = mapped_column(String(64))
    merged_at: Mapped[datetime]


class IntakeMapping(Base):
    """M-5: a saved column mapping for one platform's spreadsheet export."""

    __tablename__ = "intake_mappings"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(32))
    columns: Mapped[dict[str, Any]] = mapped_column(default=dict)  # matter field -> spreadsheet header
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SavedFilter(Base):
    """M-6: a named search a user keeps."""

    __tablename__ = "saved_filters"
    __table_args__ = (UniqueConstraint("owner", "name", name="uq_saved_filters_owner_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(64))
    criteria: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


class Attachment(Base):
    """A file copied into the data store, addressed by its SHA-256."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime]


class EnforcementOfficer(Base):
    """O-4: a holder of an administrative enforcement certificate (执法证) in a supervised unit, as the unit's list
    gives it. Identified per office by the certificate number; the unit by id when the list's name matches one."""

    __tablename__ = "enforcement_officers"
    __table_args__ = (
        Index("uq_enforcement_officers_office_cert", "office_code", "certificate_no", unique=True),
        Index("ix_enforcement_officers_expires", "office_code", "expires_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    version: Mapped[int] = mapped_column(Integer, default=1)
    office_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    unit_name: Mapped[str] = mapped_column(String(128))  # as the list names it
    name: Mapped[str] = mapped_column(String(64))
    certificate_no: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(64), default="")  # 证件类型, as listed
    id_no: Mapped[str | None] = mapped_column(String(32))  # personal data (M-7): masked in lists
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32), default="")  # 状态, as listed (有效, 注销, 暂扣…)
    # the matter an expired certificate was turned into (migration 0010)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Supervisor(Base):
    """O-1: a 法治监督员 of the township (pilot plan §二(三)2): who, from where, and for which term."""

    __tablename__ = "supervisors"
    __table_args__ = (Index("ix_supervisors_office_term", "office_code", "term_ends"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    version: Mapped[int] = mapped_column(Integer, default=1)
    office_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))  # domain.supervision.SupervisorKind
    unit: Mapped[str] = mapped_column(String(128), default="")  # 工作单位, free text (not a supervised unit)
    contact: Mapped[str] = mapped_column(String(64), default="")  # personal data (M-7): masked in lists
    appointed_on: Mapped[date] = mapped_column(Date)
    term_ends: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    activities: Mapped[list[SupervisorActivity]] = relationship(
        back_populates="supervisor", cascade="all, delete-orphan", order_by="SupervisorActivity.on_date")


class SupervisorActivity(Base):
    """O-1: something a supervisor took part in (an inspection, a review, a meeting, 执法评议), or a matter they
    reported (``matter_id``; the matter's source is 法治监督员反映)."""

    __tablename__ = "supervisor_activities"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("supervisors.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))  # domain.supervision.ActivityKind
    description: Mapped[str] = mapped_column(String(500), default="")
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime]
    supervisor: Mapped[Supervisor] = relationship(back_populates="activities")


class Meeting(Base):
    """O-2: a 联席会议 (pilot plan §二(四)4). Its decisions are a list of {key, text, owner, due_on, done_on,
    done_note}; each open decision with a due date is an obligation (rule key ``meeting_decision:<key>``)."""

    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_office_held", "office_code", "held_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    version: Mapped[int] = mapped_column(Integer, default=1)
    office_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    held_on: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(120))
    place: Mapped[str] = mapped_column(String(120), default="")
    convener: Mapped[str] = mapped_column(String(120), default="")
    chair: Mapped[str] = mapped_column(String(80), default="")
    participants: Mapped[str] = mapped_column(Text, default="")  # 参会单位
    attendees: Mapped[str] = mapped_column(Text, default="")  # 出席人员
    observers: Mapped[str] = mapped_column(Text, default="")  # 列席人员
    topics: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    minutes_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ReviewBatch(Base):
    """O-3: a 案卷评查 round: period, units, reviewers, the seed its sample was drawn with (recorded, so anyone can
    draw it again from the same list: review/sampling.py) and the score sheet it was scored by."""

    __tablename__ = "review_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    version: Mapped[int] = mapped_column(Integer, default=1)
    office_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    name: Mapped[str] = mapped_column(String(120))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    reviewers: Mapped[str] = mapped_column(Text, default="")  # 评查人员, supervisors and the procuratorate included
    seed: Mapped[str | None] = mapped_column(String(20))  # up to 2**63-1; text so that PostgreSQL and JSON agree
    per_unit: Mapped[int] = mapped_column(Integer, default=20)
    sheet_name: Mapped[str] = mapped_column(String(120), default="")
    sheet: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # items and grades as scored
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    files: Mapped[list[ReviewFile]] = relationship(back_populates="batch", cascade="all, delete-orphan",
                                                   order_by="ReviewFile.id")


class ReviewFile(Base):
    """O-3: one case file of a batch's lists; ``drawn`` once the sample took it, then scored and, for a finding,
    turned into a matter (source 案卷评查)."""

    __tablename__ = "review_files"
    __table_args__ = (Index("uq_review_files_batch_unit_no", "batch_id", "unit_name", "file_no", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    batch_id: Mapped[int] = mapped_column(ForeignKey("review_batches.id", ondelete="CASCADE"), index=True)
    unit_name: Mapped[str] = mapped_column(String(128))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    file_no: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300), default="")
    list_row: Mapped[int] = mapped_column(Integer, default=0)
    drawn: Mapped[bool] = mapped_column(Boolean, default=False)
    scores: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    total: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(16))
    finding: Mapped[str] = mapped_column(Text, default="")
    scored_by: Mapped[str] = mapped_column(String(64), default="")
    scored_on: Mapped[date | None] = mapped_column(Date)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id", ondelete="SET NULL"))
    batch: Mapped[ReviewBatch] = relationship(back_populates="files")


class AuditEntry(Base):
    """Append-only, hash-chained audit log (N-1): each entry's hash covers the previous hash."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # Issue 15 item 8 (migration 0008): what the entry records, as "event:<uuid>" / "document:<uuid>" -> SHA-256
    # of its content (services/audit.py), covered by the entry's hash. None on entries written before 0008.
    records: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class OfficeObligation(Base):
    """S-7: a township's obligation as last reported in its packets (read-only at the bureau)."""

    __tablename__ = "office_obligations"
    __table_args__ = (Index("ix_office_obligations_office_state", "office_code", "state", "due_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    version: Mapped[int] = mapped_column(Integer)
    office_code: Mapped[str] = mapped_column(String(32))
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    trigger_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16))
    met_on: Mapped[date | None] = mapped_column(Date)


class KeyPair(Base):
    """S-6: this installation's signing (Ed25519) and encryption (X25519) keys.

    The private halves are stored encrypted (PKCS#8 with a key-protection secret kept outside the database, see
    sync/keys.py), so a copied database or backup does not carry a usable private key.
    """

    __tablename__ = "key_pairs"
    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    sign_public: Mapped[bytes] = mapped_column(LargeBinary)
    box_public: Mapped[bytes] = mapped_column(LargeBinary)
    sign_private: Mapped[bytes] = mapped_column(LargeBinary)
    box_private: Mapped[bytes] = mapped_column(LargeBinary)
    secret_id: Mapped[str] = mapped_column(String(36))  # names the protection secret file
    status: Mapped[str] = mapped_column(String(16))  # active | retired
    created_at: Mapped[datetime]
    retired_at: Mapped[datetime | None]


class Peer(Base):
    """S-6: an enrolled office (at the bureau) or the pinned bureau (at an office), with the exchange state."""

    __tablename__ = "peers"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # office | bureau
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    enrolled_at: Mapped[datetime]
    enrolled_by: Mapped[str] = mapped_column(String(64))
    in_seq: Mapped[int] = mapped_column(Integer, default=0)  # last contiguous seq imported from this peer
    in_hash: Mapped[str] = mapped_column(String(64), default="")  # manifest hash of that packet (chain head)
    out_seq: Mapped[int] = mapped_column(Integer, default=0)  # last seq exported to this peer
    out_hash: Mapped[str] = mapped_column(String(64), default="")
    acked_seq: Mapped[int] = mapped_column(Integer, default=0)  # last seq of ours the peer acknowledged
    # The office's audit chain head (entry id, hash) as the bureau holds it (issue 15 item 8, migration 0008): at
    # the bureau, for an office, the head its last imported packet carried; at an office, for the bureau, the
    # head the bureau acknowledged in its last return packet. A later head must extend it.
    audit_seq: Mapped[int | None] = mapped_column(Integer)
    audit_hash: Mapped[str | None] = mapped_column(String(64))
    keys: Mapped[list[PeerKey]] = relationship(back_populates="peer", order_by="PeerKey.id",
                                               cascade="all, delete-orphan")


class PeerKey(Base):
    __tablename__ = "peer_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("peers.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    sign_public: Mapped[bytes] = mapped_column(LargeBinary)
    box_public: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16))  # active | retired
    via: Mapped[str] = mapped_column(String(16))  # enrolment | rotation
    last_seq: Mapped[int | None] = mapped_column(Integer)  # a retired key still verifies packets up to this seq
    added_at: Mapped[datetime]
    added_by: Mapped[str] = mapped_column(String(64))

    peer: Mapped[Peer] = relationship(back_populates="keys")


class PacketOut(Base):
    """S-2: every packet made here; its bytes kept until acknowledged, so that a lost one can be written again."""

    __tablename__ = "packets_out"
    __table_args__ = (UniqueConstraint("recipient", "seq", name="uq_packets_out_recipient_seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # data | return
    file_name: Mapped[str] = mapped_column(String(128))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    prev_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    events_upto: Mapped[int] = mapped_column(Integer, default=0)  # highest matter_events.id included
    attachments_upto: Mapped[int] = mapped_column(Integer, default=0)
    # The packet file, in the content store until the peer acknowledges it (then it can no longer be lost):
    # a lost USB stick is written again byte for byte, and the database does not grow by the packet (issue 12).
    data_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    # The sender's audit chain head (entry id, hash) this packet carried in its manifest (migration 0008): the
    # next packet tells the recipient what the entry at this id hashes to now.
    audit_seq: Mapped[int | None] = mapped_column(Integer)
    audit_hash: Mapped[str | None] = mapped_column(String(64))


class PacketRecord(Base):
    """Which version of which record went out in which packet: the base for "changed since acknowledged"."""

    __tablename__ = "packet_records"
    __table_args__ = (Index("ix_packet_records_kind_uuid", "kind", "uuid"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    packet_id: Mapped[int] = mapped_column(ForeignKey("packets_out.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    uuid: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)


class PacketIn(Base):
    """S-3/S-7: the import history: every packet offered here and what became of it."""

    __tablename__ = "packets_in"
    __table_args__ = (Index("ix_packets_in_sender_seq", "sender", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    sender: Mapped[str | None] = mapped_column(String(32))
    seq: Mapped[int | None] = mapped_column(Integer)
    manifest_sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # imported | duplicate | parked | rejected | alarm
    reason: Mapped[str] = mapped_column(Text, default="")
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    data_sha256: Mapped[str | None] = mapped_column(String(64))  # in the content store while parked
    received_at: Mapped[datetime]
    received_by: Mapped[str] = mapped_column(String(64))


# Records that travel in packets carry a version that must grow with every change, or the bureau would keep a
# stale copy (S-1, S-3 idempotence). Services bump it where they mean to; this catches every other ORM update.
_VERSIONED = (Matter, Document, Obligation, Supervisor, Meeting, ReviewBatch, EnforcementOfficer)


@event.listens_for(Session, "before_flush")
def _bump_versions(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.dirty:
        # Collections count: a new timeline entry changes the matter even when no column of it does.
        if isinstance(obj, _VERSIONED) and session.is_modified(obj):
            # cast: mypy joins the three mapped classes to ``object``, which inspect() cannot type
            if not inspect(cast(Base, obj)).attrs.version.history.has_changes():
                obj.version = (obj.version or 0) + 1
