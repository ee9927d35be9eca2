"""Pre-2019 reports: the few statistics their prose states reliably (spec §9), each with its evidence.

No national table exists before 2019, so nothing here is checked by identities; each value carries the
sentence it came from so a researcher can judge it. Review/litigation counts are not taken: reports often
state general counts and then say none concerned information disclosure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_N = r"(\d[\d,]*)"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "pre_active_disclosure_count",
        re.compile(rf"主动公开(?:各类)?(?:政府)?信息(?:共计|共|总计)?\s*{_N}\s*条"),
    ),
    (
        "pre_applications_received",
        re.compile(
            rf"(?:受理|收到|接收)(?:[^。；\d]{{0,12}}?)(?:政府)?信息公开(?:申请)?(?:共计|共)?\s*{_N}\s*(?:件|个|次|份)"
        ),
    ),
    (
        "pre_applications_received",
        re.compile(
            rf"(?:受理|收到)(?:各类)?(?:依申请公开|公开申请)(?:申请)?(?:共计|共)?\s*{_N}\s*(?:件|个|次|份)"
        ),
    ),
    (
        "pre_fee_yuan",
        re.compile(rf"收取(?:[^。；\d]{{0,10}}?)费(?:用)?(?:共计|共|合计)?\s*{_N}(?:\.\d+)?\s*元"),
    ),
)
# (均/都/全部)未收取…费用: the evidence is the whole sentence, so the optional 均/都 in front is not matched (a
# pattern that may start with an optional group is tried at every position, ten times slower)
_NO_FEE = re.compile(r"未(?:向申请人)?收取(?:任何)?(?:[^。；\d]{0,8})?费用?|没有收取(?:任何)?费用|未收费")


@dataclass
class ProseStat:
    key: str
    value: int
    evidence: str


def _sentence(text: str, start: int, end: int) -> str:
    a = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    b = min((i for i in (text.find("。", end), text.find("\n", end)) if i >= 0), default=len(text))
    return text[a : b + 1].strip()[:200]


def prose_stats(text: str) -> list[ProseStat]:
    out: dict[str, ProseStat] = {}
    for key, pat in PATTERNS:
        if key in out:
            continue
        m = pat.search(text)
        if m:
            out[key] = ProseStat(key, int(m.group(1).replace(",", "")), _sentence(text, m.start(), m.end()))
    if "pre_fee_yuan" not in out and (m := _NO_FEE.search(text)):
        out["pre_fee_yuan"] = ProseStat("pre_fee_yuan", 0, _sentence(text, m.start(), m.end()))
    return list(out.values())
