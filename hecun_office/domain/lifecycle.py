"""M-3: the matter lifecycle as an explicit state machine.

Every change of status is an ``Action``; the table below is the only place that says which action is
allowed from which status. Reopening is an action too, so history is never edited.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import TransitionNotAllowed
from .vocab import Labelled


class Status(Labelled):
    REGISTERED = "registered", "登记"
    VERIFYING = "verifying", "核查"
    ADVICE_ISSUED = "advice_issued", "建议书已制发"
    RECTIFYING = "rectifying", "整改中"
    RECTIFIED = "rectified", "已整改"
    OVERDUE = "overdue", "逾期未改"
    REFUSED = "refused", "拒不整改"
    SERIOUS = "serious", "情节严重复杂"
    ESCALATED = "escalated", "已提请司法局"
    OUT_OF_SCOPE = "out_of_scope", "超出范围"
    TRANSFERRED = "transferred", "已移送"
    ASSISTANCE_NEEDED = "assistance_needed", "需要协作"
    ASSISTING = "assisting", "协作中"
    ASSISTANCE_ANSWERED = "assistance_answered", "已反馈"
    CLOSED = "closed", "办结"


# Statuses in which nothing more is expected of the office.
FINAL_STATUSES = frozenset({Status.CLOSED, Status.TRANSFERRED})


class Action(Labelled):
    REGISTER = "register", "登记"  # the first timeline entry; not a transition
    START_VERIFICATION = "start_verification", "开始核查"
    CLOSE_NO_ISSUE = "close_no_issue", "办结(无问题)"
    ISSUE_ADVICE = "issue_advice", "制发建议书"
    START_RECTIFICATION = "start_rectification", "单位开始整改"
    CONFIRM_RECTIFIED = "confirm_rectified", "确认已整改"
    MARK_OVERDUE = "mark_overdue", "逾期未改"
    MARK_REFUSED = "mark_refused", "拒不整改"
    FLAG_SERIOUS = "flag_serious", "标记情节严重复杂"
    ESCALATE = "escalate", "提请司法局"
    RECORD_BUREAU_REPLY = "record_bureau_reply", "登记司法局处理结果"
    MARK_OUT_OF_SCOPE = "mark_out_of_scope", "超出监督范围"
    TRANSFER = "transfer", "移送司法局"
    NEED_ASSISTANCE = "need_assistance", "需要协作"
    SEND_ASSISTANCE_REQUEST = "send_assistance_request", "发出协作函"
    RECORD_ASSISTANCE_REPLY = "record_assistance_reply", "登记司法局反馈"
    RESUME_VERIFICATION = "resume_verification", "继续核查"
    CLOSE = "close", "办结"
    REOPEN = "reopen", "重新办理"
    # Timeline entries that record a fact without changing the status (not in TRANSITIONS):
    RECORD_SERVICE = "record_service", "文书送达"  # D-8: may start the rectification period
    MERGE_REF = "merge_ref", "合并工单"  # M-5: a further work order about the same matter
    CORRECT = "correct", "更正登记信息"  # issue 11 item 5: before → after, with the reason


S = Status
A = Action

_RECTIFICATION_OPEN = (S.ADVICE_ISSUED, S.RECTIFYING)
_ACTIVE = (S.REGISTERED, S.VERIFYING, S.ADVICE_ISSUED, S.RECTIFYING, S.ASSISTANCE_NEEDED, S.ASSISTING,
           S.ASSISTANCE_ANSWERED)

# action -> (allowed source statuses, target status)
TRANSITIONS: dict[Action, tuple[tuple[Status, ...], Status]] = {
    A.START_VERIFICATION: ((S.REGISTERED,), S.VERIFYING),
    A.CLOSE_NO_ISSUE: ((S.REGISTERED, S.VERIFYING), S.CLOSED),
    A.ISSUE_ADVICE: ((S.VERIFYING, S.ASSISTANCE_ANSWERED), S.ADVICE_ISSUED),
    A.START_RECTIFICATION: ((S.ADVICE_ISSUED,), S.RECTIFYING),
    A.CONFIRM_RECTIFIED: (_RECTIFICATION_OPEN + (S.OVERDUE,), S.RECTIFIED),
    A.MARK_OVERDUE: (_RECTIFICATION_OPEN, S.OVERDUE),
    A.MARK_REFUSED: (_RECTIFICATION_OPEN, S.REFUSED),
    A.FLAG_SERIOUS: (_ACTIVE, S.SERIOUS),
    A.ESCALATE: ((S.OVERDUE, S.REFUSED, S.SERIOUS), S.ESCALATED),
    A.RECORD_BUREAU_REPLY: ((S.ESCALATED,), S.CLOSED),
    A.MARK_OUT_OF_SCOPE: ((S.REGISTERED, S.VERIFYING), S.OUT_OF_SCOPE),
    A.TRANSFER: ((S.OUT_OF_SCOPE,), S.TRANSFERRED),
    A.NEED_ASSISTANCE: ((S.VERIFYING,), S.ASSISTANCE_NEEDED),
    A.SEND_ASSISTANCE_REQUEST: ((S.ASSISTANCE_NEEDED,), S.ASSISTING),
    A.RECORD_ASSISTANCE_REPLY: ((S.ASSISTING,), S.ASSISTANCE_ANSWERED),
    A.RESUME_VERIFICATION: ((S.ASSISTANCE_ANSWERED,), S.VERIFYING),
    A.CLOSE: ((S.RECTIFIED, S.ASSISTANCE_ANSWERED), S.CLOSED),
    A.REOPEN: (tuple(FINAL_STATUSES), S.VERIFYING),
}

# Actions that happen only by issuing their document (pilot plan §二(四)): the matter moves, and the 3-working-day
# report obligation is met, on the day the report, letter or transfer is issued — never by a status click.
BY_DOCUMENT: dict[Action, str] = {
    A.ESCALATE: "escalation_report",
    A.TRANSFER: "clue_transfer",
    A.SEND_ASSISTANCE_REQUEST: "assistance_request",
}

# Actions whose reason is part of the record and may not be left empty.
REASON_REQUIRED = frozenset({A.CLOSE_NO_ISSUE, A.MARK_REFUSED, A.FLAG_SERIOUS, A.MARK_OUT_OF_SCOPE, A.REOPEN})


@dataclass(frozen=True)
class Transition:
    action: Action
    source: Status
    target: Status


def allowed_actions(status: Status) -> list[Action]:
    """Actions a clerk may take on a matter in ``status``, in table order."""
    return [action for action, (sources, _) in TRANSITIONS.items() if status in sources]


def transition(status: Status, action: Action) -> Transition:
    """Return the transition or refuse it with a message naming what is allowed."""
    if action not in TRANSITIONS:
        raise TransitionNotAllowed(f"“{action.label}”不是可以手工执行的操作。")
    sources, target = TRANSITIONS[action]
    if status not in sources:
        allowed = "、".join(f"“{a.label}”" for a in allowed_actions(status)) or "无（事项已办结，可“重新办理”）"
        raise TransitionNotAllowed(
            f"事项当前状态为“{status.label}”，不能执行“{action.label}”。当前可以执行的操作：{allowed}。"
        )
    return Transition(action, status, target)
