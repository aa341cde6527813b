"""Issue 15 item 4: a work-order file small on disk that unpacks to far more than any export is refused before
openpyxl reads it, with memory that stays flat.

The hostile files are made here from a real export (tests/intake_files.py): a part's deflate stream is built
from one compressed block repeated (a full flush resets the compressor, so each repetition is the same bytes),
so a 1 GiB sheet costs a megabyte on disk and well under a second to make. The peak memory of reading one is
measured in a subprocess (its VmHWM: ``resource.getrusage`` there would report pytest's own peak, which
ru_maxrss keeps across fork and exec).
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest
from intake_files import hotline_export
from sync.rawzip import Member, build

from hecun_office.ledgers import intake
from hecun_office.ledgers.intake import IntakeFileError, load_sheet

MB = 1024 * 1024


def _repeated_part(prefix: bytes, block: bytes, times: int, suffix: bytes) -> Member:
    """A deflated part ``prefix + block * times + suffix`` whose stream is built without compressing it all."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    body = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH) == body  # the same bytes every time
    tail = packer.compress(suffix) + packer.flush()
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    return Member("", method=8, crc=crc, file_size=len(prefix) + len(block) * times + len(suffix),
                  data=head + body * times + tail)


def _export_with(tmp_path: Path, name: str, replace: dict[str, Member], strings: bool = False) -> Path:
    """A real export whose parts named in ``replace`` are swapped for the given (hostile) ones; ``strings``: the
    content types name xl/sharedStrings.xml, which is all openpyxl needs to load it whole."""
    real = hotline_export(tmp_path / "real.xlsx")
    with zipfile.ZipFile(real) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    if strings:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    members = []
    for part, content in parts.items():
        member = replace.pop(part, None) or Member(part, content, method=8)
        member.name = part
        members.append(member)
    for part, member in replace.items():
        member.name = part
        members.append(member)
    path = tmp_path / name
    path.write_bytes(build(members))
    return path


def padded_sheet(tmp_path: Path, size: int = 1024 * MB) -> Path:
    """The issue's first file: the sheet's XML padded with blanks to ``size``, about 1 MB on disk."""
    with zipfile.ZipFile(hotline_export(tmp_path / "sheet.xlsx")) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    prefix, suffix = sheet.rsplit(b"</worksheet>", 1)
    part = _repeated_part(prefix, b" " * MB, size // MB, b"</worksheet>" + suffix)
    return _export_with(tmp_path, "padded.xlsx", {"xl/worksheets/sheet1.xml": part})


def shared_strings(tmp_path: Path, count: int, item: bytes = b"<si><t>x</t></si>") -> Path:
    """Shared strings that say there are 2 and hold ``count``, in the part the content types name."""
    per_block = 4096
    part = _repeated_part(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="2" uniqueCount="2">', item * per_block, count // per_block, b"</sst>")
    return _export_with(tmp_path, f"strings-{count}.xlsx", {"xl/sharedStrings.xml": part}, strings=True)


def test_a_sheet_padded_to_1_gib_is_refused_from_its_declared_size(tmp_path: Path) -> None:
    path = padded_sheet(tmp_path)
    assert path.stat().st_size < 2 * MB
    with pytest.raises(IntakeFileError) as refused:
        load_sheet(path)
    message = refused.value.message
    assert "解压后超过" in message and "xl/worksheets/sheet1.xml" in message and "1,024 MB" in message
    assert "分批导出" in message and "另存为" in message


def test_parts_that_are_each_allowed_but_too_much_together_are_refused(tmp_path: Path) -> None:
    pattern = random.Random(15).randbytes(8192) * 128  # packs about 100×: no bomb, just too much
    pads = {f"xl/media/pad{n}.bin": _repeated_part(b"", pattern, 120, b"") for n in range(3)}
    path = _export_with(tmp_path, "pads.xlsx", pads)
    with pytest.raises(IntakeFileError) as refused:
        load_sheet(path)
    assert f"解压后超过 {intake.MAX_UNPACKED_BYTES // MB} MB" in refused.value.message


def test_a_part_packed_like_a_bomb_is_refused(tmp_path: Path) -> None:
    path = _export_with(tmp_path, "bomb.xlsx", {"xl/media/image1.png": _repeated_part(b"", b"\0" * MB, 20, b"")})
    with pytest.raises(IntakeFileError) as refused:
        load_sheet(path)
    assert "压缩比异常" in refused.value.message


def test_more_shared_strings_than_declared_are_counted_and_refused(tmp_path: Path) -> None:
    """1.2 million strings in 20 MB of XML: within the size bounds, over the count; the file says 2."""
    path = shared_strings(tmp_path, 1_200_128)
    with pytest.raises(IntakeFileError) as refused:
        load_sheet(path)
    assert "超过 1,000,000 个不同的文字内容" in refused.value.message


def test_a_real_export_still_reads(tmp_path: Path) -> None:
    sheet = load_sheet(hotline_export(tmp_path / "hotline.xlsx"))
    assert len(sheet.rows) == 37


def test_a_shared_strings_part_with_a_dtd_is_refused(tmp_path: Path) -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
              b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&b;</t></si></sst>')
    path = _export_with(tmp_path, "dtd.xlsx", {"xl/sharedStrings.xml": Member("", laughs, method=8)}, strings=True)
    with pytest.raises(IntakeFileError):
        load_sheet(path)


PEAK = """
import sys
def peak():  # VmHWM, not getrusage's ru_maxrss: that one keeps the parent's peak across fork and exec
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM:"))
from pathlib import Path
from hecun_office.ledgers.intake import IntakeFileError, load_sheet
before = peak()
try:
    load_sheet(Path(sys.argv[1]))
    outcome = "read"
except IntakeFileError:
    outcome = "refused"
print(outcome, before, peak())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the peak is read from /proc/self/status")
@pytest.mark.parametrize("shape", ["padded-1GiB", "20M-strings", "1.2M-strings"])
def test_hostile_files_are_refused_with_flat_memory(tmp_path: Path, shape: str) -> None:
    """Issue 15: 2.15 GB (padded to 1 GiB) and 1.9 GB in two minutes (20 million shared strings). Measured here
    before the bounds: 1,083 MB, over 120 s (killed), 151 MB (1.2 million strings); with them: 21, 26 and 25 MB,
    the interpreter and our modules (about 20 MB) plus the file, whatever it claims."""
    path = {"padded-1GiB": lambda: padded_sheet(tmp_path),
            "20M-strings": lambda: shared_strings(tmp_path, 20_000_000, b"<si/>"),
            "1.2M-strings": lambda: shared_strings(tmp_path, 1_200_128)}[shape]()
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(PEAK), str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    outcome, before_mb, peak_mb = done.stdout.split()
    print(f"{shape} ({path.stat().st_size / MB:.1f} MB on disk): peak RSS {peak_mb} MB (before reading {before_mb} MB)")
    assert outcome == "refused"
    assert int(peak_mb) - int(before_mb) < 64, done.stdout
    assert re.fullmatch(r"\d+", peak_mb)
