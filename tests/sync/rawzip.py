"""Zip files written byte by byte, so that a test can say exactly what a hostile archive claims.

``zipfile`` refuses to write many of the hazards S-4 is about (and rewrites flags and sizes itself); here every
header field — name bytes, flags, method, CRC, both sizes, attributes, the system that made it — is the caller's.
"""

from __future__ import annotations

import stat
import struct
import zlib
from dataclasses import dataclass

REGULAR = (stat.S_IFREG | 0o644) << 16
UNIX, DOS = 3, 0
UTF8_NAMES = 0x800


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


@dataclass
class Member:
    name: str | bytes  # a non-ASCII str is written as UTF-8 with the UTF-8 flag set
    content: bytes = b"{}"
    method: int = 0  # 0 stored, 8 deflated; anything else is written as given (content must then be raw)
    flags: int = 0
    external_attr: int = REGULAR
    system: int = UNIX
    crc: int | None = None  # defaults: what the content really is
    file_size: int | None = None
    compress_size: int | None = None
    local_name: str | bytes | None = None  # the local header's own idea of the name
    data: bytes | None = None  # the bytes stored, if not ``content`` compressed by ``method`` (a forged stream)

    def raw(self) -> bytes:
        if self.data is not None:
            return self.data
        return deflate(self.content) if self.method == 8 else self.content

    def encoded(self, name: str | bytes) -> bytes:
        return name if isinstance(name, bytes) else name.encode("utf-8")


def build(members: list[Member], comment: bytes = b"") -> bytes:
    out = bytearray()
    central = bytearray()
    for m in members:
        raw = m.raw()
        crc = zlib.crc32(m.content) if m.crc is None else m.crc
        size = len(m.content) if m.file_size is None else m.file_size
        csize = len(raw) if m.compress_size is None else m.compress_size
        name = m.encoded(m.name)
        local = m.encoded(m.local_name) if m.local_name is not None else name
        flags = m.flags | (UTF8_NAMES if isinstance(m.name, str) and not m.name.isascii() else 0)
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, m.method, 0, 0x21, crc, csize, size,
                           len(local), 0) + local + raw
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (m.system << 8) | 20, 20, flags, m.method, 0,
                               0x21, crc, csize, size, len(name), 0, 0, 0, 0, m.external_attr, offset) + name
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start,
                       len(comment)) + comment
    return bytes(out)
