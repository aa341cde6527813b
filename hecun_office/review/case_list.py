"""A unit's case-file list as the units hand it in (.xlsx), read by the work-order intake's reader: the same size
bounds, the same header detection — here with the headers case-file lists use (SPEC O-3)."""

from __future__ import annotations

from pathlib import Path

from ..ledgers.intake import IntakeField, cell_text, load_list
from .sampling import CaseFile

CASE_FILE_FIELDS: tuple[IntakeField, ...] = (
    IntakeField("unit", "被评查单位", ("被评查单位", "执法单位", "办案单位", "执法主体", "单位名称", "单位"), True),
    IntakeField("number", "案卷编号", ("案卷编号", "案件编号", "卷宗编号", "决定书文号", "案号", "文号", "编号"), True),
    IntakeField("title", "案件名称", ("案件名称", "案卷名称", "案由", "名称", "标题")),
)
WHAT = "案卷清单"


def read_case_list(path: Path) -> list[CaseFile]:
    """Every listed case file, in list order; refuses a list without a unit or a number column."""
    sheet, column = load_list(path, CASE_FILE_FIELDS, WHAT)

    def value(row: tuple[object, ...], key: str) -> str:
        index = column.get(key)
        return cell_text(row[index]) if index is not None and index < len(row) else ""

    return [CaseFile(value(row, "unit"), value(row, "number"), value(row, "title"), number)
            for number, row in sheet.rows if value(row, "unit") or value(row, "number")]
