"""Turn errors into messages a clerk understands (SPEC U-4, STYLE.md habit 9).

Domain and environment errors carry a Chinese message that is shown as is; anything else is a bug:
its traceback goes to the log and the clerk sees a plain sentence, never a traceback dialog.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QDialog, QMessageBox, QWidget

from ..domain.errors import DomainError, HecunError

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def message_for(exc: BaseException) -> str:
    if isinstance(exc, HecunError):
        return exc.message
    log.error("未预期的错误", exc_info=(type(exc), exc, exc.__traceback__))
    return _tr("操作没有完成：程序遇到了一个内部错误，详细信息已写入日志。"
               "请重试；如果问题仍然存在，请把日志文件交给维护人员。")


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("messageBox")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # window-modal but not blocking: the event loop keeps running
    return box


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> QMessageBox:
    return _box(parent, QMessageBox.Icon.Warning, title or _tr("无法完成操作"), message_for(exc))


def show_info(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    return _box(parent, QMessageBox.Icon.Information, title, text)


class _Confirmation(QObject):
    """Owned by its box: calls ``on_yes`` when the box closes with Yes (and its check box ticked, if any)."""

    def __init__(self, box: QMessageBox, on_yes: Callable[[], object]) -> None:
        super().__init__(box)
        self._box, self._on_yes = box, on_yes
        box.buttonClicked.connect(self._clicked)

    def _clicked(self, button: QAbstractButton) -> None:
        box = self._box
        check = box.checkBox()
        if box.standardButton(button) == QMessageBox.StandardButton.Yes and (check is None or check.isChecked()):
            self._on_yes()


def confirm_action(parent: QWidget, title: str, text: str, yes_text: str, on_yes: Callable[[], object], *,
            icon: QMessageBox.Icon = QMessageBox.Icon.Warning, object_name: str = "confirmBox",
            must_tick: str = "", cancel_is_default: bool = True) -> QMessageBox:
    """A window-modal Yes/取消 question that does not block; ``must_tick`` adds a check box Yes waits for."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, parent)
    box.setObjectName(object_name)
    yes = box.button(QMessageBox.StandardButton.Yes)
    yes.setText(yes_text)
    box.button(QMessageBox.StandardButton.Cancel).setText(_tr("取消"))
    if cancel_is_default:
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    if must_tick:
        check = QCheckBox(must_tick, box)  # owned by the box, not by Python
        box.setCheckBox(check)
        yes.setEnabled(False)
        check.toggled.connect(yes.setEnabled)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _Confirmation(box, on_yes)
    box.open()
    return box


def fatal(exc: BaseException) -> None:
    """Before any window exists (opening the database): a blocking message, then the caller exits."""
    box = QMessageBox(QMessageBox.Icon.Critical, _tr("无法打开数据库"), message_for(exc), QMessageBox.StandardButton.Ok)
    box.exec()


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if QApplication.instance() is None or not isinstance(exc, Exception):
        log.error("未处理的错误", exc_info=(kind, exc, tb))
        return
    show_error(QApplication.activeWindow(), exc)  # logs the traceback of anything unexpected


def install_excepthook() -> None:
    """Exceptions escaping a slot end up here instead of on a stderr a windowed build does not have."""
    sys.excepthook = _excepthook


T = TypeVar("T")


class FieldMessages(Protocol):
    def show_message(self, field: str | None, message: str) -> None: ...


def attempt(parent: QWidget, errors: FieldMessages, call: Callable[[], T]) -> tuple[bool, T | None]:
    """Run one service call for a form. A DomainError is shown next to its field (the form keeps what the
    clerk typed); anything else is logged and shown as a plain sentence. Returns (succeeded, result)."""
    try:
        return True, call()
    except DomainError as exc:
        errors.show_message(getattr(exc, "field", None), exc.message)
    except Exception as exc:
        show_error(parent, exc)
    return False, None


D = TypeVar("D", bound=QDialog)


def open_dialog(parent: QWidget, make: Callable[[], D]) -> D | None:
    """Build a window-modal dialog and open it; if building fails (e.g. the database refuses), say so instead.
    The dialog deletes itself when closed. Callers connect its signals to the returned dialog."""
    try:
        dialog = make()
    except Exception as exc:
        show_error(parent, exc)
        return None
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
