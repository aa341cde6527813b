"""Issue 13, fresh machines: the X11 libraries Qt's xcb plugin needs are checked before Qt starts.

A fresh Debian desktop lacks libxcb-icccm4 and libxcb-keysyms1, and QApplication aborts the process with a message
naming libxcb-cursor0. hecun_office.qt_libs names what is missing in Chinese with the exact apt-get line, and the GUI
exits with code 2 before anything of Qt is imported.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hecun_office import qt_libs

TWO_MISSING = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def looked_up(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The loader replaced: the two libraries of a fresh Debian 12 desktop are missing, all others load."""
    calls: list[str] = []

    def loadable(soname: str) -> bool:
        calls.append(soname)
        return soname not in TWO_MISSING

    monkeypatch.setattr(qt_libs, "_loadable", loadable)
    return calls


def test_two_missing_libraries_give_the_exact_apt_get_line_in_chinese(looked_up: list[str]) -> None:
    assert qt_libs.missing_libraries({"QT_QPA_PLATFORM": "xcb"}, "linux") == ["libxcb-icccm.so.4",
                                                                              "libxcb-keysyms.so.1"]
    message = qt_libs.missing_message({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert message is not None
    lines = [line.strip() for line in message.splitlines()]
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in lines
    assert message.startswith("无法启动图形界面")
    assert "libxcb-icccm.so.4、libxcb-keysyms.so.1" in message
    assert len(CJK.findall(message)) > 40  # Chinese sentences around the names, not an English message
    assert "cursor" not in message  # Qt's own message names libxcb-cursor0, which is installed here
    assert set(looked_up) == set(qt_libs.XCB_LIBRARIES)


def test_nothing_missing_gives_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qt_libs, "_loadable", lambda soname: True)
    assert qt_libs.missing_libraries({"QT_QPA_PLATFORM": "xcb"}, "linux") == []
    assert qt_libs.missing_message({"QT_QPA_PLATFORM": "xcb"}, "linux") is None


@pytest.mark.parametrize(("env", "platform"), [
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),  # the tests, the bundle's check
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux"),
    ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "linux"),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux"),
    ({"QT_QPA_PLATFORM": "xcb"}, "win32"),
    ({}, "win32"),
    ({"DISPLAY": ":0"}, "darwin"),
])
def test_no_check_where_the_xcb_plugin_is_not_used(looked_up: list[str], env: dict[str, str],
                                                   platform: str) -> None:
    assert qt_libs.missing_message(env, platform) is None
    assert looked_up == []  # not even looked up


@pytest.mark.parametrize("env", [
    {},  # a console or ssh session: Qt takes xcb
    {"DISPLAY": ":0"},
    {"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"},
    {"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"},
    {"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"},
    {"QT_QPA_PLATFORM": "xcb:display=:1"},
    {"QT_QPA_PLATFORM": "xcb;offscreen"},
])
def test_checked_where_qt_takes_the_xcb_plugin(looked_up: list[str], env: dict[str, str]) -> None:
    message = qt_libs.missing_message(env, "linux")
    assert message is not None and "sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n" in message


def test_a_package_with_two_libraries_is_named_once() -> None:
    line = qt_libs.install_line(["libglib-2.0.so.0", "libxcb-cursor.so.0", "libgthread-2.0.so.0"])
    assert line == "sudo apt-get install libglib2.0-0 libxcb-cursor0"


RUN_GUI_WITHOUT_LIBRARIES = """
import json, sys
from hecun_office import qt_libs
qt_libs._loadable = lambda soname: soname not in {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}
from hecun_office.cli import main
code = main([])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="elsewhere the GUI would start")
def test_the_gui_exits_with_2_and_the_line_before_qt_is_imported(tmp_path: Path) -> None:
    listing = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if k not in {"WAYLAND_DISPLAY", "XDG_SESSION_TYPE"}}
    env.update(QT_QPA_PLATFORM="xcb", PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-c", RUN_GUI_WITHOUT_LIBRARIES, str(listing)], capture_output=True,
                          text=True, encoding="utf-8", env=env, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(listing.read_text(encoding="utf-8"))
    assert result["code"] == 2
    assert "    sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n" in proc.stderr
    assert not [m for m in result["modules"] if m.startswith("PySide6")]


def test_the_real_detection_on_this_machine() -> None:
    """Run for real: what this machine lacks for an X11 window (the GUI tests run offscreen, without them)."""
    missing = qt_libs.missing_libraries({"QT_QPA_PLATFORM": "xcb"}, sys.platform)
    print("xcb plugin libraries missing here:", missing or "none")
    print(qt_libs.missing_message({"QT_QPA_PLATFORM": "xcb"}, sys.platform))
    assert set(missing) <= set(qt_libs.XCB_LIBRARIES)
    if not sys.platform.startswith("linux"):
        assert missing == []
    assert qt_libs.missing_message({"QT_QPA_PLATFORM": "offscreen"}, sys.platform) is None


NOT_XCB = re.compile(r"^(libQt6|libc\.so|libm\.so|libstdc\+\+|libgcc_s|libpthread|libdl\.so|ld-linux)")


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("readelf") is None,
                    reason="the xcb plugin is Linux's; readelf (binutils) lists what it links against")
def test_the_table_covers_what_pyside6s_xcb_plugin_links_against() -> None:
    import PySide6  # the wheel's files only; no QApplication

    qt = Path(PySide6.__file__).parent / "Qt"
    needed: set[str] = set()
    for library in (qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"):
        dynamic = subprocess.run(["readelf", "-d", str(library)], capture_output=True, text=True, check=True).stdout
        needed |= set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))
    system = {name for name in needed if not NOT_XCB.match(name)}
    assert system, needed
    assert system <= set(qt_libs.XCB_LIBRARIES), f"not checked by qt_libs: {sorted(system - set(qt_libs.XCB_LIBRARIES))}"
