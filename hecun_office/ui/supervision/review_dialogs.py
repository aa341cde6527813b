"""案卷评查's forms (O-3): a new batch, the draw's seed, and the score of one drawn file on the batch's sheet."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QWidget

from ...domain.errors import DomainError
from ...services.case_review import (
    MAX_SEED,
    PER_UNIT,
    BatchInput,
    FileRow,
    ScoreSheet,
    create_batch,
    draw_sample,
    score_file,
)
from ..context import UiContext
from ..widgets import date_edit, label, pydate, qdate
from .form_dialog import FormDialog
from .supervisor_dialogs import line, text_box

SEED_DIGITS = 6  # what is offered: short enough to read out and write in the record


def quarter_start(today: date) -> date:
    """The quarter before the current one: what a quarterly review looks at."""
    month = (today.month - 1) // 3 * 3 + 1
    return date(today.year - 1, 10, 1) if month == 1 else date(today.year, month - 3, 1)


class BatchDialog(FormDialog):
    """新建批次: name, the period its case files come from, the reviewers and how many files per unit."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, width=600)
        self.titled(self.tr("新建评查批次"), self.tr("新建"))
        today = ctx.today()
        start = quarter_start(today)
        after = date(start.year + (start.month == 10), start.month + 3 if start.month < 10 else 1, 1)
        self.name = self.field("name", self.tr("批次名称"), line(self.tr("如 2026年第一季度行政执法案卷评查")))
        self.period_from = self.field("period_from", self.tr("期间自"), date_edit())
        self.period_to = self.field("period_to", self.tr("期间至"), date_edit())
        self.period_from.setDate(qdate(start))
        self.period_to.setDate(qdate(after - timedelta(days=1)))
        self.reviewers = self.field("reviewers", self.tr("评查人员"),
                                    text_box(self.tr("司法所、法治监督员、检察院等参加评查的人员"), 60))
        self.per_unit = QSpinBox()
        self.per_unit.setRange(1, 1000)
        self.per_unit.setValue(PER_UNIT)
        self.per_unit.setSuffix(self.tr(" 卷"))
        self.per_unit.setFixedWidth(100)
        self.field("per_unit", self.tr("每单位抽取"), self.per_unit)
        self.set_note(self.tr("每个单位随机抽取不少于 {n} 卷，不足的全部评查。新建后导入各单位的案卷清单，再抽样。")
                      .format(n=PER_UNIT))
        self.finish_layout()

    def call(self) -> Callable[[], Any]:
        data = BatchInput(self.name.text(), pydate(self.period_from.date()), pydate(self.period_to.date()),
                          self.reviewers.toPlainText(), self.per_unit.value())
        return partial(create_batch, self._ctx.db, self._ctx.actor, data)


class SeedDialog(FormDialog):
    """抽样: the seed is offered at random and may be changed (e.g. to one drawn at the meeting); it is recorded
    with the batch, so that anyone with the same list and seed draws the same files."""

    def __init__(self, ctx: UiContext, batch_id: int, name: str, listed: int, per_unit: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, width=560)
        self.titled(self.tr("随机抽取案卷"), self.tr("抽取"))
        self.heading.setText(self.tr("抽样：{name}").format(name=name))
        self._id = batch_id
        self.seed = QLineEdit()
        self.seed.setObjectName("seed")
        self.seed.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{1,19}"), self.seed))
        self.seed.setMinimumWidth(180)
        self.again = QPushButton(self.tr("换一个"))
        self.again.setObjectName("newSeed")
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.seed)
        box.addWidget(self.again)
        box.addStretch(1)
        self.field("seed", self.tr("随机种子"), row)
        self.set_note(self.tr("清单共 {listed} 卷，每个单位抽取 {n} 卷（不足的全部抽取）。随机种子会记入评查记录："
                              "任何人用同一份清单和同一个种子都能抽出相同的案卷，便于复核。可以使用下面给出的数，"
                              "也可以改为现场公开产生的数（如摇号）。抽取后不能重新抽取。").format(listed=listed, n=per_unit))
        self.again.clicked.connect(self.new_seed)
        self.new_seed()
        self.finish_layout()

    def new_seed(self) -> None:
        self.seed.setText(str(10 ** (SEED_DIGITS - 1) + secrets.randbelow(9 * 10 ** (SEED_DIGITS - 1))))

    def call(self) -> Callable[[], Any] | None:
        text = self.seed.text().strip()
        if not text or int(text) > MAX_SEED:
            self.errors.show_message("seed", self.tr("请填写 0 到 {max} 之间的整数。").format(max=MAX_SEED))
            return None
        return partial(draw_sample, self._ctx.db, self._ctx.actor, self._id, int(text))


class ScoreDialog(FormDialog):
    """评分: one box per item of the batch's sheet (its label, most points and what it looks at), the findings and
    the day; the total and grade follow the boxes as they change, by the sheet's own rule."""

    def __init__(self, ctx: UiContext, sheet: ScoreSheet, file: FileRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, width=760)
        self.titled(self.tr("案卷评分"), self.tr("保存评分"))
        self.heading.setText(self.tr("评分：{unit} {number}").format(unit=file.unit, number=file.file_no))
        self._sheet, self._file = sheet, file
        today = ctx.today()
        self.set_note(file.title)
        self.spins: dict[str, QDoubleSpinBox] = {}
        for item in sheet.items:
            spin = QDoubleSpinBox()
            spin.setObjectName(f"score_{item.key}")
            spin.setRange(0, item.points)
            spin.setDecimals(1)
            spin.setSingleStep(0.5)
            spin.setValue(float((file.scores or {}).get(item.key, item.points)))
            spin.setSuffix(self.tr(" 分"))
            spin.setFixedWidth(100)
            spin.valueChanged.connect(self.show_grade)
            veto = self.tr("（一票否决：得 0 分即为最低等次）") if item.veto else ""
            help_text = label(self.tr("满分 {points} 分{veto}。{help}").format(points=item.points, veto=veto,
                                                                         help=item.help), "muted", wrap=True)
            holder = QWidget()
            row = QHBoxLayout(holder)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(spin)
            row.addWidget(help_text, 1)
            self.field(item.key, item.label, holder)
            self.errors.add(item.key, self.error_labels[item.key], spin)
            self.spins[item.key] = spin
        self.total_label = label("", "sectionTitle")
        self.form.addRow(self.tr("合计"), self.total_label)
        self.finding = self.field("finding", self.tr("发现的问题"),
                                  text_box(self.tr("没有问题可不填；填写的问题可一键登记为监督事项"), 80))
        self.finding.setPlainText(file.finding)
        self.on = self.field("on", self.tr("评查日期"), date_edit())
        self.on.setDate(qdate(file.scored_on or today))
        self.on.setMaximumDate(qdate(today), self.tr("今天"))
        self.show_grade()
        self.finish_layout()

    def scores(self) -> dict[str, float]:
        return {key: spin.value() for key, spin in self.spins.items()}

    def show_grade(self) -> None:
        try:
            scored = self._sheet.grade(self.scores())
        except DomainError as exc:
            self.total_label.setText(exc.message)
            return
        text = self.tr("{total:g} 分，等次：{grade}").format(total=scored.total, grade=scored.grade)
        if scored.vetoed_by:
            text += self.tr("（{items}得 0 分，一票否决）").format(items="、".join(scored.vetoed_by))
        self.total_label.setText(text)

    def call(self) -> Callable[[], Any]:
        return partial(score_file, self._ctx.db, self._ctx.actor, self._file.id, self.scores(),
                       self.finding.toPlainText(), pydate(self.on.date()), self._ctx.today())
