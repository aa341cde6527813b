"""M-6: find matters — full text, filters, saved filters — quickly at 100,000 matters (N-2).

Reading only, plus the full-text index that reading needs. On SQLite the text goes through the FTS5 table
``matter_search`` (bigram tokens, domain/searchtext.py; rowid = matters.id), kept in step by ``index_matter``
on every write and checked by ``ensure_search_index`` when the database is opened. PostgreSQL (county mode) has
the same bigram tokens in ``matter_search_grams`` (one tsvector per matter, GIN; migration 0005), kept in step the
same way; the text is matched with ILIKE, run by run, on the matters that table names (``_text_terms``).

The list is read through ``ix_matters_list``, an index on (received_on, id) that also carries every filterable
column: the list order is the index order, so a first page stops after its 200 rows, and a filter that matches
little is one pass over the narrow index instead of over the matters with their long texts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    any_,
    bindparam,
    cast,
    column,
    delete,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY, TSVECTOR
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session
from sqlalchemy.types import Text

from ..domain.errors import NotFound, ValidationError
from ..domain.lifecycle import FINAL_STATUSES, Status
from ..domain.masking import mask_name, mask_phone
from ..domain.obligations import ObligationState
from ..domain.searchtext import index_tokens, match_query
from ..domain.vocab import Category, Labelled, Source
from ..storage.models import (
    CalendarYear,
    Matter,
    MatterRef,
    Obligation,
    Peer,
    SavedFilter,
    Unit,
    User,
    matter_units,
)
from ..storage.uow import Database

FILTER_NAME_MAX = 64
_fts = table("matter_search", column("rowid"), column("tokens"))
_grams = table("matter_search_grams", column("matter_id"), column("grams", TSVECTOR))


# ---- filter and rows ----------------------------------------------------------------------------


@dataclass
class MatterFilter:
    """What the clerk asks for; empty fields do not filter. Combined with AND."""

    text: str = ""
    status: str | list[str] | None = None  # one status code or several
    open_only: bool = False  # not 办结 / 已移送
    unit_id: int | None = None
    source: str | None = None
    category: str | None = None
    track: str | None = None
    handler_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool = False  # an open time limit past due, or a rectification deadline passed while 整改中
    serious: bool = False  # 情节严重/复杂
    office_code: str | None = None  # at the bureau (S-7): one township's reported matters

    def statuses(self) -> list[str]:
        if not self.status:
            return []
        return [self.status] if isinstance(self.status, str) else list(self.status)

    def is_empty(self) -> bool:
        criteria = self.to_criteria()
        criteria.pop("text", None)
        return not criteria and not self.text.strip()

    def to_criteria(self) -> dict[str, Any]:
        """JSON for a saved filter: only what is set, dates as ISO strings."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", False, []):
                continue
            out[f.name] = value.isoformat() if isinstance(value, date) else value
        return out

    @classmethod
    def from_criteria(cls, data: dict[str, Any]) -> MatterFilter:
        """The inverse of ``to_criteria``; unknown keys (a newer version's) are ignored."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        for key in ("received_from", "received_to"):
            if isinstance(values.get(key), str):
                try:
                    values[key] = date.fromisoformat(values[key])
                except ValueError:
                    values.pop(key)
        return cls(**values)


@dataclass(frozen=True)
class MatterRow:
    id: int
    reg_no: str
    received_on: date
    source_label: str
    units: str
    title: str
    status: str
    status_label: str
    handler: str
    serious: bool
    rectification_deadline: date | None
    category_label: str = ""
    complainant: str = ""  # masked (M-7): 张* 138****5678
    overdue: bool = False
    office: str = ""  # at the bureau (S-7): the township's name for a reported matter; '' for one's own
    deadline_provisional: bool = False  # T-3: the deadline's year has no imported arrangement yet


@dataclass(frozen=True)
class MatterPage:
    rows: list[MatterRow]
    total: int  # matters matching the filter, all pages
    at_least: bool = False  # total is COUNT_CAP and there are more


def label(enum: type[Labelled], value: str | None) -> str:
    """The Chinese label of a code; a code this version does not know (a newer township's packet) as it is."""
    if not value:
        return ""
    try:
        return enum(value).label
    except ValueError:
        return value


def masked_complainant(name: str | None, phone: str | None) -> str:
    return " ".join(part for part in (mask_name(name or ""), mask_phone(phone or "")) if part)


# ---- queries ------------------------------------------------------------------------------------
#
# SQLite has no statistics here, so the plan is chosen by hand from two cheap facts: how many matters the text
# matches (an FTS count) and how many a unit holds. A page is read from the smallest such set when it is small
# (DRIVE_MAX) and sorted; otherwise the list is read in index order, which stops at the end of the page, and the
# sets are only probed. A count reads the smallest set when it is not too large (COUNT_DRIVE_MAX); otherwise it
# stops at COUNT_CAP. SQLite tests WHERE terms in the order written, so probes come after the column tests.


DRIVE_MAX = 5000  # a page is read from a set of ids this small, then sorted
COUNT_DRIVE_MAX = 20_000  # a count is read from a set of ids this small
COUNT_CAP = 10_000  # otherwise the list shows "more than COUNT_CAP"


@dataclass
class _Plan:
    page: list[ColumnElement[bool]] = field(default_factory=list)  # WHERE for the rows
    count: list[ColumnElement[bool]] = field(default_factory=list)  # WHERE for the count
    empty: bool = False  # the text matches nothing: no query needed
    known_total: int | None = None  # the text (or the unit) is the only condition: its set's size is the count
    capped: bool = False  # only large sets to count from: the list's count stops at COUNT_CAP


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _like(text_: str) -> str:
    escaped = text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_GRAMS_KEY = "hecun_office.search.grams"


def _has_grams(session: Session) -> bool:
    """Whether this is PostgreSQL with the bigram table of 0005 (a server database migrated to head), read once
    per connection."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    info = session.connection().info
    if _GRAMS_KEY not in info:
        info[_GRAMS_KEY] = bool(session.scalar(text("SELECT to_regclass('matter_search_grams') IS NOT NULL")))
    return bool(info[_GRAMS_KEY])


def _grams_query(run: str) -> str:
    """The tsquery of one run over the bigram tokens: its bigrams, all present, or for one character any token
    that starts with it (what the FTS5 query of domain/searchtext.py ``match_query`` asks, without the order)."""
    def lexeme(gram: str) -> str:
        return "'" + gram.replace("\\", "\\\\").replace("'", "''") + "'"
    if len(run) == 1:
        return lexeme(run) + ":*"
    return " & ".join(lexeme(g) for g in sorted({run[i:i + 2] for i in range(len(run) - 1)}))


def _text_terms(session: Session, words: str) -> list[ColumnElement[bool]]:
    """Off SQLite (PostgreSQL in county mode): what the FTS query means, with ILIKE. Each run of letters and digits
    in the query (normalised as domain/searchtext.py does) must occur in the title, facts, parties, registration
    number, source reference or a merged work order's reference; a query of punctuation only filters nothing.

    With the bigram table (migration 0005) every run's bigrams go into one tsquery on it, which holds every
    matching matter (the tokens of every run of every text) and a few more (the bigrams present, not in a row);
    ILIKE then decides on those few, so the matters found are exactly ILIKE's. Without it, ILIKE tries every matter.

    Not pg_trgm: trigrams cannot narrow a one- or two-character run (占道, 张三: the commonest Chinese query) and
    under a C LC_CTYPE are not made of Chinese letters at all; at 100,000 matters (bench/pg_search.py) the trigram
    indexes were no faster than this table for longer runs either, and slower for queries mixing both."""
    runs = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", words).casefold())
    grams = _has_grams(session)
    cols = (Matter.title, Matter.facts, Matter.parties, Matter.reg_no, Matter.source_ref)
    terms: list[ColumnElement[bool]] = []
    for run in runs:
        like = _like(run)
        ref_like = MatterRef.source_ref.ilike(like, escape="\\")
        # Among the table's few candidates a merged reference is looked up by matter; without it, read once.
        merged = (exists().where(MatterRef.matter_id == Matter.id, ref_like) if grams
                  else Matter.id.in_(select(MatterRef.matter_id).where(ref_like)))
        terms.append(or_(*(col.ilike(like, escape="\\") for col in cols), merged))
    if grams and runs:
        # id = ANY(ARRAY(…)): the ids are read first (an init plan), then the matters by primary key, ILIKE tried
        # on those only. As id IN (…) the planner misjudges ILIKE's selectivity and tries it on every matter
        # before joining (300 ms instead of 19 for the count of a word in 6,500 of 100,000 matters).
        query = cast(bindparam("grams_query", " & ".join(_grams_query(run) for run in runs), Text), TSQUERY)
        candidates = select(_grams.c.matter_id).where(_grams.c.grams.bool_op("@@")(query))
        terms.insert(0, Matter.id == any_(func.array(candidates.scalar_subquery())))
    return terms


def _overdue_ids(today: date) -> Select[Any]:
    return select(Obligation.matter_id).where(Obligation.state == ObligationState.OPEN.value,
                                              Obligation.due_on < today, Obligation.matter_id.is_not(None))


def _plan(session: Session, flt: MatterFilter, today: date) -> _Plan:
    sqlite = _is_sqlite(session)
    scalar: list[ColumnElement[bool]] = []
    sets: list[tuple[int, Select[Any]]] = []  # (how many ids, subquery of matter ids)
    words = flt.text.strip()
    if words and sqlite:
        query = match_query(words)
        if query is not None:
            match = text("matter_search MATCH :q").bindparams(q=query)
            hits = int(session.scalar(select(func.count()).select_from(_fts).where(match)) or 0)
            if hits == 0:
                return _Plan(empty=True)
            sets.append((hits, select(_fts.c.rowid).where(match)))
    elif words:
        scalar += _text_terms(session, words)
    statuses = flt.statuses()
    if len(statuses) == 1:
        scalar.append(Matter.status == statuses[0])
    elif statuses:
        scalar.append(Matter.status.in_(statuses))
    if flt.open_only:
        scalar.append(Matter.status.not_in([s.value for s in FINAL_STATUSES]))
    for col, value in ((Matter.source, flt.source), (Matter.category, flt.category), (Matter.track, flt.track),
                       (Matter.handler_id, flt.handler_id), (Matter.office_code, flt.office_code)):
        if value:
            scalar.append(col == value)
    if flt.received_from:
        scalar.append(Matter.received_on >= flt.received_from)
    if flt.received_to:
        scalar.append(Matter.received_on <= flt.received_to)
    if flt.serious:
        scalar.append(Matter.serious.is_(True))
    if flt.unit_id:
        unit = matter_units.c.unit_id == flt.unit_id
        size = int(session.scalar(select(func.count()).select_from(matter_units).where(unit)) or 0) if sqlite else 0
        sets.append((size, select(matter_units.c.matter_id).where(unit)))
    # "+ 0" keeps SQLite from looking the ids up as rowids: the term is then only a probe.
    probe = Matter.id + literal_column("0") if sqlite else Matter.id
    late: list[ColumnElement[bool]] = []
    if flt.overdue:
        late.append(or_(and_(Matter.status == Status.RECTIFYING.value, Matter.rectification_deadline < today),
                        probe.in_(_overdue_ids(today))))
    smallest = min(range(len(sets)), key=lambda i: sets[i][0]) if sets else None

    def where(limit: int) -> tuple[list[ColumnElement[bool]], bool]:
        driver = smallest if smallest is not None and (not sqlite or sets[smallest][0] <= limit) else None
        members = [(Matter.id if i == driver else probe).in_(subquery) for i, (_, subquery) in enumerate(sets)]
        return scalar + late + members, driver is None and bool(sets)  # the costly probes last

    plan = _Plan()
    plan.page, _ = where(DRIVE_MAX)
    plan.count, plan.capped = where(COUNT_DRIVE_MAX)
    if sqlite and len(sets) == 1 and not scalar and not late:  # the text or the unit alone: its size is the count
        plan.known_total, plan.capped = sets[0][0], False
    return plan


def _count(session: Session, plan: _Plan, cap: int | None = None) -> int:
    """The exact count, or with ``cap`` at most cap + 1 when the plan says counting would mean probing."""
    if plan.empty:
        return 0
    if plan.known_total is not None:
        return plan.known_total
    if cap is not None and plan.capped:
        hits = select(literal_column("1")).select_from(Matter).where(*plan.count).limit(cap + 1).subquery()
        return int(session.scalar(select(func.count()).select_from(hits)) or 0)
    return int(session.scalar(select(func.count()).select_from(Matter).where(*plan.count)) or 0)


def _page_ids(session: Session, plan: _Plan, limit: int, offset: int, after: tuple[date, int] | None) -> list[int]:
    if plan.empty:
        return []
    query = select(Matter.id).where(*plan.page).order_by(Matter.received_on.desc(), Matter.id.desc())
    if after is not None:
        query = query.where(tuple_(Matter.received_on, Matter.id) < tuple_(*after))
        offset = 0
    return list(session.scalars(query.limit(limit).offset(offset)))


def _first_page(session: Session, plan: _Plan, limit: int) -> tuple[list[int], int, bool]:
    """(ids of the first page, total, whether the total is only a lower bound)."""
    ids = _page_ids(session, plan, limit, 0, None)
    total = _count(session, plan, cap=COUNT_CAP)
    return ids, min(total, COUNT_CAP) if plan.capped else total, plan.capped and total > COUNT_CAP


def _rows(session: Session, ids: list[int], today: date) -> list[MatterRow]:
    """The list's columns for these matters, in this order."""
    if not ids:
        return []
    found = session.execute(
        select(Matter.id, Matter.reg_no, Matter.received_on, Matter.source, Matter.category, Matter.title,
               Matter.status, User.display_name, Matter.serious, Matter.rectification_deadline,
               Matter.complainant_name, Matter.complainant_phone, Matter.office_code, Matter.handler_name)
        .outerjoin(User, Matter.handler_id == User.id).where(Matter.id.in_(ids))).all()
    units: dict[int, list[str]] = {}
    for matter_id, name in session.execute(
            select(matter_units.c.matter_id, Unit.name).join(Unit, Unit.id == matter_units.c.unit_id)
            .where(matter_units.c.matter_id.in_(ids)).order_by(matter_units.c.matter_id, Unit.id)):
        units.setdefault(matter_id, []).append(name)
    late = set(session.scalars(_overdue_ids(today).where(Obligation.matter_id.in_(ids))))
    by_id = {r.id: r for r in found}
    codes = {r.office_code for r in found if r.office_code}
    names: dict[str, str] = {code: name for code, name in session.execute(  # only at the bureau: an office's
        select(Peer.code, Peer.name).where(Peer.code.in_(codes)))} if codes else {}  # own matters have no code
    covered = set(session.scalars(select(CalendarYear.year)))
    rows = []
    for matter_id in ids:
        r = by_id[matter_id]
        overdue = matter_id in late or (r.status == Status.RECTIFYING.value and r.rectification_deadline is not None
                                        and r.rectification_deadline < today)
        rows.append(MatterRow(
            id=r.id, reg_no=r.reg_no, received_on=r.received_on, source_label=label(Source, r.source),
            units="、".join(units.get(matter_id, [])), title=r.title, status=r.status,
            status_label=Status(r.status).label, handler=r.display_name or r.handler_name or "",
            serious=r.serious, rectification_deadline=r.rectification_deadline,
            category_label=label(Category, r.category),
            complainant=masked_complainant(r.complainant_name, r.complainant_phone), overdue=overdue,
            office=names.get(r.office_code, r.office_code) if r.office_code else "",
            deadline_provisional=(r.rectification_deadline is not None
                                  and r.rectification_deadline.year not in covered)))
    return rows


def list_matters(db: Database, flt: MatterFilter | None = None, limit: int = 500, offset: int = 0,
                 today: date | None = None, after: tuple[date, int] | None = None) -> list[MatterRow]:
    """One page, newest first (received_on, then id). ``after`` = (received_on, id) of the last row shown
    continues from there (keyset paging: a later page costs no more than the first)."""
    today = today or date.today()
    with db.uow() as session:
        plan = _plan(session, flt or MatterFilter(), today)
        return _rows(session, _page_ids(session, plan, limit, offset, after), today)


def count_matters(db: Database, flt: MatterFilter | None = None, today: date | None = None) -> int:
    """The exact number of matters the filter matches."""
    with db.uow() as session:
        return _count(session, _plan(session, flt or MatterFilter(), today or date.today()))


def search_matters(db: Database, flt: MatterFilter, limit: int, today: date) -> MatterPage:
    """The first page and the total, in one read transaction (what the list shows after a filter change).
    When counting exactly would mean probing the whole list, the total stops at COUNT_CAP (``at_least``)."""
    with db.uow() as session:
        ids, total, at_least = _first_page(session, _plan(session, flt, today), limit)
        return MatterPage(_rows(session, ids, today), total, at_least)


def offices(db: Database) -> list[tuple[str, str]]:
    """(code, name) of the townships for the bureau's office filter (S-7): every enrolled office still active, in
    enrolment order, then any other whose matters are here (no longer active, or never enrolled: named by code)."""
    with db.uow() as session:
        peers = session.execute(select(Peer.code, Peer.name, Peer.active).where(Peer.kind == "office")
                                .order_by(Peer.id)).all()
        with_data = set(session.scalars(select(Matter.office_code).where(Matter.office_code > "").distinct()))
    out = [(code, name) for code, name, active in peers if active]
    out += [(code, name) for code, name, active in peers if not active and code in with_data]
    known = {code for code, _ in out}
    return out + [(code, code) for code in sorted(with_data - known)]


def matter_volume(db: Database) -> int:
    """About how many matters the database holds (the largest id): instant, for choosing how to query."""
    with db.uow() as session:
        return int(session.scalar(select(func.max(Matter.id))) or 0)


# ---- full-text index ----------------------------------------------------------------------------


def _tokens(title: str, facts: str, parties: str, reg_no: str, source_ref: str | None,
            extra_refs: Iterable[str] = ()) -> str:
    return index_tokens(title, facts, parties, reg_no, source_ref or "", *extra_refs)


def _gram_rows(rows: Iterable[tuple[int, str]]) -> list[dict[str, Any]]:
    return [{"matter_id": matter_id, "grams": sorted(set(tokens.split()))} for matter_id, tokens in rows]


def _write_grams(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert or replace PostgreSQL bigram rows (matter_id, grams: a list of tokens)."""
    if not rows:
        return
    stmt = pg_insert(_grams).values(matter_id=bindparam("matter_id"),
                                    grams=func.array_to_tsvector(cast(bindparam("grams"), ARRAY(Text))))
    session.execute(stmt.on_conflict_do_update(index_elements=[_grams.c.matter_id],
                                               set_={"grams": stmt.excluded.grams}), rows)


def index_matter(session: Session, matter_id: int, title: str, facts: str, parties: str, reg_no: str,
                 source_ref: str | None, extra_refs: Iterable[str] = ()) -> None:
    """(Re)write the matter's full-text row in the caller's transaction: FTS5 on SQLite, the bigram table on
    PostgreSQL."""
    if not _is_sqlite(session):
        if _has_grams(session):
            _write_grams(session, _gram_rows([(matter_id, _tokens(title, facts, parties, reg_no, source_ref,
                                                                  extra_refs))]))
        return
    session.execute(delete(_fts).where(_fts.c.rowid == matter_id))
    session.execute(text("INSERT INTO matter_search(rowid, tokens) VALUES (:id, :tokens)"),
                    {"id": matter_id, "tokens": _tokens(title, facts, parties, reg_no, source_ref, extra_refs)})


def reindex_matter(session: Session, matter_id: int) -> None:
    """``index_matter`` from what is stored: after an edit, or after a work order was merged in (M-5)."""
    m = session.get(Matter, matter_id)
    if m is None:
        raise NotFound("该事项不存在或已被删除，请刷新列表。")
    refs = session.scalars(select(MatterRef.source_ref).where(MatterRef.matter_id == matter_id))
    index_matter(session, m.id, m.title, m.facts, m.parties, m.reg_no, m.source_ref, list(refs))


def bulk_index(session: Session, rows: Iterable[dict[str, Any]]) -> None:
    """Index new matters given as insert dicts (id, title, facts, parties, reg_no, source_ref): bulk loads."""
    if not _is_sqlite(session):
        if _has_grams(session):
            _write_grams(session, _gram_rows((r["id"], _tokens(r["title"], r.get("facts", ""), r.get("parties", ""),
                                                               r["reg_no"], r.get("source_ref"))) for r in rows))
        return
    batch = [{"id": r["id"], "tokens": _tokens(r["title"], r.get("facts", ""), r.get("parties", ""), r["reg_no"],
                                               r.get("source_ref"))} for r in rows]
    if batch:
        session.execute(text("INSERT INTO matter_search(rowid, tokens) VALUES (:id, :tokens)"), batch)


def ensure_search_index(db: Database, batch: int = 5000) -> int:
    """Rebuild the index if it lost step with the matters (a crash between versions, a restored file, a hand
    edit). Counting both is enough to notice and takes milliseconds; returns how many matters were indexed."""
    if not db.is_sqlite:
        return _ensure_grams(db, batch)
    with db.uow() as session:
        matters = session.scalar(select(func.count()).select_from(Matter)) or 0
        # The docsize shadow table has one small row per indexed document: counting it is cheap.
        indexed = session.scalar(text("SELECT count(*) FROM matter_search_docsize")) or 0
        if matters == indexed:
            return 0
        session.execute(delete(_fts))
        refs: dict[int, list[str]] = {}
        for matter_id, ref in session.execute(select(MatterRef.matter_id, MatterRef.source_ref)):
            refs.setdefault(matter_id, []).append(ref)
        result = session.execute(select(Matter.id, Matter.title, Matter.facts, Matter.parties, Matter.reg_no,
                                        Matter.source_ref).order_by(Matter.id))
        done = 0
        while chunk := result.fetchmany(batch):
            session.execute(text("INSERT INTO matter_search(rowid, tokens) VALUES (:id, :tokens)"),
                            [{"id": r.id, "tokens": _tokens(r.title, r.facts, r.parties, r.reg_no, r.source_ref,
                                                            refs.get(r.id, ()))} for r in chunk])
            done += len(chunk)
        return done


def _ensure_grams(db: Database, batch: int) -> int:
    """PostgreSQL: index the matters the bigram table lacks (a matter written by an older version, or by hand).
    Nothing is deleted: several PCs may start at once while others write, and a deleted matter's row goes with
    it (ON DELETE CASCADE)."""
    with db.uow() as session:
        if not _has_grams(session):
            return 0
        matters = session.scalar(select(func.count()).select_from(Matter)) or 0
        indexed = session.scalar(select(func.count()).select_from(_grams)) or 0
        if matters == indexed:
            return 0
        missing = select(Matter.id).where(~exists().where(_grams.c.matter_id == Matter.id)).subquery()
        refs: dict[int, list[str]] = {}
        for matter_id, ref in session.execute(select(MatterRef.matter_id, MatterRef.source_ref)
                                              .where(MatterRef.matter_id.in_(select(missing.c.id)))):
            refs.setdefault(matter_id, []).append(ref)
        result = session.execute(select(Matter.id, Matter.title, Matter.facts, Matter.parties, Matter.reg_no,
                                        Matter.source_ref).where(Matter.id.in_(select(missing.c.id)))
                                 .order_by(Matter.id))
        done = 0
        while chunk := result.fetchmany(batch):
            _write_grams(session, _gram_rows((r.id, _tokens(r.title, r.facts, r.parties, r.reg_no, r.source_ref,
                                                            refs.get(r.id, ()))) for r in chunk))
            done += len(chunk)
        return done


# ---- saved filters ------------------------------------------------------------------------------


class FilterExists(ValidationError):
    """A saved filter of that name exists; the UI asks whether to replace it."""


@dataclass(frozen=True)
class SavedFilterRow:
    id: int
    name: str
    filter: MatterFilter = field(compare=False)


def save_filter(db: Database, owner: str, name: str, flt: MatterFilter, replace: bool = False) -> int:
    name = name.strip()
    if not name:
        raise ValidationError("请填写筛选名称。", "name")
    if len(name) > FILTER_NAME_MAX:
        raise ValidationError(f"筛选名称过长，请控制在 {FILTER_NAME_MAX} 字以内。", "name")
    criteria = flt.to_criteria()
    with db.uow() as session:
        row = session.scalar(select(SavedFilter).where(SavedFilter.owner == owner, SavedFilter.name == name))
        if row is not None and not replace:
            raise FilterExists(f"已有名为“{name}”的筛选，是否用当前条件替换？", "name")
        if row is None:
            row = SavedFilter(owner=owner, name=name, criteria=criteria,
                              created_at=datetime.now().replace(microsecond=0))
            session.add(row)
        else:
            row.criteria = criteria
        session.flush()
        return row.id


def list_saved_filters(db: Database, owner: str) -> list[SavedFilterRow]:
    with db.uow() as session:
        rows = session.scalars(select(SavedFilter).where(SavedFilter.owner == owner).order_by(SavedFilter.name))
        return [SavedFilterRow(r.id, r.name, MatterFilter.from_criteria(r.criteria or {})) for r in rows]


def delete_saved_filter(db: Database, owner: str, filter_id: int) -> None:
    with db.uow() as session:
        row = session.get(SavedFilter, filter_id)
        if row is None or row.owner != owner:
            raise NotFound("该筛选已不存在，请刷新后重试。")
        session.delete(row)

