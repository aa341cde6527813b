"""Keys at rest (issue 13): the protection secret sealed by Windows DPAPI for the Windows user, a 0600 file elsewhere.

On Linux DPAPI is a fake bound to a "user": a reversible transform (Fernet under a key derived from the user and
the entropy) that another user cannot undo, raising what the real unprotect raises. Every test here has its own
data directory: the sync tests' shared home (conftest.py) must keep its plain secrets."""

from __future__ import annotations

import base64
import hashlib
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select

from hecun_office import paths
from hecun_office.domain.errors import EnvironmentProblem
from hecun_office.services import check, exchange_keys
from hecun_office.services.audit import Actor
from hecun_office.storage.models import KeyPair
from hecun_office.storage.uow import Database
from hecun_office.sync import keys, secret_store
from hecun_office.sync.secret_store import DPAPI_WORDING, FILE_WORDING, NO_DPAPI_WORDING


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Overrides tests/sync/conftest.py: this test's own data directory (the `db` fixture copies its secret here)."""
    monkeypatch.setenv("HECUN_OFFICE_HOME", str(tmp_path / "home"))


class FakeDpapi:
    """CryptProtectData/CryptUnprotectData of one Windows user on one PC: ``user`` is who is logged in now."""

    def __init__(self, user: str) -> None:
        self.user = user

    def _fernet(self, entropy: bytes) -> Fernet:
        key = hashlib.sha256(b"fake dpapi\0" + self.user.encode() + b"\0" + entropy).digest()
        return Fernet(base64.urlsafe_b64encode(key))

    def protect(self, data: bytes, entropy: bytes) -> bytes:
        return self._fernet(entropy).encrypt(data)

    def unprotect(self, blob: bytes, entropy: bytes) -> bytes:
        try:
            return self._fernet(entropy).decrypt(blob)
        except InvalidToken:
            raise secret_store.SecretLocked from None


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDpapi]:
    """This process runs "on Windows" as the user 王晓燕, with pywin32 installed."""
    fake = FakeDpapi("王晓燕")
    monkeypatch.setattr(secret_store, "_on_windows", lambda: True)
    monkeypatch.setattr(secret_store, "_has_win32crypt", lambda: True)
    monkeypatch.setattr(secret_store, "_dpapi_protect", fake.protect)
    monkeypatch.setattr(secret_store, "_dpapi_unprotect", fake.unprotect)
    assert isinstance(secret_store.active(), secret_store.DpapiStore)
    yield fake


def _secret_files() -> list[Path]:
    return sorted((paths.data_dir() / "keys").glob("*.secret"))


def _active_pair(db: Database) -> KeyPair:
    with db.uow() as session:
        pair = session.scalar(select(KeyPair).where(KeyPair.status == "active"))
        assert pair is not None
        session.expunge(pair)
        return pair


def _keys_check(db: Database) -> check.CheckResult:
    return check._keys(db)


def test_off_windows_the_secret_is_a_file_only_this_user_reads(db: Database) -> None:
    assert isinstance(secret_store.active(), secret_store.FileStore)
    sealed = keys.generate()
    path = paths.data_dir() / "keys" / f"{sealed.secret_id}.secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secret = keys._read_secret(sealed.secret_id)
    assert path.read_text(encoding="ascii") == secret.hex()  # unchanged form: nothing to migrate
    assert keys.unseal(sealed.fingerprint, sealed.sign_private, sealed.box_private, sealed.secret_id)
    result = _keys_check(db)
    assert result.ok and result.detail.endswith("；" + FILE_WORDING), result.detail


def test_on_windows_the_file_holds_only_what_dpapi_sealed_for_this_user(windows: FakeDpapi) -> None:
    sealed = keys.generate()
    path = paths.data_dir() / "keys" / f"{sealed.secret_id}.secret"
    stored = path.read_bytes()
    assert stored.startswith(b"dpapi:")
    secret = keys._read_secret(sealed.secret_id)
    assert len(secret) == 32 and secret not in stored and secret.hex().encode() not in stored.lower()
    assert secret not in base64.b64decode(stored[len(b"dpapi:"):])
    private = keys.unseal(sealed.fingerprint, sealed.sign_private, sealed.box_private, sealed.secret_id)
    assert private.fingerprint == sealed.fingerprint
    assert path.read_bytes() == stored  # a sealed file is not written again on read

    windows.user = "李明"  # the data folder copied to another user's profile (or another PC)
    with pytest.raises(EnvironmentProblem, match="另一台电脑或另一个 Windows 用户.*keys export-secret"):
        keys.unseal(sealed.fingerprint, sealed.sign_private, sealed.box_private, sealed.secret_id)
    assert path.read_bytes() == stored  # and nothing was overwritten by the failed attempt


def test_a_sealed_file_read_off_windows_or_damaged_says_so(windows: FakeDpapi,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    sealed = keys.generate()
    path = paths.data_dir() / "keys" / f"{sealed.secret_id}.secret"
    with monkeypatch.context() as linux:
        linux.setattr(secret_store, "_on_windows", lambda: False)
        with pytest.raises(EnvironmentProblem, match="只能在原电脑、原 Windows 用户下解开"):
            keys._read_secret(sealed.secret_id)
    other = keys.generate()  # the same user's blob of another key pair does not open under this id
    (paths.data_dir() / "keys" / f"{other.secret_id}.secret").write_bytes(path.read_bytes())
    with pytest.raises(EnvironmentProblem, match="当前用户无法解开"):
        keys._read_secret(other.secret_id)
    path.write_bytes(b"dpapi:not base64!")
    with pytest.raises(EnvironmentProblem, match="无法读取或已损坏"):
        keys._read_secret(sealed.secret_id)


def test_a_plain_secret_of_before_is_read_and_sealed_at_once(db: Database, windows: FakeDpapi) -> None:
    [path] = _secret_files()  # the template's secret, written by the file store
    plain = path.read_bytes()
    assert not plain.startswith(b"dpapi:")
    pair = _active_pair(db)

    assert exchange_keys.private_keys(pair).fingerprint == pair.fingerprint  # the legacy form still opens
    stored = path.read_bytes()
    assert stored.startswith(b"dpapi:") and plain not in stored  # ...and is now sealed (migration on read)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys._read_secret(pair.secret_id) == bytes.fromhex(plain.decode())
    assert exchange_keys.export_public(db)  # still signs

    windows.user = "李明"
    with pytest.raises(EnvironmentProblem, match="当前用户无法解开"):
        exchange_keys.private_keys(pair)


def test_a_plain_secret_that_cannot_be_rewritten_is_still_used(db: Database, windows: FakeDpapi,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    [path] = _secret_files()
    plain = path.read_bytes()

    def refuse(data: bytes, entropy: bytes) -> bytes:
        raise secret_store.SealFailed("profile not loaded")

    monkeypatch.setattr(secret_store, "_dpapi_protect", refuse)
    assert exchange_keys.private_keys(_active_pair(db))
    assert path.read_bytes() == plain


def test_export_secret_and_import_secret_move_the_secret_to_another_windows_pc(
        db: Database, admin: Actor, windows: FakeDpapi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pair = _active_pair(db)
    exported = exchange_keys.save_key_secret(db, admin, "贺村2026口令", tmp_path / "贺村.hcsecret")
    secret = keys._read_secret(pair.secret_id)
    assert secret.hex().encode() not in exported.read_bytes()  # the passphrase still protects the exported file
    first_pc = paths.data_dir()

    monkeypatch.setenv("HECUN_OFFICE_HOME", str(tmp_path / "second-pc"))
    windows.user = "李明"  # the new PC's clerk
    with pytest.raises(EnvironmentProblem, match="找不到本机构私钥的保护文件"):
        exchange_keys.export_public(db)
    assert exchange_keys.import_key_secret_file(db, admin, exported, "贺村2026口令") == 1
    [path] = _secret_files()
    assert path.read_bytes().startswith(b"dpapi:") and secret not in path.read_bytes()
    assert keys._read_secret(pair.secret_id) == secret
    assert exchange_keys.export_public(db)  # signs on the second PC

    # Copying the first PC's data folder instead does not work: its seal is the first user's.
    for sealed in (first_pc / "keys").glob("*.secret"):
        path.write_bytes(sealed.read_bytes())
    with pytest.raises(EnvironmentProblem, match="另一台电脑或另一个 Windows 用户"):
        exchange_keys.export_public(db)


def test_check_says_which_store_protects_the_secret(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    on_linux = _keys_check(db)
    assert on_linux.ok and on_linux.detail.endswith(FILE_WORDING)

    fake = FakeDpapi("王晓燕")
    monkeypatch.setattr(secret_store, "_on_windows", lambda: True)
    monkeypatch.setattr(secret_store, "_has_win32crypt", lambda: True)
    monkeypatch.setattr(secret_store, "_dpapi_protect", fake.protect)
    monkeypatch.setattr(secret_store, "_dpapi_unprotect", fake.unprotect)
    on_windows = _keys_check(db)
    assert on_windows.ok and on_windows.detail.endswith("；" + DPAPI_WORDING), on_windows.detail
    assert DPAPI_WORDING == "密钥口令由 Windows 数据保护（DPAPI，仅本用户可解开）保护"
    assert FILE_WORDING == "密钥口令保存在本机用户目录的文件中（仅本用户可读）"

    fake.user = "李明"
    locked = _keys_check(db)
    assert not locked.ok and "当前用户无法解开" in locked.detail and locked.detail.endswith(DPAPI_WORDING + "。")

    # A Windows bundle without pywin32's win32crypt: the keys still work, but check fails and says why.
    fake.user = "王晓燕"
    monkeypatch.setattr(secret_store, "_has_win32crypt", lambda: False)
    assert isinstance(secret_store.active(), secret_store.FileStore)
    with pytest.raises(EnvironmentProblem, match="只能在原电脑"):  # the sealed file needs DPAPI to open
        exchange_keys.private_keys(_active_pair(db))
    degraded = _keys_check(db)
    assert not degraded.ok and NO_DPAPI_WORDING in degraded.detail


def test_the_real_dpapi_is_only_reached_on_windows() -> None:
    with pytest.raises(secret_store.SealFailed):
        secret_store._dpapi_protect(b"x", b"y")
    with pytest.raises(secret_store.SecretLocked):
        secret_store._dpapi_unprotect(b"x", b"y")
    assert secret_store.active() == secret_store.FileStore()
