"""What a page shows, independent of how it is drawn: the contract between forms (compose) and layout (gbt9704).

Everything here is plain data so that a document can be composed, compared and rendered without a database or a
screen. Strings are final text (numbers, dates already formatted as 2026年3月5日).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class LayoutKind(StrEnum):
    """D-1 layout kinds, mapped onto the GB/T 9704-2012 formats."""

    DOCUMENT = "document"  # 文件格式: masthead, number, red rule, title, 主送, body (下行文/平行文)
    REPORT = "report"  # 上行文: like DOCUMENT but the number line carries 签发人 on the right (GB/T 9704 7.2.4)
    LETTER = "letter"  # 信函格式: masthead 30 mm from the top edge, double rule, number flush right (GB/T 9704 10.1)
    TABLE = "table"  # 表格文书: title and a ruled grid (送达回证, 登记表, 报送表)


class HeadingLevel(StrEnum):
    BODY = "body"  # ordinary paragraph, 仿宋, first line indented two characters
    H1 = "h1"  # 一、 黑体
    H2 = "h2"  # （一） 楷体
    H3 = "h3"  # 1. 仿宋
    H4 = "h4"  # （1） 仿宋
    PLAIN = "plain"  # no indent (e.g. a quoted list line), 仿宋


@dataclass(frozen=True)
class Paragraph:
    text: str
    level: HeadingLevel = HeadingLevel.BODY


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1  # columns this cell covers in a grid of TableSpec.columns
    label: bool = False  # label cells are centred and may be set in 黑体
    min_lines: int = 1  # minimum height in text lines (room for handwriting, e.g. 受送达人签名)


@dataclass(frozen=True)
class TableSpec:
    columns: list[float]  # relative column widths; the grid always spans the 156 mm text width
    rows: list[list[Cell]]


@dataclass(frozen=True)
class DocumentSpec:
    layout: LayoutKind
    title: str
    issuer: str  # 发文机关, e.g. 江山市贺村司法所; masthead text is issuer + masthead_suffix
    masthead_suffix: str = "文件"  # 文件 for DOCUMENT/REPORT; letters use the bare issuer name
    number: str = ""  # 贺司建〔2026〕3号; empty on drafts before 签发 (layout keeps the line's place)
    signer: str = ""  # 签发人, shown on REPORT layout
    recipient: str = ""  # 主送机关, printed flush left followed by a full-width colon
    body: list[Paragraph] = field(default_factory=list)
    table: TableSpec | None = None  # TABLE layout: drawn after the body paragraphs (if any)
    attachments: list[str] = field(default_factory=list)  # 附件说明, numbered when more than one
    signature: str = ""  # 发文机关署名 above the date
    date_text: str = ""  # 成文日期, already formatted 2026年11月21日
    note: str = ""  # 附注, e.g. （联系人：王某，联系电话：0570-1234567）
    cc: list[str] = field(default_factory=list)  # 抄送
    printed_by: str = ""  # 印发机关 in the 版记
    printed_date_text: str = ""  # 印发日期 in the 版记 (2026年11月21日印发)
    preprinted: bool = False  # 套打: paper already carries the red masthead; leave it blank
    watermark: str = ""  # 样稿 on drafts; empty on issued documents

    def all_text(self) -> str:
        """Every character the layout may draw, for the glyph check of D-6."""
        parts = [self.title, self.issuer, self.masthead_suffix, self.number, self.signer, self.recipient,
                 self.signature, self.date_text, self.note, self.printed_by, self.printed_date_text, self.watermark,
                 "签发人：附件：抄送：印发—0123456789", *self.attachments, *self.cc]
        parts += [p.text for p in self.body]
        if self.table:
            parts += [c.text for row in self.table.rows for c in row]
        return "".join(parts)
