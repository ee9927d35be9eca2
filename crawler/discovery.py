"""Discovery: the annual-report column(s) of a site, their pagination, report links and attachments.

Works on decoded HTML and the page URL only (no I/O), so every rule is testable on saved pages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urldefrag, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

COLUMN_WORDS = (
    "政府信息公开年报",
    "信息公开年报",
    "政府信息公开工作年度报告",
    "政府信息公开年度报告",
    "信息公开工作年度报告",
    "年度报告",
    "年报",
)
DISCLOSURE_WORDS = ("政府信息公开", "信息公开", "政务公开")
NOT_REPORT_WORDS = (
    "通知",
    "关于",
    "报表",
    "统计表",
    "解读",
    "工作要点",
    "办法",
    "指南",
    "决定",
    "意见",
    "征求",
    "目录",
)
ATTACHMENT_EXT = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et")
NEXT_WORDS = ("下一页", "下页", "后一页", "next", "Next", ">")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w\-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)
_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*['\"]?(\d+)")
_PAGE_PARAM = re.compile(r"([?&](?:page|pageNo|pageIndex|pageNum|p|currentPage)=)(\d+)", re.I)
MAX_PAGES = 200


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    kind: str  # column | report | page | attachment | breadcrumb


def norm_text(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def clean_url(href: str, base: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
        return None
    url = urldefrag(urljoin(base, href))[0]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def is_report_title(text: str) -> bool:
    t = norm_text(text)
    if not t or len(t) > 80:
        return False
    if not _YEAR.search(t) or not any(w in t for w in ("年度报告", "年报")):
        return False
    if not any(w in t for w in DISCLOSURE_WORDS):
        return False
    return not any(w in t for w in NOT_REPORT_WORDS)


def is_column_text(text: str) -> bool:
    t = norm_text(text)
    return (
        2 < len(t) <= 20
        and any(w in t for w in COLUMN_WORDS)
        and not _YEAR.search(t)
        and not any(w in t for w in ("通知", "关于", "报表"))
    )


def _anchor_text(a) -> str:  # type: ignore[no-untyped-def]
    return a.text(separator="").strip() or a.attributes.get("title") or ""


def analyse(html: str, base: str) -> list[Link]:
    """Every useful link on a page, classified."""
    tree = LexborHTMLParser(html)
    out: dict[str, Link] = {}

    def add(url: str | None, text: str, kind: str) -> None:
        if url and (url not in out or _rank(kind) > _rank(out[url].kind)):
            out[url] = Link(url, text.strip()[:200], kind)

    for a in tree.css("a[href]"):
        href = a.attributes.get("href") or ""
        text = _anchor_text(a)
        title = a.attributes.get("title") or ""
        url = clean_url(href, base)
        if url is None:
            continue
        viewer = _viewer_file(url)
        if viewer:
            add(viewer, text, "attachment")
            continue
        path = urlsplit(url).path.lower()
        if path.endswith(ATTACHMENT_EXT):
            add(url, text or title, "attachment")
        elif is_report_title(title) or is_report_title(text):
            add(url, title if is_report_title(title) else text, "report")
        elif is_column_text(text) or is_column_text(title):
            add(url, text or title, "column")
        elif any(norm_text(text) == w for w in NEXT_WORDS[:3]) or norm_text(text) in ("下一页>", "下一页»"):
            add(url, text, "page")
        elif _PAGE_PARAM.search(url) and norm_text(text).isdigit():
            add(url, text, "page")
    for tag in tree.css("iframe[src], embed[src], object[data]"):
        src = tag.attributes.get("src") or tag.attributes.get("data") or ""
        url = clean_url(src, base)
        if url is None:
            continue
        viewer = _viewer_file(url)
        if viewer or urlsplit(url).path.lower().endswith(ATTACHMENT_EXT):
            add(viewer or url, "", "attachment")
    for page in js_pages(html, base):
        add(page, "", "page")
    return list(out.values())


def _rank(kind: str) -> int:
    return {"page": 1, "column": 2, "attachment": 3, "report": 4}.get(kind, 0)


def _viewer_file(url: str) -> str | None:
    """pdf.js style ``…/viewer.html?file=<url>`` → the file URL."""
    parts = urlsplit(url)
    if "viewer" not in parts.path.lower():
        return None
    files = parse_qs(parts.query).get("file")
    if not files:
        return None
    return clean_url(unquote(files[0]), url)


def js_pages(html: str, base: str) -> list[str]:
    """TRS pagination in inline JavaScript: createPageHTML(count, current, "index", "html") or
    var countPage = N → index.html, index_1.html, … index_{N-1}.html next to the current page."""
    m = _CREATE_PAGE.search(html)
    count = None
    stem, ext = "index", "html"
    if m:
        count, stem, ext = int(m.group(1)), m.group(3), m.group(4)
    else:
        c = _COUNT_PAGE.search(html)
        if c:
            count = int(c.group(1))
            path = urlsplit(base).path
            last = path.rsplit("/", 1)[-1]
            if "." in last:
                stem_ext = re.sub(r"_\d+(?=\.)", "", last)
                stem, ext = stem_ext.rsplit(".", 1)
    if not count or count <= 1:
        return []
    count = min(count, MAX_PAGES)
    folder = base.rsplit("/", 1)[0] + "/"
    return [urljoin(folder, f"{stem}.{ext}" if i == 0 else f"{stem}_{i}.{ext}") for i in range(count)]


def column_from_report_url(url: str) -> list[str]:
    """Candidate column URLs for a report address (catalog rows of kind `report`), by CMS family."""
    parts = urlsplit(url)
    path = parts.path
    out: list[str] = []
    m = re.match(r"(.*/)(?:\d{6}/)t\d{8}_\d+\.\w+$", path)  # TRS …/<column>/YYYYMM/tYYYYMMDD_N.html
    if m:
        out.append(m.group(1))
    m = re.match(r"(.*/)art/\d{4}/\d{1,2}/\d{1,2}/art_(\d+)_\d+\.html$", path)  # Hanweb
    if m:
        out.append(f"{m.group(1)}col/col{m.group(2)}/index.html")
    m = re.match(r"(.*/columns/[0-9a-f\-]{20,}/)", path)
    if m:
        out.append(m.group(1))
    m = re.match(r"(.*/c\d+/)\d{6}/[0-9a-f]+\.shtml$", path)
    if m:
        out.append(m.group(1))
    if not out and path.count("/") >= 2:
        out.append(path.rsplit("/", 1)[0] + "/")
    return [urlunsplit((parts.scheme, parts.netloc, p, "", "")) for p in out]


def breadcrumb_columns(html: str, base: str) -> list[str]:
    """Links in a breadcrumb trail (当前位置 …) whose text names the 年报 column."""
    tree = LexborHTMLParser(html)
    found = []
    for a in tree.css("a[href]"):
        if is_column_text(_anchor_text(a)):
            url = clean_url(a.attributes.get("href") or "", base)
            if url:
                found.append(url)
    return found
