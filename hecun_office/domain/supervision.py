"""Vocabularies of the pilot's other supervision work (SPEC O-1..O-3), as stable codes with Chinese labels."""

from __future__ import annotations

from .vocab import Labelled


class SupervisorKind(Labelled):
    """O-1: where a 法治监督员 comes from (seed 002 §二(三)2: 聘请人大代表、政协委员、法律工作者、新闻工作者和群众代表)."""

    DEPUTY = "deputy", "人大代表"
    CPPCC = "cppcc", "政协委员"
    LAWYER = "lawyer", "法律工作者"
    JOURNALIST = "journalist", "新闻工作者"
    PUBLIC = "public", "群众代表"
    OTHER = "other", "其他"


class ActivityKind(Labelled):
    """O-1: what a supervisor took part in, or did."""

    INSPECTION = "inspection", "执法检查"
    CASE_REVIEW = "case_review", "案卷评查"
    MEETING = "meeting", "联席会议"
    APPRAISAL = "appraisal", "执法评议"
    REPORT = "report", "反映问题"
    OTHER = "other", "其他"
