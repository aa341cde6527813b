"""编辑本所信息 / 编辑本局信息 (issue 11 item 17): what may change of the profile; the service validates and audits,
its message goes next to the field. The office code and the mode are shown, not edited, with the reason."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.vocab import Mode
from ...services.setup import ProfileEdit, read_profile_edit, update_profile
from ..context import UiContext
from ..operations import Submission
from ..translate import QT_TRANSLATE_NOOP
from ..widgets import FieldErrors, error_label, label, with_error
from .account_dialog import form_layout, ok_cancel

FIELD_WIDTH = 300
C = "ProfileDialog"
# What each field is called in the status-bar sentence after saving.
FIELD_NAMES = {
    "name": QT_TRANSLATE_NOOP(C, "机构名称"),
    "abbr": QT_TRANSLATE_NOOP(C, "机关代字"),
    "bureau_name": QT_TRANSLATE_NOOP(C, "上级司法局"),
    "county": QT_TRANSLATE_NOOP(C, "所在县（市、区）"),
    "township": QT_TRANSLATE_NOOP(C, "所在乡镇"),
    "registration_pattern": QT_TRANSLATE_NOOP(C, "登记编号格式"),
    "rectification_days": QT_TRANSLATE_NOOP(C, "默认整改期限"),
}
# At the bureau: it is the bureau (no superior bureau), has no township, and sets no rectification periods.
BUREAU_HIDES = ("bureau_name", "township", "rectification_days")


class ProfileView(QDialog):
    def __init__(self, bureau: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = self.tr("编辑本局信息") if bureau else self.tr("编辑本所信息")
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.addWidget(label(title, "sectionTitle"))
        self.form = form = form_layout()
        self.error_labels: dict[str, QLabel] = {}
        self.rows: dict[str, QWidget] = {}
        self.name = self._line(form, "name", self.tr("机构名称"), self.tr("写入文书落款和数据包"))
        self.abbr_note = self._note(self.tr(
            "用于文号，例如 贺司建〔2026〕3号 中的“贺司”。\n"
            "修改只影响此后签发的文书：已签发文书的文号不变，序号接着编。"))
        self.abbr = self._line(form, "abbr", self.tr("机关代字"), note=self.abbr_note)
        self.bureau_name = self._line(form, "bureau_name", self.tr("上级司法局"))
        self.county = self._line(form, "county", self.tr("所在县（市、区）"))
        self.township = self._line(form, "township", self.tr("所在乡镇"))
        self.registration_pattern = self._line(
            form, "registration_pattern", self.tr("登记编号格式"), self.tr("例如 贺监登〔{year}〕{n}号"),
            note=self._note(self.tr("修改只影响此后登记的事项；已登记事项的编号不变。")))
        self.rectification_days = QSpinBox()
        self.rectification_days.setObjectName("rectification_days")
        self.rectification_days.setRange(1, 365)
        self.rectification_days.setSuffix(self.tr(" 天"))
        self.rectification_days.setMaximumWidth(120)
        self._add(form, "rectification_days", self.tr("默认整改期限"), self.rectification_days)
        self.code = label("", wrap=False)
        self.code.setObjectName("profileCode")
        what = self.tr("本局") if bureau else self.tr("本所")
        self.code_note = self._note(self.tr(
            "机构代码不能修改：它在数据包文件名和登记的密钥中标识{what}，\n"
            "对方凭它识别数据包来自哪里，程序也凭它判断备份属于哪个数据库。").format(what=what))
        code_box = QVBoxLayout()
        code_box.setSpacing(2)
        code_box.addWidget(self.code)
        code_box.addWidget(self.code_note)
        form.addRow(self.tr("机构代码"), code_box)
        layout.addLayout(form)
        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.buttons = ok_cancel(self.tr("保存"), self.tr("取消"))
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(self.buttons)
        if bureau:
            for field in BUREAU_HIDES:
                form.setRowVisible(self.rows[field], False)

    def _line(self, form: QFormLayout, field: str, caption: str, placeholder: str = "",
              note: QLabel | None = None) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        edit.setMinimumWidth(FIELD_WIDTH)
        self._add(form, field, caption, edit, note)
        return edit

    def _add(self, form: QFormLayout, field: str, caption: str, widget: QWidget, note: QLabel | None = None) -> None:
        """The field, its (hidden) error right below it, then what changing it means."""
        self.error_labels[field] = error_label()
        row = with_error(widget, self.error_labels[field])
        layout = row.layout()
        if note is not None and layout is not None:
            layout.addWidget(note)
        self.rows[field] = row
        form.addRow(caption, row)

    @staticmethod
    def _note(text: str) -> QLabel:
        # Lines broken by hand: a word-wrapped label in a form row is given too little height at 150 %.
        return label(text, "muted")


class ProfileDialog(ProfileView):
    saved = Signal(str)  # a sentence for the status bar

    TEXT_FIELDS = ("name", "abbr", "bureau_name", "county", "township", "registration_pattern")

    def __init__(self, ctx: UiContext, mode: str, code: str, parent: QWidget | None = None) -> None:
        super().__init__(mode == Mode.BUREAU.value, parent)
        self._ctx = ctx
        self._current = read_profile_edit(ctx.db)  # a read: allowed on the GUI thread
        for field in self.TEXT_FIELDS:
            line: QLineEdit = getattr(self, field)
            line.setText(getattr(self._current, field))
        self.rectification_days.setValue(self._current.rectification_days)
        self.code.setText(code)
        self.errors = FieldErrors(self.general_error)
        for field in (*self.TEXT_FIELDS, "rectification_days"):
            self.errors.add(field, self.error_labels[field], getattr(self, field))
        self._submission = Submission(self, self.errors, ctx.tasks, self._saved)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def edited(self) -> ProfileEdit:
        texts = {field: getattr(self, field).text() for field in self.TEXT_FIELDS}
        return replace(self._current, **texts, rectification_days=self.rectification_days.value())

    def submit(self) -> None:
        self.errors.clear()
        self._submission.start(partial(update_profile, self._ctx.db, self._ctx.actor, self.edited()))

    def _saved(self, changed: object) -> None:
        self.accept()
        names = [self.tr(FIELD_NAMES[f]) for f in changed] if isinstance(changed, list) else []
        if names:
            self.saved.emit(self.tr("已修改{what}：{fields}").format(what=self.windowTitle()[2:], fields="、".join(names)))
        else:
            self.saved.emit(self.tr("{what}没有改动").format(what=self.windowTitle()[2:]))
