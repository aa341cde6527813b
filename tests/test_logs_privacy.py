"""N-4: no personal data in the log. ``mask`` on its own, then the real thing: a database error on a matter with a
complainant's phone and name, logged as the application logs it, through logs.configure's handler into the file."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from hecun_office import logs
from hecun_office.log_privacy import mask
from hecun_office.services import matters
from hecun_office.services.audit import Actor
from hecun_office.services.matters import MatterInput
from hecun_office.storage.engine import make_engine, to_url
from hecun_office.storage.models import Matter
from hecun_office.storage.uow import Database

PHONE = "13812345678"
NAME = "张伟"
ID_NO = "330106198001011234"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("来电 13812345678 反映", "来电 138****5678 反映"),
        ("电话13812345678。", "电话138****5678。"),
        ("tel:+8613812345678", "tel:+86138****5678"),
        ("138-1234-5678", "138****5678"),
        ("座机 0571-88886666", "座机 0571-****6666"),
        ("座机 057188886666", "座机 0571****6666"),
        ("(010)12345678", "(010)****5678"),
        ("身份证 330106198001011234", "身份证 3301**********1234"),
        ("身份证 33010619800101123X", "身份证 3301**********123X"),
        ("旧证 330106800101123", "旧证 3301*******1123"),
        ("complainant_name='张伟'", "complainant_name='张*'"),
        ('"complainant_name": "张伟"', '"complainant_name": "张*"'),
        ("complainant_name=张伟 来访", "complainant_name=张* 来访"),
        ("{'complainant_name': '欧阳娜娜', 'x': 1}", "{'complainant_name': '欧***', 'x': 1}"),
        ("Matter(parties='李四', title='占道')", "Matter(parties='李*', title='占道')"),
        ("complainant_phone='13812345678'", "complainant_phone='138****5678'"),
        ('"complainant_id_no": "330106198001011234"', '"complainant_id_no": "3301**********1234"'),
        ('"complainant_name": "\\u5f20\\u4f1f"', '"complainant_name": "***"'),
        ("[parameters: ('x', '张伟', 3)]", "[parameters: ***"),
        ("DETAIL:  Failing row contains (1, 张伟, null).\n[SQL: INSERT]", "DETAIL:  Failing row contains ***\n[SQL: INSERT]"),
    ],
)
def test_personal_data_is_masked_with_a_hint_left(text: str, masked: str) -> None:
    assert mask(text) == masked
    assert mask(masked) == masked  # masking twice changes nothing


@pytest.mark.parametrize(
    "text",
    [
        "占道经营处罚未告知陈述申辩权，已登记。",
        "2026-03-02 09:15:00,123 INFO hecun_office.cli: command setup done",
        "受理日期 2026-03-02，期限 2026-03-16",
        "贺监登〔2026〕1号",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "1234567890123456789012345678901234567890123456789012345678901234",  # a digits-only hex digest
        "sha256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "0f8e9a1c-2b3d-4e5f-8a9b-0c1d2e3f4a5b",
        "HC330106-0007.hcpkt #7, seq 12, 2,000 matters in 4.98 s",
        "HC-3301-0001-0001.hcpkt",
        "port 5432, pid 123456, 20260302093000",
        "UPDATE matters SET complainant_name=?, complainant_phone=? WHERE matters.id = ?",
        "INSERT INTO matters (complainant_name, complainant_phone) VALUES (%(complainant_name)s, :complainant_phone)",
        "complainant_name=None",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask(text) == text


def test_engines_hide_their_parameters(tmp_path: Path) -> None:
    assert make_engine(to_url(tmp_path / "a.sqlite3")).hide_parameters
    assert make_engine("postgresql://u:secret@db.example:5432/county").hide_parameters


@pytest.fixture
def stderr(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    return stream


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stderr: io.StringIO) -> Iterator[Path]:
    """logs.configure's handlers (the file in ``tmp_path``, and ``--verbose``'s stderr into ``stderr``), taken off
    the root logger afterwards."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    monkeypatch.setattr(logs, "_configured", False)
    path = logs.configure(tmp_path, verbose=True)
    added = [h for h in root.handlers if h not in before]
    assert len(added) == 2, "configure added no file or no stderr handler"
    yield path
    for handler in added:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_a_database_error_on_a_matter_leaves_no_personal_data_in_the_log(
    db: Database, actor: Actor, log_file: Path, stderr: io.StringIO
) -> None:
    unit = matters.list_units(db)[1]
    registered = matters.register_matter(db, actor, MatterInput(
        received_on=date(2026, 3, 2), source="hotline", title="占道经营处罚未告知陈述申辩权", category="legality",
        unit_ids=[unit.id], complainant_name=NAME, complainant_phone=PHONE, complainant_id_no=ID_NO,
        parties=NAME), today=date(2026, 3, 2))
    with db.uow() as session:
        row = session.execute(select(Matter.__table__).where(Matter.id == registered.id)).mappings().one()
    duplicate = {key: value for key, value in row.items() if key != "id"}  # the same uuid again: refused
    log = logging.getLogger("hecun_office.services.packet_import")
    with pytest.raises(IntegrityError) as refused:  # logged where it is caught, as the application does
        try:
            with db.uow() as session:
                session.execute(insert(Matter.__table__).values(**duplicate))
        except IntegrityError:
            log.exception("packet %s violated a constraint", "HC330106-0001.hcpkt")
            raise
    assert "UNIQUE" in str(refused.value)
    # A message's own arguments are masked too (a service logging what it refused).
    log.warning("refused: %s", {"complainant_name": NAME, "complainant_phone": PHONE})
    for handler in logging.getLogger().handlers:
        handler.flush()

    written = log_file.read_text(encoding="utf-8")
    for text in (written, stderr.getvalue()):
        assert "IntegrityError" in text and "violated a constraint" in text
        assert "parameters hidden" in text
        assert PHONE not in text and ID_NO not in text and NAME not in text
        assert "refused: {'complainant_name': '张*', 'complainant_phone': '138****5678'}" in text
