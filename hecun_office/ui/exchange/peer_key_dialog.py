"""登记司法所公钥 (bureau) / 绑定司法局公钥 (office), also the way a rotation statement is accepted (S-6).

The clerk sees what the file says before anything is stored, and must type the fingerprint from the other side's
signed and stamped form; ``add_peer`` compares them and its message is shown here when they differ. When the other
side already has another key (its private key was lost and it reset its keys), the refusal offers 重新登记, which
after a confirmation replaces the old key (``add_peer(..., replace=True)``, the CLI's --replace)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ...domain.errors import HecunError
from ...services.exchange_keys import KeyFile, add_peer, list_peers, read_key_file
from ..context import UiContext
from ..errors import confirm_action
from ..operations import Submission
from ..widgets import FieldErrors
from .choosers import FileChooser, key_filter
from .fonts import fingerprint_lines
from .peer_key_view import PeerKeyView

REENROL_MARK = "重新登记"  # in add_peer's refusal when the peer already has another key


class PeerKeyDialog(PeerKeyView):
    enrolled = Signal(object)  # PeerView

    def __init__(self, ctx: UiContext, bureau: bool, chooser: FileChooser, parent: QWidget | None = None) -> None:
        super().__init__(bureau, parent)
        self._ctx = ctx
        self._bureau = bureau
        self._chooser = chooser
        self._file: KeyFile | None = None
        self._ok_text = self.ok_button.text()
        self.errors = FieldErrors(self.general_error)
        self.errors.add("fingerprint", self.errors_typed, self.typed)
        self.ok_button.setEnabled(False)
        self._replacing = False
        self._submission = Submission(self, self.errors, ctx.tasks, self._added, buttons=[self.ok_button],
                                      on_failed=self._offer_replacement)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.choose_button.clicked.connect(self.choose_file)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        self.replace_button.clicked.connect(self.confirm_replace)

    @property
    def key_file(self) -> KeyFile | None:
        return self._file

    def choose_file(self) -> None:
        path = self._chooser.open_file(self, self.tr("选择公钥文件或密钥更换声明"), key_filter())
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        self.errors.clear()
        self.replace_button.hide()
        self._file = None
        self.file_path.setText(str(path))
        self.file_path.setToolTip(str(path))
        for value in (self.name_value, self.code_value, self.kind_value, self.file_fingerprint):
            value.setText("—")
        self.show_file_fingerprint(False)
        try:
            key = read_key_file(path)
        except HecunError as exc:
            self._refuse(exc.message)
            return
        wanted = "office" if self._bureau else "bureau"
        if not key.rotation and key.kind != wanted:
            self._refuse(self.tr("这是{kind}的公钥文件；本机构只能{what}。请核对后重新选择。").format(
                kind=self.tr("司法局") if key.kind == "bureau" else self.tr("司法所"),
                what=self.tr("登记司法所的公钥") if self._bureau else self.tr("绑定司法局的公钥")))
            return
        self._file = key
        self._show(key)

    def _refuse(self, message: str) -> None:
        self.errors.show_message(None, message)
        self.ok_button.setEnabled(False)
        self.fit_height()

    def _show(self, key: KeyFile) -> None:
        if key.rotation:
            known = {p.code: p.name for p in list_peers(self._ctx.db)}
            self.name_value.setText(known.get(key.code, self.tr("（未登记的机构）")))
            self.kind_value.setText(self.tr("密钥更换声明（自第 {n} 号数据包起使用新密钥）").format(n=key.from_seq))
        else:
            self.name_value.setText(key.name)
            self.kind_value.setText(self.tr("司法所公钥登记文件") if key.kind == "office"
                                    else self.tr("司法局公钥登记文件"))
        self.code_value.setText(key.code)
        # An enrolment file's fingerprint is never shown: the clerk types it from the signed paper form and
        # add_peer compares. A rotation statement is proven by the old key's signature, so its new one is shown.
        self.file_fingerprint.setText(fingerprint_lines(key.shown) if key.rotation else "—")
        self.show_file_fingerprint(key.rotation)
        self.rotation_note.setVisible(key.rotation)
        # A statement is proven by the old key's signature; there is no paper form to type from yet.
        self.typed.setVisible(not key.rotation)
        self.typed_label.setVisible(not key.rotation)
        self.ok_button.setText(self.tr("导入更换声明") if key.rotation else self._ok_text)
        self.ok_button.setEnabled(True)
        if not key.rotation:
            self.typed.setFocus(Qt.FocusReason.OtherFocusReason)
        self.adjustSize()  # the note or the field appeared: nothing may be cut off

    def confirm(self) -> None:
        key = self._file
        if key is None:
            self._refuse(self.tr("请先选择对方交来的公钥文件。"))
            return
        self._add(replace=False)

    def _add(self, replace: bool) -> None:
        key = self._file
        if key is None:
            return
        self.errors.clear()
        self.replace_button.hide()
        self._replacing = replace
        self._submission.start(partial(add_peer, self._ctx.db, self._ctx.actor, key.data, self.typed.text(),
                                       replace=replace))

    def _added(self, peer: object) -> None:
        self.accept()
        self.enrolled.emit(peer)

    def _offer_replacement(self) -> None:
        """The peer already has another key: offer 重新登记 (its message is already under the field)."""
        key = self._file
        shown = self.errors.showing("fingerprint") or self.general_error.text()
        if key is not None and REENROL_MARK in shown and not self._replacing and not key.rotation:
            self.replace_button.show()
            self.adjustSize()
        self.fit_height()  # the refusal wraps to two lines: nothing above it may be squeezed

    def confirm_replace(self) -> QMessageBox | None:
        key = self._file
        if key is None:
            return None
        return confirm_action(self, self.tr("重新登记"), self.tr(
            "重新登记将停用“{name}”（代码 {code}）原来登记的公钥，改用本文件中的新公钥（即上面输入的指纹）。\n\n"
            "只在对方原私钥确已丢失、无法出具密钥更换声明时这样做。请先打电话向对方核实，"
            "并确认上面输入的指纹取自对方签字盖章的新登记表。\n\n确定重新登记吗？").format(
            name=key.name, code=key.code),
            self.tr("重新登记"), self._replace, object_name="replaceConfirm")

    def _replace(self) -> None:
        self._add(replace=True)
