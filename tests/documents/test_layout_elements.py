"""D-5 elements read back from the PDF: masthead, number, 签发人, title, headings, 附件, signature and date,
版记, letter format, 套打 and the 样稿 watermark."""

from __future__ import annotations

import dataclasses

import pytest

from hecun_office.documents.fonts import FontSet
from hecun_office.documents.gbt9704 import render_pdf
from hecun_office.documents.model import DocumentSpec, LayoutKind, Paragraph
from hecun_office.documents.samples import assistance_letter

from .conftest import (
    BLOCK_BOTTOM,
    BLOCK_LEFT,
    BLOCK_RIGHT,
    BLOCK_TOP,
    MM,
    TOL,
    Page,
    in_role,
    is_red,
    is_watermark,
)

CELL = (156 * MM - 16) / 27
PITCH = 225 * MM / 22
CENTRE = (BLOCK_LEFT + BLOCK_RIGHT) / 2


def _span(chars) -> tuple[float, float]:
    return min(c["x0"] for c in chars), max(c["x1"] for c in chars)


def _red_lines(page: Page) -> list[dict]:
    return sorted((line for line in page.lines if is_red(line)), key=lambda line: line["top"])


def test_document_masthead_is_red_centred_35mm_into_the_block(sample, fonts: FontSet) -> None:
    spec = sample("advice").spec
    page = sample("advice").view.pages[0]
    red = [c for c in page.chars if is_red(c)]
    assert "".join(c["text"] for c in red) == spec.issuer + "文件"
    assert min(c["top"] for c in red) == pytest.approx(BLOCK_TOP + 35 * MM, abs=0.5)
    left, right = _span(red)
    assert (left + right) / 2 == pytest.approx(CENTRE, abs=0.5) and left >= BLOCK_LEFT and right <= BLOCK_RIGHT
    assert 22 <= red[0]["size"] <= 36 and all(in_role(c, fonts, "小标宋") for c in red)
    (rule,) = _red_lines(page)
    assert (rule["x0"], rule["x1"]) == pytest.approx((BLOCK_LEFT, BLOCK_RIGHT), abs=TOL)


def test_number_appears_once_with_hexagonal_brackets_centred_above_the_red_rule(sample) -> None:
    view = sample("advice").view
    page, chars = view.one("贺司建〔2026〕3号")
    assert page.number == 1 and not view.find("[2026]") and not view.find("第3号")
    left, right = _span(chars)
    assert (left + right) / 2 == pytest.approx(CENTRE, abs=0.5)
    (rule,) = _red_lines(page)
    # pdfplumber reports a stroked line at its centre
    assert rule["top"] - rule["linewidth"] / 2 - max(c["bottom"] for c in chars) == pytest.approx(4 * MM, abs=0.5)


def test_title_is_centred_22pt_two_lines_below_the_red_rule_in_balanced_lines(sample, fonts: FontSet) -> None:
    spec, page = sample("advice").spec, sample("advice").view.pages[0]
    lines = page.text_lines(22)
    assert "".join(text for _, text, _ in lines) == spec.title
    assert [text for _, text, _ in lines] == ["江山市贺村司法所关于", "规范农村违法建房查处程序的", "行政执法协调监督建议书"]
    for _, _, chars in lines:
        left, right = _span(chars)
        assert (left + right) / 2 == pytest.approx(CENTRE, abs=0.5)
        assert all(in_role(c, fonts, "小标宋") for c in chars)
    (rule,) = _red_lines(page)
    gap = lines[0][0] - rule["top"]
    assert 2 * PITCH - 0.5 * PITCH < gap < 2 * PITCH + 0.5 * PITCH
    recipient = next(line for line in page.text_lines(16) if line[1] == spec.recipient + "：")
    assert recipient[2][0]["x0"] == pytest.approx(BLOCK_LEFT, abs=TOL)
    # one blank line between them: two grid lines from slot to slot (each em box is centred in its slot)
    slot = recipient[0] - (PITCH - 16) / 2, lines[-1][0] - (PITCH - 22) / 2
    assert slot[0] - slot[1] == pytest.approx(2 * PITCH, abs=0.01)


def test_headings_use_their_typefaces_and_body_is_indented_two_characters(sample, fonts: FontSet) -> None:
    view = sample("advice").view
    for text, role in [("一、发现的问题", "黑体"), ("（一）执法程序不够规范。", "楷体"), ("1．对照问题清单", "仿宋"),
                       ("抽查案卷中", "仿宋")]:
        _, chars = view.one(text)
        assert all(in_role(c, fonts, role) for c in chars), text
        assert chars[0]["x0"] == pytest.approx(BLOCK_LEFT + 2 * CELL, abs=TOL), text


def test_attachments_one_blank_line_below_the_body_numbered_and_aligned(sample) -> None:
    view = sample("advice").view
    page, label = view.one("附件：1．行政执法案卷评查问题清单")
    _, second = view.one("2．行政执法监督检查抽查案卷目录")
    _, body_end = view.one("整改情况书面反馈我所。")
    assert label[0]["x0"] == pytest.approx(BLOCK_LEFT + 2 * CELL, abs=TOL)
    assert second[0]["x0"] == pytest.approx(label[3]["x0"], abs=TOL)  # 2． under 1．
    assert label[0]["top"] - body_end[0]["top"] == pytest.approx(2 * PITCH, abs=0.5)


def test_signature_centred_over_an_arabic_date_four_characters_from_the_right(sample) -> None:
    view = sample("advice").view
    ((page, date),) = [(p, c) for p, c in view.find("2026年11月21日") if c[0]["size"] == 16]
    _, signature = next((p, c) for p, c in view.find("江山市贺村司法所") if c[0]["top"] > BLOCK_TOP + 10 * PITCH
                        and c[0]["size"] == 16 and p is page)
    assert page.number == len(view.pages)
    assert _span(date)[1] == pytest.approx(BLOCK_RIGHT - 4 * CELL, abs=TOL)
    assert sum(_span(signature)) / 2 == pytest.approx(sum(_span(date)) / 2, abs=0.5)
    assert date[0]["top"] - signature[0]["top"] == pytest.approx(PITCH, abs=0.1)
    _, note = view.one("（联系人：王晓燕，联系电话：0570-4567890）")
    assert note[0]["x0"] == pytest.approx(BLOCK_LEFT + 2 * CELL, abs=TOL)
    assert note[0]["top"] - date[0]["top"] == pytest.approx(PITCH, abs=0.1)


def test_imprint_sits_at_the_foot_of_the_last_page_between_its_rules(sample) -> None:
    view = sample("advice").view
    last = view.pages[-1]
    page, cc = view.one("抄送：江山市司法局，贺村镇人民政府。")
    assert page is last and all(c["size"] == 14 for c in cc)
    assert cc[0]["x0"] == pytest.approx(BLOCK_LEFT + 14, abs=TOL)
    _, printed = view.one("2026年11月21日印发")
    assert _span(printed)[1] == pytest.approx(BLOCK_RIGHT - 14, abs=TOL)
    rules = sorted((ln for ln in last.lines if not is_red(ln)), key=lambda ln: ln["top"])
    assert len(rules) == 3
    assert [round(ln["linewidth"] / MM, 2) for ln in rules] == [0.35, 0.25, 0.35]
    assert rules[-1]["top"] == pytest.approx(BLOCK_BOTTOM, abs=TOL)
    assert all(ln["x0"] == pytest.approx(BLOCK_LEFT) and ln["x1"] == pytest.approx(BLOCK_RIGHT) for ln in rules)
    assert rules[0]["top"] < cc[0]["top"] < rules[1]["top"] < printed[0]["top"] < rules[2]["top"]
    assert not [ln for p in view.pages[:-1] for ln in p.lines if not is_red(ln)]


def test_report_puts_number_left_and_signer_right_on_one_line(sample, fonts: FontSet) -> None:
    view = sample("report").view
    _, number = view.one("贺司报〔2026〕2号")
    _, label = view.one("签发人：")
    _, name = view.one("王建国")
    assert number[0]["x0"] == pytest.approx(BLOCK_LEFT + CELL, abs=TOL)
    assert _span(name)[1] == pytest.approx(BLOCK_RIGHT - CELL, abs=TOL)
    assert number[0]["top"] == pytest.approx(label[0]["top"], abs=1) == pytest.approx(name[0]["top"], abs=1)
    assert all(in_role(c, fonts, "仿宋") for c in label) and all(in_role(c, fonts, "楷体") for c in name)


def test_letter_format_masthead_double_rules_and_number_flush_right(sample) -> None:
    spec, page = sample("letter").spec, sample("letter").view.pages[0]
    red = [c for c in page.chars if is_red(c)]
    assert "".join(c["text"] for c in red) == spec.issuer  # no 文件 on a letter
    assert min(c["top"] for c in red) == pytest.approx(30 * MM, abs=0.5)
    rules = _red_lines(page)
    assert len(rules) == 4  # two double rules
    for rule in rules:
        assert (rule["x0"], rule["x1"]) == pytest.approx((20 * MM, 190 * MM), abs=TOL)
    masthead_bottom = max(c["bottom"] for c in red)
    assert rules[0]["top"] - rules[0]["linewidth"] / 2 == pytest.approx(masthead_bottom + 4 * MM, abs=0.5)
    assert rules[0]["linewidth"] > rules[1]["linewidth"] and rules[2]["linewidth"] < rules[3]["linewidth"]
    assert rules[3]["top"] + rules[3]["linewidth"] / 2 == pytest.approx(297 * MM - 20 * MM, abs=0.5)
    _, number = sample("letter").view.one(spec.number)
    assert _span(number)[1] == pytest.approx(BLOCK_RIGHT, abs=TOL)
    assert number[0]["top"] - rules[1]["top"] == pytest.approx(16 * 7 / 8, abs=1)
    black = [ln for ln in page.lines if not is_red(ln)]
    assert not black  # a letter's 版记 has no rules and no 印发 line
    _, cc = sample("letter").view.one("抄送：江山市司法局。")
    assert cc[0]["bottom"] <= BLOCK_BOTTOM and cc[0]["top"] > BLOCK_BOTTOM - PITCH


def test_a_long_letter_numbers_pages_from_the_second(fonts: FontSet, view) -> None:
    letter = assistance_letter()
    long = dataclasses.replace(letter, body=letter.body * 12)
    pdf = view(render_pdf(long, fonts))
    assert len(pdf.pages) >= 2
    assert pdf.pages[0].page_number_text == ""
    assert pdf.pages[1].page_number_text == "— 2 —"
    assert not _red_lines(pdf.pages[1])


def test_preprinted_paper_leaves_the_masthead_blank_and_keeps_every_position(sample) -> None:
    plain, pre = sample("advice").view, sample("preprinted").view
    assert not [c for p in pre.pages for c in p.chars if is_red(c)]
    assert not [ln for p in pre.pages for ln in p.lines if is_red(ln)]
    for text in ("贺司建〔2026〕3号", "江山市贺村司法所关于", "抽查案卷中"):
        assert pre.one(text)[1][0]["top"] == pytest.approx(plain.one(text)[1][0]["top"], abs=TOL)
    assert [p.text() for p in pre.pages] == [p.text() for p in plain.pages]


def test_watermark_only_on_drafts_on_every_page_behind_the_text(sample) -> None:
    draft, issued = sample("draft").view, sample("advice").view
    for page in draft.pages:
        marks = [c for c in page.chars if is_watermark(c)]
        assert "".join(c["text"] for c in marks) == "样稿"
        assert page.chars[0] is marks[0]  # drawn first: everything else lies on top of it
        assert marks[0]["size"] > 60
    assert not [c for p in issued.pages for c in p.chars if is_watermark(c) or c["text"] in "样稿"]


def test_table_form_spans_the_block_with_centred_labels(sample, fonts: FontSet) -> None:
    view = sample("receipt").view
    (page,) = view.pages
    horizontal = [ln for ln in page.lines if ln["top"] == ln["bottom"]]
    assert horizontal and all(ln["x0"] == pytest.approx(BLOCK_LEFT) and ln["x1"] == pytest.approx(BLOCK_RIGHT)
                              for ln in horizontal)
    verticals = sorted({round(ln["x0"], 2) for ln in page.lines if ln["x0"] == ln["x1"]})
    assert verticals[0] == pytest.approx(BLOCK_LEFT, abs=0.01) and verticals[-1] == pytest.approx(BLOCK_RIGHT, abs=0.01)
    label = next(chars[:3] for _, text, chars in page.text_lines() if text.startswith("送达人"))
    column = [v for v in verticals if v <= label[0]["x0"]][-1], [v for v in verticals if v >= label[-1]["x1"]][0]
    assert sum(_span(label)) / 2 == pytest.approx(sum(column) / 2, abs=0.5)
    _, title = view.one("送达回证")
    assert title[0]["size"] == 22 and sum(_span(title)) / 2 == pytest.approx(CENTRE, abs=0.5)


def test_empty_document_still_renders_one_page(fonts: FontSet, view) -> None:
    pdf = view(render_pdf(DocumentSpec(LayoutKind.DOCUMENT, "", "贺村司法所", body=[Paragraph("")]), fonts))
    assert len(pdf.pages) == 1
