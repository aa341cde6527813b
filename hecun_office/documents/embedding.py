"""Smaller embedded fonts, the same glyphs (issue 12 item 4).

reportlab embeds a TrueType font as simple 8-bit fonts of at most 256 codes each, every one a complete font
program with its own copy of the font's tables. With the Debian fonts (AR PL UMing for 仿宋 and 宋体, AR PL UKai
for 楷体, WenQuanYi Zen Hei for 黑体 and 小标宋) the two-page advice was 115,069 bytes, 102,301 of them the four
Flate-compressed font programs (UMing in two subsets); two of reportlab's defaults account for most of it:

* ``asciiReadable``: the first subset of every font reserves codes 32–126 for ASCII, so that a content stream
  reads as text, and so embeds the font's 95 ASCII glyphs whether the letter uses them or not. It also leaves
  160 codes for everything else, so UMing's ~200 distinct characters spilled into a second subset, a second
  font program. Glyphs embedded: 139 + 258 + 30 + 117 = 544; 265 of them are drawn or needed (.notdef, space).
* the ``name`` table is copied whole into every subset: AR PL UMing and UKai carry the Arphic Public License
  text (name ID 13, 13.8 KB in UTF-16, for the Macintosh and the Windows platform), 22.7 KB raw in each subset;
  22,673 bytes compressed in the advice, more than a fifth of the file.

``EmbeddedTTFont`` is reportlab's ``TTFont`` with codes handed out in order of use (``asciiReadable`` off: text
is copied out through the ToUnicode map either way) and each subset's ``name`` table cut to the records that name
the font — copyright, family, style, unique id, full name, version, PostScript name (IDs 0–6, the records
fontTools' subsetter keeps) — on the Windows platform when the font has records there. ISO 32000-1 9.9 does not
ask for a ``name`` table in an embedded TrueType program at all. Every other table — glyph outlines with their
instructions, metrics, ``head``, ``OS/2``, ``cvt``/``fpgm``/``prep`` — is reportlab's, byte for byte, and so are
the widths in the font dictionaries: no glyph moves (tests/documents/test_pdf_size.py rasterises both and
compares the pages pixel for pixel).

The advice now: 67,860 bytes (ASCII codes off alone: 82,918; name table alone: 92,544). Font programs 59,081
bytes in three (44 + 201 + 20 glyphs; compressed outlines 72,861 → 54,624, name tables 22,673 → 1,354), font
dictionaries with their /Widths 3,778 → 1,968, ToUnicode maps 3,709 → 2,283, page contents 3,133 → 2,643 (fewer
subset switches). A font with more than 255 distinct characters in one document still takes a second subset
(1–2 KB more each, measured with 600 characters: its own small tables, name table and descriptor, and /Widths a
CID font's default width would mostly spare). One Type0/CIDFontType2 font per file would avoid that, but its
two-byte codes would have to stop being counted as characters by Painter._pieces (layout/paint.py), for nothing
in the letters the office writes, where each font fits one subset.
"""

from __future__ import annotations

import logging
import struct
from typing import Any
from weakref import WeakKeyDictionary

from reportlab.pdfbase.ttfonts import SUBSETN, TTFont, TTFontMaker

log = logging.getLogger(__name__)

# Name IDs kept: 0 copyright, 1 family, 2 subfamily, 3 unique id, 4 full name, 5 version, 6 PostScript name.
NAME_IDS = range(7)
WINDOWS = 3
_DIRECTORY = struct.Struct(">4sLLL")
_RECORD = struct.Struct(">6H")


class EmbeddedTTFont(TTFont):  # type: ignore[misc]  # reportlab ships no type hints
    """reportlab's TrueType font, embedded without unused ASCII glyphs and without the long ``name`` records."""

    @classmethod
    def adopt(cls, font: TTFont) -> EmbeddedTTFont:
        """The same font (same face, metrics and name) embedded the lean way; ``font`` itself is not changed."""
        lean = cls.__new__(cls)
        lean.__dict__.update(font.__dict__)
        lean.state = WeakKeyDictionary()  # subsets are per document and per font object: none shared with font
        lean._asciiReadable = False
        return lean

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - reportlab's name
        state = self._assignState(doc)
        face = self.face
        names = [(b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX))).decode("pdfdoc")
                 for n in range(len(state.subsets))]
        super().addObjects(doc)
        for name in names:  # reportlab registered each subset's program under this name (TTFontFace.addSubsetObjects)
            stream = doc.idToObject.get(f"fontFile:{face.filename}({name})")
            if stream is None:
                log.warning("embedded font program of %s not found; its name table is left whole", name)
                continue
            program = lean_program(bytes(stream.content))
            stream.content = program
            stream.dictionary["Length1"] = len(program)


def lean_program(program: bytes) -> bytes:
    """The TrueType program with its ``name`` table cut to NAME_IDS; every other table kept as it is. A program
    this cannot read is returned unchanged."""
    try:
        tables = _tables(program)
        name = tables.get("name")
        if name is None:
            return program
        tables["name"] = lean_name_table(name)
    except (struct.error, ValueError) as exc:
        log.warning("font program not trimmed: %s", exc)
        return program
    maker = TTFontMaker()  # writes the tables in the order reportlab does, with fresh checksums
    for tag, data in tables.items():
        maker.add(tag, data)
    return bytes(maker.makeStream())


def _tables(program: bytes) -> dict[str, bytes]:
    (count,) = struct.unpack_from(">H", program, 4)
    tables: dict[str, bytes] = {}
    for i in range(count):
        tag, _, offset, length = _DIRECTORY.unpack_from(program, 12 + 16 * i)
        if offset + length > len(program):
            raise ValueError(f"table {tag!r} runs past the end of the program")
        tables[tag.decode("latin-1")] = program[offset:offset + length]
    return tables


def lean_name_table(table: bytes) -> bytes:
    """A ``name`` table (format 0 or 1) with only the records of NAME_IDS, on the Windows platform when the font
    has such records there (else on every platform). Language-tag records of format 1 are all kept, so the
    language IDs that point at them stay right."""
    fmt, count, storage_at = struct.unpack_from(">HHH", table)
    if fmt not in (0, 1):
        raise ValueError(f"unknown name table format {fmt}")
    records = [_RECORD.unpack_from(table, 6 + _RECORD.size * i) for i in range(count)]
    lang_tags: list[tuple[int, int]] = []
    if fmt == 1:
        at = 6 + _RECORD.size * count
        (tag_count,) = struct.unpack_from(">H", table, at)
        lang_tags = [struct.unpack_from(">HH", table, at + 2 + 4 * i) for i in range(tag_count)]

    def string(length: int, offset: int) -> bytes:
        start = storage_at + offset
        if start + length > len(table):
            raise ValueError("name record runs past the end of the table")
        return table[start:start + length]

    wanted = [r for r in records if r[3] in NAME_IDS]
    if any(r[0] == WINDOWS for r in wanted):
        wanted = [r for r in wanted if r[0] == WINDOWS]
    storage = bytearray()
    placed: dict[bytes, int] = {}

    def place(text: bytes) -> int:
        if text not in placed:
            placed[text] = len(storage)
            storage.extend(text)
        return placed[text]

    head_size = 6 + _RECORD.size * len(wanted) + (2 + 4 * len(lang_tags) if fmt == 1 else 0)
    out = bytearray(struct.pack(">HHH", fmt, len(wanted), head_size))
    for platform, encoding, language, name_id, length, offset in wanted:
        text = string(length, offset)
        out += _RECORD.pack(platform, encoding, language, name_id, len(text), place(text))
    if fmt == 1:
        out += struct.pack(">H", len(lang_tags))
        for length, offset in lang_tags:
            text = string(length, offset)
            out += struct.pack(">HH", len(text), place(text))
    return bytes(out + storage)
