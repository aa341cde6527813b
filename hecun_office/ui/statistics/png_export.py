"""导出图表 PNG: one chart with its title, or all three, saved where the clerk chooses. The picture is painted at
twice the screen's pixels so that it stays sharp in a printed report. It is a few hundred KB at most: painting must
happen on the GUI thread anyway, and saving it there takes milliseconds."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget

from ...domain.errors import EnvironmentProblem
from ..errors import show_error

if TYPE_CHECKING:
    from .statistics_page import StatisticsPage

SCALE = 2
UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')  # not in a Windows file name


def render(widget: QWidget, scale: int = SCALE) -> QImage:
    """``widget`` as a picture at ``scale`` times its size, on white."""
    image = QImage(widget.size() * scale, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(scale)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    widget.render(painter, QPoint(0, 0))
    painter.end()
    return image


class PngExport(QObject):
    def __init__(self, page: StatisticsPage) -> None:
        super().__init__(page)
        self._page = page
        self.targets: dict[str, tuple[str, QWidget]] = {
            "matters": (self.tr("受理事项图"), page.matters_card),
            "obligations": (self.tr("时限完成情况图"), page.obligations_card),
            "rates": (self.tr("整改按期率图"), page.rates_card),
            "all": (self.tr("全部图表"), page.charts_panel),
        }
        for key, (name, _widget) in self.targets.items():
            action = page.png_menu.addAction(name)
            action.setObjectName(f"png_{key}")
            action.triggered.connect(partial(self.choose_and_save, key))

    def suggested_name(self, key: str) -> str:
        page = self._page
        name = self.targets[key][0]
        return UNSAFE.sub("_", f"{page.who_text()}_{page.period().slug}_{name}").strip("_") + ".png"

    def choose_and_save(self, key: str, _checked: bool = False) -> Path | None:
        page = self._page
        path = page.chooser.save_file(page, self.tr("导出图表"), self.suggested_name(key), self.tr("PNG 图片 (*.png)"))
        if path is None:
            return None
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        return self.save(key, path)

    def save(self, key: str, path: Path) -> Path | None:
        image = render(self.targets[key][1])
        if not image.save(str(path)):  # the format from the suffix, .png
            show_error(self._page, EnvironmentProblem(self.tr("无法写入 {path}：请确认文件夹存在且可写，或换一个位置。").format(
                path=path)))
            return None
        self._page.message.emit(self.tr("已导出图表 {file}").format(file=path.name))
        return path
