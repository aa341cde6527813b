"""SPEC O-3 (issue 16): grades follow the thresholds in the score sheet's data file, veto items make a file 不合格,
and a sheet that does not add up is refused in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from hecun_office.domain.errors import ValidationError
from hecun_office.review.score_sheet import default_sheet_path, load_score_sheet

FULL = {"subject": 15, "facts": 25, "law": 20, "procedure": 25, "documents": 10, "filing": 5}


def test_the_shipped_sheet_adds_up_and_grades_by_its_thresholds() -> None:
    sheet = load_score_sheet()
    assert sheet.total == 100 and sum(i.points for i in sheet.items) == 100
    assert [g.label for g in sheet.grades] == ["优秀", "良好", "合格", "不合格"]
    assert sheet.grade(FULL).grade == "优秀"
    assert sheet.grade({**FULL, "facts": 15}).grade == "优秀"  # 90: the threshold itself earns the grade
    assert sheet.grade({**FULL, "facts": 14}).total == 89 and sheet.grade({**FULL, "facts": 14}).grade == "良好"
    assert sheet.grade({**FULL, "facts": 0, "law": 15}).grade == "合格"  # 70
    assert sheet.grade({**FULL, "facts": 0, "law": 0, "documents": 5}).grade == "不合格"  # 50


def test_a_veto_item_scored_zero_fails_the_file_whatever_its_total() -> None:
    result = load_score_sheet().grade({**FULL, "procedure": 0})
    assert (result.total, result.grade, result.vetoed_by) == (75, "不合格", ("执法程序",))


def test_thresholds_are_data_a_changed_file_changes_the_grade(tmp_path: Path) -> None:
    text = default_sheet_path().read_text(encoding="utf-8").replace("min = 90", "min = 95")
    (tmp_path / "county.toml").write_text(text, encoding="utf-8")
    assert load_score_sheet(tmp_path / "county.toml").grade({**FULL, "facts": 17}).grade == "良好"  # 92 < 95
    assert load_score_sheet().grade({**FULL, "facts": 17}).grade == "优秀"


def test_scores_outside_an_item_or_missing_are_refused() -> None:
    sheet = load_score_sheet()
    with pytest.raises(ValidationError, match="“事实证据”的得分应在 0 到 25 分之间"):
        sheet.grade({**FULL, "facts": 26})
    with pytest.raises(ValidationError, match="“立卷归档”还没有打分"):
        sheet.grade({k: v for k, v in FULL.items() if k != "filing"})
    with pytest.raises(ValidationError, match="没有评分项“bonus”"):
        sheet.grade({**FULL, "bonus": 1})


@pytest.mark.parametrize(("change", "message"), [
    (("points = 5\nhelp = \"案卷材料齐全", "points = 6\nhelp = \"案卷材料齐全"), "合计 101 分，与满分 100 分不一致"),
    (("min = 80", "min = 95"), "从高到低排列"),
    (("min = 0", "min = 10"), "最后一个等次的最低分应为 0"),
    (("key = \"law\"", "key = \"facts\""), "key “facts”重复"),
    (("total = 100", "total = \"一百\""), "total（满分）应为正整数"),
    (("[[grades]]\nlabel = \"优秀\"", "[[grades]\nlabel = \"优秀\""), "格式有误"),
])
def test_a_sheet_that_does_not_add_up_is_refused_with_what_is_wrong(tmp_path: Path, change: tuple[str, str],
                                                                     message: str) -> None:
    text = default_sheet_path().read_text(encoding="utf-8")
    assert change[0] in text
    (tmp_path / "bad.toml").write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(ValidationError, match=message):
        load_score_sheet(tmp_path / "bad.toml")
