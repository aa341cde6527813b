"""Settings of this PC, declared once with key, type, default and Chinese label (STYLE.md habit 8, in the spirit
of Vorta's ``store/settings.py``); ``read_setting`` and ``write_setting`` are the only way in or out.

Where they are kept: small JSON files in the per-user data directory (``paths.data_dir()``). Not in the database
— with PostgreSQL several bureau clerks share it, and a path like ``Z:\\收件`` only means something on the PC that
mounted it; not in QSettings — that writes to the Windows registry or ~/.config, which ``HECUN_OFFICE_HOME`` does
not redirect, so tests (and a portable install) would touch the clerk's real settings. The data directory holds
the other per-PC state already (keys' protection, logs).

Each setting names its own file, so one can be added without rewriting the others. A setting kept per database
maps the database (``Database.display``) to the value: ``exchange-inbox.json`` has had that shape since the
watched inbox came (S-7), and stays readable as it is.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from .. import paths
from ..domain.errors import EnvironmentProblem
from ..files import write_atomically

if TYPE_CHECKING:  # a name only: reading a setting needs no storage code (cold start)
    from .database import Database

T = TypeVar("T", Path, str, int, bool)


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    kind: type[T]
    default: T | None
    label: str  # as a settings page or an error message names it
    file: str  # the JSON file in the data directory that keeps it
    per_database: bool = True


INBOX_FOLDER: Setting[Path] = Setting(
    "exchange.inbox_folder", Path, None, "收件箱文件夹（放入其中的数据包自动导入）", "exchange-inbox.json")

DECLARED: tuple[Setting[Any], ...] = (INBOX_FOLDER,)

_lock = threading.Lock()  # one read-modify-write of a file at a time, whichever thread asks


def _file(setting: Setting[Any]) -> Path:
    return paths.data_dir() / setting.file


def _read_file(setting: Setting[Any]) -> dict[str, Any]:
    try:
        data = json.loads(_file(setting).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # never written, or damaged: the defaults hold until the clerk sets it again
    return data if isinstance(data, dict) else {}


def _slot(setting: Setting[Any], db: Database | None) -> str:
    if not setting.per_database:
        return setting.key
    if db is None:
        raise ValueError(f"setting {setting.key} is kept per database: pass the database")
    return db.display


def _decoded(setting: Setting[T], raw: object) -> T | None:
    if setting.kind is Path:
        value: object = Path(raw) if isinstance(raw, str) and raw else None
    else:
        value = raw if type(raw) is setting.kind else None  # exact: JSON's true is no int setting's 1
    return setting.default if value is None else cast(T, value)


def read_setting(setting: Setting[T], db: Database | None = None) -> T | None:
    """The value on this PC (for this database, when kept per database), or the default."""
    with _lock:
        stored = _read_file(setting)
    return _decoded(setting, stored.get(_slot(setting, db)))


def write_setting(setting: Setting[T], db: Database | None, value: T | None) -> None:
    """Remember ``value`` on this PC, or forget it (back to the default) with None; written atomically.
    Raises EnvironmentProblem when the data directory cannot be written."""
    slot = _slot(setting, db)
    with _lock:
        stored = _read_file(setting)
        if value is None:
            stored.pop(slot, None)
        else:
            stored[slot] = str(value) if isinstance(value, Path) else value
        try:
            write_atomically(_file(setting),
                             json.dumps(stored, ensure_ascii=False, indent=1).encode("utf-8"))
        except OSError as exc:
            raise EnvironmentProblem(f"无法保存设置“{setting.label}”（{exc.strerror or exc}）。"
                                     f"请检查数据目录 {paths.data_dir()} 是否可写。") from None
