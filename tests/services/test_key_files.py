"""The files that carry keys (S-6), read and written by services/exchange_keys.py for the GUI and the CLI alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from hecun_office import paths
from hecun_office.domain.errors import EnvironmentProblem, ValidationError
from hecun_office.services import exchange_keys
from hecun_office.services.audit import Actor
from hecun_office.services.exchange_keys import KeyProblem, read_key_file
from hecun_office.storage.uow import Database


def test_an_enrolment_file_reads_as_what_the_form_shows(db: Database, tmp_path: Path) -> None:
    path = exchange_keys.save_public_key(db, tmp_path / "贺村司法所-公钥.hckey")
    key = read_key_file(path)
    own = exchange_keys.own_key(db)
    assert (key.rotation, key.kind, key.code, key.name, key.shown) == (False, "office", "hecun", "贺村司法所",
                                                                       own.shown)
    assert key.data == path.read_bytes() and not exchange_keys.is_rotation(key.data)


def test_a_rotation_statement_reaches_the_chosen_place_and_a_copy_stays(db: Database, admin: Actor,
                                                                         tmp_path: Path) -> None:
    old = exchange_keys.own_key(db).shown
    rotated = exchange_keys.rotate_to_file(db, admin, tmp_path / "声明.hckey")
    assert rotated.path == tmp_path / "声明.hckey" and rotated.problem == ""
    assert rotated.shown == exchange_keys.own_key(db).shown != old
    assert rotated.copy is not None and rotated.copy.parent == paths.data_dir() / exchange_keys.ROTATION_COPIES
    assert rotated.copy.read_bytes() == rotated.path.read_bytes()
    statement = read_key_file(rotated.path)
    assert statement.rotation and statement.code == "hecun" and statement.shown == rotated.shown
    assert statement.from_seq == 1 and exchange_keys.is_rotation(statement.data)


def test_a_statement_that_cannot_be_written_is_kept_in_the_data_directory(db: Database, admin: Actor,
                                                                           tmp_path: Path) -> None:
    missing = tmp_path / "拔出的U盘" / "声明.hckey"
    rotated = exchange_keys.rotate_to_file(db, admin, missing)
    assert rotated.path is None and "无法写入" in rotated.problem and not missing.exists()
    assert rotated.copy is not None and read_key_file(rotated.copy).shown == exchange_keys.own_key(db).shown


def test_what_is_not_a_key_file_is_refused_in_chinese(tmp_path: Path) -> None:
    text = tmp_path / "notes.hckey"
    text.write_text("不是密钥", encoding="utf-8")
    with pytest.raises(KeyProblem, match="无法读取 JSON"):
        read_key_file(text)
    big = tmp_path / "video.hckey"
    big.write_bytes(b"{" * (65 * 1024))
    with pytest.raises(ValidationError, match="video.hckey.*64 KB"):
        read_key_file(big)
    with pytest.raises(EnvironmentProblem, match="找不到文件"):
        read_key_file(tmp_path / "gone.hckey")


def test_the_protection_secret_travels_by_file(db: Database, admin: Actor, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = exchange_keys.save_key_secret(db, admin, "贺村2026口令", tmp_path / "贺村.hcsecret")
    monkeypatch.setenv("HECUN_OFFICE_HOME", str(tmp_path / "second-pc"))
    with pytest.raises(KeyProblem, match="口令不对"):
        exchange_keys.import_key_secret_file(db, admin, path, "wrong passphrase")
    assert exchange_keys.import_key_secret_file(db, admin, path, "贺村2026口令") == 1
    assert exchange_keys.export_public(db)  # signs on the second PC
