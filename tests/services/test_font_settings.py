"""设置 → 字体 (D-6, issue 11 item 11): one font file per role, kept per PC, honoured by every render at once;
bad files refused with a message and nothing saved; 签发 with the unembedded CID fallback only when confirmed."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from issuing import filled
from people import add_director
from sqlalchemy import func, select

from hecun_office import paths
from hecun_office.documents import fonts as fonts_module
from hecun_office.documents.fonts import CHOSEN, CID_FALLBACK, ROLES, load_fonts, unembedded_fonts
from hecun_office.domain.errors import ValidationError
from hecun_office.services import documents, font_settings, matters, templates
from hecun_office.services.audit import Actor
from hecun_office.services.font_settings import choose_font, reset_font, role_fonts
from hecun_office.services.matters import TransitionInput
from hecun_office.storage import blobs
from hecun_office.storage.models import Document, DocumentFile
from hecun_office.storage.uow import Database

TT = Path("/usr/share/fonts/truetype")
ZENHEI, UMING, DEJAVU = TT / "wqy/wqy-zenhei.ttc", TT / "arphic/uming.ttc", TT / "dejavu/DejaVuSans.ttf"
DAY = date(2026, 3, 2)


def _needs(*files: Path) -> None:
    for path in files:
        if not path.is_file():
            pytest.skip(f"{path} not installed here")


def _settings_file() -> Path:
    return paths.data_dir() / "fonts.json"


def as_collection(ttf: Path, out: Path) -> Path:
    """A real TrueType collection (.ttc) holding one Latin font: the header, then the font with its table offsets
    moved past the header."""
    data = bytearray(ttf.read_bytes())
    header = struct.pack(">4sIII", b"ttcf", 0x00010000, 1, 16)
    (num_tables,) = struct.unpack_from(">H", data, 4)
    for i in range(num_tables):
        at = 12 + 16 * i + 8
        (offset,) = struct.unpack_from(">I", data, at)
        struct.pack_into(">I", data, at, offset + len(header))
    out.write_bytes(header + bytes(data))
    return out


@pytest.fixture
def no_system_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This PC has no Chinese font in its font folders (a bare Windows install without 仿宋 is rarer, but a Linux
    PC without CJK packages is common)."""
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setattr(fonts_module, "system_font_dirs", lambda: [empty])
    fonts_module._load.cache_clear()
    yield
    fonts_module._load.cache_clear()


def test_a_chosen_file_is_used_by_the_next_render_without_a_restart(tmp_path: Path) -> None:
    _needs(ZENHEI)
    before = load_fonts()
    chosen = tmp_path / "仿宋替代.ttc"
    chosen.symlink_to(ZENHEI)
    row = choose_font("仿宋", chosen)
    assert row.source == CHOSEN and row.path == chosen.resolve() and row.embedded and row.missing_glyphs == ""
    after = load_fonts()
    assert after is not before and after.path("仿宋") == chosen.resolve() and after.sources["仿宋"] == CHOSEN
    stored = json.loads(_settings_file().read_text(encoding="utf-8"))
    assert stored == {"fonts.仿宋": str(chosen.resolve())}
    assert load_fonts() is after  # unchanged setting: the loaded set is kept, not resolved again

    row = reset_font("仿宋")
    assert row.source != CHOSEN and row.chosen is None
    assert load_fonts().path("仿宋") != chosen.resolve()
    assert json.loads(_settings_file().read_text(encoding="utf-8")) == {}


def test_a_chosen_file_replaced_on_disk_is_read_again(tmp_path: Path) -> None:
    _needs(ZENHEI, UMING)
    chosen = tmp_path / "fangsong.ttc"
    chosen.write_bytes(ZENHEI.read_bytes())
    choose_font("仿宋", chosen)
    first = load_fonts()
    assert first.label("仿宋") == "WenQuanYi Zen Hei"
    chosen.write_bytes(UMING.read_bytes())  # the clerk copied another font over the same file
    second = load_fonts()
    assert second is not first and second.label("仿宋") != first.label("仿宋")
    assert second.name("仿宋") != first.name("仿宋")  # a new registered font, not the old name re-pointed


def _refused(role: str, path: Path) -> str:
    before = _settings_file().read_bytes() if _settings_file().exists() else None
    with pytest.raises(ValidationError) as caught:
        choose_font(role, path)
    after = _settings_file().read_bytes() if _settings_file().exists() else None
    assert after == before, "a refused file changes nothing"
    assert caught.value.field == "font_file" and caught.value.message.endswith("设置未改变。")
    return caught.value.message


def test_bad_font_files_are_refused_with_a_message_saying_what_to_choose(tmp_path: Path) -> None:
    _needs(DEJAVU, ZENHEI)
    choose_font("黑体", ZENHEI)  # a saved choice that a refusal must leave as it is
    text = tmp_path / "说明.txt"
    text.write_text("不是字体", encoding="utf-8")
    message = _refused("仿宋", text)
    assert "说明.txt 不是字体文件" in message and ".ttf 或 .ttc" in message

    renamed = tmp_path / "simfang.ttf"
    renamed.write_bytes(b"%PDF-1.4 renamed to .ttf" * 20)
    message = _refused("仿宋", renamed)
    assert "不是可用的 TrueType 字体文件" in message and "simfang.ttf" in message

    latin = as_collection(DEJAVU, tmp_path / "latin.ttc")
    message = _refused("小标宋", latin)
    assert "不含简体中文字" in message and "不能用作小标宋字体" in message and "方正小标宋简体" in message

    message = _refused("楷体", tmp_path / "已删除的楷体.ttf")
    assert "找不到字体文件" in message

    assert load_fonts().sources["黑体"] == CHOSEN
    assert json.loads(_settings_file().read_text(encoding="utf-8")) == {"fonts.黑体": str(ZENHEI)}


def test_the_collection_helper_makes_a_font_reportlab_reads() -> None:
    """Guard for the test above: the .ttc is refused for lacking Chinese, not for being unreadable."""
    _needs(DEJAVU)
    from hecun_office.documents.fonts import inspect_font_file

    found = inspect_font_file(as_collection(DEJAVU, paths.data_dir() / "latin.ttc"))
    assert found.label == "DejaVu Sans" and "贺" in found.lacking


def test_each_role_reports_its_file_embedding_and_glyph_check(no_system_fonts: None) -> None:
    rows = role_fonts()
    assert [row.role for row in rows] == list(ROLES)
    for row in rows:
        assert row.path is None and not row.embedded
        assert row.summary.startswith("PDF 内置宋体 STSong-Light") and "不嵌入 PDF" in row.summary
        assert row.warnings and "“设置 → 字体”" in row.warnings[0]


def test_check_prints_one_short_line_per_role(db_path: Path, db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _needs(ZENHEI)
    from hecun_office.cli import main

    choose_font("仿宋", ZENHEI)
    main(["--db", str(db_path), "check"])
    out = capsys.readouterr().out.splitlines()
    font_lines = [line for line in out if any(f"] {role}字体：" in line for role in ROLES)]
    assert len(font_lines) == len(ROLES)
    fangsong = next(line for line in font_lines if "] 仿宋字体：" in line)
    assert str(ZENHEI) in fangsong and "设置中指定" in fangsong and "嵌入 PDF" in fangsong and "标点" in fangsong
    assert all(len(line) < 160 for line in font_lines)
    assert not [line for line in out if line.count("请在") > 1], "no paragraph of warnings repeated per role"


def test_render_prints_font_substitutions_on_stderr_only(tmp_path: Path, no_system_fonts: None,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from hecun_office.cli import main

    data = tmp_path / "data.json"
    data.write_text(json.dumps({"unit": "贺村镇综合行政执法队", "title": "占道经营处罚未告知陈述申辩权",
                                "facts": "经查，该队作出处罚决定前未告知当事人陈述、申辩的权利。",
                                "legal_basis": "《中华人民共和国行政处罚法》第四十四条"}, ensure_ascii=False),
                    encoding="utf-8")
    out_pdf = tmp_path / "advice.pdf"
    assert main(["--db", str(tmp_path / "none.sqlite3"), "render", "supervision_advice", "--data", str(data),
                 "--out", str(out_pdf)]) == 0
    captured = capsys.readouterr()
    assert "STSong-Light" not in captured.out and "已生成样稿" in captured.out
    assert captured.err.count("不嵌入 PDF") == len(ROLES) and "“设置 → 字体”" in captured.err


# -- 签发 with a font the PDF does not embed --------------------------------------------------------------------


@pytest.fixture
def approved_advice(db: Database, actor: Actor) -> tuple[int, Actor]:
    director = add_director(db)
    t = next(t for t in templates.list_templates(db) if t.name == "占道经营处罚未告知陈述申辩权")
    reg = matters.register_matter(db, actor, templates.matter_from_template(t, DAY, [matters.list_units(db)[1].id]),
                                  today=DAY)
    matters.transition_matter(db, actor, reg.id, TransitionInput("start_verification", DAY), today=DAY)
    doc = documents.create_draft(db, actor, "supervision_advice", reg.id,
                                 filled(db, "supervision_advice", reg.id, DAY), DAY)
    documents.submit(db, actor, doc)
    documents.review(db, director, doc, approve=True)
    return doc, director


def test_issuing_with_the_unembedded_fallback_font_needs_explicit_confirmation(
        db: Database, approved_advice: tuple[int, Actor], no_system_fonts: None) -> None:
    doc, director = approved_advice
    with pytest.raises(ValidationError) as caught:
        documents.issue(db, director, doc, DAY, today=DAY)
    assert caught.value.field == font_settings.CONFIRM_FIELD
    assert "不嵌入 PDF" in caught.value.message and "全部文字" in caught.value.message
    assert "“设置 → 字体”" in caught.value.message
    with db.uow() as session:  # refused as a whole: still approved, no number taken, no PDF kept
        row = session.get(Document, doc)
        assert row is not None and row.status == "approved" and row.number is None
        assert session.scalar(select(func.count()).select_from(DocumentFile)) == 0

    documents.issue(db, director, doc, DAY, today=DAY, unembedded_fonts_confirmed=True)
    with db.uow() as session:
        row = session.get(Document, doc)
        assert row is not None and row.number is not None and row.number.endswith("〔2026〕1号")
        kept = session.get(DocumentFile, doc)
        assert kept is not None and unembedded_fonts(blobs.get(session, kept.sha256, "")) == [CID_FALLBACK]


def test_issuing_with_embedded_fonts_needs_no_confirmation(db: Database, approved_advice: tuple[int, Actor]) -> None:
    if not load_fonts().embedded:
        pytest.skip("no TrueType CJK font for every role here")
    doc, director = approved_advice
    documents.issue(db, director, doc, DAY, today=DAY)
    with db.uow() as session:
        kept = session.get(DocumentFile, doc)
        assert kept is not None and unembedded_fonts(blobs.get(session, kept.sha256, "")) == []
