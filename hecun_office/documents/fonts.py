"""D-6 fonts: resolve, load and check the five typefaces of GB/T 9704 (仿宋, 黑体, 楷体, 宋体, 小标宋).

Resolution order per role: the file chosen for the role in 设置 → 字体 (a per-PC setting kept in ``fonts.json`` in
the data directory: fonts differ from PC to PC, so not in the shared database) → Windows fonts → Linux CJK TrueType
fonts → a font another role resolved to → reportlab's CID font ``STSong-Light`` (not embedded). Every step below
the role's own typeface leaves a Chinese warning the clerk sees in the preview. A candidate must cover a Simplified Chinese probe line:
cwTeX 仿宋 (cwfs.ttf) is a Traditional Chinese font that lacks 贺, 关, 议, 书 …, so printing a notice with it would
drop characters; such a font is passed over with a warning that says so.

Characters a role's font lacks are drawn with another loaded font that has them (``FontSet.runs``); the layout
reports them, so a missing glyph is never silent.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import struct
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from .. import paths
from .embedding import EmbeddedTTFont
from .font_cache import MetricsCache, default_folder

ROLES = ("仿宋", "黑体", "楷体", "宋体", "小标宋")
CID_FALLBACK = "STSong-Light"
# The per-PC choice of one file per role: written by services/font_settings.py (declared settings), read here at
# every load_fonts() so that a changed choice takes effect at the next preview without a restart.
SETTINGS_FILE = "fonts.json"
WHERE_TO_SET = "“设置 → 字体”"


def setting_key(role: str) -> str:
    return f"fonts.{role}"


# What each role prints, for warnings a clerk can act on.
USAGE = _USAGE = {"仿宋": "正文", "黑体": "一级标题", "楷体": "二级标题", "宋体": "页码", "小标宋": "标题和发文机关标志"}

# The role's own typeface, file names as shipped (Windows names first, D-6; they also count on Linux when a clerk
# copied them into ~/.fonts). Matching is case-insensitive.
_OWN = {
    "仿宋": ["simfang.ttf", "仿宋_gb2312.ttf", "fangsong_gb2312.ttf", "stfangso.ttf", "fzfsjw.ttf", "cwfs.ttf"],
    "黑体": ["simhei.ttf", "fzhtjw.ttf", "wqy-zenhei.ttc", "wqy-microhei.ttc"],
    "楷体": ["simkai.ttf", "楷体_gb2312.ttf", "kaiti_gb2312.ttf", "stkaiti.ttf", "fzktjw.ttf", "gkai00mp.ttf",
             "ukai.ttc", "cwkai.ttf"],
    "宋体": ["simsun.ttc", "simsun.ttf", "stsong.ttf", "fzssjw.ttf", "gbsn00lp.ttf", "uming.ttc", "cwming.ttf"],
    "小标宋": ["fzxbsjw.ttf", "方正小标宋简体.ttf", "fzxbsk.ttf", "方正小标宋_gbk.ttf"],
}
# Substitutes, nearest look first: 仿宋 and 小标宋 are Song-derived, 小标宋 is heavy, so 黑体 stands in for it
# the way offices without 方正 fonts usually do.
_SUBSTITUTES = {
    "仿宋": ["simsun.ttc", "uming.ttc", "gbsn00lp.ttf", "simkai.ttf", "ukai.ttc", "simhei.ttf", "wqy-zenhei.ttc",
             "wqy-microhei.ttc", "droidsansfallbackfull.ttf"],
    "黑体": ["wqy-microhei.ttc", "droidsansfallbackfull.ttf", "simsun.ttc", "uming.ttc"],
    "楷体": ["simfang.ttf", "simsun.ttc", "uming.ttc", "wqy-zenhei.ttc", "droidsansfallbackfull.ttf"],
    "宋体": ["simfang.ttf", "wqy-zenhei.ttc", "wqy-microhei.ttc", "droidsansfallbackfull.ttf"],
    "小标宋": ["simhei.ttf", "wqy-zenhei.ttc", "wqy-microhei.ttc", "simsun.ttc", "uming.ttc",
              "droidsansfallbackfull.ttf"],
}
# Names a clerk recognises; otherwise the font's own family name is shown.
_LABELS = {
    "simfang.ttf": "仿宋", "simhei.ttf": "黑体", "simkai.ttf": "楷体", "simsun.ttc": "宋体", "simsun.ttf": "宋体",
    "fzxbsjw.ttf": "方正小标宋简体", "方正小标宋简体.ttf": "方正小标宋简体", "fzxbsk.ttf": "方正小标宋_GBK",
    "wqy-zenhei.ttc": "文泉驿正黑", "wqy-microhei.ttc": "文泉驿微米黑", "uming.ttc": "文鼎明体（AR PL UMing）",
    "ukai.ttc": "文鼎楷体（AR PL UKai）", "cwfs.ttf": "cwTeX 仿宋体", "cwkai.ttf": "cwTeX 楷书",
    "cwming.ttf": "cwTeX 明体", "gkai00mp.ttf": "文鼎楷体（AR PL KaitiM GB）",
    "gbsn00lp.ttf": "文鼎宋体（AR PL SungtiL GB）", "droidsansfallbackfull.ttf": "Droid Sans Fallback",
}
# A font must hold these to set a Simplified Chinese notice (D-6 names 〔〕—：，。).
PROBE = "贺村司法所关于整改的建议书〔〕—：，。（）《》、；"
# The glyph check shown per role in 设置 → 字体 and by ``check``: the punctuation a document uses. A resolved font
# holds those of PROBE; the others (quotes, ellipsis …) are drawn with another font when missing, and said so.
GLYPHS = "〔〕—：，。（）《》、；“”‘’…·"
_LINUX_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
               Path.home() / ".local" / "share" / "fonts"]
_FONT_SUFFIXES = {".ttf", ".ttc"}


def _windows_dirs() -> list[Path]:
    dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def system_font_dirs() -> list[Path]:
    return _windows_dirs() if sys.platform == "win32" else list(_LINUX_DIRS)


def _index(dirs: Iterable[Path]) -> dict[str, Path]:
    """Lower-case file name → first file of that name, directories in the given order, files sorted."""
    found: dict[str, Path] = {}
    for root in dirs:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() in _FONT_SUFFIXES and path.is_file():
                found.setdefault(path.name.lower(), path)
    return found


@dataclass
class _Face:
    """One loaded font file: its reportlab name and the metrics the layout needs."""

    name: str
    label: str
    path: Path | None
    cmap: Mapping[int, int] | None  # None: the CID font, judged by its GBK coverage
    widths: Mapping[int, float]
    default_width: float
    descent: float  # fraction of the em below the baseline, negative

    def has(self, ch: str) -> bool:
        if self.cmap is None:
            try:
                ch.encode("gbk")
            except UnicodeEncodeError:
                return False
            return True
        return ord(ch) in self.cmap

    def advance(self, ch: str) -> float:
        if self.cmap is None:
            return float(pdfmetrics.stringWidth(ch, self.name, 1000))
        return self.widths.get(ord(ch), self.default_width)


# Where a role's font came from (FontSet.sources).
CHOSEN, OWN, SUBSTITUTE, BUILTIN = "chosen", "own", "substitute", "builtin"


@dataclass
class FontSet:
    """The five roles resolved to registered reportlab fonts, with what went wrong on the way."""

    faces: dict[str, _Face]  # role → face
    warnings: list[str] = field(default_factory=list)
    _order: list[_Face] = field(default_factory=list)  # every distinct face, for per-glyph fallback
    _advance: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)
    sources: dict[str, str] = field(default_factory=dict)  # role → CHOSEN, OWN, SUBSTITUTE or BUILTIN
    role_warnings: dict[str, list[str]] = field(default_factory=dict)  # role → what went wrong resolving it

    def name(self, role: str) -> str:
        """reportlab font name for a role (仿宋, 黑体, 楷体, 宋体, 小标宋)."""
        return self.faces[role].name

    def label(self, role: str) -> str:
        return self.faces[role].label

    def path(self, role: str) -> Path | None:
        return self.faces[role].path

    @property
    def embedded(self) -> bool:
        """True when every role is a TrueType font embedded in the PDF (no CID fallback)."""
        return all(face.cmap is not None for face in self.faces.values())

    def is_embedded(self, role: str) -> bool:
        return self.faces[role].cmap is not None

    def glyph_check(self, role: str) -> str:
        """The characters of GLYPHS the role's own font lacks, in order ("" when it has them all)."""
        face = self.faces[role]
        return "".join(ch for ch in GLYPHS if not face.has(ch))

    def descent(self, role: str) -> float:
        return self.faces[role].descent

    def missing_glyphs(self, text: str, role: str) -> set[str]:
        """Characters of ``text`` the role's own font cannot draw (white space ignored)."""
        face = self.faces[role]
        return {ch for ch in set(text) if not ch.isspace() and not face.has(ch)}

    def fallback_for(self, ch: str, role: str) -> _Face | None:
        """The face that draws ``ch`` for ``role``: its own font, else the first loaded font holding it."""
        face = self.faces[role]
        if face.has(ch):
            return face
        return next((other for other in self._order if other is not face and other.has(ch)), None)

    def _drawing_face(self, ch: str, role: str) -> _Face:
        own = self.faces[role]
        if ch.isspace() or own.has(ch):
            return own
        return self.fallback_for(ch, role) or own  # nobody has it: the role's font draws its empty box

    def runs(self, text: str, role: str) -> list[tuple[str, str]]:
        """Split ``text`` into (font name, piece) so every glyph comes from a font that has it."""
        out: list[tuple[str, str]] = []
        for ch in text:
            name = self._drawing_face(ch, role).name
            if out and out[-1][0] == name:
                out[-1] = (name, out[-1][1] + ch)
            else:
                out.append((name, ch))
        return out

    def advance(self, ch: str, role: str) -> float:
        """Advance width of ``ch`` in thousandths of an em, in the font that will draw it."""
        key = (role, ch)
        width = self._advance.get(key)
        if width is None:
            width = self._advance[key] = self._drawing_face(ch, role).advance(ch)
        return width

    def width(self, text: str, role: str, size: float) -> float:
        return sum(self.advance(ch, role) for ch in text) * size / 1000

    def glyph_warnings(self, missing: Mapping[str, Iterable[str]]) -> list[str]:
        """Chinese warnings for characters drawn by a substitute font or not at all; ``missing`` is role → chars."""
        out: list[str] = []
        for role in ROLES:
            chars = sorted(set(missing.get(role, ())))
            if not chars:
                continue
            own = self.faces[role]
            by_face: dict[str, list[str]] = {}
            lost: list[str] = []
            for ch in chars:
                face = self.fallback_for(ch, role)
                if face is None:
                    lost.append(ch)
                else:
                    by_face.setdefault(face.label, []).append(ch)
            for label, got in by_face.items():
                out.append(f"{role}字体{own.label}缺少“{'、'.join(got)}”，这些字已改用{label}印出，字形与其他文字"
                           f"不一致，请核对或安装含这些字的{role}字体。")
            if lost:
                out.append(f"所有已安装字体都缺少“{'、'.join(lost)}”，这些字将印成空白方框，请改用其他字或安装"
                           f"含这些字的字体。")
        return out


def _reportlab_name(path: Path) -> str:
    """Unique per file *and* version: a file replaced under the same name (the clerk chose a new 仿宋.ttf) is a new
    font, not the old name re-registered under a FontSet still in use. The name never reaches the PDF (the subset
    is named after the font's own PostScript name), so the bytes do not depend on it."""
    stem = re.sub(r"[^A-Za-z0-9]+", "", path.stem)
    try:
        stat = path.stat()
        version = f"{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        version = ""
    digest = hashlib.sha1(f"{path}|{version}".encode()).hexdigest()[:6]
    return f"HC-{stem or 'font'}-{digest}"


class FontFileError(Exception):
    """A file that cannot serve as a font: the message is Chinese and says what to choose instead."""


def _load_error(path: Path, exc: BaseException) -> FontFileError:
    text = str(exc).lower()
    if isinstance(exc, FileNotFoundError) or not path.exists():
        return FontFileError(f"找不到字体文件 {path}，它可能已被移动或删除。")
    if isinstance(exc, OSError):
        return FontFileError(f"无法读取字体文件 {path}（{exc.strerror or exc}）。")
    if "postscript" in text or "cff" in text:
        return FontFileError(f"{path.name} 是 PostScript（CFF）轮廓的 OpenType 字体，PDF 中无法嵌入。"
                             "请选择 TrueType 字体文件（.ttf 或 .ttc），如 simfang.ttf。")
    if "subsetting" in text or "embed" in text:
        return FontFileError(f"{path.name} 的授权不允许嵌入 PDF。请选择可以嵌入的字体文件。")
    return FontFileError(f"{path.name} 不是可用的 TrueType 字体文件（文件已损坏，或只是改了扩展名）。"
                         "请选择 .ttf 或 .ttc 字体文件，如 simfang.ttf。")


class _Loader:
    """Loads each file once; remembers failures so a broken file is reported once."""

    def __init__(self, cache: MetricsCache | None = None) -> None:
        self.faces: dict[Path, _Face | None] = {}
        self.errors: dict[Path, FontFileError] = {}
        self.warnings: list[str] = []
        self.cache = cache

    def load(self, path: Path, quiet: bool = False) -> _Face | None:
        if path in self.faces:
            return self.faces[path]
        face: _Face | None = None
        try:
            name = _reportlab_name(path)
            font = self.cache.load(name, path) if self.cache else TTFont(name, str(path), subfontIndex=0)
        except (TTFError, OSError, ValueError, KeyError, IndexError, struct.error) as exc:
            self.errors[path] = _load_error(path, exc)
            if not quiet:  # a file we only guessed at (e.g. an OpenType/CFF Noto font) is not worth a warning
                self.warnings.append(f"字体文件 {path} 无法使用（{exc}），已跳过。")
        else:
            font = EmbeddedTTFont.adopt(font)  # the same glyphs in smaller PDFs (embedding.py)
            pdfmetrics.registerFont(font)
            ttf = font.face
            family = ttf.familyName.decode("utf-8", "replace") if isinstance(ttf.familyName, bytes) else ""
            face = _Face(font.fontName, _LABELS.get(path.name.lower(), family or path.name), path, ttf.charToGlyph,
                         ttf.charWidths, float(ttf.defaultWidth), float(ttf.descent) / 1000)
        self.faces[path] = face
        return face


def _cid_face() -> _Face:
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    descent = pdfmetrics.getFont(CID_FALLBACK).face.descent
    return _Face(CID_FALLBACK, "PDF 内置宋体（STSong-Light）", None, None, {}, 1000.0, float(descent) / 1000)


@dataclass(frozen=True)
class FileCheck:
    """What a font file offers: its name, the probe characters it lacks (it can't set a notice when any) and the
    punctuation of GLYPHS it lacks."""

    path: Path
    label: str
    lacking: str
    missing_glyphs: str


def inspect_font_file(path: Path, cache: MetricsCache | None = None) -> FileCheck:
    """Load ``path`` as resolution would (through the metrics cache, so the first preview after choosing it parses
    nothing) and report its coverage. Raises FontFileError when it is no usable TrueType font."""
    if not path.is_file():
        raise FontFileError(f"找不到字体文件 {path}，它可能已被移动或删除。" if not path.exists()
                            else f"{path} 是文件夹，不是字体文件。")
    if path.suffix.lower() not in _FONT_SUFFIXES | {".otf"}:
        raise FontFileError(f"{path.name} 不是字体文件。请选择 .ttf 或 .ttc 字体文件，如 simfang.ttf。")
    loader = _Loader(cache if cache is not None else MetricsCache(default_folder()))
    face = loader.load(path)
    if face is None:
        raise loader.errors[path]
    lacking = "".join(ch for ch in dict.fromkeys(PROBE) if not face.has(ch))
    return FileCheck(path, face.label, lacking, "".join(ch for ch in GLYPHS if not face.has(ch)))


def chosen_files() -> dict[str, Path]:
    """Role → the file chosen in 设置 → 字体 on this PC (roles without a choice are absent). A damaged or missing
    settings file counts as no choice: resolution goes on to the system fonts, and says so."""
    try:
        data = json.loads((paths.data_dir() / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {role: Path(raw) for role in ROLES if isinstance(raw := data.get(setting_key(role)), str) and raw}


def resolve_fonts(chosen: Mapping[str, Path] | None = None, system_dirs: Iterable[Path] | None = None,
                  cache: MetricsCache | None = None) -> FontSet:
    """Resolve and register every role; not kept (``load_fonts`` keeps it). ``chosen`` is role → the file set in
    设置 → 字体. ``system_dirs`` replaces the OS font folders, which lets tests stand in for another machine. With
    ``cache`` the font files' metrics come from (and go to) the on-disk cache instead of being parsed
    (``font_cache``)."""
    chosen = dict(chosen or {})
    index = _index(system_font_dirs() if system_dirs is None else system_dirs)
    loader = _Loader(cache)
    faces: dict[str, _Face] = {}
    sources: dict[str, str] = {}
    notes: dict[str, list[str]] = {role: [] for role in ROLES}
    rejected: dict[str, tuple[_Face, str]] = {}

    def usable(path: Path, role: str, quiet: bool = False) -> _Face | None:
        face = loader.load(path, quiet)
        if face is None:
            return None
        lacking = [ch for ch in dict.fromkeys(PROBE) if not face.has(ch)]
        if lacking:
            rejected.setdefault(role, (face, "".join(lacking[:6])))
            return None
        return face

    # Chosen roles first: a role left without any font borrows a chosen one, whichever role it was chosen for.
    for role in sorted(ROLES, key=lambda r: r not in chosen):
        problem = _chosen_problem(chosen[role], loader) if role in chosen else None
        picked = loader.faces.get(chosen[role]) if role in chosen and problem is None else None
        if picked is not None:
            faces[role], sources[role] = picked, CHOSEN
            continue
        own = [index[n.lower()] for n in _OWN[role] if n.lower() in index]
        face = next((f for f in (usable(p, role) for p in own) if f), None)
        if face is not None:
            faces[role], sources[role] = face, OWN
            if problem:
                notes[role].append(f"{problem}，{_USAGE[role]}暂用系统中的{face.label}，"
                                   f"请在{WHERE_TO_SET}中重新指定{role}字体文件或恢复默认。")
            continue
        subs = [index[n.lower()] for n in _SUBSTITUTES[role] if n.lower() in index]
        guesses = [p for _, p in sorted(index.items()) if p not in subs and p not in own and _cjk_name(p)]
        face = next((f for f in (usable(p, role, p in guesses) for p in subs + guesses) if f), None)
        if face is None:  # no system font will do: a font the clerk chose for another role is nearer than the CID
            face = next((faces[r] for r in ROLES if sources.get(r) == CHOSEN), None)
        why = problem or _why(role, rejected.get(role))
        if face is None:
            face, sources[role] = _cid_face(), BUILTIN
            notes[role].append(f"{why}，{_USAGE[role]}改用{face.label}，该字体不嵌入 PDF，换一台电脑打印可能走样，"
                               f"请在{WHERE_TO_SET}中指定{role}字体文件。")
        else:
            sources[role] = SUBSTITUTE
            notes[role].append(f"{why}，{_USAGE[role]}改用{face.label}，打印效果与公文标准不符，"
                               f"请在{WHERE_TO_SET}中指定{role}字体文件。")
        faces[role] = face

    faces = {role: faces[role] for role in ROLES}
    order: list[_Face] = []
    for face in [*faces.values(), *(f for f in loader.faces.values() if f)]:
        if face not in order and face.cmap is not None:
            order.append(face)
    warnings = loader.warnings + [w for role in ROLES for w in notes[role]]
    return FontSet(faces, warnings, order, sources=sources, role_warnings=notes)


def _chosen_problem(path: Path, loader: _Loader) -> str | None:
    """Why the file chosen in 设置 cannot serve (None: it can, and ``loader`` holds its face)."""
    if not path.is_file():
        return f"设置中指定的字体文件 {path} 找不到（可能已被移动或删除）"
    face = loader.load(path, quiet=True)  # its own message below, not the generic "已跳过"
    if face is None:
        return f"设置中指定的字体文件无法使用：{str(loader.errors[path]).split('。')[0]}"
    lacking = [ch for ch in dict.fromkeys(PROBE) if not face.has(ch)]
    if lacking:
        return f"设置中指定的字体文件 {path.name} 缺少简体字或标点“{'、'.join(lacking[:6])}”"
    return None


def _why(role: str, rejected: tuple[_Face, str] | None) -> str:
    if rejected is None:
        return f"未找到{role}字体"
    face, lacking = rejected
    return f"{role}字体{face.label}（{face.path.name if face.path else ''}）缺少简体字“{'、'.join(lacking)}”"


def _cjk_name(path: Path) -> bool:
    """Guess from the file name whether an unknown font may be Chinese, so we don't parse every Latin font."""
    name = path.name.lower()
    return any(key in name for key in ("cjk", "wqy", "ming", "kai", "song", "hei", "fang", "fallback", "sim", "fz",
                                       "ar pl", "uming", "ukai", "noto")) or not name.isascii()


def _version(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)


_loading = threading.Lock()


def load_fonts() -> FontSet:
    """The font set for the CLI, the editor's preview and the final PDF alike, honouring 设置 → 字体 as it is now.

    Kept per choice: the first call of a process reads the fonts' metrics from the on-disk cache (parsing the files,
    ≈0.3 s, only when they are new or changed); later calls cost a read of the small settings file and a stat of
    each chosen file, so a new choice — or a chosen file replaced on disk — is used from the next call on, without
    a restart."""
    chosen = chosen_files()
    key = tuple((role, str(path), *_version(path)) for role, path in sorted(chosen.items()))
    with _loading:  # two threads asking at once (preview and issue) resolve once
        return _load(key)


@functools.lru_cache(maxsize=4)
def _load(key: tuple[tuple[str, str, int, int], ...]) -> FontSet:
    return resolve_fonts({role: Path(path) for role, path, *_ in key}, cache=MetricsCache(default_folder()))


def find_cjk_fonts() -> dict[str, Path]:
    """Role (仿宋, 黑体, …) → font file, for every role that resolves to an embeddable TrueType font."""
    fonts = load_fonts()
    return {role: path for role in ROLES if (path := fonts.path(role)) is not None}


_SUBSET_FONT = re.compile(rb"/BaseFont\s*/([^\s/<>\[\]()]+)")


def unembedded_fonts(pdf: bytes) -> list[str]:
    """Fonts a PDF of ours names without embedding them: an embedded subset is named ``ABCDEF+Name`` (ISO 32000
    9.6.4), anything else (STSong-Light, the CID fallback) is left to the PC that opens the file."""
    names = {m.group(1).decode("latin-1") for m in _SUBSET_FONT.finditer(pdf)}
    return sorted(n for n in names if not re.fullmatch(r"[A-Z]{6}\+.+", n))
