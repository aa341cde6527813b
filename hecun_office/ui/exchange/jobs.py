"""The long tasks of 报送与同步 as progress generators for ``ProgressJob`` (U-3). Qt-free.

Each wraps the services' own generators so that a cancel can only land where nothing is half done: between
files, between offices, or inside an export before its file is in place. The step a service reports as
``done == total`` is never passed on — at that point an export's file is written and its number used, and a
cancel then would throw away the result of work that has already happened.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ...domain.errors import EnvironmentProblem
from ...services.audit import Actor
from ...services.database import Database
from ...services.packet_export import ExportResult, export_data_packet, export_return_packet
from ...services.packet_import import ImportOutcome, import_packets, move_to_done, not_a_file

log = logging.getLogger(__name__)

Steps = Generator[tuple[int, int], None, Any]
SCALE = 1000  # several services in one bar: each gets its share of a thousand steps
DONE_FOLDER = "已处理"  # inside the watched inbox: files already handled


def _settled(steps: Steps, part: int, parts: int) -> Steps:
    """Drive one service generator as part ``part`` of ``parts``, minus its final step (see the module)."""
    try:
        while True:
            try:
                done, total = next(steps)
            except StopIteration as stop:
                return stop.value
            if total and done >= total:
                continue
            yield int(SCALE * (part + (done / total if total else 0)) / parts), SCALE
    finally:
        steps.close()  # cancelled: the service's unit of work rolls back now, not when collected


def export_data(db: Database, actor: Actor, folder: Path, today: date) -> Steps:
    """导出数据包 (office). Returns the ExportResult."""
    result: ExportResult = yield from _settled(export_data_packet(db, actor, folder, today), 0, 1)
    return result


@dataclass
class ReturnTarget:
    code: str
    name: str
    folder: Path


def export_returns(db: Database, actor: Actor, targets: Sequence[ReturnTarget], today: date,
                   made: list[tuple[ReturnTarget, ExportResult]]) -> Steps:
    """导出回执 for one or more offices; ``made`` collects what was written, also when cancelled midway."""
    for k, target in enumerate(targets):
        if k:
            yield int(SCALE * k / len(targets)), SCALE  # between offices: a cancel keeps the ones made
        result = yield from _settled(export_return_packet(db, actor, target.code, target.folder, today),
                                     k, len(targets))
        made.append((target, result))
    return made


@dataclass
class ImportRun:
    """What an import did so far: outcomes per packet, files that could not be read (the service's message) and
    files handled but not moved out of the inbox (name, reason)."""

    outcomes: list[ImportOutcome] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    unmoved: list[tuple[str, str]] = field(default_factory=list)
    moved: list[Path] = field(default_factory=list)
    remaining: int = 0


def import_files(db: Database, actor: Actor, files: Sequence[Path], today: date, run: ImportRun,
                 done_dir: Path | None = None) -> Steps:
    """导入数据包 / 导入回执, one file after another (each its own transaction, as the service does).

    With ``done_dir`` (the watched inbox) every handled file is moved there, and a file that cannot be read
    (still being copied, locked) is left where it is for the next check instead of stopping the others."""
    # A folder or FIFO chosen as a packet would stop the whole batch (the service refuses it before opening
    # anything): here it is one refused row of the outcome table, with the same reason, and the rest go on.
    regular: list[Path] = []
    for path in files:
        refused = not_a_file(path)
        if refused is None:
            regular.append(path)
        else:
            run.outcomes.append(refused)
    files = regular
    run.remaining = len(files)

    def kept_for_later(path: Path, exc: EnvironmentProblem) -> None:
        run.unreadable.append(exc.message)
        run.remaining -= 1

    def handled(path: Path, outcomes: list[ImportOutcome]) -> None:
        run.remaining -= 1
        if done_dir is not None:
            try:
                run.moved.append(move_to_done(path, done_dir))
            except OSError as exc:
                log.warning("could not move %s to %s: %s", path, done_dir, exc)
                run.unmoved.append((path.name, str(exc.strerror or exc)))

    # One call for the batch: one backup, right before the first packet that will be applied (not before the
    # first file, which may be a replay or refused while a later one applies), and the next file opened on a
    # second thread while this one is applied. A cancel between files keeps those done and leaves the rest.
    if not files:
        return run.outcomes
    run.outcomes.extend((yield from import_packets(
        db, actor, files, today, unreadable=kept_for_later if done_dir is not None else None, after_each=handled)))
    return run.outcomes

