"""Issue 10: font metrics cached on disk. The cache only saves parsing: the same PDF byte for byte, and an entry
that is damaged, stale or planted is parsed again rather than used."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from hecun_office import paths
from hecun_office.documents import font_cache
from hecun_office.documents.font_cache import MetricsCache
from hecun_office.documents.fonts import ROLES, FontSet, resolve_fonts
from hecun_office.documents.gbt9704 import render
from hecun_office.documents.samples import two_page_advice
from hecun_office.domain.errors import EnvironmentProblem

TT = Path("/usr/share/fonts/truetype")
DEJAVU, UMING, CWFS = TT / "dejavu/DejaVuSans.ttf", TT / "arphic/uming.ttc", TT / "cwtex/cwfs.ttf"
OWN_STATE = ("_ttf_data", "_pos", "_pdfScale", "_lazy", "_source", "_subsetting")


def _needs(*files: Path) -> None:
    for path in files:
        if not path.is_file():
            pytest.skip(f"{path} not installed here")


@pytest.fixture(autouse=True)
def registry() -> Iterator[None]:
    """Each resolve registers its fonts under names derived from their paths; put the session's fonts back."""
    fonts, faces = dict(pdfmetrics._fonts), dict(pdfmetrics._dynFaceNames)
    yield
    pdfmetrics._fonts.clear()
    pdfmetrics._fonts.update(fonts)
    pdfmetrics._dynFaceNames.clear()
    pdfmetrics._dynFaceNames.update(faces)


def state(font: TTFont) -> dict[str, Any]:
    """Everything the face holds that the layout and the embedding read, lazily kept parts included."""
    face = font.face
    for attr in font_cache._LAZY:
        getattr(face, attr)
    face._ttf_data  # noqa: B018 - read the file as the embedding would
    return {k: (type(v), v) for k, v in vars(face).items() if k not in OWN_STATE}


def _copy(path: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    target = folder / (name or path.name)
    shutil.copyfile(path, target)
    return target


def entry_of(cache: MetricsCache, path: Path) -> Path:
    return cache.folder / font_cache._entry_name(path)


# -- the same fonts, the same PDF ------------------------------------------------------------------------------


def unregister_all() -> None:
    """reportlab keeps the first font registered under a name (or for a face): start each set afresh, so that
    each rendering below really draws with its own font objects."""
    pdfmetrics._fonts.clear()
    pdfmetrics._dynFaceNames.clear()


def test_the_pdf_is_byte_identical_with_and_without_the_cache(tmp_path: Path) -> None:
    spec = two_page_advice(watermark="样稿")
    unregister_all()
    parsed = resolve_fonts()
    if not parsed.embedded:
        pytest.skip("no TrueType CJK font for every role here: nothing to cache")
    without = render(spec, parsed).pdf
    unregister_all()
    cache = MetricsCache(tmp_path / "fonts")
    cold = render(spec, resolve_fonts(cache=cache)).pdf
    assert cache.parsed > 0 and cache.hits == 0
    unregister_all()
    warm_cache = MetricsCache(tmp_path / "fonts")
    warm_fonts = resolve_fonts(cache=warm_cache)
    assert all(isinstance(pdfmetrics.getFont(warm_fonts.name(role)).face, font_cache._CachedFace)
               for role in ROLES)  # the warm rendering draws with the restored faces
    warm = render(spec, warm_fonts).pdf
    assert warm_cache.hits == cache.parsed and warm_cache.parsed == 0  # a warm start parses no font file
    assert without == cold == warm
    assert warm_fonts.warnings == parsed.warnings


@pytest.mark.parametrize("font", [DEJAVU, UMING], ids=["ttf-units-2048", "ttc-collection"])
def test_a_cached_face_holds_exactly_what_parsing_gives(tmp_path: Path, font: Path) -> None:
    _needs(font)
    cache = MetricsCache(tmp_path)
    parsed = cache.load("HC-test-a", font)
    restored = MetricsCache(tmp_path).load("HC-test-b", font)
    assert type(restored.face) is not type(parsed.face)  # really from the cache
    # The subset is cut from glyphs read out of the file: the same bytes as reportlab's own from the whole file,
    # composite glyphs (accented letters) and a glyph the font lacks included.
    codes = [0, 32, *map(ord, "Hecun éñÅǅ ﬁ 贺村司法所 \U0010fffd")]
    assert restored.face.makeSubset(codes) == parsed.face.makeSubset(codes)
    assert "_ttf_data" not in vars(restored.face)  # and the 20 MB file is not kept in memory
    assert state(restored) == state(parsed)
    assert restored.fontName == "HC-test-b" and restored._asciiReadable == parsed._asciiReadable
    assert restored.face._pdfScale(2048) == parsed.face._pdfScale(2048)
    assert restored.stringWidth("Hecun 贺村", 16) == parsed.stringWidth("Hecun 贺村", 16)


# -- entries that must not be used -------------------------------------------------------------------------------


def _damage_body(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


def _planted(data: bytes) -> bytes:
    """A well-formed entry (magic, CRC) whose contents are not an entry: checked, not trusted."""
    body = marshal.dumps(("not", "an", "entry"))
    return font_cache._HEADER.pack(font_cache._MAGIC, zlib.crc32(body)) + body


def _edited(data: bytes, edit: Any) -> bytes:
    """Right key, well-formed, CRC right, but the face edited: refused rather than used (or crashed on)."""
    key, face, font, names, lazy = marshal.loads(data[font_cache._HEADER.size:])
    edit(face)
    body = marshal.dumps((key, face, font, names, lazy))
    return font_cache._HEADER.pack(font_cache._MAGIC, zlib.crc32(body)) + body


DAMAGE = {
    "empty": lambda data: b"",
    "truncated": lambda data: data[: len(data) // 3],
    "bit-flipped": _damage_body,
    "other-magic": lambda data: b"XXXXXXXX" + data[8:],
    "garbage": lambda data: os.urandom(4096),
    "planted": _planted,
    "no-widths": lambda data: _edited(data, lambda face: face.pop("charWidths")),
    "zero-units-per-em": lambda data: _edited(data, lambda face: face.update(unitsPerEm=0)),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_entry_is_ignored_and_written_anew(tmp_path: Path, damage: str) -> None:
    _needs(DEJAVU)
    cache = MetricsCache(tmp_path / "fonts")
    reference = state(cache.load("HC-test", DEJAVU))
    entry = entry_of(cache, DEJAVU)
    entry.write_bytes(DAMAGE[damage](entry.read_bytes()))

    again = MetricsCache(tmp_path / "fonts")
    font = again.load("HC-test", DEJAVU)
    assert (again.hits, again.parsed) == (0, 1)
    assert state(font) == reference
    third = MetricsCache(tmp_path / "fonts")
    assert state(third.load("HC-test", DEJAVU)) == reference and third.hits == 1  # rewritten, good again


def test_a_changed_font_file_is_parsed_again_even_with_its_old_modification_time(tmp_path: Path) -> None:
    _needs(DEJAVU, CWFS)
    font = _copy(DEJAVU, tmp_path / "sys", "office.ttf")
    cache = MetricsCache(tmp_path / "fonts")
    assert cache.load("HC-test", font).face.familyName == b"DejaVu Sans"
    stamp = font.stat().st_mtime_ns
    shutil.copyfile(CWFS, font)  # another font under the same name, the old time put back
    os.utime(font, ns=(stamp, stamp))
    again = MetricsCache(tmp_path / "fonts")
    assert again.load("HC-test", font).face.familyName != b"DejaVu Sans" and again.parsed == 1


def test_a_touched_font_file_is_parsed_again(tmp_path: Path) -> None:
    _needs(DEJAVU)
    font = _copy(DEJAVU, tmp_path / "sys")
    MetricsCache(tmp_path / "fonts").load("HC-test", font)
    stamp = font.stat().st_mtime_ns + 5_000_000_000
    os.utime(font, ns=(stamp, stamp))
    again = MetricsCache(tmp_path / "fonts")
    again.load("HC-test", font)
    assert (again.hits, again.parsed) == (0, 1)


def test_another_reportlab_version_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _needs(DEJAVU)
    MetricsCache(tmp_path).load("HC-test", DEJAVU)
    monkeypatch.setattr(font_cache, "REPORTLAB_VERSION", "0.0.1")
    again = MetricsCache(tmp_path)
    again.load("HC-test", DEJAVU)
    assert (again.hits, again.parsed) == (0, 1)


def test_a_font_changed_while_the_program_runs_is_refused_when_embedded(tmp_path: Path) -> None:
    """The file's bytes are read at the first embedding; cutting a subset from another file would be wrong."""
    _needs(DEJAVU)
    font = _copy(DEJAVU, tmp_path / "sys")
    MetricsCache(tmp_path / "fonts").load("HC-test", font)
    warm = MetricsCache(tmp_path / "fonts").load("HC-test", font)
    with font.open("ab") as fh:
        fh.write(b"\0" * 64)
    with pytest.raises(EnvironmentProblem, match="被更换"):
        warm.face.makeSubset([0, 32, 65])
    with pytest.raises(EnvironmentProblem, match="被更换"):
        warm.face._ttf_data  # noqa: B018 - what shaping would read


def test_an_unwritable_cache_still_loads_the_font(tmp_path: Path) -> None:
    _needs(DEJAVU)
    blocked = tmp_path / "fonts"
    blocked.write_text("a file where the folder should be")
    cache = MetricsCache(blocked)
    assert cache.load("HC-test", DEJAVU).face.familyName == b"DejaVu Sans" and cache.parsed == 1


def test_a_failing_cache_write_still_loads_the_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _needs(DEJAVU)

    def broken(*args: object) -> None:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(font_cache, "_write", broken)
    assert MetricsCache(tmp_path).load("HC-test", DEJAVU).face.familyName == b"DejaVu Sans"


def test_entries_are_written_whole_with_nothing_left_beside_them(tmp_path: Path) -> None:
    _needs(DEJAVU, CWFS)
    cache = MetricsCache(tmp_path)
    cache.load("HC-a", DEJAVU)
    cache.load("HC-b", CWFS)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and all(n.endswith(".fm") and not n.startswith(".") for n in names)


# -- where the cache lives, and a warm process -------------------------------------------------------------------


def test_cache_folder_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HECUN_OFFICE_CACHE", str(tmp_path / "c"))
    assert paths.cache_dir() == tmp_path / "c" and font_cache.default_folder() == tmp_path / "c" / "fonts"
    monkeypatch.delenv("HECUN_OFFICE_CACHE")
    monkeypatch.setenv("HECUN_OFFICE_HOME", str(tmp_path / "home"))
    assert paths.cache_dir() == tmp_path / "home" / "cache"  # tests and portable copies stay in their folder
    monkeypatch.delenv("HECUN_OFFICE_HOME")
    assert paths.cache_dir().name.lower() in {"hecun-office", "cache"}  # the OS's per-user cache directory


COUNT_PARSES = """
import hashlib, json, sys
from reportlab.pdfbase import ttfonts
parses = []
original = ttfonts.TTFontFile.extractInfo
def counted(self, *args, **kwargs):
    parses.append(self.filename)
    return original(self, *args, **kwargs)
ttfonts.TTFontFile.extractInfo = counted
from hecun_office.documents.fonts import load_fonts
from hecun_office.documents.gbt9704 import render_pdf
from hecun_office.documents.samples import two_page_advice
pdf = render_pdf(two_page_advice(watermark="样稿"), load_fonts())
print(json.dumps({"parses": parses, "sha256": hashlib.sha256(pdf).hexdigest()}))
"""


def test_a_warm_process_parses_no_font_file(tmp_path: Path, fonts: FontSet) -> None:
    if not fonts.embedded:
        pytest.skip("no TrueType CJK font here: nothing to cache")
    env = dict(os.environ, HECUN_OFFICE_CACHE=str(tmp_path / "cache"))

    def run() -> dict[str, Any]:
        proc = subprocess.run([sys.executable, "-c", COUNT_PARSES], env=env, capture_output=True, text=True,
                              check=False, timeout=120)
        assert proc.returncode == 0, proc.stderr
        result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
        return result

    cold, warm = run(), run()
    assert cold["parses"] and warm["parses"] == []
    assert warm["sha256"] == cold["sha256"]  # parsed fonts in one process, cached ones in the other
