"""The reproducible sample of a case-file review (SPEC O-3; seed 000: at least 20 files per unit, all when fewer).

Anyone holding the units' case-file list and the recorded seed draws the same sample, on any computer and any
version of the program: each file's place in its unit's draw is the SHA-256 of the seed, the unit and the file's
number — not Python's random generator, whose sequence is only promised within one version — and the files with the
smallest are taken. The order of the list does not matter, and a file listed twice is drawn at most once.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ..domain.errors import ValidationError

PER_UNIT = 20  # seed 000: 每个单位抽取不少于 20 卷，不足 20 卷的全部评查
MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class CaseFile:
    unit: str  # 被评查单位, as the list names it
    number: str  # 案卷编号
    title: str = ""  # 案件名称 / 案由
    row: int = 0  # the list's row (Excel numbering), 0 when entered by hand


@dataclass(frozen=True)
class UnitSample:
    unit: str
    listed: int  # distinct files of the unit in the list
    drawn: tuple[CaseFile, ...]  # in the order of their numbers

    @property
    def all_taken(self) -> bool:
        return len(self.drawn) == self.listed


@dataclass(frozen=True)
class Sample:
    seed: int
    per_unit: int
    units: tuple[UnitSample, ...]  # in the order the units first appear in the list
    duplicates: tuple[CaseFile, ...]  # later listings of a (unit, number) already listed: never drawn twice

    @property
    def drawn(self) -> tuple[CaseFile, ...]:
        return tuple(f for unit in self.units for f in unit.drawn)


def _clean(text: str) -> str:
    """What identifies a unit or a number: NFKC (full-width digits and letters as ASCII) without surrounding space."""
    return unicodedata.normalize("NFKC", text).strip()


def draw_key(seed: int, unit: str, number: str) -> bytes:
    """A file's place in its unit's draw; the smallest are taken. Public: it is the definition others can check."""
    return hashlib.sha256(f"{seed}\x1f{_clean(unit)}\x1f{_clean(number)}".encode()).digest()


def check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValidationError(f"随机种子“{seed}”不对：请填写 0 到 {MAX_SEED} 之间的整数（记入评查记录，便于他人复核抽样）。",
                              "seed")
    return seed


def draw(files: Iterable[CaseFile], seed: int, per_unit: int = PER_UNIT) -> Sample:
    check_seed(seed)
    if isinstance(per_unit, bool) or not isinstance(per_unit, int) or per_unit < 1:
        raise ValidationError(f"每个单位抽取的卷数“{per_unit}”不对：请填写正整数（试点要求不少于 {PER_UNIT} 卷）。", "per_unit")
    by_unit: dict[str, dict[str, CaseFile]] = {}
    names: dict[str, str] = {}
    duplicates: list[CaseFile] = []
    for file in files:
        unit, number = _clean(file.unit), _clean(file.number)
        if not unit or not number:
            raise ValidationError(f"第 {file.row} 行缺少被评查单位或案卷编号，无法抽样：请补全后重新导入。", "files")
        listed = by_unit.setdefault(unit, {})
        if number in listed:
            duplicates.append(file)
            continue
        listed[number] = file
        names.setdefault(unit, file.unit.strip())
    units = []
    for unit, listed in by_unit.items():
        chosen = sorted(listed, key=lambda number: draw_key(seed, unit, number))[:per_unit]
        units.append(UnitSample(names[unit], len(listed), tuple(listed[n] for n in sorted(chosen, key=_number_order))))
    return Sample(seed, per_unit, tuple(units), tuple(duplicates))


def _number_order(number: str) -> tuple[str, int, str]:
    """案卷编号 in the order a clerk files them: 江执罚〔2026〕9号 before 江执罚〔2026〕10号."""
    digits = "".join(ch if ch.isdigit() else " " for ch in number).split()
    last = int(digits[-1]) if digits else -1
    prefix = number[: number.rfind(digits[-1])] if digits else number
    return (prefix, last, number)
