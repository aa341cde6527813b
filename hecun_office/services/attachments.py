"""M-1 attachments: files copied into the content store (storage/blobs.py), addressed by their SHA-256.

The copy is written and flushed before the row naming it commits: a crash leaves at most an unreferenced file,
never a record without its file. Identical files are stored once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import EnvironmentProblem, NotFound, ValidationError
from ..domain.permissions import Permission, require
from ..files import read_limited, write_atomically
from ..storage import blobs
from ..storage.models import Attachment, Matter
from ..storage.uow import Database
from . import audit
from .audit import Actor

MAX_BYTES = 200 * 1024 * 1024  # a scanned case file; anything larger belongs on the office's file server


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    file_name: str
    size: int
    sha256: str
    added_by: str
    added_at: datetime


def add_attachment(db: Database, actor: Actor, matter_id: int, source: Path) -> int:
    require(actor.role, Permission.MATTER_WORK)
    if not source.is_file():
        raise ValidationError(f"找不到文件“{source}”，或它不是普通文件。", "file")
    if source.stat().st_size == 0:
        raise ValidationError(f"文件“{source.name}”是空文件，请确认选择了正确的文件。", "file")
    if source.stat().st_size > MAX_BYTES:
        raise ValidationError(f"文件“{source.name}”超过 {MAX_BYTES // 1024 // 1024} MB，不能作为附件。"
                              "请压缩或拆分后再添加。", "file")
    with db.uow() as session:
        _attachable(session, matter_id)
    data = read_limited(source, MAX_BYTES)  # read before the write lock: a USB stick may be slow
    with db.uow() as session:
        _attachable(session, matter_id)
        sha = blobs.put(session, data)  # the file first, then the row that names it (S-3)
        row = Attachment(matter_id=matter_id, file_name=source.name[:255], sha256=sha, size=len(data),
                         added_by=actor.name, added_at=datetime.now().replace(microsecond=0))
        session.add(row)
        session.flush()
        audit.append(session, actor, "attachment.add", "attachment", row.uuid,
                     {"matter": matter_id, "sha256": sha, "size": len(data)})
        return row.id


def _attachable(session: Session, matter_id: int) -> None:
    matter = session.get(Matter, matter_id)
    if matter is None:
        raise NotFound("该事项不存在或已被删除，请刷新列表。")
    if matter.office_code:
        raise ValidationError("该事项由司法所通过数据包报送，附件只能由该所添加；本局只能查看。", "file")


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
        name = row.file_name
        data = blobs.get(session, row.sha256, f"附件“{name}”")
    out = target / name if target.is_dir() else target
    try:
        write_atomically(out, data)
    except OSError as exc:
        raise EnvironmentProblem(f"无法保存“{out}”（{exc.strerror or exc}），请检查磁盘空间和文件夹权限。") from None
    return out
