"""argparse in Chinese (SPEC C: help and messages in Chinese; issue 11 item 13).

argparse looks its texts up through the module's own ``_``/``ngettext`` (gettext) at the moment it prints them;
pointing those at this table makes "usage:", "positional arguments" and "invalid choice" Chinese without a
message catalogue to ship. A text not in the table stays as argparse has it.
"""

from __future__ import annotations

import argparse

TEXTS = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示程序版本并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个参数值",
    "expected at least one argument": "至少需要一个参数值",
    "expected at most one argument": "最多只能有一个参数值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "必须提供以下参数之一：%s",
    "ambiguous option: %(option)s could match %(matches)s": "选项有歧义：%(option)s 可能是 %(matches)s",
    "ignored explicit argument %r": "忽略了多余的参数值 %r",
}
PLURALS = {"expected %s argument": "需要 %s 个参数值"}


def _text(message: str) -> str:
    return TEXTS.get(message, message)


def _plural(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular if n == 1 else plural)


def install() -> None:
    """Once, before any parser prints: argparse's own texts in Chinese."""
    argparse._ = _text  # type: ignore[attr-defined]  # argparse calls its module-level gettext alias
    argparse.ngettext = _plural  # type: ignore[attr-defined]
