"""Issue 15 items 5 and 6: a file offered as a packet that cannot be one is refused by what it is (a folder, a
FIFO) or by its first bytes and size, before it is read whole or waited on; quarantine keeps a bounded head and
the reason, once per content.

The command line runs in a subprocess: a FIFO blocks the reader forever, and only a process can be timed out.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from hecun_office.services import packet_import
from hecun_office.services.intake import run_to_end
from hecun_office.storage.uow import Database
from hecun_office.sync.packet import MAX_PACKET
from hecun_office.sync.packet_file import HEAD, NotAPacketFile
from hecun_office.ui.exchange.jobs import ImportRun, import_files

from .pairs import DAY, admin, export, history

USER, PASSWORD = "admin", "secret1"  # the account tests/sync/pairs.py sets up


def _cli(db: Database, key_home: Path, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HECUN_OFFICE_HOME": str(key_home), "HECUN_OFFICE_PASSWORD": PASSWORD}
    return subprocess.run([sys.executable, "-m", "hecun_office", "--db", str(db.file), "--user", USER,
                           "--today", DAY.isoformat(), *argv], capture_output=True, text=True, env=env,
                          timeout=timeout)


def _quarantined(db: Database) -> list[Path]:
    return sorted(packet_import.quarantine_dir(db).iterdir())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_hcpkt_is_refused_with_exit_2_instead_of_hanging(bureau: Database, key_home: Path,
                                                                      tmp_path: Path) -> None:
    fifo = tmp_path / "hecun-0001.hcpkt"
    os.mkfifo(fifo)
    try:
        done = _cli(bureau, key_home, "packet", "import", str(fifo), timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("packet import waited on a FIFO")
    assert done.returncode == 2, done.stderr
    assert "管道文件" in done.stderr and "不是数据包文件" in done.stderr
    assert "Traceback" not in done.stderr
    assert history(bureau) == [] and not _quarantined(bureau)
    try:
        checked = _cli(bureau, key_home, "packet", "verify", str(fifo), timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("packet verify waited on a FIFO")
    assert checked.returncode == 2 and "管道文件" in checked.stderr, checked.stderr


def test_a_folder_is_refused_in_chinese_with_exit_2_and_nothing_imported(bureau: Database, office: Database,
                                                                         key_home: Path, tmp_path: Path) -> None:
    """Checked before any file of the batch is opened: a real packet beside it is not imported either."""
    folder = tmp_path / "hecun-0002.hcpkt"
    folder.mkdir()
    name, data = export(office, tmp_path / "usb")
    good = tmp_path / "usb" / name
    done = _cli(bureau, key_home, "packet", "import", str(good), str(folder))
    assert done.returncode == 2, done.stderr
    assert "是文件夹，不是数据包文件" in done.stderr and "Is a directory" not in done.stderr
    assert history(bureau) == [] and not _quarantined(bureau)


def test_the_window_lists_a_folder_as_refused_and_imports_the_other_files(bureau: Database, office: Database,
                                                                          tmp_path: Path) -> None:
    folder = tmp_path / "hecun-0002.hcpkt"
    folder.mkdir()
    name, _data = export(office, tmp_path / "usb")
    run = ImportRun()
    # On a worker thread, as the page runs it: a window test earlier in this process may have guarded this thread
    # as the GUI's (storage/changes.guard_gui_thread), where a write from ui/ code is refused.
    with ThreadPoolExecutor(1) as worker:
        worker.submit(lambda: run_to_end(import_files(bureau, admin(bureau), [folder, tmp_path / "usb" / name],
                                                      DAY, run))).result()
    assert [(o.file_name, o.status.value) for o in run.outcomes] == [(folder.name, "rejected"),
                                                                      (name, "imported")]
    assert "是文件夹，不是数据包文件" in run.outcomes[0].reason
    with pytest.raises(NotAPacketFile) as refused:  # what the command line turns into exit 2
        run_to_end(packet_import.import_packets(bureau, admin(bureau), [folder], DAY))
    assert refused.value.exit_code == 2 and refused.value.message == run.outcomes[0].reason


def test_a_non_packet_is_quarantined_as_its_head_once_per_content(bureau: Database, tmp_path: Path) -> None:
    video = tmp_path / "hecun-0001.hcpkt"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(3 * HEAD))
    for _attempt in range(3):
        outcomes = run_to_end(packet_import.import_packets(bureau, admin(bureau), [video], DAY))
        assert [o.status.value for o in outcomes] == ["rejected"]
        assert "不是数据包" in outcomes[0].reason and outcomes[0].exit_code == 2
    kept = _quarantined(bureau)
    assert len(kept) == 2  # the head and the reason, not one pair per attempt
    assert kept[0].read_bytes() == video.read_bytes()[:HEAD]
    assert "不是数据包" in kept[1].read_text(encoding="utf-8")
    assert [s for _, _, s in history(bureau)] == ["rejected"] * 3  # every attempt is in the history


def test_a_packet_cut_short_is_refused_from_its_missing_end_without_being_read_whole(
        bureau: Database, office: Database, tmp_path: Path) -> None:
    """A copy to the USB stick that did not finish starts like a zip but has no zip directory at its end."""
    name, data = export(office, tmp_path / "usb")
    cut = tmp_path / name
    cut.write_bytes(data[:len(data) // 2])
    outcomes = run_to_end(packet_import.import_packets(bureau, admin(bureau), [cut], DAY))
    assert [o.status.value for o in outcomes] == ["rejected"]
    assert "不完整" in outcomes[0].reason and "重新拷贝" in outcomes[0].reason
    kept = _quarantined(bureau)
    assert kept[0].read_bytes() == data[:min(HEAD, len(data) // 2)] and len(kept) == 2


def test_a_file_over_the_packet_limit_is_refused_from_its_size_alone(bureau: Database, tmp_path: Path) -> None:
    huge = tmp_path / "hecun-0001.hcpkt"
    with huge.open("wb") as fh:  # sparse: the test writes 4 bytes; a read of it all would take seconds
        fh.write(b"PK\x03\x04")
        fh.truncate(MAX_PACKET + 1)
    outcome = packet_import.verify_packet(bureau, huge)
    assert outcome.status.value == "rejected" and "超过数据包的上限" in outcome.reason
    outcomes = run_to_end(packet_import.import_packets(bureau, admin(bureau), [huge], DAY))
    assert [o.status.value for o in outcomes] == ["rejected"]
    assert _quarantined(bureau)[0].stat().st_size == HEAD


PEAK = """
import sys
def peak():  # VmHWM, not getrusage's ru_maxrss: that one keeps the parent's peak across fork and exec
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM:"))
from datetime import date
from pathlib import Path
from hecun_office.services import packet_import
from hecun_office.services.intake import run_to_end
from hecun_office.services.setup import default_actor
from hecun_office.storage.opening import open_database
db = open_database("sqlite:///" + sys.argv[1])
before = peak()
outcomes = run_to_end(packet_import.import_packets(db, default_actor(db), [Path(sys.argv[2])], date(2026, 3, 2)))
print(outcomes[0].status.value, before, peak())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the peak is read from /proc/self/status")
def test_a_2_gib_non_packet_is_refused_with_flat_memory(bureau: Database, key_home: Path, tmp_path: Path) -> None:
    """Issue 15: 2.1 GB of memory for a 2 GiB file that is no packet (4,158 MB measured here before the fix).
    Now 64 MB, 2 MB above the process before the import started: the file is hashed through a 1 MiB buffer."""
    big = tmp_path / "hecun-0001.hcpkt"
    with big.open("wb") as fh:
        fh.truncate(2 * 1024 ** 3)  # sparse: 2 GiB of zeros that take no disk
    env = {**os.environ, "HECUN_OFFICE_HOME": str(key_home)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(PEAK), str(bureau.file), str(big)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    status, before_mb, peak_mb = done.stdout.split()
    print(f"2 GiB non-packet: peak RSS {peak_mb} MB (before the import {before_mb} MB)")
    assert status == "rejected"
    assert int(peak_mb) - int(before_mb) < 64, done.stdout
    assert sum(p.stat().st_size for p in _quarantined(bureau)) < 2 * HEAD

