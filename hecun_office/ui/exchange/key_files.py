"""What a key file says, shown before anything is enrolled (S-6). Qt-free.

The services have no call that only reads an enrolment file or rotation statement, so this reads it with the
same parser ``add_peer`` uses; ``add_peer`` checks everything again when the clerk confirms.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...domain.errors import EnvironmentProblem
from ...sync import keys as keymat

MAX_KEY_FILE = 1024 * 1024
ROTATION_MARK = b"hecun-office-key-rotation"  # as add_peer recognises a statement


@dataclass(frozen=True)
class KeyFile:
    data: bytes
    rotation: bool
    kind: str  # office | bureau; "" for a rotation statement (it names only the code)
    code: str
    name: str
    shown: str  # the fingerprint as on the form (the new key's, for a rotation statement)
    from_seq: int = 0  # rotation: the first packet signed with the new key


def read_key_file(path: Path) -> KeyFile:
    """Raises KeyProblem (not a key file, altered) or EnvironmentProblem (cannot be read)."""
    try:
        data = path.read_bytes()[:MAX_KEY_FILE + 1]
    except OSError as exc:
        raise EnvironmentProblem(f"无法读取“{path}”（{exc.strerror or exc}），请检查U盘或文件后重试。") from None
    if ROTATION_MARK in data[:4096]:
        rotation = keymat.parse_rotation(data)
        return KeyFile(data, True, "", rotation.code, "", keymat.show_fingerprint(rotation.new_fingerprint),
                       rotation.from_seq)
    identity = keymat.parse_enrolment(data)
    return KeyFile(data, False, identity.kind, identity.code, identity.name,
                   keymat.show_fingerprint(identity.fingerprint))
