"""M-7: complainants' names, phone and ID numbers masked for lists, exports and screenshots.

Personal information (个人信息保护法) is shown in full only on a matter's detail view. Every mask here keeps the
length of its input (a column of masked phones still lines up), replaces characters by ``*`` and never lets the
whole original through once it has more than two letters or digits (punctuation alone is not personal
information and is left as it is). Masking a masked value changes nothing.

- names keep their first character: 张三 → 张*, 欧阳娜娜 → 欧***. Keeping only one character also hides the
  second character of a compound surname (欧阳), which would narrow the person down in a township.
- phones keep the last four digits, plus the first three of a mobile number (138****5678) or the area code of a
  landline written with a separator (0570-***4567); a leading +86 stays.
- ID numbers keep the first six (the issuing county) and the last four characters: 330881********1234.
"""

from __future__ import annotations

MASK = "*"


def _maskable(ch: str) -> bool:
    return ch.isalnum() or ch == MASK


def _keep(text: str, head: int, tail: int) -> str:
    """Mask every maskable character except the first ``head`` and the last ``tail`` of them."""
    total = sum(1 for ch in text if _maskable(ch))
    out: list[str] = []
    seen = 0
    for ch in text:
        if _maskable(ch):
            out.append(ch if seen < head or seen >= total - tail else MASK)
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def mask_name(name: str) -> str:
    """张三 → 张*; one character alone is masked whole."""
    if len(name) <= 1:
        return MASK * len(name)
    return name[0] + MASK * (len(name) - 1)


def _groups(text: str) -> list[int]:
    """Lengths of the runs of maskable characters: "0570-1234567" → [4, 7]."""
    lengths: list[int] = []
    run = 0
    for ch in text + " ":
        if _maskable(ch):
            run += 1
        elif run:
            lengths.append(run)
            run = 0
    return lengths


def _phone_head(text: str, positions: str) -> int:
    """How many leading positions (digits or masks) of a phone number stay visible."""
    head = 2 if text.lstrip().startswith("+") and positions.startswith("86") else 0
    rest = positions[head:]
    if len(rest) == 11 and rest[0] == "1":  # a mainland mobile number
        return head + 3
    if rest.startswith("0"):
        # A landline's area code counts only where a separator says where it ends (0570-1234567).
        start = 0
        for length in _groups(text):
            if start == head and 3 <= length <= 4 and head + length < len(positions):
                return head + length
            start += length
    return head


def mask_phone(phone: str) -> str:
    """138****5678, 0570-***4567, +86 138****5678."""
    positions = "".join(ch for ch in phone if _maskable(ch))
    n = len(positions)
    if n == 0:
        return phone
    tail = 4 if n >= 7 else n // 3
    head = _phone_head(phone, positions) if n >= 8 else 0
    if head + tail >= n:  # never everything
        head = max(0, n - tail - 1)
    return _keep(phone, head, tail)


def mask_id_no(id_no: str) -> str:
    """330881199001011234 → 330881********1234; shorter numbers (passports) keep a quarter at each end."""
    n = sum(1 for ch in id_no if _maskable(ch))
    keep = (6, 4) if n >= 15 else (n // 4, n // 4)
    return _keep(id_no, *keep)
