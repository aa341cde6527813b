"""Reading a file offered as a packet (S-3, issue 15 items 5 and 6): nothing is read whole, and nothing is
waited on, before the file has shown it can be one.

A packet is a regular file that starts like a zip and is at most MAX_PACKET bytes. A FIFO named ``*.hcpkt``
would block the first read forever and a folder cannot be read at all, so the kind of file is checked with
``os.stat`` before any open (and again on the open handle, in case it was swapped in between). A 2 GiB video
chosen by mistake was read into memory and copied whole to quarantine on every retry; its first four bytes
already say it is no packet, so only a bounded head is kept, and the rest is hashed as it streams past (for the
history and so that the same file is quarantined once).
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
from pathlib import Path

from ..domain.errors import EnvironmentProblem
from ..environment import translate
from ..files import shown_size
from .errors import PacketRejected
from .packet import MAX_PACKET

MAGIC = b"PK\x03\x04"  # every zip, and so every packet, starts with a local file header
HEAD = 64 * 1024  # what quarantine keeps of a file that is no packet: enough to see what it is
_END = b"PK\x05\x06"  # a zip's end of central directory record
_TAIL = 22 + 0xFFFF  # where that record must start: its fixed part and the longest comment
_CHUNK = 1 << 20


class NotAPacketFile(PacketRejected):
    """A folder, FIFO, device or socket was given as a packet: refused before it is opened. Like a wrong
    argument, the command line exits 2 (SPEC S-8: rejected)."""

    exit_code = 2


class NotAPacket(PacketRejected):
    """A regular file that cannot be a packet (its first bytes or its size say so), refused without reading it
    into memory. ``head`` is what quarantine keeps; ``sha256`` names the file in the history and quarantine:
    the whole file's hash when it was streamed, else (a file over the size limit, never read past its head) the
    hash of its head and size."""

    def __init__(self, message: str, head: bytes, sha256: str, size: int) -> None:
        super().__init__(message)
        self.head, self.sha256, self.size = head, sha256, size


_KINDS = ((stat.S_ISDIR, "文件夹"), (stat.S_ISFIFO, "管道文件（FIFO）"), (stat.S_ISSOCK, "套接字文件"),
          (stat.S_ISCHR, "设备文件"), (stat.S_ISBLK, "设备文件"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "特殊文件")


def not_regular(path: Path, mode: int) -> NotAPacketFile:
    return NotAPacketFile(f"“{path}”是{_kind(mode)}，不是数据包文件，已拒收。"
                          "请选择对方交来的 .hcpkt 文件本身（不是文件夹或其他特殊文件）。")


def check_regular(path: Path) -> None:
    """Refuse anything but a regular file (a symbolic link to one is fine), without opening it. A file that is
    not there is left to the read, which says so in its own words."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        raise not_regular(path, mode)


def read_packet_file(path: Path, limit: int = MAX_PACKET) -> bytes:
    """The whole file when it can be a packet. Raises NotAPacketFile (not a regular file), NotAPacket (no zip,
    or larger than ``limit``; read no further than needed) or EnvironmentProblem (missing, locked, unreadable)."""
    check_regular(path)
    try:
        # O_NONBLOCK: should a FIFO be swapped in after the stat, the open still returns (and fstat refuses it).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb", buffering=0) as fh:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise not_regular(path, st.st_mode)
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)
            head = _read_up_to(fh, HEAD)
            if st.st_size > limit:
                raise NotAPacket(f"文件大小 {shown_size(st.st_size)}，超过数据包的上限 {shown_size(limit)}，"
                                 "不是本程序生成的数据包，已拒收。请检查是否选错了文件。",
                                 head, _head_and_size(head, st.st_size), st.st_size)
            if not head.startswith(MAGIC):
                raise NotAPacket("文件不是数据包（.hcpkt）：开头不是数据包的格式，已拒收。"
                                 "请检查是否选错了文件，或请对方重新导出数据包。", head, *_hashed(fh, head))
            # A zip ends with its directory's end record, within the last 64 KiB (its comment) + 22 bytes: a file
            # cut short while being copied, or any other file that merely starts like a zip, shows it here.
            fh.seek(max(0, st.st_size - _TAIL))
            if _END not in _read_up_to(fh, _TAIL):
                raise NotAPacket("文件不完整或已损坏（缺少 zip 文件的目录，可能没有拷贝完），不是完整的数据包，已拒收。"
                                 "请重新拷贝该文件，或请对方重新导出数据包。", head, *_hashed(fh, head))
            # From the start again, asking for it all at once: one read is one buffer, not a head and a copy.
            fh.seek(0)
            data = _read_up_to(fh, limit + 1, st.st_size + 1)
    except FileNotFoundError:
        raise EnvironmentProblem(f"找不到文件“{path.name}”，它可能已被移动或删除。请重新选择文件。") from None
    except PermissionError:
        raise EnvironmentProblem(f"无法打开文件“{path.name}”：没有读取权限，或文件正在被其他程序使用。"
                                 "请关闭该程序后重试。") from None
    except OSError as exc:  # a USB stick pulled out, a share gone: said as such (hecun_office/environment.py)
        raise translate(exc, "读取数据包", path) or EnvironmentProblem(
            f"无法读取“{path}”（{exc.strerror or exc}），请检查U盘或文件后重试。") from exc
    if len(data) > limit:  # grew after the stat (still being copied in)
        raise NotAPacket(f"文件超过数据包的上限 {shown_size(limit)}，不是本程序生成的数据包，已拒收。"
                         "请检查是否选错了文件。", head, _head_and_size(head, len(data)), len(data))
    return data


def _hashed(fh: io.FileIO, head: bytes) -> tuple[str, int]:
    """SHA-256 and size of the whole file, hashed as it streams past through one buffer: memory stays flat."""
    digest = hashlib.sha256(head)
    size = len(head)
    fh.seek(size)
    buffer = bytearray(_CHUNK)
    view = memoryview(buffer)
    while n := fh.readinto(buffer):
        digest.update(view[:n])
        size += n
    return digest.hexdigest(), size


def _read_up_to(fh: io.FileIO, n: int, first: int = _CHUNK) -> bytes:
    """At most ``n`` bytes; ``first`` is how much to ask for at once to begin with (the size, when known)."""
    chunks: list[bytes] = []
    got, want = 0, first
    while got < n:
        chunk = fh.read(min(want, n - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
        want = _CHUNK
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _head_and_size(head: bytes, size: int) -> str:
    """A name for a file too large to hash on every offer: its head and its size."""
    return hashlib.sha256(head + b"\0size=" + str(size).encode()).hexdigest()
