"""A throw-away PostgreSQL server for the county-mode tests (SPEC S-7: tested against a real server).

The server is a private cluster made with initdb in a temporary directory, listening on a free port of
127.0.0.1 and on a unix socket in that directory, and stopped with ``pg_ctl stop -m fast`` at the end. PostgreSQL
refuses to run as root, so under root initdb and pg_ctl run as the ``postgres`` user (or ``nobody``) and the
directory is handed to that user. There is no skipping: without the server binaries the tests fail and say what
to install.

Authentication: the superuser ``postgres`` is trusted on the socket and on 127.0.0.1 (the tests need no
password); every other role must give its password over TCP (scram-sha-256), so a wrong password can be tested.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "postgres"
_BINARIES = ("initdb", "pg_ctl", "postgres")
_HBA = f"""\
local all all trust
host all {SUPERUSER} 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
"""


class NoPostgres(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def _has_server(bindir: Path) -> bool:
    return all((bindir / name).is_file() for name in _BINARIES)


def find_bindir() -> Path:
    """``pg_config --bindir``, then the newest /usr/lib/postgresql/*/bin, then wherever PATH has pg_ctl."""
    candidates: list[Path] = []
    if shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10, check=True)
            candidates.append(Path(out.stdout.strip()))
    candidates += sorted((Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
                         key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates += [Path(on_path).parent, Path(on_path).resolve().parent]
    for bindir in candidates:
        if _has_server(bindir):
            return bindir
    raise NoPostgres(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found via pg_config --bindir, "
        "/usr/lib/postgresql/*/bin or PATH. County mode is tested against a real server: install it "
        "(Debian/Ubuntu: apt-get install postgresql; .ci/run does this) and run the tests again.")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_user() -> pwd.struct_passwd | None:
    """Who runs the server: ourselves, unless we are root (postgres will not run as root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise NoPostgres("running as root, and neither a 'postgres' nor a 'nobody' user exists to run the server as")


@dataclass
class PostgresServer:
    bindir: Path
    root: Path  # data/, the socket and the log live here
    port: int = 0
    user: pwd.struct_passwd | None = None
    started_in: float = 0.0  # seconds for initdb + start, reported by the tests' summary

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        as_user = self.user  # None: as ourselves
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C")
        result = subprocess.run([str(self.bindir / args[0]), *args[1:]], cwd=self.root, env=env,
                                capture_output=True, text=True, timeout=timeout, check=False,
                                user=as_user.pw_uid if as_user else None, group=as_user.pw_gid if as_user else None,
                                extra_groups=[] if as_user else None)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} exited {result.returncode}\n--- stdout\n{result.stdout}\n"
                               f"--- stderr\n{result.stderr}\n--- server log\n{log}")
        return result

    def start(self) -> None:
        began = time.perf_counter()
        if self.user is not None:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "-E", "UTF8", "--locale=C",
                  "-A", "trust", "--no-sync")
        (self.data / "pg_hba.conf").write_text(_HBA)
        # A test server: durability settings off for speed (the tests prove behaviour, not crash safety).
        options = (f"-p {{port}} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        for attempt in range(3):  # the free port may be taken between choosing and binding it
            self.port = _free_port()
            try:
                self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                          "-o", options.format(port=self.port), "start")
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        atexit.register(self.stop)  # also when pytest is interrupted before the fixture's finaliser runs
        self.started_in = time.perf_counter() - began

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():  # also after a start that timed out but did start
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", user: str = SUPERUSER, password: str | None = None) -> str:
        auth = user if password is None else f"{user}:{password}"
        return f"postgresql+psycopg://{auth}@127.0.0.1:{self.port}/{database}"

    def admin(self, *statements: str) -> None:
        """Run statements outside a transaction (CREATE/DROP DATABASE need that), as the superuser."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement.encode())  # our own literal SQL: no parameters to bind

    def create_database(self) -> str:
        name = f"t_{uuid.uuid4().hex}"
        self.admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_server() -> PostgresServer:
    bindir = find_bindir()
    user = _server_user()
    # Not under pytest's tmp_path: that is private to root (0700), and the server user must reach its socket.
    root = Path(tempfile.mkdtemp(prefix="hecun-pg-"))
    server = PostgresServer(bindir=bindir, root=root, user=user)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server
