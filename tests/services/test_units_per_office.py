"""Issue 12 item 1: units are identified per office. Two townships whose rosters both hold 贺村镇人民政府 (every
township set up before this fix got 贺村镇's ten units) and a county agency stationed for both stay two rows each
at one bureau, on SQLite and on PostgreSQL; each township's matters point at its own rows; a rename or retirement at
the office reaches the bureau with the next packet, and the return packet changes nothing back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from exchange_pair import pg_bureau
from sqlalchemy import select
from sync.pairs import DAY, blank_template, deliver, enrol, export, export_return, new_db

from hecun_office.domain.errors import ValidationError
from hecun_office.services import rosters, setup, units
from hecun_office.services.audit import Actor
from hecun_office.services.matters import MatterInput, register_matter
from hecun_office.storage.models import Matter, Unit, matter_units
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database

GOV = "贺村镇人民政府"
AGENCY = "江山市交通运输行政执法队贺村中队"  # a county agency both townships supervise
HECUN_TEN = [(n, k.value) for n, k in setup.DEFAULT_UNITS]
SHANGYU = setup.ProfileInput(code="shangyu", name="上余司法所", abbr="上司", township="上余镇",
                             registration_pattern="上监登〔{year}〕{n}号", units=HECUN_TEN)


@dataclass
class Two:
    bureau: Database
    hecun: Database
    shangyu: Database

    def dispose(self) -> None:
        for db in (self.bureau, self.hecun, self.shangyu):
            db.dispose()


@pytest.fixture
def two(backend: str, backend_url: str, tmp_path: Path) -> Two:
    blank = blank_template(tmp_path)
    hecun = new_db(blank, tmp_path / "hecun.sqlite3", setup.default_profile())
    shangyu = new_db(blank, tmp_path / "shangyu.sqlite3", SHANGYU)
    if backend == "sqlite":
        bureau = new_db(blank, tmp_path / "bureau.sqlite3", setup.default_profile("bureau"))
    else:
        bureau = pg_bureau(backend_url)  # the default bureau, cloned from a template set up once
    for office in (hecun, shangyu):
        enrol(bureau, office)
        enrol(office, bureau)
    pair = Two(bureau, hecun, shangyu)
    yield pair  # type: ignore[misc]
    pair.dispose()


def _admin(db: Database) -> Actor:
    return setup.default_actor(db)


def _unit(db: Database, name: str) -> int:
    return next(u.id for u in units.list_units(db) if u.name == name)


def _register(db: Database, title: str, *names: str) -> None:
    register_matter(db, _admin(db), MatterInput(
        received_on=date(2026, 2, 2), source="daily", title=title, category="legality",
        unit_ids=[_unit(db, n) for n in names], facts=f"{title}的基本事实。"), DAY)


def _send(office: Database, bureau: Database, out: Path) -> None:
    name, data = export(office, out)
    [outcome] = deliver(bureau, name, data)
    assert outcome.status.value == "imported", outcome


def _bureau_links(bureau: Database) -> list[tuple[str, str, str, str]]:
    """(matter's office, matter title, unit's office, unit name) for every link at the bureau."""
    with bureau.uow() as session:
        rows = session.execute(select(Matter.office_code, Matter.title, Unit.office_code, Unit.name)
                               .join(matter_units, matter_units.c.matter_id == Matter.id)
                               .join(Unit, Unit.id == matter_units.c.unit_id).order_by(Matter.title, Unit.name))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def _roster(db: Database, code: str) -> list[tuple[str, str, bool]]:
    return [(u.uuid, u.name, u.active) for u in rosters.roster(db, code)]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_same_name_units_of_two_townships_stay_two_rows_on_their_own_rosters(two: Two, tmp_path: Path) -> None:
    _register(two.hecun, "贺村的事项", GOV, AGENCY)
    _register(two.shangyu, "上余的事项", GOV, AGENCY)
    _send(two.hecun, two.bureau, tmp_path / "h1")
    _send(two.shangyu, two.bureau, tmp_path / "s1")

    with two.bureau.uow() as session:
        govs = session.execute(select(Unit.office_code, Unit.uuid).where(Unit.name == GOV)
                               .order_by(Unit.office_code)).all()
    assert [c for c, _ in govs] == ["hecun", "shangyu"]
    assert dict(govs) == {"hecun": _roster(two.hecun, "")[0][0], "shangyu": _roster(two.shangyu, "")[0][0]}
    # Each roster is the township's own, UUID for UUID; neither is empty, neither holds the other's rows.
    assert _roster(two.bureau, "hecun") == _roster(two.hecun, "")
    assert _roster(two.bureau, "shangyu") == _roster(two.shangyu, "")
    assert len(_roster(two.bureau, "shangyu")) == 10
    assert _bureau_links(two.bureau) == [
        ("shangyu", "上余的事项", "shangyu", AGENCY), ("shangyu", "上余的事项", "shangyu", GOV),
        ("hecun", "贺村的事项", "hecun", AGENCY), ("hecun", "贺村的事项", "hecun", GOV)]
    # The bureau adds to one township's roster a unit of a name another township has: that is another unit.
    chief = _admin(two.bureau)
    rosters.add_roster_unit(two.bureau, chief, "shangyu", "江山市应急管理局贺村应急管理站", "stationed_agency")
    rosters.add_roster_unit(two.bureau, chief, "hecun", "江山市应急管理局贺村应急管理站", "stationed_agency")
    with pytest.raises(ValidationError, match="已在本名录中"):
        rosters.add_roster_unit(two.bureau, chief, "shangyu", GOV, "township_government")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_rename_and_a_retirement_at_the_office_reach_the_bureau(two: Two, tmp_path: Path) -> None:
    _register(two.shangyu, "上余的事项", GOV)
    _send(two.hecun, two.bureau, tmp_path / "h1")
    _send(two.shangyu, two.bureau, tmp_path / "s1")
    office = _admin(two.shangyu)
    units.update_unit(two.shangyu, office, _unit(two.shangyu, GOV), "上余镇人民政府", "township_government")
    units.set_unit_active(two.shangyu, office, _unit(two.shangyu, AGENCY), False)
    # Names swapped between two units in one packet go through as well.
    a, b = "上余镇综合行政执法队", "上余镇社会事务管理办公室"
    units.update_unit(two.shangyu, office, _unit(two.shangyu, "贺村镇综合行政执法队"), "临时名称", "internal_body")
    units.update_unit(two.shangyu, office, _unit(two.shangyu, "贺村镇社会事务管理办公室"), a, "internal_body")
    units.update_unit(two.shangyu, office, _unit(two.shangyu, "临时名称"), b, "internal_body")
    _send(two.shangyu, two.bureau, tmp_path / "s2")
    first = _roster(two.shangyu, "")
    units.update_unit(two.shangyu, office, _unit(two.shangyu, a), "临时名称", "internal_body")
    units.update_unit(two.shangyu, office, _unit(two.shangyu, b), a, "internal_body")
    units.update_unit(two.shangyu, office, _unit(two.shangyu, "临时名称"), b, "internal_body")
    assert _roster(two.bureau, "shangyu") == first
    _send(two.shangyu, two.bureau, tmp_path / "s3")  # the swap back

    assert _roster(two.bureau, "shangyu") == _roster(two.shangyu, "")
    assert ("上余镇人民政府" in [n for _, n, active in _roster(two.bureau, "shangyu") if active])
    assert (AGENCY, False) in [(n, active) for _, n, active in _roster(two.bureau, "shangyu")]
    # 贺村's roster is untouched, and the matter shows the unit's new name.
    assert _roster(two.bureau, "hecun") == _roster(two.hecun, "")
    assert GOV in [n for _, n, _ in _roster(two.bureau, "hecun")]
    assert _bureau_links(two.bureau) == [("shangyu", "上余的事项", "shangyu", "上余镇人民政府")]

    # The return packet carries the roster back: nothing changes at the office.
    name, data = export_return(two.bureau, "shangyu", tmp_path / "back")
    before = _roster(two.shangyu, "")
    [outcome] = deliver(two.shangyu, name, data)
    assert "units" not in outcome.counts
    assert _roster(two.shangyu, "") == before


def test_a_return_packet_made_before_the_office_packet_does_not_undo_a_retirement(tmp_path: Path) -> None:
    blank = blank_template(tmp_path)
    office = new_db(blank, tmp_path / "shangyu.sqlite3", SHANGYU)
    bureau = new_db(blank, tmp_path / "bureau.sqlite3", setup.default_profile("bureau"))
    try:
        enrol(bureau, office)
        enrol(office, bureau)
        _send(office, bureau, tmp_path / "s1")
        stale_name, stale = export_return(bureau, "shangyu", tmp_path / "stale")  # still lists AGENCY active
        units.set_unit_active(office, _admin(office), _unit(office, AGENCY), False)
        [outcome] = deliver(office, stale_name, stale)
        assert "units" not in outcome.counts
        assert AGENCY not in [u.name for u in units.list_units(office)]
        # The bureau retires a unit itself: the office takes that over (the bureau's entry is newer).
        rosters.set_roster_unit(bureau, _admin(bureau), "shangyu", GOV, "township_government", active=False)
        name, data = export_return(bureau, "shangyu", tmp_path / "back")
        [outcome] = deliver(office, name, data)
        assert outcome.counts["units"] == 1 and GOV not in [u.name for u in units.list_units(office)]
    finally:
        office.dispose()
        bureau.dispose()


# ---- set-up seeds the profile's units --------------------------------------------------------------------------

def test_setup_seeds_the_profiles_units_and_no_other_townships(tmp_path: Path) -> None:
    blank = blank_template(tmp_path)
    own = setup.ProfileInput(code="qinghu", name="清湖司法所", abbr="清司", township="清湖镇",
                             registration_pattern="清监登〔{year}〕{n}号",
                             units=[("清湖镇人民政府", "township_government"), ("  清湖镇  综合行政执法队 ", "internal_body")])
    db = new_db(blank, tmp_path / "own.sqlite3", own)
    assert [(u.name, u.kind) for u in units.list_units(db)] == [
        ("清湖镇人民政府", "township_government"), ("清湖镇 综合行政执法队", "internal_body")]
    db.dispose()
    derived = new_db(blank, tmp_path / "derived.sqlite3", replace(own, units=None))
    assert [u.name for u in units.list_units(derived)] == ["清湖镇人民政府", "清湖镇综合行政执法队"]
    derived.dispose()
    hecun = new_db(blank, tmp_path / "hecun.sqlite3", setup.default_profile())
    assert [u.name for u in units.list_units(hecun)] == [n for n, _ in HECUN_TEN]
    hecun.dispose()
    for bad, message in (([("某单位", "agency")], "类型“agency”不对"), ([("甲", "entrusted"), ("甲", "entrusted")], "重复"),
                         ([("", "entrusted")], "名称为空")):
        db = open_database(f"sqlite:///{tmp_path / 'bad.sqlite3'}")
        with pytest.raises(ValidationError, match=message):
            setup.setup_database(db, replace(own, units=bad), setup.UserInput("admin", "管理员"))
        db.dispose()


# ---- the office manages its units ------------------------------------------------------------------------------

def test_add_rename_retire_restore_with_chinese_refusals_and_audit(db: Database, admin: Actor) -> None:
    from hecun_office.services.audit import verify_chain

    new = units.add_unit(db, admin, " 江山市应急管理局贺村应急管理站 ", "stationed_agency")
    with pytest.raises(ValidationError, match="已有在用的单位“贺村镇人民政府”"):
        units.add_unit(db, admin, "贺村镇人民政府", "township_government")
    with pytest.raises(ValidationError, match="请填写单位名称"):
        units.add_unit(db, admin, "   ", "entrusted")
    with pytest.raises(ValidationError, match="请选择单位类型"):
        units.add_unit(db, admin, "某单位", "")
    with pytest.raises(ValidationError, match="不能超过 128"):
        units.update_unit(db, admin, new, "长" * 129, "entrusted")
    with pytest.raises(ValidationError, match="已有在用的单位"):
        units.update_unit(db, admin, new, "贺村镇人民政府", "stationed_agency")
    assert units.update_unit(db, admin, new, "贺村应急管理站", "stationed_agency")
    assert not units.update_unit(db, admin, new, "贺村应急管理站", "stationed_agency")
    gov = _unit(db, GOV)
    assert units.set_unit_active(db, admin, gov, False)
    assert GOV not in [u.name for u in units.list_units(db)]  # not offered for new matters
    assert GOV in [u.name for u in units.own_units(db) if not u.active]
    with pytest.raises(ValidationError, match="“贺村镇人民政府”已停用，不能用于新登记的事项"):
        register_matter(db, admin, MatterInput(received_on=date(2026, 2, 2), source="daily", title="新事项",
                                               category="legality", unit_ids=[gov], facts="事实。"), DAY)
    replacement = units.add_unit(db, admin, GOV, "township_government")  # the name is free again
    with pytest.raises(ValidationError, match="已有在用的单位“贺村镇人民政府”"):
        units.set_unit_active(db, admin, gov, True)
    units.set_unit_active(db, admin, replacement, False)
    assert units.set_unit_active(db, admin, gov, True)
    clerk = Actor("王晓燕", None, "clerk")
    with pytest.raises(Exception, match="不能修改系统设置"):
        units.add_unit(db, clerk, "某单位", "entrusted")
    with db.uow() as session:
        count, problem = verify_chain(session)
        actions = [a for (a,) in session.execute(select_audit())]
    assert problem is None and count > 0
    assert actions.count("unit.update") == 1 and "unit.retire" in actions and "unit.restore" in actions


def select_audit():  # type: ignore[no-untyped-def]
    from hecun_office.storage.models import AuditEntry

    return select(AuditEntry.action).where(AuditEntry.entity == "unit").order_by(AuditEntry.id)


# ---- a bureau database from before: units matched by name across townships ---------------------------------------

def _as_before_issue_12(bureau: Database) -> None:
    """Make the bureau hold what versions before issue 12 made of the same two packets: one row per name, owned by
    the first township, with a UUID of the bureau's making, carrying both townships' matters; then schema 0003."""
    from alembic import command
    from sqlalchemy import text

    from hecun_office.storage.migrate import alembic_config

    with bureau.engine.begin() as conn:
        for sid, name in conn.execute(text("SELECT id, name FROM units WHERE office_code = 'shangyu'")).all():
            hid = conn.execute(text("SELECT id FROM units WHERE office_code = 'hecun' AND name = :n"),
                               {"n": name}).scalar()
            conn.execute(text("UPDATE matter_units SET unit_id = :h WHERE unit_id = :s"), {"h": hid, "s": sid})
            conn.execute(text("DELETE FROM units WHERE id = :s"), {"s": sid})
        for (uid,) in conn.execute(text("SELECT id FROM units")).all():
            conn.execute(text("UPDATE units SET uuid = :u WHERE id = :i"), {"u": str(uuid.uuid4()), "i": uid})
    cfg = alembic_config(str(bureau.engine.url.render_as_string(hide_password=False)))
    with bureau.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003_exchange")
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_upgrade_splits_units_merged_across_townships_and_packets_then_attach_them(
        two: Two, tmp_path: Path) -> None:
    _register(two.hecun, "贺村的事项", GOV, AGENCY)
    _register(two.shangyu, "上余的事项", GOV)
    _send(two.hecun, two.bureau, tmp_path / "h1")
    _send(two.shangyu, two.bureau, tmp_path / "s1")
    _as_before_issue_12(two.bureau)
    assert _bureau_links(two.bureau)[0] == ("shangyu", "上余的事项", "hecun", GOV)  # the bug, as it was
    with two.bureau.uow() as session:
        hecun_ids = dict(session.execute(select(Unit.name, Unit.id).where(Unit.office_code == "hecun")).all())
    url = two.bureau.engine.url.render_as_string(hide_password=False)
    two.bureau.dispose()
    two.bureau = open_database(url)  # upgrades to head

    # Each matter on its own township's unit; 贺村's rows (ids, matters) as they were; 上余 got a row of its own.
    assert _bureau_links(two.bureau) == [
        ("shangyu", "上余的事项", "shangyu", GOV),
        ("hecun", "贺村的事项", "hecun", AGENCY), ("hecun", "贺村的事项", "hecun", GOV)]
    with two.bureau.uow() as session:
        assert dict(session.execute(select(Unit.name, Unit.id).where(Unit.office_code == "hecun")).all()) == hecun_ids
        split = session.scalar(select(Unit.id).where(Unit.office_code == "shangyu", Unit.name == GOV))

    # The next packets attach the rows to the townships' own units (their UUIDs) without new rows for them.
    _register(two.shangyu, "上余的第二件事项", GOV)
    _send(two.shangyu, two.bureau, tmp_path / "s2")
    _send(two.hecun, two.bureau, tmp_path / "h2")
    assert _roster(two.bureau, "shangyu") == _roster(two.shangyu, "")
    assert _roster(two.bureau, "hecun") == _roster(two.hecun, "")
    with two.bureau.uow() as session:
        assert session.scalar(select(Unit.id).where(Unit.office_code == "shangyu", Unit.name == GOV)) == split
        assert dict(session.execute(select(Unit.name, Unit.id).where(Unit.office_code == "hecun")).all()) == hecun_ids
    assert [link[2:] for link in _bureau_links(two.bureau) if link[0] == "shangyu"] == [("shangyu", GOV)] * 2


# ---- the county of tests/county_data.py ---------------------------------------------------------------------------

def test_the_county_keeps_a_shared_agency_once_per_roster(county_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from county_data import SHARED_UNIT, copy_county

    county = copy_county(county_template, tmp_path / "county")
    try:
        for office in (county.hecun.db, county.qinghu.db):
            code = setup.read_profile(office).code  # type: ignore[union-attr]
            assert _roster(county.bureau, code) == _roster(office, "")
        shared = [link for link in _bureau_links(county.bureau) if link[3] == SHARED_UNIT]
        assert shared == [("qinghu", "市场主体登记事项检查程序不规范", "qinghu", SHARED_UNIT),
                          ("hecun", "食品经营许可现场核查记录不完整", "hecun", SHARED_UNIT)]
        assert all(link[0] == link[2] for link in _bureau_links(county.bureau))
        assert "贺村镇人民政府" not in [n for _, n, _ in _roster(county.bureau, "qinghu")]
    finally:
        county.dispose()
