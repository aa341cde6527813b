"""An office and a bureau that have exchanged keys (S-6), for tests of packets and of 报送与同步.

    pair = make_pair(tmp_path)              # 贺村司法所 (office.sqlite3) and 江山市司法局 (bureau.sqlite3)
    matter_id = assistance_request_matter(pair.office, TODAY)
    ...
    pair.dispose()

Both databases are real SQLite files set up through the services, each with its own key pair; the keys are
exchanged the way clerks do it — the enrolment file plus the fingerprint typed from the paper form — through
``export_public`` and ``add_peer``. Private keys are protected with a secret under ``paths.data_dir()``, so the
test must run with ``HECUN_OFFICE_HOME`` set (tests/conftest.py does that for every test).

Setting up takes about half a second a database, so the pair (enrolled, and not) is built once per test process in
a temporary folder and its files and key secrets are copied for every test; a bureau on a server (``bureau_url``)
is set up afresh, and the office copied beside it.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from db_copies import copy_key_secrets, freeze, open_copy, shared_home
from sqlalchemy.engine import URL, make_url

from hecun_office.services import documents, matters, templates
from hecun_office.services.audit import Actor
from hecun_office.services.exchange_keys import add_peer, export_public, own_key
from hecun_office.services.matters import TransitionInput
from hecun_office.services.setup import UserInput, default_actor, default_profile, setup_database
from hecun_office.services.users import authenticate, create_account
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database

SET_UP_ON = datetime(2026, 1, 5, 9, 0)
PASSWORD = "secret1"
ASSISTANCE_TITLE = "占道经营处罚未告知陈述申辩权"  # a shipped frequent-matter template


@dataclass
class Pair:
    office: Database  # 贺村司法所, code "hecun"; its first user 王晓 is the administrator
    bureau: Database  # 江山市司法局, code "jiangshan"; its first user 赵敏 is the administrator

    @property
    def office_admin(self) -> Actor:
        return default_actor(self.office)

    @property
    def bureau_admin(self) -> Actor:
        return default_actor(self.bureau)

    def dispose(self) -> None:
        self.office.dispose()
        self.bureau.dispose()


def set_up(path: Path | str, mode: str, username: str, display_name: str) -> Database:
    """A database (a file path, or a database URL) set up in ``mode`` ("office" or "bureau") with one
    administrator."""
    db = open_database(path if isinstance(path, str) else f"sqlite:///{path}")
    setup_database(db, default_profile(mode), UserInput(username, display_name, password=PASSWORD),
                   created_at=SET_UP_ON)
    return db


def exchange_keys(office: Database, bureau: Database) -> None:
    """The bureau enrols the office's key, the office pins the bureau's, each typing the other's fingerprint."""
    add_peer(bureau, default_actor(bureau), export_public(office), own_key(office).shown)
    add_peer(office, default_actor(office), export_public(bureau), own_key(bureau).shown)


_templates: dict[bool, Path] = {}  # enrolled -> a folder with office.sqlite3, bureau.sqlite3 and home/keys


def _template(enrolled: bool) -> Path:
    if enrolled not in _templates:
        folder = Path(tempfile.mkdtemp(prefix="hecun-pair-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        with shared_home(folder / "home"):
            office = set_up(folder / "office.sqlite3", "office", "wang", "王晓")
            bureau = set_up(folder / "bureau.sqlite3", "bureau", "zhao", "赵敏")
            if enrolled:
                exchange_keys(office, bureau)
            freeze(office)
            freeze(bureau)
        _templates[enrolled] = folder
    return _templates[enrolled]


_pg_templates: dict[str, tuple[str, Path]] = {}  # server (host:port) -> (set-up bureau database, its home)


def _pg_admin(url: URL, *statements: str) -> None:
    """CREATE/DROP DATABASE on the server of ``url`` (outside a transaction, in its maintenance database)."""
    import psycopg

    with psycopg.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                         dbname="postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement.encode())  # our own literal SQL: no parameters to bind


def pg_bureau(bureau_url: str) -> Database:
    """The bureau set up at ``bureau_url`` (an empty database on the tests' PostgreSQL server): set up once per test
    process in a template database and cloned with CREATE DATABASE … TEMPLATE (seeding the calendar over the network
    took some five seconds a test); the template's key secrets are copied into this test's home."""
    url = make_url(bureau_url)
    server = f"{url.host}:{url.port}"
    if server not in _pg_templates:
        name = f"tmpl_bureau_{uuid.uuid4().hex[:12]}"
        _pg_admin(url, f'CREATE DATABASE "{name}"')
        home = Path(tempfile.mkdtemp(prefix="hecun-pg-bureau-"))
        atexit.register(shutil.rmtree, home, ignore_errors=True)
        with shared_home(home):
            set_up(url.set(database=name).render_as_string(hide_password=False), "bureau", "zhao", "赵敏").dispose()
        _pg_templates[server] = (name, home)
    name, home = _pg_templates[server]
    _pg_admin(url, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)',
              f'CREATE DATABASE "{url.database}" TEMPLATE "{name}"')
    copy_key_secrets(home)
    return open_database(bureau_url)


def make_pair(folder: Path, enrolled: bool = True, bureau_url: str | None = None) -> Pair:
    """office.sqlite3 and bureau.sqlite3 in ``folder`` (or the bureau at ``bureau_url``, e.g. PostgreSQL); with
    ``enrolled`` (default) keys already exchanged."""
    if bureau_url is not None:
        template = _template(enrolled=False)
        office = open_copy(template / "office.sqlite3", folder / "office.sqlite3", template / "home")
        bureau = pg_bureau(bureau_url)
        if enrolled:
            exchange_keys(office, bureau)
        return Pair(office, bureau)
    template = _template(enrolled)
    return Pair(open_copy(template / "office.sqlite3", folder / "office.sqlite3", template / "home"),
                open_copy(template / "bureau.sqlite3", folder / "bureau.sqlite3"))


def account(db: Database, username: str, display_name: str, role: str) -> Actor:
    """Another account, made by the administrator, and logged in (password ``PASSWORD``)."""
    create_account(db, default_actor(db), username, display_name, role, PASSWORD)
    return authenticate(db, username, PASSWORD)


def assistance_request_matter(office: Database, on: date) -> int:
    """A matter in 协作中 (assisting) whose 执法协作函 was issued on ``on``: registered from the frequent-matter
    template, 开始核查, 需要协作, then the assistance_request drafted by the administrator, reviewed and issued by
    the director 李志明 (signer). Issuing moves the matter to ASSISTING and opens the office's obligation
    等待司法局协作反馈; the next data packet carries the request to the bureau. Returns the matter id."""
    return request_assistance(office, default_actor(office), account(office, "li", "李志明", "signer"), on)


def request_assistance(office: Database, clerk: Actor, director: Actor, on: date, title: str = "") -> int:
    """A matter from the frequent-matter template (``title`` instead of the template's if given), 开始核查, 需要协作,
    and its 执法协作函 drafted by ``clerk``, reviewed and issued by ``director`` on ``on``. Returns the matter id."""
    template = next(t for t in templates.list_templates(office) if t.name == ASSISTANCE_TITLE)
    unit = next(u for u in matters.list_units(office) if u.name == "贺村镇综合行政执法队")
    data = templates.matter_from_template(template, on, [unit.id])
    if title:
        data.title = title
    matter_id = matters.register_matter(office, clerk, data, today=on).id
    for action in ("start_verification", "need_assistance"):
        matters.transition_matter(office, clerk, matter_id, TransitionInput(action, on), today=on)
    values = documents.draft_values(office, "assistance_request", matter_id, on)
    values["questions"] = "该处罚决定未告知陈述、申辩权利，是否应当建议撤销并重新作出？请提出意见。"
    doc_id = documents.create_draft(office, clerk, "assistance_request", matter_id, values, on)
    documents.submit(office, clerk, doc_id)
    documents.review(office, director, doc_id, approve=True)
    documents.issue(office, director, doc_id, on, on)
    return matter_id
