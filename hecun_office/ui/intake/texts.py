"""How the work-order import reads on screen (M-5, M-7), through Qt's translation (U-1): the steps' titles, the
preview's summary and row detail, the result, and the sample value beside each column choice."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from ...domain.masking import mask_name, mask_phone
from ...services.intake import (
    FIELDS,
    ColumnMapping,
    Decision,
    IntakePreview,
    IntakeReport,
    PreviewRow,
    RawSheet,
    RowStatus,
    cell_text,
)
from .intake_tables import decision_label
from .intake_view import MAPPING_PAGE, PREVIEW_PAGE, RESULT_PAGE

C = "intake"
MASKED = {"complainant": mask_name, "phone": mask_phone}  # personal columns show masked samples (M-7)
SAMPLE_ROWS = 50  # a column whose first fifty rows are empty shows no sample
SAMPLE_CHARS = 20
FIELD_LABELS = {f.key: f.label for f in FIELDS}


def tr(text: str) -> str:
    return QCoreApplication.translate(C, text)


def step_texts(page: int) -> tuple[str, str]:
    """The title and the hint above each step."""
    if page == MAPPING_PAGE:
        return tr("第 1 步（共 3 步）：选择文件，核对列映射"), tr(
            "从 12345 热线或省投诉举报平台导出工单（.xlsx），选择文件后核对每一项对应文件中的哪一列。"
            "映射可以保存，下次导入同一平台的文件时直接选用。")
    if page == PREVIEW_PAGE:
        return tr("第 2 步（共 3 步）：预览，确定每一行的处理"), tr(
            "默认只登记与行政执法有关的工单；工单编号与已有事项相同的，合并到该事项。"
            "点击“确认导入”之前不会写入任何数据；导入中途取消，也不会留下任何数据。")
    assert page == RESULT_PAGE
    return tr("第 3 步（共 3 步）：导入结果"), tr(
        "文件中的每一行都列在下面：登记、合并、未导入或错误。有错误的行改正后可以再次导入，已导入的行会被识别为重复。")


def sample_text(sheet: RawSheet | None, header: str | None, key: str) -> str:
    """Beside a column choice, the column's first value, so the clerk can check the choice by eye."""
    if sheet is None or not header or header not in sheet.headers:
        return ""
    column = sheet.headers.index(header)
    value = next((cell_text(v[column]) for _, v in sheet.rows[:SAMPLE_ROWS] if cell_text(v[column])), "")
    value = " ".join(value.split())
    if not value:
        return tr("（前几行是空的）")
    if key in MASKED:
        value = MASKED[key](value)
    return tr("例：{value}").format(value=value if len(value) <= SAMPLE_CHARS else value[:SAMPLE_CHARS] + "…")


def sheet_text(sheet: RawSheet) -> str:
    return tr("工作表“{sheet}”，第 {header} 行是表头，共 {n} 行工单，{cols} 列。").format(
        sheet=sheet.sheet_name, header=sheet.header_row, n=len(sheet.rows), cols=len(sheet.headers))


def missing_columns_text(mapping: ColumnMapping, sheet: RawSheet | None) -> str:
    """A saved mapping chosen for a file that lacks some of its columns: which ones ("" when none is missing)."""
    if sheet is None:
        return ""
    missing = [f"{FIELD_LABELS[k]}（“{h}”）" for k, h in mapping.columns.items() if h not in sheet.headers]
    if not missing:
        return ""
    return tr("映射“{name}”中的这些列在本文件中没有找到：{missing}。请为它们重新选择列。").format(
        name=mapping.name, missing="、".join(missing))


def summary_text(preview: IntakePreview, decided: Mapping[Decision, int]) -> str:
    c = preview.counts()
    return tr(
        "<b>{file}</b>：共 {n} 行。新事项 {new}，与已有事项重复 {dup}，文件内重复 {infile}，非执法类 {other}，"
        "错误 {errors}。<br>确认后将<b>登记 {reg} 项、合并 {merge} 项</b>，其余 {skip} 行不导入。").format(
        file=preview.file_name, n=len(preview.rows), new=c[RowStatus.NEW], dup=c[RowStatus.DUPLICATE_EXISTING],
        infile=c[RowStatus.DUPLICATE_IN_FILE], other=c[RowStatus.NOT_ENFORCEMENT], errors=c[RowStatus.ERROR],
        reg=decided[Decision.REGISTER], merge=decided[Decision.MERGE], skip=decided[Decision.SKIP])


def confirm_text(decided: Mapping[Decision, int]) -> str:
    if not decided[Decision.REGISTER] + decided[Decision.MERGE]:
        return tr("没有要导入的工单")
    return tr("确认导入（登记 {reg}，合并 {merge}）").format(reg=decided[Decision.REGISTER],
                                                          merge=decided[Decision.MERGE])


def row_detail_text(item: PreviewRow, decision: Decision, default_unit: str) -> str:
    """Under the preview: what became of the selected row and why, with the complaint's text."""
    row = item.row
    lines = []
    if item.existing is not None:
        lines.append(tr("工单编号与 {reg_no}《{title}》相同。").format(reg_no=item.existing.reg_no,
                                                                   title=item.existing.title))
    if item.unit_id is not None:
        unit = tr("被监督单位：{unit}（按承办单位名称对应）").format(unit=item.unit_name)
    else:
        unit = tr("被监督单位：{unit}（承办单位“{text}”对应不到，用默认单位）").format(
            unit=default_unit, text=row.unit or tr("空"))
    lines.append(tr("第 {n} 行 · 处理：{decision} · {unit}").format(n=row.row, decision=decision_label(decision),
                                                                 unit=unit))
    if row.keyword:
        lines.append(tr("执法相关：含“{keyword}”").format(keyword=row.keyword))
    lines.extend(row.errors)
    lines.extend(row.warnings)
    lines.append(tr("诉求内容：{content}").format(content=row.content or tr("（无）")))
    return "\n".join(lines)


def result_text(report: IntakeReport) -> str:
    text = tr("<b>导入完成：登记 {reg} 项，合并 {merge} 项，未导入 {skip} 行，错误 {errors} 行。</b>").format(
        reg=len(report.registered), merge=len(report.merged), skip=len(report.skipped), errors=len(report.errors))
    numbers = "、".join(o.reg_no for o in report.registered)
    if numbers:
        text += "<br>" + tr("新登记：{numbers}").format(numbers=numbers)
    if report.merged:
        text += "<br>" + tr("合并到：{numbers}").format(
            numbers="、".join(f"{o.reg_no}（{o.work_order_no}）" for o in report.merged))
    return text
