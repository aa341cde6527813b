"""U-3: ProgressJob reports every step of a short job and closes the generator on cancel."""

from __future__ import annotations

from collections.abc import Generator

from hecun_office.ui.progress import CANCELLED, ProgressJob


def _steps(closed: list[bool]) -> Generator[tuple[int, int], None, str]:
    try:
        for n in range(4):
            yield n, 3
        return "done"
    finally:
        closed.append(True)


def test_every_step_of_a_short_job_is_reported_in_order(qtbot) -> None:
    closed: list[bool] = []
    job = ProgressJob(lambda: _steps(closed))
    seen: list[tuple[int, int]] = []
    job.progressed.connect(lambda done, total: seen.append((done, total)))
    assert job.run() == "done"
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)] and closed == [True]


def test_cancel_closes_the_generator_so_its_transaction_rolls_back(qtbot) -> None:
    closed: list[bool] = []
    job = ProgressJob(lambda: _steps(closed))
    job.progressed.connect(lambda done, total: job.cancel() if done == 1 else None)
    assert job.run() is CANCELLED and closed == [True]
