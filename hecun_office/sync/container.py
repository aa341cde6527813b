"""Zip containers for packets: written deterministically, read without trusting anything (S-4).

Nothing here calls ``extractall`` or ``unpack_archive``: members are read into memory one by one, by name, after
every name and header has been checked, and each read is capped at the size the caller allows.
"""

from __future__ import annotations

import copy
import io
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, cast

from .errors import PacketRejected

# A fixed timestamp and attributes make the same members give the same bytes on every machine.
_EPOCH = (1980, 1, 1, 0, 0, 0)
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# For the quick path of check_name: a part that is "." or "..", or ends in a dot; a part that could be a Windows
# reserved name (CON, NUL, COM1…) with or without an extension. Anything they find goes through every rule below.
_DOTS = re.compile(r"(^|/)\.\.?(/|$)|\.(/|$)")
_RESERVED_PART = re.compile(r"(^|/)(con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$)(\.|/|$)", re.IGNORECASE)
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$", re.IGNORECASE)
_ALLOWED_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_DOS_DIRECTORY = 0x10
# What zipfile and zlib raise on damaged or hostile input; anything of these becomes a plain refusal.
_BROKEN = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError,
           RuntimeError)


@dataclass(frozen=True)
class Limits:
    max_members: int = 100_000
    max_member_bytes: int = 512 * 1024 * 1024
    max_total_bytes: int = 2 * 1024 * 1024 * 1024
    max_ratio: int = 100  # uncompressed / compressed; JSON compresses ~10x, a bomb ~1000x
    ratio_floor: int = 1024 * 1024  # tiny members may compress well without being bombs


DEFAULT_LIMITS = Limits()


def write_zip(members: Iterable[tuple[str, bytes | memoryview, bool]]) -> bytes:
    """(name, data, compress) in the given order -> zip bytes, identical for identical input."""
    out = io.BytesIO()
    write_zip_to(out, members)
    return out.getvalue()


def write_zip_to(out: IO[bytes], members: Iterable[tuple[str, bytes | memoryview, bool]]) -> None:
    """The same bytes written into ``out`` (a seekable file or buffer): members may be produced one at a time
    (a packet's PDFs read from the content store as they are written), so they need not all be in memory."""
    with zipfile.ZipFile(out, "w", allowZip64=True) as zf:
        for name, data, compress in members:
            check_name(name)
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.create_system = 3
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            zf.writestr(info, data, compress_type=info.compress_type, compresslevel=6 if compress else None)


def same_as_written(data: bytes | memoryview, members: Iterable[tuple[str, bytes | memoryview, bool]]) -> bool:
    """Whether ``data`` is exactly what write_zip makes of ``members``, compared as it is written instead of built
    beside it: a packet's 60 MB payload is not copied to be compared with itself (issue 12: an import rewrote
    every packet in memory for this check)."""
    sink = _Comparing(memoryview(data))
    try:
        write_zip_to(cast(IO[bytes], sink), members)
    except _Differs:
        return False
    return sink.matches()


class _Differs(Exception):
    pass


class _Comparing(io.RawIOBase):
    """A seekable file that holds nothing but headers. zipfile writes a member's header, its bytes, then seeks
    back and writes the header again with the sizes and CRC, then the directory: small writes (headers, the
    directory) are kept by position, the later replacing the earlier, and compared at the end; large ones (a
    member's bytes, written once) are compared with ``data`` where they land, without a copy."""

    _SMALL = 4096

    def __init__(self, data: memoryview) -> None:
        super().__init__()
        self.data, self.pos, self.end = data, 0, 0
        self.small: dict[int, bytes] = {}

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, b: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        n = len(b)
        if n <= self._SMALL:
            self.small[self.pos] = bytes(b)
        elif self.data[self.pos:self.pos + n] != b:
            raise _Differs
        self.pos += n
        self.end = max(self.end, self.pos)
        return n

    def matches(self) -> bool:
        return self.end == len(self.data) and all(self.data[at:at + len(b)] == b for at, b in self.small.items())

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = offset if whence == 0 else self.pos + offset if whence == 1 else self.end + offset
        return self.pos

    def flush(self) -> None:
        pass


def check_name(name: str) -> None:
    """Refuse any member name that could escape a folder or mean something else on Windows."""
    if _SAFE_NAME.fullmatch(name) and not _DOTS.search(name) and not _RESERVED_PART.search(name):
        return  # the names packets use (records/…json, files/<sha256>.pdf) in three matches, not rule by rule
    refusal = name_refusal(name)
    if refusal is not None:
        raise PacketRejected(refusal)


def name_refusal(name: str) -> str | None:
    """Every rule in turn, with what to say; None when the name passes them all (check_name's quick path accepts
    exactly these names: tests/sync/test_container.py holds the two equal)."""
    if not name:
        return "数据包中有一个没有名字的文件。"
    shown = name.encode("unicode_escape").decode("ascii")[:80]
    if _CONTROL.search(name):
        return f"数据包中的文件名“{shown}”含有控制字符。"
    if "\\" in name:
        return f"数据包中的文件名“{shown}”含有反斜杠。"
    if name.startswith("/"):
        return f"数据包中的文件名“{shown}”是绝对路径。"
    if _DRIVE.match(name):
        return f"数据包中的文件名“{shown}”带有盘符。"
    parts = name.split("/")
    if any(p in ("..", ".") for p in parts):
        return f"数据包中的文件名“{shown}”含有“..”等上级目录。"
    if any(_RESERVED.match(p.rstrip(" .")) or _RESERVED.match(p.split(".")[0].rstrip(" ")) for p in parts if p):
        return f"数据包中的文件名“{shown}”是 Windows 保留名称。"
    if any(p.endswith((".", " ")) for p in parts):
        # Windows drops trailing dots and spaces: "a.json." would be the same file as "a.json".
        return f"数据包中的文件名“{shown}”以点或空格结尾，在 Windows 上会与其他文件名混淆。"
    if not _SAFE_NAME.fullmatch(name):
        return f"数据包中的文件名“{shown}”不合规（只允许英文字母、数字、点、下划线和连字符）。"
    return None


def _stored_view(data: bytes, view: memoryview, info: zipfile.ZipInfo) -> memoryview:
    """A stored member's bytes located through its local header, which must name the same file."""
    offset = info.header_offset
    header = data[offset:offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise PacketRejected(f"数据包中的“{info.filename}”已损坏（文件头无效）。")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if data[offset + 30:offset + 30 + name_len] != info.orig_filename.encode(encoding, "replace"):
        raise PacketRejected(f"数据包中的“{info.filename}”文件头与目录不符。")
    start = offset + 30 + name_len + extra_len
    if info.compress_size != info.file_size or start + info.file_size > len(data):
        raise PacketRejected(f"数据包中的“{info.filename}”大小与记录不符。")
    return view[start:start + info.file_size]


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


Member = bytes | memoryview


def read_zip(data: bytes, expected: set[str] | None = None, limits: Limits = DEFAULT_LIMITS,
             hashed_elsewhere: bool = False) -> dict[str, Member]:
    """Every member's bytes, by name, after the S-4 checks; ``expected`` (if given) must be the exact name set.

    ``hashed_elsewhere``: the caller checks every member against a signed SHA-256 (inner payload) or a canonical
    re-serialisation (outer file) right after, so stored members are handed out as views into ``data`` instead
    of being copied and CRC-checked: a year's packet carries ~400 MB of PDFs (bench/packets.py)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except _BROKEN:  # NotImplementedError: a damaged "version needed" field claims a newer zip format
        raise PacketRejected("数据包文件已损坏，不是有效的 zip 文件。") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise PacketRejected(f"数据包中的文件数超过 {limits.max_members} 个。")
        seen: set[str] = set()
        total = 0
        for info in infos:
            check_name(info.orig_filename)
            if info.orig_filename != info.filename:
                raise PacketRejected("数据包中的文件名被改写过（含有非法字符）。")
            if info.is_dir() or info.external_attr & _DOS_DIRECTORY:
                raise PacketRejected(f"数据包中不应有目录项“{info.filename}”。")
            folded = _fold(info.filename)
            if folded in seen:
                raise PacketRejected(f"数据包中的文件名“{info.filename}”重复（不区分大小写）。")
            seen.add(folded)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode) or (mode and not stat.S_ISREG(mode)):
                raise PacketRejected(f"数据包中的“{info.filename}”是符号链接或特殊文件。")
            if info.flag_bits & 0x1:
                raise PacketRejected(f"数据包中的“{info.filename}”是加密的 zip 成员。")
            if info.compress_type not in _ALLOWED_COMPRESSION:
                raise PacketRejected(f"数据包中的“{info.filename}”使用了不支持的压缩方式。")
            if info.file_size > limits.max_member_bytes:
                raise PacketRejected(f"数据包中的“{info.filename}”过大（{info.file_size} 字节）。")
            if (info.file_size > limits.ratio_floor
                    and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
                raise PacketRejected(f"数据包中的“{info.filename}”压缩比异常，可能是“压缩炸弹”。")
            total += info.file_size
            if total > limits.max_total_bytes:
                raise PacketRejected("数据包解压后的总大小超过限制。")
        names = {i.filename for i in infos}
        if expected is not None:
            extra, missing = sorted(names - expected), sorted(expected - names)
            if extra:
                raise PacketRejected(f"数据包中有清单未列出的文件：{'、'.join(extra[:5])}。")
            if missing:
                raise PacketRejected(f"数据包缺少清单列出的文件：{'、'.join(missing[:5])}。")
        out: dict[str, Member] = {}
        view = memoryview(data)
        for info in infos:
            if hashed_elsewhere and info.compress_type == zipfile.ZIP_STORED:
                out[info.filename] = _stored_view(data, view, info)
                continue
            # Never trust the header's size: let the reader run one byte past it, so that a stream longer than
            # claimed shows up as a wrong length (or CRC) instead of being cut off silently at the claimed size.
            probe = copy.copy(info)
            probe.file_size = info.file_size + 1
            try:
                with zf.open(probe) as member:
                    content = member.read(info.file_size + 1)
            except _BROKEN:
                raise PacketRejected(f"数据包中的“{info.filename}”已损坏（校验失败）。") from None
            if len(content) != info.file_size:
                raise PacketRejected(f"数据包中的“{info.filename}”大小与记录不符。")
            out[info.filename] = content
        return out
