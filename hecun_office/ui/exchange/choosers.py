"""The clerk's file dialogs for 报送与同步. The page holds one in ``chooser``; tests put a stand-in there, since a
native dialog would block an offscreen run. Starts where the clerk last went (USB sticks are re-plugged often)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

C = "exchange"


def _tr(text: str) -> str:
    return QCoreApplication.translate(C, text)


def packet_filter() -> str:
    return _tr("数据包 (*.hcpkt);;所有文件 (*)")


def key_filter() -> str:
    return _tr("公钥文件或密钥更换声明 (*.json *.hckey);;所有文件 (*)")


def secret_filter() -> str:
    return _tr("私钥保护文件 (*.hcsecret *.json);;所有文件 (*)")


class FileChooser:
    def __init__(self) -> None:
        self.last_dir = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))

    def _remember(self, path: Path) -> None:
        self.last_dir = path if path.is_dir() else path.parent

    def folder(self, parent: QWidget, title: str) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(parent, title, str(self.last_dir))
        if not chosen:
            return None
        self._remember(Path(chosen))
        return Path(chosen)

    def open_files(self, parent: QWidget, title: str, name_filter: str) -> list[Path]:
        chosen, _ = QFileDialog.getOpenFileNames(parent, title, str(self.last_dir), name_filter)
        if chosen:
            self._remember(Path(chosen[0]))
        return [Path(c) for c in chosen]

    def open_file(self, parent: QWidget, title: str, name_filter: str) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(parent, title, str(self.last_dir), name_filter)
        if not chosen:
            return None
        self._remember(Path(chosen))
        return Path(chosen)

    def save_file(self, parent: QWidget, title: str, suggested_name: str, name_filter: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(parent, title, str(self.last_dir / suggested_name), name_filter)
        if not chosen:
            return None
        self._remember(Path(chosen))
        return Path(chosen)
