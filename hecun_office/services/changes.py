"""Change notices for the UI (STYLE.md habit 4b): a use case run inside ``collecting()`` reports what it changed."""

from ..storage.changes import NO_CHANGES, Changes, Collected, collecting

__all__ = ["NO_CHANGES", "Changes", "Collected", "collecting"]
