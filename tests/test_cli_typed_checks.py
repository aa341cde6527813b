"""Issue 11 items 6 and 16 at the command line: a typed date is taken as typed or refused as the date it is, and a
wrong fingerprint at enrolment never prints the file's fingerprint (the check is typing it from the signed paper)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from hecun_office.cli import _date, main


@pytest.fixture(autouse=True)
def _signed_in(cli_user) -> None:
    cli_user("admin", "Secret-2026")  # writing commands act as a named account (hecun_office/cli_user.py)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_enrolment_with_a_wrong_or_missing_fingerprint_never_prints_the_files(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office, bureau = tmp_path / "office.sqlite3", tmp_path / "bureau.sqlite3"
    assert _run(capsys, "--db", str(office), "setup", "--mode", "office", "--password", "Secret-2026")[0] == 0
    assert _run(capsys, "--db", str(bureau), "setup", "--mode", "bureau", "--password", "Secret-2026")[0] == 0
    assert _run(capsys, "--db", str(office), "keys", "export", str(tmp_path / "office.key"))[0] == 0
    code, out, _ = _run(capsys, "--db", str(office), "keys", "show", "--json")
    groups = str(json.loads(out)["shown"]).split()

    code, out, err = _run(capsys, "--db", str(bureau), "keys", "enroll", str(tmp_path / "office.key"))
    assert code == 1 and "请按对方签字盖章的登记表逐组输入指纹" in err and "--fingerprint" in err
    assert not any(group in out + err for group in groups[1:]), err
    for typed in (" ".join(["0000"] * 8), " ".join(groups[:7] + ["0000"])):
        code, out, err = _run(capsys, "--db", str(bureau), "keys", "enroll", str(tmp_path / "office.key"),
                              "--fingerprint", typed)
        assert code == 1 and "指纹与文件中的公钥不符" in err and "登记表" in err
        assert not any(group in out + err for group in groups[1:]), err


@pytest.mark.parametrize(("text", "message"), [
    ("2026-02-30", "2026-02-30 不是有效日期"),
    ("2026-13-01", "2026-13-01 不是有效日期"),
    ("2026-2-3x", "日期格式"),
])
def test_cli_date_says_an_impossible_date_is_not_a_valid_date(text: str, message: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=message):
        _date(text)


def test_cli_date_takes_a_real_date_as_typed() -> None:
    assert _date("2026-12-02").isoformat() == "2026-12-02"
