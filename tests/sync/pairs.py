"""An office and its bureau on real SQLite files, built through the services, for the packet tests.

Building a database seeds twenty-odd years of calendar, so one migrated, seeded blank file is made once and copied;
an office/bureau pair is built once (conftest.py) and its files copied per test. Private keys are protected by secrets under
HECUN_OFFICE_HOME, so everything that makes or uses keys runs with one shared home (``shared_home``, from
tests/db_copies.py like ``freeze``).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from db_copies import freeze as freeze  # re-exported: the packet tests build their databases with these
from db_copies import shared_home as shared_home
from sqlalchemy import select

from hecun_office.services import exchange_keys, matters, packet_export, packet_import, setup
from hecun_office.services.audit import Actor
from hecun_office.services.intake import run_to_end
from hecun_office.services.matters import MatterInput, TransitionInput
from hecun_office.services.packet_import import ImportOutcome
from hecun_office.storage.models import Peer
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database
from hecun_office.sync import container, packet
from hecun_office.sync.keys import canonical

DAY = date(2026, 3, 2)  # a Monday; packets are made and imported "today"
CREATED = datetime(2026, 1, 5, 9, 0)
BUREAU_2 = setup.ProfileInput(mode="bureau", name="衢州市司法局", code="quzhou", abbr="衢司", township="",
                              county="衢州市", registration_pattern="衢司监登〔{year}〕{n}号")
OFFICE_2 = setup.ProfileInput(name="清湖司法所", code="qinghu", abbr="清司", township="清湖街道",
                              registration_pattern="清监登〔{year}〕{n}号")


def sqlite(path: Path) -> Database:
    return open_database(f"sqlite:///{path}")


def blank_template(folder: Path) -> Path:
    path = folder / "blank.sqlite3"
    db = sqlite(path)
    setup.ensure_calendar(db)
    freeze(db)
    return path


def copy_db(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst


def new_db(blank: Path, path: Path, profile: setup.ProfileInput) -> Database:
    db = sqlite(copy_db(blank, path))
    setup.setup_database(db, profile, setup.UserInput("admin", "管理员", "admin", "secret1"), created_at=CREATED)
    return db


def admin(db: Database) -> Actor:
    return setup.default_actor(db)


def enrol(receiver: Database, sender: Database) -> None:
    """``receiver`` enrols (bureau) or pins (office) ``sender``'s key, the fingerprint typed in full."""
    own = exchange_keys.own_key(sender)
    exchange_keys.add_peer(receiver, admin(receiver), exchange_keys.export_public(sender), own.fingerprint)


def register(db: Database, title: str, received_on: date = date(2026, 2, 2), today: date = DAY) -> int:
    units = [u.id for u in matters.list_units(db)]
    data = MatterInput(received_on=received_on, source="hotline", title=title, category="legality",
                       unit_ids=units[:1], facts=f"{title}的基本事实。", parties="某某公司")
    return matters.register_matter(db, admin(db), data, today).id


def move(db: Database, matter_id: int, action: str, on: date = date(2026, 2, 10), reason: str = "") -> None:
    matters.transition_matter(db, admin(db), matter_id, TransitionInput(action, on, reason), today=DAY)


def export(db: Database, out: Path, today: date = DAY) -> tuple[str, bytes]:
    result = run_to_end(packet_export.export_data_packet(db, admin(db), out, today))
    return result.file_name, result.path.read_bytes()


def export_return(db: Database, office_code: str, out: Path, today: date = DAY) -> tuple[str, bytes]:
    result = run_to_end(packet_export.export_return_packet(db, admin(db), office_code, out, today))
    return result.file_name, result.path.read_bytes()


def deliver(db: Database, name: str, data: bytes, today: date = DAY) -> list[ImportOutcome]:
    return packet_import.import_bytes(db, admin(db), name, data, today)


def statuses(outcomes: list[ImportOutcome]) -> list[tuple[int | None, str]]:
    return [(o.seq, o.status.value) for o in outcomes]


# ---- what a database holds ------------------------------------------------------------------------------------

def table_digests(db: Database, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every table's content (search index shadow tables included) as one digest each, to compare one database
    before and after something (rows in storage order: the same database, so the same order if nothing changed)."""
    out: dict[str, str] = {}
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        names = [r[0] for r in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for name in names:
            if name not in skip:
                rows = cursor.execute(f'SELECT * FROM "{name}"').fetchall()
                out[name] = f"{len(rows)}:" + hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()
    finally:
        raw.close()
    return out


def history(db: Database) -> list[tuple[str | None, int | None, str]]:
    with db.engine.connect() as conn:
        return [(r[0], r[1], r[2]) for r in conn.exec_driver_sql(
            "SELECT sender, seq, status FROM packets_in ORDER BY id")]


def audit_actions(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT action FROM audit_log ORDER BY id")]


def quarantined(db: Database) -> list[str]:
    folder = packet_import.quarantine_dir(db)
    return sorted(p.name for p in folder.iterdir())


def peer_state(db: Database, code: str) -> tuple[int, str]:
    with db.uow() as session:
        peer = session.scalar(select(Peer).where(Peer.code == code))
        assert peer is not None
        return peer.in_seq, peer.in_hash


# ---- sealing by hand: an enrolled sender who builds whatever it likes ------------------------------------------

@dataclass(frozen=True)
class Sender:
    """A party's own signing key and the recipient it has pinned: enough to seal any packet it likes."""

    party: packet.Party
    recipient: packet.Party
    recipient_box: bytes
    sign: Callable[[bytes], bytes]

    def seal(self, members: list[tuple[str, bytes, bool]], seq: int = 1, prev: str = packet.GENESIS,
             kind: str = "data", recipient: packet.Party | None = None, recipient_box: bytes | None = None) -> bytes:
        """A well-formed packet of any content, through the real ``packet.seal``."""
        return packet.seal(kind=kind, sender=self.party, recipient=recipient or self.recipient,
                           recipient_box=recipient_box or self.recipient_box, seq=seq, prev=prev,
                           created=DAY.isoformat(), period={"from": "2026-01-05", "to": DAY.isoformat()},
                           counts={}, members=members, sign=self.sign).data

    def seal_raw(self, inner: bytes, listed: list[dict[str, Any]], seq: int = 1, prev: str = packet.GENESIS,
                 kind: str = "data", manifest_patch: Callable[[dict[str, Any]], None] | None = None) -> bytes:
        """A packet whose encrypted inner zip and signed member list are whatever the caller says (``packet.seal``
        cannot make one: it derives both from the same members), built with the module's own sealing steps."""
        payload = packet._SUITE.encrypt(inner, X25519PublicKey.from_public_bytes(self.recipient_box),
                                        info=packet._info(self.party.code, self.recipient.code, seq))
        manifest: dict[str, Any] = {
            "format": packet.FORMAT, "version": packet.VERSION, "kind": kind, "sender": self.party.as_json(),
            "recipient": self.recipient.as_json(), "seq": seq, "prev": prev, "created": DAY.isoformat(),
            "period": {}, "counts": {},
            "payload": {"path": packet.PAYLOAD, "size": len(payload), "sha256": packet.sha256(payload),
                        "suite": packet.SUITE_NAME},
            "members": listed,
        }
        if manifest_patch is not None:
            manifest_patch(manifest)
        manifest_bytes = canonical(manifest)
        return packet._outer(manifest_bytes, self.sign(manifest_bytes), payload)


def sender_of(db: Database) -> Sender:
    """The signing identity of ``db``'s owner, sealing to the one peer it has (the pinned bureau, or an office)."""
    with db.uow() as session:
        profile = exchange_keys.profile_of(session)
        pair = exchange_keys.ensure_own_keys(session)
        private = exchange_keys.private_keys(pair)
        peer = session.scalar(select(Peer).order_by(Peer.id))
        assert peer is not None, "enrol a peer first"
        key = next(k for k in reversed(peer.keys) if k.status == "active")
        return Sender(packet.Party(profile.code, profile.name, pair.fingerprint),
                      packet.Party(peer.code, peer.name, key.fingerprint), key.box_public, private.sign.sign)


def listed(members: list[tuple[str, bytes, bool]]) -> list[dict[str, Any]]:
    return [{"path": n, "size": len(d), "sha256": packet.sha256(d)} for n, d, _ in members]


def inner_zip(members: list[tuple[str, bytes, bool]]) -> bytes:
    return container.write_zip(members)


def public_party(db: Database) -> tuple[packet.Party, bytes]:
    """Who ``db``'s owner is and the public key packets to it are encrypted with."""
    with db.uow() as session:
        profile = exchange_keys.profile_of(session)
        pair = exchange_keys.ensure_own_keys(session)
        return packet.Party(profile.code, profile.name, pair.fingerprint), pair.box_public


# ---- what the bureau holds of one office -----------------------------------------------------------------------

_LOCAL = {"id", "matter_id", "handler_id", "template_id", "supersedes_id", "created_at", "updated_at", "received_on"}
_KEEP_TIMES = {"matters"}  # a matter's created/updated times are the office's, carried in the packet


def office_state(db: Database, code: str) -> dict[str, list[str]]:
    """The matters, events, documents and obligations held for office ``code``, without local ids or the times
    this database received them: what two bureaus that got the same packets must agree on."""
    with db.engine.connect() as conn:
        matter_uuid = dict(conn.exec_driver_sql("SELECT id, uuid FROM matters").all())

        def rows(table: str, sql: str) -> list[str]:
            out = []
            for r in conn.exec_driver_sql(sql, (code,)).mappings():
                drop = _LOCAL - ({"created_at", "updated_at"} if table in _KEEP_TIMES else set())
                row = {k: v for k, v in r.items() if k not in drop}
                if "matter_id" in r:
                    row["matter"] = matter_uuid.get(r["matter_id"])
                out.append(repr(sorted(row.items())))
            return sorted(out)

        return {
            "matters": rows("matters", "SELECT * FROM matters WHERE office_code = ?"),
            "units": rows("units", "SELECT m.uuid, u.name FROM matter_units mu JOIN matters m ON m.id = mu.matter_id "
                                   "JOIN units u ON u.id = mu.unit_id WHERE m.office_code = ?"),
            "events": rows("events", "SELECT e.* FROM matter_events e JOIN matters m ON m.id = e.matter_id "
                                     "WHERE m.office_code = ?"),
            "documents": rows("documents", "SELECT * FROM documents WHERE office_code = ?"),
            "document_files": rows("document_files", "SELECT d.uuid, f.sha256 FROM document_files f "
                                                     "JOIN documents d ON d.id = f.document_id WHERE d.office_code = ?"),
            # the bytes themselves, whole, in the content store
            "pdfs": sorted(f"{sha}:{_whole(db, sha)}" for sha, in conn.exec_driver_sql(
                "SELECT f.sha256 FROM document_files f JOIN documents d ON d.id = f.document_id "
                "WHERE d.office_code = ?", (code,)).all()),
            "office_obligations": rows("office_obligations", "SELECT * FROM office_obligations WHERE office_code = ?"),
        }


def _whole(db: Database, sha: str) -> str | None:
    with db.uow() as session:
        return db.blobs.verify(session, sha)


# ---- a refusal leaves a history line, an audit entry and a quarantined copy, and nothing else -----------------

HISTORY_TABLES = ("packets_in", "audit_log")


def refuse(db: Database, name: str, data: bytes, reason: str = "", status: str = "rejected") -> ImportOutcome:
    """Import ``data`` expecting exactly one refusal whose reason contains ``reason``; check what it left behind."""
    before = table_digests(db, skip=HISTORY_TABLES)
    seen, actions, kept = history(db), audit_actions(db), quarantined(db)
    outcomes = deliver(db, name, data)
    assert [o.status.value for o in outcomes] == [status], [o.summary for o in outcomes]
    assert reason in outcomes[0].reason, outcomes[0].reason
    assert outcomes[0].exit_code == 2
    assert table_digests(db, skip=HISTORY_TABLES) == before
    added = history(db)[len(seen):]
    assert [s for _, _, s in added] == [status]
    assert audit_actions(db)[len(actions):] == [f"packet.{status}"]
    assert len(quarantined(db)) == len(kept) + 2  # the packet and its reason
    return outcomes[0]
