"""N-4: a rotating log file in the data directory, with no personal data in it: every handler's lines pass through
log_privacy's masking formatter. A windowed build has no stderr, so never assume one."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from .log_privacy import MaskingFormatter

_configured = False


def configure(log_dir: Path, verbose: bool = False) -> Path:
    global _configured
    path = log_dir / "hecun-office.log"
    if _configured:
        return path
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        handler: logging.Handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if verbose and sys.stderr is not None:
        stderr = logging.StreamHandler(sys.stderr)
        stderr.setFormatter(MaskingFormatter("%(message)s"))
        root.addHandler(stderr)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per migration step is noise
    _configured = True
    return path
