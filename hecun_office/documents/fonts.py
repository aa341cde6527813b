"""D-6 font resolution order (the layout itself comes with the documents work):
settings path → Windows fonts → Linux CJK TrueType fonts → reportlab's CID font (with a visible warning)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_WINDOWS = {
    "仿宋": ["simfang.ttf"],
    "黑体": ["simhei.ttf"],
    "楷体": ["simkai.ttf"],
    "宋体": ["simsun.ttc"],
    "小标宋": ["FZXBSJW.TTF", "方正小标宋简体.ttf", "simhei.ttf"],
}
_LINUX = {
    "仿宋": ["cwtex/cwfs.ttf", "arphic/uming.ttc", "wqy/wqy-zenhei.ttc"],
    "黑体": ["wqy/wqy-zenhei.ttc", "arphic/uming.ttc"],
    "楷体": ["arphic/ukai.ttc", "cwtex/cwkai.ttf", "wqy/wqy-zenhei.ttc"],
    "宋体": ["arphic/uming.ttc", "wqy/wqy-zenhei.ttc"],
    "小标宋": ["wqy/wqy-zenhei.ttc", "arphic/uming.ttc"],
}


def _windows_dirs() -> list[Path]:
    dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def find_cjk_fonts(settings_dir: Path | None = None) -> dict[str, Path]:
    """Role (仿宋, 黑体, …) → font file, for every role that resolves."""
    found: dict[str, Path] = {}
    for role in _WINDOWS:
        candidates: list[Path] = []
        if settings_dir:
            candidates += [settings_dir / name for name in _WINDOWS[role]]
        if sys.platform == "win32":
            candidates += [d / name for d in _windows_dirs() for name in _WINDOWS[role]]
        else:
            candidates += [Path("/usr/share/fonts/truetype") / rel for rel in _LINUX[role]]
        for path in candidates:
            if path.is_file():
                found[role] = path
                break
    return found
