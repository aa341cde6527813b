"""M-1 attachments: files copied into the data store beside the database, addressed by their SHA-256.

The copy is written to a temporary name, flushed to disk and renamed, and only then recorded in the database:
a crash leaves at most an unreferenced file, never a record without its file. Identical files are stored once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from .. import paths
from ..domain.errors import EnvironmentProblem, NotFound, ValidationError
from ..domain.permissions import Permission, require
from ..files import write_atomically
from ..storage.models import Attachment, Matter
from ..storage.uow import Database
from . import audit
from .audit import Actor

MAX_BYTES = 200 * 1024 * 1024  # a scanned case file; anything larger belongs on the office's file server
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    file_name: str
    size: int
    sha256: str
    added_by: str
    added_at: datetime


def store_dir(db: Database) -> Path:
    return paths.attachments_dir(db.file)


def _blob_path(root: Path, sha: str) -> Path:
    return root / sha[:2] / sha


def _copy_in(source: Path, root: Path) -> tuple[str, int]:
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ValidationError(f"文件“{source.name}”超过 {MAX_BYTES // 1024 // 1024} MB，不能作为附件。"
                                          "请压缩或拆分后再添加。", "file")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = _blob_path(root, sha)
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            os.unlink(tmp_name)  # the same content is already stored
        else:
            os.replace(tmp_name, target)
        return sha, size
    except OSError as exc:
        raise EnvironmentProblem(f"无法复制附件“{source.name}”：{exc.strerror or exc}。请检查磁盘空间和文件权限。") from exc
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def add_attachment(db: Database, actor: Actor, matter_id: int, source: Path) -> int:
    require(actor.role, Permission.MATTER_WORK)
    if not source.is_file():
        raise ValidationError(f"找不到文件“{source}”，或它不是普通文件。", "file")
    if source.stat().st_size == 0:
        raise ValidationError(f"文件“{source.name}”是空文件，请确认选择了正确的文件。", "file")
    with db.uow() as session:
        matter = session.get(Matter, matter_id)
        if matter is None:
            raise NotFound("该事项不存在或已被删除，请刷新列表。")
        if matter.office_code:
            raise ValidationError("该事项由司法所通过数据包报送，附件只能由该所添加；本局只能查看。", "file")
    sha, size = _copy_in(source, store_dir(db))
    with db.uow() as session:
        row = Attachment(matter_id=matter_id, file_name=source.name[:255], sha256=sha, size=size,
                         added_by=actor.name, added_at=datetime.now().replace(microsecond=0))
        session.add(row)
        session.flush()
        audit.append(session, actor, "attachment.add", "attachment", row.uuid,
                     {"matter": matter_id, "sha256": sha, "size": size})
        return row.id


def list_attachments(db: Database, matter_id: int) -> list[AttachmentRow]:
    with db.uow() as session:
        rows = session.scalars(select(Attachment).where(Attachment.matter_id == matter_id).order_by(Attachment.id))
        return [AttachmentRow(a.id, a.file_name, a.size, a.sha256, a.added_by, a.added_at) for a in rows]


def export_attachment(db: Database, attachment_id: int, target: Path) -> Path:
    """Copy a stored file out (to open or send it), checking it is still the file that was added."""
    with db.uow() as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise NotFound("该附件不存在，请刷新。")
        sha, name = row.sha256, row.file_name
    blob = _blob_path(store_dir(db), sha)
    if not blob.is_file():
        raise EnvironmentProblem(f"附件“{name}”的文件已丢失（{blob}）。请从备份恢复附件文件夹。")
    digest = hashlib.sha256()
    with blob.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != sha:
        raise EnvironmentProblem(f"附件“{name}”的文件已被改动或损坏，与登记时的校验值不一致。请从备份恢复。")
    out = target / name if target.is_dir() else target
    shutil.copyfile(blob, out)
    return out


def read_blob(root: Path, sha: str, name: str = "") -> bytes:
    """A stored file's bytes for a packet (S-1), checked against the hash it was stored under."""
    blob = _blob_path(root, sha)
    try:
        data = blob.read_bytes()
    except OSError:
        raise EnvironmentProblem(f"附件“{name or sha[:12]}”的文件已丢失（{blob}）。请从备份恢复附件文件夹。") from None
    if hashlib.sha256(data).hexdigest() != sha:
        raise EnvironmentProblem(f"附件“{name or sha[:12]}”的文件已被改动或损坏。请从备份恢复。")
    return data


def store_blob(root: Path, data: bytes | memoryview) -> str:
    """Keep received bytes under their SHA-256 (written and flushed before any record refers to them)."""
    sha = hashlib.sha256(data).hexdigest()
    target = _blob_path(root, sha)
    if not target.is_file():
        write_atomically(target, data)
    return sha
