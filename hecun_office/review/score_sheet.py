"""The score sheet of a case-file review (SPEC O-3): its items, points and grade thresholds are data in
resources/review/score_sheet.toml, read and checked here; grading follows that file and nothing else.

A file's grade is the highest whose threshold its total reaches — except that scoring 0 on a veto item (一票否决:
执法主体, 执法程序 in the shipped sheet) makes it the lowest grade whatever the total.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import paths
from ..domain.errors import ValidationError

_KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")
MAX_SHEET_BYTES = 64 * 1024


@dataclass(frozen=True)
class ScoreItem:
    key: str
    label: str
    points: int
    help: str = ""
    veto: bool = False


@dataclass(frozen=True)
class Grade:
    label: str
    minimum: int


@dataclass(frozen=True)
class Scored:
    total: float
    grade: str
    vetoed_by: tuple[str, ...]  # labels of the veto items scored 0


@dataclass(frozen=True)
class ScoreSheet:
    name: str
    total: int
    items: tuple[ScoreItem, ...]
    grades: tuple[Grade, ...]  # highest threshold first; the last starts at 0

    def grade(self, scores: Mapping[str, float]) -> Scored:
        """The total and grade of one file from its item scores (every item scored, each within its points)."""
        known = {item.key: item for item in self.items}
        unknown = sorted(set(scores) - set(known))
        if unknown:
            raise ValidationError(f"评分表中没有评分项“{unknown[0]}”。", unknown[0])
        for item in self.items:
            if item.key not in scores:
                raise ValidationError(f"“{item.label}”还没有打分，请为每一项打分。", item.key)
            value = scores[item.key]
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= item.points:
                raise ValidationError(f"“{item.label}”的得分应在 0 到 {item.points} 分之间（现为 {value}）。", item.key)
        total = round(sum(float(scores[item.key]) for item in self.items), 1)
        vetoed = tuple(item.label for item in self.items if item.veto and scores[item.key] == 0)
        if vetoed:
            return Scored(total, self.grades[-1].label, vetoed)
        return Scored(total, next(g.label for g in self.grades if total >= g.minimum), ())


def sheet_data(sheet: ScoreSheet) -> dict[str, Any]:
    """The sheet as the TOML file's data: kept with a review batch, so that its files are graded by the sheet they
    were scored with even after the county changes the file."""
    return {"name": sheet.name, "total": sheet.total,
            "items": [{"key": i.key, "label": i.label, "points": i.points, "help": i.help, "veto": i.veto}
                      for i in sheet.items],
            "grades": [{"label": g.label, "min": g.minimum} for g in sheet.grades]}


def sheet_from_data(data: dict[str, Any], where: str = "评查批次的评分表") -> ScoreSheet:
    return _checked(data, where)


def default_sheet_path() -> Path:
    return paths.resources_dir() / "review" / "score_sheet.toml"


def load_score_sheet(path: Path | None = None) -> ScoreSheet:
    """The sheet at ``path`` (default: the shipped one), checked; ValidationError naming what is wrong."""
    path = path or default_sheet_path()
    where = f"评分表 {path.name}"
    try:
        if path.stat().st_size > MAX_SHEET_BYTES:
            raise ValidationError(f"{where}超过 {MAX_SHEET_BYTES // 1024} KB，不像评分表，请检查文件。")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationError(f"无法读取{where}（{exc.strerror or exc}）。") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{where}格式有误：{exc}。") from None
    return _checked(data, where)


def _checked(data: dict[str, Any], where: str) -> ScoreSheet:
    name = str(data.get("name", "")).strip() or "案卷评查评分表"
    total = data.get("total")
    if isinstance(total, bool) or not isinstance(total, int) or total <= 0:
        raise ValidationError(f"{where}：total（满分）应为正整数。")
    items: list[ScoreItem] = []
    for n, raw in enumerate(data.get("items", []), start=1):
        key, label, points = raw.get("key"), str(raw.get("label", "")).strip(), raw.get("points")
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise ValidationError(f"{where}：第 {n} 个评分项的 key 应为小写英文字母开头的标识（如 procedure）。")
        if any(item.key == key for item in items):
            raise ValidationError(f"{where}：评分项 key “{key}”重复。")
        if not label:
            raise ValidationError(f"{where}：评分项“{key}”缺少名称（label）。")
        if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
            raise ValidationError(f"{where}：评分项“{label}”的分值（points）应为正整数。")
        items.append(ScoreItem(key, label, points, str(raw.get("help", "")), bool(raw.get("veto", False))))
    if not items:
        raise ValidationError(f"{where}：没有评分项（[[items]]）。")
    if sum(item.points for item in items) != total:
        raise ValidationError(f"{where}：各评分项分值合计 {sum(i.points for i in items)} 分，与满分 {total} 分不一致。")
    grades: list[Grade] = []
    for raw in data.get("grades", []):
        label, minimum = str(raw.get("label", "")).strip(), raw.get("min")
        if not label or isinstance(minimum, bool) or not isinstance(minimum, int) or not 0 <= minimum <= total:
            raise ValidationError(f"{where}：等次“{label or '（无名称）'}”应有名称和 0 到 {total} 之间的最低分（min）。")
        if grades and (minimum >= grades[-1].minimum or label in {g.label for g in grades}):
            raise ValidationError(f"{where}：等次应从高到低排列、最低分逐级降低且名称不重复（“{label}”）。")
        grades.append(Grade(label, minimum))
    if not grades or grades[-1].minimum != 0:
        raise ValidationError(f"{where}：最后一个等次的最低分应为 0，使任何得分都有等次。")
    return ScoreSheet(name, total, tuple(items), tuple(grades))
