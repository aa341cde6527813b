"""Entry point of the PyInstaller bundle (installer/hecun-office.spec): both executables run this.

``hecun-office`` (windowed on Windows) and ``hecun-office-cli`` (console) share one folder; both parse the command
line like the ``hecun-office`` console script, so ``hecun-office-cli check --db X`` works from the bundle and the
windowed one opens the main window when it is given no command.
"""

import sys

from hecun_office.cli import main

if __name__ == "__main__":
    sys.exit(main())
