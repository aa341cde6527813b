"""设置 → 字体 (SPEC D-6): the font file this PC uses for each role, and what each role resolves to now.

A per-PC setting (fonts differ from PC to PC, so not in the shared database), declared here with the machinery of
``services/settings.py`` and kept in ``fonts.json`` in the data directory, written atomically. ``load_fonts`` reads
that file at every call, so the preview, issuing, ``render`` and ``check`` use a new choice at once, without a
restart. A file is checked before it is saved: one that is no usable TrueType font or cannot set Simplified Chinese
is refused with a message saying what to choose instead, and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..documents.fonts import (
    BUILTIN,
    CHOSEN,
    OWN,
    ROLES,
    SETTINGS_FILE,
    USAGE,
    FontFileError,
    FontSet,
    inspect_font_file,
    load_fonts,
    setting_key,
    unembedded_fonts,
)
from ..domain.errors import ValidationError
from .settings import Setting, read_setting, write_setting

# The UI names roles and sources through this module (it does not import documents/).
__all__ = ["BUILTIN", "CHOSEN", "CONFIRM_FIELD", "FONT_FILES", "OWN", "ROLES", "SAMPLE", "USAGE", "RoleFont",
           "choose_font", "refuse_unembedded_fonts", "reset_font", "role_fonts", "unusable_font_notes"]

FONT_FILES: dict[str, Setting[Path]] = {
    role: Setting(setting_key(role), Path, None, f"{role}字体文件（{USAGE[role]}）", SETTINGS_FILE, per_database=False)
    for role in ROLES
}

# What a clerk should look for, per role (Windows names, D-6).
EXPECTED = {"仿宋": "simfang.ttf（仿宋）", "黑体": "simhei.ttf（黑体）", "楷体": "simkai.ttf（楷体）",
            "宋体": "simsun.ttc（宋体）", "小标宋": "FZXBSJW.TTF（方正小标宋简体）"}
SAMPLE = "贺村司法所关于整改的建议书〔2026〕1号：现将有关情况通报如下，请于30日内书面回复。"
_SOURCE = {CHOSEN: "设置中指定", OWN: "系统字体", BUILTIN: "无中文字体时的替代"}


@dataclass(frozen=True)
class RoleFont:
    """One role as resolved on this PC now, for 设置 → 字体 and ``check``."""

    role: str
    usage: str  # 正文, 一级标题 …
    label: str  # the font's name as a clerk knows it
    path: Path | None  # None: reportlab's CID font, not embedded
    source: str  # fonts.CHOSEN, OWN, SUBSTITUTE or BUILTIN
    chosen: Path | None  # the file set in 设置 (it may be missing or unusable: then ``warnings`` say so)
    embedded: bool
    missing_glyphs: str  # of fonts.GLYPHS, in order
    warnings: tuple[str, ...]

    @property
    def source_text(self) -> str:
        return _SOURCE.get(self.source, f"代替{self.role}")

    @property
    def glyph_text(self) -> str:
        if not self.missing_glyphs:
            return "〔〕—：，。等标点齐全"
        return f"缺少“{'、'.join(self.missing_glyphs)}”（由其他字体补印）"

    @property
    def summary(self) -> str:
        """One short line: file, where it came from, embedded or not, missing glyphs."""
        where = str(self.path) if self.path is not None else "PDF 内置宋体 STSong-Light"
        embedded = "嵌入 PDF" if self.embedded else "不嵌入 PDF，换一台电脑打印可能走样"
        return f"{where}（{self.label}，{self.source_text}），{embedded}，{self.glyph_text}"


def _rows(fonts: FontSet) -> list[RoleFont]:
    return [RoleFont(role, USAGE[role], fonts.label(role), fonts.path(role), fonts.sources.get(role, OWN),
                     read_setting(FONT_FILES[role]), fonts.is_embedded(role), fonts.glyph_check(role),
                     tuple(fonts.role_warnings.get(role, ()))) for role in ROLES]


def role_fonts() -> list[RoleFont]:
    """Every role as the next document on this PC will have it (loads the fonts on first use: call off the GUI
    thread)."""
    return _rows(load_fonts())


def unusable_font_notes() -> list[str]:
    """System font files that were passed over because they could not be read (not tied to a role)."""
    fonts = load_fonts()
    per_role = {w for notes in fonts.role_warnings.values() for w in notes}
    return [w for w in fonts.warnings if w not in per_role]


def choose_font(role: str, path: Path) -> RoleFont:
    """Use ``path`` for ``role`` on this PC from now on. Raises ValidationError (field ``font_file``) for a file
    that is missing, no TrueType font, or cannot set a Simplified Chinese document; nothing is saved then."""
    if role not in FONT_FILES:
        raise ValidationError(f"没有“{role}”这种公文字体。", "font_file")
    path = path.expanduser()
    try:
        found = inspect_font_file(path.resolve() if path.exists() else path)
    except FontFileError as exc:
        raise ValidationError(f"{exc} 设置未改变。", "font_file") from None
    hanzi = "".join(ch for ch in found.lacking if "\u4e00" <= ch <= "\u9fff")
    if hanzi:
        raise ValidationError(
            f"{found.path.name}（{found.label}）不含简体中文字（缺少“{'、'.join(hanzi[:6])}”等），不能用作{role}字体。"
            f"请选择简体中文字体，如 {EXPECTED[role]}。设置未改变。", "font_file")
    if found.lacking:
        raise ValidationError(
            f"{found.path.name}（{found.label}）缺少公文标点“{'、'.join(found.lacking)}”，不能用作{role}字体。"
            f"请选择完整的简体中文字体，如 {EXPECTED[role]}。设置未改变。", "font_file")
    write_setting(FONT_FILES[role], None, found.path)
    return next(row for row in role_fonts() if row.role == role)


def reset_font(role: str) -> RoleFont:
    """恢复默认: forget the file chosen for ``role``; the system fonts decide again."""
    if role not in FONT_FILES:
        raise ValidationError(f"没有“{role}”这种公文字体。", "font_file")
    write_setting(FONT_FILES[role], None, None)
    return next(row for row in role_fonts() if row.role == role)


CONFIRM_FIELD = "unembedded_fonts_confirmed"


def refuse_unembedded_fonts(pdf: bytes) -> None:
    """签发 keeps a PDF for good: one that leaves a font to the PC that opens it (the CID fallback) needs the
    signer's explicit confirmation. Raises ValidationError (field CONFIRM_FIELD) naming the roles concerned."""
    if not unembedded_fonts(pdf):
        return
    fonts = load_fonts()
    roles = [role for role in ROLES if not fonts.is_embedded(role)]
    what = "全部文字" if len(roles) == len(ROLES) else "、".join(USAGE[role] for role in roles) or "部分文字"
    raise ValidationError(
        f"本机缺少公文字体：这份文书的{what}只能用“PDF 内置宋体”印出，该字体不嵌入 PDF，在另一台电脑上查看或打印时"
        f"字形和排版可能不同。请先在“设置 → 字体”中指定字体文件再签发；确需现在签发，须明确确认。",
        CONFIRM_FIELD)
