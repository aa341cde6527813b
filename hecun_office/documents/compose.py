"""Compose a document from a form and field values (SPEC D-1): pure data in, ``DocumentSpec`` out.

No database and no Qt: the drafting service gathers a context (office profile, matter, related document,
statistics), ``field_values`` turns it into defaults, the clerk edits, ``validate_values`` checks the result and
``compose`` lays the text out as paragraphs, headings and table cells for the GB/T 9704 renderer.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, Protocol

from ..domain.errors import ValidationError
from .forms import FieldDef, FieldType, FormDef, is_context_path, substitute
from .model import Cell, DocumentSpec, HeadingLevel, LayoutKind, Paragraph, TableSpec

DRAFT_WATERMARK = "样稿"
OFFICE_KEYS = ("name", "abbr", "township", "county", "bureau_name", "rectification_days")

_HEADINGS = [
    (HeadingLevel.H1, re.compile(r"[一二三四五六七八九十百]+、")),
    (HeadingLevel.H2, re.compile(r"[（(][一二三四五六七八九十百]+[）)]")),
    (HeadingLevel.H3, re.compile(r"\d{1,3}[.．](?!\d)")),
    (HeadingLevel.H4, re.compile(r"[（(]\d{1,3}[）)]")),
]
_ATTACHMENT_NUMBER = re.compile(r"^\d{1,3}[.．、]\s*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"[+-]?\d+")


class OfficeLike(Protocol):
    """An office profile object (services.setup.ProfileView, ProfileInput, …); only ``name`` is required."""

    @property
    def name(self) -> str: ...


def format_date(day: date) -> str:
    """成文日期 in Arabic numerals without leading zeros (GB/T 9704 7.3.5.1): 2026年3月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def heading_level(line: str) -> HeadingLevel:
    """一、 → H1, （一） → H2, 1. → H3, （1） → H4, anything else a body paragraph."""
    for level, pattern in _HEADINGS:
        if pattern.match(line):
            return level
    return HeadingLevel.BODY


def paragraphs(text: str) -> list[Paragraph]:
    """Split text on newlines; blank lines vanish, leading indentation is dropped (the layout indents)."""
    result = []
    for raw in text.splitlines():
        line = raw.strip(" \t\u3000")
        if line:
            result.append(Paragraph(line, heading_level(line)))
    return result


# -- defaults ------------------------------------------------------------------------------------------------


def _lookup(context: Mapping[str, Any], path: str) -> Any:
    value: Any = context
    for part in path.split("."):
        if value is None:
            return None
        if isinstance(value, Mapping):
            value = value.get(part)
        else:
            value = getattr(value, part, None)
    return value


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, list | tuple):
        return "、".join(_as_text(v) for v in value if _as_text(v))
    return str(value)


def _coerce(field: FieldDef, value: Any) -> Any:
    """A context value in the shape the field expects (still validated later)."""
    if value is None:
        return None
    if field.type is FieldType.DATE:
        return value.date() if isinstance(value, datetime) else value
    if field.type is FieldType.NUMBER:
        return value
    return _as_text(value)


def field_values(form: FormDef, context: Mapping[str, Any], given: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults for every field (from ``context`` or the form's literal), overridden by ``given``.

    Keys of ``given`` that name no field are kept so that ``validate_values`` can report them.
    """
    values: dict[str, Any] = {}
    for field in form.fields:
        values[field.name] = None
        for alternative in field.alternatives:
            value = _coerce(field, _lookup(context, alternative)) if is_context_path(alternative) else alternative
            if value is not None and not (isinstance(value, str) and not value.strip()):
                values[field.name] = value
                break
    if given:
        values.update(given)
    return values


# -- validation ----------------------------------------------------------------------------------------------


def _who(field: FieldDef) -> str:
    """The field as the clerk sees it in the editor (its label); the key is for `render --data`, which adds it."""
    return f"“{field.label}”"


def _clean(field: FieldDef, raw: Any) -> Any:
    kind = field.type
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if field.required:
            raise ValidationError(f"请填写{_who(field)}。", field.name)
        return None if kind in (FieldType.DATE, FieldType.NUMBER) else ""
    if kind is FieldType.DATE:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = str(raw).strip()
        if not _ISO_DATE.fullmatch(text):
            raise ValidationError(f"{_who(field)}应为日期，格式 YYYY-MM-DD，例如 2026-03-05（收到：“{raw}”）。",
                                  field.name)
        try:
            return date.fromisoformat(text)
        except ValueError:  # well formed but no such day: not a format error (issue 11 item 6)
            raise ValidationError(f"{_who(field)}“{text}”不是有效日期，请核对年月日（例如二月只有 28 或 29 天）。",
                                  field.name) from None
    if kind is FieldType.NUMBER:
        number: int | None = None
        if isinstance(raw, bool):
            number = None
        elif isinstance(raw, int):
            number = raw
        elif isinstance(raw, float) and raw.is_integer():
            number = int(raw)
        elif isinstance(raw, str) and _INTEGER.fullmatch(raw.strip()):
            number = int(raw.strip())
        if number is None:
            raise ValidationError(f"{_who(field)}应为整数（收到：“{raw}”）。", field.name)
        low, high = field.minimum, field.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            span = f"在 {low} 到 {high} 之间" if low is not None and high is not None else (
                f"不小于 {low}" if low is not None else f"不大于 {high}")
            raise ValidationError(f"{_who(field)}应{span}（收到：{number}）。", field.name)
        return number
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValidationError(f"{_who(field)}应为文字（收到：“{raw}”）。", field.name)
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n")
    if kind is FieldType.LONG_TEXT:
        text = "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))
    else:
        text = "".join(line.strip() for line in text.split("\n"))
    if kind is FieldType.CHOICE and text not in field.choices:
        raise ValidationError(f"{_who(field)}的值“{text}”不在可选范围内，应为：{'、'.join(field.choices)}。", field.name)
    length = len(text.replace("\n", ""))
    if field.max_length is not None and length > field.max_length:
        raise ValidationError(f"{_who(field)}不能超过 {field.max_length} 字（现有 {length} 字）。", field.name)
    return text


def validate_values(form: FormDef, values: Mapping[str, Any]) -> dict[str, Any]:
    """Typed, checked values for every field of ``form``: str for text kinds ("" when empty), ``date`` or None,
    ``int`` or None. Raises ValidationError (``field`` set) at the first problem, in the form's field order."""
    names = form.field_names
    unknown = [key for key in values if key not in names]
    if unknown:
        raise ValidationError(f"文书“{form.name}”没有字段 {unknown[0]}。可用字段：{'、'.join(names)}。", unknown[0])
    return {field.name: _clean(field, values.get(field.name)) for field in form.fields}


# -- composition ---------------------------------------------------------------------------------------------


def _office_mapping(office: Mapping[str, Any] | OfficeLike) -> dict[str, Any]:
    if isinstance(office, Mapping):
        return dict(office)
    if dataclasses.is_dataclass(office) and not isinstance(office, type):
        return dataclasses.asdict(office)
    return {key: getattr(office, key) for key in OFFICE_KEYS if hasattr(office, key)}


def _lines(texts: Iterable[tuple[str, bool]]) -> list[str]:
    """Rendered list entries (attachments, 抄送): entries whose placeholders are all empty are left out, a
    multi-line value gives one entry per line, and a clerk's own numbering (1. 2.) is dropped — the layout numbers."""
    result = []
    for text, empty in texts:
        if empty:
            continue
        for line in text.splitlines():
            line = _ATTACHMENT_NUMBER.sub("", line.strip(" \t\u3000"))
            if line:
                result.append(line)
    return result


def compose(form: FormDef, values: Mapping[str, Any], office: Mapping[str, Any] | OfficeLike, *, number: str = "",
            date: date, draft: bool, preprinted: bool = False) -> DocumentSpec:
    """The document ``form`` makes from ``values`` for ``office``, dated ``date`` (成文日期)."""
    clean = validate_values(form, values)
    office_values = _office_mapping(office)
    date_text = format_date(date)

    def lookup(name: str) -> str:
        if name in clean:
            return _as_text(clean[name])
        if name == "number":
            return number
        if name == "date":
            return date_text
        if name.startswith("office."):
            return _as_text(office_values.get(name.removeprefix("office.")))
        raise KeyError(name)  # forms.load_forms has checked every placeholder

    def one_line(template: str) -> str:
        text, empty = substitute(template, lookup)
        return "" if empty else " ".join(part.strip() for part in text.splitlines() if part.strip())

    body: list[Paragraph] = []
    for line in form.template.splitlines():
        text, empty = substitute(line, lookup)
        if not empty:
            body += paragraphs(text)

    table = None
    if form.table:
        rows = []
        for row in form.table.rows:
            cells = []
            for cell in row:
                text, empty = substitute(cell.text, lookup)
                # an empty optional line (a missing 文号 under the title) leaves no blank line behind
                text = substitute(cell.blank, lookup)[0] if empty else "\n".join(
                    line for line in text.split("\n") if line.strip())
                cells.append(Cell(text=text, span=cell.span, label=cell.label, min_lines=cell.min_lines))
            rows.append(cells)
        table = TableSpec(columns=list(form.table.columns), rows=rows)

    issuer = _as_text(office_values.get("name"))
    layout = form.layout
    masthead = form.masthead_suffix
    if masthead is None:
        masthead = "文件" if layout in (LayoutKind.DOCUMENT, LayoutKind.REPORT) else ""
    imprint = layout in (LayoutKind.DOCUMENT, LayoutKind.REPORT)  # 版记 印发机关/日期; letters have none (10.1)
    return DocumentSpec(
        layout=layout,
        title=one_line(form.title),
        issuer=issuer,
        masthead_suffix=masthead,
        number=number,
        signer=one_line(form.signer),
        recipient=one_line(form.recipient),
        body=body,
        table=table,
        attachments=_lines(substitute(t, lookup) for t in form.attachments),
        signature=one_line(form.signature),
        date_text=date_text if form.dated else "",
        note=one_line(form.note),
        cc=_lines(substitute(t, lookup) for t in form.carbon_copy),
        printed_by=issuer if imprint else "",
        printed_date_text=date_text if imprint else "",
        preprinted=preprinted,
        watermark=DRAFT_WATERMARK if draft else "",
    )
