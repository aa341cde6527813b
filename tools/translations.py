"""Translation pipeline (SPEC U-1): sources → .ts → .qm.

    python tools/translations.py          # regenerate resources/translations/*.ts and hecun_office/ui/translations/*.qm
    python tools/translations.py --check  # exit 1 when the committed files are not up to date with the sources

The UI's source language is Simplified Chinese, so the shipped zh_CN translation is the identity; en_XA is a
pseudo-locale (every text wrapped as ⟦…⟧) with which a test proves that every text shown goes through Qt's
translation, so that another language can be added by translating one .ts file.

Why not ``pyside6-lupdate`` alone: the UI names most contexts through a module constant (``C = "tables"``,
``QCoreApplication.translate(C, text)``, ``QT_TRANSLATE_NOOP(C, "…")``) and through small wrappers
(``_tr("…")``, ``tr("EditorDialog", "…")``); lupdate's Python parser reads only literal contexts, so it misses or
mis-files those (``tr("EditorDialog", "拟稿")`` becomes source "EditorDialog" in the empty context). The messages
are therefore read here from the syntax tree, with the constants and wrappers resolved; ``pyside6-lupdate`` still
runs as a cross-check (every message it files under a real context must be among ours), and ``pyside6-lrelease``
compiles the .ts files to the .qm files that ship inside the package.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hecun_office"
TS_DIR = ROOT / "resources" / "translations"
QM_DIR = PACKAGE / "ui" / "translations"
APP = "hecun_office"
SOURCE_LANGUAGE = "zh_CN"
PSEUDO_LOCALE = "en_XA"
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"
# the UI, and the Qt-free modules whose texts the UI shows (marked with hecun_office.domain.i18n.QT_TRANSLATE_NOOP)
SOURCE_DIRS = ("ui",)
SOURCE_FILES = ("domain/i18n.py",)
# where the vocabularies live: the label of every member of a Labelled class (hecun_office/domain/vocab.py) goes
# into the context LABELS_CONTEXT (hecun_office.domain.i18n.LABELS), shown by hecun_office.ui.formatting.vocab_text
LABEL_DIRS = ("domain", "services")
LABELS_BASE = "Labelled"
LABELS_CONTEXT = "vocab"

TRANSLATE_CALLS = {"translate", "QT_TRANSLATE_NOOP", "QT_TRANSLATE_NOOP3"}  # (context, source[, disambiguation])
CLASS_CALLS = {"tr", "QT_TR_NOOP"}  # self.tr(source[, disambiguation]): the enclosing class is the context

Key = tuple[str, str, str]  # context, source, disambiguation (comment)


def pseudo(source: str) -> str:
    """The en_XA text of ``source``: recognisably translated, placeholders and mnemonics untouched."""
    return f"{PSEUDO_OPEN}{source}{PSEUDO_CLOSE}"


LOCALES: dict[str, Callable[[str], str]] = {SOURCE_LANGUAGE: lambda source: source, PSEUDO_LOCALE: pseudo}

# Texts of Qt's own dialogs that Qt's qtbase_zh_CN.qm (6.11) leaves in English: their sources gained a mnemonic
# ("Look in:" became "&Look in:") and the shipped catalogue still has only the old ones. Worded as Qt's old
# translations of the same texts; shipped as hecun_qtbase_zh_CN.qm, installed after qtbase_zh_CN (SPEC U-1: file
# and print dialogs in Chinese on every platform).
QT_SUPPLEMENT: dict[str, dict[tuple[str, str], str]] = {
    "zh_CN": {
        ("QFileDialog", "&Look in:"): "查找范围(&L)：",
        ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
        ("QPrintSettingsOutput", "Page &Set:"): "页面组(&S)：",
        ("QPageSetupWidget", "Pages &per sheet:"): "每张页数(&P)：",
        ("QPageSetupWidget", "Page &order:"): "页面顺序(&O)：",
    },
}
QT_SUPPLEMENT_CATALOG = "hecun_qtbase"


@dataclass
class _Module:
    path: Path
    name: str  # dotted
    tree: ast.Module
    constants: dict[str, str] = field(default_factory=dict)
    # wrapper function name → (context or None when the context is the call's first argument)
    wrappers: dict[str, str | None] = field(default_factory=dict)
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # local name → (module, name)


def source_files(root: Path = PACKAGE) -> list[Path]:
    files = [p for d in SOURCE_DIRS for p in sorted((root / d).rglob("*.py"))]
    files += [root / f for f in SOURCE_FILES if (root / f).exists()]
    return files


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_translate(call: ast.AST | None) -> bool:
    if not isinstance(call, ast.Call):
        return False
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name == "translate"


def _read(path: Path, root: Path) -> _Module:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    module = _Module(path, _module_name(path, root), tree)
    package = module.name if path.name == "__init__.py" else module.name.rpartition(".")[0]
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            module.constants[node.targets[0].id] = node.value.value
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                module.imports[alias.asname or alias.name] = (base, alias.name)
    for node in tree.body:  # wrappers: def _tr(text): return QCoreApplication.translate(C, text)
        if not isinstance(node, ast.FunctionDef):
            continue
        params = [a.arg for a in node.args.args]
        for inner in ast.walk(node):
            if not (isinstance(inner, ast.Return) and _is_translate(inner.value)):
                continue
            assert isinstance(inner.value, ast.Call)
            args = inner.value.args
            if len(args) < 2 or not isinstance(args[1], ast.Name) or args[1].id not in params:
                continue
            if params == [args[1].id]:
                context = _context(args[0], module.constants)
                if context is not None:
                    module.wrappers[node.name] = context
            elif len(params) == 2 and isinstance(args[0], ast.Name) and args[0].id == params[0]:
                module.wrappers[node.name] = None
    return module


def _context(node: ast.AST, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class _Collector(ast.NodeVisitor):
    def __init__(self, module: _Module, modules: dict[str, _Module], found: dict[Key, list[str]],
                 problems: list[str]) -> None:
        self.module, self.modules, self.found, self.problems = module, modules, found, problems
        self.classes: list[str] = []

    def _wrapper(self, name: str) -> tuple[bool, str | None]:
        if name in self.module.wrappers:
            return True, self.module.wrappers[name]
        origin = self.module.imports.get(name)
        if origin is not None and origin[0] in self.modules and origin[1] in self.modules[origin[0]].wrappers:
            return True, self.modules[origin[0]].wrappers[origin[1]]
        return False, None

    def _add(self, node: ast.Call, context: str | None, source: str | None, comment: str | None) -> None:
        where = f"{self.module.path.as_posix().removeprefix(ROOT.as_posix() + '/')}:{node.lineno}"
        if source is None:
            return  # a variable: its values are marked where they are written (QT_TRANSLATE_NOOP)
        if context is None:
            self.problems.append(f"{where}: context not a literal or module constant for {source!r}")
            return
        self.found.setdefault((context, source, comment or ""), []).append(where)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        args = node.args
        if name in TRANSLATE_CALLS and len(args) >= 2 and (name != "translate" or isinstance(func, ast.Attribute)):
            self._add(node, _context(args[0], self.module.constants), _text(args[1]),
                      _text(args[2]) if len(args) > 2 else None)
        elif (name in CLASS_CALLS and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
              and func.value.id in {"self", "cls"} and args):
            self._add(node, self.classes[-1] if self.classes else None, _text(args[0]),
                      _text(args[1]) if len(args) > 1 else None)
        elif isinstance(func, ast.Name) and args:
            is_wrapper, context = self._wrapper(func.id)
            if is_wrapper:
                if context is None:  # tr(context, text)
                    if len(args) >= 2:
                        self._add(node, _context(args[0], self.module.constants), _text(args[1]), None)
                else:
                    self._add(node, context, _text(args[0]), None)
        self.generic_visit(node)


def vocabulary_labels(root: Path = PACKAGE) -> dict[Key, list[str]]:
    """The labels of the members of every Labelled class (``HOTLINE = "hotline", "12345政务服务热线"``)."""
    classes: list[tuple[Path, ast.ClassDef]] = []
    for folder in LABEL_DIRS:
        for path in sorted((root / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            classes += [(path, node) for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    labelled = {LABELS_BASE}
    while True:  # subclasses of subclasses
        more = {c.name for _, c in classes if any(isinstance(b, ast.Name) and b.id in labelled for b in c.bases)}
        if more <= labelled:
            break
        labelled |= more
    found: dict[Key, list[str]] = {}
    for path, node in classes:
        if node.name == LABELS_BASE or node.name not in labelled:
            continue
        for item in node.body:
            if (isinstance(item, ast.Assign) and isinstance(item.value, ast.Tuple) and len(item.value.elts) >= 2
                    and (label := _text(item.value.elts[1]))):
                where = f"{path.as_posix().removeprefix(ROOT.as_posix() + '/')}:{item.lineno}"
                found.setdefault((LABELS_CONTEXT, label, ""), []).append(where)
    return found


FORMS_DIR = ROOT / "forms"
FORMS_CONTEXT = "forms"  # hecun_office.ui.formatting.form_text translates in it


def form_texts(folder: Path = FORMS_DIR) -> dict[Key, list[str]]:
    """What the UI shows of the forms in forms/*.toml: each form's name and its fields' labels and hints. The PDF
    keeps the Chinese (a document is Chinese whatever the screen's language); choices are values stored as typed."""
    import tomllib

    found: dict[Key, list[str]] = {}
    for path in sorted(folder.glob("*.toml")):
        where = path.as_posix().removeprefix(ROOT.as_posix() + "/")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        texts = [data.get("name", "")]
        for entry in data.get("fields", []):
            texts += [entry.get("label", ""), entry.get("help", "")]
        for text in texts:
            if text:
                found.setdefault((FORMS_CONTEXT, text, ""), []).append(where)
    return found


def extract(root: Path = PACKAGE) -> tuple[dict[Key, list[str]], list[str]]:
    """Every translatable message of the sources under ``root``, with where it is written; and the calls whose
    context could not be resolved."""
    modules = {m.name: m for m in (_read(p, root) for p in source_files(root))}
    found: dict[Key, list[str]] = {}
    problems: list[str] = []
    for module in modules.values():
        _Collector(module, modules, found, problems).visit(module.tree)
    for key, where in vocabulary_labels(root).items():
        found.setdefault(key, []).extend(where)
    if root == PACKAGE:  # the shipped forms belong to the package's catalogue (not to a test's sample tree)
        for key, where in form_texts().items():
            found.setdefault(key, []).extend(where)
    return found, problems


def write_ts(path: Path, locale: str, messages: Iterable[Key], translate: Callable[[Key], str],
             source_language: str = SOURCE_LANGUAGE) -> None:
    by_context: dict[str, list[Key]] = {}
    for key in messages:
        by_context.setdefault(key[0], []).append(key)
    root = ET.Element("TS", version="2.1", language=locale, sourcelanguage=source_language)
    for context in sorted(by_context):
        element = ET.SubElement(root, "context")
        ET.SubElement(element, "name").text = context
        for key in sorted(by_context[context]):
            _, source, comment = key
            message = ET.SubElement(element, "message")
            ET.SubElement(message, "source").text = source
            if comment:
                ET.SubElement(message, "comment").text = comment
            ET.SubElement(message, "translation").text = translate(key)
    ET.indent(root, "    ")
    text = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + text + "\n", encoding="utf-8")


def read_ts(path: Path) -> dict[Key, str]:
    result: dict[Key, str] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            result[key] = message.findtext("translation") or ""
    return result


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        raise SystemExit(f"找不到 {name}（随 PySide6 安装）")
    return found


def release(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def lupdate_messages(root: Path = PACKAGE) -> set[tuple[str, str]]:
    """(context, source) of what pyside6-lupdate finds under a real context: the cross-check."""
    with tempfile.TemporaryDirectory() as folder:
        ts = Path(folder) / "lupdate.ts"
        subprocess.run([_tool("pyside6-lupdate"), "-silent", "-locations", "none",
                        *map(str, source_files(root)), "-ts", str(ts)], check=True)
        return {(k[0], k[1]) for k in read_ts(ts) if k[0]}


def ts_path(locale: str, folder: Path = TS_DIR) -> Path:
    return folder / f"{APP}_{locale}.ts"


def qm_path(locale: str, folder: Path = QM_DIR, catalog: str = APP) -> Path:
    return folder / f"{catalog}_{locale}.qm"


def _outputs(ts_dir: Path, qm_dir: Path) -> list[tuple[Path, Path]]:
    """(.ts, .qm) of everything generated."""
    pairs = [(ts_path(locale, ts_dir), qm_path(locale, qm_dir)) for locale in LOCALES]
    pairs += [(ts_dir / f"{QT_SUPPLEMENT_CATALOG}_{locale}.ts", qm_path(locale, qm_dir, QT_SUPPLEMENT_CATALOG))
              for locale in QT_SUPPLEMENT]
    return pairs


def _of_source(translate: Callable[[str], str]) -> Callable[[Key], str]:
    return lambda key: translate(key[1])


def _looked_up(texts: dict[tuple[str, str], str]) -> Callable[[Key], str]:
    return lambda key: texts[(key[0], key[1])]


def generate(ts_dir: Path = TS_DIR, qm_dir: Path = QM_DIR, root: Path = PACKAGE) -> dict[Key, list[str]]:
    found, problems = extract(root)
    if problems:
        raise SystemExit("无法确定翻译上下文：\n" + "\n".join(problems))
    missed = lupdate_messages(root) - {(k[0], k[1]) for k in found}
    if missed:
        raise SystemExit("pyside6-lupdate 找到、本脚本漏掉的文字：\n" + "\n".join(map(repr, sorted(missed))))
    ts_dir.mkdir(parents=True, exist_ok=True)
    qm_dir.mkdir(parents=True, exist_ok=True)
    for locale, translate in LOCALES.items():
        write_ts(ts_path(locale, ts_dir), locale, found, _of_source(translate))
    for locale, texts in QT_SUPPLEMENT.items():
        write_ts(ts_dir / f"{QT_SUPPLEMENT_CATALOG}_{locale}.ts", locale, [(c, s, "") for c, s in texts],
                 _looked_up(texts), source_language="en")
    for ts, qm in _outputs(ts_dir, qm_dir):
        release(ts, qm)
    return found


def stale() -> list[str]:
    """What is out of date: regenerated in a temporary folder and compared with the committed files."""
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder) / "ts", Path(folder) / "qm")
        fresh = [p for pair in _outputs(Path(folder) / "ts", Path(folder) / "qm") for p in pair]
        committed = [p for pair in _outputs(TS_DIR, QM_DIR) for p in pair]
        return [str(c.relative_to(ROOT)) for f, c in zip(fresh, committed, strict=True)
                if not c.exists() or c.read_bytes() != f.read_bytes()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="只检查已提交的 .ts/.qm 是否与源码一致")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        for problem in problems:
            print(f"需要重新生成：{problem}（python tools/translations.py）", file=sys.stderr)
        return 1 if problems else 0
    found = generate()
    contexts = len({k[0] for k in found})
    print(f"{len(found)} 条文字，{contexts} 个上下文：{', '.join(str(ts_path(x).relative_to(ROOT)) for x in LOCALES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
