"""Behaviour of the work-order import (M-5, U-3): reading, preview and import run on the worker; the import can
be cancelled and then leaves nothing behind."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QProgressBar, QWidget

from ...domain.errors import DomainError
from ...domain.masking import mask_name, mask_phone
from ...services.intake import (
    FIELDS,
    ColumnMapping,
    Decision,
    IntakeDefaults,
    IntakeMappingError,
    IntakePreview,
    IntakeReport,
    PreviewRow,
    RawSheet,
    RowStatus,
    apply_intake,
    cell_text,
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
from ..models.base import ROW_ROLE
from ..style import OVERDUE_TEXT
from .intake_tables import decision_label
from .intake_view import MAPPING_PAGE, PREVIEW_PAGE, RESULT_PAGE, IntakeView
from .progress import CANCELLED, ProgressJob, Steps

NOT_MAPPED = ""
NO_EDIT = QAbstractItemView.EditTrigger.NoEditTriggers
MASKED = {"complainant": mask_name, "phone": mask_phone}
FIELD_LABELS = {f.key: f.label for f in FIELDS}


class IntakeDialog(IntakeView):
    imported = Signal(object)  # IntakeReport

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._sheet: RawSheet | None = None
        self._preview: IntakePreview | None = None
        self._report: IntakeReport | None = None
        self._job: ProgressJob | None = None
        self._progress_bar: QProgressBar = self.load_progress
        self._busy = False
        for unit in list_units(ctx.db):
            self.default_unit.addItem(unit.name, unit.id)
        self._refresh_saved_mappings()
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
        self.cancel_import_button.clicked.connect(self.cancel_job)
        self.close_button.clicked.connect(self.accept)
        self.row_filter.currentIndexChanged.connect(self.preview_filter.set_mode)
        self.include_button.clicked.connect(self.include_selected)
        self.skip_button.clicked.connect(self.skip_selected)
        self.preview_model.dataChanged.connect(self._update_summary)
        self.preview.selectionModel().currentRowChanged.connect(self._show_row_detail)
        self.default_unit.currentIndexChanged.connect(self._refresh_row_detail)

    # --- steps -----------------------------------------------------------------------------------------
    def _show_step(self, page: int) -> None:
        titles = {
            MAPPING_PAGE: (self.tr("第 1 步（共 3 步）：选择文件，核对列映射"), self.tr(
                "从 12345 热线或省投诉举报平台导出工单（.xlsx），选择文件后核对每一项对应文件中的哪一列。"
                "映射可以保存，下次导入同一平台的文件时直接选用。")),
            PREVIEW_PAGE: (self.tr("第 2 步（共 3 步）：预览，确定每一行的处理"), self.tr(
                "默认只登记与行政执法有关的工单；工单编号与已有事项相同的，合并到该事项。"
                "点击“确认导入”之前不会写入任何数据；导入中途取消，也不会留下任何数据。")),
            RESULT_PAGE: (self.tr("第 3 步（共 3 步）：导入结果"), self.tr(
                "文件中的每一行都列在下面：登记、合并、未导入或错误。有错误的行改正后可以再次导入，已导入的行会被识别为重复。")),
        }
        title, hint = titles[page]
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

    def _run(self, steps: Callable[[], Steps], on_done: Callable[[Any], None], bar: QProgressBar, text: str) -> None:
        """Drive a progress generator on the worker; ``bar`` shows its steps (busy until the first one)."""
        self._set_busy(True)
        bar.setRange(0, 0)
        bar.setFormat(text)
        bar.show()
        self._progress_bar = bar
        self._job = ProgressJob(steps, self)
        self._job.progressed.connect(self._progressed)
        self._ctx.tasks.write(self._job.run, on_done, self._failed)

    def _progressed(self, done: int, total: int) -> None:
        bar = self._progress_bar
        if total > 0:
            bar.setRange(0, total)
            bar.setValue(done)

    def _finish_job(self) -> None:
        if self._job is not None:
            self._job.deleteLater()  # its run() has returned: the result is what is being delivered
        self._job = None
        self.load_progress.hide()
        self.import_progress.hide()
        self.cancel_import_button.hide()
        self._set_busy(False)

    def _failed(self, exc: BaseException) -> None:
        self._finish_job()
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

    def cancel_job(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.cancel_import_button.setEnabled(False)
            self.import_progress.setFormat(self.tr("正在取消…"))

    def reject(self) -> None:
        if self._busy:
            self.cancel_job()  # closing now would hide what became of the import; stop it instead
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
        self._run(partial(read_workbook, path), self._file_loaded, self.load_progress, self.tr("正在读取… %v 行"))

    def _file_loaded(self, result: RawSheet | object) -> None:
        self._finish_job()
        if not isinstance(result, RawSheet):
            self.file_info.setText(self.tr("已取消读取文件。"))
            return
        self._sheet = result
        self.file_info.setText(self.tr("工作表“{sheet}”，第 {header} 行是表头，共 {n} 行工单，{cols} 列。").format(
            sheet=result.sheet_name, header=result.header_row, n=len(result.rows), cols=len(result.headers)))
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

    def _refresh_saved_mappings(self, select: str = "") -> None:
        self._mappings = list_mappings(self._ctx.db)
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
        headers = self._sheet.headers if self._sheet is not None else ()
        missing = [f"{FIELD_LABELS[k]}（“{h}”）" for k, h in mapping.columns.items() if h not in headers]
        if missing and self._sheet is not None:
            self.mapping_error.setText(self.tr("映射“{name}”中的这些列在本文件中没有找到：{missing}。请为它们重新选择列。")
                                       .format(name=mapping.name, missing="、".join(missing)))
            self.mapping_error.show()
        self.mapping_note.setText("")

    def _mapping_edited(self) -> None:
        self.mapping_error.hide()

    def _show_samples(self) -> None:
        """Beside each choice, the column's first value (masked where it is personal, M-7)."""
        for key, combo in self.field_combos.items():
            header = combo.currentData()
            text = ""
            if self._sheet is not None and header and header in self._sheet.headers:
                column = self._sheet.headers.index(header)
                value = next((cell_text(v[column]) for _, v in self._sheet.rows[:50] if cell_text(v[column])), "")
                value = " ".join(value.split())
                if value and key in MASKED:
                    value = MASKED[key](value)
                text = self.tr("例：{value}").format(value=value if len(value) <= 20 else value[:20] + "…") if value \
                    else self.tr("（前几行是空的）")
            self.field_samples[key].setText(text)

    def save_current_mapping(self) -> None:
        mapping = self.current_mapping()
        try:
            saved = save_mapping(self._ctx.db, self._ctx.actor, mapping.name, mapping.source, mapping.columns)
        except DomainError as exc:
            self.mapping_note.setText("")
            self.mapping_error.setText(exc.message)
            self.mapping_error.show()
            if getattr(exc, "field", None) == "name":
                self.mapping_name.setFocus()
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.mapping_error.hide()
        self._refresh_saved_mappings(select=saved.name)
        self.mapping_name.setText(saved.name)
        self.mapping_note.setText(self.tr("已保存映射“{name}”。").format(name=saved.name))

    def delete_chosen_mapping(self) -> None:
        name = self.saved_mappings.currentData()
        if name is None:
            return
        try:
            delete_mapping(self._ctx.db, self._ctx.actor, name)
        except Exception as exc:
            show_error(self, exc)
            return
        self._refresh_saved_mappings()
        self.mapping_note.setText(self.tr("已删除映射“{name}”。").format(name=name))

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
                  self._previewed, self.load_progress, self.tr("正在核对重复…"))

    def _back_to_mapping_with(self, exc: IntakeMappingError) -> None:
        self._show_step(MAPPING_PAGE)
        self.mapping_error.setText(exc.message)
        self.mapping_error.show()
        combo = self.field_combos.get(exc.field or "")
        if combo is not None:
            combo.setFocus()

    def _previewed(self, preview: IntakePreview | object) -> None:
        self._finish_job()
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

    @property
    def preview_result(self) -> IntakePreview | None:
        return self._preview

    def _update_summary(self) -> None:
        preview = self._preview
        if preview is None:
            return
        c = preview.counts()
        d = self.preview_model.count_decisions()
        self.summary.setText(self.tr(
            "<b>{file}</b>：共 {n} 行。新事项 {new}，与已有事项重复 {dup}，文件内重复 {infile}，非执法类 {other}，"
            "错误 {errors}。<br>确认后将<b>登记 {reg} 项、合并 {merge} 项</b>，其余 {skip} 行不导入。").format(
            file=preview.file_name, n=len(preview.rows), new=c[RowStatus.NEW], dup=c[RowStatus.DUPLICATE_EXISTING],
            infile=c[RowStatus.DUPLICATE_IN_FILE], other=c[RowStatus.NOT_ENFORCEMENT], errors=c[RowStatus.ERROR],
            reg=d[Decision.REGISTER], merge=d[Decision.MERGE], skip=d[Decision.SKIP]))
        todo = d[Decision.REGISTER] + d[Decision.MERGE]
        self.confirm_button.setText(self.tr("确认导入（登记 {reg}，合并 {merge}）").format(
            reg=d[Decision.REGISTER], merge=d[Decision.MERGE]) if todo else self.tr("没有要导入的工单"))
        self.confirm_button.setEnabled(bool(todo) and not self._busy)

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
            return
        row = item.row
        lines = []
        if item.existing is not None:
            lines.append(self.tr("工单编号与 {reg_no}《{title}》相同。").format(reg_no=item.existing.reg_no,
                                                                          title=item.existing.title))
        if item.unit_id is not None:
            unit = self.tr("被监督单位：{unit}（按承办单位名称对应）").format(unit=item.unit_name)
        else:
            unit = self.tr("被监督单位：{unit}（承办单位“{text}”对应不到，用默认单位）").format(
                unit=self.default_unit.currentText(), text=row.unit or self.tr("空"))
        lines.append(self.tr("第 {n} 行 · 处理：{decision} · {unit}").format(
            n=row.row, decision=decision_label(self.preview_model.decision(item)), unit=unit))
        if row.keyword:
            lines.append(self.tr("执法相关：含“{keyword}”").format(keyword=row.keyword))
        lines.extend(row.errors)
        lines.extend(row.warnings)
        lines.append(self.tr("诉求内容：{content}").format(content=row.content or self.tr("（无）")))
        self.row_detail.setPlainText("\n".join(lines))

    # --- step 3: import ------------------------------------------------------------------------------
    def defaults(self) -> IntakeDefaults:
        return IntakeDefaults(unit_id=self.default_unit.currentData(), category=self.default_category.currentData())

    def confirm(self) -> None:
        if self._preview is None or self._busy:
            return
        self.import_note.setText("")
        self.import_note.setStyleSheet("")
        self._run(partial(apply_intake, self._ctx.db, self._ctx.actor, self._preview,
                          self.preview_model.changed_decisions(), self.defaults(), self._ctx.today()),
                  self._applied, self.import_progress, self.tr("正在导入 %v / %m"))
        self.cancel_import_button.setEnabled(True)
        self.cancel_import_button.show()

    def _applied(self, report: IntakeReport | object) -> None:
        self._finish_job()
        if report is CANCELLED or not isinstance(report, IntakeReport):
            self.import_note.setText(self.tr("已取消导入：没有导入任何工单，登记编号也没有占用。"))
            return
        self._report = report
        self.result_model.set_rows(report.outcomes)
        numbers = "、".join(o.reg_no for o in report.registered)
        text = self.tr("<b>导入完成：登记 {reg} 项，合并 {merge} 项，未导入 {skip} 行，错误 {errors} 行。</b>").format(
            reg=len(report.registered), merge=len(report.merged), skip=len(report.skipped), errors=len(report.errors))
        if numbers:
            text += "<br>" + self.tr("新登记：{numbers}").format(numbers=numbers)
        if report.merged:
            text += "<br>" + self.tr("合并到：{numbers}").format(
                numbers="、".join(f"{o.reg_no}（{o.work_order_no}）" for o in report.merged))
        self.result_summary.setText(text)
        self._show_step(RESULT_PAGE)
        self.close_button.setFocus()
        self.imported.emit(report)

    @property
    def report(self) -> IntakeReport | None:
        return self._report


def _as_steps(fn: Any, *args: Any) -> Steps:
    """A plain service call as a one-step progress generator, so it runs and reports like the others."""
    yield 0, 0
    return fn(*args)
