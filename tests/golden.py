"""Golden values, read by hand from the source documents in fixtures/ (HTML cells, text lines, CR cells).

Each table 三 is cross-checked below (``test_goldens_satisfy_identities``) so a typo here cannot hide.
Rows not listed under ``t3`` are all zero in the source; ``None`` marks a cell printed blank.
"""

from __future__ import annotations

from decimal import Decimal

Z = [0] * 7


def row(*v):
    return list(v)


SEED_T3 = {
    "new_received": row(2, 0, 0, 0, 0, 0, 2),
    "granted": row(2, 0, 0, 0, 0, 0, 2),
    "processed_total": row(2, 0, 0, 0, 0, 0, 2),
}

PINGTAN_2019_T3 = {
    "new_received": row(23, 0, 0, 0, 0, 0, 23),
    "granted": row(7, 0, 0, 0, 0, 0, 7),
    "partially_granted": row(1, 0, 0, 0, 0, 0, 1),
    "unable_not_held": row(7, 0, 0, 0, 0, 0, 7),
    "unable_unclear": row(5, 0, 0, 0, 0, 0, 5),
    "not_processed_duplicate": row(3, 0, 0, 0, 0, 0, 3),
    "processed_total": row(23, 0, 0, 0, 0, 0, 23),
}

PINGTAN_2022_T3 = {
    "new_received": row(71, 3, 0, 0, 0, 0, 74),
    "carried_over_in": row(1, 0, 0, 0, 0, 0, 1),
    "granted": row(21, 0, 0, 0, 0, 0, 21),
    "partially_granted": row(8, 1, 0, 0, 0, 0, 9),
    "withheld_internal_affairs": row(1, 0, 0, 0, 0, 0, 1),
    "withheld_process_info": row(2, 0, 0, 0, 0, 0, 2),
    "withheld_enforcement_file": row(1, 0, 0, 0, 0, 0, 1),
    "unable_not_held": row(37, 0, 0, 0, 0, 0, 37),
    "other_no_correction": row(2, 0, 0, 0, 0, 0, 2),
    "other_misc": row(0, 2, 0, 0, 0, 0, 2),
    "processed_total": row(72, 3, 0, 0, 0, 0, 75),
}

JYT_2023_T3 = {
    "new_received": row(18, 1, 0, 0, 0, 0, 19),
    "granted": row(9, 0, 0, 0, 0, 0, 9),
    "partially_granted": row(2, 0, 0, 0, 0, 0, 2),
    "withheld_security_stability": row(1, 0, 0, 0, 0, 0, 1),
    "withheld_third_party": row(2, 1, 0, 0, 0, 0, 3),
    "unable_not_held": row(2, 0, 0, 0, 0, 0, 2),
    "unable_needs_creation": row(1, 0, 0, 0, 0, 0, 1),
    "not_processed_complaint": row(1, 0, 0, 0, 0, 0, 1),
    "processed_total": row(18, 1, 0, 0, 0, 0, 19),
}

JYT_2022_T3 = {
    "new_received": row(41, 2, 0, 0, 1, 0, 44),
    "granted": row(24, 2, 0, 0, 1, 0, 27),
    "partially_granted": row(3, 0, 0, 0, 0, 0, 3),
    "withheld_security_stability": row(1, 0, 0, 0, 0, 0, 1),
    "withheld_third_party": row(2, 0, 0, 0, 0, 0, 2),
    "unable_not_held": row(2, 0, 0, 0, 0, 0, 2),
    "unable_needs_creation": row(1, 0, 0, 0, 0, 0, 1),
    "unable_unclear": row(1, 0, 0, 0, 0, 0, 1),
    "not_processed_complaint": row(5, 0, 0, 0, 0, 0, 5),
    "other_no_correction": row(2, 0, 0, 0, 0, 0, 2),
    "processed_total": row(41, 2, 0, 0, 1, 0, 44),
}

SHANGHAI_2025_T3 = {
    "new_received": row(1259, 36, 0, 0, 0, 0, 1295),
    "carried_over_in": row(170, 15, 0, 0, 4, 0, 189),
    "granted": row(201, 5, 0, 0, 0, 0, 206),
    "partially_granted": row(2, 0, 0, 0, 0, 0, 2),
    "withheld_state_secret": row(4, 0, 0, 0, 0, 0, 4),
    "withheld_security_stability": row(1, 0, 0, 0, 0, 0, 1),
    "withheld_internal_affairs": row(8, 0, 0, 0, 1, 0, 9),
    "withheld_process_info": row(1, 0, 0, 0, 0, 0, 1),
    "withheld_admin_query": row(5, 0, 0, 0, 0, 0, 5),
    "unable_not_held": row(484, 28, 0, 0, 1, 0, 513),
    "unable_needs_creation": row(47, 1, 0, 0, 0, 0, 48),
    "unable_unclear": row(3, 0, 0, 0, 0, 0, 3),
    "not_processed_complaint": row(61, 1, 0, 0, 0, 0, 62),
    "not_processed_duplicate": row(16, 0, 0, 0, 0, 0, 16),
    "not_processed_publication": row(1, 0, 0, 0, 0, 0, 1),
    "not_processed_excessive": row(1, 0, 0, 0, 0, 0, 1),
    "other_no_correction": row(40, 1, 0, 0, 2, 0, 43),
    "other_misc": row(264, 12, 0, 0, 0, 0, 276),
    "processed_total": row(1139, 48, 0, 0, 4, 0, 1191),
    "carried_over_out": row(290, 3, 0, 0, 0, 0, 293),
}

PINGTAN_2019_T2 = {
    ("art20_1", "regulations"): [0, 0, 0],
    ("art20_1", "normative_documents"): [89, 89, 89],
    ("art20_5", "administrative_license"): [396, 0, 181],
    ("art20_5", "other_external_services"): [10, 0, 153],
    ("art20_6", "administrative_penalty"): [2648, 0, 430],
    ("art20_6", "administrative_coercion"): [126, 0, 25],
    ("art20_8", "administrative_fees"): [35, 0],
    ("art20_9", "centralized_procurement"): [135, Decimal("75394432.52")],
}
PINGTAN_2022_T2 = {
    ("art20_1", "regulations"): [0, 0, 0],
    ("art20_1", "normative_documents"): [88, 55, 698],
    ("art20_5", "administrative_license"): [10690],
    ("art20_6", "administrative_penalty"): [2113],
    ("art20_6", "administrative_coercion"): [0],
    ("art20_8", "administrative_fees"): [Decimal("9116.36")],
}
SEED_T2 = {
    ("art20_1", "regulations"): [0, 0, 0],
    ("art20_1", "normative_documents"): [2, 2, 13],
    ("art20_5", "administrative_license"): [62, 0, 1226],
    ("art20_5", "other_external_services"): [189, 0, 0],
    ("art20_6", "administrative_penalty"): [1269, 0, 208],
    ("art20_6", "administrative_coercion"): [39, 0, 0],
    ("art20_8", "administrative_fees"): [0, 0],
    ("art20_9", "centralized_procurement"): [242, 1814],
}
JYT_2023_T2 = {
    ("art20_1", "regulations"): [0, 0, 0],
    ("art20_1", "normative_documents"): [3, 5, 156],
    ("art20_5", "administrative_license"): [7417],
    ("art20_6", "administrative_penalty"): [1],
    ("art20_6", "administrative_coercion"): [0],
    ("art20_8", "administrative_fees"): [Decimal("397.619")],
}

GOLDEN = {
    "seed-xiejiaji-2020.txt": dict(
        title="谢家集区人民政府2020年政府信息公开工作年度报告",
        organ="谢家集区人民政府",
        year=2020,
        published_date="2021-02-19",
        template="2019",
        t3=SEED_T3,
        t2=SEED_T2,
        t4=[0] * 15,
    ),
    "pingtan-2019.html": dict(
        title="平潭综合实验区2019年度政府信息公开工作年度报告",
        organ="平潭综合实验区",
        year=2019,
        published_date="2020-01-20",
        template="2019",
        t3=PINGTAN_2019_T3,
        t2=PINGTAN_2019_T2,
        t4=[0] * 15,
    ),
    "pingtan-2019.txt": dict(
        title="平潭综合实验区2019年度政府信息公开工作年度报告",
        organ="平潭综合实验区",
        year=2019,
        published_date="2020-01-20",
        template="2019",
        t3=PINGTAN_2019_T3,
        t2=PINGTAN_2019_T2,
        t4=[0] * 15,
    ),
    "pingtan-2022.html": dict(
        title="平潭综合实验区2022年度政府信息公开工作年度报告",
        organ="平潭综合实验区",
        year=2022,
        published_date="2023-02-20",
        template="2021",
        t3=PINGTAN_2022_T3,
        t2=PINGTAN_2022_T2,
        t4=[0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0],
    ),
    "pingtan-2022.txt": dict(
        title="平潭综合实验区2022年度政府信息公开工作年度报告",
        organ="平潭综合实验区",
        year=2022,
        published_date="2023-02-20",
        template="2021",
        t3=PINGTAN_2022_T3,
        t2=PINGTAN_2022_T2,
        t4=[0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0],
    ),
    "hebei-jyt-2023.txt": dict(
        year=2023,
        template="2021",
        t3=JYT_2023_T3,
        t2=JYT_2023_T2,
        t4=[6, 1, 0, 0, 7, 0, 0, 0, 0, 0, 6, 1, 0, 0, 7],
    ),
    "hebei-jyt-2022.txt": dict(
        year=2022,
        template="2021",
        t3=JYT_2022_T3,
        t4=[2, 2, 0, 0, 4, 0, 1, 0, 1, 2, 1, 0, 0, 0, 1],
    ),
    "shanghai-gov-office-2025.source.md": dict(
        organ="上海市人民政府办公厅",
        year=2025,
        template="2021",
        t3=SHANGHAI_2025_T3,
        t4=[40, 0, 10, 5, 55, 2, 0, 4, 6, 12, 6, 0, 9, 7, 22],
    ),
}

# Fixtures whose every expected cell must come out (the others are damaged sources: what we give must be
# right, but some cells are honestly unreadable).
COMPLETE = {
    "seed-xiejiaji-2020.txt",
    "pingtan-2019.html",
    "pingtan-2022.html",
    "hebei-jyt-2023.txt",
    "hebei-jyt-2022.txt",
}

# 洪泽区 PDFs: read from the page images (pypdfium2 render, pages 2–4). Table 三 uses the 2019 rows
# (（六）其他处理 is one row) while table 二 uses the 2021 layout: a mixed template seen in the wild.
HONGZE_2023_T3 = {
    "new_received": row(21, 0, 0, 0, 0, 0, 21),
    "partially_granted": row(4, 0, 0, 0, 0, 0, 4),
    "withheld_state_secret": row(1, 0, 0, 0, 0, 0, 1),
    "withheld_process_info": row(1, 0, 0, 0, 0, 0, 1),
    "withheld_enforcement_file": row(1, 0, 0, 0, 0, 0, 1),
    "unable_not_held": row(10, 0, 0, 0, 0, 0, 10),
    "unable_needs_creation": row(3, 0, 0, 0, 0, 0, 3),
    "not_processed_complaint": row(1, 0, 0, 0, 0, 0, 1),
    "processed_total": row(21, 0, 0, 0, 0, 0, 21),
}
HONGZE_2024_T3 = {
    "new_received": row(95, 0, 0, 0, 0, 0, 95),
    "granted": row(50, 0, 0, 0, 0, 0, 50),
    "partially_granted": row(9, 0, 0, 0, 0, 0, 9),
    "withheld_security_stability": row(1, 0, 0, 0, 0, 0, 1),
    "withheld_process_info": row(1, 0, 0, 0, 0, 0, 1),
    "withheld_enforcement_file": row(1, 0, 0, 0, 0, 0, 1),
    "unable_not_held": row(31, 0, 0, 0, 0, 0, 31),
    "unable_needs_creation": row(1, 0, 0, 0, 0, 0, 1),
    "not_processed_complaint": row(1, 0, 0, 0, 0, 0, 1),
    "processed_total": row(95, 0, 0, 0, 0, 0, 95),
}
GOLDEN["huaian-hongzequ-2023.pdf"] = dict(
    title="洪泽区人民政府2023 年政府信息公开工作年度报告",
    organ="洪泽区人民政府",
    year=2023,
    template="2019",
    t3=HONGZE_2023_T3,
    t2={
        ("art20_1", "regulations"): [0, 0, 0],
        ("art20_1", "normative_documents"): [0, 5, 5],
        ("art20_5", "administrative_license"): [550],
        ("art20_6", "administrative_penalty"): [4119],
        ("art20_6", "administrative_coercion"): [195],
        ("art20_8", "administrative_fees"): [Decimal("7730.28")],
    },
    t2_version="2021",
    # printed as is: 复议 10,1,0,0 with 总计 0 and 复议后起诉 5,0,0,0 with 总计 0 (the source's own errors)
    t4=[10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0],
    t4_source_errors=True,
)
GOLDEN["huaian-hongzequ-2024.pdf"] = dict(
    title="淮安市洪泽区人民政府2024 年政府信息公开工作年度报告",
    organ="淮安市洪泽区人民政府",
    year=2024,
    template="2019",
    t3=HONGZE_2024_T3,
    t2={
        ("art20_1", "regulations"): [0, 0, 0],
        ("art20_1", "normative_documents"): [3, 0, 8],
        ("art20_5", "administrative_license"): [9487],
        ("art20_6", "administrative_penalty"): [2776],
        ("art20_6", "administrative_coercion"): [84],
        ("art20_8", "administrative_fees"): [7545],
    },
    t2_version="2021",
    t4=[1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3],
)
COMPLETE |= {"huaian-hongzequ-2023.pdf", "huaian-hongzequ-2024.pdf"}

# Generated hard cases (fixtures/generated/build.py typesets these same hand-read values).
GOLDEN["pingtan-2022-cid.pdf"] = dict(GOLDEN["pingtan-2022.html"], published_date=None)
GOLDEN["seed-merged.docx"] = dict(GOLDEN["seed-xiejiaji-2020.txt"], published_date=None)
COMPLETE |= {"pingtan-2022-cid.pdf", "seed-merged.docx"}
