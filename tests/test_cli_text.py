"""SPEC C / issue 11 item 13: the command line speaks Chinese — argparse's own words included."""

from __future__ import annotations

import pytest

from hecun_office.cli import main


def test_a_wrong_command_is_refused_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["bogus"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "无效的选择：'bogus'" in err and "用法：" in err
    assert "invalid choice" not in err and "usage:" not in err


def test_a_missing_argument_is_named_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["workdays", "add", "2026-03-06"])
    err = capsys.readouterr().err
    assert "缺少必需的参数" in err and "the following arguments are required" not in err


def test_help_has_no_english_headings(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "用法：" in out and "选项" in out and "显示本帮助并退出" in out
    for english in ("usage:", "positional arguments", "options:", "show this help message"):
        assert english not in out


def test_every_option_and_argument_is_described_in_chinese() -> None:
    """Issue 11 item 13: `hecun-office X --help` explains every option in Chinese, not just names it."""
    import argparse
    import re

    from hecun_office.cli import build_parser

    cjk = re.compile(r"[\u4e00-\u9fff]")
    missing: list[str] = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    walk(child, f"{path} {name}")
            elif action.help != argparse.SUPPRESS and not cjk.search(action.help or ""):
                missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")

    walk(build_parser(), "hecun-office")
    assert missing == []
