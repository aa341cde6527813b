"""N-4: no personal data in the log. ``mask`` hides phone numbers, ID numbers and the values of the personal fields
(a matter's complainant and parties) in any text; ``MaskingFormatter`` applies it to every line a handler writes,
message, exception text and stack alike.

What is masked keeps a hint for support: 138****5678, 0571-****5678, 3301**********1234, 张*. Dates, registration
numbers, hashes, UUIDs and packet numbers are left as they are: a run of digits touching a letter or another digit
is not a phone or an ID number. Database engines are built with their SQL parameters hidden (storage/engine.py);
this is the second line, for what reaches the log by other ways (an exception's message, a server's error detail).
"""

from __future__ import annotations

import logging
import re

# The personal columns of matters (storage/models.py Matter); a packet's JSON uses the same names.
PERSONAL_FIELDS = ("complainant_name", "complainant_phone", "complainant_id_no", "parties")

_EDGE_BEFORE = r"(?<![0-9A-Za-z])"
_EDGE_AFTER = r"(?![0-9A-Za-z])"

# complainant_name='张伟', "complainant_name": "张伟", complainant_name=张伟, Matter(complainant_name='张伟', ...)
_FIELD = re.compile(
    r"""(?P<key>(?<![0-9A-Za-z_])["']?(?:""" + "|".join(PERSONAL_FIELDS) + r""")["']?\s*[:=]\s*)"""
    r"""(?:(?P<q>["'])(?P<quoted>(?:\\.|(?!(?P=q))[^\\])*)(?P=q)|(?P<bare>[^\s,;)\]}'"]+))"""
)
# Placeholders in SQL text (sqlite's ?, psycopg's %(name)s, SQLAlchemy's :name) and empty values are no data.
_PLACEHOLDER = re.compile(r"\?|%s|%\(\w+\)s|:\w+|None|NULL|null")
# PostgreSQL's error detail for a NOT NULL or CHECK violation quotes the whole row, names included; an engine built
# without hide_parameters (Alembic's command line, a test's own) prints a statement's values.
# The row may span lines (a value with a newline): it ends before SQLAlchemy's next detail or the next exception.
_WHOLE_ROW = re.compile(r"(Failing row contains )\((?s:.*?)\)\.?(?=\n\[|\n\n|\n\(Background|\Z)|(\[parameters: ).*")
_ID_18 = re.compile(_EDGE_BEFORE + r"(\d{4})\d{10}(\d{3}[\dXx])" + _EDGE_AFTER)
_ID_15 = re.compile(_EDGE_BEFORE + r"(\d{4})\d{7}(\d{4})" + _EDGE_AFTER)
# +86 138 1234 5678, 86-13812345678, 138-1234-5678, 13812345678
_MOBILE = re.compile(_EDGE_BEFORE + r"((?:\+?86[- ]?)?1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})" + _EDGE_AFTER)
# 0571-88888888, 057188888888, 010-8888888, (0571)88888888
_LANDLINE = re.compile(r"(?<![0-9A-Za-z-])(\(0\d{2,3}\) ?|0\d{2,3}-?)\d{3,4}(\d{4})" + _EDGE_AFTER)

_NUMBERS = (_ID_18, _ID_15, _MOBILE, _LANDLINE)
# What the masks below leave: masking a masked text again changes nothing.
_MASKED = re.compile(r"\S?\*+|(?:\+?86[- ]?)?1[3-9]\d\*{4}\d{4}|\d{4}\*{7,10}\d{3}[\dXx]"
                     r"|(?:\(0\d{2,3}\) ?|0\d{2,3}-?)\*{4}\d{4}")


def _numbers(text: str) -> str:
    text = _ID_18.sub(r"\1**********\2", text)
    text = _ID_15.sub(r"\1*******\2", text)
    text = _MOBILE.sub(r"\1****\2", text)
    return _LANDLINE.sub(r"\1****\2", text)


def _mask_value(value: str) -> str:
    if not value or _PLACEHOLDER.fullmatch(value) or _MASKED.fullmatch(value):
        return value
    if value.startswith("\\"):  # an escaped character (JSON's \u5f20): no hint
        return "***"
    if any(number.fullmatch(value) for number in _NUMBERS):
        return _numbers(value)  # a phone or ID number alone: 138****5678 says more than 1**********
    return value[0] + "*" * max(len(value) - 1, 1)


def _field(match: re.Match[str]) -> str:
    quote = match.group("q")
    if quote is not None:
        return f"{match.group('key')}{quote}{_mask_value(match.group('quoted'))}{quote}"
    return match.group("key") + _mask_value(match.group("bare"))


def mask(text: str) -> str:
    """``text`` with phone numbers, ID numbers and personal field values masked."""
    text = _FIELD.sub(_field, text)
    text = _WHOLE_ROW.sub(lambda m: (m.group(1) or m.group(2)) + "***", text)
    return _numbers(text)


class MaskingFormatter(logging.Formatter):
    """A formatter whose every line is masked: the message with its arguments, the traceback, the stack."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))
