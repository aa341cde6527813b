"""D-9 through the real command line: forms list/show and render."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from hecun_office.cli import _profile_for_render, build_parser, main
from hecun_office.storage.uow import Database

ADVICE = {"unit": "贺村镇综合行政执法队", "title": "占道经营处罚未告知陈述申辩权",
          "facts": "经查，该队于2026年2月10日作出处罚决定前未告知当事人陈述、申辩的权利。\n（一）未告知\n（二）未听取",
          "legal_basis": "《中华人民共和国行政处罚法》第四十四条"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def data_file(tmp_path: Path, values: Any, name: str = "data.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    return str(path)


def pdf_text(path: Path) -> str:
    pypdf = pytest.importorskip("pypdf")
    return "".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def test_forms_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "forms", "list", "--json")
    assert code == 0, err
    rows = {row["id"]: row for row in json.loads(out)}
    assert len(rows) == 13
    assert rows["review_report"] == {"id": "review_report", "name": "行政执法案卷评查情况报告", "side": "office",
                                     "layout": "report"}  # issue 16
    assert rows["supervision_advice"] == {"id": "supervision_advice", "name": "行政执法协调监督建议书",
                                          "side": "office", "layout": "document"}
    assert rows["supervision_notice"]["side"] == "bureau" and rows["assistance_reply"]["side"] == "bureau"
    assert rows["service_receipt"]["layout"] == "table"


def test_forms_list_as_a_separate_process(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "hecun_office", "forms", "list"], capture_output=True, text=True,
                          encoding="utf-8", check=False)
    assert proc.returncode == 0, proc.stderr
    assert "行政执法协调监督建议书" in proc.stdout and "司法局端" in proc.stdout


def test_forms_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "forms", "show", "supervision_advice", "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["name"] == "行政执法协调监督建议书" and shown["number_pattern"] == "{abbr}建〔{year}〕{n}号"
    fields = {f["name"]: f for f in shown["fields"]}
    assert fields["facts"] | {"default": None} == {"name": "facts", "label": "发现的问题", "type": "long_text",
                                                   "required": True, "default": None, "max_length": 5000}
    assert fields["rectification_days"]["type"] == "number" and fields["rectification_days"]["required"] is True
    assert fields["rectification_days"]["default"] == "office.rectification_days"
    assert fields["report_workdays"]["default"] == 3 and fields["advice"]["default"][0] == "matter.advice_text"
    assert {f["type"] for f in shown["fields"]} <= {"text", "long_text", "date", "number", "choice"}
    code, out, _ = run(capsys, "forms", "show", "service_receipt", "--json")
    method = next(f for f in json.loads(out)["fields"] if f["name"] == "method")
    assert method["type"] == "choice" and method["choices"] == ["直接送达", "邮寄送达", "留置送达", "电子送达"]


def test_forms_show_text_and_unknown_form(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "forms", "show", "service_receipt")
    assert code == 0 and "收件人" in out and "必填" in out
    code, out, err = run(capsys, "forms", "show", "supervision_advise")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "supervision_advise" in err and "supervision_advice" in err


@pytest.mark.parametrize(("form_id", "values", "fragments"), [
    ("supervision_advice", {}, ["unit", "被监督单位"]),
    ("supervision_advice", {**ADVICE, "facts": "  "}, ["facts", "发现的问题"]),
    ("supervision_advice", {**ADVICE, "rectification_days": "十五"}, ["rectification_days", "应为整数"]),
    ("supervision_advice", {**ADVICE, "colour": "red"}, ["colour"]),
    ("service_receipt", {"document_title": "整改督办函", "addressee": "贺村派出所", "served_on": "2026-02-30"},
     ["served_on", "送达时间", "不是有效日期"]),
    ("service_receipt", {"document_title": "整改督办函", "addressee": "贺村派出所", "method": "快递"},
     ["method", "直接送达"]),
])
def test_render_bad_data_exits_1_naming_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str], form_id: str,
                                                   values: dict[str, Any], fragments: list[str]) -> None:
    out_pdf = tmp_path / "x.pdf"
    code, _, err = run(capsys, "--db", str(tmp_path / "none.sqlite3"), "render", form_id,
                       "--data", data_file(tmp_path, values), "--out", str(out_pdf))
    assert code == 1 and err.count("\n") == 1
    for fragment in fragments:
        assert fragment in err, err
    assert not out_pdf.exists()


@pytest.mark.parametrize(("content", "fragment"), [("{not json", "无法读取"), ('["a"]', "JSON 对象")])
def test_render_bad_data_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "--db", str(tmp_path / "none.sqlite3"), "render", "supervision_advice",
                       "--data", str(path), "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and fragment in err
    code, _, err = run(capsys, "render", "supervision_advice", "--data", str(tmp_path / "missing.json"),
                       "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and "missing.json" in err


def test_render_unknown_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "render", "advice", "--data", data_file(tmp_path, ADVICE), "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and "advice" in err and "supervision_advice" in err


def test_render_needs_data_and_out(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["render", "supervision_advice"])
    assert exc.value.code == 2 and "参数错误" in capsys.readouterr().err


def test_render_arguments() -> None:
    args = build_parser().parse_args(["render", "service_receipt", "--data", "d.json", "--out", "o.pdf", "--preprinted"])
    assert args.form_id == "service_receipt" and args.preprinted and args.out == Path("o.pdf")


def test_profile_comes_from_the_database_when_set_up(db: Database, db_path: Path, tmp_path: Path) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE office_profile SET name = '清湖司法所', abbr = '清司'"))
    db.dispose()
    args = build_parser().parse_args(["--db", str(db_path), "render", "x", "--data", "d", "--out", "o"])
    assert _profile_for_render(args).name == "清湖司法所"
    missing = tmp_path / "never.sqlite3"
    args = build_parser().parse_args(["--db", str(missing), "render", "x", "--data", "d", "--out", "o"])
    assert _profile_for_render(args).name == "贺村司法所"
    assert not missing.exists()  # drafting does not create a database


# -- with the GB/T 9704 layout -----------------------------------------------------------------------------------


@pytest.fixture
def layout() -> None:
    pytest.importorskip("hecun_office.documents.gbt9704")


@pytest.mark.usefixtures("layout")
def test_render_writes_a_draft_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_pdf = tmp_path / "advice.pdf"
    code, out, err = run(capsys, "--db", str(tmp_path / "none.sqlite3"), "--today", "2026-03-05", "render",
                         "supervision_advice", "--data", data_file(tmp_path, ADVICE), "--out", str(out_pdf))
    assert code == 0, err
    assert out_pdf.read_bytes().startswith(b"%PDF") and str(out_pdf) in out
    assert not (tmp_path / "none.sqlite3").exists()
    written = pdf_text(out_pdf)
    if written.strip():  # text extraction depends on the embedded fonts' ToUnicode maps
        assert "样稿" in written and "2026年3月5日" in written and "贺村司法所文件" in written
        assert "自收到本建议书之日起15日内" in written.replace("\n", "")
    preprinted = tmp_path / "preprinted.pdf"
    code, _, err = run(capsys, "--db", str(tmp_path / "none.sqlite3"), "render", "supervision_advice", "--preprinted",
                       "--data", data_file(tmp_path, ADVICE), "--out", str(preprinted))
    assert code == 0, err
    written = pdf_text(preprinted)
    if written.strip():
        assert "贺村司法所文件" not in written and "行政执法协调监督建议书" in written  # 套打: masthead left blank


@pytest.mark.usefixtures("layout")
def test_render_uses_the_database_profile(db: Database, db_path: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE office_profile SET name = '清湖司法所', abbr = '清司'"))
    db.dispose()
    out_pdf = tmp_path / "receipt.pdf"
    code, _, err = run(capsys, "--db", str(db_path), "render", "service_receipt", "--preprinted",
                       "--data", data_file(tmp_path, {"document_title": "整改督办函", "addressee": "贺村派出所",
                                                      "served_on": "2026-03-06", "method": "直接送达"}),
                       "--out", str(out_pdf))
    assert code == 0, err
    assert out_pdf.read_bytes().startswith(b"%PDF")
    written = pdf_text(out_pdf)
    if written.strip():
        assert "清湖司法所" in written


@pytest.mark.usefixtures("layout")
def test_render_as_a_separate_process(tmp_path: Path) -> None:
    out_pdf = tmp_path / "request.pdf"
    values = {"unit": "贺村派出所", "title": "治安处罚程序", "facts": "情况。", "questions": "1.问题一\n2.问题二"}
    proc = subprocess.run([sys.executable, "-m", "hecun_office", "--db", str(tmp_path / "none.sqlite3"), "render",
                           "assistance_request", "--data", data_file(tmp_path, values), "--out", str(out_pdf)],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert proc.returncode == 0, proc.stderr
    assert out_pdf.read_bytes().startswith(b"%PDF")
