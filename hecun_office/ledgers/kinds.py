"""L-1: the ledgers the bureau asks for (five on matters and documents, four on the pilot's other supervision work,
SPEC O-1..O-4) — their names, columns and notes, as data.

The columns are in the order of the paper ledgers they replace; at the bureau every ledger gets a 司法所 column
first (the same ledger over all townships). What fills them is services/ledger_export.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from .workbook import Column, Kind

KINDS = ("matters", "documents", "advices", "league", "obligations", "reviews", "meetings", "certificates",
         "supervisors")
MONTHLY, YEARLY = "月度晒绩表", "年度晒绩表"
OFFICE_COLUMN = Column("司法所", Kind.TEXT, 14)
NUMBER_COLUMN = Column("序号", Kind.NUMBER, 5)


@dataclass(frozen=True)
class LedgerKind:
    code: str
    name: str  # the ledger's Chinese name: title row, sheet tab, file name
    columns: tuple[Column, ...]
    note: str = ""
    file_base: str = ""  # the file name's stem before the period, when not the name

    def name_for(self, whole_year: bool) -> str:
        """The league of a whole year is the 年度晒绩表, as the 台账统计 page calls it."""
        return self.name.replace(MONTHLY, YEARLY) if whole_year else self.name


T, L, D, N, P = Kind.TEXT, Kind.LONG_TEXT, Kind.DATE, Kind.NUMBER, Kind.PERCENT

RATE_NOTE = ("说明：按期整改率 = 按期整改 ÷（按期整改 + 逾期整改 + 逾期未整改）；整改期限未到的建议书不计入。"
             "整改情况以统计期末（当期未结束时为今日）为准。排名按按期整改率从高到低，相同时逾期未整改少者在前；"
             "没有可评价建议书的单位不排名。")

# Widths are ceilings in Excel's character units (a CJK character is two): the longest texts wrap, so that a ledger
# printed on A4 landscape at fit-to-width stays at a readable size (about 75 % for the matters ledger).
LEDGERS = {
    "matters": LedgerKind("matters", "监督事项台账", (
        NUMBER_COLUMN, Column("登记编号", T, 19), Column("受理日期", D), Column("来源", L, 12),
        Column("来源编号", T, 17), Column("事项名称", L, 20), Column("被监督单位", L, 16),
        Column("监督内容类别", L, 14), Column("事项类型", T, 10), Column("状态", T, 10), Column("承办人", T, 8),
        Column("投诉人", T, 15), Column("整改期限", D), Column("办结日期", D))),
    "documents": LedgerKind("documents", "文书登记簿", (
        NUMBER_COLUMN, Column("文书种类", L, 18), Column("文号", T, 20), Column("事项名称/标题", L, 26),
        Column("事项登记编号", T, 19), Column("成文日期", D), Column("状态", T, 8), Column("作废理由", L, 18),
        Column("签发人", T, 8), Column("送达日期", D), Column("送达方式", T, 10), Column("受送达人", T, 10))),
    "advices": LedgerKind("advices", "建议书制发及整改落实情况表", (
        NUMBER_COLUMN, Column("事项登记编号", T, 19), Column("事项名称", L, 24), Column("建议书文号", T, 20),
        Column("制发日期", D), Column("被监督单位", L, 18), Column("送达日期", D), Column("整改期限", D),
        Column("期限为推算", T, 8), Column("整改完成日期", D), Column("整改情况", T, 12), Column("提请司法局日期", D)),
        "说明：整改情况以统计期末（当期未结束时为今日）为准；“期限为推算”表示整改期限落在尚未导入国务院节假日安排的年份，"
        "导入后可能调整。整改期限自送达之日起算的建议书，送达前整改期限为空。"),
    "league": LedgerKind("league", "月度晒绩表", (
        Column("排名", N, 6), Column("被监督单位", L, 30), Column("收到建议书", N, 10), Column("按期整改", N, 10),
        Column("逾期整改", N, 10), Column("逾期未整改", N, 10), Column("整改期限未到", N, 12),
        Column("提请司法局", N, 10), Column("按期整改率", P, 10)), RATE_NOTE),
    "obligations": LedgerKind("obligations", "时限登记簿", (
        NUMBER_COLUMN, Column("事项登记编号", T, 19), Column("时限事项", L, 32), Column("类型", L, 14),
        Column("起算日", D), Column("到期日", D), Column("日期为推算", T, 8), Column("完成日期", D),
        Column("状态", T, 10), Column("备注", L, 18)),
        "说明：状态以导出之日为准。“日期为推算”表示到期日落在尚未导入国务院节假日安排的年份，导入后可能调整。"),
    "reviews": LedgerKind("reviews", "案卷评查情况表", (
        NUMBER_COLUMN, Column("评查批次", L, 18), Column("被评查单位", L, 18), Column("案卷编号", T, 20),
        Column("案件名称", L, 20), Column("得分", N, 6), Column("等次", T, 7), Column("发现的问题", L, 28),
        Column("评查日期", D), Column("登记事项编号", T, 19)),
        "说明：列出本期评查（打分）的案卷；样本由评查批次记录的随机种子抽取，可用“hecun-office review sample”复核。"),
    "meetings": LedgerKind("meetings", "联席会议议定事项落实情况表", (
        NUMBER_COLUMN, Column("会议日期", D), Column("会议名称", L, 20), Column("议定事项", L, 30),
        Column("责任单位", L, 16), Column("完成时限", D), Column("完成日期", D), Column("落实情况", T, 10),
        Column("备注", L, 16)),
        "说明：列出本期召开的联席会议的议定事项；落实情况以统计期末（当期未结束时为今日）为准。"),
    "certificates": LedgerKind("certificates", "执法人员持证情况表", (
        NUMBER_COLUMN, Column("所在单位", L, 20), Column("姓名", T, 8), Column("执法证号", T, 14),
        Column("证件类型", T, 12), Column("身份证号码", T, 20), Column("发证日期", D), Column("有效期至", D),
        Column("持证情况", T, 12), Column("登记事项编号", T, 19)),
        "说明：持证情况以统计期末（当期未结束时为今日）为准：有效期至在其后 60 天内的为“即将到期”。身份证号码已部分隐藏。"),
    "supervisors": LedgerKind("supervisors", "法治监督员名册", (
        NUMBER_COLUMN, Column("姓名", T, 8), Column("类别", T, 10), Column("工作单位", L, 20),
        Column("聘任日期", D), Column("任期届满", D), Column("本期参与活动（次）", N, 10),
        Column("本期反映问题（件）", N, 10)),
        "说明：列出统计期内在任的法治监督员；联系方式不列入名册。"),
}

# The league of 司法所 at the bureau: one row per township instead of per unit.
LEAGUE_BY_OFFICE = LedgerKind("league", "各司法所月度晒绩表", (
    Column("排名", N, 6), Column("司法所", T, 16)) + LEDGERS["league"].columns[2:], RATE_NOTE, "月度晒绩表_司法所")


def columns_for(kind: LedgerKind, bureau: bool) -> tuple[Column, ...]:
    """At the bureau the same ledger over every township, with the 司法所 first."""
    if not bureau or kind is LEAGUE_BY_OFFICE:
        return kind.columns
    return (OFFICE_COLUMN,) + kind.columns


def file_name(kind: LedgerKind, period_label: str, whole_year: bool = False) -> str:
    """监督事项台账_2026年3月.xlsx; the league of 司法所 is 月度晒绩表_司法所_2026年3月.xlsx (beside the other), and of
    a whole year 年度晒绩表_2026年.xlsx."""
    base = kind.file_base or kind.name
    return f"{base.replace(MONTHLY, YEARLY) if whole_year else base}_{period_label}.xlsx"
