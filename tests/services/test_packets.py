"""S-2, S-3, S-5, S-6 through the real services on real SQLite files: an office and its bureau, keys exchanged,
packets exported, imported, replayed, acknowledged, answered."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from db_copies import copy_key_secrets, freeze, open_copy, shared_home
from people import add_user
from pg import PostgresServer
from sqlalchemy import func, select

from hecun_office.domain.errors import EnvironmentProblem, NotFound, ValidationError
from hecun_office.services import documents, exchange_keys, matters, packet_export, packet_import, setup
from hecun_office.services.audit import Actor
from hecun_office.services.calendar import import_arrangement
from hecun_office.services.intake import run_to_end
from hecun_office.services.matters import MatterInput, TransitionInput
from hecun_office.storage import blobs
from hecun_office.storage.models import (
    Document,
    DocumentFile,
    Matter,
    MatterEvent,
    Obligation,
    OfficeObligation,
    PacketOut,
    Peer,
)
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database
from hecun_office.sync.errors import KeyProblem
from hecun_office.workdays.notice import Arrangement, HolidaySpan

DAY = date(2026, 3, 2)  # Monday



def _set_up_bureau(url: str) -> Database:
    database = open_database(url)
    setup.setup_database(database, setup.default_profile("bureau"), setup.UserInput("zhang", "张科长", "admin"),
                         created_at=datetime(2026, 1, 5, 9, 0))
    return database


@pytest.fixture(scope="session")
def _bureau_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the templates' key-protection secrets live (S-6); each test copies them into its own home."""
    return tmp_path_factory.mktemp("bureau-home")


@pytest.fixture(scope="session")
def _sqlite_bureau(tmp_path_factory: pytest.TempPathFactory, _bureau_home: Path) -> Path:
    """A bureau set up once (half a second each time) and copied for every test."""
    path = tmp_path_factory.mktemp("bureau-template") / "bureau.sqlite3"
    with shared_home(_bureau_home):
        freeze(_set_up_bureau(f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def _pg_bureau(pg_server: PostgresServer, _bureau_home: Path) -> str:
    """The same on the session's PostgreSQL server: a template database each test's database is created from."""
    name = pg_server.create_database()
    with shared_home(_bureau_home):
        _set_up_bureau(pg_server.url(name)).dispose()  # no connection may stay open on a template
    return name


@pytest.fixture(params=["sqlite", "postgresql"])
def bureau(request: pytest.FixtureRequest, tmp_path: Path, _bureau_home: Path) -> Iterator[Database]:
    """County mode on its embedded default and on a real PostgreSQL server (S-7): the same code, both tested."""
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("pg_server")
        name = f"t_{uuid.uuid4().hex}"
        server.admin(f'CREATE DATABASE "{name}" TEMPLATE "{request.getfixturevalue("_pg_bureau")}"')
        copy_key_secrets(_bureau_home)
        database = open_database(server.url(name))
        yield database
        database.dispose()
        server.drop_database(name)
        return
    database = open_copy(request.getfixturevalue("_sqlite_bureau"), tmp_path / "bureau.sqlite3", _bureau_home)
    yield database
    database.dispose()


@pytest.fixture
def paired(db: Database, bureau: Database, admin: Actor) -> Database:
    """The bureau enrols the office key and the office pins the bureau key, each checking the fingerprint."""
    bureau_admin = setup.default_actor(bureau)
    exchange_keys.add_peer(bureau, bureau_admin, exchange_keys.export_public(db), exchange_keys.own_key(db).fingerprint)
    exchange_keys.add_peer(db, admin, exchange_keys.export_public(bureau), exchange_keys.own_key(bureau).shown)
    return db


def _register(db: Database, actor: Actor, title: str, **extra: object) -> int:
    unit = matters.list_units(db)[0].id
    data = MatterInput(received_on=DAY, source="hotline", title=title, category="legality", track="general",
                       unit_ids=[unit], facts=f"{title}的事实。", **extra)  # type: ignore[arg-type]
    return matters.register_matter(db, actor, data, today=DAY).id


def _export(db: Database, actor: Actor, out: Path) -> packet_export.ExportResult:
    result: packet_export.ExportResult = run_to_end(packet_export.export_data_packet(db, actor, out, DAY))
    return result


def _import(db: Database, path: Path) -> list[packet_import.ImportOutcome]:
    outcomes: list[packet_import.ImportOutcome] = run_to_end(
        packet_import.import_packets(db, setup.default_actor(db), [path], DAY, backup=False))
    return outcomes


def _counts(db: Database) -> tuple[int, ...]:
    with db.uow() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) or 0
                     for t in (Matter, MatterEvent, Document, DocumentFile, OfficeObligation, Obligation))


def test_a_packet_reaches_the_bureau_whole_and_a_replay_changes_nothing(
        paired: Database, bureau: Database, actor: Actor, tmp_path: Path) -> None:
    first = _register(paired, actor, "占道经营处罚未告知陈述申辩权")
    _register(paired, actor, "违规设置收费项目")
    matters.transition_matter(paired, actor, first, TransitionInput("start_verification", DAY), today=DAY)
    result = _export(paired, actor, tmp_path / "usb")
    assert result.path == tmp_path / "usb" / "hecun-0001.hcpkt" and result.path.is_file()
    assert result.counts["matters"] == 2 and result.counts["events"] == 3
    assert not list((tmp_path / "usb").glob(".*.part"))  # no temporary file left beside it

    [outcome] = _import(bureau, result.path)
    assert outcome.status == packet_import.ImportStatus.IMPORTED and outcome.exit_code == 0
    with bureau.uow() as session:
        held = session.scalars(select(Matter).order_by(Matter.reg_seq)).all()
        assert [(m.office_code, m.reg_no, m.status) for m in held] == [
            ("hecun", "贺监登〔2026〕1号", "verifying"), ("hecun", "贺监登〔2026〕2号", "registered")]
        assert [u.name for u in held[0].units] == [matters.list_units(paired)[0].name]
        assert len(held[0].events) == 2
        peer = session.scalars(select(Peer)).one()
        assert (peer.in_seq, peer.in_hash) == (1, packet_import.packet.sha256(
            packet_import.packet.container.read_zip(result.path.read_bytes())["manifest.json"]))
    before = _counts(bureau)
    [again] = _import(bureau, result.path)
    assert again.status == packet_import.ImportStatus.DUPLICATE and again.exit_code == 0
    assert "已经导入" in again.reason and _counts(bureau) == before


def test_export_carries_what_changed_since_the_bureau_acknowledged(
        paired: Database, bureau: Database, actor: Actor, tmp_path: Path) -> None:
    one = _register(paired, actor, "事项一")
    _register(paired, actor, "事项二")
    p1 = _export(paired, actor, tmp_path)
    _import(bureau, p1.path)
    # Not acknowledged yet: the next packet carries everything again (the bureau keeps the newer versions only).
    matters.transition_matter(paired, actor, one, TransitionInput("start_verification", DAY), today=DAY)
    p2 = _export(paired, actor, tmp_path)
    assert (p2.seq, p2.counts["matters"], p2.counts["events"]) == (2, 2, 3)
    # The bureau's return packet acknowledges #1 and #2; after that only the change travels.
    _import(bureau, p2.path)
    with paired.uow() as session:
        kept = list(session.scalars(select(PacketOut.data_sha256).order_by(PacketOut.seq)))
        assert len(kept) == 2 and all(kept) and all(paired.blobs.verify(session, sha) is None for sha in kept)
    back = run_to_end(packet_export.export_return_packet(bureau, setup.default_actor(bureau), "hecun", tmp_path, DAY))
    [ack] = _import(paired, back.path)
    assert ack.status == packet_import.ImportStatus.IMPORTED and ack.counts["acknowledged"] == 2
    # Acknowledged packets can no longer be lost: their kept bytes are dropped, rewriting them is refused.
    with paired.uow() as session:
        assert session.scalars(select(PacketOut.data_sha256).order_by(PacketOut.seq)).all() == [None, None]
        assert all(paired.blobs.verify(session, sha) == "缺失" for sha in kept)
    with pytest.raises(NotFound, match="已确认收到"):
        packet_export.rewrite_packet(paired, "jiangshan", 1, tmp_path / "again")
    matters.transition_matter(paired, actor, one, TransitionInput("close_no_issue", DAY, reason="无问题"), today=DAY)
    p3 = _export(paired, actor, tmp_path)
    assert (p3.seq, p3.counts["matters"], p3.counts["events"]) == (3, 1, 1)
    _import(bureau, p3.path)
    with bureau.uow() as session:
        assert session.scalar(select(Matter.status).where(Matter.title == "事项一")) == "closed"


def test_a_cancelled_export_uses_no_number_and_leaves_no_file(paired: Database, actor: Actor, tmp_path: Path) -> None:
    _register(paired, actor, "事项一")
    usb = tmp_path / "usb"
    steps = packet_export.export_data_packet(paired, actor, usb, DAY)
    next(steps)
    next(steps)
    steps.close()  # 取消
    assert not usb.exists() or list(usb.iterdir()) == []
    with paired.uow() as session:
        assert session.scalar(select(func.count()).select_from(PacketOut)) == 0
        assert session.scalar(select(Peer.out_seq)) == 0
    assert _export(paired, actor, usb).seq == 1


def test_a_lost_packet_is_written_again_byte_for_byte(paired: Database, actor: Actor, tmp_path: Path) -> None:
    _register(paired, actor, "事项一")
    first = _export(paired, actor, tmp_path / "usb")
    original = first.path.read_bytes()
    first.path.unlink()  # the USB stick went missing
    again = packet_export.rewrite_packet(paired, "jiangshan", 1, tmp_path / "other")
    assert again.name == "hecun-0001.hcpkt" and again.read_bytes() == original


def test_an_export_into_an_unwritable_place_uses_no_number(paired: Database, actor: Actor, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(EnvironmentProblem, match="无法在"):
        _export(paired, actor, blocker / "usb")
    with paired.uow() as session:
        assert session.scalar(select(Peer.out_seq)) == 0


def test_complainants_travel_only_with_matters_handed_to_the_bureau(
        paired: Database, bureau: Database, actor: Actor, tmp_path: Path) -> None:
    kept = _register(paired, actor, "普通事项", complainant_name="张三", complainant_phone="13812345678")
    handed = _register(paired, actor, "需要协作的事项", complainant_name="李四", complainant_phone="13900001111")
    for action in ("start_verification", "need_assistance"):
        matters.transition_matter(paired, actor, handed, TransitionInput(action, DAY), today=DAY)
    _import(bureau, _export(paired, actor, tmp_path).path)
    with bureau.uow() as session:
        names = dict(session.execute(select(Matter.title, Matter.complainant_name)).all())
    # 需要协作 is not yet a hand-over: the name goes with the issued request (tests/services/test_personal_data_travel.py)
    assert names == {"普通事项": None, "需要协作的事项": None}
    assert kept != handed


def test_export_without_the_bureau_key_says_what_to_do(db: Database, actor: Actor, tmp_path: Path) -> None:
    with pytest.raises(KeyProblem, match="尚未绑定司法局的公钥"):
        _export(db, actor, tmp_path)


def test_enrolment_needs_the_fingerprint_from_the_paper_form(db: Database, bureau: Database, admin: Actor) -> None:
    office_file = exchange_keys.export_public(db)
    bureau_admin = setup.default_actor(bureau)
    with pytest.raises(ValidationError, match="指纹"):
        exchange_keys.add_peer(bureau, bureau_admin, office_file, "0000 1111 2222 3333 4444 5555 6666 7777")
    with pytest.raises(KeyProblem, match="只能登记司法所的公钥"):
        exchange_keys.add_peer(bureau, bureau_admin, exchange_keys.export_public(bureau), "")
    view = exchange_keys.add_peer(bureau, bureau_admin, office_file, exchange_keys.own_key(db).shown.lower())
    assert (view.code, view.name) == ("hecun", "贺村司法所")
    # The same file again changes nothing; a tampered file is refused.
    assert exchange_keys.add_peer(bureau, bureau_admin, office_file, view.fingerprint).keys == 1
    tampered = office_file.replace("贺村司法所".encode(), "假冒司法所".encode())
    with pytest.raises(KeyProblem, match="签名无效"):
        exchange_keys.add_peer(bureau, bureau_admin, tampered, view.fingerprint)


def test_a_lost_key_secret_is_explained_not_a_traceback(paired: Database, actor: Actor, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HECUN_OFFICE_HOME", str(tmp_path / "another-pc"))
    with pytest.raises(EnvironmentProblem, match="私钥的保护文件"):
        _export(paired, actor, tmp_path)


def _assisting_matter(db: Database, clerk: Actor, director: Actor) -> tuple[int, int]:
    matter_id = _register(db, clerk, "乡镇与派驻机构执法争议协调")
    for action in ("start_verification", "need_assistance"):
        matters.transition_matter(db, clerk, matter_id, TransitionInput(action, DAY), today=DAY)
    values = documents.draft_values(db, "assistance_request", matter_id, DAY)
    values.update({k: "请司法局就执法主体资格提出意见。" for k, v in values.items() if v in ("", None)})
    doc = documents.create_draft(db, clerk, "assistance_request", matter_id, values, DAY)
    documents.submit(db, clerk, doc)
    documents.review(db, director, doc, approve=True)
    documents.issue(db, director, doc, DAY, today=DAY)
    return matter_id, doc


def test_the_bureau_answers_an_assistance_request_and_the_return_packet_closes_the_office_obligation(
        paired: Database, bureau: Database, actor: Actor, tmp_path: Path) -> None:
    director = add_user(paired, "li", "李志明", "signer")
    matter_id, request_id = _assisting_matter(paired, actor, director)
    assert matters.matter_detail(paired, matter_id, DAY).status == "assisting"
    _import(bureau, _export(paired, actor, tmp_path).path)

    with bureau.uow() as session:
        held = session.scalars(select(Matter).where(Matter.office_code == "hecun")).one()
        own = session.scalars(select(Obligation).where(Obligation.kind == "assistance_reply")).one()
        request = session.scalars(select(Document).where(Document.form_id == "assistance_request")).one()
        assert (own.matter_id, own.trigger_on, own.due_on, own.state) == (held.id, DAY, date(2026, 3, 5), "open")
        assert request.office_code == "hecun" and request.received_on == DAY
        assert session.get(DocumentFile, request.id) is not None
    with pytest.raises(ValidationError, match="只能由该所办理"):
        matters.transition_matter(bureau, setup.default_actor(bureau), held.id,
                                  TransitionInput("resume_verification", DAY), today=DAY)

    clerk, chief = add_user(bureau, "zhao", "赵科员", "clerk"), add_user(bureau, "qian", "钱局长", "signer")
    values = documents.draft_values(bureau, "assistance_reply", held.id, DAY)
    assert values["requester"] == "贺村司法所" and values["request_number"] == request.number
    values.update(opinions="（一）该事项属于乡镇综合行政执法队职权范围。", contact="赵科员 0570-4012345")
    reply = documents.create_draft(bureau, clerk, "assistance_reply", held.id, values, DAY)
    documents.submit(bureau, clerk, reply)
    documents.review(bureau, chief, reply, approve=True)
    documents.issue(bureau, chief, reply, DAY, today=DAY)
    with bureau.uow() as session:
        met = session.scalars(select(Obligation).where(Obligation.kind == "assistance_reply")).one()
        assert (met.state, met.met_on) == ("met", DAY)

    back = run_to_end(packet_export.export_return_packet(bureau, clerk, "hecun", tmp_path / "back", DAY))
    assert back.path.name == "jiangshan-hecun-0001.hcpkt" and back.counts["documents"] == 1
    [outcome] = _import(paired, back.path)
    assert outcome.status == packet_import.ImportStatus.IMPORTED
    assert any("已登记司法局《执法协作反馈函》江司协复〔2026〕1号" in n for n in outcome.notes)
    detail = matters.matter_detail(paired, matter_id, DAY)
    assert detail.status == "assistance_answered"
    awaiting = [o for o in detail.obligations if o.kind == "bureau_reply"]
    assert [(o.status, o.met_on) for o in awaiting] == [("met_on_time", DAY)]
    with paired.uow() as session:
        received = session.scalars(select(Document).where(Document.office_code == "jiangshan")).one()
        assert (received.form_id, received.number, received.in_reply_to) == (
            "assistance_reply", "江司协复〔2026〕1号", session.get(Document, request_id).uuid)
        assert blobs.get(session, session.get(DocumentFile, received.id).sha256, "").startswith(b"%PDF")
    with pytest.raises(ValidationError, match="只能查看和打印"):
        documents.void(paired, director, received.id, "试图作废")


def test_a_return_packet_distributes_next_years_holidays(
        paired: Database, bureau: Database, admin: Actor, tmp_path: Path) -> None:
    arrangement = Arrangement(2027, (HolidaySpan("元旦", date(2027, 1, 1), date(2027, 1, 3)),
                                     HolidaySpan("春节", date(2027, 2, 5), date(2027, 2, 11))),
                              ((date(2027, 2, 20), "春节"),))
    import_arrangement(bureau, setup.default_actor(bureau), arrangement, today=DAY)
    back = run_to_end(packet_export.export_return_packet(bureau, setup.default_actor(bureau), "hecun", tmp_path, DAY))
    assert back.counts["calendar_years"] == 1
    [outcome] = _import(paired, back.path)
    assert any("2027年节假日安排" in n for n in outcome.notes)
    from hecun_office.services.calendar import load_calendar

    with paired.uow() as session:
        cal = load_calendar(session)
    assert 2027 in cal.covered_years
    assert cal.add_working_days(date(2027, 2, 4), 1).due == date(2027, 2, 12)
    assert not cal.add_working_days(date(2027, 2, 4), 1).provisional


def test_a_lost_private_key_is_replaced_by_re_enrolment_and_the_chain_carries_on(
        paired: Database, bureau: Database, actor: Actor, admin: Actor, tmp_path: Path) -> None:
    _register(paired, actor, "事项一")
    _import(bureau, _export(paired, actor, tmp_path).path)
    for secret in (Path(os.environ["HECUN_OFFICE_HOME"]) / "keys").glob("*.secret"):
        if secret.stem == _secret_id(paired):
            secret.unlink()  # the office PC's disk failed; the database came back from the backup
    with pytest.raises(EnvironmentProblem, match="keys reset"):
        _export(paired, actor, tmp_path)
    new = exchange_keys.reset_keys(paired, admin)
    bureau_admin = setup.default_actor(bureau)
    with pytest.raises(KeyProblem, match="重新登记"):
        exchange_keys.add_peer(bureau, bureau_admin, exchange_keys.export_public(paired), new.fingerprint)
    exchange_keys.add_peer(bureau, bureau_admin, exchange_keys.export_public(paired), new.fingerprint, replace=True)
    _register(paired, actor, "事项二")
    second = _export(paired, actor, tmp_path)
    [outcome] = _import(bureau, second.path)
    assert (second.seq, outcome.status) == (2, packet_import.ImportStatus.IMPORTED)


def _secret_id(db: Database) -> str:
    from hecun_office.storage.models import KeyPair

    with db.uow() as session:
        return session.scalars(select(KeyPair.secret_id).where(KeyPair.status == "active")).one()


def test_the_office_acknowledges_return_packets_so_replies_travel_once(
        paired: Database, bureau: Database, actor: Actor, tmp_path: Path) -> None:
    director = add_user(paired, "li", "李志明", "signer")
    _assisting_matter(paired, actor, director)
    _import(bureau, _export(paired, actor, tmp_path / "a").path)
    with bureau.uow() as session:
        held = session.scalars(select(Matter).where(Matter.office_code == "hecun")).one()
    chief = add_user(bureau, "qian", "钱局长", "signer")
    values = documents.draft_values(bureau, "assistance_reply", held.id, DAY)
    values.update(opinions="（一）请依法处理。")
    reply = documents.create_draft(bureau, chief, "assistance_reply", held.id, values, DAY)
    documents.submit(bureau, chief, reply)
    documents.review(bureau, chief, reply, approve=True)
    documents.issue(bureau, chief, reply, DAY, today=DAY)
    first = run_to_end(packet_export.export_return_packet(bureau, chief, "hecun", tmp_path / "b", DAY))
    assert first.counts["documents"] == 1
    _import(paired, first.path)
    # Not acknowledged yet: the reply would go again.
    again = run_to_end(packet_export.export_return_packet(bureau, chief, "hecun", tmp_path / "c", DAY))
    assert again.counts["documents"] == 1
    [outcome] = _import(paired, again.path)
    assert outcome.status == packet_import.ImportStatus.IMPORTED and outcome.counts["documents_new"] == 0
    # The office's next data packet acknowledges return packet #2; the bureau then has nothing to resend.
    [ack] = _import(bureau, _export(paired, actor, tmp_path / "d").path)
    assert ack.counts["acknowledged"] == 2
    third = run_to_end(packet_export.export_return_packet(bureau, chief, "hecun", tmp_path / "e", DAY))
    assert third.counts["documents"] == 0


def test_the_bureau_keeps_each_townships_roster_and_the_return_packet_carries_it(
        paired: Database, bureau: Database, actor: Actor, tmp_path: Path) -> None:
    from hecun_office.services import rosters

    _register(paired, actor, "事项一")  # the office's units reach the bureau's roster for hecun (issue 12: all)
    _import(bureau, _export(paired, actor, tmp_path).path)
    first_unit = matters.list_units(paired)[0].name
    assert [(u.name, u.uuid) for u in rosters.roster(bureau, "hecun")] == [
        (u.name, u.uuid) for u in rosters.roster(paired, "")]
    chief = setup.default_actor(bureau)
    rosters.set_roster_unit(bureau, chief, "hecun", "江山市应急管理局贺村应急管理站", "stationed_agency")
    rosters.set_roster_unit(bureau, chief, "hecun", first_unit, "internal_body", active=False)  # abolished
    with pytest.raises(ValidationError, match="未登记"):
        rosters.set_roster_unit(bureau, chief, "qinghu", "清湖镇人民政府", "township_government")
    with pytest.raises(ValidationError, match="由司法局维护"):
        rosters.set_roster_unit(paired, actor, "hecun", "某单位", "internal_body")
    with pytest.raises(ValidationError, match="已在本名录中"):  # 新增 never silently changes a listed unit
        rosters.add_roster_unit(bureau, chief, "hecun", "江山市应急管理局贺村应急管理站", "entrusted")

    back = run_to_end(packet_export.export_return_packet(bureau, chief, "hecun", tmp_path / "back", DAY))
    assert back.counts["units"] == 11  # the whole roster: the office's ten and the bureau's new one
    [outcome] = _import(paired, back.path)
    assert any("新增 江山市应急管理局贺村应急管理站" in n and f"调整 {first_unit}" in n for n in outcome.notes)
    active = [u.name for u in matters.list_units(paired)]
    assert "江山市应急管理局贺村应急管理站" in active and first_unit not in active
    # The same roster again changes nothing.
    again = run_to_end(packet_export.export_return_packet(bureau, chief, "hecun", tmp_path / "again", DAY))
    [second] = _import(paired, again.path)
    assert "units" not in second.counts


def test_a_second_bureau_pc_uses_the_key_after_importing_the_protection_secret(
        paired: Database, bureau: Database, actor: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Several bureau clerks on one PostgreSQL database (S-7): the private key's secret lives on each PC."""
    _register(paired, actor, "事项一")
    packet = _export(paired, actor, tmp_path / "usb").path
    chief = setup.default_actor(bureau)
    carried = exchange_keys.export_key_secret(bureau, chief, "贺村2026口令")
    with pytest.raises(KeyProblem, match="至少 8 位"):
        exchange_keys.export_key_secret(bureau, chief, "short")
    monkeypatch.setenv("HECUN_OFFICE_HOME", str(tmp_path / "second-pc"))
    # Not the packet's fault: nothing is refused or quarantined, the clerk is told how to bring the key over.
    with pytest.raises(EnvironmentProblem, match="keys import-secret"):
        _import(bureau, packet)
    assert packet_import.history(bureau) == []
    with pytest.raises(KeyProblem, match="口令不对"):
        exchange_keys.import_key_secret(bureau, chief, carried, "wrong-passphrase")
    assert exchange_keys.import_key_secret(bureau, chief, carried, "贺村2026口令") == 1
    [outcome] = _import(bureau, packet)
    assert outcome.status == packet_import.ImportStatus.IMPORTED
