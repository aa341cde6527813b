"""N-3: the application runs from an installed wheel, not only from the source tree.

The wheel is built from this tree, installed into a fresh virtual environment (which borrows the
dependencies already installed for the running interpreter, so nothing is downloaded), and the console script is
run from a directory outside the source tree with no PYTHONPATH: forms, migrations and resources must then come
from ``hecun_office/_bundled/`` inside site-packages.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = "hecun_office/_bundled/"
TIMEOUT = 300

pytestmark = pytest.mark.slow


def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                            encoding="utf-8", timeout=TIMEOUT, check=False)
    assert result.returncode == 0, (f"{' '.join(map(str, cmd))} exited {result.returncode}\n"
                                    f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # No build isolation: the build backend (hatchling, in the "test" extra) is already installed, and CI must
    # not depend on downloading it again for this test.
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, ROOT], cwd=out)
    wheels = list(out.glob("hecun_office-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("venv")
    env_dir = where / "venv"
    _run([sys.executable, "-m", "venv", env_dir], cwd=where)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # The dependencies: those of the running interpreter, wherever they are. `--system-site-packages` is not enough:
    # when the tests run in a virtual environment (the README's command in a fresh venv), venv builds the new one on
    # the *base* interpreter and the running environment's site-packages (lunardate, SQLAlchemy...) stay invisible.
    # A .pth file in the new environment names them instead; as plain lines, so the .pth files found there are not
    # run (the editable install of this tree must not put the source tree on the path).
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=where)
                   .stdout.strip())
    (purelib / "_running_interpreter.pth").write_text("".join(f"{d}\n" for d in _running_site_packages()),
                                                       encoding="utf-8")
    # --ignore-installed: the editable install of this tree is visible through the running interpreter's
    # site-packages and would otherwise count as "already satisfied".
    _run([python, "-m", "pip", "install", "--no-deps", "--ignore-installed", "--no-index",
          "--disable-pip-version-check", "--quiet", wheel], cwd=where)
    return env_dir


def _running_site_packages() -> list[str]:
    """The site-packages directories of the interpreter running the tests, the user's own one included."""
    dirs = list(site.getsitepackages())
    if site.ENABLE_USER_SITE:
        dirs.append(site.getusersitepackages())
    return [d for d in dict.fromkeys(dirs) if Path(d).is_dir()]


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "HECUN_OFFICE_DB", "PYTHONSTARTUP"}}
    env["HECUN_OFFICE_HOME"] = str(home)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def test_wheel_bundles_migrations_forms_and_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert f"{BUNDLED}db/env.py" in names
    assert f"{BUNDLED}db/script.py.mako" in names
    versions = {n for n in names if n.startswith(f"{BUNDLED}db/versions/") and n.endswith(".py")}
    in_tree = {f"{BUNDLED}db/versions/{p.name}" for p in (ROOT / "db" / "versions").glob("*.py")}
    assert in_tree and versions == in_tree
    for folder in ("forms", "resources"):
        assert any(n.startswith(f"{BUNDLED}{folder}/") for n in names), f"{folder}/ is missing from the wheel"
        expected = {f"{BUNDLED}{folder}/{p.relative_to(ROOT / folder).as_posix()}"
                    for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
        assert expected <= names, f"{folder}/ files missing from the wheel: {sorted(expected - names)}"
    assert "hecun_office/cli.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names if n.startswith(("tests/", "bench/"))]


def test_installed_wheel_runs_outside_the_source_tree(venv: Path, tmp_path: Path) -> None:
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python, app = bindir / "python", bindir / "hecun-office"
    assert app.exists(), "the console script hecun-office was not installed"
    work = tmp_path / "outside"
    work.mkdir()
    assert ROOT not in work.parents
    env = _clean_env(tmp_path / "home")
    db = tmp_path / "office" / "hecun-office.sqlite3"

    where = json.loads(_run([python, "-c", (
        "import json, sysconfig, hecun_office, hecun_office.paths as p\n"
        "print(json.dumps({'package': hecun_office.__file__, 'purelib': sysconfig.get_path('purelib'),"
        " 'migrations': str(p.migrations_dir()), 'forms': str(p.forms_dir()),"
        " 'resources': str(p.resources_dir())}))")], cwd=work, env=env).stdout)
    site = Path(where["purelib"]).resolve()
    assert site.is_relative_to(venv.resolve())
    for key in ("package", "migrations", "forms", "resources"):
        path = Path(where[key]).resolve()
        assert path.is_relative_to(site), f"{key} resolves to {path}, not inside {site}"
        assert not path.is_relative_to(ROOT), f"{key} resolves into the source tree: {path}"
    assert Path(where["migrations"]).name == "db" and Path(where["migrations"]).parent.name == "_bundled"

    setup = _run([app, "--db", db, "setup", "--password", "secret1"], cwd=work, env=env)  # no terminal here
    assert "已完成初始设置" in setup.stdout
    assert db.is_file()

    check = _run([app, "--db", db, "check", "--json"], cwd=work, env=env)
    results = {r["name"]: r for r in json.loads(check.stdout)}
    assert all(r["ok"] for r in results.values()), results
    assert "数据库结构版本" in results

    due = json.loads(_run([app, "--db", db, "workdays", "add", "2026-02-15", "3", "--json"],
                          cwd=work, env=env).stdout)
    # 春节 2026: 2月15日–23日 off, so the third working day after 15 February is Thursday 26 February.
    assert due == {"due": "2026-02-26", "weekday": "星期四", "provisional": False, "calendar": due["calendar"]}

    assert not list(ROOT.glob("hecun-office.log*")), "the installed app wrote into the source tree"
    assert (tmp_path / "home").is_dir()
