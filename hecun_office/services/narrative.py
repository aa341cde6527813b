"""A matter's history told as a clerk writes it in a report (issue 11 item 2): "2026年11月6日，本所通过12345政务服务
热线收到反映……的问题，登记编号贺司登〔2026〕5号。2026年11月10日，本所向……制发《行政执法协调监督建议书》
（贺司建〔2026〕19号），要求于2026年11月25日前整改。……" — not a list of status labels.

Pure: it reads the timeline entries (action, date, reason, the data the service recorded with them) and the matter's
own words; the escalation report's 监督及整改情况, the clue transfer's 初步调查情况 draw on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from ..documents.compose import format_date
from ..domain.lifecycle import Action
from ..domain.vocab import Source

# How a report says where the matter came from ("本所{phrase}“{title}”的问题").
_HOW_RECEIVED: dict[str, str] = {
    Source.HOTLINE.value: "通过12345政务服务热线收到反映",
    Source.COMPLAINT_PLATFORM.value: "通过浙江省统一政务咨询投诉举报平台收到反映",
    Source.DAILY.value: "在日常监督中发现",
    Source.SPECIAL.value: "在专项监督中发现",
    Source.CASE_REVIEW.value: "在案卷评查中发现",
    Source.INSPECTION.value: "在行政执法工作情况检查中发现",
    Source.SUPERVISOR.value: "收到法治监督员反映",
    Source.PETITION.value: "收到群众来信来访反映",
    Source.PROCURATORATE.value: "收到检察机关移送（抄送）的",
    Source.BUREAU.value: "收到司法局交办的",
    Source.REVIEW_LITIGATION.value: "在行政复议、行政诉讼中发现",
}


class TimelineEntry(Protocol):
    @property
    def action(self) -> str: ...
    @property
    def on_date(self) -> date: ...
    @property
    def reason(self) -> str: ...
    @property
    def data(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class MatterWords:
    """What the sentences name: the matter and its units as registered."""

    reg_no: str
    title: str
    source: str  # a Source value
    unit: str  # the units, joined with 、


def _clause(text: str) -> str:
    """A clerk's reason inside a sentence: no closing punctuation of its own (the sentence supplies it)."""
    return text.strip().rstrip("。；;.，,")


def sentence(text: str) -> str:
    """A clerk's short reason as a sentence of a letter: closed with 。 unless it already ends a sentence."""
    text = text.strip().rstrip("；;，,")
    return text if not text or text[-1] in "。！？”」）" else text + "。"


def _day(value: Any) -> str:
    if isinstance(value, date):
        return format_date(value)
    try:
        return format_date(date.fromisoformat(str(value)))
    except ValueError:
        return ""


def _numbered(name: str, number: Any) -> str:
    return f"《{name}》（{number}）" if number else f"《{name}》"


def _sentence(entry: TimelineEntry, words: MatterWords, when: str) -> str:
    action, data, reason = entry.action, entry.data or {}, _clause(entry.reason)
    unit = words.unit or "被监督单位"
    because = f"：{reason}" if reason else ""
    if action == Action.REGISTER.value:
        how = _HOW_RECEIVED.get(words.source, "发现")
        return f"{when}，本所{how}“{words.title}”的问题，登记编号{words.reg_no}。"
    if action == Action.START_VERIFICATION.value:
        return f"{when}，本所开始调查核实。"
    if action == Action.ISSUE_ADVICE.value:
        advice = _numbered("行政执法协调监督建议书", data.get("number"))
        days, deadline = data.get("rectification_days"), _day(data.get("rectification_deadline") or "")
        if data.get("deadline_from_service") and days:
            term = f"，要求自送达之日起{days}日内整改并书面反馈"
        elif deadline:
            term = f"，要求于{deadline}前整改并书面反馈"
        else:
            term = ""
        return f"{when}，本所向{unit}制发{advice}{term}。"
    if action == Action.RECORD_SERVICE.value:
        method, receiver = data.get("method"), data.get("receiver")
        if method and receiver:
            doc = _numbered(str(data.get("title") or "文书"), data.get("number"))
            return f"{when}，{doc}以{method}方式送达{unit}，由{receiver}签收。"
        return f"{when}，文书送达{because}。"
    if action == Action.START_RECTIFICATION.value:
        return f"{when}，{unit}开始整改{because}。"
    if action == Action.MARK_OVERDUE.value:
        deadline = _day(data.get("deadline") or "")
        expired = f"整改期限已于{deadline}届满，" if deadline else "整改期限届满后，"
        return f"{expired}截至{format_date(entry.on_date)}，{unit}仍未完成整改{because}。"
    if action == Action.MARK_REFUSED.value:
        return f"{when}，{unit}明确表示不予整改{because}。"
    if action == Action.FLAG_SERIOUS.value:
        return f"{when}，经核查，本所认为该事项违法情节严重、复杂{because}。"
    if action == Action.CONFIRM_RECTIFIED.value:
        return f"{when}，经复查，{unit}已完成整改。"
    if action == Action.NEED_ASSISTANCE.value:
        return f"{when}，本所认为该事项需要司法局协作{because}。"
    if action == Action.SEND_ASSISTANCE_REQUEST.value:
        return f"{when}，本所向司法局发出{_numbered('行政执法协作函', data.get('number'))}。"
    if action == Action.RECORD_ASSISTANCE_REPLY.value:
        return f"{when}，本所收到司法局的协作反馈{because}。"
    if action == Action.RESUME_VERIFICATION.value:
        return f"{when}，本所根据司法局的协作反馈继续核查。"
    if action == Action.ESCALATE.value:
        return f"{when}，本所提请司法局制发《行政执法监督通知书》{_paren(data.get('number'))}。"
    if action == Action.RECORD_BUREAU_REPLY.value:
        return f"{when}，本所收到司法局的处理结果{because}。"
    if action == Action.MARK_OUT_OF_SCOPE.value:
        return f"{when}，经核查，该事项超出本所监督范围{because}。"
    if action == Action.TRANSFER.value:
        return f"{when}，本所将违法线索移送司法局{_paren(data.get('number'))}。"
    if action == Action.CLOSE_NO_ISSUE.value:
        return f"{when}，经核查未发现违法或不当情形，该事项办结{because}。"
    if action == Action.CLOSE.value:
        return f"{when}，该事项办结{because}。"
    if action == Action.REOPEN.value:
        return f"{when}，本所重新办理该事项{because}。"
    if action == Action.CORRECT.value:
        return ""  # a corrected registration is not part of the matter's story: the report uses the corrected words
    if action == Action.MERGE_REF.value:
        return f"{when}，{reason or '收到同一事项的另一工单'}，并入本事项办理。"
    return f"{when}，{reason or action}。"


def _paren(number: Any) -> str:
    return f"（{number}）" if number else ""


def history(entries: Iterable[TimelineEntry], words: MatterWords) -> str:
    """The whole timeline as one paragraph of sentences, oldest first; a second step on the same day is 同日."""
    sentences, previous = [], None
    for entry in entries:
        when = "同日" if entry.on_date == previous else format_date(entry.on_date)
        sentences.append(_sentence(entry, words, when))
        previous = entry.on_date
    return "".join(sentences)

