"""The system libraries of Qt's X11 platform plugin, checked before Qt is started (issue 13, "fresh machines").

PySide6's wheels carry Qt but not the X11/xcb libraries its ``xcb`` platform plugin links against. On a fresh Linux
desktop some of them are missing (libxcb-icccm4 and libxcb-keysyms1 on Debian 12), and QApplication then aborts the
process with "xcb-cursor0 is needed" — a message that names the wrong package, in English, and a core dump. Here
each library is loaded by its soname before Qt is imported; what is missing is named in Chinese with the exact
Debian/Ubuntu command that installs it, and the GUI exits with code 2.

No Qt import here: the check must work exactly when Qt cannot.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Iterable, Mapping
from typing import TextIO

log = logging.getLogger(__name__)

# What PySide6 6.11's plugins/platforms/libqxcb.so and the lib/libQt6XcbQpa.so.6 it loads need (`readelf -d`,
# NEEDED), without Qt's own libraries and the C/C++ runtime; soname -> the Debian/Ubuntu package that ships it.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}


def _loadable(soname: str) -> bool:
    """Whether the dynamic loader finds and loads the library, as it would for Qt's plugin."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(env: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether Qt will start its xcb (X11) plugin here: Linux only, and not offscreen or on Wayland."""
    env = os.environ if env is None else env
    if not (sys.platform if platform is None else platform).startswith("linux"):
        return False  # Windows and macOS have their own plugins, in the wheel
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:  # "offscreen", "xcb", "wayland;xcb", "xcb:display=:1": Qt tries the first one first
        return chosen.split(";")[0].split(":")[0].strip() == "xcb"
    session = env.get("XDG_SESSION_TYPE", "").strip().lower()
    if session == "x11":
        return True
    # A Wayland session: Qt takes its wayland plugin (and falls back to xcb only if that fails).
    return session != "wayland" and not env.get("WAYLAND_DISPLAY")


def missing_libraries(env: Mapping[str, str] | None = None, platform: str | None = None) -> list[str]:
    """The sonames Qt's xcb plugin needs and the loader cannot find; none when the plugin is not used."""
    if not uses_xcb(env, platform):
        return []
    return [soname for soname in XCB_LIBRARIES if not _loadable(soname)]


def install_line(sonames: Iterable[str]) -> str:
    """The Debian/Ubuntu command installing the packages of these libraries, each package once."""
    packages = dict.fromkeys(XCB_LIBRARIES[s] for s in sonames)
    return "sudo apt-get install " + " ".join(packages)


def missing_message(env: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """What to tell the user when the xcb plugin's libraries are missing; None when nothing is missing."""
    missing = missing_libraries(env, platform)
    return _message(missing) if missing else None


def _message(missing: list[str]) -> str:
    return ("无法启动图形界面：本机缺少 Qt 图形界面（X11 显示插件）所需的系统库："
            f"{'、'.join(missing)}。\n"
            "请在终端中运行下面这行命令安装（Debian / Ubuntu，需要输入管理员密码），然后重新启动本程序：\n"
            f"    {install_line(missing)}\n"
            "其他 Linux 发行版请用其软件包管理器安装提供上述库文件的软件包。")


def report_missing(stream: TextIO | None = None) -> bool:
    """Print the message (to stderr) and log it when libraries are missing; True when the GUI must not start."""
    missing = missing_libraries()
    if not missing:
        return False
    log.warning("缺少 Qt xcb 显示插件所需的系统库：%s", "、".join(missing))
    print(_message(missing), file=sys.stderr if stream is None else stream)
    return True
