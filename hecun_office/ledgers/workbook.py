"""L-1: the one layout every ledger is printed in, and the file written so that a failure leaves nothing behind.

A ledger is a title row (office and period) merged across the columns, the Chinese headers on row 2, then one row
per record: real date cells (``yyyy-mm-dd``), numbers as numbers, columns as wide as their contents (a CJK
character counts double) up to a limit beyond which the text wraps. Printing is set up as the bureau files them:
A4 landscape, fitted to the page width, rows 1–2 repeated on every page, page numbers in the footer; on screen the
header stays frozen and carries an autofilter.

openpyxl builds the workbook in write-only mode — styles, widths, frozen panes, autofilter, merged title and note,
print titles, page set-up, footer, the title and header rows; the rows below the header are formatted as text in
the form openpyxl would write them and put into the saved file (sheet_rows.py says why: N-2, < 3 s for the whole
command on 10,000 rows). Files are written through a temporary file and renamed (files.write_atomically).

No database here: rows of plain values go in, a file comes out.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from ..domain.errors import EnvironmentProblem
from ..files import write_atomically
from . import sheet_rows

DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"
A4 = 9  # openpyxl's PAPERSIZE_A4
TITLE_ROW, HEADER_ROW = 1, 2
FOOTER = "第 &P 页，共 &N 页"
MIN_WIDTH = 4.0
DATE_WIDTH = 11.5
WRAP_WIDTH = 40.0  # wider text wraps: a title of 100 characters must not push the other columns off the page
LINE_HEIGHT = 13.0  # points per line of the 10-point body font
HEADER_LINE_HEIGHT = 15.0  # of the 11-point bold headers
WIDTH_SAMPLE = 2000  # rows looked at for a column's width: the widest of 10,000 is rarely wider than of the first 2,000


class Kind(Enum):
    TEXT = "text"  # short words (numbers of record, labels, names); wraps if it must, like LONG_TEXT
    LONG_TEXT = "long_text"  # titles, unit names: expected to wrap at the column's width
    DATE = "date"
    NUMBER = "number"
    PERCENT = "percent"  # a fraction 0..1 shown as 87.5 %; None shows "—"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    max_width: float = WRAP_WIDTH


@dataclass(frozen=True)
class Sheet:
    name: str  # the worksheet tab, e.g. 监督事项台账
    title: str  # the title row, e.g. 贺村司法所 监督事项台账（2026年3月）
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[object]]
    note: str = ""  # definitions printed below the table (how a rate is counted), one paragraph


def display_width(text: str) -> float:
    """Width in Excel's character units: a CJK (full-width) character takes two."""
    return float(sum(2 if ord(ch) > 0x2E7F else 1 for ch in text))


def column_widths(sheet: Sheet) -> list[float]:
    widths = []
    for n, col in enumerate(sheet.columns):
        if col.kind is Kind.DATE:  # 2026-03-05; a longer header wraps
            widths.append(DATE_WIDTH)
            continue
        widest = display_width(col.header)
        for row in sheet.rows[:WIDTH_SAMPLE]:
            value = row[n]
            if value is not None:
                widest = max(widest, display_width(_shown(value)))
        widths.append(min(max(widest + 2, MIN_WIDTH), col.max_width))
    return widths


def _lines(row: Sequence[object], wrapping: Sequence[tuple[int, float]]) -> int:
    """How many lines the row's tallest wrapped cell takes at its column's width."""
    most = 1
    for n, room in wrapping:
        value = row[n]
        if isinstance(value, str) and len(value) * 2 > room:  # only then can it be wider than its column
            # A CJK character of the 10-point 宋体 is about 1.8 of Excel's units (the width of a Calibri 11 "0").
            most = max(most, math.ceil(display_width(value) * 0.9 / max(room, 1.0)))
    return most


def _shown(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1%}"
    return str(value)


class _Styles:
    """The few looks of a ledger, made once: a styled cell per value is what write-only mode costs."""

    def __init__(self) -> None:
        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title_font = Font(name="宋体", size=14, bold=True)
        self.header_font = Font(name="宋体", size=11, bold=True)
        self.body_font = Font(name="宋体", size=10)
        self.header_fill = PatternFill("solid", fgColor="DDE4EE")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.top = Alignment(vertical="top")
        self.middle = Alignment(horizontal="center", vertical="top")
        self.wrap = Alignment(vertical="top", wrap_text=True)


def _style_ids(ws: Any, st: _Styles) -> dict[Kind, int]:
    """The workbook's style index of each kind of column, registered on a model cell: the rows only name it."""
    ids = {}
    for kind in Kind:
        cell = WriteOnlyCell(ws)
        cell.font, cell.border = st.body_font, st.border
        if kind is Kind.DATE:
            cell.number_format, cell.alignment = DATE_FORMAT, st.middle
        elif kind is Kind.PERCENT:
            cell.number_format, cell.alignment = PERCENT_FORMAT, st.middle
        elif kind is Kind.NUMBER:  # counts, ranks and 序号 centred, as on the paper forms; "—" with them
            cell.alignment = st.middle
        else:  # text wraps at its column's width; the row is made as tall as it needs (build)
            cell.alignment = st.wrap
        ids[kind] = cell.style_id
    return ids


def build(sheet: Sheet) -> bytes:
    """The .xlsx file of ``sheet``."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet.name[:31])
    st = _Styles()
    ncols = len(sheet.columns)
    last = get_column_letter(ncols)
    widths = column_widths(sheet)
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(sheet.rows), 1)}"
    ws.merged_cells.add(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.6
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.oddFooter.center.text = FOOTER
    ws.evenFooter.center.text = FOOTER
    ws.row_dimensions[TITLE_ROW].height = 28
    header_lines = max(math.ceil(display_width(col.header) * 0.95 / max(w - 0.5, 1.0)) for col, w in
                       zip(sheet.columns, widths, strict=True))
    if header_lines > 1:  # a long header in a narrow column (期限为推算) wraps: the row grows with it
        ws.row_dimensions[HEADER_ROW].height = HEADER_LINE_HEIGHT * header_lines
    if sheet.note:  # Excel does not grow a merged cell to fit its text: the note's row height is set (_data_xml)
        note_row = HEADER_ROW + len(sheet.rows) + 2
        ws.merged_cells.add(f"A{note_row}:{last}{note_row}")

    title = WriteOnlyCell(ws, value=sheet.title)
    title.font, title.alignment = st.title_font, Alignment(horizontal="center", vertical="center")
    ws.append([title])
    headers = []
    for col in sheet.columns:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font, cell.fill, cell.alignment, cell.border = st.header_font, st.header_fill, st.center, st.border
        headers.append(cell)
    ws.append(headers)
    ids = _style_ids(ws, st)
    note_id = _note_style_id(ws, st)
    out = io.BytesIO()
    wb.save(out)
    return sheet_rows.insert_rows(out.getvalue(), _data_xml(sheet, widths, ids, note_id))


def _data_xml(sheet: Sheet, widths: Sequence[float], ids: dict[Kind, int], note_id: int) -> str:
    columns = sheet.columns
    letters = sheet_rows.letters(len(columns))
    styles = [ids[col.kind] for col in columns]
    percent = [n for n, col in enumerate(columns) if col.kind is Kind.PERCENT]
    wrapping = [(n, w - 1.0) for n, (col, w) in enumerate(zip(columns, widths, strict=True))
                if col.kind in (Kind.TEXT, Kind.LONG_TEXT)]
    parts = []
    for at, values in enumerate(sheet.rows, start=HEADER_ROW + 1):
        if percent:
            values = ["—" if n in percent and v is None else v for n, v in enumerate(values)]  # no rate is not 0 %
        lines = _lines(values, wrapping)
        # Excel and WPS keep a row's stored height: a wrapped cell needs it set, or its text is cut off.
        parts.append(sheet_rows.row(at, values, styles, letters, LINE_HEIGHT * lines if lines > 1 else None))
    if sheet.note:  # after one empty row, outside the autofilter: a filtered table keeps its note in place
        lines = int(display_width(sheet.note) // max(sum(widths) * 0.9, 1.0)) + 1
        parts.append(sheet_rows.row(HEADER_ROW + len(sheet.rows) + 2, [sheet.note], [note_id], ["A"],
                                    LINE_HEIGHT * lines + 4))
    return "".join(parts)


def _note_style_id(ws: Any, st: _Styles) -> int:
    note = WriteOnlyCell(ws)
    note.font, note.alignment = st.body_font, Alignment(vertical="top", wrap_text=True)
    return int(note.style_id)


def locked_by_other_program(path: Path) -> bool:
    """Excel (~$name) and WPS/LibreOffice (.~lock.name#) leave an owner file beside a workbook they have open.
    On Windows the open file also refuses the rename (PermissionError); elsewhere only the owner file tells."""
    return (path.with_name("~$" + path.name).exists()
            or path.with_name(f".~lock.{path.name}#").exists())


def in_use_message(path: Path) -> str:
    return f"文件“{path}”正被其他程序（如 Excel、WPS）打开，请关闭后重试，或换一个文件名。"


def check_target(path: Path) -> None:
    """Refuse, before any work, a target that cannot be written: the folder is missing (files.write_atomically
    would create it, and a mistyped folder is an error), the name is a folder, or the file is open elsewhere."""
    if not path.parent.is_dir():
        raise EnvironmentProblem(f"文件夹“{path.parent}”不存在，请先建立该文件夹或换一个保存位置。")
    if path.is_dir():
        raise EnvironmentProblem(f"“{path}”是一个文件夹，请换一个文件名。")
    if locked_by_other_program(path):
        raise EnvironmentProblem(in_use_message(path))


@contextmanager
def _explained(path: Path) -> Iterator[None]:
    """OS errors while writing ``path`` as the clerk's message."""
    try:
        yield
    except PermissionError as exc:
        if exc.filename2 is None:  # no rename was tried: the folder itself refuses new files
            raise EnvironmentProblem(f"无法在文件夹“{path.parent}”中保存文件：没有写入权限。请换一个保存位置。") from None
        # The rename over the target was refused: on Windows, Excel or WPS holds it open.
        raise EnvironmentProblem(in_use_message(path)) from None
    except OSError as exc:
        raise EnvironmentProblem(f"无法写入“{path}”（{exc.strerror or exc}），请检查磁盘空间或换一个保存位置。") from None


def save(data: bytes, path: Path) -> None:
    """``data`` to ``path`` through a temporary file in the same folder, renamed over ``path`` only once complete
    (files.write_atomically): an existing ledger is replaced only by a whole new one, and a failure leaves neither
    a half file nor the temporary one. Raises EnvironmentProblem with the clerk's message."""
    check_target(path)
    with _explained(path):
        write_atomically(path, data)


def write_ledger(sheet: Sheet, path: Path) -> None:
    check_target(path)  # before the work of building it
    save(build(sheet), path)


def stage(data: bytes, path: Path) -> Path:
    """``data`` in a temporary file beside ``path``, on disk, for ``place`` later: several ledgers made in one go
    replace their targets only when all of them are made (a cancel leaves the old files as they were)."""
    check_target(path)
    with _explained(path):
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".xlsx.tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
    return Path(name)


def place(staged: Path, path: Path) -> None:
    """Rename a ``stage``d file over ``path``; on failure the staged file is removed."""
    try:
        with _explained(path):
            os.replace(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
