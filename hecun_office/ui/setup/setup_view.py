"""Layout of the first-run set-up (U-5): mode, office profile, first user."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.vocab import Mode
from ..formatting import vocab_text
from ..widgets import error_label, label, with_error

CAPTION_WIDTH = 120


class SetupView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("首次设置"))
        self.resize(720, 700)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        layout.addWidget(label(self.tr("欢迎使用行政执法协调监督工作台"), "pageTitle"))
        layout.addWidget(label(self.tr("首次使用前请确认本单位信息，并建立第一位用户。"
                                       "这些信息用于登记编号、文书和数据报送。"), "muted", wrap=True))
        self.error_labels: dict[str, QLabel] = {}
        self.field_widgets: dict[str, QWidget] = {}

        mode_box = QGroupBox(self.tr("使用模式"))
        mode_row = QHBoxLayout(mode_box)
        self.office_mode = QRadioButton(self.tr("{label}（乡镇司法所）").format(label=vocab_text(Mode.OFFICE)))
        self.bureau_mode = QRadioButton(self.tr("{label}（县级司法局）").format(label=vocab_text(Mode.BUREAU)))
        self.office_mode.setChecked(True)
        self.mode = QButtonGroup(self)
        self.mode.addButton(self.office_mode)
        self.mode.addButton(self.bureau_mode)
        mode_row.addWidget(self.office_mode)
        mode_row.addWidget(self.bureau_mode)
        mode_row.addStretch(1)
        layout.addWidget(mode_box)

        profile_box = QGroupBox(self.tr("单位信息"))
        profile = self._form(profile_box)
        self.name = self._line(profile, "name", self.tr("机构名称"))
        self.abbr = self._line(profile, "abbr", self.tr("机关代字"), self.tr("用于文号，例如 贺司建〔2026〕3号 中的“贺司”"))
        self.bureau_name = self._line(profile, "bureau_name", self.tr("上级司法局"))
        self.county = self._line(profile, "county", self.tr("所在县（市、区）"))
        self.township = self._line(profile, "township", self.tr("所在乡镇"))
        self.code = self._line(profile, "code", self.tr("机构代码"), self.tr("小写英文字母或数字，用于数据包文件名"))
        self.registration_pattern = self._line(profile, "registration_pattern", self.tr("登记编号格式"),
                                               self.tr("{year} 为年份，{n} 为顺序号"))
        self.rectification_days = QSpinBox()
        self.rectification_days.setRange(1, 365)
        self.rectification_days.setSuffix(self.tr(" 天"))
        self.rectification_days.setMaximumWidth(120)
        self._add(profile, "rectification_days", self.tr("默认整改期限"), self.rectification_days)
        layout.addWidget(profile_box)

        user_box = QGroupBox(self.tr("第一位用户（管理员）"))
        user = self._form(user_box)
        self.username = self._line(user, "username", self.tr("登录名"), self.tr("英文字母或数字，例如 wang"))
        self.display_name = self._line(user, "display_name", self.tr("姓名"))
        self.password = self._line(user, "password", self.tr("密码"), self.tr("至少 6 位"))
        self.password_again = self._line(user, "password_again", self.tr("再次输入密码"))
        for edit in (self.password, self.password_again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(user_box)

        self.general_error = label("", "generalError", wrap=True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("完成设置"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        layout.addWidget(self.buttons)

    @staticmethod
    def _form(box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setContentsMargins(14, 10, 14, 10)
        form.setVerticalSpacing(5)
        return form

    def _add(self, form: QFormLayout, field: str, caption: str, widget: QWidget) -> None:
        error = error_label()
        self.error_labels[field] = error
        self.field_widgets[field] = widget
        text = label(caption)
        text.setMinimumWidth(CAPTION_WIDTH)  # both groups' fields start at the same x
        text.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(text, with_error(widget, error))

    def _line(self, form: QFormLayout, field: str, caption: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        self._add(form, field, caption, edit)
        return edit
