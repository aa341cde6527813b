"""services/settings.py: per-PC settings declared once, kept in the data directory as they always were."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hecun_office import paths
from hecun_office.domain.errors import EnvironmentProblem
from hecun_office.services import settings
from hecun_office.services.settings import DECLARED, INBOX_FOLDER, Setting, read_setting, write_setting
from hecun_office.storage.opening import open_database
from hecun_office.storage.uow import Database


def test_every_setting_is_declared_once_with_a_chinese_label() -> None:
    assert len({s.key for s in DECLARED}) == len(DECLARED) == len({s.file for s in DECLARED})
    for setting in DECLARED:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in setting.label), setting.key
        assert setting.default is None or isinstance(setting.default, setting.kind)


def test_the_inbox_is_remembered_per_database_and_forgotten(db: Database, tmp_path: Path) -> None:
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        assert read_setting(INBOX_FOLDER, db) is None
        write_setting(INBOX_FOLDER, db, tmp_path / "收件箱")
        assert read_setting(INBOX_FOLDER, db) == tmp_path / "收件箱"
        assert read_setting(INBOX_FOLDER, other) is None
        write_setting(INBOX_FOLDER, other, Path(r"Z:\收件"))
        write_setting(INBOX_FOLDER, db, None)
        assert read_setting(INBOX_FOLDER, db) is None and read_setting(INBOX_FOLDER, other) == Path(r"Z:\收件")
    finally:
        other.dispose()


def test_the_file_written_before_the_declaration_still_reads(db: Database, tmp_path: Path) -> None:
    """exchange-inbox.json as the watched inbox has always written it: {database: folder}."""
    file = paths.data_dir() / "exchange-inbox.json"
    file.write_text(json.dumps({db.display: str(tmp_path / "旧收件箱"), "D:\\其他.sqlite3": "E:\\"},
                               ensure_ascii=False), encoding="utf-8")
    assert read_setting(INBOX_FOLDER, db) == tmp_path / "旧收件箱"
    write_setting(INBOX_FOLDER, db, tmp_path / "新收件箱")
    assert json.loads(file.read_text(encoding="utf-8")) == {db.display: str(tmp_path / "新收件箱"),
                                                            "D:\\其他.sqlite3": "E:\\"}


def test_a_damaged_file_or_a_wrong_type_reads_as_the_default(db: Database) -> None:
    file = paths.data_dir() / INBOX_FOLDER.file
    for content in ("{not json", "[1, 2]", json.dumps({db.display: 42}), json.dumps({db.display: ""})):
        file.write_text(content, encoding="utf-8")
        assert read_setting(INBOX_FOLDER, db) is None, content
    flag: Setting[bool] = Setting("test.flag", bool, False, "测试开关", "test-flag.json", per_database=False)
    (paths.data_dir() / flag.file).write_text(json.dumps({flag.key: 1}), encoding="utf-8")
    assert read_setting(flag) is False  # JSON's 1 is not true
    write_setting(flag, None, True)
    assert read_setting(flag) is True


def test_an_unwritable_data_directory_says_which_setting(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path, data: bytes, mode: int = 0o644) -> None:
        raise PermissionError(13, "拒绝访问", str(path))

    monkeypatch.setattr(settings, "write_atomically", refuse)
    with pytest.raises(EnvironmentProblem, match="无法保存设置“收件箱文件夹.*拒绝访问"):
        write_setting(INBOX_FOLDER, db, Path("收件箱"))
    assert read_setting(INBOX_FOLDER, db) is None
