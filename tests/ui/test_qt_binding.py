"""The Qt binding keeps Python's reference counts exact when signals are emitted from Python.

PySide6 6.12.0 on CPython 3.11 drops a reference to True on every ``SignalInstance.emit()`` (and one to None per
slot call): after a few hundred signals the interpreter aborts with "bool_dealloc" — in the window, after a morning
of clicks; in the suite, at random while collecting garbage. pyproject.toml pins the binding below 6.12 for that.
The check runs in a fresh interpreter, so a broken binding fails this test instead of aborting the suite.
"""

from __future__ import annotations

import subprocess
import sys

EMITS = 5000

CHECK = f"""
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

app = QCoreApplication([])


class Source(QObject):
    with_value = Signal(object)
    bare = Signal()


class Sink(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def take(self, *_args: object) -> None:
        self.count += 1


source, sink = Source(), Sink()
before = sys.getrefcount(True), sys.getrefcount(None)
for _ in range({EMITS}):
    source.with_value.emit([])  # no slot yet
source.with_value.connect(sink.take)
source.bare.connect(sink.take)
for _ in range({EMITS}):
    source.with_value.emit([])
    source.bare.emit()
after = sys.getrefcount(True), sys.getrefcount(None)
print(sink.count, after[0] - before[0], after[1] - before[1])
"""


def test_emitting_signals_from_python_leaves_true_and_none_counted_exactly() -> None:
    proc = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}, check=False)
    assert proc.returncode == 0, f"the interpreter aborted after Qt signals (PySide6 refcount bug): {proc.stderr[-400:]}"
    delivered, true_delta, none_delta = (int(v) for v in proc.stdout.split())
    assert delivered == 2 * EMITS
    assert abs(true_delta) < 50 and abs(none_delta) < 50, (true_delta, none_delta)
