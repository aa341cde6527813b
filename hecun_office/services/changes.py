"""Change notices for the UI (STYLE.md habit 4b): a use case run inside ``collecting()`` reports what it changed."""

from ..storage.changes import Changes, Collected, GuiThreadWrite, collecting, guard_gui_thread

__all__ = ["Changes", "Collected", "GuiThreadWrite", "collecting", "guard_gui_thread"]
