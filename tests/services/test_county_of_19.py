"""Issue 12 "Done when": the 19 towns and townships of 江山市 at one bureau, on SQLite and on PostgreSQL. Each
township supervises its own 人民政府 and the same county agency (江山市交通运输行政执法队, a unit of the same name
on 19 rosters) and has sent the bureau one 执法协作函. After the 19 packets are imported in one call: 19 rows of the
agency, each on its own township's roster and carrying that township's matter; each roster exactly the township's
own units; and one reply obligation per township, due 3 working days after the import (§二(四)2)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from db_copies import copy_key_secrets, open_copy, shared_home
from exchange_pair import pg_bureau
from issuing import issue_document
from people import add_user
from sqlalchemy import select
from sync.pairs import blank_template, enrol, new_db

from hecun_office.services import packet_export, packet_import, rosters, setup
from hecun_office.services.audit import Actor
from hecun_office.services.intake import run_to_end
from hecun_office.services.matters import (
    MatterInput,
    TransitionInput,
    list_units,
    register_matter,
    transition_matter,
)
from hecun_office.services.obligations import obligation_rows
from hecun_office.storage.models import Matter, Unit, matter_units
from hecun_office.storage.uow import Database

TOWNSHIPS = ["双塔街道", "虎山街道", "清湖街道", "上余镇", "四都镇", "贺村镇", "凤林镇", "峡口镇", "新塘边镇", "碗窑乡",
             "坛石镇", "大桥镇", "石门镇", "长台镇", "廿八都镇", "大陈乡", "塘源口乡", "张村乡", "保安乡"]
AGENCY = "江山市交通运输行政执法队"  # supervised by every township: one row per roster
SENT, IMPORTED = date(2026, 3, 2), date(2026, 3, 10)  # the requests were issued on Monday, received a week later


@dataclass(frozen=True)
class Township:
    code: str
    name: str  # the 司法所
    township: str
    path: Path


def _profile(n: int, township: str) -> setup.ProfileInput:
    short = township[:2]
    return setup.ProfileInput(code=f"t{n:02d}", name=f"{short}司法所", abbr=f"{short}司{n}", township=township,
                              registration_pattern=f"{short}{n}登〔{{year}}〕{{n}}号",
                              units=[(f"{township}人民政府", "township_government"), (AGENCY, "stationed_agency")])


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[Township], Path]]:
    """19 offices set up once, each with a matter on both its units and an issued 执法协作函 (frozen files + home)."""
    folder = tmp_path_factory.mktemp("county19")
    towns: list[Township] = []
    with shared_home(folder / "home"):
        blank = blank_template(folder)
        for n, name in enumerate(TOWNSHIPS, start=1):
            profile = _profile(n, name)
            db = new_db(blank, folder / f"{profile.code}.sqlite3", profile)
            clerk = setup.default_actor(db)
            signer = add_user(db, "li", "李主任", "signer")
            units = [u.id for u in list_units(db)]
            matter = register_matter(db, clerk, MatterInput(
                received_on=SENT, source="hotline", title=f"{name}渣土车辆执法标准不一", category="dispute",
                unit_ids=units, facts="乡镇执法队与交通执法中队对渣土车抛洒滴漏的管辖与处罚标准存在争议。"), today=SENT).id
            for action in ("start_verification", "need_assistance"):
                transition_matter(db, clerk, matter, TransitionInput(action, SENT), today=SENT)
            issue_document(db, clerk, signer, signer, "assistance_request", matter, SENT,
                           questions="请就渣土车抛洒滴漏的管辖划分提出意见。")
            db.dispose()
            towns.append(Township(profile.code, profile.name, name, db.file or Path()))
    yield towns, folder / "home"
    shutil.rmtree(folder, ignore_errors=True)


def _bureau(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Database:
    if backend == "postgresql":
        return pg_bureau(request.getfixturevalue("pg_url"))
    blank = blank_template(tmp_path)
    return new_db(blank, tmp_path / "bureau.sqlite3", setup.default_profile("bureau"))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_nineteen_townships_keep_their_own_units_rosters_and_reply_obligations(
        backend: str, county: tuple[list[Township], Path], tmp_path: Path, request: pytest.FixtureRequest) -> None:
    towns, home = county
    copy_key_secrets(home)
    bureau = _bureau(backend, tmp_path, request)
    packets: list[Path] = []
    try:
        for town in towns:
            office = open_copy(town.path, tmp_path / town.path.name)
            enrol(bureau, office)
            enrol(office, bureau)
            result = run_to_end(packet_export.export_data_packet(office, setup.default_actor(office),
                                                                 tmp_path / "usb", IMPORTED))
            packets.append(result.path)
            office.dispose()
        chief: Actor = setup.default_actor(bureau)
        outcomes = run_to_end(packet_import.import_packets(bureau, chief, packets, IMPORTED, backup=False))
        assert [o.status.value for o in outcomes] == ["imported"] * 19, [o.reason for o in outcomes]

        with bureau.uow() as session:
            agencies = dict(session.execute(select(Unit.office_code, Unit.id).where(Unit.name == AGENCY)).all())
            assert sorted(agencies) == [t.code for t in towns]  # one row per township, none merged
            for town in towns:
                matter_units_of = set(session.scalars(
                    select(matter_units.c.unit_id).join(Matter, Matter.id == matter_units.c.matter_id)
                    .where(Matter.office_code == town.code)))
                own = set(session.scalars(select(Unit.id).where(Unit.office_code == town.code)))
                assert agencies[town.code] in matter_units_of and matter_units_of <= own  # its matter, its units
        for town in towns:
            assert sorted(u.name for u in rosters.roster(bureau, town.code)) == sorted(
                [AGENCY, f"{town.township}人民政府"])

        replies = [r for r in obligation_rows(bureau, IMPORTED) if r.kind == "assistance_reply"]
        assert len(replies) == 19
        assert {r.due for r in replies} == {date(2026, 3, 13)}  # Tue 10 March + 3 working days, not from the 2nd
        for town in towns:
            assert sum(town.name in r.title for r in replies) == 1, town.name
    finally:
        bureau.dispose()
