"""Font metrics kept on disk, so that a warm start parses no font file (issue 10, SPEC N-2).

reportlab's ``TTFont`` reads a font's tables in Python: 0.04–0.1 s for each 20 MB collection, and a start loads
four of them. What the parse produces — the cmap, the widths, the glyph offsets and the face's metrics; everything
except the file's bytes — is kept per font file in ``paths.cache_dir() / "fonts"``. An entry names the file's path,
size and modification time and the versions that shape its contents (this format, reportlab, Python); an entry that
does not match them, fails its CRC or does not load is ignored and written anew, through a temporary file and a
rename. The cache never decides which metrics a font has: it only saves parsing the same file twice, and the PDF
is the same byte for byte with or without it (tests/documents/test_font_cache.py).

Embedding a subset reads the glyphs it takes from the file then; a file that changed in between is refused with a
message rather than cut into a subset by stale offsets.

The entries are ``marshal`` data: numbers, strings, bytes and containers only. ``pickle`` would build whatever
objects a damaged or planted entry names; marshal builds nothing else.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import marshal
import os
import struct
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from .. import paths
from ..domain.errors import EnvironmentProblem

log = logging.getLogger(__name__)

FORMAT = 1
_MAGIC = b"HCFONTM\x00"
_HEADER = struct.Struct(">8sI")  # magic, CRC-32 of the body
# Needed to embed a subset (hmetrics, glyphPos) or to shape text (glyphToChar), not to lay a page out: decoded
# when first used.
_LAZY = ("hmetrics", "glyphPos", "glyphToChar")
_NOT_KEPT = ("_ttf_data", "_pos", "_pdfScale")  # the file's bytes, a read position, a closure rebuilt on load
_FONT_OWN = ("face", "encoding", "state")  # made anew on load
_REQUIRED: dict[str, type | tuple[type, ...]] = {"charToGlyph": dict, "charWidths": dict, "unitsPerEm": int,
                                                 "defaultWidth": (int, float)}


def default_folder() -> Path:
    return paths.cache_dir() / "fonts"


class MetricsCache:
    """Loads ``TTFont`` objects through the entries in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0  # for tests and benchmarks: how many fonts came from the cache, how many were parsed
        self.parsed = 0

    def load(self, name: str, path: Path) -> TTFont:
        """The first face of ``path`` registered under ``name``, as ``TTFont(name, path, subfontIndex=0)`` has it.
        Raises what that raises (OSError, TTFError …) for a file that cannot be used."""
        stat = path.stat()
        key = _key(path, stat)
        entry = self.folder / _entry_name(path)
        font = _restore(entry, key, name, path)
        if font is not None:
            self.hits += 1
            return font
        font = TTFont(name, str(path), subfontIndex=0)
        self.parsed += 1
        _store(entry, key, font)
        return font


def _key(path: Path, stat: os.stat_result) -> tuple[Any, ...]:
    return (FORMAT, str(path), stat.st_size, stat.st_mtime_ns, 0, REPORTLAB_VERSION, sys.version_info[:2],
            marshal.version)


def _entry_name(path: Path) -> str:
    # One entry per font file: a changed file overwrites its stale entry instead of leaving it behind.
    return hashlib.sha256(os.fsencode(path)).hexdigest()[:32] + ".fm"


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Building 100,000 small objects triggers the cyclic collector dozens of times for nothing (no cycles are
    made); pausing it halves the load."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# -- reading ---------------------------------------------------------------------------------------------------


def _restore(entry: Path, key: tuple[Any, ...], name: str, path: Path) -> TTFont | None:
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    try:
        magic, crc = _HEADER.unpack_from(data)
        body = memoryview(data)[_HEADER.size:]
        if magic != _MAGIC or zlib.crc32(body) != crc:
            raise ValueError("damaged")
        with _collector_paused():
            stored = marshal.loads(body)
        return _rebuilt(*_checked(stored, key), name=name, source=(path, key[2], key[3]))
    except Exception as exc:  # noqa: BLE001 - whatever is wrong with an entry, the font file is parsed instead
        log.info("font metrics cache entry %s for %s not used: %s", entry.name, path, exc)
        return None


def _rebuilt(face_attrs: dict[str, Any], font_attrs: dict[str, Any], names: dict[str, bytes],
             lazy: dict[str, bytes], *, name: str, source: tuple[Path, int, int]) -> TTFont:
    face = _CachedFace.__new__(_CachedFace)
    face.__dict__.update(face_attrs)
    for attr, raw in names.items():
        setattr(face, attr, TTFNameBytes(raw))
    face._pdfScale = _scale(face_attrs["unitsPerEm"])
    face._lazy = lazy
    face._source = source
    face._subsetting = threading.Lock()
    font = TTFont.__new__(TTFont)
    font.__dict__.update(font_attrs)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    return font


def _checked(stored: Any, key: tuple[Any, ...]) -> tuple[dict[str, Any], dict[str, Any], dict[str, bytes],
                                                          dict[str, bytes]]:
    if type(stored) is not tuple or len(stored) != 5:
        raise ValueError("not an entry of this format")
    stored_key, face_attrs, font_attrs, names, lazy = stored
    if stored_key != key:
        raise ValueError("stale (the font file, reportlab or Python changed)")
    if not all(type(d) is dict for d in (face_attrs, font_attrs, names, lazy)):
        raise ValueError("not an entry of this format")
    for attr, kinds in _REQUIRED.items():
        if not isinstance(face_attrs.get(attr), kinds):
            raise ValueError(f"{attr} missing")
    if "name" not in names:
        raise ValueError("name missing")
    if set(lazy) - set(_LAZY) or not all(type(v) is bytes for v in [*lazy.values(), *names.values()]):
        raise ValueError("not an entry of this format")
    return face_attrs, font_attrs, names, lazy


def _scale(units_per_em: int) -> Callable[[float], float]:
    """TTFontFile.extractInfo's own scale: kept as a closure there, so it is made again rather than stored."""
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult


class _CachedFace(TTFontFace):  # type: ignore[misc]  # reportlab ships no type hints
    """A face restored from the cache; what only embedding or shaping needs is decoded or read when first used.

    Embedding a subset reads the few hundred glyphs it takes straight from the file, where reportlab would hold
    the whole file (20 MB) and copy its glyf table for every subset."""

    _lazy: dict[str, bytes]
    _source: tuple[Path, int, int]
    _subsetting: threading.Lock

    def __getattr__(self, name: str) -> Any:  # called only for attributes not set yet
        own = self.__dict__
        blob = own.get("_lazy", {}).get(name)
        if blob is not None:
            with _collector_paused():
                value = marshal.loads(blob)
            setattr(self, name, value)
            own["_lazy"].pop(name, None)
            return value
        if name == "_ttf_data" and "_source" in own:  # the whole file: only shaping (uharfbuzz) asks for it
            path, size, mtime_ns = own["_source"]
            try:
                data = path.read_bytes()
                stat = path.stat()
            except OSError as exc:
                raise _changed(path) from exc
            if len(data) != size or (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns):
                raise _changed(path)
            self._ttf_data = data
            return data
        raise AttributeError(name)

    def makeSubset(self, subset: list[int]) -> bytes:  # noqa: N802 - reportlab's name
        if "_ttf_data" in self.__dict__:
            return bytes(super().makeSubset(subset))
        path, size, mtime_ns = self._source
        # One subset at a time: reportlab's reader keeps its position on the face (self._pos).
        with self._subsetting:
            try:
                fh = path.open("rb")
            except OSError as exc:
                raise _changed(path) from exc
            with fh:
                _unchanged(fh, path, size, mtime_ns)
                self.__dict__["_ttf_data"] = _OpenFile(fh, size)
                try:
                    subset_bytes = bytes(super().makeSubset(subset))
                finally:
                    del self.__dict__["_ttf_data"]
                _unchanged(fh, path, size, mtime_ns)  # nothing rewrote the file while we read it
            return subset_bytes

    def get_table(self, tag: str) -> Any:
        data = self.__dict__.get("_ttf_data")
        if tag == "glyf" and isinstance(data, _OpenFile):  # makeSubset only slices out the glyphs it takes
            pos, length = self.get_table_pos(tag)
            return _Window(data, pos, length)
        return super().get_table(tag)


class _OpenFile:
    """The font file as reportlab's reader slices it, read where it is sliced."""

    def __init__(self, fh: BinaryIO, size: int) -> None:
        self._fh, self._size = fh, size

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._size)
            if step != 1:
                raise ValueError("only contiguous slices of a font file are read")
            self._fh.seek(start)
            return self._fh.read(max(0, stop - start))
        position = index + self._size if index < 0 else index
        if not 0 <= position < self._size:
            raise IndexError(index)
        self._fh.seek(position)
        return self._fh.read(1)[0]


class _Window:
    """A table of the open file (glyf), sliced relative to its start like the bytes reportlab would have copied."""

    def __init__(self, data: _OpenFile, pos: int, length: int) -> None:
        self._data, self._pos, self._length = data, pos, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: slice) -> bytes:
        start, stop, step = index.indices(self._length)
        if step != 1:
            raise ValueError("only contiguous slices of a font table are read")
        return bytes(self._data[self._pos + start:self._pos + max(start, stop)])


def _unchanged(fh: BinaryIO, path: Path, size: int, mtime_ns: int) -> None:
    stat = os.fstat(fh.fileno())
    if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns):
        raise _changed(path)


def _changed(path: Path) -> EnvironmentProblem:
    return EnvironmentProblem(f"字体文件 {path} 在程序运行期间被更换，本次无法嵌入该字体。请关闭程序后重新打开，再生成文书。")


# -- writing ---------------------------------------------------------------------------------------------------


def _store(entry: Path, key: tuple[Any, ...], font: TTFont) -> None:
    """Write the entry for a freshly parsed font; a font whose state is not plain data is simply not cached.
    Never raises: the font itself is fine, only the next start will parse it again."""
    try:
        _write(entry, key, font)
    except Exception:  # noqa: BLE001 - see above; the reason goes to the log
        log.warning("font metrics cache entry for %s not written", font.face.filename, exc_info=True)


def _write(entry: Path, key: tuple[Any, ...], font: TTFont) -> None:
    from ..files import write_atomically

    face = font.face
    names = {k: bytes(v) for k, v in vars(face).items() if isinstance(v, TTFNameBytes)}
    face_attrs = {k: v for k, v in vars(face).items() if k not in _NOT_KEPT and k not in names}
    lazy_values = {k: face_attrs.pop(k) for k in _LAZY if k in face_attrs}
    font_attrs = {k: v for k, v in vars(font).items() if k not in _FONT_OWN}
    if not all(_plain(v) for v in (face_attrs, font_attrs, lazy_values)):
        log.info("font %s holds state the metrics cache cannot keep; it is parsed at every start", face.filename)
        return
    lazy = {k: marshal.dumps(v) for k, v in lazy_values.items()}
    body = marshal.dumps((key, face_attrs, font_attrs, names, lazy))
    try:
        write_atomically(entry, _HEADER.pack(_MAGIC, zlib.crc32(body)) + body)
    except OSError as exc:  # a read-only or full disk: the font still works, the next start parses it again
        log.info("font metrics cache not written to %s: %s", entry, exc)


def _plain(value: Any) -> bool:
    """Only types marshal writes back exactly as they were (a tuple subclass would come back a plain tuple)."""
    kind = type(value)
    if kind in (int, float, str, bytes, bool) or value is None:
        return True
    if kind in (list, tuple):
        return all(map(_plain, value))
    if kind is dict:
        return all(map(_plain, value)) and all(map(_plain, value.values()))
    return False
