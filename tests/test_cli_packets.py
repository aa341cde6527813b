"""S-8 / C: the command-line round trip of the issue's "done when": a demo office exports, a bureau set up with
``setup --mode bureau`` enrols its key and imports; a replay says "already imported"; a tampered or foreign packet
exits 2 with a reason and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from db_copies import DEMO_DAY, DemoTemplate, demo_copy

from hecun_office.cli import main


@pytest.fixture(autouse=True)
def _signed_in(cli_user) -> None:
    cli_user("admin", "hecun2026")  # the demo's administrator; the bureaus below are set up with the same password


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _fingerprint(capsys: pytest.CaptureFixture[str], db: Path) -> str:
    code, out, _ = _run(capsys, "--db", str(db), "keys", "show", "--json")
    assert code == 0
    return str(json.loads(out)["shown"])


def _history(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, object]]:
    code, out, _ = _run(capsys, "--db", str(db), "packet", "history", "--json")
    assert code == 0
    rows: list[dict[str, object]] = json.loads(out)
    return rows


@pytest.mark.xdist_group("demo")  # one worker builds the demo for all its users
def test_cli_round_trip_replay_tamper_and_foreign_packets(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          demo_template: DemoTemplate) -> None:
    office, bureau, other = tmp_path / "office.sqlite3", tmp_path / "bureau.sqlite3", tmp_path / "other.sqlite3"
    usb = tmp_path / "usb"
    demo_copy(demo_template, office)  # what `--today 2026-11-20 demo` made (built once for the session)
    assert _run(capsys, "--db", str(bureau), "setup", "--mode", "bureau", "--password", "hecun2026")[0] == 0
    for db, name in ((office, "office.key"), (bureau, "bureau.key")):
        assert _run(capsys, "--db", str(db), "keys", "export", str(tmp_path / name))[0] == 0

    code, _, err = _run(capsys, "--db", str(bureau), "keys", "enroll", str(tmp_path / "office.key"))
    assert code == 1 and "指纹" in err  # nothing is enrolled without the fingerprint from the paper form
    code, out, _ = _run(capsys, "--db", str(bureau), "keys", "enroll", str(tmp_path / "office.key"),
                        "--fingerprint", _fingerprint(capsys, office))
    assert code == 0 and "贺村司法所（hecun）" in out
    assert _run(capsys, "--db", str(office), "keys", "pin", str(tmp_path / "bureau.key"),
                "--fingerprint", _fingerprint(capsys, bureau))[0] == 0

    code, out, _ = _run(capsys, "--db", str(office), "--today", DEMO_DAY, "packet", "export", "--out", str(usb))
    packet = usb / "hecun-0001.hcpkt"
    assert code == 0 and packet.is_file() and "第 1 号" in out

    code, out, _ = _run(capsys, "--db", str(bureau), "packet", "verify", str(packet))
    assert code == 0 and "校验通过" in out
    code, out, _ = _run(capsys, "--db", str(bureau), "--today", DEMO_DAY, "packet", "import", str(packet))
    assert code == 0 and "已导入" in out
    code, out, _ = _run(capsys, "--db", str(bureau), "--today", DEMO_DAY, "packet", "import", str(packet))
    assert code == 0 and "已导入过" in out and "未作任何改动" in out

    tampered = tmp_path / "hecun-0002.hcpkt"
    data = bytearray(packet.read_bytes())
    data[len(data) // 2] ^= 0x40
    tampered.write_bytes(bytes(data))
    history = _history(capsys, bureau)
    code, _, err = _run(capsys, "--db", str(bureau), "packet", "import", str(tampered))
    assert code == 2 and "拒收" in err
    assert [r["status"] for r in _history(capsys, bureau)] == ["rejected"] + [r["status"] for r in history]

    # A foreign packet: another county's bureau never enrolled this office.
    assert _run(capsys, "--db", str(other), "setup", "--mode", "bureau", "--password", "hecun2026")[0] == 0
    code, _, err = _run(capsys, "--db", str(other), "packet", "import", str(packet))
    assert code == 2 and "签名无法用已登记的任何密钥验证" in err

    code, out, _ = _run(capsys, "--db", str(bureau), "check")
    assert code == 0, out


def test_cli_carries_the_key_secret_to_a_second_pc(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    bureau = tmp_path / "bureau.sqlite3"
    assert _run(capsys, "--db", str(bureau), "setup", "--mode", "bureau", "--password", "hecun2026")[0] == 0
    code, out, _ = _run(capsys, "--db", str(bureau), "keys", "export-secret", str(tmp_path / "s.json"),
                        "--passphrase", "long-enough-1")
    assert code == 0 and "口令分开" in out
    monkeypatch.setenv("HECUN_OFFICE_HOME", str(tmp_path / "pc2"))
    code, out, _ = _run(capsys, "--db", str(bureau), "check")
    assert code == 1 and "keys import-secret" in out
    monkeypatch.delenv("HECUN_OFFICE_PASSPHRASE", raising=False)
    code, _, err = _run(capsys, "--db", str(bureau), "keys", "import-secret", str(tmp_path / "s.json"))
    assert code == 1 and "--passphrase" in err  # no terminal to ask on
    monkeypatch.setenv("HECUN_OFFICE_PASSPHRASE", "long-enough-1")
    assert _run(capsys, "--db", str(bureau), "keys", "import-secret", str(tmp_path / "s.json"))[0] == 0
    assert _run(capsys, "--db", str(bureau), "check")[0] == 0
