"""Closed vocabularies of the pilot plan (SPEC M-1, M-2), as stable English codes with Chinese labels.

Codes are stored in the database and travel in packets; labels are what a clerk reads. Never store a
label, never show a code. Every label is translatable (SPEC U-1): tools/translations.py collects the labels of all
Labelled classes into the context ``hecun_office.domain.i18n.LABELS``, and the UI shows them through
``hecun_office.ui.formatting.vocab_text``; documents, ledgers and packets keep the Chinese label.
"""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A StrEnum whose members carry a Chinese label."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Labelled:  # default only to satisfy type checkers
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    @classmethod
    def from_label(cls, label: str) -> Labelled:
        for member in cls:
            if member.label == label:
                return member
        raise ValueError(label)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class Source(Labelled):
    """M-1: where a matter came from."""

    HOTLINE = "hotline", "12345政务服务热线"
    COMPLAINT_PLATFORM = "complaint_platform", "浙江省统一政务咨询投诉举报平台"
    DAILY = "daily", "日常监督"
    SPECIAL = "special", "专项监督"
    CASE_REVIEW = "case_review", "案卷评查"
    INSPECTION = "inspection", "行政执法工作情况检查"
    SUPERVISOR = "supervisor", "法治监督员反映"
    PETITION = "petition", "群众来信来访"
    PROCURATORATE = "procuratorate", "检察机关移送/抄送"
    BUREAU = "bureau", "司法局交办"
    REVIEW_LITIGATION = "review_litigation", "行政复议/诉讼中发现"
    OTHER = "other", "其他"


class Category(Labelled):
    """M-2: the nine supervision contents of the pilot plan §二(一)2, in its order."""

    IMPLEMENTATION = "implementation", "法律法规规章在乡镇层面的实施情况"
    QUALIFICATION = "qualification", "乡镇行政执法主体和行政执法人员资格的合法性"
    LEGALITY = "legality", "具体行政行为的合法性"
    CONCENTRATED_PENALTY = "concentrated_penalty", "乡镇相对集中行使行政处罚权情况"
    DEPARTMENT_DUTIES = "department_duties", "行政执法事项划转后业务主管部门监管、指导、培训等职责履行情况"
    DISPUTE = "dispute", "乡镇与其他行政执法主体之间的执法争议协调"
    RESPONSIBILITY = "responsibility", "乡镇行政执法责任制度、行政执法投诉制度落实情况"
    DISCLOSURE = "disclosure", "乡镇行政执法信息公开、行政执法与刑事司法衔接情况"
    OTHER = "other", "依法应当监督的其他事项"


class Method(Labelled):
    """M-2: supervision methods of §二(三)1."""

    INSPECTION = "inspection", "工作情况检查"
    SPECIAL = "special", "专项监督"
    CASE_REVIEW = "case_review", "案卷评查"
    CASE_GUIDANCE = "case_guidance", "案例指导"
    QUALITY_REVIEW = "quality_review", "质效评议"
    WORK_REPORT = "work_report", "工作报告"
    STATISTICS = "statistics", "统计分析"


class Track(Labelled):
    """一般事项 / 高频事项 (pilot plan §二(一)3)."""

    GENERAL = "general", "一般事项"
    FREQUENT = "frequent", "高频事项"


class UnitKind(Labelled):
    TOWNSHIP_GOVERNMENT = "township_government", "乡镇人民政府"
    INTERNAL_BODY = "internal_body", "乡镇内设机构"
    STATIONED_AGENCY = "stationed_agency", "县级部门派驻机构"
    ENTRUSTED = "entrusted", "受委托组织"


class Role(Labelled):
    """U-6."""

    CLERK = "clerk", "承办人"
    REVIEWER = "reviewer", "审核人"
    SIGNER = "signer", "签发人"
    ADMIN = "admin", "管理员"


class Mode(Labelled):
    OFFICE = "office", "司法所端"
    BUREAU = "bureau", "司法局端"
