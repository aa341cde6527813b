"""D-6: font resolution order, the Simplified-Chinese coverage check, the CID last resort and per-glyph fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from hecun_office.documents.fonts import (
    BUILTIN,
    CHOSEN,
    CID_FALLBACK,
    PROBE,
    ROLES,
    SUBSTITUTE,
    FontSet,
    find_cjk_fonts,
    load_fonts,
    resolve_fonts,
    unembedded_fonts,
)
from hecun_office.documents.gbt9704 import render
from hecun_office.documents.model import DocumentSpec, LayoutKind, Paragraph

TT = Path("/usr/share/fonts/truetype")
UMING, CWFS, ZENHEI = TT / "arphic/uming.ttc", TT / "cwtex/cwfs.ttf", TT / "wqy/wqy-zenhei.ttc"
DEJAVU = TT / "dejavu/DejaVuSans.ttf"


def _needs(*paths: Path) -> None:
    for path in paths:
        if not path.is_file():
            pytest.skip(f"{path} not installed here")


def _dir(tmp_path: Path, name: str, files: dict[str, Path]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for link, target in files.items():
        (folder / link).symlink_to(target)
    return folder


def test_every_role_resolves_to_a_font_that_sets_simplified_chinese(fonts: FontSet) -> None:
    for role in ROLES:
        assert fonts.missing_glyphs(PROBE + "贺村司法所关于整改的建议书", role) == set(), role
        assert fonts.name(role)


def test_load_fonts_is_loaded_once_per_process() -> None:
    assert load_fonts() is load_fonts()


def test_find_cjk_fonts_reports_what_the_layout_uses(fonts: FontSet) -> None:
    found = find_cjk_fonts()
    assert found == {role: fonts.path(role) for role in ROLES if fonts.path(role) is not None}


def test_traditional_only_fangsong_is_passed_over_with_a_warning_naming_the_substitution(tmp_path: Path) -> None:
    """cwTeX 仿宋 lacks 贺/关/议/书: a notice set in it would lose characters."""
    _needs(UMING, CWFS)
    fonts = resolve_fonts(system_dirs=[_dir(tmp_path, "sys", {"cwfs.ttf": CWFS, "uming.ttc": UMING})])
    assert fonts.path("仿宋") is not None and fonts.path("仿宋").name == "uming.ttc"
    (warning,) = [w for w in fonts.warnings if w.startswith("仿宋")]
    assert "cwTeX" in warning and "缺少简体字" in warning and "贺" in warning
    assert "正文改用文鼎明体" in warning and "请在“设置 → 字体”中指定仿宋字体文件" in warning


def test_windows_file_names_come_before_linux_fonts(tmp_path: Path) -> None:
    _needs(UMING, ZENHEI)
    fonts = resolve_fonts(system_dirs=[_dir(tmp_path, "sys", {"SIMFANG.TTF": ZENHEI, "uming.ttc": UMING})])
    assert fonts.path("仿宋").name == "SIMFANG.TTF"
    assert not [w for w in fonts.warnings if w.startswith(("未找到仿宋", "仿宋"))]


def test_the_file_chosen_for_a_role_wins(tmp_path: Path) -> None:
    _needs(UMING, ZENHEI)
    chosen = _dir(tmp_path, "chosen", {"我的仿宋.ttc": ZENHEI}) / "我的仿宋.ttc"
    fonts = resolve_fonts({"仿宋": chosen}, system_dirs=[_dir(tmp_path, "sys", {"uming.ttc": UMING})])
    assert fonts.path("仿宋") == chosen and fonts.sources["仿宋"] == CHOSEN
    assert not fonts.role_warnings["仿宋"]
    assert fonts.path("宋体").name == "uming.ttc"


def test_a_broken_font_file_is_reported_and_skipped(tmp_path: Path) -> None:
    _needs(UMING)
    system = _dir(tmp_path, "sys", {"uming.ttc": UMING})
    (system / "simfang.ttf").write_bytes(b"not a font at all" * 10)
    fonts = resolve_fonts(system_dirs=[system])
    assert any("simfang.ttf" in w and "无法使用" in w for w in fonts.warnings)
    assert fonts.path("仿宋").name == "uming.ttc"


@pytest.mark.parametrize("problem", ["missing", "not a font", "no chinese"])
def test_a_chosen_file_that_cannot_serve_falls_back_with_a_warning_saying_why(tmp_path: Path, problem: str) -> None:
    _needs(UMING, DEJAVU)
    chosen = tmp_path / "仿宋.ttf"
    if problem == "not a font":
        chosen.write_bytes(b"PK\x03\x04 a zip, not a font" * 10)
    elif problem == "no chinese":
        chosen.symlink_to(DEJAVU)
    fonts = resolve_fonts({"仿宋": chosen}, system_dirs=[_dir(tmp_path, "sys", {"uming.ttc": UMING})])
    assert fonts.path("仿宋").name == "uming.ttc" and fonts.sources["仿宋"] != CHOSEN
    (warning,) = fonts.role_warnings["仿宋"]
    assert warning.startswith("设置中指定的字体文件") and "请在“设置 → 字体”中" in warning
    assert {"missing": "找不到", "not a font": "不是可用的 TrueType 字体", "no chinese": "缺少简体字"}[problem] in warning


def test_a_file_chosen_for_one_role_stands_in_for_the_others_before_the_cid_font(tmp_path: Path) -> None:
    """A PC with no Chinese font at all where the clerk chose only 小标宋 (the last role resolved): the other roles
    use it, embedded."""
    _needs(ZENHEI)
    empty = tmp_path / "none"
    empty.mkdir()
    fonts = resolve_fonts({"小标宋": ZENHEI}, system_dirs=[empty])
    assert fonts.embedded and all(fonts.path(role) == ZENHEI for role in ROLES)
    assert list(fonts.faces) == list(ROLES) and fonts.sources["小标宋"] == CHOSEN
    assert fonts.sources["仿宋"] == SUBSTITUTE and "请在“设置 → 字体”中指定仿宋字体文件" in fonts.role_warnings["仿宋"][0]


def test_without_any_chinese_font_the_cid_font_is_used_with_a_visible_warning(tmp_path: Path) -> None:
    empty = tmp_path / "none"
    empty.mkdir()
    fonts = resolve_fonts(system_dirs=[empty])
    assert all(fonts.name(role) == CID_FALLBACK for role in ROLES)
    assert not fonts.embedded and not any(fonts.is_embedded(role) for role in ROLES)
    assert all(fonts.sources[role] == BUILTIN for role in ROLES)
    assert len([w for w in fonts.warnings if "STSong-Light" in w and "不嵌入" in w]) == len(ROLES)
    result = render(DocumentSpec(LayoutKind.DOCUMENT, "测试标题", "贺村司法所", body=[Paragraph("正文。")]), fonts)
    assert result.pdf.startswith(b"%PDF") and result.warnings[: len(fonts.warnings)] == fonts.warnings
    assert unembedded_fonts(result.pdf) == [CID_FALLBACK]


def test_a_pdf_set_in_truetype_fonts_embeds_every_font_it_names(fonts: FontSet) -> None:
    if not fonts.embedded:
        pytest.skip("no TrueType CJK font for every role here")
    result = render(DocumentSpec(LayoutKind.DOCUMENT, "测试标题", "贺村司法所", body=[Paragraph("正文。")]), fonts)
    assert unembedded_fonts(result.pdf) == []


def _char_missing_from(fonts: FontSet, role: str) -> str:
    """A CJK character the role's font lacks but another loaded font has (this machine's fonts decide which)."""
    for code in [*range(0x4E00, 0xA000), *range(0x3400, 0x4DC0)]:
        ch = chr(code)
        if fonts.missing_glyphs(ch, role) and fonts.fallback_for(ch, role) is not None:
            return ch
    pytest.skip(f"every loaded font covers the same characters as the {role} font")


def test_a_glyph_missing_from_the_role_font_is_drawn_with_another_font(fonts: FontSet) -> None:
    ch = _char_missing_from(fonts, "仿宋")
    runs = fonts.runs(f"贺村{ch}司法所", "仿宋")
    assert [piece for _, piece in runs] == ["贺村", ch, "司法所"]
    assert runs[0][0] == runs[2][0] == fonts.name("仿宋") != runs[1][0]
    assert fonts.missing_glyphs(f"贺村{ch} 司法所", "仿宋") == {ch}


def test_missing_glyphs_are_reported_in_the_render_warnings(fonts: FontSet, view) -> None:
    ch = _char_missing_from(fonts, "仿宋")
    lost = "\U0010fffd"  # private use: no font has it
    spec = DocumentSpec(LayoutKind.DOCUMENT, "关于核实情况的函", "贺村司法所",
                        body=[Paragraph(f"当事人姓名为王{ch}，身份证明材料另附{lost}。")])
    result = render(spec, fonts)
    assert any(ch in w and "已改用" in w for w in result.warnings)
    assert any(lost in w and "空白方框" in w for w in result.warnings)
    clean = render(DocumentSpec(LayoutKind.DOCUMENT, "关于核实情况的函", "贺村司法所",
                                body=[Paragraph("当事人姓名为王某。")]), fonts)
    assert clean.warnings == fonts.warnings
    page, (drawn,) = view(result.pdf).one(ch)
    neighbour = next(c for c in page.chars if c["text"] == "姓")
    assert drawn["fontname"] != neighbour["fontname"]
