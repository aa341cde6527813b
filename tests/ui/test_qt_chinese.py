"""SPEC U-1: Qt's own texts — standard buttons, file and print dialogs — are in Chinese, not English."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from hecun_office.ui.app import apply_look

pytestmark = pytest.mark.gui


def test_the_standard_buttons_speak_chinese(qtbot) -> None:
    apply_look(QApplication.instance())
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Save)
    qtbot.addWidget(box)
    texts = {box.button(b).text().replace("&", "") for b in (QDialogButtonBox.StandardButton.Cancel,
                                                             QDialogButtonBox.StandardButton.Save)}
    assert texts == {"取消", "保存"}, texts
    message = QMessageBox(QMessageBox.Icon.Warning, "标题", "正文", QMessageBox.StandardButton.Yes
                          | QMessageBox.StandardButton.No)
    qtbot.addWidget(message)
    assert message.button(QMessageBox.StandardButton.No).text().replace("&", "").startswith("否")
