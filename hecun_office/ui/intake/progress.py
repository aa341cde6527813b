"""The progress job moved to ``ui/progress.py`` when 报送与同步 came to use it too; kept for existing imports."""

from __future__ import annotations

from ..progress import CANCELLED, EVERY_STEP_UP_TO, PROGRESS_INTERVAL_S, Cancelled, ProgressJob, Steps

__all__ = ["CANCELLED", "EVERY_STEP_UP_TO", "PROGRESS_INTERVAL_S", "Cancelled", "ProgressJob", "Steps"]
