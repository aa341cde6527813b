"""Behaviour of 密钥与登记 (S-6): export the enrolment file, the enrolment form as PDF, enrol or pin the other
side's key, rotate our key; under 更多…, the 私钥保护文件 for a second PC on the same database and 重置密钥 when the
private key is lost (the CLI's keys export-secret / import-secret / reset)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ...domain.errors import DomainError, EnvironmentProblem
from ...domain.permissions import Permission
from ...services.exchange_keys import (
    OwnKey,
    PeerView,
    Rotated,
    import_key_secret_file,
    list_peers,
    own_key,
    reset_keys,
    rotate_to_file,
    save_enrolment_form,
    save_key_secret,
    save_public_key,
)
from ..context import UiContext
from ..errors import confirm_action, open_dialog, show_error, show_info
from ..operations import Submission
from ..roles import gate
from ..tasks import TaskRunner
from .choosers import FileChooser, secret_filter
from .fonts import fingerprint_lines
from .keys_view import KeysView
from .passphrase_dialog import PassphraseDialog
from .peer_key_dialog import PeerKeyDialog

KEY_SUFFIX = ".hckey"
SECRET_SUFFIX = ".hcsecret"


class KeysSection(KeysView):
    message = Signal(str)  # for the status bar

    def __init__(self, ctx: UiContext, bureau: bool) -> None:
        super().__init__(bureau)
        self._ctx = ctx
        self._bureau = bureau
        self.chooser = FileChooser()
        self._code = ""
        self._name = ""
        if not gate(ctx.actor.role, Permission.SETTINGS_MANAGE, self.enrol_button, self.rotate_button,
                    self.more_button):
            for action in (self.export_secret_action, self.import_secret_action, self.reset_action):
                action.setEnabled(False)
        # Writes run on the database worker; each keeps its own button disabled meanwhile.
        self._exporting = Submission(self, self, ctx.tasks, self._key_exported, [self.export_key_button])
        self._rotating = Submission(self, self, ctx.tasks, self._rotated, [self.rotate_button])
        self._resetting = Submission(self, self, ctx.tasks, self._reset_done, [self.more_button])
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.export_key_button.clicked.connect(self.export_key)
        self.form_button.clicked.connect(self.save_form)
        self.enrol_button.clicked.connect(self.open_enrol_dialog)
        self.rotate_button.clicked.connect(self.confirm_rotation)
        self.export_secret_action.triggered.connect(self.open_export_secret)
        self.import_secret_action.triggered.connect(self.open_import_secret)
        self.reset_action.triggered.connect(self.confirm_reset)

    def show_message(self, _field: str | None, message: str) -> None:
        """Where a refusal of one of this section's writes goes: it has no fields, so a message box."""
        show_error(self, DomainError(message))

    def refresh(self, peers: list[PeerView] | None = None) -> None:
        try:
            key = own_key(self._ctx.db)
            peers = list_peers(self._ctx.db) if peers is None else peers
        except Exception as exc:
            show_error(self, exc)
            return
        self._code, self._name = key.code, key.name
        mode = self.tr("司法局（县级端）") if key.mode == "bureau" else self.tr("司法所（乡镇端）")
        self.identity.setText(self.tr("{name}（代码 {code}，{mode}）").format(name=key.name, code=key.code, mode=mode))
        self.fingerprint.setText(fingerprint_lines(key.shown))
        self.key_date.setText(self.tr("密钥生成于 {date}").format(date=f"{key.created_at:%Y-%m-%d}"))
        self._show_peers(peers)

    def _show_peers(self, peers: list[PeerView]) -> None:
        if self._bureau:
            offices = [p for p in peers if p.kind == "office"]
            self.peer_status.setText(self.tr("已登记 {n} 个司法所（见“已登记的司法所”）。新的司法所交来公钥文件和签字盖章的"
                                             "登记表后，在此登记；司法所更换密钥时，在此导入其更换声明。").format(n=len(offices)))
            return
        bureau = next((p for p in peers if p.kind == "bureau"), None)
        if bureau is None:
            self.peer_status.setText(self.tr("尚未绑定司法局公钥。导出数据包前，请导入司法局交来的公钥文件，"
                                             "并按司法局签字盖章的登记表核对指纹。"))
            self.peer_status.setStyleSheet("color: #c62828;")
            return
        self.peer_status.setStyleSheet("")
        self.peer_status.setText(self.tr("已绑定：{name}（代码 {code}），{date} 绑定\n指纹 {fpr}").format(
            name=bureau.name, code=bureau.code, date=f"{bureau.enrolled_at:%Y-%m-%d}", fpr=bureau.shown))

    # --- our key -----------------------------------------------------------------------------------------
    def export_key(self) -> None:
        suggested = self.tr("{name}-公钥-{code}").format(name=self._name, code=self._code) + KEY_SUFFIX
        path = self.chooser.save_file(self, self.tr("导出公钥文件"), suggested,
                                      self.tr("公钥文件 (*.hckey);;所有文件 (*)"))
        if path is not None:
            self._exporting.start(partial(save_public_key, self._ctx.db, path))

    def _key_exported(self, path: object) -> None:
        self.message.emit(self.tr("已导出公钥文件 {path}").format(path=path))
        show_info(self, self.tr("公钥文件已导出"), self.tr(
            "已导出公钥文件：{path}\n请连同签字盖章的登记表一并交对方；对方导入时须核对指纹。").format(path=path))

    def save_form(self) -> None:
        suggested = self.tr("{name}-公钥登记表.pdf").format(name=self._name)
        path = self.chooser.save_file(self, self.tr("保存公钥登记表"), suggested, self.tr("PDF 文件 (*.pdf)"))
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self.form_button.setEnabled(False)
        # A read and a file: on the reader pool, so typesetting does not hold up a write.
        self._ctx.tasks.read(partial(save_enrolment_form, self._ctx.db, path, self._ctx.today()),
                            self._form_saved, self._form_failed)

    def _form_saved(self, path: object) -> None:
        self.form_button.setEnabled(True)
        self.message.emit(self.tr("已保存公钥登记表 {path}").format(path=path))
        show_info(self, self.tr("登记表已保存"), self.tr(
            "已保存公钥登记表：{path}\n请打印（A4），由经办人签字、加盖公章后交对方。").format(path=path))

    def _form_failed(self, exc: object) -> None:
        self.form_button.setEnabled(True)
        show_error(self, exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))

    # --- the other side's key ------------------------------------------------------------------------------
    def open_enrol_dialog(self) -> PeerKeyDialog | None:
        dialog = open_dialog(self, partial(PeerKeyDialog, self._ctx, self._bureau, self.chooser, self))
        if dialog is not None:
            dialog.enrolled.connect(self._enrolled)
        return dialog

    def _enrolled(self, peer: PeerView) -> None:
        what = self.tr("已登记") if self._bureau else self.tr("已绑定")
        self.message.emit(self.tr("{what}：{name}（{code}），指纹 {fpr}").format(
            what=what, name=peer.name, code=peer.code, fpr=peer.shown))

    # --- rotation --------------------------------------------------------------------------------------------
    def confirm_rotation(self) -> QMessageBox:
        other = self.tr("每一个已登记的司法所") if self._bureau else self.tr("司法局")
        return confirm_action(self, self.tr("更换密钥"), self.tr(
            "更换密钥后，本机构今后导出的数据包改用新密钥签名。\n\n"
            "程序会生成一份由新旧密钥共同签署的“密钥更换声明”文件。必须把这份文件交给{other}，"
            "由对方在“报送与同步”中导入；对方导入之前，会拒收用新密钥签名的数据包。\n\n"
            "已经发出的数据包不受影响。更换后请重新打印登记表交对方。\n\n确定要更换密钥吗？").format(other=other),
            self.tr("更换密钥"), self.rotate_key, object_name="rotationConfirm")

    def rotate_key(self) -> None:
        """Choose where the statement goes first: once rotated there is no way back."""
        stamp = f"{self._ctx.today():%Y%m%d}"
        suggested = self.tr("{name}-密钥更换声明-{date}").format(name=self._name, date=stamp) + KEY_SUFFIX
        path = self.chooser.save_file(self, self.tr("保存密钥更换声明"), suggested,
                                      self.tr("密钥更换声明 (*.hckey);;所有文件 (*)"))
        if path is not None:
            self._rotating.start(partial(rotate_to_file, self._ctx.db, self._ctx.actor, path))

    def _rotated(self, rotated: Rotated) -> None:
        if rotated.path is None:
            where = self.tr("副本已保存在 {copy}，请从那里复制交对方。").format(copy=rotated.copy) if rotated.copy else ""
            show_error(self, EnvironmentProblem(f"{rotated.problem}\n{where}"), self.tr("密钥已更换，但声明未能写出"))
            return
        show_info(self, self.tr("密钥已更换"), self.tr(
            "已更换密钥，新指纹：\n{fpr}\n\n密钥更换声明：{path}\n请把声明交对方导入，并重新打印登记表。").format(
            fpr=fingerprint_lines(rotated.shown), path=rotated.path))

    # --- the private key on a second PC of the same database (keys export-secret / import-secret) --------------
    def open_export_secret(self) -> PassphraseDialog | None:
        intro = self.tr(
            "私钥保护文件供使用同一数据库的另一台电脑（如司法局在同一 PostgreSQL 数据库上的第二台电脑）导入，"
            "导入后那台电脑也能用本机构的密钥签名和解密数据包。文件用下面设定的口令加密。\n\n"
            "文件和口令必须分开传递（例如文件用U盘，口令当面告知），不要写在一起：拿到两者的人可以冒用本机构的签名。")
        dialog = open_dialog(self, partial(self._passphrase_dialog, self.tr("导出私钥保护文件"), intro,
                                           self.tr("导出…"), True, self._export_secret))
        if dialog is not None:
            dialog.setObjectName("exportSecretDialog")
            dialog.succeeded.connect(self._secret_exported)
        return dialog

    def _passphrase_dialog(self, title: str, intro: str, ok_text: str, twice: bool, make_call: MakeCall
                           ) -> PassphraseDialog:
        write = _PassphraseWrite(self._ctx.tasks, make_call)
        return write.attach(PassphraseDialog(title, intro, ok_text, twice, write.submit, self))

    def _export_secret(self, parent: QWidget, passphrase: str) -> Callable[[], Any] | None:
        """Where the file goes first (cancelling keeps the dialog open), then the service writes it."""
        stamp = f"{self._ctx.today():%Y%m%d}"
        suggested = self.tr("{name}-私钥保护文件-{date}").format(name=self._name, date=stamp) + SECRET_SUFFIX
        path = self.chooser.save_file(parent, self.tr("保存私钥保护文件"), suggested,
                                      self.tr("私钥保护文件 (*.hcsecret);;所有文件 (*)"))
        if path is None:
            return None
        return partial(save_key_secret, self._ctx.db, self._ctx.actor, passphrase, path)

    def _secret_exported(self, path: object) -> None:
        self.message.emit(self.tr("已导出私钥保护文件 {path}").format(path=path))
        show_info(self, self.tr("私钥保护文件已导出"), self.tr(
            "已导出私钥保护文件：{path}\n\n请把文件和口令分开交给另一台电脑的管理员。"
            "对方在“密钥与登记”→“更多…”→“导入私钥保护文件”中导入后，请删除该文件（包括U盘上的副本）。").format(path=path))

    def open_import_secret(self) -> PassphraseDialog | None:
        path = self.chooser.open_file(self, self.tr("选择私钥保护文件"), secret_filter())
        if path is None:
            return None
        intro = self.tr("文件：{path}\n\n请输入导出时设定的口令。导入后，本机可以用本机构的密钥签名和解密数据包。").format(
            path=path)
        dialog = open_dialog(self, partial(self._passphrase_dialog, self.tr("导入私钥保护文件"), intro,
                                           self.tr("导入"), False, partial(self._import_secret, path)))
        if dialog is not None:
            dialog.setObjectName("importSecretDialog")
            dialog.succeeded.connect(self._secret_imported)
        return dialog

    def _import_secret(self, path: Path, _parent: QWidget, passphrase: str) -> Callable[[], Any]:
        return partial(import_key_secret_file, self._ctx.db, self._ctx.actor, path, passphrase)

    def _secret_imported(self, count: object) -> None:
        self.message.emit(self.tr("已导入私钥保护文件"))
        show_info(self, self.tr("私钥保护文件已导入"), self.tr(
            "已导入 {n} 把密钥的保护文件，本机现在可以签名和解密数据包。\n请删除该文件（包括U盘上的副本）。").format(n=count))

    # --- a lost private key (keys reset) ------------------------------------------------------------------------
    def confirm_reset(self) -> QMessageBox:
        other = self.tr("各司法所") if self._bureau else self.tr("司法局")
        return confirm_action(self, self.tr("重置密钥"), self.tr(
            "只有在本机构的私钥确已丢失（例如电脑重装后无法签名和解密，又没有私钥保护文件）时才重置密钥。"
            "私钥还能用时，请用“更换密钥”。\n\n"
            "重置后原密钥作废，程序生成新密钥。必须把新的公钥文件和签字盖章的新登记表交{other}，"
            "由对方核对新指纹后选择“重新登记”；在此之前，对方会拒收本机构的数据包。\n\n确定要重置密钥吗？").format(
            other=other),
            self.tr("重置密钥"), self.reset_key, icon=QMessageBox.Icon.Critical, object_name="resetConfirm",
            must_tick=self.tr("我已确认本机构的私钥无法恢复"))

    def reset_key(self) -> None:
        self._resetting.start(partial(reset_keys, self._ctx.db, self._ctx.actor))

    def _reset_done(self, key: OwnKey) -> None:
        other = self.tr("各司法所") if self._bureau else self.tr("司法局")
        self.message.emit(self.tr("已重置密钥，新指纹 {fpr}").format(fpr=key.shown))
        show_info(self, self.tr("密钥已重置"), self.tr(
            "已生成新密钥，新指纹：\n{fpr}\n\n请导出公钥文件、打印登记表并签字盖章，一并交{other}；"
            "对方核对新指纹后选择“重新登记”，之后才能收发数据包。").format(fpr=fingerprint_lines(key.shown), other=other))


# The dialog and the passphrase → the service call to run (None: the clerk cancelled choosing a file).
MakeCall = Callable[[QWidget, str], Callable[[], Any] | None]


class _PassphraseWrite(QObject):
    """Runs a PassphraseDialog's service call on the database worker (scrypt and a write: too slow for the GUI
    thread). The dialog stays open with its OK disabled until the call returns; then it closes and emits
    ``succeeded``, or shows the refusal (口令不对…) and lets the clerk type again."""

    def __init__(self, tasks: TaskRunner, make_call: MakeCall) -> None:
        super().__init__()
        self._tasks, self._make_call = tasks, make_call
        self._dialog: PassphraseDialog | None = None
        self._submission: Submission | None = None

    def attach(self, dialog: PassphraseDialog) -> PassphraseDialog:
        self.setParent(dialog)  # closed and deleted with it: a late result finds nobody and is dropped
        self._dialog = dialog
        self._submission = Submission(dialog, dialog.errors, self._tasks, self._done, on_failed=self._failed)
        return dialog

    def submit(self, parent: QWidget, passphrase: str) -> None:
        """PassphraseDialog's ``submit``: returns None, so the dialog stays open until the worker answers."""
        call = self._make_call(parent, passphrase)
        if call is not None and self._submission is not None:
            self._submission.start(call)

    def _done(self, result: object) -> None:
        if self._dialog is not None:
            self._dialog.accept()
            self._dialog.succeeded.emit(result)

    def _failed(self) -> None:
        if self._dialog is not None:
            self._dialog.passphrase.selectAll()
            self._dialog.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)
            self._dialog.adjustSize()  # the message below the fields needs room
