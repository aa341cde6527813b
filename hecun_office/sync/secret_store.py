"""Where the protection secret of the private keys rests on this machine (S-6, issue 13 "keys at rest on Windows").

The secret lives in ``keys/<id>.secret`` under the per-user data directory. What the file holds depends on the
operating system's user-bound store:

- **Windows**: the secret sealed by DPAPI (``CryptProtectData``, user scope, no UI) through pywin32's
  ``win32crypt``; the file holds ``dpapi:`` + base64 of the protected bytes. Only the same Windows user on the same
  PC can unseal it, so a data folder copied to a USB stick or another PC carries no usable secret. (A 0600 file mode
  means nothing on NTFS.)
- **elsewhere**: the secret as hex in a file readable by this user only (mode 0600), as before.

Both stores read both forms: a plain secret written before this change (or by the file store) is still read on
Windows, and ``keys.py`` re-seals it with DPAPI right after reading it (migration on read). A ``dpapi:`` file on a
machine without DPAPI is refused with its own reason, not taken for a damaged file.

DPAPI's functions are reached through module-level ``_dpapi_protect``/``_dpapi_unprotect`` and the store is chosen
by ``active()``, so tests on Linux put a fake DPAPI in their place (tests/sync/test_secret_store.py).
"""

from __future__ import annotations

import base64
import binascii
import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

DPAPI_PREFIX = b"dpapi:"

FILE_WORDING = "密钥口令保存在本机用户目录的文件中（仅本用户可读）"
DPAPI_WORDING = "密钥口令由 Windows 数据保护（DPAPI，仅本用户可解开）保护"
NO_DPAPI_WORDING = ("本机缺少 Windows 数据保护组件（pywin32 的 win32crypt），密钥口令只能以普通文件保存，"
                    "复制数据文件夹即可带走私钥。请重新安装本程序")

# CRYPTPROTECT_UI_FORBIDDEN: never show a prompt (the CLI and the scheduled backup have no window to show it in).
_CRYPTPROTECT_UI_FORBIDDEN = 0x1


class SecretLocked(Exception):
    """The file holds a secret sealed by DPAPI that this user on this machine cannot unseal: another Windows user
    or PC sealed it, or it is a Windows file read where there is no DPAPI (``windows_only``)."""

    def __init__(self, windows_only: bool = False) -> None:
        super().__init__("DPAPI-sealed secret cannot be opened here")
        self.windows_only = windows_only


class SecretDamaged(Exception):
    """The file's content is neither form."""


class SealFailed(Exception):
    """DPAPI refused to seal (a broken user profile)."""


class SecretStore(Protocol):
    @property
    def kind(self) -> str:
        """Either "dpapi" or "file"."""
        ...

    @property
    def description(self) -> str:
        """What ``check`` shows."""
        ...

    @property
    def problem(self) -> str:
        """Empty when the secret is protected as well as this OS allows; else what is wrong."""
        ...

    def seal(self, secret: bytes, label: str) -> bytes:
        """The file content for ``secret``; ``label`` (the secret's id) is bound into the seal where possible."""
        ...

    def open(self, stored: bytes, label: str) -> tuple[bytes, bool]:
        """The secret in ``stored``, and whether the file should be written again in this store's form."""
        ...


def _plain(stored: bytes) -> bytes:
    try:
        secret = bytes.fromhex(stored.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        raise SecretDamaged from None
    if not secret:
        raise SecretDamaged
    return secret


@dataclass(frozen=True)
class FileStore:
    """The secret in hex in a 0600 file: all that Linux (and a Windows without pywin32) offers here."""

    description: str = FILE_WORDING
    problem: str = ""
    kind: str = "file"

    def seal(self, secret: bytes, label: str) -> bytes:
        return secret.hex().encode("ascii")

    def open(self, stored: bytes, label: str) -> tuple[bytes, bool]:
        if stored.startswith(DPAPI_PREFIX):
            raise SecretLocked(windows_only=True)
        return _plain(stored), False


Protect = Callable[[bytes, bytes], bytes]  # (data, entropy) -> sealed; raises SealFailed
Unprotect = Callable[[bytes, bytes], bytes]  # (sealed, entropy) -> data; raises SecretLocked


def _entropy(label: str) -> bytes:
    """Binds the seal to this application and this key pair: a blob moved to another id's file does not open."""
    return b"hecun-office key secret v1\0" + label.encode("utf-8")


@dataclass(frozen=True)
class DpapiStore:
    protect: Protect
    unprotect: Unprotect
    description: str = DPAPI_WORDING
    problem: str = ""
    kind: str = "dpapi"

    def seal(self, secret: bytes, label: str) -> bytes:
        return DPAPI_PREFIX + base64.b64encode(self.protect(secret, _entropy(label)))

    def open(self, stored: bytes, label: str) -> tuple[bytes, bool]:
        if not stored.startswith(DPAPI_PREFIX):
            return _plain(stored), True  # a plain secret of before: read, and sealed again by the caller
        try:
            blob = base64.b64decode(stored[len(DPAPI_PREFIX):].strip(), validate=True)
        except (binascii.Error, ValueError):
            raise SecretDamaged from None
        secret = self.unprotect(blob, _entropy(label))
        if not secret:
            raise SecretDamaged
        return secret, False


def _dpapi_protect(data: bytes, entropy: bytes) -> bytes:
    if sys.platform != "win32":
        raise SealFailed("DPAPI exists on Windows only")
    import win32crypt

    try:
        return bytes(win32crypt.CryptProtectData(data, "hecun-office", entropy, None, None,
                                                 _CRYPTPROTECT_UI_FORBIDDEN))
    except Exception as exc:  # pywintypes.error: a broken profile, a full disk for the master key
        raise SealFailed(str(exc)) from None


def _dpapi_unprotect(blob: bytes, entropy: bytes) -> bytes:
    if sys.platform != "win32":
        raise SecretLocked(windows_only=True)
    import win32crypt

    try:
        _description, data = win32crypt.CryptUnprotectData(blob, entropy, None, None, _CRYPTPROTECT_UI_FORBIDDEN)
    except Exception:  # pywintypes.error: another user's or PC's master key, or a damaged blob
        raise SecretLocked from None
    return bytes(data)


@functools.cache
def _has_win32crypt() -> bool:
    try:
        import win32crypt  # noqa: F401
    except ImportError:
        return False
    return True


def _on_windows() -> bool:
    return sys.platform == "win32"


def active() -> SecretStore:
    """The store this process writes with: DPAPI on Windows, the plain file elsewhere."""
    if _on_windows():
        if _has_win32crypt():
            return DpapiStore(_dpapi_protect, _dpapi_unprotect)
        return FileStore(description=NO_DPAPI_WORDING, problem=NO_DPAPI_WORDING)
    return FileStore()
