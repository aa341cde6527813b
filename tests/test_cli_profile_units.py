"""setup --profile seeds the profile's units (issue 12 item 1): a township gets its own units, never 贺村镇's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hecun_office.cli import main
from hecun_office.services.units import list_units
from hecun_office.storage.opening import open_database

PROFILE = {"name": "上余司法所", "abbr": "上司", "code": "shangyu", "township": "上余镇",
           "registration_pattern": "上监登〔{year}〕{n}号"}


def _setup(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, values: object) -> tuple[int, str, Path]:
    profile = tmp_path / f"{name}.json"
    profile.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / f"{name}.sqlite3"
    code = main(["--db", str(db), "setup", "--profile", str(profile), "--password", "secret1"])
    return code, capsys.readouterr().err, db


def _units(path: Path) -> list[tuple[str, str]]:
    db = open_database(f"sqlite:///{path}")
    try:
        return [(u.name, u.kind) for u in list_units(db)]
    finally:
        db.dispose()


def test_setup_seeds_the_units_of_the_profile_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    units = [{"name": "上余镇人民政府", "kind": "township_government"},
             {"name": "上余镇综合行政执法队", "kind": "乡镇内设机构"},
             {"name": "江山市公安局上余派出所", "kind": "县级部门派驻机构"}]
    code, err, db = _setup(tmp_path, capsys, "own", dict(PROFILE, units=units))
    assert code == 0, err
    assert _units(db) == [("上余镇人民政府", "township_government"), ("上余镇综合行政执法队", "internal_body"),
                          ("江山市公安局上余派出所", "stationed_agency")]
    code, err, db = _setup(tmp_path, capsys, "derived", PROFILE)  # no list: the township's own two, not 贺村镇's
    assert code == 0, err
    assert [n for n, _ in _units(db)] == ["上余镇人民政府", "上余镇综合行政执法队"]


@pytest.mark.parametrize(("units", "fragment"), [
    ("贺村镇人民政府", "units 应为单位列表"),
    ([{"name": "上余镇人民政府"}], "第 1 项应有 name 和 kind"),
    ([{"name": "上余镇人民政府", "kind": "政府"}], "类型“政府”不对"),
    ([{"name": "甲", "kind": "entrusted"}, {"name": "甲", "kind": "entrusted"}], "“甲”重复了"),
])
def test_bad_units_in_the_profile_file_are_refused_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               units: object, fragment: str) -> None:
    code, err, db = _setup(tmp_path, capsys, "bad", dict(PROFILE, units=units))
    assert code == 1 and fragment in err, err
    assert not db.exists()  # a refused set-up leaves no database behind
