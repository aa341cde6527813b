"""files.read_limited: the one bounded reader for files a clerk hands us (packets, key files, work-order exports)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from hecun_office import files
from hecun_office.domain.errors import EnvironmentProblem, ValidationError
from hecun_office.files import read_limited, shown_size


class _Counting(io.RawIOBase):
    """A raw file that counts what is read from it."""

    def __init__(self, raw: io.FileIO) -> None:
        self._raw = raw
        self.read_bytes = 0

    def fileno(self) -> int:
        return self._raw.fileno()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.read_bytes += len(data or b"")
        return data

    def close(self) -> None:
        self._raw.close()
        super().close()


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[_Counting]:
    opened: list[_Counting] = []
    real_open = Path.open

    def counting_open(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        opened_file = real_open(self, mode, *args, **kwargs)  # type: ignore[arg-type]
        if mode != "rb":
            return opened_file  # the test writing its files
        wrapper = _Counting(opened_file)
        opened.append(wrapper)
        return wrapper

    monkeypatch.setattr(Path, "open", counting_open)
    return opened


def test_reads_a_file_up_to_the_limit_whole(tmp_path: Path) -> None:
    path = tmp_path / "key.hckey"
    for content in (b"", b"x", b"0123456789"):
        path.write_bytes(content)
        assert read_limited(path, 10) == content


def test_a_larger_file_is_refused_in_chinese_naming_the_file(tmp_path: Path, counted: list[_Counting]) -> None:
    path = tmp_path / "电影.mp4"
    path.write_bytes(b"y" * 5000)
    with pytest.raises(ValidationError) as refused:
        read_limited(path, 1024)
    assert "电影.mp4" in refused.value.message and "1 KB" in refused.value.message
    assert counted[-1].read_bytes == 0  # the size alone refuses it: nothing read


def test_a_file_that_grows_after_the_size_check_is_read_no_further_than_limit_plus_one(
        tmp_path: Path, counted: list[_Counting], monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "copying.hcpkt"
    path.write_bytes(b"z" * (3 * 1024 * 1024))
    real_fstat = os.fstat

    def stale_fstat(fd: int) -> os.stat_result:  # what the size was when the copy had only begun
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 100,
                               int(st.st_atime), int(st.st_mtime), int(st.st_ctime)))

    monkeypatch.setattr(files.os, "fstat", stale_fstat)
    limit = 1024 * 1024 + 7
    with pytest.raises(ValidationError):
        read_limited(path, limit)
    assert counted[-1].read_bytes == limit + 1
    assert read_limited(path, 3 * 1024 * 1024) == path.read_bytes()  # grown but within the limit: all of it


def test_unreadable_files_are_environment_problems(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentProblem, match="找不到文件“gone.hckey”"):
        read_limited(tmp_path / "gone.hckey", 10)
    with pytest.raises(EnvironmentProblem):
        read_limited(tmp_path, 10)  # a folder


def test_sizes_read_as_a_file_manager_shows_them() -> None:
    assert [shown_size(n) for n in (500, 64 * 1024, 1024 * 1024, 1536 * 1024, 2 * 1024**3)] == [
        "500 字节", "64 KB", "1 MB", "1.5 MB", "2 GB"]
