"""案卷评查 (O-3): the batches; the chosen batch's case files and its per-unit summary below; the steps of a review
in the order they are done — 新建批次, 导入案卷清单, 抽样, 评分, 发现问题登记为事项, 起草评查报告."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from ...services.case_review import (
    BatchDetail,
    BatchRow,
    FileRow,
    batch_detail,
    draft_report,
    finding_to_matter,
)
from ...services.case_review import import_files as import_case_files
from ...services.matters import Registered
from ..context import UiContext
from ..documents.editor_dialog import EditorDialog, open_editor
from ..exchange.choosers import FileChooser
from ..widgets import label, set_column_widths, table_view
from .common import Tab, button_row, push_button, selected_row
from .entry_dialogs import CaseFileDialog
from .models import BatchTableModel, FileTableModel, SummaryTableModel
from .review_dialogs import BatchDialog, ScoreDialog, SeedDialog

C = "supervision"


def xlsx_filter() -> str:
    return QCoreApplication.translate(C, "Excel 工作簿 (*.xlsx);;所有文件 (*)")


class ReviewView(Tab):
    def __init__(self, ctx: UiContext, writable: bool) -> None:
        super().__init__(ctx, writable)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        self.add_button = push_button(self.tr("新建批次…"), "addBatch")
        self.import_button = push_button(self.tr("导入案卷清单…"), "importFiles")
        self.enter_button = push_button(self.tr("录入案卷…"), "enterFile")
        self.sample_button = push_button(self.tr("抽样…"), "drawSample")
        self.score_button = push_button(self.tr("评分…"), "scoreFile")
        self.finding_button = push_button(self.tr("发现问题登记为事项"), "findingToMatter")
        self.report_button = push_button(self.tr("起草评查报告"), "draftReport")
        layout.addLayout(button_row(self.add_button, self.import_button, self.enter_button, self.sample_button,
                                    self.score_button, self.finding_button, self.report_button))
        self.note = label(self.tr("步骤：新建批次 → 导入各单位的案卷清单（.xlsx，列：被评查单位、案卷编号、案件名称）或逐卷录入 → "
                                  "抽样 → 逐卷评分 → 发现的问题登记为监督事项 → 起草评查报告。"), "muted")
        layout.addWidget(self.note)
        self.note.setVisible(writable)  # how to do the work here: nothing to do at the bureau
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self.model = BatchTableModel(self)
        self.table = table_view(self.model, stretch_column=0)
        self.table.setObjectName("batchTable")
        set_column_widths(self.table, {1: 200, 2: 70, 3: 60, 4: 60, 5: 60, 6: 110})
        split.addWidget(self.table)
        lower = QWidget()
        box = QVBoxLayout(lower)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(4)
        self.files_title = label(self.tr("案卷"), "sectionTitle")
        box.addWidget(self.files_title)
        self.file_model = FileTableModel(self)
        self.files = table_view(self.file_model, stretch_column=2)
        self.files.setObjectName("fileTable")
        set_column_widths(self.files, {0: 170, 1: 150, 3: 50, 4: 60, 5: 70, 6: 140})
        box.addWidget(self.files, 3)
        self.summary_title = label(self.tr("各单位情况"), "sectionTitle")
        box.addWidget(self.summary_title)
        self.summary_model = SummaryTableModel(self)
        self.summary = table_view(self.summary_model, stretch_column=0)
        self.summary.setObjectName("summaryTable")
        set_column_widths(self.summary, {1: 60, 2: 60, 3: 60, 4: 70, 5: 200, 6: 80})
        box.addWidget(self.summary, 2)
        split.addWidget(lower)
        split.setSizes([150, 380])
        layout.addWidget(split, 1)


class ReviewTab(ReviewView):
    def __init__(self, ctx: UiContext, writable: bool) -> None:
        super().__init__(ctx, writable)
        self.chooser = FileChooser()  # the file dialog; tests put a stand-in here
        self.detail: BatchDetail | None = None
        self._detail_for: int | None = None
        self.setup_buttons(self.add_button, self.import_button, self.enter_button, self.sample_button,
                           self.score_button, self.finding_button, self.report_button)
        self._connect_signals()
        self._selection_changed()

    def _connect_signals(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.files.selectionModel().selectionChanged.connect(self._update_buttons)
        self.files.activated.connect(self.open_score_dialog)
        self.add_button.clicked.connect(self.open_add_dialog)
        self.import_button.clicked.connect(self.import_list)
        self.enter_button.clicked.connect(self.open_enter_dialog)
        self.sample_button.clicked.connect(self.open_seed_dialog)
        self.score_button.clicked.connect(self.open_score_dialog)
        self.finding_button.clicked.connect(self.finding_to_matter)
        self.report_button.clicked.connect(self.draft_report)

    def show_rows(self, rows: list[BatchRow]) -> None:
        self.replace_rows(self.table, rows)
        self._selection_changed()

    def selected(self) -> BatchRow | None:
        row = selected_row(self.table)
        return row if isinstance(row, BatchRow) else None

    def selected_file(self) -> FileRow | None:
        row = selected_row(self.files)
        return row if isinstance(row, FileRow) else None

    def select(self, batch_id: int) -> None:
        self.want(self.table, batch_id)

    def select_file(self, file_id: int) -> None:
        row = self.file_model.find(file_id)
        if row is not None:
            self.files.selectRow(row)

    def _selection_changed(self) -> None:
        row = self.selected()
        self._update_buttons()
        if row is None:
            self._detail_for, self.detail = None, None
            self.file_model.set_rows([])
            self.summary_model.set_rows([])
            self.files_title.setText(self.tr("案卷"))
            return
        self._detail_for = row.id
        self._ctx.tasks.read(partial(batch_detail, self._ctx.db, row.id), self._detail_loaded, self._failed)

    def _detail_loaded(self, detail: object) -> None:
        if not isinstance(detail, BatchDetail) or detail.batch.id != self._detail_for:
            return
        chosen = self.selected_file()
        self.detail = detail
        self.file_model.set_rows(detail.files)
        if chosen is not None:
            self.select_file(chosen.id)
        b = detail.batch
        seed = self.tr("随机种子 {seed}").format(seed=b.seed) if b.seed is not None else self.tr("尚未抽样")
        self.files_title.setText(self.tr("{name}：清单 {listed} 卷，抽取 {drawn} 卷，已评 {scored} 卷（{seed}）").format(
            name=b.name, listed=b.listed, drawn=b.drawn, scored=b.scored, seed=seed))
        self.summary_model.set_rows(detail.summary)
        self._update_buttons()

    def _update_buttons(self) -> None:
        batch = self.selected()
        file = self.selected_file() if self.detail is not None and batch is not None \
            and self.detail.batch.id == batch.id else None
        pick = self.tr("请先在表格中选择一个评查批次。")
        open_list = batch is not None and batch.seed is None
        closed = pick if batch is None else self.tr("本批次已抽样，清单不能再增加。")
        self.enable(self.import_button, open_list, closed)
        self.enable(self.enter_button, open_list, closed)
        self.enable(self.sample_button, open_list and batch is not None and batch.listed > 0,
                    pick if batch is None else self.tr("本批次已抽样。") if batch.seed is not None
                    else self.tr("请先导入或录入案卷清单。"))
        self.enable(self.report_button, batch is not None, pick)
        self.enable(self.score_button, file is not None and file.drawn,
                    self.tr("请在下方案卷表中选择一卷抽中的案卷。"))
        self.enable(self.finding_button, file is not None and bool(file.finding) and file.matter_reg_no is None,
                    self.tr("请选择一卷已评分、记录了发现的问题且尚未登记事项的案卷。"))

    # --- the steps ------------------------------------------------------------------------------------------
    def open_add_dialog(self) -> BatchDialog | None:
        dialog = self.open(partial(BatchDialog, self._ctx, self))
        if dialog is not None:
            dialog.saved.connect(self._created)
        return dialog

    def _created(self, batch_id: object) -> None:
        if isinstance(batch_id, int):
            self.select(batch_id)
        self.message.emit(self.tr("已新建评查批次；下一步请导入各单位的案卷清单"))

    def import_list(self) -> None:
        batch = self.selected()
        if batch is None:
            return
        path = self.chooser.open_file(self, self.tr("选择案卷清单（.xlsx）"), xlsx_filter())
        if path is None:
            return
        self.import_button.setEnabled(False)
        self.write(partial(import_case_files, self._ctx.db, self._ctx.actor, batch.id, path), self._imported)

    def _imported(self, added: object) -> None:
        self._update_buttons()
        self.message.emit(self.tr("已导入 {n} 卷（清单中已有的不重复列入）").format(n=added))

    def open_enter_dialog(self) -> CaseFileDialog | None:
        batch = self.selected()
        if batch is None or batch.seed is not None:
            return None
        dialog = self.open(partial(CaseFileDialog, self._ctx, batch.id, batch.name, self))
        if dialog is not None:
            dialog.saved.connect(partial(self._entered, dialog))
        return dialog

    def _entered(self, dialog: CaseFileDialog, added: object) -> None:
        unit, number = dialog.unit.currentText().strip(), dialog.number.text().strip()
        text = self.tr("已将案卷 {number}（{unit}）列入清单") if added else \
            self.tr("{unit}的案卷 {number} 已在清单中，未重复列入")
        self.message.emit(text.format(unit=unit, number=number))

    def open_seed_dialog(self) -> SeedDialog | None:
        batch = self.selected()
        if batch is None:
            return None
        dialog = self.open(partial(SeedDialog, self._ctx, batch.id, batch.name, batch.listed, batch.per_unit, self))
        if dialog is not None:
            dialog.saved.connect(self._drawn)
        return dialog

    def _drawn(self, count: object) -> None:
        self.message.emit(self.tr("已抽取 {n} 卷，请逐卷评分").format(n=count))

    def open_score_dialog(self) -> ScoreDialog | None:
        file = self.selected_file()
        if self.detail is None or file is None or not file.drawn or not self.may_write:
            return None
        dialog = self.open(partial(ScoreDialog, self._ctx, self.detail.sheet, file, self))
        if dialog is not None:
            dialog.saved.connect(self._scored)
        return dialog

    def _scored(self, grade: object) -> None:
        self.message.emit(self.tr("已保存评分，等次：{grade}").format(grade=grade))

    def finding_to_matter(self) -> None:
        file = self.selected_file()
        if file is None:
            return
        self.finding_button.setEnabled(False)
        ctx = self._ctx
        self.write(partial(finding_to_matter, ctx.db, ctx.actor, file.id, ctx.today()), self._registered)

    def _registered(self, registered: object) -> None:
        self._update_buttons()
        if isinstance(registered, Registered):
            self.message.emit(self.tr("已登记事项 {reg_no}，来源为案卷评查").format(reg_no=registered.reg_no))

    def draft_report(self) -> None:
        batch = self.selected()
        if batch is None:
            return
        self.report_button.setEnabled(False)
        ctx = self._ctx
        self.write(partial(draft_report, ctx.db, ctx.actor, batch.id, ctx.today()), self._report_drafted)

    def _report_drafted(self, doc_id: object) -> None:
        self._update_buttons()
        if isinstance(doc_id, int):
            self.editor = open_editor(self, partial(EditorDialog.for_document, self._ctx, doc_id, self),
                                      self._document_changed)

    def _document_changed(self, _doc_id: int) -> None:
        pass  # the write's change notice has read the batches again

    def _failed(self, exc: object) -> None:
        self._update_buttons()
        super()._failed(exc)
