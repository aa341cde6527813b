"""Issue 12 item 9: what a batch import reports, without a database — a line per packet, notes grouped by kind
(one note of its kind as it is, more as their number), a total that does not add up sequence numbers."""

from __future__ import annotations

from hecun_office.services.import_report import as_json, note_groups, packet_line, report, total_line
from hecun_office.services.packet_import import ImportOutcome, ImportStatus

TOWNS = ("贺村", "清湖", "凤林", "保安")


def _imported(n: int, town: str) -> ImportOutcome:
    notes = (f"{town}司法所已确认收到第 {n} 号及以前的数据包。",
             f"收到{town}司法所的执法协作函 {town}协〔2026〕{n}号，应于 2026-03-26 前答复。",
             f"收到{town}司法所的执法协作函 {town}协〔2026〕{n + 10}号，应于 2026-03-27 前答复。",
             "注意：一条没有类别的说明。")
    return ImportOutcome(f"{town}-0001.hcpkt", ImportStatus.IMPORTED, town, f"{town}司法所", 1, "",
                         {"matters_new": 3, "documents_new": 5, "assistance_requests": 2, "acknowledged": n},
                         notes, ("ack", "assistance_open", "assistance_open", ""))


def test_notes_are_grouped_by_kind_and_counted() -> None:
    outcomes = [_imported(n, town) for n, town in enumerate(TOWNS, start=1)]
    outcomes.append(ImportOutcome("x.hcpkt", ImportStatus.REJECTED, reason="文件不是数据包（.hcpkt）：格式不对。"))
    assert [g.line() for g in note_groups(outcomes)] == [
        "对方确认收到本机此前发出的数据包：4 次",
        "新收执法协作函，待司法局答复：8 件（应于 2026-03-26 至 2026-03-27 前答复）",
        "注意：一条没有类别的说明。（4 次）",
    ]
    assert packet_line(outcomes[0]) == ("贺村司法所第 1 号（贺村-0001.hcpkt）：已导入。新事项 3 件、新文书 5 份、"
                                        "待答复协作函 2 件、确认收到至第 1 号")
    assert packet_line(outcomes[-1]) == "x.hcpkt：拒收。文件不是数据包（.hcpkt）：格式不对。"
    assert total_line(outcomes) == ("合计：5 个数据包（已导入 4 个、拒收 1 个）；新事项 12 件、新文书 20 份、"
                                    "待答复协作函 8 件。")  # acknowledged is a sequence number: not summed
    lines = report(outcomes)
    assert len(lines) == 5 + 1 + 3 + 1 and [err for _, err in lines].count(True) == 1
    assert as_json(outcomes)["packets"][0]["notes"][1] == {
        "kind": "assistance_open", "text": "收到贺村司法所的执法协作函 贺村协〔2026〕1号，应于 2026-03-26 前答复。"}


def test_a_single_packet_prints_its_line_only() -> None:
    one = ImportOutcome("hecun-0001.hcpkt", ImportStatus.DUPLICATE, "hecun", "贺村司法所", 1,
                        "贺村司法所第 1 号数据包此前已经导入，本次未作任何改动。")
    assert report([one]) == [("贺村司法所第 1 号（hecun-0001.hcpkt）：已导入过（未重复导入）。"
                              "贺村司法所第 1 号数据包此前已经导入，本次未作任何改动。", False)]
