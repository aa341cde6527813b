"""PyInstaller runtime hook of the bundle, for the build check only (installer/build_bundle.py).

Inert unless HECUN_OFFICE_BUNDLE_SCREENSHOT names a .png file: then, together with the product's start-up bench hook
(HECUN_OFFICE_BENCH_STARTUP, which quits once the main window is painted), the main window is grabbed into that file
just before the program quits. Nothing in the program sets the variable; the product's code is not changed.
"""

import os

_target = os.environ.get("HECUN_OFFICE_BUNDLE_SCREENSHOT")
if _target and os.environ.get("HECUN_OFFICE_BENCH_STARTUP"):
    from hecun_office.ui import app as _app

    _ready = _app._BenchStartup.ready

    def _ready_and_grab(self, window, _ready=_ready, _target=_target):
        from PySide6.QtCore import QTimer

        def grab():
            window.grab().save(_target)

        QTimer.singleShot(0, grab)  # queued before the bench's report, which quits
        _ready(self, window)

    _app._BenchStartup.ready = _ready_and_grab
