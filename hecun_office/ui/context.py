"""What every page needs, passed explicitly (no global service locator, STYLE.md "Avoid")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..services.audit import Actor
from ..services.database import Database
from .tasks import TaskRunner


@dataclass(frozen=True)
class UiContext:
    db: Database
    today: Callable[[], date]  # injectable so tests can pin a date
    actor: Actor
    tasks: TaskRunner
