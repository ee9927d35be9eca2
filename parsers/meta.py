"""Report metadata: title, organ (发布机关), the year covered and the publication date."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

_TITLE = re.compile(
    r"([^\s，。；:：\"“”《》<>|]{2,60}?)\s*((?:19|20)\d{2})\s*年(?:度)?\s*(?:的\s*)?"
    r"(?:政府信息公开(?:工作)?(?:年度)?(?:报告|年报)|政务公开(?:工作)?年度报告|信息公开(?:工作)?年度报告|政府信息公开工作年度报告)"
)
_TITLE_YEAR_FIRST = re.compile(
    r"^\s*((?:19|20)\d{2})\s*年(?:度)?\s*(?!(?:政府)?信息公开|政务公开)([^\s，。；:：\d]{2,40}?)\s*(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报)"
)
_TITLE_NO_ORGAN = re.compile(
    r"((?:19|20)\d{2})\s*年(?:度)?\s*(?:政府)?信息公开(?:工作)?(?:年度)?(?:报告|年报)"
)
# 发布时间, 发布日期, 发文日期, 成文日期, 公开日期 …: every label ends in 日期 or 时间, so the date right after
# those two words is the same date. Each gap is one \s* (never \s*X?\s*): a long run of spaces after a label
# must not backtrack quadratically (pages padded with whitespace are common).
_DATE_AFTER_LABEL = re.compile(
    r"\s*(?:[:：]\s*)?((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
_URL_DATE = re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_")
_PERIOD = re.compile(
    r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:[起始]\s*)?至\s*(?:((?:19|20)\d{2})\s*年\s*)?12\s*月\s*31\s*日"
)
# what NFKC must fix before a date matches: full-width digits, CJK/Kangxi radicals, compatibility ideographs
_NEEDS_NFKC = re.compile(r"[\uff10-\uff19\u2e80-\u2fdf\uf900-\ufaff]")
_SIGNED = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
_DATE_ANY = re.compile(r"((?:19|20)\d{2})[-/.年]\s*(\d{1,2})[-/.月]\s*(\d{1,2})")


_TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜]|——|(?<!\d)-+|-+(?!\d))\s*")  # not 2020-01-15's hyphens


def clean_title(t: str) -> str:
    """A page <title> without the site's name, which sites put before or after it (站名-标题, 标题_站名):
    the part that reads as a report title, else the first part."""
    parts = [p for p in _TITLE_SEPARATORS.split(unicodedata.normalize("NFKC", t).strip()) if p]
    return next((p for p in parts if title_parts(p)[1] is not None), parts[0] if parts else "")


@lru_cache(maxsize=4096)  # the same lines are asked about by the title search and the list-page test
def title_parts(title: str) -> tuple[str | None, int | None]:
    """(organ, year) from a title like 谢家集区人民政府2020年政府信息公开工作年度报告."""
    t = unicodedata.normalize("NFKC", title)
    m = _TITLE.search(t)
    if m:
        organ = re.sub(r"^(关于|关于印发)", "", m.group(1)).strip("　 -—")
        return organ or None, int(m.group(2))
    m = _TITLE_YEAR_FIRST.search(t)  # 2025 年上海市人民政府办公厅政府信息公开工作年度报告
    if m:
        return m.group(2).strip() or None, int(m.group(1))
    m = _TITLE_NO_ORGAN.search(t)
    if m:
        return None, int(m.group(1))
    return None, None


def _nfkc_if_needed(text: str) -> str:
    """NFKC only when full-width digits could hide a date (a full-page NFKC costs more than the search)."""
    return unicodedata.normalize("NFKC", text) if _has_fullwidth_digits(text) else ""


def _valid(y: int, mo: int, d: int) -> str | None:
    if 1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def date_from_meta(meta: dict[str, str]) -> str | None:
    """The publication date a CMS put in its <meta> tags."""
    for key in (
        "PubDate",
        "pubdate",
        "publishdate",
        "firstpublishedtime",
        "Maketime",
        "article:published_time",
    ):
        v = meta.get(key)
        if v and (m := _DATE_ANY.search(v)):
            if d := _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))):
                return d
    return None


def _labelled_date(text: str) -> re.Match[str] | None:
    """The first 日期/时间 label followed by a date. Labels are found with str.find and the date matched right
    after them: a regex searched over the whole page costs more than the rest of the date logic."""
    found: list[tuple[int, re.Match[str]]] = []
    for label in ("日期", "时间"):
        i = text.find(label)
        while i >= 0:
            if m := _DATE_AFTER_LABEL.match(text, i + len(label)):
                found.append((i, m))
                break
            i = text.find(label, i + 1)
    return min(found, key=lambda im: im[0])[1] if found else None


def _has_fullwidth_digits(text: str) -> bool:
    return any(d in text for d in "０１２３４５６７８９")  # ten substring scans beat one regex class scan


def date_from_page(page_text: str, url: str | None) -> str | None:
    """A 发布时间/发布日期 label anywhere in the page text, then a TRS URL date."""
    m = _labelled_date(page_text) or _labelled_date(_nfkc_if_needed(page_text[:20000]))
    if m and (d := _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))):
        return d
    if url and (m := _URL_DATE.search(url)):
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def _signature(text: str) -> tuple[str, re.Match[str]] | None:
    """(the report's last lines, the last date in them): the date under the signature."""
    tail = text[-400:]
    found = list(_SIGNED.finditer(tail))
    if not found and _NEEDS_NFKC.search(tail):  # full-width digits, or 日/月 as Kangxi radicals (PDF text)
        tail = unicodedata.normalize("NFKC", tail)
        found = list(_SIGNED.finditer(tail))
    return (tail, found[-1]) if found else None


def signature_date(text: str) -> str | None:
    """The date printed under the report's signature (last date in the last lines)."""
    sig = _signature(text)
    if sig is None:
        return None
    m = sig[1]
    return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))


# the name signed above the date: Chinese text only, ending like an organ's name
_SIGNER = re.compile(r"([\u4e00-\u9fff（）()]{3,25})$")
_ORGAN_END = re.compile(
    r"(?:政府|办公厅|办公室|委员会|管委会|厅|局|委|院|署|部|中心|办事处|街道|乡|镇|区|县|市)$"
)
_NOT_A_NAME = re.compile(r"事项|情况|报告|工作|费用?|公开|附件|下载")


def signature_organ(text: str) -> str | None:
    """The organ that signed the report (河北省教育厅 above 2020年1月15日), for texts without a title.
    Only a name standing apart from the prose (own line, or after 。/：) is taken; otherwise None."""
    sig = _signature(text)
    if sig is None:
        return None
    tail, m = sig
    before = tail[: m.start()].rstrip()
    found = _SIGNER.search(before, max(0, len(before) - 25))  # the name is at most 25 characters
    if found is None:
        return None
    name = found.group(1)
    if not _ORGAN_END.search(name) or _NOT_A_NAME.search(name):
        return None
    return name


def covered_year(text: str) -> int | None:
    m = _PERIOD.search(text[:20000]) or _PERIOD.search(_nfkc_if_needed(text[:20000]))
    if m and m.group(2) in (None, m.group(1)):
        return int(m.group(1))
    return None


def organ_from_meta(meta: dict[str, str]) -> str | None:
    for key in ("ContentSource", "contentsource", "Author", "author", "SiteName"):
        v = meta.get(key)
        if v and len(v) < 40:
            return v.strip()
    return None


def dominant_year(text: str) -> int | None:
    """Last resort for untitled text: the year the opening text names most often (≥3 times, clearly ahead)."""
    counts = Counter(re.findall(r"((?:19|20)\d{2})\s*年", text[:3000])).most_common(2)
    if counts and counts[0][1] >= 3 and (len(counts) == 1 or counts[0][1] >= 2 * counts[1][1]):
        return int(counts[0][0])
    return None
