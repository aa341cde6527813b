"""表格文书 (送达回证, 登记表, 报送表): a ruled grid across the full 156 mm of the block, text in 4号 仿宋."""

from __future__ import annotations

from ..fonts import FontSet
from ..model import TableSpec
from .breaking import LineText, balanced_lines, break_lines
from .geometry import HEIGHT, SMALL, WIDTH
from .items import CellBox, TableRow

SIZE = SMALL
LINE_PITCH = 22.0  # 14 pt text set 1.57 apart: room to read, room to write by hand in min_lines cells
PAD_X = SIZE / 2
PAD_Y = 9.0


def table_rows(table: TableSpec, fonts: FontSet) -> list[TableRow]:
    """One item per row; the paginator cuts a row only when it is taller than a page."""
    columns = table.columns
    if not columns or any(w <= 0 for w in columns):
        raise ValueError("表格列宽必须为正数")
    total = sum(columns)
    edges = [WIDTH * sum(columns[:k]) / total for k in range(len(columns) + 1)]
    rows: list[TableRow] = []
    for r, row in enumerate(table.rows, 1):
        spans = sum(cell.span for cell in row)
        if spans != len(columns) or any(cell.span < 1 for cell in row):
            raise ValueError(f"表格第{r}行共占{spans}列，应为{len(columns)}列")
        col = 0
        cells: list[tuple[float, float, list[LineText], int]] = []
        for cell in row:
            x0, x1 = edges[col], edges[col + cell.span]
            col += cell.span
            cells.append((x0, x1, _cell_lines(cell.text, cell.label, x1 - x0 - 2 * PAD_X, fonts), cell.min_lines))
        n = max([1] + [max(len(lines), min_lines) for _, _, lines, min_lines in cells])
        rows.append(_row(cells, n))
    return rows


def _cell_lines(text: str, label: bool, inner: float, fonts: FontSet) -> list[LineText]:
    if not text.strip():
        return []
    def advance(ch: str) -> float:
        return fonts.advance(ch, "仿宋") * SIZE / 1000

    if label:  # label cells are centred, wrapped in even lines
        return balanced_lines(text, advance, inner)
    return break_lines(text, advance, first_x=0, rest_x=0, right=inner)


def _row(cells: list[tuple[float, float, list[LineText], int]], n: int) -> TableRow:
    tall = n * LINE_PITCH + 2 * PAD_Y > HEIGHT  # it will be cut across pages: text at the top of every cell
    boxes = []
    for x0, x1, lines, min_lines in cells:
        # Text is centred in a row made tall by its neighbours; a cell asking for writing room keeps its text at
        # the top so the space below stays free for a signature.
        first = 0.0 if tall or min_lines > len(lines) else (n - len(lines)) / 2
        boxes.append(CellBox(x0, x1, lines, "仿宋", first))
    return TableRow(cells=boxes, lines=n, size=SIZE, line_pitch=LINE_PITCH, pad_x=PAD_X, pad_y=PAD_Y)
