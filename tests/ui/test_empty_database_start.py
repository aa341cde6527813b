"""Issue 15 item 2 at the window's start: a database file that became empty, with verified backups beside it, gives
the message naming the newest backup and how to restore it — never the first-run set-up, which would bury them under
a new office (and new keys)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from hecun_office.storage.backup import backup_file
from hecun_office.storage.peek import EarlyCheck
from hecun_office.storage.uow import Database
from hecun_office.ui import app as app_module
from hecun_office.ui.setup.setup_dialog import SetupDialog


def test_an_emptied_database_shows_the_restore_message_not_the_set_up(qtbot, qapp, db: Database,
                                                                      monkeypatch) -> None:
    file = db.file
    assert file is not None
    db.dispose()
    newest = backup_file(file, "daily")
    file.write_bytes(b"")  # what a failing disk or a careless copy left
    shown: list[BaseException] = []
    monkeypatch.setattr(app_module, "fatal", shown.append)
    offered: list[SetupDialog] = []

    def event_loop(_app: object) -> int:  # had the start gone on to the event loop, what would the clerk see?
        offered.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, SetupDialog) and w.isVisible())
        for widget in offered:
            widget.close()
        return 0

    monkeypatch.setattr(type(QApplication.instance()), "exec", event_loop)
    assert app_module.run_gui(f"sqlite:///{file}", early_check=EarlyCheck(file)) == 1  # as cli.main starts it
    assert len(shown) == 1
    message = str(shown[0])
    assert "空文件" in message and newest.name in message and "restore" in message, message
    assert offered == []
    assert Path(file).stat().st_size == 0
