"""D-1: a form plus values gives a DocumentSpec — defaults from the context, headings, dates, checked values.
And every shipped form renders (once the GB/T 9704 layout exists) with short and with long content."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hecun_office.documents.compose import (
    DRAFT_WATERMARK,
    compose,
    field_values,
    format_date,
    heading_level,
    paragraphs,
    validate_values,
)
from hecun_office.documents.forms import FieldType, FormDef, load_forms
from hecun_office.documents.model import HeadingLevel, LayoutKind
from hecun_office.domain.errors import ValidationError
from hecun_office.services.setup import default_profile

FORMS = load_forms()
OFFICE = {"name": "贺村司法所", "abbr": "贺司", "township": "贺村镇", "county": "江山市", "bureau_name": "江山市司法局",
          "rectification_days": 15}
DAY = date(2026, 3, 5)
FACTS = "经查，该队于2026年2月10日作出处罚决定。\n（一）未告知陈述申辩权\n　　当事人未被告知。\n\n（二）未听取意见\n1.未制作笔录\n（1）无签名"


def context(**matter: Any) -> dict[str, Any]:
    base = {"unit": "贺村镇综合行政执法队", "title": "占道经营处罚未告知陈述申辩权", "facts": FACTS,
            "legal_basis": "《中华人民共和国行政处罚法》第四十四条", "handler": "王晓燕",
            "units": ["贺村镇综合行政执法队", "贺村镇人民政府"], "received_on": date(2026, 2, 12),
            "rectification_deadline": date(2026, 3, 20), "reg_no": "贺监登〔2026〕12号", "source": "日常监督",
            "category": "具体行政行为的合法性", "timeline": "2026年2月12日登记。\n2026年2月20日制发建议书。"}
    base.update(matter)
    return {"office": OFFICE, "matter": base, "today": DAY,
            "related": {"title": "行政执法协调监督建议书", "number": "贺司建〔2026〕3号", "date": date(2026, 2, 20),
                        "issuer": "贺村司法所"}}


def advice_values(**given: Any) -> dict[str, Any]:
    return field_values(FORMS["supervision_advice"], context(), given)


# -- formatting and headings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "text"), [(date(2026, 3, 5), "2026年3月5日"), (date(2026, 11, 21), "2026年11月21日"),
                                           (date(2027, 1, 1), "2027年1月1日"), (date(2026, 10, 10), "2026年10月10日")])
def test_dates_have_no_leading_zeros(day: date, text: str) -> None:
    assert format_date(day) == text


@pytest.mark.parametrize(("line", "level"), [
    ("一、发现的问题", HeadingLevel.H1), ("十二、其他", HeadingLevel.H1),
    ("（一）未告知", HeadingLevel.H2), ("(二)未听取", HeadingLevel.H2),
    ("1.未制作笔录", HeadingLevel.H3), ("12．其他", HeadingLevel.H3),
    ("（1）无签名", HeadingLevel.H4), ("(2)无日期", HeadingLevel.H4),
    ("1.5米宽的通道被占用", HeadingLevel.BODY), ("2026年2月10日，执法队……", HeadingLevel.BODY),
    ("经查，一、二楼均有占道", HeadingLevel.BODY), ("特此报告。", HeadingLevel.BODY),
])
def test_heading_detection(line: str, level: HeadingLevel) -> None:
    assert heading_level(line) is level


def test_paragraphs_drop_blank_lines_and_indentation() -> None:
    result = paragraphs(FACTS)
    assert [p.level for p in result] == [HeadingLevel.BODY, HeadingLevel.H2, HeadingLevel.BODY, HeadingLevel.H2,
                                         HeadingLevel.H3, HeadingLevel.H4]
    assert result[2].text == "当事人未被告知。"


# -- defaults --------------------------------------------------------------------------------------------------


def test_defaults_come_from_the_context() -> None:
    values = advice_values()
    assert values["unit"] == "贺村镇综合行政执法队"
    assert values["facts"] == FACTS
    assert values["rectification_days"] == 15  # office.rectification_days
    assert values["report_workdays"] == 3  # literal default in the form
    assert values["contact"] == "王晓燕"
    assert values["evidence"] is None


def test_defaults_are_shaped_for_the_field() -> None:
    register = field_values(FORMS["matter_register"], context(), {})
    assert register["units"] == "贺村镇综合行政执法队、贺村镇人民政府"  # a list joined for a text field
    assert register["received_on"] == date(2026, 2, 12)  # a date stays a date
    reminder = field_values(FORMS["rectification_reminder"], context(), {})
    assert reminder["advice_number"] == "贺司建〔2026〕3号" and reminder["advice_date"] == date(2026, 2, 20)
    periodic = field_values(FORMS["periodic_report"], {"office": OFFICE, "today": DAY}, {})
    assert periodic["filled_on"] == DAY and periodic["matters_received"] is None


def test_profile_objects_work_as_context_and_office() -> None:
    profile = default_profile()
    values = field_values(FORMS["supervision_advice"], {"office": profile, "matter": context()["matter"]}, {})
    assert values["rectification_days"] == profile.rectification_days
    spec = compose(FORMS["supervision_advice"], values, profile, date=DAY, draft=False)
    assert spec.issuer == profile.name and spec.cc == [profile.bureau_name]


def test_a_list_default_takes_the_first_alternative_with_a_value() -> None:
    form = FORMS["supervision_advice"]
    assert field_values(form, context())["advice"].startswith("请你单位依法纠正")
    assert field_values(form, context(advice_text="  "))["advice"].startswith("请你单位依法纠正")
    assert field_values(form, context(advice_text="请依法履行告知义务。"))["advice"] == "请依法履行告知义务。"


def test_given_values_win_and_missing_context_leaves_fields_empty() -> None:
    values = field_values(FORMS["supervision_advice"], {"office": OFFICE}, {"unit": "贺村派出所"})
    assert values["unit"] == "贺村派出所" and values["facts"] is None and values["rectification_days"] == 15


# -- validation ------------------------------------------------------------------------------------------------


def test_validate_parses_types() -> None:
    form = FORMS["service_receipt"]
    clean = validate_values(form, {"document_title": "行政执法协调监督建议书", "addressee": "贺村派出所",
                                   "served_on": "2026-03-05", "method": "直接送达"})
    assert clean["served_on"] == date(2026, 3, 5) and clean["place"] == "" and clean["method"] == "直接送达"
    clean = validate_values(FORMS["supervision_advice"], {**advice_values(), "rectification_days": "20"})
    assert clean["rectification_days"] == 20 and clean["evidence"] == ""
    assert validate_values(form, {"document_title": "x", "addressee": "y", "served_on": DAY})["served_on"] == DAY


@pytest.mark.parametrize(("changes", "field", "fragment"), [
    ({"facts": ""}, "facts", "请填写“发现的问题”。"),
    ({"unit": None}, "unit", "请填写“被监督单位”。"),
    ({"rectification_days": "十五"}, "rectification_days", "应为整数"),
    ({"rectification_days": 2.5}, "rectification_days", "应为整数"),
    ({"rectification_days": True}, "rectification_days", "应为整数"),
    ({"rectification_days": 0}, "rectification_days", "应在 1 到 365 之间"),
    ({"title": "长" * 81}, "title", "不能超过 80 字"),
    ({"title": ["a"]}, "title", "应为文字"),
    ({"colour": "red"}, "colour", "没有字段 colour"),
])
def test_invalid_values_name_the_field(changes: dict[str, Any], field: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_values(FORMS["supervision_advice"], {**advice_values(), **changes})
    assert exc.value.field == field
    assert fragment in str(exc.value), str(exc.value)
    assert f"（{field}）" not in str(exc.value)  # the clerk's editor shows labels, not field ids (issue 11 item 13)


@pytest.mark.parametrize(("value", "fragment"), [("2026-02-30", "“送达时间”“2026-02-30”不是有效日期"),
                                                 ("2026/3/5", "“送达时间”应为日期，格式 YYYY-MM-DD"),
                                                 ("20260305", "“送达时间”应为日期，格式 YYYY-MM-DD")])
def test_invalid_dates(value: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_values(FORMS["service_receipt"], {"document_title": "x", "addressee": "y", "served_on": value})
    assert exc.value.field == "served_on" and fragment in str(exc.value)


def test_choices_are_enforced() -> None:
    with pytest.raises(ValidationError, match="直接送达、邮寄送达、留置送达、电子送达") as exc:
        validate_values(FORMS["service_receipt"], {"document_title": "x", "addressee": "y", "method": "快递"})
    assert exc.value.field == "method"


# -- composition -----------------------------------------------------------------------------------------------


def test_advice_document() -> None:
    spec = compose(FORMS["supervision_advice"], advice_values(evidence="1.现场照片\n2．询问笔录\n"), OFFICE,
                   number="", date=DAY, draft=True)
    assert spec.layout is LayoutKind.DOCUMENT and spec.masthead_suffix == "文件"
    assert spec.title == "行政执法协调监督建议书" and spec.recipient == "贺村镇综合行政执法队"
    assert spec.issuer == "贺村司法所" and spec.signature == "贺村司法所"
    assert spec.date_text == "2026年3月5日" and spec.watermark == DRAFT_WATERMARK == "样稿"
    assert spec.attachments == ["现场照片", "询问笔录"]  # the layout numbers them
    assert spec.cc == ["江山市司法局"]  # the empty 其他抄送单位 leaves nothing behind
    assert spec.note == "（联系人：王晓燕）"
    levels = [(p.level, p.text) for p in spec.body]
    assert (HeadingLevel.H1, "一、发现的问题") in levels and (HeadingLevel.H2, "（一）未告知陈述申辩权") in levels
    assert (HeadingLevel.H3, "1.未制作笔录") in levels and (HeadingLevel.H4, "（1）无签名") in levels
    assert levels[0][0] is HeadingLevel.BODY and "贺村司法所在行政执法协调监督工作中" in levels[0][1]
    text = "".join(p.text for p in spec.body)
    assert "自收到本建议书之日起15日内整改落实" in text and "在3个工作日内向江山市司法局报告" in text
    assert "{" not in spec.all_text()


def test_issued_document_carries_number_and_no_watermark() -> None:
    spec = compose(FORMS["supervision_advice"], advice_values(), OFFICE, number="贺司建〔2026〕3号", date=DAY,
                   draft=False, preprinted=True)
    assert spec.number == "贺司建〔2026〕3号" and spec.watermark == "" and spec.preprinted
    assert spec.printed_by == "贺村司法所" and spec.printed_date_text == "2026年3月5日"


def test_report_letter_and_minutes_layouts() -> None:
    report = compose(FORMS["escalation_report"], field_values(FORMS["escalation_report"], context(), {"signer": "李明"}),
                     OFFICE, date=DAY, draft=True)
    assert report.layout is LayoutKind.REPORT and report.signer == "李明" and report.recipient == "江山市司法局"
    assert report.attachments == ["《行政执法协调监督建议书》（贺司建〔2026〕3号）"]
    assert report.body[-1].text == "特此报告。"
    assert any("2026年2月20日制发建议书。" == p.text for p in report.body)  # matter.timeline split into paragraphs
    letter = compose(FORMS["assistance_request"],
                     field_values(FORMS["assistance_request"], context(), {"questions": "1.是否属于……\n2.如何……"}),
                     OFFICE, date=DAY, draft=True)
    assert letter.layout is LayoutKind.LETTER and letter.masthead_suffix == "" and letter.printed_by == ""
    assert letter.recipient == "江山市司法局" and "3个工作日内予以反馈" in letter.body[-1].text
    minutes = compose(FORMS["meeting_minutes"], field_values(FORMS["meeting_minutes"], context(), {
        "place": "贺村镇人民政府三楼会议室", "chair": "市司法局副局长张某某", "participants": "贺村镇人民政府、贺村司法所",
        "decisions": "一、建立月度会商制度。\n二、……", "attendees": "张某某、李某某"}), OFFICE, date=DAY, draft=True)
    assert minutes.title == "县乡两级行政执法监督机构联席会议纪要" and minutes.masthead_suffix == "会议纪要"
    assert minutes.body[0].text.startswith("2026年3月5日，江山市司法局在贺村镇人民政府三楼会议室召开")
    assert minutes.body[-1].text == "出席：张某某、李某某"  # the empty 列席 line is left out
    assert minutes.cc == []


def test_table_form() -> None:
    form = FORMS["service_receipt"]
    spec = compose(form, field_values(form, context(), {}), OFFICE, date=DAY, draft=True)
    assert spec.layout is LayoutKind.TABLE and spec.table is not None and spec.date_text == ""
    cells = {row[0].text: row[1] for row in spec.table.rows}
    assert cells["送达文书名称及文号"].text == "行政执法协调监督建议书\n贺司建〔2026〕3号"
    assert cells["受送达人"].text == "贺村镇综合行政执法队"
    assert cells["送达时间"].text == "　　　　年　　月　　日"  # blank left for handwriting
    assert cells["收件人签名或盖章"].min_lines >= 3 and cells["收件人签名或盖章"].text == ""
    assert spec.table.rows[0][0].label and not spec.table.rows[0][1].label
    assert len(spec.table.columns) == 4
    served = compose(form, field_values(form, context(), {"served_on": "2026-03-06", "method": "留置送达"}), OFFICE,
                     date=DAY, draft=True)
    assert served.table is not None
    cells = {row[0].text: row[1] for row in served.table.rows}
    assert cells["送达时间"].text == "2026年3月6日" and cells["送达方式"].text == "留置送达"
    no_number = compose(form, field_values(form, {"office": OFFICE}, {"document_title": "整改督办函",
                                                                      "addressee": "贺村派出所"}),
                        OFFICE, date=DAY, draft=True)
    assert no_number.table is not None and no_number.table.rows[1][1].text == "整改督办函"


def test_compose_is_pure() -> None:
    code = ("import sys, hecun_office.documents.compose, hecun_office.documents.forms;"
            "bad = [m for m in sys.modules if m.split('.')[0] in {'sqlalchemy', 'PySide6', 'reportlab'}];"
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


# -- every form, short and long --------------------------------------------------------------------------------


def _sample_values(form: FormDef, long: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in form.fields:
        if f.type is FieldType.TEXT:
            text = (f.label * 40)[: f.max_length or 40] if long else f.label[:10]
        elif f.type is FieldType.LONG_TEXT:
            if long:
                block = ("一、" + f.label + "\n" + "经查，" + "相关情况属实，" * 30 + "\n（一）具体情形\n1.第一项\n（1）细节" * 1
                         + "\n")
                text = (block * 20)[: f.max_length or 2000]
            else:
                text = f.label + "。"
        elif f.type is FieldType.DATE:
            values[f.name] = "2026-03-05"
            continue
        elif f.type is FieldType.NUMBER:
            values[f.name] = f.minimum if f.minimum is not None and f.minimum > 3 else 3
            continue
        else:
            text = f.choices[-1 if long else 0]
        values[f.name] = text
    return values


@pytest.mark.parametrize("long", [False, True], ids=["short", "long"])
@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_every_form_composes_and_renders(form_id: str, long: bool, tmp_path: Path) -> None:
    form = FORMS[form_id]
    values = _sample_values(form, long)
    spec = compose(form, values, OFFICE, date=DAY, draft=True)
    assert spec.title and "{" not in spec.all_text().replace("{{", "")
    assert (spec.table is not None) == (form.layout is LayoutKind.TABLE)
    gbt9704 = pytest.importorskip("hecun_office.documents.gbt9704")
    pdf = gbt9704.render_pdf(spec)
    assert pdf.startswith(b"%PDF")
    (tmp_path / f"{form_id}.pdf").write_bytes(pdf)
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(tmp_path / f"{form_id}.pdf")
    assert len(reader.pages) >= 1
    if long and form.layout is not LayoutKind.TABLE:
        assert len(reader.pages) >= 2  # long text flows to further pages


@dataclass
class _Profile:
    name: str = "清湖司法所"
    abbr: str = "清司"
    bureau_name: str = "江山市司法局"


def test_office_can_be_any_object_with_the_profile_attributes() -> None:
    spec = compose(FORMS["clue_transfer"], field_values(FORMS["clue_transfer"], context(), {
        "investigation": "已调取材料。", "materials": "现场照片"}), _Profile(), date=DAY, draft=True)
    assert spec.issuer == "清湖司法所" and spec.body[0].text.startswith("清湖司法所在执法监督活动中，通过日常监督发现")
