"""The database handle as the UI sees it: passed to every use case, never opened into a session outside
``services`` (STYLE.md "What may import what"). Only the composition root (``ui/app.py``, ``cli.py``) makes one,
through ``storage.opening``. Re-exported here so that the UI names the type without reaching into storage."""

from __future__ import annotations

from ..storage.uow import Database as Database
