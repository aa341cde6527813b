"""People the tests add to a database: one helper instead of a copy in every test module."""

from __future__ import annotations

from datetime import datetime

from hecun_office.services.audit import Actor
from hecun_office.storage.models import User
from hecun_office.storage.uow import Database

ADDED_AT = datetime(2026, 1, 5, 9, 0)


def add_user(db: Database, username: str, name: str, role: str, created_at: datetime = ADDED_AT) -> Actor:
    """An account without a password (services act for it directly, no login), as the actor the services take."""
    with db.uow() as session:
        user = User(username=username, display_name=name, role=role, password_hash=None, created_at=created_at)
        session.add(user)
        session.flush()
        return Actor(user.display_name, user.id, user.role)


def add_director(db: Database) -> Actor:
    """李志明, the office's 签发人 (所长)."""
    return add_user(db, "li", "李志明", "signer", datetime(2026, 3, 2, 9, 0))
