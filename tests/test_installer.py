"""N-3, checked here on Linux: the PyInstaller spec builds a bundle whose `check` passes on a fresh database the
bundle made itself and whose main window opens offscreen; Debian's makensis compiles the NSIS script against that
bundle and 7z finds the program, the uninstaller and the data files in the setup program; every dependency has a
Windows wheel (pip download --platform win_amd64 --only-binary=:all:).

Building takes minutes, so CI builds ahead (installer/ci_build.sh, called from .ci/run) and points
HECUN_OFFICE_BUNDLE at the bundle and HECUN_OFFICE_SETUP at the setup program; without them the test builds
both itself (slow, never skipped). The work is done by installer/build_bundle.py, the same code the Windows
workflow runs.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("installer")]  # one worker builds for all of them


def _load_build_bundle():
    spec = importlib.util.spec_from_file_location("build_bundle", ROOT / "installer" / "build_bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bb = _load_build_bundle()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("HECUN_OFFICE_BUNDLE")
    if given:
        path = Path(given)
        assert (path / bb.CLI).is_file(), f"HECUN_OFFICE_BUNDLE={given} holds no {bb.CLI}"
        return path
    assert importlib.util.find_spec("PyInstaller") is not None, 'PyInstaller missing: pip install -e ".[installer]"'
    work = tmp_path_factory.mktemp("pyinstaller")
    return bb.build(work / "dist", work / "work")


@pytest.fixture(scope="module")
def demo_db(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    scratch = tmp_path_factory.mktemp("bundle-run")
    return bb.make_demo(bundle, scratch), scratch


@pytest.fixture(scope="module")
def setup_exe(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("HECUN_OFFICE_SETUP")
    if given and os.environ.get("HECUN_OFFICE_BUNDLE"):  # made by ci_build.sh from that same bundle
        path = Path(given)
        assert path.is_file(), f"HECUN_OFFICE_SETUP={given} does not exist"
        return path
    return bb.compile_installer(bundle, tmp_path_factory.mktemp("nsis") / "hecun-office-setup.exe")


def test_the_bundles_check_passes_on_a_fresh_database_it_made(demo_db: tuple[Path, Path], bundle: Path) -> None:
    db, scratch = demo_db
    out = bb.check(bundle, db, scratch)  # raises with the output when check exits non-zero
    assert "[通过] 数据库结构版本" in out  # migrations were found and applied from the bundle's db/
    assert "[通过] 文书格式" in out  # forms/ found
    assert "[失败]" not in out


def test_the_bundles_main_window_opens_offscreen(demo_db: tuple[Path, Path], bundle: Path) -> None:
    db, scratch = demo_db
    shot = scratch / "main-window.png"
    seconds = bb.start_window(bundle, db, scratch, shot)
    assert 0 < seconds < 60
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_bundle_carries_what_the_program_reads_and_not_what_it_never_uses(bundle: Path) -> None:
    internal = bundle / "_internal"
    for wanted in ("db/env.py", "db/versions/0001_initial.py", "forms/matter_register.toml", "resources"):
        assert (internal / wanted).exists(), wanted
    names = {p.name for p in internal.rglob("*")}
    assert not any(n.startswith(("libQt6Quick", "Qt6Quick", "libQt6Qml", "Qt6Qml", "_tkinter")) for n in names)
    assert bb.size_mib(bundle) < 400


def test_makensis_compiles_the_script_and_the_setup_program_holds_the_bundle(setup_exe: Path) -> None:
    paths = bb.list_installer(setup_exe)
    assert bb.missing_from_installer(paths) == []
    assert "uninstall.exe" in paths
    assert any(p.startswith("_internal/PySide6/") and "Pdf" in p for p in paths)  # QtPdf of the Addons


def test_every_dependency_has_a_windows_wheel(tmp_path: Path) -> None:
    assert bb.windows_wheels(tmp_path) == [], "no win_amd64 wheel for CPython 3.11"
