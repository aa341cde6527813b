"""S-6 enrolment form (公钥登记表): one A4 page with the office's name, code and key fingerprint in eight large
groups, signed by the clerk and stamped, so that the other side can check the key file it received against paper
that did not travel with it.

The fingerprint is set digit by digit on a fixed pitch in the 黑体 role's font (embedded like every other font of
ours): groups line up in columns and read aloud over the phone without losing one's place.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from .fonts import FontSet, load_fonts

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT = 25 * MM, PAGE_W - 25 * MM
LABEL_W = 40 * MM
ROW_H = 13 * MM
FPR_ROW_H = 42 * MM
FPR_SIZE = 22.0
FPR_PITCH = 0.66 * FPR_SIZE  # one hex digit's cell
FPR_GAP = 0.7 * FPR_SIZE  # between groups
BODY = 12.0
GREY = Color(0.55, 0.55, 0.55)

KIND_LABELS = {"office": "司法所（乡镇端）", "bureau": "司法局（县级端）"}
PURPOSE = {"office": "报司法局登记本所公钥用", "bureau": "交各司法所绑定本局公钥用"}


@dataclass(frozen=True)
class EnrolmentDetails:
    mode: str  # office | bureau
    name: str
    code: str
    fingerprint: str  # as shown: eight groups of four, separated by spaces
    key_created: date


def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


class _Writer:
    def __init__(self, canvas: Canvas, fonts: FontSet) -> None:
        self.c = canvas
        self.fonts = fonts

    def text(self, x: float, y: float, text: str, role: str, size: float) -> float:
        """Draw ``text`` with its baseline at ``y`` (from the bottom); each glyph from a font that has it."""
        for name, piece in self.fonts.runs(text, role):
            self.c.setFont(name, size)
            self.c.drawString(x, y, piece)
            x += self.fonts.width(piece, role, size)
        return x

    def centred(self, y: float, text: str, role: str, size: float) -> None:
        self.text((PAGE_W - self.fonts.width(text, role, size)) / 2, y, text, role, size)

    def wrapped(self, x: float, y: float, width: float, text: str, role: str, size: float,
                leading: float) -> float:
        """Break ``text`` by character (Chinese has no spaces to break at); returns the next baseline."""
        line = ""
        for ch in text:
            if line and self.fonts.width(line + ch, role, size) > width:
                self.text(x, y, line, role, size)
                y -= leading
                line = ""
            line += ch
        if line:
            self.text(x, y, line, role, size)
            y -= leading
        return y


def _fingerprint(w: _Writer, top: float, groups: list[str]) -> None:
    """Two rows of four groups, each group numbered above, centred in the value column."""
    per_row = 4
    group_w = 4 * FPR_PITCH
    row_w = per_row * group_w + (per_row - 1) * FPR_GAP
    x0 = LEFT + LABEL_W + (RIGHT - LEFT - LABEL_W - row_w) / 2
    for r in range(2):
        baseline = top - 14 * MM - r * 17 * MM
        for g in range(per_row):
            n = r * per_row + g
            if n >= len(groups):
                return
            gx = x0 + g * (group_w + FPR_GAP)
            w.c.setFillColor(GREY)
            number = f"第{n + 1}组"
            w.text(gx + group_w / 2 - w.fonts.width(number, "宋体", 8) / 2, baseline + FPR_SIZE * 0.95,
                   number, "宋体", 8)
            w.c.setFillColorRGB(0, 0, 0)
            for k, ch in enumerate(groups[n]):
                cx = gx + k * FPR_PITCH + (FPR_PITCH - w.fonts.width(ch, "黑体", FPR_SIZE)) / 2
                w.text(cx, baseline, ch, "黑体", FPR_SIZE)


def enrolment_form_pdf(details: EnrolmentDetails, today: date, fonts: FontSet | None = None) -> bytes:
    fonts = fonts or load_fonts()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1,
               initialFontName=fonts.name("仿宋"))
    c.setTitle(f"公钥登记表 {details.name}")
    c.setAuthor(details.name)
    c.setCreator("hecun-office")
    w = _Writer(c, fonts)

    y = PAGE_H - 30 * MM
    w.centred(y, "行政执法协调监督数据交换", "仿宋", 14)
    y -= 14 * MM
    w.centred(y, "公钥登记表", "小标宋", 24)
    y -= 10 * MM
    w.centred(y, f"（{PURPOSE.get(details.mode, '')}）", "楷体", 14)
    y -= 10 * MM

    rows = [("机构名称", details.name), ("机构代码", details.code),
            ("机构类型", KIND_LABELS.get(details.mode, details.mode)),
            ("密钥生成日期", chinese_date(details.key_created))]
    c.setLineWidth(0.8)
    top = y
    for label, value in rows:
        c.rect(LEFT, y - ROW_H, RIGHT - LEFT, ROW_H)
        c.line(LEFT + LABEL_W, y, LEFT + LABEL_W, y - ROW_H)
        baseline = y - ROW_H / 2 - BODY * 0.35
        w.text(LEFT + 4 * MM, baseline, label, "黑体", BODY)
        w.text(LEFT + LABEL_W + 4 * MM, baseline, value, "仿宋", 14)
        y -= ROW_H
    c.rect(LEFT, y - FPR_ROW_H, RIGHT - LEFT, FPR_ROW_H)
    c.line(LEFT + LABEL_W, y, LEFT + LABEL_W, y - FPR_ROW_H)
    w.text(LEFT + 4 * MM, y - FPR_ROW_H / 2 - BODY * 0.35, "公钥指纹", "黑体", BODY)
    _fingerprint(w, y, details.fingerprint.split())
    y -= FPR_ROW_H
    c.setLineWidth(1.6)
    c.rect(LEFT, y, RIGHT - LEFT, top - y)  # a heavier frame round the whole table
    c.setLineWidth(0.8)

    y -= 10 * MM
    notes = [
        "一、对方在“报送与同步”中导入本机构的公钥文件时，程序显示文件中的指纹。须与本表逐组核对一致，"
        "再把本表上的指纹输入程序，才能完成登记（绑定）。可以电话逐组念读核对。",
        "二、指纹任何一组不一致，说明公钥文件在传递中被替换或损坏，不得登记，应重新交换公钥文件和本表。",
        "三、本表经经办人签字、加盖本机构公章后交对方留存。本机构更换密钥时，须重新填写本表。",
    ]
    w.text(LEFT, y, "核对说明", "黑体", BODY + 1)
    y -= 8 * MM
    for note in notes:
        y = w.wrapped(LEFT, y, RIGHT - LEFT, note, "仿宋", BODY, 7.5 * MM) - 2 * MM

    # Signature, telephone and date on the left; the seal goes over the faint circle on the right.
    y -= 10 * MM
    for n, caption in enumerate(("经办人（签字）：", "联系电话：")):
        baseline = y - n * 12 * MM
        w.text(LEFT, baseline, caption, "仿宋", 14)
        c.line(LEFT + 38 * MM, baseline - 1.5 * MM, LEFT + 95 * MM, baseline - 1.5 * MM)
    w.text(LEFT, y - 24 * MM, f"填表日期：{chinese_date(today)}", "仿宋", 14)
    seal_x, seal_y = RIGHT - 30 * MM, y - 10 * MM
    c.setStrokeColor(GREY)
    c.setDash(3, 3)
    c.circle(seal_x, seal_y, 20 * MM)  # the size of an official seal (40–42 mm)
    c.setDash()
    c.setStrokeColorRGB(0, 0, 0)
    c.setFillColor(GREY)
    w.text(seal_x - fonts.width("（盖章）", "仿宋", 14) / 2, seal_y - 5, "（盖章）", "仿宋", 14)
    c.setFillColorRGB(0, 0, 0)

    c.setFillColor(GREY)
    w.text(LEFT, 12 * MM, f"本表由 hecun-office 生成，{chinese_date(today)}。机构代码 {details.code}。",
           "宋体", 9)
    c.setFillColorRGB(0, 0, 0)
    c.showPage()
    c.save()
    return buffer.getvalue()
