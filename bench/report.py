"""How every bench script prints its figures: JSON, or one aligned line per figure."""

from __future__ import annotations

import json
from typing import Any


def print_figures(result: dict[str, Any], as_json: bool, one_line: bool = False) -> None:
    """``one_line``: the JSON on a single line, for a caller that reads the last line (bench/run.py → gui.py)."""
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=None if one_line else 2))
        return
    width = max((len(key) for key in result), default=0) + 1
    for key, value in result.items():
        print(f"{key:{width}} {value}")
