"""Text clean-up for pasted State Council notices (T-4).

Notices arrive copied from web pages, PDFs and Word files: full-width or half-width digits and punctuation,
stray spaces inside dates, the whole list on one line, Chinese-numeral years. Everything here turns that into one
predictable shape so the parser in ``notice.py`` can stay strict.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# Range connectors seen in notices and their copies; NFKC has already folded "－" and "～" to "-" and "~".
_RANGE_MARKS = re.compile(r"[-~—–―〜]+")
_SPACES = re.compile(r"[^\S\n]+")

# A list item heading such as "三、清明节:" or "六、国庆节、中秋节:". The name may not contain digits, brackets or
# sentence punctuation, which keeps "(农历腊月二十八、周日)" from being mistaken for a heading.
ITEM_ORDINAL = r"[一二三四五六七八九十]+[、.]"
ITEM_NAME = r"[^\d:()。,;、\n]{1,30}(?:、[^\d:()。,;、\n]{1,30})*"
_ITEM_START = re.compile(rf"(?<=[^\n])(?={ITEM_ORDINAL}{ITEM_NAME}:)")


@dataclass(frozen=True)
class Segment:
    """One list item (or other piece) of the notice, with the line it came from for error messages."""

    line_no: int
    text: str


def normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    folded = folded.replace("\r\n", "\n").replace("\r", "\n")
    folded = _RANGE_MARKS.sub("至", folded)
    # Chinese text needs no spaces; removing them mends "1 月 1 日" from PDF copies.
    return _SPACES.sub("", folded)


def segments(normalized: str) -> list[Segment]:
    """Non-empty pieces, splitting a line wherever a new numbered item starts (one-line pastes)."""
    result: list[Segment] = []
    for index, line in enumerate(normalized.split("\n"), start=1):
        for piece in _ITEM_START.split(line):
            if piece:
                result.append(Segment(line_no=index, text=piece))
    return result


def cn_number(token: str) -> int:
    """Arabic digits or a small Chinese numeral (一 … 九十九, and digit-by-digit years like 二〇二七)."""
    if token.isdigit():
        return int(token)
    if "十" not in token:
        value = 0
        for ch in token:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    tens, _, units = token.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


NUMBER = r"\d+|[〇零一二三四五六七八九十]+"

_TITLE_YEAR = (
    re.compile(rf"关于({NUMBER})年"),
    re.compile(rf"({NUMBER})年(?:部分节假日|元旦|春节)"),
)


def title_year(normalized: str) -> int | None:
    """The notice's year from its title or opening sentence, if the paste includes either."""
    for pattern in _TITLE_YEAR:
        found = pattern.search(normalized)
        if found:
            year = cn_number(found.group(1))
            if 1000 <= year <= 9999:
                return year
    return None


def snippet(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
