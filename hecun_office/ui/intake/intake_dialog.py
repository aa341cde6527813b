"""Behaviour of the work-order import (M-5, U-3): reading the file and the duplicate check are reads on the reader
pool, the import and saving a mapping are writes on the database worker; the job panels show the long steps, and a
cancelled import leaves nothing behind."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QWidget

from ...domain.errors import DomainError
from ...services.intake import (
    ColumnMapping,
    Decision,
    IntakeDefaults,
    IntakeMappingError,
    IntakePreview,
    IntakeReport,
    PreviewRow,
    RawSheet,
    apply_intake,
    check_mapping,
    delete_mapping,
    list_mappings,
    preview_intake,
    read_workbook,
    save_mapping,
    suggest_mapping,
)
from ...services.matters import list_units
from ..context import UiContext
from ..errors import show_error
from ..job_panel import JobPanel
from ..models.base import ROW_ROLE
from ..operations import Submission
from ..progress import CANCELLED, Steps
from ..style import OVERDUE_TEXT
from . import texts
from .intake_view import MAPPING_PAGE, PREVIEW_PAGE, RESULT_PAGE, IntakeView

NOT_MAPPED = ""
NO_EDIT = QAbstractItemView.EditTrigger.NoEditTriggers


class IntakeDialog(IntakeView):
    imported = Signal(object)  # IntakeReport

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(JobPanel(ctx.tasks), JobPanel(ctx.tasks), parent)
        self._ctx = ctx
        self._sheet: RawSheet | None = None
        self._preview: IntakePreview | None = None
        self._busy = False
        mapping_buttons = [self.save_mapping_button, self.delete_mapping_button]
        self._saving = Submission(self, self, ctx.tasks, self._mapping_saved, mapping_buttons)
        self._deleting = Submission(self, self, ctx.tasks, self._mapping_deleted, mapping_buttons)
        for unit in list_units(ctx.db):
            self.default_unit.addItem(unit.name, unit.id)
        self._show_mappings(list_mappings(ctx.db))
        self._set_headers(())
        self._show_step(MAPPING_PAGE)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.choose_button.clicked.connect(self.choose_file)
        self.saved_mappings.activated.connect(self._saved_mapping_chosen)
        self.delete_mapping_button.clicked.connect(self.delete_chosen_mapping)
        self.save_mapping_button.clicked.connect(self.save_current_mapping)
        for combo in self.field_combos.values():
            combo.activated.connect(self._mapping_edited)
            combo.currentIndexChanged.connect(self._show_samples)
        self.next_button.clicked.connect(self.start_preview)
        self.cancel_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(self.back_to_mapping)
        self.preview_cancel_button.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self.confirm)
        self.close_button.clicked.connect(self.accept)
        self.row_filter.currentIndexChanged.connect(self.preview_filter.set_mode)
        self.include_button.clicked.connect(self.include_selected)
        self.skip_button.clicked.connect(self.skip_selected)
        self.preview_model.dataChanged.connect(self._update_summary)
        self.preview.selectionModel().currentRowChanged.connect(self._show_row_detail)
        self.default_unit.currentIndexChanged.connect(self._refresh_row_detail)

    # --- steps -----------------------------------------------------------------------------------------
    def _show_step(self, page: int) -> None:
        title, hint = texts.step_texts(page)
        self.step_title.setText(title)
        self.step_hint.setText(hint)
        self.pages.setCurrentIndex(page)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.choose_button, self.next_button, self.saved_mappings, self.mapping_box,
                       self.save_mapping_button, self.delete_mapping_button, self.source, self.confirm_button,
                       self.back_button, self.include_button, self.skip_button, self.default_unit,
                       self.default_category, self.row_filter, self.preview_cancel_button):
            widget.setEnabled(not busy)
        # The table stays readable (and scrollable) while the import runs; only its decisions are frozen.
        self.preview.setEditTriggers(NO_EDIT if busy else self.EDIT_TRIGGERS)
        if not busy:
            self.next_button.setEnabled(self._sheet is not None)
            self.mapping_box.setEnabled(self._sheet is not None)
            self.delete_mapping_button.setEnabled(self.saved_mappings.currentData() is not None)
            self._update_summary()

    def _run(self, steps: Callable[[], Steps], on_done: Callable[[Any], None], panel: JobPanel, bar_format: str,
             writes: bool = False, cancel_text: str = "") -> None:
        """Drive a progress generator; ``panel`` shows its steps (busy until the first one). Only the import
        writes; reading the file and the duplicate check must not queue behind another window's write."""
        self._set_busy(True)
        panel.start(steps, "", on_done, self._failed, writes=writes, cancellable=bool(cancel_text),
                    cancel_text=cancel_text, bar_format=bar_format)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, IntakeMappingError):
            self._back_to_mapping_with(exc)
        elif isinstance(exc, DomainError):
            self._show_problem(exc.message)
        else:
            show_error(self, exc, self.tr("导入没有完成"))

    def _show_problem(self, message: str) -> None:
        if self.pages.currentIndex() == MAPPING_PAGE:
            self.mapping_error.setText(message)
            self.mapping_error.show()
        else:
            self.import_note.setText(message)
            self.import_note.setStyleSheet(f"color: {OVERDUE_TEXT};")

    def reject(self) -> None:
        if self._busy:  # closing now would hide what became of the import; stop it instead
            self.load_panel.cancel()
            self.import_panel.cancel()
            return
        super().reject()

    @property
    def busy(self) -> bool:
        return self._busy

    # --- step 1: file --------------------------------------------------------------------------------
    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择工单文件"), "",
                                              self.tr("Excel 工作簿 (*.xlsx);;所有文件 (*)"))
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        self.file_path.setText(str(path))
        self.file_info.clear()
        self.mapping_error.hide()
        self._sheet = None
        self._set_headers(())
        self._run(partial(read_workbook, path), self._file_loaded, self.load_panel, self.tr("正在读取… %v 行"),
                  cancel_text=self.tr("取消"))

    def _file_loaded(self, result: RawSheet | object) -> None:
        self._set_busy(False)
        if not isinstance(result, RawSheet):
            self.file_info.setText(self.tr("已取消读取文件。"))
            return
        self._sheet = result
        self.file_info.setText(texts.sheet_text(result))
        self._set_headers(result.headers)
        fitting = [m for m in self._mappings if all(h in result.headers for h in m.columns.values())]
        if fitting:
            best = max(fitting, key=lambda m: len(m.columns))
            self.saved_mappings.setCurrentIndex(self.saved_mappings.findText(best.name))
            self._apply_mapping(best)
            self.mapping_note.setText(self.tr("已选用保存的映射“{name}”。").format(name=best.name))
        else:
            self.saved_mappings.setCurrentIndex(0)
            self._set_columns(suggest_mapping(result.headers))
            self.mapping_note.setText(self.tr("已按表头自动对应，请核对。"))
        self.next_button.setEnabled(True)
        self.next_button.setFocus()

    def _set_headers(self, headers: tuple[str, ...]) -> None:
        for combo in self.field_combos.values():
            combo.clear()
            combo.addItem(self.tr("（不导入）"), NOT_MAPPED)
            for header in headers:
                combo.addItem(header, header)
        self.mapping_box.setEnabled(bool(headers))

    def _set_columns(self, columns: dict[str, str]) -> None:
        for key, combo in self.field_combos.items():
            combo.setCurrentIndex(max(combo.findData(columns.get(key, NOT_MAPPED)), 0))

    # --- step 1: mapping -----------------------------------------------------------------------------
    def current_mapping(self) -> ColumnMapping:
        columns = {key: combo.currentData() for key, combo in self.field_combos.items()
                   if combo.currentData() not in (None, NOT_MAPPED)}
        return ColumnMapping(self.source.currentData(), columns, self.mapping_name.text().strip())

    def _show_mappings(self, mappings: list[ColumnMapping], select: str = "") -> None:
        self._mappings = mappings
        self.saved_mappings.clear()
        self.saved_mappings.addItem(self.tr("（按表头自动识别）"), None)
        for mapping in self._mappings:
            self.saved_mappings.addItem(mapping.name, mapping.name)
        if select:
            self.saved_mappings.setCurrentIndex(max(self.saved_mappings.findData(select), 0))
        self.delete_mapping_button.setEnabled(self.saved_mappings.currentData() is not None)

    def _saved_mapping_chosen(self, index: int) -> None:
        name = self.saved_mappings.itemData(index)
        self.delete_mapping_button.setEnabled(name is not None)
        self.mapping_error.hide()
        if name is None:
            if self._sheet is not None:
                self._set_columns(suggest_mapping(self._sheet.headers))
            self.mapping_note.setText(self.tr("已按表头自动对应，请核对。"))
            return
        mapping = next((m for m in self._mappings if m.name == name), None)
        if mapping is not None:
            self._apply_mapping(mapping)

    def _apply_mapping(self, mapping: ColumnMapping) -> None:
        self.source.setCurrentIndex(max(self.source.findData(mapping.source), 0))
        self.mapping_name.setText(mapping.name)
        self._set_columns(mapping.columns)
        missing = texts.missing_columns_text(mapping, self._sheet)
        if missing:
            self.mapping_error.setText(missing)
            self.mapping_error.show()
        self.mapping_note.setText("")

    def _mapping_edited(self) -> None:
        self.mapping_error.hide()

    def _show_samples(self) -> None:
        for key, combo in self.field_combos.items():
            self.field_samples[key].setText(texts.sample_text(self._sheet, combo.currentData(), key))

    def save_current_mapping(self) -> None:
        mapping = self.current_mapping()
        self._saving.start(partial(_save_mapping, self._ctx, mapping))

    def _mapping_saved(self, result: tuple[ColumnMapping, list[ColumnMapping]]) -> None:
        saved, mappings = result
        self.mapping_error.hide()
        self._show_mappings(mappings, select=saved.name)
        self.mapping_name.setText(saved.name)
        self.mapping_note.setText(self.tr("已保存映射“{name}”。").format(name=saved.name))

    def delete_chosen_mapping(self) -> None:
        name = self.saved_mappings.currentData()
        if name is not None:
            self._deleting.start(partial(_delete_mapping, self._ctx, name))

    def _mapping_deleted(self, result: tuple[str, list[ColumnMapping]]) -> None:
        name, mappings = result
        self._show_mappings(mappings)
        self.mapping_note.setText(self.tr("已删除映射“{name}”。").format(name=name))

    def show_message(self, field: str | None, message: str) -> None:
        """A mapping the service refused (Submission): said above the mapping, the name focused when it is at fault."""
        self.mapping_note.setText("")
        self.mapping_error.setText(message)
        self.mapping_error.show()
        if field == "name":
            self.mapping_name.setFocus()

    # --- step 2: preview -----------------------------------------------------------------------------
    def start_preview(self) -> None:
        if self._sheet is None or self._busy:
            return
        mapping = self.current_mapping()
        try:
            check_mapping(self._sheet.headers, mapping.columns)
        except IntakeMappingError as exc:
            self._back_to_mapping_with(exc)
            return
        self.mapping_error.hide()
        self._run(partial(_as_steps, preview_intake, self._ctx.db, self._sheet, mapping, self._ctx.today()),
                  self._previewed, self.load_panel, self.tr("正在核对重复…"))

    def _back_to_mapping_with(self, exc: IntakeMappingError) -> None:
        self._show_step(MAPPING_PAGE)
        self.mapping_error.setText(exc.message)
        self.mapping_error.show()
        combo = self.field_combos.get(exc.field or "")
        if combo is not None:
            combo.setFocus()

    def _previewed(self, preview: IntakePreview | object) -> None:
        self._set_busy(False)
        if not isinstance(preview, IntakePreview):
            return
        self._preview = preview
        self.preview_model.set_rows(preview.rows)
        self.row_filter.setCurrentIndex(0)
        self.row_detail.clear()
        self.import_note.setText("")
        self.import_note.setStyleSheet("")
        self._update_summary()
        self._show_step(PREVIEW_PAGE)
        self.confirm_button.setFocus()

    def back_to_mapping(self) -> None:
        if not self._busy:
            self._show_step(MAPPING_PAGE)

    def _update_summary(self) -> None:
        preview = self._preview
        if preview is None:
            return
        decided = self.preview_model.count_decisions()
        self.summary.setText(texts.summary_text(preview, decided))
        self.confirm_button.setText(texts.confirm_text(decided))
        self.confirm_button.setEnabled(bool(decided[Decision.REGISTER] + decided[Decision.MERGE]) and not self._busy)

    def _selected_source_rows(self) -> list[int]:
        rows = self.preview.selectionModel().selectedRows()
        return sorted(self.preview_filter.mapToSource(i).row() for i in rows)

    def include_selected(self) -> None:
        for row in self._selected_source_rows():
            self.preview_model.include(row)

    def skip_selected(self) -> None:
        for row in self._selected_source_rows():
            self.preview_model.set_decision(row, Decision.SKIP)

    def select_rows(self, source_rows: list[int]) -> None:
        """Select rows of the preview by their position in the file (tests, keyboard users)."""
        selection = self.preview.selectionModel()
        selection.clearSelection()
        for row in source_rows:
            index = self.preview_filter.mapFromSource(self.preview_model.index(row, 0))
            if index.isValid():
                selection.select(index, QItemSelectionModel.SelectionFlag.Select
                                 | QItemSelectionModel.SelectionFlag.Rows)

    def _refresh_row_detail(self) -> None:
        self._show_row_detail(self.preview.currentIndex())

    def _show_row_detail(self, index: QModelIndex) -> None:
        item: PreviewRow | None = index.data(ROW_ROLE) if index.isValid() else None
        if item is None:
            self.row_detail.clear()
        else:
            self.row_detail.setPlainText(texts.row_detail_text(item, self.preview_model.decision(item),
                                                         self.default_unit.currentText()))

    # --- step 3: import ------------------------------------------------------------------------------
    def confirm(self) -> None:
        if self._preview is None or self._busy:
            return
        self.import_note.setText("")
        self.import_note.setStyleSheet("")
        defaults = IntakeDefaults(unit_id=self.default_unit.currentData(), category=self.default_category.currentData())
        self._run(partial(apply_intake, self._ctx.db, self._ctx.actor, self._preview,
                          self.preview_model.changed_decisions(), defaults, self._ctx.today()),
                  self._applied, self.import_panel, self.tr("正在导入 %v / %m"), writes=True,
                  cancel_text=self.tr("取消导入"))

    def _applied(self, report: IntakeReport | object) -> None:
        self._set_busy(False)
        if report is CANCELLED or not isinstance(report, IntakeReport):
            self.import_note.setText(self.tr("已取消导入：没有导入任何工单，登记编号也没有占用。"))
            return
        self.result_model.set_rows(report.outcomes)
        self.result_summary.setText(texts.result_text(report))
        self._show_step(RESULT_PAGE)
        self.close_button.setFocus()
        self.imported.emit(report)


def _as_steps(fn: Any, *args: Any) -> Steps:
    """A plain service call as a one-step progress generator, so it runs and reports like the others."""
    yield 0, 0
    return fn(*args)


def _save_mapping(ctx: UiContext, mapping: ColumnMapping) -> tuple[ColumnMapping, list[ColumnMapping]]:
    """Save on the database worker and read the list back there, so the dialog needs no read of its own."""
    saved = save_mapping(ctx.db, ctx.actor, mapping.name, mapping.source, mapping.columns)
    return saved, list_mappings(ctx.db)


def _delete_mapping(ctx: UiContext, name: str) -> tuple[str, list[ColumnMapping]]:
    delete_mapping(ctx.db, ctx.actor, name)
    return name, list_mappings(ctx.db)
