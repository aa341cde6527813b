"""S-6 use cases: our key pair, enrolling township keys at the bureau, pinning the bureau key at a township,
and key rotation by a statement signed with the old and the new key; the files that carry them (enrolment file,
enrolment form, rotation statement, 私钥保护文件) are read and written here, so the GUI and the CLI only choose
where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import paths
from ..domain.errors import EnvironmentProblem, NotSetUp, ValidationError
from ..domain.permissions import Permission, require
from ..domain.vocab import Mode
from ..files import read_limited
from ..storage.models import KeyPair, OfficeProfile, Peer, PeerKey
from ..storage.uow import Database, begin_write
from ..sync import keys as keymat
from ..sync.errors import KeyProblem as KeyProblem  # re-exported for the UI
from ..sync.packet import VerifyKey
from . import audit
from .audit import Actor

MIN_PASSPHRASE = keymat.MIN_PASSPHRASE  # for the UI's own check, which does not reach into sync/
ROTATION_MARK = keymat.ROTATION_FORMAT.encode("ascii")  # near the top of every rotation statement
ROTATION_COPIES = "key-rotation"  # under the data directory: a copy of every statement we made


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def profile_of(session: Session) -> OfficeProfile:
    profile: OfficeProfile | None = session.scalar(select(OfficeProfile))
    if profile is None:
        raise NotSetUp("数据库尚未完成初始设置，请先运行“setup”或在程序中完成设置。")
    return profile


def ensure_own_keys(session: Session) -> KeyPair:
    """Each installation generates its key pair on first use (S-6); later calls return it."""
    active = session.scalar(select(KeyPair).where(KeyPair.status == "active").order_by(KeyPair.id.desc()))
    if active is not None:
        return active
    sealed = keymat.generate()
    pair = KeyPair(fingerprint=sealed.fingerprint, sign_public=sealed.sign_public, box_public=sealed.box_public,
                   sign_private=sealed.sign_private, box_private=sealed.box_private, secret_id=sealed.secret_id,
                   status="active", created_at=_now())
    session.add(pair)
    session.flush()
    audit.append(session, audit.SYSTEM, "keys.generate", "key", sealed.fingerprint[:16])
    return pair


def private_keys(pair: KeyPair) -> keymat.PrivateKeys:
    return keymat.unseal(pair.fingerprint, pair.sign_private, pair.box_private, pair.secret_id)


def own_box_keys(session: Session) -> dict[str, X25519PrivateKey]:
    """Every key pair we ever had, so that a packet sealed to a key we rotated away from still opens."""
    out = {}
    for pair in session.scalars(select(KeyPair)):
        try:
            out[pair.fingerprint] = private_keys(pair).box
        except Exception:  # a lost protection secret for an old key only loses that key
            if pair.status == "active":
                raise
    return out


@dataclass(frozen=True)
class OwnKey:
    mode: str
    code: str
    name: str
    fingerprint: str
    created_at: datetime

    @property
    def shown(self) -> str:
        return keymat.show_fingerprint(self.fingerprint)


def own_key(db: Database) -> OwnKey:
    with db.uow() as session:
        profile = profile_of(session)
        pair = ensure_own_keys(session)
        return OwnKey(profile.mode, profile.code, profile.name, pair.fingerprint, pair.created_at)


def export_public(db: Database) -> bytes:
    """The enrolment file handed (with the printed fingerprint) to the other side."""
    with db.uow() as session:
        profile = profile_of(session)
        pair = ensure_own_keys(session)
        identity = keymat.PublicIdentity(profile.mode, profile.code, profile.name, pair.sign_public, pair.box_public)
        return keymat.enrolment_document(identity, private_keys(pair))


@dataclass(frozen=True)
class PeerView:
    code: str
    name: str
    kind: str
    fingerprint: str
    enrolled_at: datetime
    in_seq: int
    out_seq: int
    acked_seq: int
    keys: int

    @property
    def shown(self) -> str:
        return keymat.show_fingerprint(self.fingerprint)


def _view(peer: Peer) -> PeerView:
    active = next((k for k in reversed(peer.keys) if k.status == "active"), None)
    return PeerView(peer.code, peer.name, peer.kind, active.fingerprint if active else "", peer.enrolled_at,
                    peer.in_seq, peer.out_seq, peer.acked_seq, len(peer.keys))


def list_peers(db: Database) -> list[PeerView]:
    with db.uow() as session:
        return [_view(p) for p in session.scalars(select(Peer).order_by(Peer.code))]


def verify_keys(session: Session) -> list[VerifyKey]:
    rows = session.execute(select(Peer.code, PeerKey).join(PeerKey, PeerKey.peer_id == Peer.id)
                           .where(Peer.active.is_(True))).all()
    return [VerifyKey(code, k.fingerprint, k.sign_public, None if k.status == "active" else k.last_seq)
            for code, k in rows]


def add_peer(db: Database, actor: Actor, data: bytes, typed_fingerprint: str, replace: bool = False) -> PeerView:
    """Enrol a township key (bureau) or pin the bureau key (office), or accept a rotation statement.

    ``replace`` re-enrols a peer whose old private key was lost (no rotation statement is possible then): only
    on the strength of the fingerprint confirmed out of band, like the first enrolment. The exchange state
    (sequence numbers, hash chain) carries on, so a peer that also lost its database is still caught."""
    require(actor.role, Permission.SETTINGS_MANAGE)
    with db.uow() as session:
        begin_write(session)
        profile = profile_of(session)
        if is_rotation(data):
            return _view(_apply_rotation(session, actor, keymat.parse_rotation(data)))
        identity = keymat.parse_enrolment(data)
        wanted = "office" if profile.mode == Mode.BUREAU.value else "bureau"
        if identity.kind != wanted:
            what = "司法所" if wanted == "office" else "司法局"
            raise KeyProblem(f"这是{'司法局' if identity.kind == 'bureau' else '司法所'}的公钥文件；本机构只能登记{what}的公钥。")
        if identity.code == profile.code:
            raise KeyProblem("这是本机构自己的公钥文件，不能登记为对方。")
        if not typed_fingerprint.strip():
            raise ValidationError("请按对方签字盖章的登记表逐组输入指纹（命令行用 --fingerprint）；"
                                  "本机只比对，不显示文件中的指纹。", "fingerprint")
        if not keymat.fingerprint_matches(identity.fingerprint, typed_fingerprint):
            # The file's fingerprint is never echoed: the check is the clerk typing it from the stamped paper form.
            raise ValidationError("输入的指纹与文件中的公钥不符。请对照对方签字盖章的登记表逐组核对后重新输入；"
                                  "仍不符时请打电话向对方核实，不要登记。", "fingerprint")
        existing_key = session.scalar(select(PeerKey).where(PeerKey.fingerprint == identity.fingerprint))
        peer = session.scalar(select(Peer).where(Peer.code == identity.code))
        if existing_key is not None:
            if peer is not None and existing_key.peer_id == peer.id:
                return _view(peer)  # the same file enrolled twice changes nothing
            raise KeyProblem("该公钥已登记在另一个机构名下。")
        if peer is not None and replace:
            for key in peer.keys:
                if key.status == "active":
                    key.status, key.last_seq = "retired", peer.in_seq
            peer.keys.append(PeerKey(fingerprint=identity.fingerprint, sign_public=identity.sign_public,
                                     box_public=identity.box_public, status="active", via="re-enrolment",
                                     added_at=_now(), added_by=actor.name))
            session.flush()
            audit.append(session, actor, "keys.reenrol", "peer", identity.code,
                         {"name": identity.name, "fingerprint": identity.fingerprint})
            return _view(peer)
        if peer is not None:
            raise KeyProblem(f"“{peer.name}”（{peer.code}）已经登记过另一把公钥。更换密钥请导入对方新旧密钥共同签署的更换声明；"
                             "对方旧密钥已丢失时，核对新指纹后选择“重新登记”（命令行加 --replace）。")
        if wanted == "bureau" and session.scalar(select(Peer.id).where(Peer.kind == "bureau")) is not None:
            raise KeyProblem("本所已经绑定了司法局的公钥。")
        peer = Peer(code=identity.code, name=identity.name, kind=identity.kind, active=True, enrolled_at=_now(),
                    enrolled_by=actor.name, in_seq=0, in_hash="", out_seq=0, out_hash="", acked_seq=0)
        peer.keys.append(PeerKey(fingerprint=identity.fingerprint, sign_public=identity.sign_public,
                                 box_public=identity.box_public, status="active", via="enrolment",
                                 added_at=_now(), added_by=actor.name))
        session.add(peer)
        session.flush()
        audit.append(session, actor, "keys.enrol" if wanted == "office" else "keys.pin", "peer", identity.code,
                     {"name": identity.name, "fingerprint": identity.fingerprint})
        return _view(peer)


def _apply_rotation(session: Session, actor: Actor, rotation: keymat.Rotation) -> Peer:
    peer = session.scalar(select(Peer).where(Peer.code == rotation.code))
    if peer is None:
        raise KeyProblem(f"机构代码“{rotation.code}”尚未登记，不能更换密钥；请先按登记流程登记。")
    old = next((k for k in peer.keys if k.fingerprint == rotation.old_fingerprint), None)
    if old is not None and not keymat.verify(old.sign_public, rotation.old_signature, rotation.body):
        raise KeyProblem("密钥更换声明没有用原密钥签名（或签名无效），不能据此更换密钥。")
    if old is not None and any(k.fingerprint == rotation.new_fingerprint for k in peer.keys):
        return peer  # the same statement again changes nothing
    if old is None or old.status != "active":
        raise KeyProblem("密钥更换声明中的原密钥不是该机构当前登记的密钥。")
    old.status, old.last_seq = "retired", rotation.from_seq - 1
    peer.keys.append(PeerKey(fingerprint=rotation.new_fingerprint, sign_public=rotation.new_sign_public,
                             box_public=rotation.new_box_public, status="active", via="rotation",
                             added_at=_now(), added_by=actor.name))
    session.flush()
    audit.append(session, actor, "keys.rotation_accepted", "peer", peer.code,
                 {"old": rotation.old_fingerprint, "new": rotation.new_fingerprint, "from_seq": rotation.from_seq})
    return peer


def reset_keys(db: Database, actor: Actor) -> OwnKey:
    """The private key is lost (protection secret gone): retire it and make a new pair to enrol again (S-6)."""
    require(actor.role, Permission.SETTINGS_MANAGE)
    with db.uow() as session:
        begin_write(session)
        profile = profile_of(session)
        for pair in session.scalars(select(KeyPair).where(KeyPair.status == "active")):
            pair.status, pair.retired_at = "retired", _now()
        session.flush()
        new = ensure_own_keys(session)
        audit.append(session, actor, "keys.reset", "key", new.fingerprint[:16], {"new": new.fingerprint})
        return OwnKey(profile.mode, profile.code, profile.name, new.fingerprint, new.created_at)


def rotate(db: Database, actor: Actor) -> bytes:
    """Make a new key pair and the statement, signed by both keys, that the other side accepts (S-6).

    Packets from the next sequence number on are signed with the new key; packets already made keep theirs."""
    require(actor.role, Permission.SETTINGS_MANAGE)
    with db.uow() as session:
        begin_write(session)
        profile = profile_of(session)
        old = ensure_own_keys(session)
        old_private = private_keys(old)
        next_seq = 1 + max([p.out_seq for p in session.scalars(select(Peer))] or [0])
        old.status, old.retired_at = "retired", _now()
        session.flush()
        new = ensure_own_keys(session)
        statement = keymat.rotation_document(profile.code, old_private, new.sign_public, new.box_public,
                                             private_keys(new), next_seq)
        audit.append(session, actor, "keys.rotate", "key", new.fingerprint[:16],
                     {"old": old.fingerprint, "new": new.fingerprint, "from_seq": next_seq})
        return statement


def export_key_secret(db: Database, actor: Actor, passphrase: str) -> bytes:
    """For a second bureau PC on the same PostgreSQL database: this PC's protection secrets, under a passphrase."""
    require(actor.role, Permission.SETTINGS_MANAGE)
    with db.uow() as session:
        ensure_own_keys(session)
        pairs = [(p.secret_id, p.status) for p in session.scalars(select(KeyPair))]
    # Retired keys whose secret is gone here are simply left out; the active one must be present.
    usable = [i for i, status in pairs if status == "active" or keymat.has_secret(i)]
    data = keymat.wrap_secrets(usable, passphrase)
    with db.uow() as session:
        audit.append(session, actor, "keys.export_secret", "key", "*", {"keys": len(usable)})
    return data


def import_key_secret(db: Database, actor: Actor, data: bytes, passphrase: str) -> int:
    require(actor.role, Permission.SETTINGS_MANAGE)
    with db.uow() as session:
        wanted = set(session.scalars(select(KeyPair.secret_id)))
    written = keymat.unwrap_secrets(data, passphrase, wanted)
    with db.uow() as session:
        audit.append(session, actor, "keys.import_secret", "key", "*", {"keys": len(written)})
    return len(written)


# ---- the files that carry keys --------------------------------------------------------------------------------

def is_rotation(data: bytes) -> bool:
    """A rotation statement rather than an enrolment file (both are JSON; the format names itself first)."""
    return ROTATION_MARK in data[:4096]


@dataclass(frozen=True)
class KeyFile:
    """What an enrolment file or rotation statement says, shown before anything is enrolled."""

    data: bytes
    rotation: bool
    kind: str  # office | bureau; "" for a rotation statement (it names only the code)
    code: str
    name: str
    shown: str  # the fingerprint as on the form (the new key's, for a rotation statement)
    from_seq: int = 0  # rotation: the first packet signed with the new key


def read_key_file(path: Path) -> KeyFile:
    """Read and check an enrolment file or rotation statement with the parsers ``add_peer`` uses; ``add_peer``
    checks everything again when the clerk confirms. Raises KeyProblem (not a key file, altered),
    ValidationError (far too large) or EnvironmentProblem (cannot be read)."""
    data = read_limited(path, keymat.MAX_KEY_FILE)
    if is_rotation(data):
        rotation = keymat.parse_rotation(data)
        return KeyFile(data, True, "", rotation.code, "", keymat.show_fingerprint(rotation.new_fingerprint),
                       rotation.from_seq)
    identity = keymat.parse_enrolment(data)
    return KeyFile(data, False, identity.kind, identity.code, identity.name,
                   keymat.show_fingerprint(identity.fingerprint))


def _save(path: Path, data: bytes) -> Path:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise EnvironmentProblem(f"无法写入“{path}”（{exc.strerror or exc}）。请检查U盘或换一个位置后重试。") from None
    return path


def save_public_key(db: Database, path: Path) -> Path:
    """The enrolment file at ``path`` (handed over with the signed and stamped form)."""
    return _save(path, export_public(db))


def save_enrolment_form(db: Database, path: Path, today: date) -> Path:
    """The one-page 公钥登记表 as PDF at ``path`` (fonts load on first use, a fraction of a second)."""
    from ..documents.enrolment_form import EnrolmentDetails, enrolment_form_pdf  # reportlab only when asked

    key = own_key(db)
    details = EnrolmentDetails(key.mode, key.name, key.code, key.shown, key.created_at.date())
    return _save(path, enrolment_form_pdf(details, today))


@dataclass(frozen=True)
class Rotated:
    """A rotation done. The statement reached ``path``, or only ``copy`` when ``problem`` says why not."""

    shown: str  # the new fingerprint, as on the form
    path: Path | None
    copy: Path | None
    problem: str = ""


def rotate_to_file(db: Database, actor: Actor, path: Path) -> Rotated:
    """Rotate our key and write the statement to ``path``, keeping a copy in the data directory first: once
    rotated there is no way back, and losing the statement would cut the other side off."""
    statement = rotate(db, actor)
    copy = _keep_copy(path.name, statement)
    shown = own_key(db).shown
    try:
        return Rotated(shown, _save(path, statement), copy)
    except EnvironmentProblem as exc:
        return Rotated(shown, None, copy, exc.message)


def _keep_copy(name: str, statement: bytes) -> Path | None:
    try:
        folder = paths.data_dir() / ROTATION_COPIES
        folder.mkdir(parents=True, exist_ok=True)
        copy = folder / f"{datetime.now():%Y%m%d-%H%M%S}-{name}"
        copy.write_bytes(statement)
        return copy
    except OSError:
        return None


def save_key_secret(db: Database, actor: Actor, passphrase: str, path: Path) -> Path:
    """The 私钥保护文件 at ``path``, for a second PC on the same database."""
    return _save(path, export_key_secret(db, actor, passphrase))


def import_key_secret_file(db: Database, actor: Actor, path: Path, passphrase: str) -> int:
    """Read a 私钥保护文件 and store the protection secrets it holds for our keys; returns how many."""
    return import_key_secret(db, actor, read_limited(path, keymat.MAX_KEY_FILE), passphrase)
