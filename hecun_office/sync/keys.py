"""S-6 key material: Ed25519 to sign, X25519 to receive encrypted payloads, from ``cryptography``.

Private keys never exist unencrypted on disk: they are stored as PKCS#8 encrypted with a random 256-bit
protection secret that lives in a file under the per-user data directory (``keys/<id>.secret``), not in the
database. A copied database, a backup on a USB stick or a packet therefore carries no usable private key. On
Windows that file holds the secret sealed by DPAPI for this Windows user (secret_store.py), so a copied data folder
carries none either; ``keys export-secret`` is how the secret moves to another PC, under a passphrase.

Enrolment files and rotation statements are small signed JSON documents; their signatures are checked here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from .. import paths
from ..domain.errors import EnvironmentProblem
from ..files import write_atomically
from . import secret_store
from .errors import KeyProblem

log = logging.getLogger(__name__)

ENROLMENT_FORMAT = "hecun-office-key"
ROTATION_FORMAT = "hecun-office-key-rotation"
MAX_KEY_FILE = 64 * 1024


def fingerprint(sign_public: bytes, box_public: bytes) -> str:
    return hashlib.sha256(b"hecun-office key v1\0" + sign_public + box_public).hexdigest()


def show_fingerprint(fpr: str) -> str:
    """What goes on the paper enrolment form: 128 bits in eight groups, read aloud over the phone."""
    head = fpr[:32].upper()
    return " ".join(head[i:i + 4] for i in range(0, 32, 4))


def normalise_fingerprint(text: str) -> str:
    return "".join(c for c in text.lower() if c in "0123456789abcdef")


def fingerprint_matches(fpr: str, typed: str) -> bool:
    """The clerk types what the paper form shows (at least the eight groups, spaces optional)."""
    typed = normalise_fingerprint(typed)
    return len(typed) >= 32 and fpr.startswith(typed)


def _raw(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class SealedKeys:
    """A generated key pair as stored: public halves plain, private halves encrypted."""

    fingerprint: str
    sign_public: bytes
    box_public: bytes
    sign_private: bytes
    box_private: bytes
    secret_id: str


@dataclass(frozen=True)
class PrivateKeys:
    fingerprint: str
    sign: Ed25519PrivateKey
    box: X25519PrivateKey


def _secret_path(secret_id: str) -> Path:
    return paths.data_dir() / "keys" / f"{secret_id}.secret"


def _write_secret(secret_id: str) -> bytes:
    secret = secrets.token_bytes(32)
    _store_secret(secret_id, secret)
    return secret


def _store_secret(secret_id: str, secret: bytes) -> None:
    """Written in the form of this OS's store (DPAPI-sealed on Windows, hex elsewhere), readable by this user only."""
    try:
        content = secret_store.active().seal(secret, secret_id)
    except secret_store.SealFailed as exc:
        raise EnvironmentProblem(f"Windows 数据保护（DPAPI）无法加密私钥保护文件（{exc}）。"
                                 "请确认以平时使用的 Windows 用户登录，重新登录后再试。") from None
    write_atomically(_secret_path(secret_id), content, mode=0o600)


def _read_secret(secret_id: str) -> bytes:
    """The plain secret. A plain file read where the store seals (a Windows PC that stored it before DPAPI, or a
    secret copied in by hand) is written again sealed at once: migration on read, so it does not wait for a write
    that may never come. Failing to rewrite it only leaves it as it was."""
    path = _secret_path(secret_id)
    store = secret_store.active()
    try:
        secret, reseal = store.open(path.read_bytes(), secret_id)
    except FileNotFoundError:
        raise EnvironmentProblem(
            f"本机找不到本机构私钥的保护文件（{path}），无法签名或解密数据包。"
            "在另一台电脑上用同一数据库的，请在原电脑“报送与同步 → 密钥与登记 → 更多… → 导出私钥保护文件”"
            "（keys export-secret）后在本机导入（keys import-secret）；如已丢失，请“重置密钥”（keys reset），"
            "把新的公钥文件和登记表交对方“重新登记”（--replace）。") from None
    except secret_store.SecretLocked as exc:
        where = ("它是在 Windows 电脑上由 Windows 数据保护加密的，只能在原电脑、原 Windows 用户下解开"
                 if exc.windows_only else
                 "它由另一台电脑或另一个 Windows 用户加密（复制过来的数据文件夹），当前用户无法解开")
        raise EnvironmentProblem(
            f"私钥保护文件（{path}）无法使用：{where}。请在原电脑“报送与同步 → 密钥与登记 → 更多… → 导出私钥保护文件”"
            "（keys export-secret）后在本机导入（keys import-secret）；原电脑已不可用的，请“重置密钥”（keys reset），"
            "把新的公钥文件和登记表交对方“重新登记”（--replace）。") from None
    except (OSError, secret_store.SecretDamaged):
        raise EnvironmentProblem(f"私钥保护文件（{path}）无法读取或已损坏。请从备份恢复该文件或重新登记新密钥。") from None
    if reseal:
        try:
            _store_secret(secret_id, secret)
        except (OSError, EnvironmentProblem) as exc:
            log.warning("the key protection secret %s stays unsealed: %s", secret_id, exc)
        else:
            log.info("the key protection secret %s is now sealed (%s)", secret_id, store.kind)
    return secret


def generate() -> SealedKeys:
    secret_id = str(uuid.uuid4())
    secret = _write_secret(secret_id)
    sign, box = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    protect = serialization.BestAvailableEncryption(secret)
    pkcs8 = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8
    sign_pub, box_pub = _raw(sign.public_key()), _raw(box.public_key())
    return SealedKeys(fingerprint(sign_pub, box_pub), sign_pub, box_pub,
                      sign.private_bytes(*pkcs8, protect), box.private_bytes(*pkcs8, protect), secret_id)


def unseal(fpr: str, sign_private: bytes, box_private: bytes, secret_id: str) -> PrivateKeys:
    secret = _read_secret(secret_id)
    try:
        sign = serialization.load_pem_private_key(sign_private, password=secret)
        box = serialization.load_pem_private_key(box_private, password=secret)
    except (ValueError, TypeError):
        raise EnvironmentProblem("私钥保护文件与数据库中的密钥不匹配，无法使用私钥。请恢复正确的保护文件或重新登记新密钥。") from None
    if not isinstance(sign, Ed25519PrivateKey) or not isinstance(box, X25519PrivateKey):
        raise EnvironmentProblem("数据库中的私钥类型不对，无法使用。")
    return PrivateKeys(fpr, sign, box)


def verify(sign_public: bytes, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(sign_public).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, what: str) -> bytes:
    if not isinstance(text, str):
        raise KeyProblem(f"密钥文件中的{what}缺失或格式不对。")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise KeyProblem(f"密钥文件中的{what}不是有效的 base64。") from None


# ---- enrolment files -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PublicIdentity:
    """What an enrolment file says: who, and their two public keys."""

    kind: str  # office | bureau
    code: str
    name: str
    sign_public: bytes
    box_public: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_public, self.box_public)


def enrolment_document(identity: PublicIdentity, private: PrivateKeys) -> bytes:
    body = {"format": ENROLMENT_FORMAT, "version": 1, "kind": identity.kind, "code": identity.code,
            "name": identity.name, "sign_public": b64(identity.sign_public), "box_public": b64(identity.box_public),
            "fingerprint": identity.fingerprint}
    signed = dict(body, signature=b64(private.sign.sign(canonical(body))))
    return json.dumps(signed, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _load_json(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_KEY_FILE:
        raise KeyProblem("密钥文件过大，不是本程序导出的公钥文件。")
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise KeyProblem("密钥文件不是本程序导出的公钥文件（无法读取 JSON）。") from None
    if not isinstance(obj, dict):
        raise KeyProblem("密钥文件内容格式不对。")
    return obj


def parse_enrolment(data: bytes) -> PublicIdentity:
    obj = _load_json(data)
    if obj.get("format") == ROTATION_FORMAT:
        raise KeyProblem("这是一份密钥更换声明，不是公钥登记文件。")
    if obj.get("format") != ENROLMENT_FORMAT or obj.get("version") != 1:
        raise KeyProblem("文件不是本程序导出的公钥登记文件（格式标识不符）。")
    kind, code, name = obj.get("kind"), obj.get("code"), obj.get("name")
    if kind not in ("office", "bureau") or not isinstance(code, str) or not isinstance(name, str) or not code:
        raise KeyProblem("公钥登记文件缺少机构类型、代码或名称。")
    identity = PublicIdentity(kind, code, name, unb64(obj.get("sign_public"), "签名公钥"),
                              unb64(obj.get("box_public"), "加密公钥"))
    if len(identity.sign_public) != 32 or len(identity.box_public) != 32:
        raise KeyProblem("公钥长度不对，文件可能被改动过。")
    if obj.get("fingerprint") != identity.fingerprint:
        raise KeyProblem("公钥登记文件中的指纹与公钥不符，文件可能被改动过。")
    body = {k: v for k, v in obj.items() if k != "signature"}
    if not verify(identity.sign_public, unb64(obj.get("signature"), "签名"), canonical(body)):
        raise KeyProblem("公钥登记文件的签名无效，文件可能被改动过。")
    return identity


# ---- rotation statements ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rotation:
    code: str
    old_fingerprint: str
    new_sign_public: bytes
    new_box_public: bytes
    from_seq: int  # the first packet signed with the new key
    body: bytes  # the signed bytes
    old_signature: bytes
    new_signature: bytes

    @property
    def new_fingerprint(self) -> str:
        return fingerprint(self.new_sign_public, self.new_box_public)


def rotation_document(code: str, old: PrivateKeys, new_sign_public: bytes, new_box_public: bytes,
                      new: PrivateKeys, from_seq: int) -> bytes:
    body = {"format": ROTATION_FORMAT, "version": 1, "code": code, "old_fingerprint": old.fingerprint,
            "new_sign_public": b64(new_sign_public), "new_box_public": b64(new_box_public),
            "new_fingerprint": fingerprint(new_sign_public, new_box_public), "from_seq": from_seq}
    data = canonical(body)
    doc = dict(body, old_signature=b64(old.sign.sign(data)), new_signature=b64(new.sign.sign(data)))
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def parse_rotation(data: bytes) -> Rotation:
    obj = _load_json(data)
    if obj.get("format") != ROTATION_FORMAT or obj.get("version") != 1:
        raise KeyProblem("文件不是本程序生成的密钥更换声明。")
    body = {k: v for k, v in obj.items() if k not in ("old_signature", "new_signature")}
    code, old_fpr, from_seq = obj.get("code"), obj.get("old_fingerprint"), obj.get("from_seq")
    if not isinstance(code, str) or not isinstance(old_fpr, str) or not isinstance(from_seq, int) or from_seq < 1:
        raise KeyProblem("密钥更换声明缺少机构代码、原密钥指纹或起始编号。")
    rotation = Rotation(code, old_fpr, unb64(obj.get("new_sign_public"), "新签名公钥"),
                        unb64(obj.get("new_box_public"), "新加密公钥"), from_seq, canonical(body),
                        unb64(obj.get("old_signature"), "原密钥签名"), unb64(obj.get("new_signature"), "新密钥签名"))
    if obj.get("new_fingerprint") != rotation.new_fingerprint:
        raise KeyProblem("密钥更换声明中的新指纹与新公钥不符，文件可能被改动过。")
    if not verify(rotation.new_sign_public, rotation.new_signature, rotation.body):
        raise KeyProblem("密钥更换声明的新密钥签名无效。")
    return rotation


# ---- carrying the protection secret to another PC (several bureau clerks on one PostgreSQL database) ----------

SECRET_FORMAT = "hecun-office-key-secret"
MIN_PASSPHRASE = 8
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1


def _wrapping_key(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    raw = Scrypt(salt=salt, length=32, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P).derive(passphrase.encode("utf-8"))
    return base64.urlsafe_b64encode(raw)


def has_secret(secret_id: str) -> bool:
    return _secret_path(secret_id).is_file()


def wrap_secrets(secret_ids: list[str], passphrase: str) -> bytes:
    """The protection secrets of these key pairs, encrypted (scrypt + Fernet) under a passphrase the
    administrator tells the other clerk by another way than the file."""
    from cryptography.fernet import Fernet

    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyProblem(f"口令至少 {MIN_PASSPHRASE} 位。")
    salt = secrets.token_bytes(16)
    payload = json.dumps({i: _read_secret(i).hex() for i in secret_ids}).encode("ascii")
    token = Fernet(_wrapping_key(passphrase, salt)).encrypt(payload)
    doc = {"format": SECRET_FORMAT, "version": 1, "salt": b64(salt), "token": token.decode("ascii")}
    return json.dumps(doc, indent=2).encode("ascii") + b"\n"


def unwrap_secrets(data: bytes, passphrase: str, wanted: set[str]) -> list[str]:
    """Write the secrets of ``wanted`` key pairs found in the file; returns their ids."""
    from cryptography.fernet import Fernet, InvalidToken

    obj = _load_json(data)
    if obj.get("format") != SECRET_FORMAT or obj.get("version") != 1 or not isinstance(obj.get("token"), str):
        raise KeyProblem("文件不是本程序导出的私钥保护文件。")
    try:
        payload = Fernet(_wrapping_key(passphrase, unb64(obj.get("salt"), "盐值"))).decrypt(obj["token"].encode("ascii"))
        found = json.loads(payload)
    except (InvalidToken, ValueError, UnicodeEncodeError):
        raise KeyProblem("口令不对，或文件已损坏。") from None
    if not isinstance(found, dict):
        raise KeyProblem("私钥保护文件内容格式不对。")
    written = []
    for secret_id, hex_secret in found.items():
        if secret_id in wanted and isinstance(hex_secret, str):
            _store_secret(secret_id, bytes.fromhex(hex_secret))
            written.append(secret_id)
    if not written:
        raise KeyProblem("这份私钥保护文件不属于本数据库的密钥。")
    return written
