"""SQLAlchemy 2.0 typed models (STYLE.md habit 1). The schema itself is owned by Alembic (db/versions)."""

from __future__ import annotations

import uuid as uuid_mod
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


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
        UniqueConstraint("reg_year", "reg_seq", name="uq_matters_reg_year_seq"),
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

    units: Mapped[list[Unit]] = relationship(secondary=matter_units, lazy="selectin")
    handler: Mapped[User | None] = relationship(lazy="joined")
    events: Mapped[list[MatterEvent]] = relationship(
        back_populates="matter", order_by="MatterEvent.id", cascade="all, delete-orphan"
    )


class MatterEvent(Base):
    """The matter's timeline: append-only."""

    __tablename__ = "matter_events"
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
    __table_args__ = (UniqueConstraint("form_id", "year", "seq", name="uq_documents_form_year_seq"),)
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


class DocumentFile(Base):
    """The issued PDF's bytes, kept in the database so that backups and packets carry exactly what was signed."""

    __tablename__ = "document_files"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


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
