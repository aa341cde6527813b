"""S-4: the packet container is read without trusting anything in it, and written the same way every time.

Hostile archives are written byte by byte (``rawzip``) so that each test says exactly what the archive claims.
"""

from __future__ import annotations

import io
import stat
import tracemalloc
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hecun_office.sync import container
from hecun_office.sync.container import Limits, read_zip, write_zip
from hecun_office.sync.errors import PacketRejected

from .rawzip import DOS, REGULAR, UTF8_NAMES, Member, build


def rejected(data: bytes, expected: set[str] | None = None, limits: Limits = container.DEFAULT_LIMITS,
             hashed_elsewhere: bool = False) -> str:
    with pytest.raises(PacketRejected) as info:
        read_zip(data, expected, limits, hashed_elsewhere=hashed_elsewhere)
    return str(info.value)


def one(name: str | bytes, **kw: object) -> bytes:
    return build([Member(name, **kw)])  # type: ignore[arg-type]


# ---- writing ---------------------------------------------------------------------------------------------------

MEMBERS = [("records/matters.json", "[{\"title\":\"占道经营\"}]".encode() * 50, True),
           ("files/" + "ab" * 32 + ".pdf", b"%PDF-1.7 " + bytes(range(256)), False)]


def test_write_zip_gives_identical_bytes_for_identical_members() -> None:
    assert write_zip(MEMBERS) == write_zip(list(MEMBERS))
    assert write_zip(MEMBERS) != write_zip(MEMBERS[::-1])  # the order is part of the content


def test_write_zip_output_reads_back_exactly() -> None:
    data = write_zip(MEMBERS)
    assert read_zip(data, expected={n for n, _, _ in MEMBERS}) == {n: d for n, d, _ in MEMBERS}
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert [i.compress_type for i in infos] == [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}  # no clock, no machine in the bytes


@pytest.mark.parametrize("name", ["../x.json", "/abs.json", "a\\b.json", "CON", "报告.pdf", "report.", ""])
def test_write_zip_refuses_to_write_an_unsafe_name(name: str) -> None:
    with pytest.raises(PacketRejected):
        write_zip([(name, b"x", False)])


def test_a_canonical_zip_with_generated_names_is_accepted() -> None:
    data = build([Member("manifest.json", b"{}"), Member("records/a-b_c.1.json", b"[]" * 100, method=8)])
    assert read_zip(data) == {"manifest.json": b"{}", "records/a-b_c.1.json": b"[]" * 100}


# ---- names -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["/etc/passwd", "/records/a.json", "//server/share/a.json"])
def test_rejects_absolute_paths(name: str) -> None:
    assert "绝对路径" in rejected(one(name))


@pytest.mark.parametrize("name", ["..", "../a.json", "records/../../a.json", "records/..", "./a.json", "a/./b"])
def test_rejects_parent_directory_segments(name: str) -> None:
    assert "上级目录" in rejected(one(name))


@pytest.mark.parametrize("name", ["C:a.json", "c:/windows/a.json", "Z:"])
def test_rejects_drive_letters(name: str) -> None:
    assert "盘符" in rejected(one(name))


@pytest.mark.parametrize("name", ["records\\a.json", "..\\..\\a.json", "\\a.json"])
def test_rejects_backslashes(name: str) -> None:
    assert "反斜杠" in rejected(one(name))


@pytest.mark.parametrize("name", [b"a\x00.json", b"a\nb.json", b"a\rb", b"\x1b[31m.json", b"a\x7f.json", b"\tx"])
def test_rejects_control_characters(name: bytes) -> None:
    assert "控制字符" in rejected(one(name))


@pytest.mark.parametrize("name", ["CON", "con", "nul.txt", "NUL.tar.gz", "COM1", "com9.bin", "LPT9.json", "lpt1",
                                  "PRN", "aux.json", "records/CON", "records/nul.txt", "CONIN$", "COM¹"])
def test_rejects_windows_reserved_names(name: str) -> None:
    assert "保留名称" in rejected(one(name))


@pytest.mark.parametrize("name", ["CON.", "nul ", "con .json", "aux. "])
def test_rejects_reserved_names_hidden_behind_trailing_dots_or_spaces(name: str) -> None:
    assert "保留名称" in rejected(one(name))


@pytest.mark.parametrize("name", ["report.", "records/a.json.", "records./a.json", "a.json ", "dir /a"])
def test_rejects_names_windows_would_shorten_by_trailing_dots_or_spaces(name: str) -> None:
    # On Windows "a.json." is the file "a.json": such a name could stand in for another member.
    rejected(one(name))


@pytest.mark.parametrize("name", ["a b.json", "a:stream", "a*.json", "a?.json", "a|b", "-flag", ".hidden", "名.json",
                                  "caf\u00e9.json"])
def test_rejects_names_outside_the_generated_ascii_alphabet(name: str) -> None:
    rejected(one(name, flags=UTF8_NAMES))


def test_rejects_names_that_are_not_valid_utf8_although_flagged_so() -> None:
    rejected(one(b"a\xff\xfe.json", flags=UTF8_NAMES))


def test_rejects_a_local_header_that_names_another_file_than_the_directory() -> None:
    data = build([Member("a.json", local_name="../../evil.json")])
    assert "损坏" in rejected(data)  # read through zipfile, which compares the two names itself
    # Stored members of a packet are handed out as views located through their local header, without zipfile: the
    # directory's name passes every check, the sizes and offsets are right, and only container's own comparison
    # of the two names is left to refuse it.
    assert "文件头与目录不符" in rejected(data, hashed_elsewhere=True)
    assert read_zip(build([Member("a.json")]), hashed_elsewhere=True) == {"a.json": b"{}"}


# ---- duplicates --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("pair", [("a.json", "a.json"), ("A.json", "a.json"), ("records/X.json", "records/x.json"),
                                  ("README", "readme")])
def test_rejects_names_equal_after_nfc_and_casefold(pair: tuple[str, str]) -> None:
    assert "重复" in rejected(build([Member(pair[0]), Member(pair[1])]))


def test_rejects_composed_and_decomposed_spellings_of_one_name() -> None:
    composed, decomposed = "caf\u00e9.json", "cafe\u0301.json"
    assert composed != decomposed
    # Generated member names are ASCII (S-1), so either spelling is refused; so is a pair of them.
    rejected(build([Member(composed, flags=UTF8_NAMES), Member(decomposed, flags=UTF8_NAMES)]))
    rejected(build([Member("cafe.json"), Member(decomposed, flags=UTF8_NAMES)]))


# ---- kinds of member -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", [stat.S_IFLNK | 0o777, stat.S_IFLNK | 0o644])
def test_rejects_symlink_members(mode: int) -> None:
    assert "符号链接" in rejected(one("link.json", content=b"/etc/passwd", external_attr=mode << 16))


@pytest.mark.parametrize("mode", [stat.S_IFIFO | 0o644, stat.S_IFCHR | 0o644, stat.S_IFBLK | 0o644,
                                  stat.S_IFSOCK | 0o644])
def test_rejects_device_fifo_and_socket_members(mode: int) -> None:
    rejected(one("dev.json", external_attr=mode << 16))


@pytest.mark.parametrize("member", [
    Member("records/", b"", external_attr=(stat.S_IFDIR | 0o755) << 16),
    Member("records", b"", external_attr=(stat.S_IFDIR | 0o755) << 16),
    Member("records", b"", external_attr=0x10, system=DOS),
    Member("records", b"{}", external_attr=REGULAR | 0x10),
], ids=["trailing-slash", "unix-dir-mode", "dos-dir-attribute", "regular-mode-with-dos-dir-attribute"])
def test_rejects_directory_entries(member: Member) -> None:
    rejected(build([member]))


def test_rejects_encrypted_members() -> None:
    assert "加密" in rejected(one("a.json", flags=0x1))
    assert "加密" in rejected(one("a.json", flags=0x41))  # strong encryption sets bit 6 as well


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_rejects_compression_other_than_stored_or_deflate(method: int) -> None:
    out = io.BytesIO()
    info = zipfile.ZipInfo("a.json")
    info.external_attr = REGULAR  # zipfile's default 0o600 has no file type and would be refused for that
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(info, b"[]" * 100, compress_type=method)
    assert "压缩方式" in rejected(out.getvalue())


@pytest.mark.parametrize("method", [1, 6, 9, 12, 14, 93, 95, 98, 99, 0xFFFF])
def test_rejects_unknown_compression_methods(method: int) -> None:
    assert "压缩方式" in rejected(one("a.json", content=b"\x00" * 16, method=method))


# ---- sizes, ratios and lying headers ---------------------------------------------------------------------------

def test_rejects_a_member_over_the_size_limit() -> None:
    limits = Limits(max_member_bytes=1000)
    assert read_zip(one("a.bin", content=b"x" * 1000), limits=limits)
    assert "过大" in rejected(one("a.bin", content=b"x" * 1001), limits=limits)


def test_rejects_a_member_whose_declared_size_is_over_the_limit_before_reading_it() -> None:
    assert "过大" in rejected(one("a.bin", content=b"x", file_size=2**32 - 1), limits=Limits(max_member_bytes=10**6))


def test_rejects_members_whose_total_is_over_the_limit() -> None:
    limits = Limits(max_total_bytes=1500)
    members = [Member("a.bin", b"x" * 700), Member("b.bin", b"y" * 700)]
    assert read_zip(build(members), limits=limits)
    assert "总大小" in rejected(build([*members, Member("c.bin", b"z" * 101)]), limits=limits)


def test_rejects_more_members_than_allowed() -> None:
    members = [Member(f"m{i}.json") for i in range(6)]
    assert "文件数" in rejected(build(members), limits=Limits(max_members=5))


def test_rejects_a_zip_bomb_by_its_compression_ratio() -> None:
    bomb = Member("records/matters.json", b"\x00" * (4 * 1024 * 1024), method=8)
    assert len(bomb.raw()) < 8 * 1024
    assert "压缩炸弹" in rejected(build([bomb]))


def test_accepts_well_compressing_json_below_the_ratio_floor() -> None:
    small = b'{"title":"x"},' * 20_000  # ~280 KB, compresses ~300x: below the floor a ratio proves nothing
    assert read_zip(one("records/matters.json", content=small, method=8)) == {"records/matters.json": small}


def _streamed_bomb(megabytes: int) -> tuple[bytes, bytes]:
    """A deflate stream of ``megabytes`` MB of zeros, made without holding them; and its first 16 bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\x00" * (1024 * 1024)
    raw = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    return raw, b"\x00" * 16


def test_rejects_a_bomb_whose_header_claims_a_tiny_size_without_inflating_it() -> None:
    raw, head = _streamed_bomb(64)
    # The header claims 16 bytes with the CRC of the first 16 bytes: a reader that stops at the claimed size
    # would take the member as valid; one that trusts the stream would inflate 64 MB.
    data = build([Member("records/matters.json", head, method=8, data=raw)])
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].file_size == 16
    tracemalloc.start()
    try:
        text = rejected(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "大小与记录不符" in text or "损坏" in text
    assert peak < 8 * 1024 * 1024


def test_rejects_a_member_longer_than_its_header_claims_even_with_a_matching_crc() -> None:
    content = b'[{"a":1}]' * 100
    data = one("a.json", content=content, method=8, file_size=9, crc=zlib.crc32(content[:9]))
    rejected(data)


def test_rejects_a_member_shorter_than_its_header_claims() -> None:
    rejected(one("a.json", content=b"[]", method=8, file_size=1000))
    rejected(one("a.json", content=b"[]", method=0, file_size=1000))


def test_rejects_a_stored_member_whose_sizes_disagree() -> None:
    rejected(one("a.json", content=b"[1,2,3]", method=0, file_size=3, crc=zlib.crc32(b"[1,")))


def test_rejects_a_member_whose_crc_does_not_match() -> None:
    assert "校验失败" in rejected(one("a.json", content=b"[]", crc=0))
    assert "校验失败" in rejected(one("a.json", content=b"[]" * 50, method=8, crc=1))


def test_rejects_a_broken_deflate_stream() -> None:
    assert "损坏" in rejected(one("a.json", content=b"[]", method=8, data=b"\xff\xff\xff\xff not deflate"))


# ---- the expected member set ---------------------------------------------------------------------------------

def test_rejects_members_not_in_the_expected_set() -> None:
    data = build([Member("manifest.json"), Member("payload.bin"), Member("extra.bin")])
    assert "未列出" in rejected(data, expected={"manifest.json", "payload.bin"})


def test_rejects_expected_members_that_are_missing() -> None:
    data = build([Member("manifest.json")])
    assert "缺少" in rejected(data, expected={"manifest.json", "payload.bin"})


def test_expected_names_match_exactly_not_after_folding() -> None:
    assert "未列出" in rejected(build([Member("Manifest.json")]), expected={"manifest.json"})


# ---- not a zip at all ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"PK", b"PK\x03\x04", b"hello world", b"%PDF-1.7\n" + bytes(2000),
                                  b"PK\x05\x06" + bytes(18), bytes(range(256)) * 8],
                         ids=["empty", "pk", "local-magic-only", "text", "pdf", "empty-eocd-bad", "random"])
def test_rejects_data_that_is_not_a_zip(data: bytes) -> None:
    if data == b"PK\x05\x06" + bytes(18):  # an empty archive is a zip, but has none of the expected members
        assert "缺少" in rejected(data, expected={"manifest.json"})
    else:
        assert "不是有效的 zip" in rejected(data)


def test_rejects_every_truncation_of_a_valid_zip() -> None:
    data = write_zip(MEMBERS)
    for end in range(len(data)):
        with pytest.raises(PacketRejected):
            read_zip(data[:end], expected={n for n, _, _ in MEMBERS})


def test_rejects_a_damaged_version_needed_field_as_corrupt_not_as_a_crash() -> None:
    # Found by flipping bytes of a real packet: zipfile raises NotImplementedError for "zip file version 23.5".
    data = bytearray(build([Member("a.json")]))
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 0xEB
    assert "不是有效的 zip" in rejected(bytes(data))


# check_name's quick path (three regular expressions for the names packets use) must accept exactly the names that
# pass every rule in turn: a name the rules refuse must never slip through it. Names are drawn from the characters
# the rules are about: dots, slashes, backslashes, drive colons, spaces, control characters, reserved device names.
_NAME_PIECES = ["a", "Z", "0", "9", ".", "..", "/", "\\", ":", " ", "-", "_", "$", "\x00", "\x1f", "\x7f", "é", "¹",
                "con", "CON", "nul", "aux", "prn", "com1", "LPT9", "conin$", "records", "files", "json", "pdf"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=8).map("".join))
def test_the_quick_path_accepts_exactly_the_names_every_rule_accepts(name: str) -> None:
    try:
        container.check_name(name)
        accepted = True
    except PacketRejected:
        accepted = False
    assert accepted == (container.name_refusal(name) is None), name
