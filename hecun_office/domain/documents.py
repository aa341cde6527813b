"""D-4: a document's approval path 拟稿 → 审核 → 签发, and voiding, as one explicit table (like the matter lifecycle)."""

from __future__ import annotations

from .errors import TransitionNotAllowed
from .permissions import Permission
from .vocab import Labelled


class DocStatus(Labelled):
    DRAFT = "draft", "草稿"
    REVIEW = "review", "待审核"
    APPROVED = "approved", "待签发"
    ISSUED = "issued", "已签发"
    VOIDED = "voided", "已作废"


class DocAction(Labelled):
    SUBMIT = "submit", "送审"
    RETURN = "return", "退回修改"
    APPROVE = "approve", "审核通过"
    ISSUE = "issue", "签发"
    VOID = "void", "作废"
    FINALIZE = "finalize", "定稿"  # record forms without a number (送达回证, 登记表): no review, no 文号


D, A = DocStatus, DocAction

# action -> (allowed source statuses, target status, permission needed)
DOC_TRANSITIONS: dict[DocAction, tuple[tuple[DocStatus, ...], DocStatus, Permission]] = {
    A.SUBMIT: ((D.DRAFT,), D.REVIEW, Permission.DOCUMENT_DRAFT),
    A.RETURN: ((D.REVIEW, D.APPROVED), D.DRAFT, Permission.DOCUMENT_REVIEW),
    A.APPROVE: ((D.REVIEW,), D.APPROVED, Permission.DOCUMENT_REVIEW),
    A.ISSUE: ((D.APPROVED,), D.ISSUED, Permission.DOCUMENT_ISSUE),
    A.VOID: ((D.DRAFT, D.REVIEW, D.APPROVED, D.ISSUED), D.VOIDED, Permission.DOCUMENT_ISSUE),
    A.FINALIZE: ((D.DRAFT,), D.ISSUED, Permission.DOCUMENT_DRAFT),
}


def form_actions(status: DocStatus, numbered: bool) -> list[DocAction]:
    """Numbered forms go through review and sign-off; record forms are finalised by the clerk who fills them."""
    skip = {A.FINALIZE} if numbered else {A.SUBMIT, A.APPROVE, A.RETURN, A.ISSUE}
    return [a for a in doc_actions(status) if a not in skip]

EDITABLE = frozenset({D.DRAFT})


def doc_actions(status: DocStatus) -> list[DocAction]:
    return [a for a, (sources, _, _) in DOC_TRANSITIONS.items() if status in sources]


def doc_transition(status: DocStatus, action: DocAction) -> tuple[DocStatus, Permission]:
    sources, target, permission = DOC_TRANSITIONS[action]
    if status not in sources:
        allowed = "、".join(f"“{a.label}”" for a in doc_actions(status)) or "无"
        raise TransitionNotAllowed(f"文书当前状态为“{status.label}”，不能“{action.label}”。当前可以：{allowed}。")
    return target, permission
