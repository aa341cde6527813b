"""Builds the one-folder bundle from installer/hecun-office.spec and checks it as a clerk's PC would run it (N-3).

    python installer/build_bundle.py                      # build, then check the bundle
    python installer/build_bundle.py --installer OUT.exe  # ... and compile the NSIS setup program, list it (7z)
    python installer/build_bundle.py --bundle DIR         # check a bundle built earlier (no build)
    python installer/build_bundle.py --wheels             # ... and prove every dependency has a Windows wheel

The check, outside the source tree and with a fresh data folder: the bundle's own ``hecun-office-cli demo`` makes a
demo database, ``hecun-office-cli check`` must pass on it, and the main window is opened offscreen with the
start-up bench hook (HECUN_OFFICE_BENCH_STARTUP, hecun_office/ui/app.py), which prints the time to a painted window
and quits; the bundle's runtime hook (installer/rthook_screenshot.py) saves that window as a PNG. Printed at the
end: bundle size (MiB), start-up times, installer size. Exit status 1 when anything fails.

The functions are used by tests/test_installer.py and, on Windows, by .github/workflows/windows.yml.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "installer" / "hecun-office.spec"
NSI = ROOT / "installer" / "hecun-office.nsi"
WINDOWS = sys.platform == "win32"
SUFFIX = ".exe" if WINDOWS else ""
GUI = "hecun-office" + SUFFIX
CLI = "hecun-office-cli" + SUFFIX
DEMO_LOGIN = "admin:hecun2026"  # the administrator `hecun-office demo` creates (bench/run.py)
STARTUP_ENV = "HECUN_OFFICE_BENCH_STARTUP"
TIMEOUT = 600

# What the setup program must carry (paths as 7z lists them, with /).
INSTALLER_EXPECTS = [
    "hecun-office.exe",
    "hecun-office-cli.exe",
    "uninstall.exe",
    "_internal/db/env.py",
    "_internal/db/script.py.mako",
    "_internal/db/versions/0001_initial.py",
    "_internal/forms/matter_register.toml",
    "_internal/resources",
    "_internal/base_library.zip",
    "_internal/PySide6",
    "_internal/reportlab",
    "_internal/PySide6/Qt/plugins/platforms",
]


class BundleError(RuntimeError):
    pass


def _run(cmd: list[str | Path], *, cwd: Path | None = None, env: dict[str, str] | None = None,
         timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                            encoding="utf-8", errors="replace", timeout=timeout, check=False)
    if result.returncode != 0:
        raise BundleError(f"{' '.join(map(str, cmd))} exited {result.returncode}\n"
                          f"--- stdout\n{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}")
    return result


def build(dist: Path, work: Path) -> Path:
    """Runs PyInstaller on the spec; returns the bundle folder (DIST/hecun-office)."""
    _run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", dist, "--workpath", work, SPEC],
         cwd=ROOT, timeout=1800)
    bundle = dist / "hecun-office"
    for name in (GUI, CLI):
        if not (bundle / name).is_file():
            raise BundleError(f"PyInstaller made no {bundle / name}")
    return bundle


def size_mib(path: Path) -> float:
    total = sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    if path.is_file():
        total = path.stat().st_size
    return round(total / 2**20, 1)


def bundle_env(home: Path) -> dict[str, str]:
    """The environment of a clerk's PC: a fresh data folder, no Python of ours on the path, offscreen Qt."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "HECUN_OFFICE_DB", "VIRTUAL_ENV") and not k.startswith("HECUN_OFFICE_BENCH")}
    env["HECUN_OFFICE_HOME"] = str(home)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def make_demo(bundle: Path, scratch: Path) -> Path:
    db = scratch / "demo.sqlite3"
    _run([bundle / CLI, "--db", db, "demo"], cwd=scratch, env=bundle_env(scratch / "home"))
    return db


def check(bundle: Path, db: Path, scratch: Path) -> str:
    """The bundle's `check` on the database; its output (every line 通过 or 警告: the exit status says)."""
    return _run([bundle / CLI, "--db", db, "check"], cwd=scratch, env=bundle_env(scratch / "home")).stdout


def start_window(bundle: Path, db: Path, scratch: Path, screenshot: Path | None = None) -> float:
    """Opens the main window offscreen (logged in as the demo's administrator) and returns the start-up time the
    program prints: from this process's spawn to a painted main window with its dashboard."""
    env = bundle_env(scratch / "home")
    env["HECUN_OFFICE_BENCH_LOGIN"] = DEMO_LOGIN
    if screenshot is not None:
        env["HECUN_OFFICE_BUNDLE_SCREENSHOT"] = str(screenshot)
    # The windowed executable has no stdout on Windows: the console one is the same program.
    exe = bundle / (CLI if WINDOWS else GUI)
    env[STARTUP_ENV] = repr(time.time())
    out = _run([exe, "--db", db], cwd=scratch, env=env, timeout=180).stdout
    found = re.search(rf"^{STARTUP_ENV} ([0-9.]+)$", out, re.M)
    if not found:
        raise BundleError(f"the main window did not report its start-up:\n{out}")
    if screenshot is not None and not (screenshot.is_file() and screenshot.stat().st_size > 1000):
        raise BundleError(f"no screenshot of the main window at {screenshot}")
    return float(found.group(1))


def check_bundle(bundle: Path, scratch: Path, screenshot: Path | None = None) -> dict[str, object]:
    scratch.mkdir(parents=True, exist_ok=True)
    db = make_demo(bundle, scratch)
    report = check(bundle, db, scratch)
    first = start_window(bundle, db, scratch, screenshot)
    second = start_window(bundle, db, scratch)
    return {"bundle": str(bundle), "bundle_mib": size_mib(bundle), "check": report.strip().splitlines(),
            "startup_first_s": first, "startup_second_s": second,
            "screenshot": str(screenshot) if screenshot else None}


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def compile_installer(bundle: Path, out: Path) -> Path:
    """makensis with the same defines as the Windows workflow: BUNDLE_DIR and OUT_FILE (VERSION from pyproject)."""
    makensis = shutil.which("makensis")
    if makensis is None:
        raise BundleError("makensis not found: apt-get install -y nsis (Windows: choco install nsis)")
    out.parent.mkdir(parents=True, exist_ok=True)
    # -INPUTCHARSET UTF8: the script is UTF-8 (with BOM; said again for makensis builds that guess otherwise)
    _run([makensis, "-V2", "-INPUTCHARSET", "UTF8", f"-DBUNDLE_DIR={bundle}", f"-DOUT_FILE={out}", NSI],
         cwd=ROOT, timeout=1800)
    if not out.is_file():
        raise BundleError(f"makensis made no {out}")
    return out


def list_installer(setup: Path) -> list[str]:
    """The paths inside the setup program, as 7z lists them (technical listing, one Path = line each)."""
    seven = shutil.which("7z") or shutil.which("7za")
    if seven is None:
        raise BundleError("7z not found: apt-get install -y p7zip-full (Windows: choco install 7zip)")
    out = _run([seven, "l", "-slt", setup]).stdout
    return [line[len("Path = "):].replace("\\", "/") for line in out.splitlines()
            if line.startswith("Path = ")][1:]  # the first is the archive itself


def missing_from_installer(paths: list[str]) -> list[str]:
    return [want for want in INSTALLER_EXPECTS
            if not any(p == want or p.startswith(want + "/") for p in paths)]


def dependencies() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]


def _pip_download(requirements: list[str], dest: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check",
                           "--platform", "win_amd64", "--only-binary=:all:", "--python-version", "3.11",
                           "--implementation", "cp", "-d", str(dest), *requirements],
                          capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=1800,
                          check=False)


def windows_wheels(dest: Path) -> list[str]:
    """pip download of every dependency (and theirs) as Windows wheels for CPython 3.11 only; returns the
    dependencies of pyproject.toml that have none (empty: all have one). One download of all first; on failure
    each dependency alone, so the one without a wheel is named."""
    deps = dependencies()
    if _pip_download(deps, dest).returncode == 0:
        return []
    missing = [dep for dep in deps if _pip_download([dep], dest).returncode != 0]
    return missing or ["(the dependencies together: pip found no common set of Windows wheels)"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "build" / "installer" / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "installer" / "work")
    parser.add_argument("--bundle", type=Path, help="check this bundle, built earlier, instead of building one")
    parser.add_argument("--screenshot", type=Path, default=ROOT / "build" / "installer" / "main-window.png",
                        help="where the offscreen main window is saved (default: %(default)s)")
    parser.add_argument("--installer", type=Path, help="also compile the NSIS setup program to this .exe, list it")
    parser.add_argument("--wheels", action="store_true", help="also prove every dependency has a Windows wheel")
    args = parser.parse_args(argv)
    summary: dict[str, object] = {"version": version()}
    try:
        if args.bundle is None:
            started = time.monotonic()
            bundle = build(args.dist.resolve(), args.work.resolve())
            summary["build_s"] = round(time.monotonic() - started, 1)
        else:
            bundle = args.bundle.resolve()
        args.screenshot.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="hecun-bundle-") as scratch:
            summary.update(check_bundle(bundle, Path(scratch), args.screenshot.resolve()))
        if args.installer is not None:
            started = time.monotonic()
            setup = compile_installer(bundle, args.installer.resolve())
            summary["makensis_s"] = round(time.monotonic() - started, 1)
            summary["installer"] = str(setup)
            summary["installer_mib"] = size_mib(setup)
            paths = list_installer(setup)
            summary["installer_files"] = len(paths)
            missing = missing_from_installer(paths)
            if missing:
                raise BundleError(f"the setup program lacks {', '.join(missing)}")
        if args.wheels:
            with tempfile.TemporaryDirectory(prefix="hecun-wheels-") as dest:
                missing = windows_wheels(Path(dest))
            if missing:
                raise BundleError(f"no Windows wheel (win_amd64, CPython 3.11) for: {', '.join(missing)}")
            summary["windows_wheels"] = "all dependencies"
    except BundleError as exc:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        print(f"build_bundle: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"bundle {summary['bundle_mib']} MiB; start-up {summary['startup_first_s']} s first, "
          f"{summary['startup_second_s']} s second"
          + (f"; installer {summary['installer_mib']} MiB" if "installer_mib" in summary else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
