"""T-4: a notice saved as a file is read bounded and decoded the way WPS and Notepad save it, or refused with a
message that says what to do."""

from __future__ import annotations

import tracemalloc
import zlib
from pathlib import Path

import pytest

from hecun_office.domain.errors import EnvironmentProblem, ValidationError
from hecun_office.services.calendar import NOTICE_FILE_LIMIT, read_notice_file
from hecun_office.workdays import parse_notice

NOTICE = (Path(__file__).resolve().parents[1] / "workdays" / "data" / "notice_2027_madeup.txt").read_text(
    encoding="utf-8")


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])  # 1×1, 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_notice_saved_by_wps_or_notepad_reads_as_the_text(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "通知.txt"
    path.write_bytes(NOTICE.replace("\n", "\r\n").encode(encoding))
    text = read_notice_file(path)
    assert text.replace("\r\n", "\n") == NOTICE
    assert parse_notice(text).year == 2027


def test_a_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "录像.txt"
    with path.open("wb") as fh:
        fh.truncate(64 << 20)  # sparse: no disk used, but reading it whole would take 64 MB
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match="超过 1 MB.*选错"):
            read_notice_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20


def test_just_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(b"a" * NOTICE_FILE_LIMIT)
    assert len(read_notice_file(path)) == NOTICE_FILE_LIMIT
    path.write_bytes(b"a" * (NOTICE_FILE_LIMIT + 1))
    with pytest.raises(ValidationError, match="超过"):
        read_notice_file(path)


@pytest.mark.parametrize("data", [_png(), b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), b"\x00\xff\xfe garbage",
                                  "通知\x01正文".encode()], ids=["png", "docx", "nul", "control"])
def test_a_binary_file_is_refused_and_the_clerk_told_to_save_it_as_text(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "通知.docx"
    path.write_bytes(data)
    with pytest.raises(ValidationError, match="“通知.docx”不是文本文件.*另存为纯文本文件") as raised:
        read_notice_file(path)
    assert "UTF-8" in str(raised.value) and "粘贴" in str(raised.value)


def test_an_undecodable_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes("一、元旦：1月1日放假".encode("big5") + b"\xff\xff")
    with pytest.raises(ValidationError, match="无法识别.*文字编码.*UTF-8"):
        read_notice_file(path)


@pytest.mark.parametrize("data", [b"", b" \r\n\t\r\n", "\ufeff".encode()])
def test_an_empty_file_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(ValidationError, match="是空的"):
        read_notice_file(path)


def test_a_missing_file_is_an_environment_problem(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentProblem, match="找不到文件"):
        read_notice_file(tmp_path / "gone.txt")
