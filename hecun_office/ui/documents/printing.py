"""D-7: print a document's PDF through the system dialog at 100 % scale, duplex when the printer can.

QtPdf only rasterises, so each page is rendered at the printer's resolution (capped: 600 dpi is finer than any
office laser prints text) and placed on the paper at its true size: no fit-to-page, no centring — the GB/T 9704
margins land where the standard puts them. Pages are rendered in horizontal bands so a page at 600 dpi never
needs more than a few megabytes at once.

Only the printer dialog needs the GUI thread. Rasterising and painting take a second or more, so ``print_to`` runs
on a worker: Qt allows a QPainter on a QPrinter outside the GUI thread, and QtPdf serialises its own renderer.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QObject,
    QRect,
    QRectF,
    QSize,
)
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QWidget

from ...domain.errors import EnvironmentProblem

MAX_RENDER_DPI = 600
BAND_BYTES = 8 * 1024 * 1024  # one rendered band (ARGB32) stays under this
POINTS_PER_INCH = 72.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("printing", text)


def load_pdf(pdf_bytes: bytes, parent: QObject | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over ``pdf_bytes``; keep the returned buffer alive as long as the document."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf_bytes))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent) if parent is not None else QPdfDocument()
    document.load(buffer)
    return document, buffer


def paint_pdf(pdf_bytes: bytes, painter: QPainter, printer: QPrinter) -> int:
    """Paint every page of ``pdf_bytes`` with ``painter`` (active on ``printer``, which must be full-page) at
    100 % scale: one PDF point is 1/72 inch on paper. Returns the number of pages painted."""
    document, buffer = load_pdf(pdf_bytes)
    try:
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
            raise EnvironmentProblem(_tr("无法读取要打印的 PDF 文件（{error}）。").format(error=document.error().name))
        device_dpi = printer.resolution()
        dpi = min(device_dpi, MAX_RENDER_DPI)
        to_device = device_dpi / dpi
        for page in range(document.pageCount()):
            if page and not printer.newPage():
                raise EnvironmentProblem(_tr("打印机不接受新的一页，打印已中止。请检查打印机后重试。"))
            points = document.pagePointSize(page)
            full = QSize(round(points.width() * dpi / POINTS_PER_INCH), round(points.height() * dpi / POINTS_PER_INCH))
            band = max(1, BAND_BYTES // (4 * max(1, full.width())))
            for top in range(0, full.height(), band):
                height = min(band, full.height() - top)
                options = QPdfDocumentRenderOptions()
                options.setScaledSize(full)
                options.setScaledClipRect(QRect(0, top, full.width(), height))
                image = document.render(page, QSize(full.width(), height), options)
                painter.drawImage(QRectF(0, top * to_device, full.width() * to_device, height * to_device), image)
        return document.pageCount()
    finally:
        document.close()
        buffer.close()


def a4_printer(printer: QPrinter) -> QPrinter:
    """Full page A4 portrait, no margins of Qt's own, duplex on the long side when the printer has it."""
    printer.setFullPage(True)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(0, 0, 0, 0)))
    info = QPrinterInfo.printerInfo(printer.printerName())
    if QPrinter.DuplexMode.DuplexLongSide in info.supportedDuplexModes():
        printer.setDuplex(QPrinter.DuplexMode.DuplexLongSide)
    return printer


def choose_printer(parent: QWidget, title: str) -> QPrinter | None:
    """Ask for a printer (the system dialog, GUI thread). None when the clerk cancelled."""
    printer = a4_printer(QPrinter(QPrinter.PrinterMode.HighResolution))
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_tr("打印"))
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    return a4_printer(printer)  # the dialog may have switched printers: duplex and full page again


def print_to(printer: QPrinter, pdf_bytes: bytes) -> int:
    """Print every page at 100 % (any thread). Returns the number of pages."""
    painter = QPainter()
    if not painter.begin(printer):
        raise EnvironmentProblem(_tr("无法开始打印：打印机不可用或输出文件无法写入。请检查打印机或文件位置后重试。"))
    try:
        return paint_pdf(pdf_bytes, painter, printer)
    finally:
        painter.end()
