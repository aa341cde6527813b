"""Who a writing command acts as (issue 15 item 9, SPEC U-6).

The command line used to act as the first account without a login: a calendar override, a key reset, a restore or
a packet import ran with no password and the audit log named "管理员". A command that writes now acts as a named
account — ``--user NAME`` (or ``HECUN_OFFICE_USER``) with its password, asked on a terminal or, for scripts, read
from ``HECUN_OFFICE_PASSWORD`` — through the same ``authenticate`` as the login dialog (lock-out included), and that
account's role is applied by the services and named in the audit log. ``setup`` and ``demo``, which create the
database, and the commands that only read need none.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

from .domain.errors import ValidationError

if TYPE_CHECKING:  # not at import: `render` and `workdays` must not load SQLAlchemy (tests/test_cli_imports.py)
    from .services.audit import Actor
    from .storage.uow import Database

USER_ENV = "HECUN_OFFICE_USER"
PASSWORD_ENV = "HECUN_OFFICE_PASSWORD"
HOW = (f"请加 --user 用户名（或设置环境变量 {USER_ENV}），密码会在终端询问；"
       f"脚本中运行时可用环境变量 {PASSWORD_ENV} 提供密码。")


class SignInNeeded(ValidationError):
    """A writing command without an account or password: a usage error, exit 2 like argparse's."""

    exit_code = 2


def add_user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="NAME", dest="acting_user",
                        help=f"修改数据的命令以哪个账户执行（也可用 {USER_ENV}）；密码在终端输入，或由 {PASSWORD_ENV} 提供")


def signed_in(db: Database, args: argparse.Namespace, what: str) -> Actor:
    """The account ``what`` (e.g. "导入数据包") is done as, logged in with its password; SignInNeeded or LoginFailed
    (the login dialog's messages, lock-out included) otherwise."""
    from .services.users import authenticate

    name = (getattr(args, "acting_user", None) or os.environ.get(USER_ENV) or "").strip()
    if not name:
        raise SignInNeeded(f"{what}会修改数据，需要以具名账户执行。{HOW}")
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not (sys.stdin is not None and sys.stdin.isatty()):
            raise SignInNeeded(f"{what}需要账户 {name} 的密码，但没有可输入密码的终端。{HOW}")
        password = getpass.getpass(f"账户 {name} 的密码：")
    return authenticate(db, name, password)


def confirmed(args: argparse.Namespace, question: str, answer: str) -> bool:
    """``--yes``, or the word ``answer`` typed on a terminal after ``question``."""
    if getattr(args, "yes", False):
        return True
    if not (sys.stdin is not None and sys.stdin.isatty()):
        return False
    return input(f"{question}（输入“{answer}”确认）：").strip() == answer
