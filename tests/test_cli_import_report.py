"""Issue 12 item 9: ``packet import`` of several packets prints one line per packet with its counts, the notes grouped
by kind with their number, and a total; ``--json`` keeps every note. A refused packet's line goes to stderr (S-8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exchange_pair import make_pair
from several_packets import several_packets

from hecun_office.cli import main

IMPORTED_ON = "2026-03-10"


@pytest.fixture(autouse=True)
def _signed_in(cli_user) -> None:
    cli_user("zhao", "secret1")  # the bureau's administrator (tests/exchange_pair.py) imports: cli_user.py



def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_packet_import_prints_a_line_per_packet_grouped_notes_and_a_total(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pair = make_pair(tmp_path)
    files = several_packets(pair, tmp_path / "usb")
    bad = tmp_path / "usb" / "hecun-0009.hcpkt"
    bad.write_bytes(b"not a packet")
    bureau = pair.bureau.file
    pair.dispose()
    assert bureau is not None

    code, out, err = _run(capsys, "--db", str(bureau), "--today", IMPORTED_ON, "packet", "import",
                          *map(str, files), str(bad))
    assert code == 2
    lines = out.splitlines()
    for n, line in enumerate(lines[:3], start=1):
        assert line.startswith(f"贺村司法所第 {n} 号（hecun-000{n}.hcpkt）：已导入。新事项 2 件、办理记录 9 条、新文书 2 份、"
                               "时限 2 项、待答复协作函 1 件、无需答复协作函 1 件"), line
    [refused] = err.splitlines()
    assert refused.startswith("hecun-0009.hcpkt：拒收。文件不是数据包")
    assert lines[3:] == [
        "说明：",
        "  新收执法协作函，待司法局答复：3 件（应于 2026-03-13 前答复）",
        "  执法协作函在收到前已反馈或办结，无需答复：3 件",
        lines[6],
    ]
    assert lines[6].startswith("合计：4 个数据包（已导入 3 个、拒收 1 个）；新事项 6 件、") and "待答复协作函 3 件" in lines[6]
    assert "收到贺村司法所的执法协作函" not in out  # not one line per request


def test_packet_import_json_keeps_every_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pair = make_pair(tmp_path)
    files = several_packets(pair, tmp_path / "usb")
    bureau = pair.bureau.file
    pair.dispose()
    assert bureau is not None

    code, out, _ = _run(capsys, "--db", str(bureau), "--today", IMPORTED_ON, "packet", "import", "--json",
                        *map(str, files))
    assert code == 0
    report = json.loads(out)
    assert [(p["seq"], p["status"], p["counts"]["assistance_requests"]) for p in report["packets"]] == [
        (1, "imported", 1), (2, "imported", 1), (3, "imported", 1)]
    kinds = [n["kind"] for p in report["packets"] for n in p["notes"]]
    assert kinds.count("assistance_open") == 3 and kinds.count("assistance_settled") == 3
    assert any(n["text"].endswith("应于 2026-03-13 前答复。") for p in report["packets"] for n in p["notes"])
    assert report["total"] == {"packets": 3, "by_status": {"imported": 3},
                               "counts": report["total"]["counts"]}
    assert report["total"]["counts"]["matters_new"] == 6 and report["total"]["counts"]["assistance_requests"] == 3
