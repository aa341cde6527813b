"""D-1, D-2, D-3: the shipped forms load; a broken form file is refused with its file and key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from hecun_office.documents.forms import (
    CONTEXT_PATHS,
    FieldType,
    FormError,
    Side,
    load_form,
    load_forms,
    number_for,
    number_pattern_problem,
    placeholders,
)
from hecun_office.documents.model import LayoutKind
from hecun_office.domain.errors import HecunError
from hecun_office.paths import forms_dir

OFFICE_FORMS = {
    "supervision_advice": "行政执法协调监督建议书",
    "rectification_reminder": "整改督办函",
    "escalation_report": "关于提请制发《行政执法监督通知书》的报告",
    "assistance_request": "行政执法协作函",
    "clue_transfer": "违法线索移送函",
    "service_receipt": "送达回证",
    "matter_register": "行政执法监督事项登记表",
    "periodic_report": "行政执法协调监督工作情况报送表",
    "annual_summary": "年度行政执法监督工作总结",
    "meeting_minutes": "联席会议纪要",
    "review_report": "行政执法案卷评查情况报告",
}
BUREAU_FORMS = {"supervision_notice": "行政执法监督通知书", "assistance_reply": "执法协作反馈函"}

# The smallest valid form; each broken case below changes one thing.
MINIMAL = '''\
id = "sample"
name = "样例函"
side = "office"
layout = "letter"
number_pattern = "{abbr}样〔{year}〕{n}号"
recipient = "{unit}"
signature = "{office.name}"
attachments = ["{evidence}"]

[[fields]]
name = "unit"
label = "被监督单位"
type = "text"
required = true
default = "matter.unit"

[[fields]]
name = "facts"
label = "发现的问题"
type = "long_text"
default = "matter.facts"

[[fields]]
name = "evidence"
label = "附件"
type = "long_text"

[body]
title = "样例函"
template = """
一、基本情况
{facts}
"""
'''

TABLE = '''\
id = "sample"
name = "样例表"
side = "office"
layout = "table"

[[fields]]
name = "addressee"
label = "受送达人"
type = "text"

[body]
title = "样例表"

[table]
columns = [1, 3]
rows = [
  [{ label = "受送达人" }, { text = "{addressee}", min_lines = 2 }],
]
'''


def write(tmp_path: Path, text: str, name: str = "sample") -> Path:
    folder = tmp_path / "forms"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str, name: str = "sample") -> FormError:
    write(tmp_path, text, name)
    with pytest.raises(FormError) as exc:
        load_forms(tmp_path / "forms")
    return exc.value


# -- the shipped forms ---------------------------------------------------------------------------------------


def test_every_form_of_d2_ships_and_loads() -> None:
    forms = load_forms()
    assert {f: forms[f].name for f in OFFICE_FORMS} == OFFICE_FORMS
    assert {f: forms[f].name for f in BUREAU_FORMS} == BUREAU_FORMS
    assert set(forms) == set(OFFICE_FORMS) | set(BUREAU_FORMS)
    assert all(forms[f].side is Side.BUREAU for f in BUREAU_FORMS)
    assert all(forms[f].side is Side.OFFICE for f in OFFICE_FORMS)
    assert load_forms(forms_dir()).keys() == forms.keys()


def test_shipped_layouts_and_number_series() -> None:
    forms = load_forms()
    layouts = {f.id: f.layout for f in forms.values()}
    assert layouts["supervision_advice"] is LayoutKind.DOCUMENT
    assert layouts["escalation_report"] is LayoutKind.REPORT and layouts["annual_summary"] is LayoutKind.REPORT
    assert all(layouts[f] is LayoutKind.LETTER for f in ("rectification_reminder", "assistance_request", "clue_transfer",
                                                          "assistance_reply"))
    assert all(layouts[f] is LayoutKind.TABLE for f in ("service_receipt", "matter_register", "periodic_report"))
    assert forms["supervision_advice"].number_pattern == "{abbr}建〔{year}〕{n}号"
    assert forms["escalation_report"].number_pattern == "{abbr}报〔{year}〕{n}号"
    assert forms["assistance_request"].number_pattern == "{abbr}函〔{year}〕{n}号"
    for f in forms.values():
        if f.layout is not LayoutKind.TABLE:
            assert f.number_pattern and number_pattern_problem(f.number_pattern) is None, f.id
    # report layouts carry 签发人 (GB/T 9704 7.2.4)
    assert all(f.signer for f in forms.values() if f.layout is LayoutKind.REPORT)


def test_rectification_flags() -> None:
    forms = load_forms()
    for form_id in ("supervision_advice", "rectification_reminder"):
        form = forms[form_id]
        assert form.rectification and form.deadline_from_service
        assert form.field("rectification_days").type is FieldType.NUMBER
    assert forms["supervision_advice"].field("rectification_days").default == "office.rectification_days"
    assert not forms["escalation_report"].rectification and not forms["service_receipt"].deadline_from_service


def test_service_receipt_has_the_cells_of_d8() -> None:
    receipt = load_forms()["service_receipt"]
    assert receipt.table is not None
    labels = [c.text for row in receipt.table.rows for c in row if c.label]
    for label in ("送达文书名称及文号", "受送达人", "送达地点", "送达方式", "收件人签名或盖章", "送达时间", "送达人", "见证人", "备注"):
        assert label in labels
    signature_row = next(row for row in receipt.table.rows if row[0].text == "收件人签名或盖章")
    assert signature_row[1].min_lines >= 3  # room for a hand-written signature or a seal
    assert receipt.field("method").choices == ("直接送达", "邮寄送达", "留置送达", "电子送达")


def test_defaults_name_known_context_paths_and_wording_uses_the_pilot_plan() -> None:
    forms = load_forms()
    for form in forms.values():
        for field in form.fields:
            for alternative in field.alternatives:
                if isinstance(alternative, str) and "." in alternative and alternative.isascii():
                    assert alternative in CONTEXT_PATHS, (form.id, field.name)
                elif isinstance(alternative, str):
                    assert "{" not in alternative
    assert forms["supervision_advice"].field("advice").alternatives[0] == "matter.advice_text"
    assert "整改落实" in forms["supervision_advice"].template
    assert "依法制发《行政执法监督通知书》" in forms["escalation_report"].template
    assert "3" not in forms["supervision_advice"].template  # the 3-working-day period is a field, not fixed text


# -- broken files ----------------------------------------------------------------------------------------------


def test_minimal_forms_load(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL)
    assert load_forms(tmp_path / "forms")["sample"].name == "样例函"
    path = write(tmp_path, TABLE, "table_sample")
    with pytest.raises(FormError, match="应与文件名一致"):
        load_form(path)


def test_type_error_names_file_and_field_exactly(tmp_path: Path) -> None:
    error = refused(tmp_path, MINIMAL.replace('type = "long_text"\ndefault = "matter.facts"',
                                              'type = "textt"\ndefault = "matter.facts"'))
    assert str(error) == ("forms/sample.toml：字段 fields[1].type 的值 “textt” 无效，"
                          "应为 text、long_text、date、number、choice 之一。")
    assert isinstance(error, HecunError) and error.file == "forms/sample.toml" and error.field == "fields[1].type"


def test_toml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    error = refused(tmp_path, MINIMAL.replace('name = "样例函"', 'name = "样例函'))
    assert str(error).startswith("forms/sample.toml：第 2 行")
    assert "TOML 语法错误" in str(error)


@pytest.mark.parametrize(("old", "new", "fragments"), [
    ('side = "office"', 'side = "office"\ncolour = "red"', ["字段 colour ", "未知的键"]),
    ('label = "附件"', 'lable = "附件"', ["字段 fields[2].lable ", "未知的键"]),
    ('name = "样例函"\n', "", ["缺少必填的键 name"]),
    ('label = "发现的问题"\n', "", ["缺少必填的键 fields[1].label"]),
    ('side = "office"', 'side = "county"', ["字段 side ", "office、bureau"]),
    ('layout = "letter"', 'layout = "memo"', ["字段 layout ", "document、report、letter、table"]),
    ('name = "evidence"', 'name = "unit"', ["字段 fields[2].name ", "与 fields[0] 重复"]),
    ('name = "evidence"', 'name = "date"', ["字段 fields[2].name ", "保留名称"]),
    ('required = true', 'required = "yes"', ["字段 fields[0].required ", "true 或 false"]),
    ("{facts}\n", "{factz}\n", ["字段 body.template ", "{factz}"]),
    ('title = "样例函"', 'title = "关于{subject}的函"', ["字段 body.title ", "{subject}"]),
    ('recipient = "{unit}"', 'recipient = "{office.nam}"', ["字段 recipient ", "{office.nam}"]),
    ('attachments = ["{evidence}"]', 'attachments = ["{evidense}"]', ["字段 attachments[0] ", "{evidense}"]),
    ('recipient = "{unit}"', 'recipient = "{unit"', ["字段 recipient ", "不成对的花括号"]),
    ('default = "matter.facts"', 'default = "matter.factz"', ["字段 fields[1].default ", "不是可用的数据来源"]),
    ('default = "matter.facts"', 'default = "见{unit}"', ["字段 fields[1].default ", "含占位符"]),
    ('default = "matter.facts"', 'default = []', ["字段 fields[1].default ", "空列表"]),
    ('default = "matter.facts"', 'default = ["matter.facts", "matter.factz"]', ["字段 fields[1].default[1] "]),
    ('default = "matter.unit"', 'default = ["matter.unit", 3]', ["字段 fields[0].default[1] ", "应为文字"]),
    ('type = "text"\nrequired', 'type = "choice"\nrequired', ["字段 fields[0].choices ", "可选项"]),
    ('type = "text"\nrequired', 'type = "number"\nmax_length = 5\nrequired', ["字段 fields[0].max_length "]),
    ('layout = "letter"', 'layout = "letter"\nsigner = "{unit}"', ["字段 signer ", "report"]),
    ('layout = "letter"', 'layout = "letter"\nrectification = true', ["字段 rectification ", "rectification_days"]),
    ('layout = "letter"', 'layout = "letter"\ndeadline_from_service = true', ["字段 deadline_from_service "]),
    ('layout = "letter"', 'layout = "table"', ["缺少必填的键 table"]),
    ('id = "sample"', 'id = "Sample"', ["字段 id ", "小写英文字母"]),
])
def test_each_kind_of_mistake_names_file_and_field(tmp_path: Path, old: str, new: str, fragments: list[str]) -> None:
    assert old in MINIMAL
    message = str(refused(tmp_path, MINIMAL.replace(old, new, 1)))
    assert message.startswith("forms/sample.toml：")
    for fragment in fragments:
        assert fragment in message, message


@pytest.mark.parametrize(("pattern", "fragment"), [
    ("{abbr}样〔{year}〕号", "{n}"),
    ("{abbr}样{n}号", "{year}"),
    ("{abbr}样[{year}]{n}号", "六角括号"),
    ("{abbr}样（{year}）{n}号", "六角括号"),
    ("{abbr}样〔{year}〕第{n}号", "第"),
    ("{abbr}样〔{year}〕0{n}号", "0"),
    ("{abbr}样〔{year}〕{n:03d}号", "写法不对"),
    ("{unit}样〔{year}〕{n}号", "{unit}"),
])
def test_bad_number_patterns(tmp_path: Path, pattern: str, fragment: str) -> None:
    message = str(refused(tmp_path, MINIMAL.replace("{abbr}样〔{year}〕{n}号", pattern)))
    assert message.startswith("forms/sample.toml：字段 number_pattern ")
    assert fragment in message, message


@pytest.mark.parametrize(("old", "new", "fragments"), [
    ('{ text = "{addressee}", min_lines = 2 }', '{ text = "{addressee}", span = 2 }',
     ["字段 table.rows[0] ", "跨 3 列，应为 2 列"]),
    ('{ text = "{addressee}", min_lines = 2 }', '{ text = "{adressee}" }', ["字段 table.rows[0][1].text ", "{adressee}"]),
    ('{ label = "受送达人" }', '{ label = "受送达人", text = "x" }', ["字段 table.rows[0][0] ", "恰好有"]),
    ('{ label = "受送达人" }', '{ label = "受送达人", colour = 1 }', ["字段 table.rows[0][0].colour "]),
    ("columns = [1, 3]", "columns = [1, -3]", ["字段 table.columns[1] "]),
    ("min_lines = 2", "min_lines = 0", ["字段 table.rows[0][1].min_lines "]),
])
def test_table_mistakes(tmp_path: Path, old: str, new: str, fragments: list[str]) -> None:
    assert old in TABLE
    message = str(refused(tmp_path, TABLE.replace(old, new, 1)))
    assert message.startswith("forms/sample.toml：")
    for fragment in fragments:
        assert fragment in message, message


def test_table_only_on_table_layout(tmp_path: Path) -> None:
    message = str(refused(tmp_path, MINIMAL + "\n[table]\ncolumns = [1]\nrows = [[{ label = \"x\" }]]\n"))
    assert "字段 table " in message


def test_id_must_match_the_file_name(tmp_path: Path) -> None:
    message = str(refused(tmp_path, MINIMAL, name="other"))
    assert message.startswith("forms/other.toml：字段 id ") and "other" in message


def test_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL, "sample")
    message = str(refused(tmp_path, MINIMAL, name="sample_copy"))
    assert message.startswith("forms/sample_copy.toml：字段 id ")
    assert "forms/sample.toml" in message and "重复" in message


def test_two_forms_with_one_number_pattern_are_refused(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL, "sample")
    message = str(refused(tmp_path, MINIMAL.replace('id = "sample"', 'id = "twin"'), name="twin"))
    assert "字段 number_pattern " in message and "forms/sample.toml" in message


def test_files_that_are_not_toml_are_ignored(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL)
    (tmp_path / "forms" / "README.md").write_text("# notes {broken", encoding="utf-8")
    assert list(load_forms(tmp_path / "forms")) == ["sample"]


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "sample.toml").write_bytes(MINIMAL.encode("gb18030"))
    with pytest.raises(FormError, match="UTF-8"):
        load_forms(folder)


# -- numbering and placeholders ------------------------------------------------------------------------------


@pytest.mark.parametrize(("pattern", "abbr", "year", "n", "expected"), [
    ("{abbr}建〔{year}〕{n}号", "贺司", 2026, 3, "贺司建〔2026〕3号"),
    ("{abbr}报〔{year}〕{n}号", "贺司", 2026, 7, "贺司报〔2026〕7号"),
    ("{abbr}函〔{year}〕{n}号", "贺司", 2027, 1, "贺司函〔2027〕1号"),
    ("{abbr}建〔{year}〕{n}号", "清司", 2026, 10, "清司建〔2026〕10号"),
    ("{abbr}建〔{year}〕{n}号", "贺司", 2026, 123, "贺司建〔2026〕123号"),
])
def test_number_for(pattern: str, abbr: str, year: int, n: int, expected: str) -> None:
    assert number_for(pattern, abbr, year, n) == expected


def test_number_for_never_pads_and_refuses_nonsense() -> None:
    assert "〔2026〕1号" in number_for("{abbr}建〔{year}〕{n}号", "贺司", 2026, 1)
    assert "001" not in number_for("{abbr}建〔{year}〕{n}号", "贺司", 2026, 1)
    with pytest.raises(ValueError):
        number_for("{abbr}建〔{year}〕{n}号", "贺司", 2026, 0)
    with pytest.raises(ValueError):
        number_for("{abbr}建〔{year}〕{n}号", "贺司", 26, 1)
    with pytest.raises(ValueError, match="第"):
        number_for("{abbr}建〔{year}〕第{n}号", "贺司", 2026, 1)
    with pytest.raises(ValueError, match="六角括号"):
        number_for("{abbr}建[{year}]{n}号", "贺司", 2026, 1)


def test_placeholders() -> None:
    assert placeholders("{office.name}于{date}：{{字面}}") == ["office.name", "date"]
    for bad in ("{", "}", "{a b}", "{A}", "{a.b.c}"):
        with pytest.raises(ValueError):
            placeholders(bad)
