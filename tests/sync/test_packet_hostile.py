"""S-1, S-3, S-6: hostile packets against a real bureau — altered, forged, misaddressed, replayed, out of order,
equivocating, or signed with keys the bureau does not know. Whatever is refused leaves nothing behind but a line
in the import history, an audit entry and a copy in quarantine (``pairs.refuse`` checks exactly that)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from hecun_office.cli import main
from hecun_office.services import exchange_keys, packet_import
from hecun_office.storage.uow import Database
from hecun_office.sync import container, packet
from hecun_office.sync import keys as keymat
from hecun_office.sync.errors import KeyProblem, PacketRejected

from .conftest import PairFiles
from .pairs import (
    HISTORY_TABLES,
    Sender,
    admin,
    copy_db,
    deliver,
    export,
    freeze,
    history,
    inner_zip,
    listed,
    move,
    office_state,
    peer_state,
    public_party,
    quarantined,
    refuse,
    register,
    sender_of,
    shared_home,
    sqlite,
    statuses,
    table_digests,
)
from .rawzip import Member, build

NOT_SIGNED = "签名无法用已登记的任何密钥验证"
EMPTY = [("records/matters.json", b"[]", True), ("records/events.json", b"[]", True)]

@pytest.fixture(autouse=True)
def _signed_in(cli_user) -> None:
    cli_user("admin", "secret1")  # writing commands act as a named account (hecun_office/cli_user.py)


@dataclass(frozen=True)
class Packets:
    """The office's packets #1..#3, and the other #2 and #3 it could have made (restored from a backup)."""

    p: dict[int, tuple[str, bytes]]
    p2x: tuple[str, bytes]
    p3x: tuple[str, bytes]


@pytest.fixture(scope="module")
def packets(pair_files: PairFiles, key_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Packets:
    folder = tmp_path_factory.mktemp("packets")
    with shared_home(key_home):
        path = copy_db(pair_files.office, folder / "office.sqlite3")
        db = sqlite(path)
        a = register(db, "占道经营处罚监督")
        p1 = export(db, folder / "1")
        freeze(db)
        after1 = copy_db(path, folder / "after1.sqlite3")
        b = register(db, "违法建设查处监督")
        move(db, a, "start_verification")
        p2 = export(db, folder / "2")
        freeze(db)
        after2 = copy_db(path, folder / "after2.sqlite3")
        move(db, b, "start_verification")
        p3 = export(db, folder / "3")
        freeze(db)
        other = sqlite(after1)
        register(other, "另一个版本的第二号数据包中的事项")
        p2x = export(other, folder / "2x")
        freeze(other)
        other = sqlite(after2)
        move(other, b, "close_no_issue", reason="经核查未发现问题")
        p3x = export(other, folder / "3x")
        freeze(other)
    return Packets({1: p1, 2: p2, 3: p3}, p2x, p3x)


def _open_all(db: Database) -> tuple[list[packet.VerifyKey], dict[str, X25519PrivateKey]]:
    with db.uow() as session:
        return exchange_keys.verify_keys(session), exchange_keys.own_box_keys(session)


# ---- every byte of a real packet matters -------------------------------------------------------------------------

def test_every_single_byte_flip_of_a_real_packet_is_rejected(bureau: Database, packets: Packets) -> None:
    """The checks an import makes before writing anything, at every offset with one bit and with every bit flipped."""
    name, data = packets.p[1]
    assert len(data) < 4608  # a small packet keeps this quick; since issue 12 it carries the office's units
    keys, boxes = _open_all(bureau)
    accepted, crashed = [], []
    for offset in range(len(data)):
        for mask in (0x01, 0xFF):
            mutated = bytearray(data)
            mutated[offset] ^= mask
            try:
                envelope = packet.open_envelope(bytes(mutated), keys, keymat.verify, "hecun")
                packet.open_payload(envelope, boxes)
            except PacketRejected:
                continue
            except Exception as exc:  # any other exception is the failure being looked for
                crashed.append((offset, mask, repr(exc)))
                continue
            accepted.append((offset, mask))
    assert not crashed
    assert not accepted
    envelope = packet.open_envelope(data, keys, keymat.verify, "hecun")  # the unaltered packet does open
    assert packet.open_payload(envelope, boxes).members


def test_byte_flips_fed_to_the_import_leave_only_history_and_quarantine(bureau: Database, packets: Packets) -> None:
    """Through the real import: spread over the file and at every zip structure (headers, directory, end record)."""
    name, data = packets.p[1]
    structure = [i for sig in (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06") for i in _find_all(data, sig)]
    offsets = sorted({*range(0, len(data), 29), *(i + k for i in structure for k in range(0, 30, 3)),
                      *range(len(data) - 22, len(data))} & set(range(len(data))))
    before = table_digests(bureau, skip=HISTORY_TABLES)
    seen, kept = len(history(bureau)), len(quarantined(bureau))
    for offset in offsets:
        mutated = bytearray(data)
        mutated[offset] ^= 0xFF
        outcomes = deliver(bureau, name, bytes(mutated))
        assert statuses(outcomes) == [(None, "rejected")], (offset, outcomes)
        assert outcomes[0].reason
    assert table_digests(bureau, skip=HISTORY_TABLES) == before
    added = history(bureau)[seen:]
    assert added == [(None, None, "rejected")] * len(offsets)
    assert len(quarantined(bureau)) == kept + 2 * len(offsets)
    assert statuses(deliver(bureau, name, data)) == [(1, "imported")]  # nothing was poisoned on the way


def _find_all(data: bytes, sig: bytes) -> list[int]:
    out, at = [], data.find(sig)
    while at >= 0:
        out.append(at)
        at = data.find(sig, at + 1)
    return out


def test_refused_packet_is_quarantined_with_its_reason(bureau: Database, packets: Packets) -> None:
    name, data = packets.p[1]
    outcome = refuse(bureau, name, data[:-1], "不是有效的 zip")
    copies = sorted(packet_import.quarantine_dir(bureau).iterdir())
    assert copies[0].read_bytes() == data[:-1]
    assert outcome.reason in copies[1].read_text(encoding="utf-8")
    with bureau.engine.connect() as conn:
        digest = conn.exec_driver_sql("SELECT file_sha256 FROM packets_in").scalar_one()
    assert digest == hashlib.sha256(data[:-1]).hexdigest()


# ---- the outer container, altered without the key ----------------------------------------------------------------

def _members(data: bytes) -> dict[str, bytes]:
    return container.read_zip(data)


@pytest.mark.parametrize("alteration", ["added", "removed", "reordered", "compressed", "payload-swapped",
                                        "signature-swapped", "manifest-swapped", "appended", "prepended",
                                        "commented"])
def test_outer_container_altered_without_re_signing_is_rejected(bureau: Database, packets: Packets,
                                                                alteration: str) -> None:
    name, data = packets.p[1]
    m = _members(data)
    other = _members(packets.p[2][1])
    order = [packet.MANIFEST, packet.SIGNATURE, packet.PAYLOAD]
    stored = [(n, m[n], False) for n in order]
    altered, reason = {
        "added": (stored + [("records.json", b"[]", False)], "文件数超过 3 个"),
        "removed": (stored[:2], "缺少"),
        "reordered": (stored[::-1], "结构被改动过"),
        "compressed": ([(n, d, True) for n, d, _ in stored], "结构被改动过"),
        "payload-swapped": (stored[:2] + [(packet.PAYLOAD, other[packet.PAYLOAD], False)], "内容与清单不符"),
        "signature-swapped": ([stored[0], (packet.SIGNATURE, other[packet.SIGNATURE], False), stored[2]], NOT_SIGNED),
        "manifest-swapped": ([(packet.MANIFEST, other[packet.MANIFEST], False), *stored[1:]], NOT_SIGNED),
    }.get(alteration, (None, "结构被改动过"))
    if altered is not None:
        forged = container.write_zip(altered)
    elif alteration == "appended":
        forged = data + b"\x00" * 16
    elif alteration == "prepended":
        forged = b"PK\x03\x04" + data
    else:
        forged = data[:-2] + b"\x04\x00" + b"evil"  # a zip comment after the end record
    refuse(bureau, name, forged, reason)


# ---- an enrolled but malicious sender: valid signature, hostile contents -----------------------------------------

def test_a_well_formed_packet_from_the_enrolled_key_is_accepted(bureau: Database, office: Database) -> None:
    """The baseline for the hostile variants below: the hand-sealed packet itself is fine."""
    assert statuses(deliver(bureau, "hecun-0001.hcpkt", sender_of(office).seal(EMPTY))) == [(1, "imported")]


def _hostile(case: str) -> tuple[bytes, list[dict[str, Any]]]:
    base = listed(EMPTY)
    bomb = b"\x00" * (4 * 1024 * 1024)
    cases: dict[str, tuple[bytes, list[dict[str, Any]]]] = {
        "inner-member-not-listed": (inner_zip([*EMPTY, ("files/extra.bin", b"x", False)]), base),
        "listed-member-missing": (inner_zip(EMPTY), base + listed([("files/ghost.pdf", b"%PDF", False)])),
        "traversal-in-inner-zip": (build([Member("records/matters.json", b"[]"), Member("../../evil.json", b"[]")]),
                                   base[:1] + [dict(base[1], path="../../evil.json")]),
        "traversal-in-inner-zip-only": (build([Member("records/matters.json", b"[]"),
                                               Member("records/../../x.json", b"[]")]), base),
        "traversal-in-manifest": (inner_zip(EMPTY), base + [dict(base[0], path="../evil.json")]),
        "absolute-path-in-manifest": (inner_zip(EMPTY), base + [dict(base[0], path="/etc/cron.d/x")]),
        "backslash-in-manifest": (inner_zip(EMPTY), [dict(base[0], path="records\\matters.json"), base[1]]),
        "duplicate-in-inner-zip": (build([Member("records/matters.json", b"[]"), Member("records/events.json", b"[]"),
                                          Member("records/EVENTS.json", b"[]")]), base),
        "duplicate-in-manifest": (inner_zip(EMPTY), base + [base[0]]),
        "size-mismatch": (inner_zip(EMPTY), [dict(base[0], size=3), base[1]]),
        "hash-mismatch": (inner_zip(EMPTY), [dict(base[0], sha256=hashlib.sha256(b"[{}]").hexdigest()), base[1]]),
        "symlink-in-inner-zip": (build([Member("records/matters.json", b"[]"),
                                        Member("records/events.json", b"/etc/passwd", external_attr=0o120777 << 16)]),
                                 [base[0], dict(base[1], size=11, sha256=hashlib.sha256(b"/etc/passwd").hexdigest())]),
        "bomb-in-inner-zip": (inner_zip([EMPTY[0], ("records/events.json", bomb, True)]),
                              [base[0], {"path": "records/events.json", "size": len(bomb),
                                         "sha256": hashlib.sha256(bomb).hexdigest()}]),
        "not-a-zip-inside": (b"just some bytes", base),
    }
    return cases[case]


HOSTILE = {"inner-member-not-listed": "清单未列出", "listed-member-missing": "缺少",
           "traversal-in-inner-zip": "上级目录", "traversal-in-inner-zip-only": "上级目录",
           "traversal-in-manifest": "上级目录", "absolute-path-in-manifest": "绝对路径",
           "backslash-in-manifest": "反斜杠", "duplicate-in-inner-zip": "重复", "duplicate-in-manifest": "清单中有重复",
           "size-mismatch": "与清单记录不符", "hash-mismatch": "与清单记录不符", "symlink-in-inner-zip": "符号链接",
           "bomb-in-inner-zip": "压缩炸弹", "not-a-zip-inside": "不是有效的 zip"}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_enrolled_sender_cannot_smuggle_members_past_the_signed_manifest(bureau: Database, office: Database,
                                                                        case: str) -> None:
    inner, members = _hostile(case)
    forged = sender_of(office).seal_raw(inner, members)
    outcome = refuse(bureau, "hecun-0001.hcpkt", forged, HOSTILE[case])
    assert (outcome.sender, outcome.seq) == ("hecun", 1)  # the signature was good: the sender is known
    assert peer_state(bureau, "hecun") == (0, "")


@pytest.mark.parametrize("patch", ["seq-zero", "seq-string", "seq-bool", "seq-huge", "prev-short", "no-members",
                                   "member-size-string", "sender-not-dict", "unknown-suite", "version-2",
                                   "kind-unknown", "payload-size-lies"])
def test_signed_but_malformed_manifest_is_rejected(bureau: Database, office: Database, patch: str) -> None:
    def mutate(m: dict[str, Any]) -> None:
        {"seq-zero": lambda: m.update(seq=0), "seq-string": lambda: m.update(seq="1"),
         "seq-bool": lambda: m.update(seq=True), "seq-huge": lambda: m.update(seq=10**12),
         "prev-short": lambda: m.update(prev="00"), "no-members": lambda: m.pop("members"),
         "member-size-string": lambda: m["members"][0].update(size="2"),
         "sender-not-dict": lambda: m.update(sender="hecun"),
         "unknown-suite": lambda: m["payload"].update(suite="ROT13"), "version-2": lambda: m.update(version=2),
         "kind-unknown": lambda: m.update(kind="report"),
         "payload-size-lies": lambda: m["payload"].update(size=m["payload"]["size"] + 1)}[patch]()

    forged = sender_of(office).seal_raw(inner_zip(EMPTY), listed(EMPTY), manifest_patch=mutate)
    refuse(bureau, "hecun-0001.hcpkt", forged)


# ---- addressed to someone else, or from someone the bureau does not know ----------------------------------------

def test_packet_sealed_for_another_bureau_is_rejected(bureau: Database, office: Database, pair_files: PairFiles,
                                                      tmp_path: Path) -> None:
    other = sqlite(copy_db(pair_files.other_bureau, tmp_path / "other.sqlite3"))
    party, box = public_party(other)
    other.dispose()
    forged = sender_of(office).seal(EMPTY, recipient=party, recipient_box=box)
    refuse(bureau, "hecun-0001.hcpkt", forged, "不是发给本机构的")


def test_packet_naming_us_but_encrypted_to_another_key_is_rejected(bureau: Database, office: Database,
                                                                   pair_files: PairFiles, tmp_path: Path) -> None:
    other = sqlite(copy_db(pair_files.other_bureau, tmp_path / "other.sqlite3"))
    _, box = public_party(other)
    other.dispose()
    refuse(bureau, "hecun-0001.hcpkt", sender_of(office).seal(EMPTY, recipient_box=box), "无法解密")


def test_packet_from_an_unenrolled_office_is_rejected(bureau: Database, pair_files: PairFiles,
                                                      tmp_path: Path) -> None:
    stranger = sqlite(copy_db(pair_files.stranger, tmp_path / "stranger.sqlite3"))
    register(stranger, "清湖的事项")
    name, data = export(stranger, tmp_path / "out")
    stranger.dispose()
    refuse(bureau, name, data, NOT_SIGNED)


def test_unenrolled_key_claiming_an_enrolled_office_is_rejected(bureau: Database, office: Database,
                                                                pair_files: PairFiles, tmp_path: Path) -> None:
    stranger = sqlite(copy_db(pair_files.stranger, tmp_path / "stranger.sqlite3"))
    impostor = sender_of(stranger)
    stranger.dispose()
    real = sender_of(office)
    forged = Sender(real.party, real.recipient, real.recipient_box, impostor.sign).seal(EMPTY)
    refuse(bureau, "hecun-0001.hcpkt", forged, NOT_SIGNED)


def test_return_packet_imported_at_the_bureau_is_refused(bureau: Database, office: Database) -> None:
    forged = sender_of(office).seal([("records/ack.json", b"{}", True)], kind="return")
    refuse(bureau, "hecun-0001.hcpkt", forged, "这是司法局发出的回执数据包，应在司法所端导入。")


def test_data_packet_imported_at_the_office_is_refused(bureau: Database, office: Database) -> None:
    forged = sender_of(bureau).seal(EMPTY, kind="data")
    refuse(office, "jiangshan-0001.hcpkt", forged, "这是司法所报送的数据包，应在司法局端导入。")


# ---- sequence: replay, gap, equivocation, rollback ---------------------------------------------------------------

def test_replayed_packet_is_a_duplicate_and_changes_nothing(bureau: Database, packets: Packets) -> None:
    assert statuses(deliver(bureau, *packets.p[1])) == [(1, "imported")]
    before = table_digests(bureau, skip=HISTORY_TABLES)
    kept = quarantined(bureau)
    for _ in range(2):
        outcomes = deliver(bureau, *packets.p[1])
        assert statuses(outcomes) == [(1, "duplicate")]
        assert outcomes[0].exit_code == 0
    assert table_digests(bureau, skip=HISTORY_TABLES) == before
    assert quarantined(bureau) == kept
    assert [s for _, _, s in history(bureau)] == ["imported", "duplicate", "duplicate"]


def test_an_old_packet_replayed_after_newer_ones_is_a_duplicate(bureau: Database, packets: Packets) -> None:
    for seq in (1, 2, 3):
        deliver(bureau, *packets.p[seq])
    before = table_digests(bureau, skip=HISTORY_TABLES)
    assert statuses(deliver(bureau, *packets.p[1])) == [(1, "duplicate")]
    assert table_digests(bureau, skip=HISTORY_TABLES) == before


def test_gap_parks_the_packet_until_the_missing_one_arrives(bureau: Database, packets: Packets,
                                                            pair_files: PairFiles, tmp_path: Path) -> None:
    assert statuses(deliver(bureau, *packets.p[1])) == [(1, "imported")]
    before = table_digests(bureau, skip=HISTORY_TABLES)
    parked = deliver(bureau, *packets.p[3])
    assert statuses(parked) == [(3, "parked")]
    assert parked[0].exit_code == 3 and "缺少第 2 号" in parked[0].reason
    assert table_digests(bureau, skip=HISTORY_TABLES) == before  # parked: kept aside, nothing applied
    assert statuses(deliver(bureau, *packets.p[3])) == [(3, "parked")]  # the same one again: still waiting
    assert statuses(deliver(bureau, *packets.p[2])) == [(2, "imported"), (3, "imported")]
    assert peer_state(bureau, "hecun")[0] == 3
    in_order = sqlite(copy_db(pair_files.bureau, tmp_path / "in-order" / "bureau.sqlite3"))
    for seq in (1, 2, 3):
        deliver(in_order, *packets.p[seq])
    assert office_state(bureau, "hecun") == office_state(in_order, "hecun")
    in_order.dispose()


def test_a_gap_at_the_start_parks_too(bureau: Database, packets: Packets) -> None:
    assert statuses(deliver(bureau, *packets.p[2])) == [(2, "parked")]
    assert statuses(deliver(bureau, *packets.p[1])) == [(1, "imported"), (2, "imported")]


def test_two_different_packets_with_the_same_seq_raise_an_alarm(bureau: Database, packets: Packets) -> None:
    deliver(bureau, *packets.p[1])
    assert statuses(deliver(bureau, *packets.p[2])) == [(2, "imported")]
    outcome = refuse(bureau, *packets.p2x, reason="内容不同", status="alarm")
    assert outcome.sender == "hecun" and outcome.seq == 2
    assert peer_state(bureau, "hecun")[0] == 2


def test_equivocation_is_caught_while_the_first_one_is_still_parked(bureau: Database, packets: Packets) -> None:
    deliver(bureau, *packets.p[1])
    assert statuses(deliver(bureau, *packets.p[3])) == [(3, "parked")]
    refuse(bureau, *packets.p3x, reason="已暂存的同号数据包内容不同", status="alarm")


def test_rollback_to_an_older_seq_with_other_content_raises_an_alarm(bureau: Database, packets: Packets) -> None:
    for seq in (1, 2, 3):
        assert deliver(bureau, *packets.p[seq])[0].status.value == "imported"
    refuse(bureau, *packets.p2x, reason="告警", status="alarm")
    assert peer_state(bureau, "hecun")[0] == 3


def test_a_packet_that_does_not_chain_to_the_last_one_raises_an_alarm(bureau: Database, packets: Packets) -> None:
    deliver(bureau, *packets.p[1])
    deliver(bureau, *packets.p2x)  # the other #2 came first: the real #3 chains to the real #2, not to this one
    refuse(bureau, *packets.p[3], reason="哈希链不符", status="alarm")


# ---- keys: rotation only with the old key's consent ----------------------------------------------------------------

def _raw(key: Any) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _fresh(fingerprint: str = "") -> keymat.PrivateKeys:
    return keymat.PrivateKeys(fingerprint, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())


@pytest.mark.parametrize("forgery", ["old-signature-by-a-fresh-key", "both-signatures-by-the-new-key",
                                     "old-signature-missing", "unknown-old-fingerprint"])
def test_rotation_statement_without_the_old_keys_signature_is_refused(bureau: Database, office: Database,
                                                                      packets: Packets, forgery: str) -> None:
    real = exchange_keys.own_key(office).fingerprint
    new = _fresh()
    fake_old = _fresh(real if forgery != "unknown-old-fingerprint" else "f" * 64)
    if forgery == "both-signatures-by-the-new-key":
        fake_old = keymat.PrivateKeys(real, new.sign, new.box)
    statement = keymat.rotation_document("hecun", fake_old, _raw(new.sign), _raw(new.box), new, from_seq=1)
    if forgery == "old-signature-missing":
        doc = json.loads(statement)
        del doc["old_signature"]
        statement = json.dumps(doc).encode()
    before = table_digests(bureau)
    with pytest.raises(KeyProblem):
        exchange_keys.add_peer(bureau, admin(bureau), statement, "")
    assert table_digests(bureau) == before
    assert statuses(deliver(bureau, *packets.p[1])) == [(1, "imported")]  # the real key still works


def test_packet_signed_by_a_new_key_the_bureau_never_accepted_is_rejected(bureau: Database, office: Database,
                                                                          tmp_path: Path) -> None:
    exchange_keys.rotate(office, admin(office))  # the statement never reaches the bureau
    name, data = export(office, tmp_path / "out")
    refuse(bureau, name, data, NOT_SIGNED)


def test_proper_rotation_moves_the_office_to_its_new_key_from_the_stated_seq(bureau: Database, office: Database,
                                                                             tmp_path: Path) -> None:
    register(office, "轮换前的事项一")
    p1 = export(office, tmp_path / "1")
    register(office, "轮换前的事项二")
    p2 = export(office, tmp_path / "2")
    freeze(office)
    before_rotation = sqlite(copy_db(office.file, tmp_path / "before-rotation.sqlite3"))  # type: ignore[arg-type]
    statement = exchange_keys.rotate(office, admin(office))
    assert keymat.parse_rotation(statement).from_seq == 3
    register(office, "轮换后的事项")
    p3 = export(office, tmp_path / "3")
    register(before_rotation, "轮换后的事项")
    p3_old_key = export(before_rotation, tmp_path / "3-old")  # #3 as the old key would have signed it
    before_rotation.dispose()

    peer = exchange_keys.add_peer(bureau, admin(bureau), statement, "")
    assert peer.keys == 2 and peer.fingerprint == exchange_keys.own_key(office).fingerprint
    assert statuses(deliver(bureau, *p1)) == [(1, "imported")]  # the old key still covers #1 and #2
    assert statuses(deliver(bureau, *p2)) == [(2, "imported")]
    refuse(bureau, *p3_old_key, reason="已更换的旧密钥")
    assert statuses(deliver(bureau, *p3)) == [(3, "imported")]


def test_the_same_rotation_statement_enrolled_twice_changes_nothing(bureau: Database, office: Database) -> None:
    statement = exchange_keys.rotate(office, admin(office))
    assert exchange_keys.add_peer(bureau, admin(bureau), statement, "").keys == 2
    before = table_digests(bureau)
    assert exchange_keys.add_peer(bureau, admin(bureau), statement, "").keys == 2
    assert table_digests(bureau) == before


# ---- the command line: exit status and the reason on stderr ------------------------------------------------------

def test_cli_exit_codes_parked_3_imported_and_duplicate_0_rejected_2(bureau: Database, packets: Packets,
                                                                      tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    files = {}
    for seq in (1, 2, 3):
        files[seq] = tmp_path / packets.p[seq][0]
        files[seq].write_bytes(packets.p[seq][1])
    flipped = bytearray(packets.p[1][1])
    flipped[len(flipped) // 2] ^= 0x10
    bad = tmp_path / "bad" / packets.p[1][0]
    bad.parent.mkdir()
    bad.write_bytes(bytes(flipped))
    cli = ["--db", str(bureau.file), "--today", "2026-03-02", "packet"]

    assert main([*cli, "import", str(files[3])]) == 3
    assert "缺少第 1 号数据包" in capsys.readouterr().err
    assert main([*cli, "verify", str(bad)]) == 2
    assert "拒收" in capsys.readouterr().err
    assert main([*cli, "import", str(bad)]) == 2
    err = capsys.readouterr().err
    # Where the middle byte lands varies with the packet's size: zip structure (损坏) or content (改动过).
    assert "拒收" in err and ("改动过" in err or "损坏" in err)
    assert main([*cli, "import", str(files[1])]) == 0
    assert "已导入" in capsys.readouterr().out
    assert main([*cli, "import", str(files[1])]) == 0
    assert "已导入过" in capsys.readouterr().out
    assert main([*cli, "import", str(files[2])]) == 0  # #2 closes the gap: #3 follows from the parked copy
    out = capsys.readouterr().out
    assert "第 2 号" in out and "第 3 号" in out
    assert peer_state(bureau, "hecun")[0] == 3


def test_an_attachment_record_naming_other_bytes_than_its_file_is_refused(bureau: Database, office: Database) -> None:
    """Issue 12: the bureau stores a packet's files under the hashes its signed manifest lists; an attachment record
    whose sha256 is not its member's would point the attachment at other bytes (another township's file, or none)."""
    scan = b"%PDF-1.4 scanned record" * 50
    other = hashlib.sha256(b"someone else's file").hexdigest()
    record = {"uuid": "7d1b7c1e-4a9e-4d9a-9d9e-2b1c3f4a5b6c", "matter_uuid": None, "document_uuid": None,
              "file_name": "现场检查笔录.pdf", "sha256": other, "size": len(scan),
              "file": f"files/{hashlib.sha256(scan).hexdigest()}.bin", "added_by": "王晓燕",
              "added_at": "2026-03-02T09:00:00"}
    members = EMPTY + [("records/attachments.json", json.dumps([record]).encode(), True),
                       (record["file"], scan, False)]
    refuse(bureau, "hecun-0001.hcpkt", sender_of(office).seal(members), "附件")
