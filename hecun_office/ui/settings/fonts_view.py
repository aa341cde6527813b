"""Layout of 设置 → 字体 (D-6): one box per role with its file, a sample line, the glyph check and the buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ..widgets import error_label, label


class RoleBox(QGroupBox):
    """One role (仿宋 — 正文 …)."""

    def __init__(self, role: str, usage: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("{role}（{usage}）").format(role=role, usage=usage), parent)
        self.setObjectName(f"fontRole-{role}")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(4)
        self.file = label("", wrap=True)
        self.file.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source = label("", "muted", wrap=True)
        self.sample = label("", wrap=True)
        self.sample.setObjectName("fontSample")
        self.glyphs = label("", wrap=True)
        self.notes = label("", "muted", wrap=True)
        self.error = error_label()
        form.addRow(self.tr("字体文件"), self.file)
        form.addRow(self.tr("字体"), self.source)
        form.addRow(self.tr("样字"), self.sample)
        form.addRow(self.tr("标点检查"), self.glyphs)
        form.addRow(self.notes)
        form.addRow(self.error)
        outer.addLayout(form, 1)
        buttons = QVBoxLayout()
        self.choose_button = QPushButton(self.tr("选择文件…"))
        self.choose_button.setObjectName("chooseFont")
        self.reset_button = QPushButton(self.tr("恢复默认"))
        self.reset_button.setObjectName("resetFont")
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)


class FontsView(QWidget):
    def __init__(self, roles: dict[str, str]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        self.note = label(self.tr("公文字体按本机设置，只影响这台电脑生成的预览、样稿和签发的文书。未指定时依次使用 Windows "
                                  "字体（仿宋 simfang.ttf、黑体 simhei.ttf、楷体 simkai.ttf、宋体 simsun.ttc、方正小标宋简体）"
                                  "和系统中的其他中文字体。"), "muted", wrap=True)
        layout.addWidget(self.note)
        self.loading = label(self.tr("正在读取本机字体…"), "muted")
        layout.addWidget(self.loading)
        self.boxes = {role: RoleBox(role, usage) for role, usage in roles.items()}
        for box in self.boxes.values():
            layout.addWidget(box)
        layout.addStretch(1)
