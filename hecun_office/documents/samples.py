"""Sample documents in the pilot's own words, for tests, benchmarks and looking at the layout."""

from __future__ import annotations

from .model import Cell, DocumentSpec, HeadingLevel, LayoutKind, Paragraph, TableSpec

ISSUER = "江山市贺村司法所"
H1, H2, H3 = HeadingLevel.H1, HeadingLevel.H2, HeadingLevel.H3


def _p(text: str, level: HeadingLevel = HeadingLevel.BODY) -> Paragraph:
    return Paragraph(text, level)


def two_page_advice(watermark: str = "") -> DocumentSpec:
    """行政执法协调监督建议书 with headings, attachments, 附注 and 版记: two pages."""
    body = [
        _p("根据《浙江省行政执法监督规定》，我所于2026年10月对你队2026年以来办理的农村违法建房查处案件开展了"
           "行政执法监督检查，抽查案卷12件。现将发现的问题和整改建议函告如下："),
        _p("一、发现的问题", H1),
        _p("（一）执法程序不够规范。", H2),
        _p("抽查案卷中，有3件案件现场检查笔录未载明执法人员执法证件号码，有2件案件责令限期改正通知书送达后未制作"
           "送达回证，有1件案件立案审批时间晚于调查取证时间，不符合《中华人民共和国行政处罚法》第五十五条的规定。"),
        _p("（二）法律适用不够准确。", H2),
        _p("有2件案件行政处罚决定书仅列明法律名称，未列明具体条、款、项；有1件案件未说明自由裁量理由。"),
        _p("二、整改建议", H1),
        _p("1．对照问题清单逐件整改。对程序瑕疵能够补正的及时补正，不能补正的在案卷中作出书面说明。", H3),
        _p("2．规范法律文书制作。援引法律依据应当具体到条、款、项，自由裁量应当说明理由。", H3),
        _p("请你队自收到本建议书之日起15个工作日内完成整改，并将整改情况书面反馈我所。"),
    ]
    return DocumentSpec(
        layout=LayoutKind.DOCUMENT, title="江山市贺村司法所关于规范农村违法建房查处程序的行政执法协调监督建议书",
        issuer=ISSUER, number="贺司建〔2026〕3号", recipient="江山市贺村镇综合行政执法队", body=body,
        attachments=["行政执法案卷评查问题清单", "行政执法监督检查抽查案卷目录"], signature=ISSUER,
        date_text="2026年11月21日", note="（联系人：王晓燕，联系电话：0570-4567890）",
        cc=["江山市司法局", "贺村镇人民政府"], printed_by=ISSUER, printed_date_text="2026年11月21日印发",
        watermark=watermark)


def one_page_report() -> DocumentSpec:
    """上行文 with 签发人 on the number line."""
    return DocumentSpec(
        layout=LayoutKind.REPORT, title="关于提请制发《行政执法监督通知书》的报告", issuer=ISSUER,
        number="贺司报〔2026〕2号", signer="王建国", recipient="江山市司法局",
        body=[_p("2026年9月15日，我所向贺村镇综合行政执法队制发《行政执法协调监督建议书》（贺司建〔2026〕3号），"
                 "该队逾期未整改。现提请你局制发《行政执法监督通知书》。")],
        signature=ISSUER, date_text="2026年11月21日", printed_by=ISSUER, printed_date_text="2026年11月21日印发")


def assistance_letter() -> DocumentSpec:
    """信函格式: 行政执法协作函."""
    return DocumentSpec(
        layout=LayoutKind.LETTER, title="关于协助核查贺村镇淤头村违法占地线索的函", issuer=ISSUER,
        masthead_suffix="", number="贺司函〔2026〕5号", recipient="江山市自然资源和规划局贺村自然资源所",
        body=[_p("我所在开展行政执法协调监督工作中发现，贺村镇淤头村有村民未经批准占用耕地建设养殖用房，占地面积约"
                 "300平方米。根据《浙江省行政执法监督规定》有关规定，请你所协助核查该线索，并于2026年12月5日前将"
                 "核查结果函告我所。"),
              _p("特此函告。")],
        signature=ISSUER, date_text="2026年11月21日", note="（联系人：王晓燕，联系电话：0570-4567890）",
        cc=["江山市司法局"])


def service_receipt() -> DocumentSpec:
    """表格文书: 送达回证."""
    label = {"label": True}
    rows = [
        [Cell("送达文书", **label), Cell("行政执法协调监督建议书（贺司建〔2026〕3号）", span=3)],
        [Cell("受送达人", **label), Cell("江山市贺村镇综合行政执法队", span=3)],
        [Cell("送达地点", **label), Cell("江山市贺村镇贺村大道1号", span=3)],
        [Cell("送达方式", **label), Cell("直接送达", span=3)],
        [Cell("受送达人\n签名或者盖章", **label), Cell("", span=3, min_lines=4)],
        [Cell("送达人", **label), Cell("王晓燕、李明"), Cell("送达日期", **label), Cell("2026年11月21日")],
        [Cell("代收人及\n代收理由", **label), Cell("", span=3, min_lines=2)],
        [Cell("备注", **label), Cell("", span=3, min_lines=2)],
    ]
    return DocumentSpec(layout=LayoutKind.TABLE, title="送达回证", issuer=ISSUER,
                        table=TableSpec(columns=[1.3, 1.6, 1.0, 1.6], rows=rows))


def long_summary(sections: int = 4) -> DocumentSpec:
    """年度工作总结 running to about five pages."""
    body = [_p("2026年，我所在市司法局和镇党委、政府的领导下，围绕乡镇行政执法协调监督试点任务，建立健全监督工作"
               "机制，推动镇域行政执法规范化建设。现将全年工作总结如下：")]
    numerals = "一二三四五六七八九十"
    for s in range(sections):
        body.append(_p(f"{numerals[s]}、第{numerals[s]}方面工作情况", H1))
        for k in range(2):
            body.append(_p(f"（{numerals[k]}）围绕重点领域开展专项监督。", H2))
            body.append(_p("全年共受理行政执法监督事项24件，其中投诉举报转办8件、日常检查发现11件、上级交办5件，"
                           "已办结21件，办结率87.5%。对农村建房、环境卫生、市场监管等领域的执法行为开展专项监督，"
                           "制发《行政执法协调监督建议书》6份，相关单位均已按期反馈整改情况。"))
            body.append(_p("在监督过程中，我所坚持问题导向，对发现的共性问题及时归纳分析，形成问题清单和整改建议，"
                           "并通过联席会议通报，推动执法单位举一反三、建章立制，行政执法质量明显提升。"))
    return DocumentSpec(
        layout=LayoutKind.DOCUMENT, title="江山市贺村司法所2026年度行政执法协调监督工作总结", issuer=ISSUER,
        number="贺司〔2026〕9号", recipient="江山市司法局", body=body, signature=ISSUER,
        date_text="2026年12月28日", cc=["贺村镇人民政府"], printed_by=ISSUER, printed_date_text="2026年12月28日印发")
