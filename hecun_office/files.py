"""Files the clerk hands us and files we keep: read whole but bounded, written so that a crash leaves either the
old file or the new one, never half of either."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .domain.errors import EnvironmentProblem, ValidationError
from .environment import environment_errors

_CHUNK = 1 << 20


def read_limited(path: Path, limit: int) -> bytes:
    """The whole file, refused when it holds more than ``limit`` bytes; never reads more than ``limit + 1``.

    A wrong choice (a video instead of a key file) is refused before it fills the memory. Raises ValidationError
    (too large: the clerk chose the wrong file) or EnvironmentProblem (missing, locked, unreadable)."""
    try:
        with path.open("rb", buffering=0) as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > limit:
                raise _too_large(path, limit)
            # The size only says how much to ask for at once: a file still being copied in may grow after the
            # stat (and a pipe says 0), so the reads themselves stop one byte past the limit.
            chunks: list[bytes] = []
            got, want = 0, size + 1
            while got <= limit:
                chunk = fh.read(min(want, limit + 1 - got))
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
                want = _CHUNK
    except FileNotFoundError:
        raise EnvironmentProblem(f"找不到文件“{path.name}”，它可能已被移动或删除。请重新选择文件。") from None
    except PermissionError:
        raise EnvironmentProblem(f"无法打开文件“{path.name}”：没有读取权限，或文件正在其他程序（如 Excel/WPS）中打开。"
                                 "请关闭该文件后重试。") from None
    except IsADirectoryError:
        raise EnvironmentProblem(f"“{path}”是文件夹，不是文件。请重新选择文件。") from None
    except OSError as exc:
        raise EnvironmentProblem(f"无法读取“{path}”（{exc.strerror or exc}），请检查U盘或文件后重试。") from None
    if got > limit:
        raise _too_large(path, limit)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)  # one read is the usual case: no copy


def _too_large(path: Path, limit: int) -> ValidationError:
    return ValidationError(f"文件“{path.name}”超过 {shown_size(limit)}，不是程序要读取的那种文件。请检查是否选错了文件。")


def shown_size(n: int) -> str:
    """1048576 → "1 MB": limits are round numbers, shown the way the clerk's file manager shows sizes."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} 字节"


def write_atomically(path: Path, data: bytes | memoryview, mode: int = 0o644) -> None:
    """Temporary file beside ``path``, flushed to disk, then renamed over it (the rename is atomic).

    A full disk, a read-only folder, a locked file or a USB stick pulled out raises the matching
    EnvironmentProblem naming ``path`` (hecun_office/environment.py); the old file, if any, is untouched."""
    with environment_errors("保存文件", path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            os.chmod(tmp, mode)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
