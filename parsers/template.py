"""The national report template as data: labels, canonical keys, order, versions.

Every layout reader (HTML grid, text lines, digit runs, PDF geometry, DOCX) maps its labels through this
module, so adding a template version means adding rows here, not branches elsewhere.
Source: ../shared/spec/annual-report-format.md §3–§5.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# ---------------------------------------------------------------- label normalisation (spec §8.1, §8.2)

_DROP = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=65536)
def norm_label(text: str) -> str:
    """NFKC, then drop whitespace and punctuation so 'ﾠ(三) 不予公开' and '（三）不予公开' compare equal."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, giving up (returning limit+1) once it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


# ---------------------------------------------------------------- table 三 (spec §4)

T3_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "org_business",
    "org_research",
    "org_public_welfare",
    "org_legal_service",
    "org_other",
    "total",
)

T3_COLUMN_LABELS: dict[str, tuple[str, ...]] = {
    "natural_person": ("自然人",),
    "org_business": ("商业企业",),
    "org_research": ("科研机构",),
    "org_public_welfare": ("社会公益组织",),
    "org_legal_service": ("法律服务机构",),
    "org_other": ("其他",),
    "total": ("总计", "合计", "小计"),
}


@dataclass(frozen=True)
class RowDef:
    """One row of table 三: its key, its printed label (numbering included) and which versions have it."""

    key: str
    label: str
    versions: tuple[str, ...] = ("2019", "2021")
    group: bool = False  # a merged group label with no numbers of its own


T3_ROWS: tuple[RowDef, ...] = (
    RowDef("new_received", "一、本年新收政府信息公开申请数量"),
    RowDef("carried_over_in", "二、上年结转政府信息公开申请数量"),
    RowDef("_results", "三、本年度办理结果", group=True),
    RowDef("granted", "（一）予以公开"),
    RowDef("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    RowDef("_withheld", "（三）不予公开", group=True),
    RowDef("withheld_state_secret", "1.属于国家秘密"),
    RowDef("withheld_law_prohibited", "2.其他法律行政法规禁止公开"),
    RowDef("withheld_security_stability", "3.危及“三安全一稳定”"),
    RowDef("withheld_third_party", "4.保护第三方合法权益"),
    RowDef("withheld_internal_affairs", "5.属于三类内部事务信息"),
    RowDef("withheld_process_info", "6.属于四类过程性信息"),
    RowDef("withheld_enforcement_file", "7.属于行政执法案卷"),
    RowDef("withheld_admin_query", "8.属于行政查询事项"),
    RowDef("_unable", "（四）无法提供", group=True),
    RowDef("unable_not_held", "1.本机关不掌握相关政府信息"),
    RowDef("unable_needs_creation", "2.没有现成信息需要另行制作"),
    RowDef("unable_unclear", "3.补正后申请内容仍不明确"),
    RowDef("_not_processed", "（五）不予处理", group=True),
    RowDef("not_processed_complaint", "1.信访举报投诉类申请"),
    RowDef("not_processed_duplicate", "2.重复申请"),
    RowDef("not_processed_publication", "3.要求提供公开出版物"),
    RowDef("not_processed_excessive", "4.无正当理由大量反复申请"),
    RowDef("not_processed_confirm_reissue", "5.要求行政机关确认或重新出具已获取信息"),
    RowDef("other_total", "（六）其他处理", versions=("2019",)),
    RowDef("_other", "（六）其他处理", versions=("2021",), group=True),
    RowDef(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        versions=("2021",),
    ),
    RowDef(
        "other_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        versions=("2021",),
    ),
    RowDef("other_misc", "3.其他", versions=("2021",)),
    RowDef("processed_total", "（七）总计"),
    RowDef("carried_over_out", "四、结转下年度继续办理"),
)


@lru_cache(maxsize=8)
def t3_rows(version: str) -> tuple[RowDef, ...]:
    return tuple(r for r in T3_ROWS if version in r.versions)


@lru_cache(maxsize=8)
def t3_data_rows(version: str) -> tuple[RowDef, ...]:
    return tuple(r for r in t3_rows(version) if not r.group)


T3_LEAF_SUM = {  # rows whose sum is processed_total (identity I2)
    "2019": [
        "granted",
        "partially_granted",
        "withheld_state_secret",
        "withheld_law_prohibited",
        "withheld_security_stability",
        "withheld_third_party",
        "withheld_internal_affairs",
        "withheld_process_info",
        "withheld_enforcement_file",
        "withheld_admin_query",
        "unable_not_held",
        "unable_needs_creation",
        "unable_unclear",
        "not_processed_complaint",
        "not_processed_duplicate",
        "not_processed_publication",
        "not_processed_excessive",
        "not_processed_confirm_reissue",
        "other_total",
    ],
}
T3_LEAF_SUM["2021"] = T3_LEAF_SUM["2019"][:-1] + ["other_no_correction", "other_fee_unpaid", "other_misc"]

# Markers that tell table 三's version (spec §1).
T3_2021_MARKERS = ("申请人无正当理由逾期不补正", "逾期未按收费通知")

# ---------------------------------------------------------------- table 二 (spec §3)


@dataclass(frozen=True)
class BlockDef:
    key: str
    caption_no: str  # the （N） of 第二十条第（N）项
    items: tuple[tuple[str, tuple[str, ...]], ...]  # (item_key, labels)
    metrics: tuple[tuple[str, tuple[str, ...]], ...]  # (metric_key, header labels), in printed order


T2_BLOCKS: dict[str, tuple[BlockDef, ...]] = {
    "2019": (
        BlockDef(
            "art20_1",
            "一",
            (("regulations", ("规章",)), ("normative_documents", ("规范性文件", "行政规范性文件"))),
            (
                ("issued_count", ("本年新制作数量", "本年制发件数")),
                ("newly_published_count", ("本年新公开数量",)),
                ("total_published_count", ("对外公开总数量",)),
            ),
        ),
        BlockDef(
            "art20_5",
            "五",
            (
                ("administrative_license", ("行政许可",)),
                ("other_external_services", ("其他对外管理服务事项",)),
            ),
            (
                ("prev_year_item_count", ("上一年项目数量",)),
                ("item_count_change", ("本年增减", "本年增")),
                ("decision_count", ("处理决定数量", "本年处理决定数量")),
            ),
        ),
        BlockDef(
            "art20_6",
            "六",
            (("administrative_penalty", ("行政处罚",)), ("administrative_coercion", ("行政强制",))),
            (
                ("prev_year_item_count", ("上一年项目数量",)),
                ("item_count_change", ("本年增减", "本年增")),
                ("decision_count", ("处理决定数量", "本年处理决定数量")),
            ),
        ),
        BlockDef(
            "art20_8",
            "八",
            (("administrative_fees", ("行政事业性收费",)),),
            (("prev_year_item_count", ("上一年项目数量",)), ("item_count_change", ("本年增减", "本年增"))),
        ),
        BlockDef(
            "art20_9",
            "九",
            (("centralized_procurement", ("政府集中采购",)),),
            (
                ("procurement_project_count", ("采购项目数量",)),
                ("procurement_total_amount", ("采购总金额",)),
            ),
        ),
    ),
    "2021": (
        BlockDef(
            "art20_1",
            "一",
            (("regulations", ("规章",)), ("normative_documents", ("行政规范性文件", "规范性文件"))),
            (
                ("issued_count", ("本年制发件数", "本年新制作数量")),
                ("repealed_count", ("本年废止件数",)),
                ("in_force_count", ("现行有效件数",)),
            ),
        ),
        BlockDef(
            "art20_5",
            "五",
            (("administrative_license", ("行政许可",)),),
            (("decision_count", ("本年处理决定数量", "处理决定数量")),),
        ),
        BlockDef(
            "art20_6",
            "六",
            (("administrative_penalty", ("行政处罚",)), ("administrative_coercion", ("行政强制",))),
            (("decision_count", ("本年处理决定数量", "处理决定数量")),),
        ),
        BlockDef(
            "art20_8",
            "八",
            (("administrative_fees", ("行政事业性收费",)),),
            (("fee_amount_wan_yuan", ("本年收费金额单位万元", "本年收费金额")),),
        ),
    ),
}

T2_METRIC_UNITS = {"fee_amount_wan_yuan": "万元"}

T2_2021_MARKERS = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额")
T2_2019_MARKERS = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "其他对外管理服务事项",
    "第二十条第九项",
    "政府集中采购",
)

# ---------------------------------------------------------------- table 四 (spec §5)

T4_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
T4_OUTCOMES = ("upheld", "corrected", "other", "pending", "total")
T4_OUTCOME_LABELS = {
    "upheld": ("结果维持", "维持"),
    "corrected": ("结果纠正", "纠正"),
    "other": ("其他结果",),
    "pending": ("尚未审结",),
    "total": ("总计", "合计"),
}
T4_HEADER_WORDS = ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉") + tuple(
    w for ws in T4_OUTCOME_LABELS.values() for w in ws
)

# ---------------------------------------------------------------- sections (spec §2)

SECTION_KEYS = (
    "s1_overview",
    "s2_active_disclosure",
    "s3_applications",
    "s4_review_litigation",
    "s5_problems",
    "s6_other",
)
