"""The county overview's month chart is the program's one month bar chart (ui/charts.py), shared with 台账统计."""

from __future__ import annotations

from ..charts import MonthChart, Series, nice_ceiling

__all__ = ["MonthChart", "Series", "nice_ceiling"]
