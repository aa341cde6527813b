"""S-1 packet format: sealing (sign + encrypt) and opening (verify before parsing, then decrypt).

    <code>-<seq>.hcpkt   a zip written canonically (fixed order, timestamps, attributes; stored):
      manifest.json      canonical UTF-8 JSON: format, kind, sender, recipient, seq, prev (hash chain), created,
                         period, counts, the payload's size and SHA-256, and every inner member's path/size/SHA-256
      manifest.sig       Ed25519 signature over the exact bytes of manifest.json
      payload.bin        HPKE (RFC 9180: X25519, HKDF-SHA256, AES-256-GCM) to the recipient's public key of an
                         inner zip holding records/*.json and files/<sha256>

The outer file must be byte-identical to the canonical container of its three members, so that a change to
any byte of the file — even in zip fields that carry no content — is detected. Member names are generated
ASCII; Chinese file names travel inside the signed, encrypted JSON.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

from . import container
from .errors import PacketRejected
from .keys import canonical

FORMAT = "hecun-office-packet"
VERSION = 1
SUITE_NAME = "HPKE-X25519-HKDF-SHA256-AES-256-GCM"
_SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)
GENESIS = "0" * 64
MANIFEST, SIGNATURE, PAYLOAD = "manifest.json", "manifest.sig", "payload.bin"
MAX_MANIFEST = 32 * 1024 * 1024
MAX_PACKET = 2 * 1024 * 1024 * 1024
KINDS = ("data", "return")


def sha256(data: bytes | memoryview) -> str:
    return hashlib.sha256(data).hexdigest()


def file_name(sender_code: str, seq: int) -> str:
    return f"{sender_code}-{seq:04d}.hcpkt"


def _info(sender: str, recipient: str, seq: int) -> bytes:
    return f"{FORMAT}/{VERSION} {sender}->{recipient} #{seq}".encode("ascii")


@dataclass(frozen=True)
class Party:
    code: str
    name: str
    fingerprint: str

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "fingerprint": self.fingerprint}


@dataclass(frozen=True)
class Sealed:
    data: bytes
    manifest: dict[str, Any]
    manifest_sha256: str
    manifest_bytes: bytes = b""
    signature: bytes = b""


Member = tuple[str, "bytes | memoryview | Callable[[], bytes]", bool]  # (name, bytes or their source, compress)


def seal(*, kind: str, sender: Party, recipient: Party, recipient_box: bytes, seq: int, prev: str, created: str,
         period: dict[str, str], counts: dict[str, int], members: Iterable[Member],
         sign: Callable[[bytes], bytes], out: IO[bytes] | None = None,
         audit: dict[str, Any] | None = None) -> Sealed:
    """Build a packet from inner members (name, bytes or a function giving them, compress).

    Issue 12 item 7: a member given as a function is read only when its turn comes and dropped once written, and
    with ``out`` (a seekable file) the packet is written there instead of returned; what is held at once is the
    inner zip and its ciphertext (HPKE seals the payload in one piece), not every PDF twice over as well."""
    listed: list[dict[str, Any]] = []

    def produced() -> Iterable[tuple[str, bytes | memoryview, bool]]:
        for name, source, compress in members:
            data = source() if callable(source) else source
            listed.append({"path": name, "size": len(data), "sha256": sha256(data)})
            yield name, data, compress

    inner = io.BytesIO()
    container.write_zip_to(inner, produced())
    with inner.getbuffer() as view:
        payload = _SUITE.encrypt(view, X25519PublicKey.from_public_bytes(recipient_box),
                                 info=_info(sender.code, recipient.code, seq))
    inner.close()  # the plaintext goes before the packet is written
    manifest = {
        "format": FORMAT, "version": VERSION, "kind": kind,
        "sender": sender.as_json(), "recipient": recipient.as_json(),
        "seq": seq, "prev": prev, "created": created, "period": period, "counts": counts,
        "payload": {"path": PAYLOAD, "size": len(payload), "sha256": sha256(payload), "suite": SUITE_NAME},
        "members": listed,
    }
    if audit is not None:  # issue 15 item 8: the sender's audit chain head (services/audit_heads.py)
        manifest["audit"] = audit
    manifest_bytes = canonical(manifest)
    signature = sign(manifest_bytes)
    if out is None:
        data = _outer(manifest_bytes, signature, payload)
    else:
        container.write_zip_to(out, _outer_members(manifest_bytes, signature, payload))
        data = b""
    return Sealed(data, manifest, sha256(manifest_bytes), manifest_bytes, signature)


def _outer_members(manifest_bytes: bytes, signature: bytes,
                   payload: bytes | memoryview) -> list[tuple[str, bytes | memoryview, bool]]:
    return [(MANIFEST, manifest_bytes, False), (SIGNATURE, signature, False), (PAYLOAD, payload, False)]


def _outer(manifest_bytes: bytes, signature: bytes, payload: bytes | memoryview) -> bytes:
    return container.write_zip(_outer_members(manifest_bytes, signature, payload))


@dataclass
class Envelope:
    """A packet whose signature has been verified and whose manifest has been read; not yet decrypted."""

    data: bytes
    manifest_bytes: bytes
    manifest: dict[str, Any]
    signer_fingerprint: str
    payload: bytes | memoryview

    @property
    def manifest_sha256(self) -> str:
        return sha256(self.manifest_bytes)

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    @property
    def seq(self) -> int:
        return int(self.manifest["seq"])

    @property
    def prev(self) -> str:
        return str(self.manifest["prev"])

    @property
    def sender(self) -> dict[str, str]:
        return dict(self.manifest["sender"])

    @property
    def recipient(self) -> dict[str, str]:
        return dict(self.manifest["recipient"])


@dataclass(frozen=True)
class VerifyKey:
    """A public key a packet may be signed with, and whose it is."""

    peer_code: str
    fingerprint: str
    sign_public: bytes
    last_seq: int | None = None  # a retired key signs only packets up to here


def open_envelope(data: bytes, keys: Iterable[VerifyKey], verify: Callable[[bytes, bytes, bytes], bool],
                  hint: str | None = None) -> Envelope:
    """Check the container and the signature BEFORE the manifest is parsed (S-3)."""
    if len(data) > MAX_PACKET:
        raise PacketRejected("数据包文件过大，不是本程序生成的数据包。")
    if not data.startswith(b"PK\x03\x04"):
        raise PacketRejected("文件不是数据包（.hcpkt）：格式不对。")
    # Views, not copies: the byte-for-byte comparison with the canonical container below checks every byte.
    members = container.read_zip(data, expected={MANIFEST, SIGNATURE, PAYLOAD},
                                 limits=container.Limits(max_members=3, max_member_bytes=MAX_PACKET),
                                 hashed_elsewhere=True)
    manifest_bytes, signature, payload = bytes(members[MANIFEST]), bytes(members[SIGNATURE]), members[PAYLOAD]
    if not container.same_as_written(data, _outer_members(manifest_bytes, signature, payload)):
        raise PacketRejected("数据包文件的结构被改动过（与原样不符）。")
    if len(manifest_bytes) > MAX_MANIFEST or len(signature) != 64:
        raise PacketRejected("数据包的清单或签名格式不对。")
    candidates = sorted(keys, key=lambda k: k.peer_code != hint)  # the file name's sender first; all are tried
    signer = next((k for k in candidates if verify(k.sign_public, signature, manifest_bytes)), None)
    if signer is None:
        raise PacketRejected("数据包的签名无法用已登记的任何密钥验证：发送方未登记、已更换密钥而未登记新密钥，"
                             "或数据包在传递中被改动过。")
    manifest = _parse_manifest(manifest_bytes)
    if manifest["sender"]["code"] != signer.peer_code:
        raise PacketRejected("数据包声称的发送方与签名密钥的所有者不一致。")
    if signer.last_seq is not None and manifest["seq"] > signer.last_seq:
        raise PacketRejected(f"数据包用已更换的旧密钥签名（第 {manifest['seq']} 号），"
                             f"旧密钥只对第 {signer.last_seq} 号及以前的数据包有效。")
    if manifest["payload"]["size"] != len(payload) or manifest["payload"]["sha256"] != sha256(payload):
        raise PacketRejected("数据包的内容与清单不符，数据包被改动过。")
    return Envelope(data, manifest_bytes, manifest, signer.fingerprint, payload)


def _parse_manifest(manifest_bytes: bytes) -> dict[str, Any]:
    """Signed does not mean well-formed: check every field's type before anything uses it."""
    bad = PacketRejected("数据包清单格式不对（可能由不兼容的版本生成）。")
    try:
        m = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: "[[[[...": nested too deep
        raise bad from None
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise bad
    if m.get("version") != VERSION:
        raise PacketRejected(f"数据包格式版本为 {m.get('version')!r}，本程序只支持版本 {VERSION}，请升级程序。")
    checks = [
        m.get("kind") in KINDS,
        all(isinstance(m.get(p), dict) and all(isinstance(m[p].get(k), str) for k in ("code", "name", "fingerprint"))
            for p in ("sender", "recipient")),
        isinstance(m.get("seq"), int) and not isinstance(m.get("seq"), bool) and 1 <= m["seq"] < 10**9,
        isinstance(m.get("prev"), str) and len(m["prev"]) == 64,
        isinstance(m.get("created"), str), isinstance(m.get("period"), dict), isinstance(m.get("counts"), dict),
        isinstance(m.get("payload"), dict) and isinstance(m["payload"].get("size"), int)
        and isinstance(m["payload"].get("sha256"), str) and m["payload"].get("suite") == SUITE_NAME,
        isinstance(m.get("members"), list) and all(
            isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("size"), int)
            and isinstance(e.get("sha256"), str) for e in m["members"]),
    ]
    if not all(checks):
        raise bad
    return m


@dataclass
class Opened:
    envelope: Envelope
    members: dict[str, container.Member] = field(default_factory=dict)

    def json(self, name: str) -> Any:
        if name not in self.members:
            return []
        try:
            return json.loads(bytes(self.members[name]).decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise PacketRejected(f"数据包中的 {name} 不是有效的 JSON。") from None


def open_payload(envelope: Envelope, own_fingerprints: dict[str, X25519PrivateKey]) -> Opened:
    """Decrypt with our key the packet names as recipient, then check every inner member against the manifest."""
    recipient = envelope.recipient
    key = own_fingerprints.get(recipient["fingerprint"])
    if key is None:
        raise PacketRejected(f"此数据包是发给“{recipient['name']}”（{recipient['code']}）的，不是发给本机构的，"
                             "或本机构已更换密钥。")
    try:
        inner = _SUITE.decrypt(envelope.payload, key,
                               info=_info(envelope.sender["code"], recipient["code"], envelope.seq))
    except Exception:  # cryptography raises InvalidTag or ValueError variants
        raise PacketRejected("数据包无法解密：内容被改动过，或不是用本机构的公钥加密的。") from None
    listed = {e["path"]: e for e in envelope.manifest["members"]}
    if len(listed) != len(envelope.manifest["members"]):
        raise PacketRejected("数据包清单中有重复的文件。")
    for name in listed:
        container.check_name(name)
    # Every member is checked against the signed manifest's SHA-256 just below, so stored ones come as views.
    members = container.read_zip(inner, expected=set(listed), hashed_elsewhere=True)
    for name, content in members.items():
        entry = listed[name]
        if entry["size"] != len(content) or entry["sha256"] != sha256(content):
            raise PacketRejected(f"数据包中的“{name}”与清单记录不符。")
    return Opened(envelope, members)
