"""Forms as data (SPEC D-1, D-2): load and validate ``forms/*.toml``; document numbers (D-3).

A form file is checked completely before the application uses it; every problem is a ``FormError`` whose Chinese
message names the file and the key (``forms/supervision_advice.toml：字段 fields[2].type …``), so an office that
adapts wording can find its mistake without reading code. forms/README.md documents the format.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeGuard

from ..domain.errors import DomainError
from .model import LayoutKind


class FormError(DomainError):
    """A form file is wrong. ``file`` is shown as ``forms/<name>.toml``; ``field`` is the key path, if any."""

    def __init__(self, file: str, message: str, field: str | None = None) -> None:
        super().__init__(f"{file}：{message}")
        self.file = file
        self.field = field


class FieldType(StrEnum):
    TEXT = "text"  # one line
    LONG_TEXT = "long_text"  # paragraphs separated by newlines; headings detected like the body template
    DATE = "date"  # YYYY-MM-DD in data, 2026年3月5日 on paper
    NUMBER = "number"  # whole number
    CHOICE = "choice"  # one of ``choices``


class Side(StrEnum):
    OFFICE = "office"  # 司法所端
    BUREAU = "bureau"  # 司法局端


SIDE_LABELS = {Side.OFFICE: "司法所端", Side.BUREAU: "司法局端"}

# Data the application can supply as field defaults (``default = "matter.facts"``). The service that drafts a
# document fills what it knows; anything missing simply leaves the field empty for the clerk.
CONTEXT_PATHS: dict[str, str] = {
    "today": "今天的日期",
    "office.name": "机构名称",
    "office.abbr": "机关代字",
    "office.township": "所在乡镇（街道）",
    "office.county": "所在县（市、区）",
    "office.bureau_name": "上级司法局名称",
    "office.rectification_days": "默认整改期限（日）",
    "matter.reg_no": "事项登记编号",
    "matter.title": "事项名称",
    "matter.facts": "基本事实",
    "matter.legal_basis": "法律依据",
    "matter.received_on": "受理日期",
    "matter.source": "事项来源",
    "matter.source_ref": "来源编号（如工单号）",
    "matter.category": "监督内容类别",
    "matter.track": "办理类型（一般事项/高频事项）",
    "matter.units": "被监督单位（全部，以顿号分隔）",
    "matter.unit": "被监督单位（主要）",
    "matter.rectification_deadline": "整改期限届满日",
    "matter.handler": "承办人",
    "matter.advice_text": "高频事项模板的标准建议内容",
    "matter.timeline": "办理经过（按时间顺序叙述）",
    "matter.escalation_reason": "提请情形（逾期不改或情节严重、复杂）",
    "matter.out_of_scope_reason": "认定超出监督范围的理由",
    "related.title": "所依据或所送达文书的名称",
    "related.number": "所依据或所送达文书的文号",
    "related.date": "所依据或所送达文书的成文日期",
    "related.issuer": "所依据或所送达文书的发文机关",
    "stats.year": "统计年度",
    "stats.period": "统计期间（如 2026年2月）",
    "stats.matters_received": "受理监督事项数",
    "stats.matters_closed": "办结监督事项数",
    "stats.advices_issued": "制发建议书数",
    "stats.rectified": "已整改数",
    "stats.rectifying": "整改中数",
    "stats.overdue": "逾期未整改数",
    "stats.escalations": "提请制发监督通知书数",
    "stats.assistance_requests": "提交执法协作文书数",
    "stats.clue_transfers": "移送违法线索数",
    "stats.case_files_reviewed": "评查案卷数",
    "stats.rectified_on_time": "按期整改数（本期确认整改、未超过整改期限）",
    "stats.rectified_late": "逾期整改数（本期确认整改、已超过整改期限）",
    "stats.rectification_rate": "建议书按期整改率（含计算依据）",
    "stats.report_rate": "3个工作日内报告司法局按时率（含计算依据）",
    "stats.by_source": "受理事项按来源分列（如 12345政务服务热线 5件、日常监督 3件）",
    "stats.by_category": "受理事项按监督内容类别分列",
    "stats.by_unit": "受理事项按被监督单位分列",
    "stats.by_outcome": "受理事项截至期末的办理状态分列",
}

# Placeholders every template may use besides the form's own fields.
TEMPLATE_GLOBALS: dict[str, str] = {
    "number": "文号（签发时编定，样稿为空）",
    "date": "成文日期",
    **{k: v for k, v in CONTEXT_PATHS.items() if k.startswith("office.")},
}

_ID = re.compile(r"[a-z][a-z0-9_]*")
_PLACEHOLDER_NAME = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?")
_PATH_LIKE = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|\{|\}")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")

# -- templates -----------------------------------------------------------------------------------------------


def placeholders(template: str) -> list[str]:
    """Names of the ``{placeholders}`` in order; ``{{`` and ``}}`` are literal braces. ValueError if malformed."""
    names = []
    for match in _TOKEN.finditer(template):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None:
            raise ValueError(f"有不成对的花括号“{token}”（要写花括号本身，请写 {{{{ 或 }}}}）")
        if not _PLACEHOLDER_NAME.fullmatch(name):
            raise ValueError(f"占位符 {{{name}}} 写法不对（只能用小写英文字母、数字、下划线，机构信息写作 {{office.name}}）")
        names.append(name)
    return names


def substitute(template: str, lookup: Callable[[str], str]) -> tuple[str, bool]:
    """Fill a template. Returns the text and whether it had placeholders that all came out empty
    (such a line is left out: an optional field that was not filled leaves no half sentence behind)."""
    seen = 0
    filled = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal seen, filled
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        value = lookup(match.group(1))
        seen += 1
        filled += bool(value.strip())
        return value

    text = _TOKEN.sub(replace, template)
    return text, seen > 0 and filled == 0


# -- numbering (D-3) -----------------------------------------------------------------------------------------

_NUMBER_PLACEHOLDERS = {"abbr", "year", "n"}


def number_pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a valid document-number pattern, or None."""
    try:
        names = placeholders(pattern)
    except ValueError as exc:
        return str(exc)
    unknown = [n for n in names if n not in _NUMBER_PLACEHOLDERS]
    if unknown:
        return f"只能使用 {{abbr}}、{{year}}、{{n}} 三个占位符，不能用 {{{unknown[0]}}}"
    if "{year}" not in pattern or "{n}" not in pattern:
        return "必须包含 {year}（四位年份）和 {n}（序号），例如 {abbr}建〔{year}〕{n}号"
    if "〔{year}〕" not in pattern:
        return "年份应放在六角括号〔〕（U+3014/U+3015）内，例如 {abbr}建〔{year}〕{n}号，不能用 []、（）或【】"
    if "第" in pattern:
        return "文号中不加“第”字，例如 {abbr}建〔{year}〕{n}号"
    if "0{n}" in pattern:
        return "序号不编虚位（不写 001），{n} 前不能加 0"
    return None


def number_for(pattern: str, abbr: str, year: int, n: int) -> str:
    """``number_for("{abbr}建〔{year}〕{n}号", "贺司", 2026, 3)`` → ``贺司建〔2026〕3号`` (no leading zeros)."""
    problem = number_pattern_problem(pattern)
    if problem:
        raise ValueError(f"文号格式“{pattern}”{problem}。")
    if not 1000 <= year <= 9999:
        raise ValueError(f"年份应为四位数（收到：{year}）。")
    if n < 1:
        raise ValueError(f"序号应从 1 开始（收到：{n}）。")
    values = {"abbr": abbr, "year": str(year), "n": str(n)}
    return substitute(pattern, lambda name: values[name])[0]


# -- definitions ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDef:
    name: str
    label: str
    type: FieldType
    required: bool = False
    # a CONTEXT_PATHS key or a literal value; a tuple lists alternatives, the first that has a value wins
    default: str | int | date | tuple[str | int | date, ...] | None = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    help: str = ""

    @property
    def alternatives(self) -> tuple[str | int | date, ...]:
        """The default's alternatives in order (one for a plain default, none without a default)."""
        if self.default is None:
            return ()
        return self.default if isinstance(self.default, tuple) else (self.default,)

    @property
    def default_path(self) -> str | None:
        """The context path of a plain (single) default, or None when it is a literal, a list or absent."""
        return self.default if is_context_path(self.default) else None


def is_context_path(value: object) -> TypeGuard[str]:
    """A default written as a data source (``matter.facts``) rather than a literal value."""
    return isinstance(value, str) and value in CONTEXT_PATHS


@dataclass(frozen=True)
class CellDef:
    text: str  # template
    label: bool = False
    span: int = 1
    min_lines: int = 1
    blank: str = ""  # printed instead when every placeholder of ``text`` is empty (room for handwriting)


@dataclass(frozen=True)
class TableDef:
    columns: tuple[float, ...]
    rows: tuple[tuple[CellDef, ...], ...]


@dataclass(frozen=True)
class FormDef:
    id: str
    name: str
    side: Side
    layout: LayoutKind
    title: str  # template
    template: str  # body template
    fields: tuple[FieldDef, ...]
    number_pattern: str = ""
    recipient: str = ""
    signer: str = ""
    signature: str = ""
    masthead_suffix: str | None = None  # None: 文件 for document/report layouts, nothing for letters and tables
    dated: bool = True
    note: str = ""
    carbon_copy: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    deadline_from_service: bool = False
    rectification: bool = False
    table: TableDef | None = None
    path: Path | None = None

    def field(self, name: str) -> FieldDef:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


# -- loading -------------------------------------------------------------------------------------------------

_TOP_KEYS = {"id", "name", "side", "layout", "number_pattern", "recipient", "signer", "signature", "masthead_suffix",
             "dated", "note", "carbon_copy", "attachments", "deadline_from_service", "rectification", "fields",
             "body", "table"}
_TOP_REQUIRED = ("id", "name", "side", "layout", "fields", "body")
_FIELD_KEYS = {"name", "label", "type", "required", "default", "choices", "max_length", "min", "max", "help"}
_BODY_KEYS = {"title", "template"}
_TABLE_KEYS = {"columns", "rows"}
_CELL_KEYS = {"text", "label", "span", "min_lines", "blank"}
_TYPE_NAMES = {str: "文字（用引号括起）", bool: " true 或 false", int: "整数", list: "列表 [...]", dict: "表"}


def _display_name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def _quote(value: object) -> str:
    return f"“{value}”"


def _one_of(values: list[str]) -> str:
    return "、".join(values)


class _Checker:
    """Reads one parsed form file, raising FormError at the first problem."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.file = _display_name(path)
        self.data = data

    def fail(self, key: str | None, message: str) -> FormError:
        prefix = f"字段 {key} " if key else ""
        return FormError(self.file, f"{prefix}{message}", key)

    def unknown(self, table: Mapping[str, Any], allowed: set[str], where: str) -> None:
        extra = sorted(set(table) - allowed)
        if extra:
            key = f"{where}.{extra[0]}" if where else extra[0]
            raise self.fail(key, f"是未知的键（可用的键：{_one_of(sorted(allowed))}）。")

    def typed(self, table: Mapping[str, Any], key: str, kind: type, where: str, *, required: bool = False,
              default: Any = None) -> Any:
        full = f"{where}.{key}" if where else key
        if key not in table:
            if required:
                raise self.fail(None, f"缺少必填的键 {full}。")
            return default
        value = table[key]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok:
            raise self.fail(full, f"的值 {_quote(value)} 类型不对，应为{_TYPE_NAMES.get(kind, '数字')}。")
        return value

    def text(self, table: Mapping[str, Any], key: str, where: str = "", *, required: bool = False) -> str:
        value: str = self.typed(table, key, str, where, required=required, default="")
        if required and not value.strip():
            raise self.fail(f"{where}.{key}" if where else key, "不能为空。")
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        values = self.typed(self.data, key, list, "", default=[])
        for i, value in enumerate(values):
            if not isinstance(value, str):
                raise self.fail(f"{key}[{i}]", f"的值 {_quote(value)} 类型不对，应为文字（用引号括起）。")
        return tuple(values)

    def form(self) -> FormDef:
        d = self.data
        self.unknown(d, _TOP_KEYS, "")
        for key in _TOP_REQUIRED:
            if key not in d:
                raise self.fail(None, f"缺少必填的键 {key}。")
        form_id = self.text(d, "id", required=True)
        if not _ID.fullmatch(form_id):
            raise self.fail("id", f"的值 {_quote(form_id)} 无效，只能用小写英文字母、数字和下划线，以字母开头。")
        if form_id != self.path.stem:
            raise self.fail("id", f"的值 {_quote(form_id)} 应与文件名一致（{self.path.stem}），请改 id 或改文件名。")
        name = self.text(d, "name", required=True)
        side = self.enum(d, "side", Side)
        layout = self.enum(d, "layout", LayoutKind)
        fields = self.fields()
        names = {f.name for f in fields}
        body = self.typed(d, "body", dict, "", required=True)
        self.unknown(body, _BODY_KEYS, "body")
        title = self.text(body, "title", "body", required=True)
        template = self.text(body, "template", "body", required=layout is not LayoutKind.TABLE)

        number_pattern = self.text(d, "number_pattern")
        if number_pattern:
            problem = number_pattern_problem(number_pattern)
            if problem:
                raise self.fail("number_pattern", f"的值 {_quote(number_pattern)} 无效：{problem}。")

        table = self.table(layout)
        masthead = self.typed(d, "masthead_suffix", str, "", default=None)
        form = FormDef(
            id=form_id, name=name, side=side, layout=layout, title=title, template=template, fields=fields,
            number_pattern=number_pattern, recipient=self.text(d, "recipient"), signer=self.text(d, "signer"),
            signature=self.text(d, "signature"), masthead_suffix=masthead,
            dated=self.typed(d, "dated", bool, "", default=True), note=self.text(d, "note"),
            carbon_copy=self.text_list("carbon_copy"), attachments=self.text_list("attachments"),
            deadline_from_service=self.typed(d, "deadline_from_service", bool, "", default=False),
            rectification=self.typed(d, "rectification", bool, "", default=False), table=table, path=self.path)
        if form.signer and layout is not LayoutKind.REPORT:
            raise self.fail("signer", "只用于 layout = \"report\"（上行文标注签发人），其他版式请删去。")
        self.rectification_rules(form)
        self.check_placeholders(form, names)
        return form

    def enum(self, table: Mapping[str, Any], key: str, kind: type[StrEnum]) -> Any:
        value = self.text(table, key, required=True)
        allowed = [m.value for m in kind]
        if value not in allowed:
            raise self.fail(key, f"的值 {_quote(value)} 无效，应为 {_one_of(allowed)} 之一。")
        return kind(value)

    def fields(self) -> tuple[FieldDef, ...]:
        raw = self.typed(self.data, "fields", list, "", required=True)
        result: list[FieldDef] = []
        seen: dict[str, int] = {}
        for i, entry in enumerate(raw):
            where = f"fields[{i}]"
            if not isinstance(entry, dict):
                raise self.fail(where, "应为 [[fields]] 表。")
            self.unknown(entry, _FIELD_KEYS, where)
            name = self.text(entry, "name", where, required=True)
            if not _ID.fullmatch(name):
                raise self.fail(f"{where}.name", f"的值 {_quote(name)} 无效，只能用小写英文字母、数字和下划线，以字母开头。")
            if name in TEMPLATE_GLOBALS or name == "office":
                raise self.fail(f"{where}.name", f"的值 {_quote(name)} 是保留名称（{TEMPLATE_GLOBALS.get(name, '机构信息')}），请换一个。")
            if name in seen:
                raise self.fail(f"{where}.name", f"的值 {_quote(name)} 与 fields[{seen[name]}] 重复，字段名不能重复。")
            seen[name] = i
            label = self.text(entry, "label", where, required=True)
            type_text = self.text(entry, "type", where, required=True)
            if type_text not in [t.value for t in FieldType]:
                raise self.fail(f"{where}.type",
                                f"的值 {_quote(type_text)} 无效，应为 {_one_of([t.value for t in FieldType])} 之一。")
            kind = FieldType(type_text)
            choices = self.typed(entry, "choices", list, where, default=None)
            if kind is FieldType.CHOICE:
                if not choices:
                    raise self.fail(f"{where}.choices", "不能缺少：type = \"choice\" 的字段要列出可选项，例如 choices = [\"直接送达\", \"邮寄送达\"]。")
                for j, c in enumerate(choices):
                    if not isinstance(c, str) or not c.strip():
                        raise self.fail(f"{where}.choices[{j}]", f"的值 {_quote(c)} 无效，应为非空文字。")
                if len(set(choices)) != len(choices):
                    raise self.fail(f"{where}.choices", "有重复的可选项。")
            elif choices is not None:
                raise self.fail(f"{where}.choices", f"只用于 type = \"choice\" 的字段（本字段是 {kind.value}）。")
            max_length = self.typed(entry, "max_length", int, where, default=None)
            if max_length is not None and (max_length < 1 or kind in (FieldType.DATE, FieldType.NUMBER)):
                raise self.fail(f"{where}.max_length", "应为正整数，且只用于文字类字段（text、long_text、choice）。")
            minimum = self.typed(entry, "min", int, where, default=None)
            maximum = self.typed(entry, "max", int, where, default=None)
            if (minimum is not None or maximum is not None) and kind is not FieldType.NUMBER:
                raise self.fail(f"{where}.{'min' if minimum is not None else 'max'}", "只用于 type = \"number\" 的字段。")
            if minimum is not None and maximum is not None and minimum > maximum:
                raise self.fail(f"{where}.min", f"（{minimum}）不能大于 max（{maximum}）。")
            field = FieldDef(name=name, label=label, type=kind,
                             required=self.typed(entry, "required", bool, where, default=False),
                             default=self.default(entry, where), choices=tuple(choices or ()), max_length=max_length,
                             minimum=minimum, maximum=maximum, help=self.text(entry, "help", where))
            if isinstance(field.default, tuple):
                for j, value in enumerate(field.default):
                    self.check_default(field, value, f"{where}.default[{j}]")
            else:
                self.check_default(field, field.default, f"{where}.default")
            result.append(field)
        return tuple(result)

    def default(self, entry: Mapping[str, Any], where: str) -> Any:
        value = entry.get("default")
        if isinstance(value, list):
            if not value:
                raise self.fail(f"{where}.default", "不能是空列表；列表依次列出候选的默认值，取第一个有内容的。")
            return tuple(value)
        return value

    def check_default(self, field: FieldDef, value: object, key: str) -> None:
        if value is None or is_context_path(value):
            return
        if isinstance(value, str) and _PATH_LIKE.fullmatch(value) and ("." in value or value == "today"):
            group = value.split(".")[0] + "."
            known = sorted(p for p in CONTEXT_PATHS if p.startswith(group)) or sorted(CONTEXT_PATHS)
            raise self.fail(key, f"的值 {_quote(value)} 不是可用的数据来源（可用：{_one_of(known)}；"
                                 "全部数据来源见 forms/README.md）。")
        if isinstance(value, str) and "{" in value:
            raise self.fail(key, f"的值 {_quote(value)} 含占位符：默认值原样填入，不是模板；要引用其他内容，"
                                 "请把这句话写进 body.template。")
        problem = None
        kind = field.type
        if kind in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.CHOICE) and not isinstance(value, str):
            problem = "应为文字"
        elif kind is FieldType.CHOICE and value not in field.choices:
            problem = f"不在 choices 中（{_one_of(list(field.choices))}）"
        elif kind is FieldType.NUMBER:
            if not isinstance(value, int) or isinstance(value, bool):
                problem = "应为整数"
            elif (field.minimum is not None and value < field.minimum) or (
                    field.maximum is not None and value > field.maximum):
                problem = "超出 min/max 的范围"
        elif kind is FieldType.DATE and not isinstance(value, date):
            if not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
                problem = "应为日期 YYYY-MM-DD"
            else:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    problem = "不是有效的日期"
        if problem:
            raise self.fail(key, f"的值 {_quote(value)} 无效：{problem}。")

    def table(self, layout: LayoutKind) -> TableDef | None:
        raw = self.data.get("table")
        if layout is not LayoutKind.TABLE:
            if raw is not None:
                raise self.fail("table", "只用于 layout = \"table\" 的表格文书。")
            return None
        if raw is None:
            raise self.fail(None, "缺少必填的键 table：layout = \"table\" 的文书要用 [table] 描述表格。")
        table = self.typed(self.data, "table", dict, "")
        self.unknown(table, _TABLE_KEYS, "table")
        columns = self.typed(table, "columns", list, "table", required=True)
        if not columns:
            raise self.fail("table.columns", "不能为空，应列出各列的相对宽度，例如 [1, 2, 1, 2]。")
        for i, width in enumerate(columns):
            if isinstance(width, bool) or not isinstance(width, int | float) or width <= 0:
                raise self.fail(f"table.columns[{i}]", f"的值 {_quote(width)} 无效，应为正数（相对宽度）。")
        rows_raw = self.typed(table, "rows", list, "table", required=True)
        if not rows_raw:
            raise self.fail("table.rows", "不能为空。")
        rows: list[tuple[CellDef, ...]] = []
        for r, row in enumerate(rows_raw):
            where = f"table.rows[{r}]"
            if not isinstance(row, list) or not row:
                raise self.fail(where, "应为非空的单元格列表，例如 [{ label = \"受送达人\" }, { text = \"{addressee}\", span = 3 }]。")
            cells = []
            for c, cell in enumerate(row):
                cw = f"{where}[{c}]"
                if not isinstance(cell, dict):
                    raise self.fail(cw, "应为单元格 { label = \"…\" } 或 { text = \"…\" }。")
                self.unknown(cell, _CELL_KEYS, cw)
                if ("text" in cell) == ("label" in cell):
                    raise self.fail(cw, "应恰好有 label（标签格）或 text（填写格）之一。")
                is_label = "label" in cell
                text = self.text(cell, "label" if is_label else "text", cw)
                span = self.typed(cell, "span", int, cw, default=1)
                min_lines = self.typed(cell, "min_lines", int, cw, default=1)
                if span < 1:
                    raise self.fail(f"{cw}.span", f"的值 {span} 无效，应为正整数。")
                if min_lines < 1:
                    raise self.fail(f"{cw}.min_lines", f"的值 {min_lines} 无效，应为正整数。")
                cells.append(CellDef(text=text, label=is_label, span=span, min_lines=min_lines,
                                     blank=self.text(cell, "blank", cw)))
            total = sum(cell.span for cell in cells)
            if total != len(columns):
                raise self.fail(where, f"的单元格合计跨 {total} 列，应为 {len(columns)} 列（与 table.columns 一致）。")
            rows.append(tuple(cells))
        return TableDef(columns=tuple(float(w) for w in columns), rows=tuple(rows))

    def rectification_rules(self, form: FormDef) -> None:
        if form.deadline_from_service and not form.rectification:
            raise self.fail("deadline_from_service", "只用于设定整改期限的文书（rectification = true）。")
        if form.rectification:
            days = next((f for f in form.fields if f.name == "rectification_days"), None)
            if days is None or days.type is not FieldType.NUMBER:
                raise self.fail("rectification", "为 true 时，文书须有 type = \"number\" 的字段 rectification_days（整改期限天数）。")

    def check_placeholders(self, form: FormDef, names: set[str]) -> None:
        templates: list[tuple[str, str]] = [("body.title", form.title), ("body.template", form.template),
                                            ("recipient", form.recipient), ("signer", form.signer),
                                            ("signature", form.signature), ("note", form.note)]
        templates += [(f"carbon_copy[{i}]", t) for i, t in enumerate(form.carbon_copy)]
        templates += [(f"attachments[{i}]", t) for i, t in enumerate(form.attachments)]
        if form.table:
            for r, row in enumerate(form.table.rows):
                for c, cell in enumerate(row):
                    where = f"table.rows[{r}][{c}]"
                    templates.append((f"{where}.{'label' if cell.label else 'text'}", cell.text))
                    templates.append((f"{where}.blank", cell.blank))
        allowed = names | set(TEMPLATE_GLOBALS)
        for key, template in templates:
            try:
                used = placeholders(template)
            except ValueError as exc:
                raise self.fail(key, f"{exc}。") from None
            for name in used:
                if name not in allowed:
                    raise self.fail(key, f"中的占位符 {{{name}}} 既不是本文书的字段，也不是可用的公共信息"
                                         f"（可用：{_one_of(sorted(names))}；{_one_of(sorted(TEMPLATE_GLOBALS))}）。")


def _parse(path: Path) -> dict[str, Any]:
    file = _display_name(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FormError(file, "不是 UTF-8 编码的文本，请用 UTF-8 保存。") from None
    except OSError as exc:
        raise FormError(file, f"无法读取（{exc.strerror or exc}）。") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        position = _TOML_POSITION.search(detail)
        where = f"第 {position.group(1)} 行第 {position.group(2)} 列" if position else ""
        detail = _TOML_POSITION.sub("", detail).strip()
        raise FormError(file, f"{where}有 TOML 语法错误（{detail}）。请检查引号、等号和方括号是否成对。") from None


def load_form(path: Path) -> FormDef:
    """One form file, fully validated."""
    return _Checker(path, _parse(path)).form()


def load_forms(directory: Path | None = None) -> dict[str, FormDef]:
    """Every ``*.toml`` in ``directory`` (default: the shipped forms/), by id, in file-name order."""
    if directory is None:
        from .. import paths

        directory = paths.forms_dir()
    files = sorted(directory.glob("*.toml"))
    parsed = [(path, _parse(path)) for path in files]
    owners: dict[str, Path] = {}
    for path, data in parsed:
        form_id = data.get("id")
        if isinstance(form_id, str) and form_id in owners:
            raise FormError(_display_name(path), f"字段 id 的值 {_quote(form_id)} 与 {_display_name(owners[form_id])} 重复，"
                                                 "每种文书的 id 必须唯一。", "id")
        if isinstance(form_id, str):
            owners[form_id] = path
    forms = {form.id: form for form in (_Checker(path, data).form() for path, data in parsed)}
    patterns: dict[tuple[Side, str], FormDef] = {}
    for form in forms.values():
        if not form.number_pattern:
            continue
        key = (form.side, form.number_pattern)
        other = patterns.get(key)
        if other is not None and form.path is not None and other.path is not None:
            raise FormError(_display_name(form.path),
                            f"字段 number_pattern 的值 {_quote(form.number_pattern)} 与 {_display_name(other.path)} 相同，"
                            "两种文书会编出相同的文号，请改用不同的代字。", "number_pattern")
        patterns[key] = form
    return forms
