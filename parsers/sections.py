"""Sections 一…六 (spec §2) from the report text, matched on their full heading wording.

Table 三's last row 四、结转下年度继续办理 starts with 四、 too; headings are recognised by their words
(复议/诉讼 for 四), never by the numeral alone.
"""

from __future__ import annotations

import re

from .record import Section

_P = r"[、.．，,]?\s*"
HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("s1_overview", re.compile(rf"一{_P}(?:总体情况|总体概述|概述|基本情况)")),
    ("s2_active_disclosure", re.compile(rf"二{_P}(?:行政机关)?主动公开(?:政府信息)?(?:的)?(?:情况|工作)?")),
    ("s3_applications", re.compile(rf"三{_P}(?:行政机关)?(?:收到和处理|依申请公开)[^\n。]{{0,20}}?情况")),
    (
        "s4_review_litigation",
        re.compile(
            rf"四{_P}(?:因)?(?:政府信息公开)?[^\n。\d]{{0,16}}?复议[^\n。\d]{{0,16}}?诉讼[^\n。\d]{{0,8}}?情况"
        ),
    ),
    (
        "s5_problems",
        re.compile(rf"五{_P}[^\n。\d]{{0,14}}?(?:存在的?(?:主要)?问题|问题及改进)[^\n。\d]{{0,12}}"),
    ),
    ("s6_other", re.compile(rf"六{_P}其他需要报告的?事项")),
)

# (marker, pattern): the template's own instructions left in by careless editors
TEMPLATE_LEFTOVERS = (
    ("编写说明", re.compile(r"编写说明[:：].{0,120}?主要考虑极少数特殊情况。?")),
    ("该部分以表格形式报告", re.compile(r"该部分以表格形式报告。表格如下[:：]?")),
)


def split_sections(text: str) -> list[Section]:
    """Find each heading after the previous one; a section runs to the next heading found."""
    found: list[tuple[int, int, str, str]] = []
    pos = 0
    for key, pat in HEADINGS:
        m = pat.search(text, pos)
        if not m:
            continue
        found.append((m.start(), m.end(), key, m.group(0).strip()))
        pos = m.end()
    out: list[Section] = []
    for i, (_s, e, key, heading) in enumerate(found):
        end = found[i + 1][0] if i + 1 < len(found) else len(text)
        body = text[e:end]
        for marker, leftover in TEMPLATE_LEFTOVERS:
            if marker in body:
                body = leftover.sub("", body)
        out.append(Section(key, heading, body.strip()))
    return out


_FEE = re.compile(r"(?:收取|收缴)?信息处理费(?:共计|合计|总计)?\s*([\d,]+(?:\.\d+)?)\s*(万?元)")


def info_processing_fee(sections: list[Section]) -> str | None:
    for s in sections:
        if s.key == "s6_other":
            m = _FEE.search(s.text)
            if m:
                return m.group(0)
    return None


# [^\S\n]: a line's own leading spaces only (\s would run across blank lines and make the scan quadratic)
_GENERIC = re.compile(r"(?m)^[^\S\n]*([一二三四五六七八九十]{1,2})[、.．][^\S\n]*([^\n]{2,40})")
_PRE2019_KEYS = (
    ("s1_overview", ("概述", "概况", "总体情况", "基本情况", "基本工作情况")),
    ("s2_active_disclosure", ("主动公开",)),
    ("s_fees", ("收费",)),
    ("s3_applications", ("依申请", "申请公开", "申请情况")),
    ("s4_review_litigation", ("复议", "诉讼")),
    ("s5_problems", ("问题", "改进", "不足")),
    ("s6_other", ("其他需要报告", "需要说明", "其他事项")),
)


def split_generic(text: str) -> list[Section]:
    """Pre-2019 reports: numbered top-level headings, keyed by their words; unknown ones keep a plain key."""
    heads = list(_GENERIC.finditer(text))
    out: list[Section] = []
    used: set[str] = set()
    for i, m in enumerate(heads):
        heading = m.group(0).strip()
        key = next((k for k, words in _PRE2019_KEYS if any(w in m.group(2)[:20] for w in words)), None)
        if key is None or key in used:
            key = f"s_{len(out) + 1}"
        used.add(key)
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        out.append(Section(key, heading[:60], text[m.end() : end].strip()))
    return out
