"""M-5: reading hotline / complaint-platform work-order exports (.xlsx) into plain rows.

No database and no Qt here: a file goes in, headers and parsed rows with per-row messages come out.
Platforms export in many shapes (a title row above the header, merged group headers, dates as text or
serial numbers, numbers where text belongs), so everything is read leniently and every oddity of a row
becomes a message on that row, never an exception. Only a file that cannot be read at all is refused.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from ..domain.errors import DomainError, EnvironmentProblem, ValidationError
from ..files import read_limited

MAX_BYTES = 50 * 1024 * 1024
# What the file may hold once unpacked (issue 15 item 4): a 1 MB file padded to 1 GiB took 2.15 GB of memory, and
# 20 million shared strings in 0.8 MB took 1.9 GB and two minutes, because openpyxl believes the zip. A year of
# one township's work orders (MAX_ROWS rows of ten columns) unpacks to some 60 MB, its shared strings to about as
# many strings as cells; the bounds leave room for that several times over and stop a hostile file early.
MAX_PART_BYTES = 200 * 1024 * 1024  # any one part (the sheet's XML, the shared strings)
MAX_UNPACKED_BYTES = 300 * 1024 * 1024  # all parts together
MAX_RATIO = 500  # unpacked / packed for a large part; an export's XML packs 10-30×, a bomb ~1000×
RATIO_FLOOR = 10 * 1024 * 1024  # small parts may pack well without being bombs
MAX_SHARED_STRINGS = 1_000_000
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_MAX_CONTENT_TYPES = 1024 * 1024
MAX_ROWS = 100_000
HEADER_SCAN_ROWS = 10
PROGRESS_EVERY = 2_000

# Field lengths of the matter record (services/matters.py, storage/models.py).
REF_MAX = 128
TITLE_MAX = 200
CONTENT_MAX = 19_000  # leaves room in 基本事实 (20,000) for address, unit and type lines
NAME_MAX = 64
PHONE_MAX = 32
SHORT_MAX = 200  # address, unit, type
DERIVED_TITLE = 40  # a title made from the content when the export has none

SAVE_AS_XLSX = "请在 Excel/WPS 中打开该文件，另存为“Excel 工作簿（*.xlsx）”后再导入。"


class IntakeFileError(DomainError):
    """The file cannot be read at all; the message says what is wrong and what to do."""


class IntakeMappingError(ValidationError):
    """The column mapping does not fit the file; ``field`` names the matter field concerned."""


@dataclass(frozen=True)
class IntakeField:
    key: str
    label: str
    synonyms: tuple[str, ...]  # header texts of the platforms' exports, most specific first
    required: bool = False


FIELDS: tuple[IntakeField, ...] = (
    IntakeField("work_order_no", "工单编号",
                ("工单编号", "工单号", "工单流水号", "受理编号", "诉求编号", "案件编号", "件号", "编号"), True),
    IntakeField("received_at", "受理时间",
                ("受理时间", "登记时间", "受理日期", "登记日期", "来电时间", "创建时间", "派单时间", "交办时间"), True),
    IntakeField("title", "标题", ("诉求标题", "工单标题", "事项标题", "诉求主题", "标题", "主题")),
    IntakeField("content", "诉求内容",
                ("诉求内容", "工单内容", "来电内容", "诉求描述", "问题描述", "反映内容", "详细内容", "内容")),
    IntakeField("complainant", "来电人",
                ("来电人", "诉求人", "来电人姓名", "诉求人姓名", "反映人", "投诉人", "举报人", "姓名", "联系人")),
    IntakeField("phone", "联系电话", ("联系电话", "来电号码", "联系方式", "手机号码", "电话号码", "电话", "手机")),
    IntakeField("address", "事发地址", ("事发地址", "事发地点", "发生地址", "问题地址", "地址")),
    IntakeField("unit", "承办单位", ("承办单位", "处置单位", "办理单位", "责任单位", "主办单位", "承办部门")),
    IntakeField("category", "诉求类型", ("诉求类型", "工单类型", "诉求分类", "问题分类", "业务类型", "类型")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}

# M-5 filter: words that make a work order a matter for enforcement supervision. Longer, more telling
# words first, so that the one reported is the most specific.
ENFORCEMENT_KEYWORDS: tuple[str, ...] = (
    "投诉执法人员", "综合行政执法", "执法人员", "执法", "行政处罚", "处罚", "罚款", "罚单", "城管", "占道",
    "强拆", "拆除", "查封", "扣押", "暂扣", "没收", "吊销", "责令", "违法", "整改", "不作为", "乱作为", "态度",
)


@dataclass(frozen=True)
class RawSheet:
    """One worksheet as read: headers in column order and the non-blank data rows with their Excel row numbers."""

    file_name: str
    sha256: str
    sheet_name: str
    header_row: int  # Excel row number of the (last) header row
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]


@dataclass(frozen=True)
class IntakeRow:
    row: int  # as Excel numbers it
    work_order_no: str = ""
    received_on: date | None = None
    title: str = ""
    content: str = ""
    complainant: str = ""
    phone: str = ""
    address: str = ""
    unit: str = ""
    category: str = ""
    keyword: str | None = None  # the enforcement keyword found, None when none
    errors: tuple[str, ...] = ()  # the row cannot be imported
    warnings: tuple[str, ...] = ()  # imported, but something was changed (e.g. cut to length)

    @property
    def enforcement_related(self) -> bool:
        return self.keyword is not None

    @property
    def ok(self) -> bool:
        return not self.errors


# ---- reading the file -------------------------------------------------------------------------------

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


def _read_file(path: Path) -> bytes:
    """The whole file, read once: every check below and openpyxl see the same bytes, however the file changes."""
    try:
        return read_limited(path, MAX_BYTES)
    except ValidationError:
        raise IntakeFileError(f"文件“{path.name}”超过 {MAX_BYTES // 1024 // 1024} MB 的上限。"
                              "请在平台上按较短的时间段分批导出后再导入。") from None
    except EnvironmentProblem as exc:  # missing, open in Excel/WPS, on a drive that went away
        raise IntakeFileError(exc.message) from None


def _refuse_unreadable(name: str, data: bytes) -> None:
    if not data:
        raise IntakeFileError(f"文件“{name}”是空的（0 字节）。请重新从平台导出工单后再导入。")
    if data.startswith(_OLE):
        if _ENCRYPTED_MARK in data:  # a password-protected .xlsx is an OLE container with an EncryptionInfo stream
            raise IntakeFileError(f"文件“{name}”设置了打开密码，程序无法读取。"
                                  "请在 Excel/WPS 中输入密码打开，取消密码（文件→信息→保护工作簿）后另存为 .xlsx，再导入。")
        raise IntakeFileError(f"文件“{name}”是旧版 Excel（.xls）或 WPS（.et）格式，程序只能读取 .xlsx。{SAVE_AS_XLSX}")
    lowered = data[:512].lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    if lowered.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
        raise IntakeFileError(f"文件“{name}”实际上是网页（HTML/XML）格式，只是扩展名像 Excel。{SAVE_AS_XLSX}")
    if not data.startswith(_ZIP):
        raise IntakeFileError(f"文件“{name}”不是 Excel 工作簿（.xlsx）。如果是 CSV 或文本文件，{SAVE_AS_XLSX}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise IntakeFileError(f"文件“{name}”已损坏，无法打开。请重新从平台导出，或在 Excel/WPS 中打开后另存为 .xlsx。") from None
    if "xl/workbook.xml" not in names:
        raise IntakeFileError(f"文件“{name}”是压缩文件，但不是 Excel 工作簿（例如是 Word 文档）。请选择工单导出的 .xlsx 文件。")
    check_unpacked(name, data)


_SPLIT = "请在平台上按较短的时间段分批导出后再导入；如果文件确实是平台导出的，"


def check_unpacked(name: str, data: bytes) -> None:
    """Refuse a workbook that would unpack to more than openpyxl should be given, before it reads a byte: every
    part's declared size (zipfile never unpacks more than a part declares) and the total, the packing ratio of
    large parts, and the number of shared strings, counted as they stream past."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > MAX_PART_BYTES or total > MAX_UNPACKED_BYTES:
                    raise IntakeFileError(
                        f"文件“{name}”解压后超过 {_mb(MAX_UNPACKED_BYTES if total > MAX_UNPACKED_BYTES else MAX_PART_BYTES)}"
                        f"（其中“{info.filename[:60]}”为 {_mb(info.file_size)}），远大于工单表格的正常大小，"
                        f"可能已损坏或经过改动。{_SPLIT}{SAVE_AS_XLSX}")
                if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise IntakeFileError(f"文件“{name}”中的“{info.filename[:60]}”压缩比异常，可能已损坏或经过改动。"
                                          f"{SAVE_AS_XLSX}")
            for info in _shared_string_parts(archive, {i.filename for i in infos}):
                _count_shared_strings(name, archive, info)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError):
        raise IntakeFileError(f"文件“{name}”已损坏，无法打开。请重新从平台导出，或在 Excel/WPS 中打开后另存为 .xlsx。") from None


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def _shared_string_parts(archive: zipfile.ZipFile, names: set[str]) -> list[zipfile.ZipInfo]:
    """The part(s) openpyxl reads shared strings from: named in [Content_Types].xml, where it looks too."""
    found = {"xl/sharedStrings.xml"} & names
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return [archive.getinfo(n) for n in found]
    if info.file_size <= _MAX_CONTENT_TYPES:
        for _event, element in ElementTree.iterparse(io.BytesIO(archive.read(info))):
            if element.get("ContentType") == _SHARED_STRINGS:
                found |= {element.get("PartName", "").lstrip("/")} & names
    return [archive.getinfo(n) for n in sorted(found)]


class _TooMany(Exception):
    pass


def _count_shared_strings(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Count the <si> items with a bare expat parser that keeps nothing: memory stays flat however many there
    are, and the count stops one past the limit. The declared uniqueCount is checked first (cheap) but
    not trusted (a file may say 1 and hold 20 million). A DTD is refused: no workbook has one, and entity
    expansion is how a small XML part becomes a large one."""
    parser = expat.ParserCreate(namespace_separator="}")
    depth = count = 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal depth, count
        depth += 1
        if depth == 1:
            declared = attrs.get("uniqueCount", "")
            if declared.isdigit() and int(declared) > MAX_SHARED_STRINGS:
                raise _TooMany
        elif depth == 2 and tag.rpartition("}")[2] == "si":
            count += 1
            if count > MAX_SHARED_STRINGS:
                raise _TooMany

    def end(_tag: str) -> None:
        nonlocal depth
        depth -= 1

    def doctype(*_args: object) -> None:
        raise expat.ExpatError("DTD")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    try:
        with archive.open(info) as part:
            while chunk := part.read(1 << 20):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _TooMany:
        raise IntakeFileError(f"文件“{name}”含有超过 {MAX_SHARED_STRINGS:,} 个不同的文字内容，远多于工单表格的正常情况，"
                              f"可能已损坏或经过改动。{_SPLIT}{SAVE_AS_XLSX}") from None
    except expat.ExpatError:
        raise IntakeFileError(f"文件“{name}”的文字内容部分已损坏，无法读取。{SAVE_AS_XLSX}") from None


def read_workbook(path: Path, fields: Sequence[IntakeField] = FIELDS,
                  what: str = "工单") -> Generator[tuple[int, int], None, RawSheet]:
    """Read the work-order sheet, yielding (rows read, rows expected) now and then (U-3). ``fields`` are the
    columns whose usual header texts find the header row — the work orders' by default; the case-file and
    certificate lists of issue 16 pass their own, and ``what`` names the table in messages.

    Raises IntakeFileError for a file that is not a readable .xlsx or holds no such table."""
    path = Path(path)
    data = _read_file(path)
    _refuse_unreadable(path.name, data)
    sha256 = hashlib.sha256(data).hexdigest()  # for the audit trail
    import openpyxl  # heavy; only when a file is actually read

    with warnings.catch_warnings():
        # Platforms' exports carry styles and extensions openpyxl warns about; none matters for reading.
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise IntakeFileError(f"文件“{path.name}”已损坏或格式不规范，无法读取。"
                                  f"请重新从平台导出；仍不行时，{SAVE_AS_XLSX}") from None
        try:
            sheets = list(book.worksheets)
            active = book.active
            if active in sheets:
                sheets.remove(active)
                sheets.insert(0, active)
            for sheet in sheets:
                found = yield from _read_sheet(path.name, sha256, sheet, fields)
                if found is not None:
                    return found
        except IntakeFileError:
            raise
        except Exception:
            raise IntakeFileError(f"文件“{path.name}”的内容无法读取（文件可能已损坏）。"
                                  f"请重新从平台导出；仍不行时，{SAVE_AS_XLSX}") from None
        finally:
            book.close()
    hint = "请确认选择的是平台导出的工单文件。" if what == "工单" else f"请确认选择的是{what}文件。"
    raise IntakeFileError(f"文件“{path.name}”中没有找到{what}表格：各工作表都是空的，或前 {HEADER_SCAN_ROWS} 行里没有表头。"
                          + hint)


def load_sheet(path: Path, fields: Sequence[IntakeField] = FIELDS, what: str = "工单") -> RawSheet:
    """``read_workbook`` without progress."""
    reader = read_workbook(path, fields, what)
    while True:
        try:
            next(reader)
        except StopIteration as stop:
            sheet: RawSheet = stop.value
            return sheet


def _read_sheet(file_name: str, sha256: str, sheet: Any,
                fields: Sequence[IntakeField] = FIELDS) -> Generator[tuple[int, int], None, RawSheet | None]:
    # The declared dimension only estimates progress: exports often claim far more rows than they hold
    # (formatting applied to whole columns), so the limit counts the rows actually read.
    expected = min(int(getattr(sheet, "max_row", 0) or 0), MAX_ROWS + HEADER_SCAN_ROWS)
    rows = sheet.iter_rows(values_only=True)
    top: list[tuple[Any, ...]] = []
    for values in rows:
        top.append(tuple(values))
        if len(top) == HEADER_SCAN_ROWS:
            break
    found = _find_header(top, fields)
    if found is None:
        return None
    first, last, headers = found
    data: list[tuple[int, tuple[Any, ...]]] = []
    width = len(headers)

    def keep(number: int, values: Sequence[Any]) -> None:
        if any(not _blank(v) for v in values):
            data.append((number, tuple(values[:width]) + (None,) * (width - len(values))))

    for offset, values in enumerate(top[last + 1:], start=last + 2):
        keep(offset, values)
    number = len(top)
    for values in rows:
        number += 1
        keep(number, values)
        if len(data) > MAX_ROWS:
            raise _too_many(file_name, sheet.title)
        if number % PROGRESS_EVERY == 0:
            yield number, max(expected, number)
    if not data:
        raise IntakeFileError(f"工作表“{sheet.title}”中第 {last + 1} 行是表头，但表头下面没有工单数据。"
                              "请确认导出时选择了正确的时间范围。")
    yield number, number
    return RawSheet(file_name, sha256, str(sheet.title), last + 1, headers, tuple(data))


def _too_many(file_name: str, sheet_name: str) -> IntakeFileError:
    return IntakeFileError(f"文件“{file_name}”的工作表“{sheet_name}”超过 {MAX_ROWS:,} 行，无法一次导入。"
                           "请在平台上按较短的时间段分批导出后再导入。")


# ---- header row ---------------------------------------------------------------------------------------

_HEADER_NOISE = re.compile(r"[\s*＊:：]+")


def normalise_header(text: str) -> str:
    return _HEADER_NOISE.sub("", text)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_text(value: Any) -> str:
    return "" if _blank(value) else normalise_header(cell_text(value))


def _known(text: str, fields: Sequence[IntakeField] = FIELDS) -> bool:
    """A header text one of the platforms uses (exactly, or containing a specific synonym)."""
    if not text:
        return False
    return any(text == s or (len(s) >= 3 and s in text) for f in fields for s in f.synonyms)


def _looks_like_data(value: Any) -> bool:
    if isinstance(value, (int, float, datetime, date)) and not isinstance(value, bool):
        return True
    text = str(value).strip()
    return len(text) > 20 or _DATE_PREFIX.match(text) is not None


def _find_header(top: list[tuple[Any, ...]],
                 fields: Sequence[IntakeField] = FIELDS) -> tuple[int, int, tuple[str, ...]] | None:
    """(first header row index, last header row index, headers) among the first rows, or None.

    The header is the row naming most known columns; a title row above it is ignored. A merged group header
    (来电人信息 over 姓名 | 电话) makes a second header row whose texts win for the columns they cover."""
    scores = [sum(_known(_header_text(v), fields) for v in row) for row in top]
    best = max(range(len(top)), key=lambda i: (scores[i], -i), default=None)
    if best is None or scores[best] < 2:
        filled = [sum(not _blank(v) and isinstance(v, str) for v in row) for row in top]
        best = next((i for i, n in enumerate(filled) if n >= 3), None)
        if best is None:
            return None
    main = [_header_text(v) for v in top[best]]
    last = best
    if best + 1 < len(top):
        sub = top[best + 1]
        texts = [_header_text(v) for v in sub]
        cells = [v for v in sub if not _blank(v)]
        extends = any(t and (i >= len(main) or not main[i]) for i, t in enumerate(texts))
        if cells and extends and not any(_looks_like_data(v) for v in cells) and any(_known(t, fields) for t in texts):
            width = max(len(main), len(texts))
            main += [""] * (width - len(main))
            texts += [""] * (width - len(texts))
            main = [t or m for m, t in zip(main, texts, strict=True)]
            last = best + 1
    # Columns whose header cell is empty because of a vertical merge take the text above them, as long as
    # that row is a header-like row (more than one cell) and not a title spanning the sheet.
    for i, text in enumerate(main):
        if text:
            continue
        for above in range(best - 1, -1, -1):
            row = top[above]
            if sum(not _blank(v) for v in row) >= 2 and i < len(row) and not _blank(row[i]):
                main[i] = _header_text(row[i])
                break
    while main and not main[-1]:
        main.pop()
    if sum(bool(t) for t in main) < 2:
        return None
    return best, last, _unique_headers(main)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _unique_headers(texts: list[str]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    out = []
    for i, text in enumerate(texts):
        text = text or f"（第 {_column_letter(i)} 列）"
        seen[text] = seen.get(text, 0) + 1
        out.append(text if seen[text] == 1 else f"{text}({seen[text]})")
    return tuple(out)


# ---- mapping --------------------------------------------------------------------------------------------


def suggest_mapping(headers: Iterable[str], fields: Sequence[IntakeField] = FIELDS) -> dict[str, str]:
    """Matter field -> header, from the platforms' usual header texts. Each header is used once."""
    available = list(headers)
    normal = {h: normalise_header(h) for h in available}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for exact in (True, False):
        for f in fields:
            if f.key in mapping:
                continue
            for synonym in f.synonyms:
                match = next((h for h in available if h not in used and (
                    normal[h] == synonym if exact else len(synonym) >= 3 and synonym in normal[h])), None)
                if match is not None:
                    mapping[f.key] = match
                    used.add(match)
                    break
    return {f.key: mapping[f.key] for f in fields if f.key in mapping}


def load_list(path: Path, fields: Sequence[IntakeField], what: str) -> tuple[RawSheet, dict[str, int]]:
    """A list other than the work orders (case files, certificate holders: issue 16) read with this reader, and its
    columns found by their usual headers: (sheet, field key -> column index). Refuses a list that lacks a required
    column, naming it, the headers found and the headers to use."""
    sheet = load_sheet(path, fields, what)
    mapping = suggest_mapping(sheet.headers, fields)
    missing = [f.label for f in fields if f.required and f.key not in mapping]
    if missing:
        wanted = "、".join(f.label for f in fields if f.required)
        raise ValidationError(f"文件“{sheet.file_name}”中没有找到“{'”“'.join(missing)}”列（表头：{'、'.join(sheet.headers)}）。"
                              f"请把列名改为{wanted}后重新导入。", "file")
    return sheet, {key: sheet.headers.index(header) for key, header in mapping.items()}


def check_mapping(headers: Sequence[str], columns: Mapping[str, str]) -> None:
    """Refuse a mapping the file cannot satisfy, naming the field and the column."""
    for key, header in columns.items():
        if key not in FIELD_BY_KEY:
            raise IntakeMappingError(f"映射中有未知的字段“{key}”，请重新选择列。", key)
        if header and header not in headers:
            label = FIELD_BY_KEY[key].label
            raise IntakeMappingError(f"文件中没有“{header}”这一列（映射给“{label}”）。请为“{label}”重新选择列，"
                                     "或换用适合该文件的映射。", key)
    for f in FIELDS:
        if f.required and not columns.get(f.key):
            raise IntakeMappingError(f"请为“{f.label}”选择对应的列：没有它无法{'去重' if f.key == 'work_order_no' else '登记'}。",
                                     f.key)
    if not columns.get("title") and not columns.get("content"):
        raise IntakeMappingError("请至少为“标题”或“诉求内容”选择一列。", "title")


# ---- cells ----------------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None) | {0xA0: " ", 0x3000: " "}


def cell_text(value: Any) -> str:
    """Any cell as the text a clerk sees: 13812345678.0 -> '13812345678', dates as 2026-03-05."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != time(0) else value.strftime("%Y-%m-%d")
    if isinstance(value, (date, time, timedelta)):
        return value.isoformat() if not isinstance(value, timedelta) else str(value)
    text = str(value).translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


_DATE_PREFIX = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_TIME_REST = re.compile(r"^(?:[\sT]*\d{1,2}\s*[:时点]\s*\d{1,2}\s*(?:[:分]\s*(?:\d{1,2}(?:\.\d+)?\s*秒?)?)?)?\s*$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\d{4,6})?$")
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


def parse_date(value: Any) -> date | None:
    """A received date from whatever the export holds; None when the cell is empty.

    Raises ValueError when the cell holds something that is not a valid date."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        day = _from_serial(float(value))
    else:
        text = cell_text(value)
        match = _DATE_PREFIX.match(text)
        if match and _TIME_REST.match(text[match.end():]):
            y, m, d = (int(g) for g in match.groups())
        elif (compact := _COMPACT.match(text)) is not None:
            y, m, d = (int(g) for g in compact.groups())
        elif re.fullmatch(r"\d{5}(?:\.\d+)?", text):
            return _checked(_from_serial(float(text)))
        else:
            raise ValueError(text)
        day = date(y, m, d)  # ValueError for 2026-13-01
    return _checked(day)


def _from_serial(serial: float) -> date:
    """Excel's day count (1900 system, with its phantom 29 February 1900)."""
    if not 1 <= serial < 2_958_466:
        raise ValueError(serial)
    return (datetime(1899, 12, 30) + timedelta(days=int(serial))).date()


def _checked(day: date) -> date:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(day)
    return day


def enforcement_keyword(text: str, keywords: Sequence[str] = ENFORCEMENT_KEYWORDS) -> str | None:
    return next((k for k in keywords if k in text), None)


# ---- rows -----------------------------------------------------------------------------------------------


def _shown(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class _RowBuilder:
    row: int
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, text: str) -> None:
        self.errors.append(f"第 {self.row} 行：{text}")

    def warn(self, text: str) -> None:
        self.warnings.append(f"第 {self.row} 行：{text}")

    def cut(self, text: str, limit: int, label: str) -> str:
        if len(text) <= limit:
            return text
        self.warn(f"“{label}”过长（{len(text)} 字），只导入了前 {limit} 字，完整内容请以原始工单为准。")
        return text[:limit]


def parse_rows(sheet: RawSheet, columns: Mapping[str, str], today: date | None = None,
               keywords: Sequence[str] = ENFORCEMENT_KEYWORDS) -> list[IntakeRow]:
    """Apply a checked mapping to every data row. Row problems become messages on the row."""
    check_mapping(sheet.headers, columns)
    index = {key: sheet.headers.index(header) for key, header in columns.items() if header}
    received_label = columns["received_at"]
    out = []
    for number, values in sheet.rows:
        b = _RowBuilder(number)

        def text(key: str, values: tuple[Any, ...] = values) -> str:
            return cell_text(values[index[key]]) if key in index else ""

        ref = text("work_order_no")
        if not ref:
            b.error("没有工单编号，无法判断是否重复。请在文件中补上后重新导入。")
        elif len(ref) > REF_MAX:
            b.error(f"工单编号“{_shown(ref)}”过长（{len(ref)} 字），请检查“工单编号”对应的列是否选对。")
        elif "\n" in ref:
            b.error(f"工单编号“{_shown(ref)}”含有换行，请检查该单元格。")
        raw_date = values[index["received_at"]]
        received: date | None = None
        try:
            received = parse_date(raw_date)
        except (ValueError, OverflowError):
            b.error(f"{received_label}“{_shown(cell_text(raw_date))}”不是有效日期。")
        else:
            if received is None:
                b.error(f"没有{received_label}。")
            elif today is not None and received > today:
                b.error(f"{received_label} {received:%Y-%m-%d} 晚于今天，请检查日期。")
        content = b.cut(text("content"), CONTENT_MAX, "诉求内容")
        title = text("title")
        if not title and content:
            first = content.split("\n", 1)[0].strip()
            title = first if len(first) <= DERIVED_TITLE else first[:DERIVED_TITLE] + "…"
        elif "\n" in title:
            title = " ".join(title.split())
        if not title:
            b.error("标题和诉求内容都是空的。")
        title = b.cut(title, TITLE_MAX, "标题")
        category = b.cut(text("category"), SHORT_MAX, "诉求类型")
        row = IntakeRow(
            row=number, work_order_no=ref, received_on=received, title=title, content=content,
            complainant=b.cut(text("complainant"), NAME_MAX, "来电人"),
            phone=b.cut(text("phone"), PHONE_MAX, "联系电话"),
            address=b.cut(text("address"), SHORT_MAX, "事发地址"),
            unit=b.cut(text("unit"), SHORT_MAX, "承办单位"),
            category=category,
            keyword=enforcement_keyword("\n".join((title, content, category)), keywords),
            errors=tuple(b.errors), warnings=tuple(b.warnings),
        )
        out.append(row)
    return out
