"""Pure parsers: ``parse(data, source) -> Report | NotAReport``. No network, no database, no globals.

The same bytes always give the same record, so archived documents re-parse exactly.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from . import htmldoc, meta, sections, textlayout
from .checks import run_checks
from .decode import decode
from .mapper import map_tables
from .rawtable import RawTable
from .record import PARSER_VERSION, NotAReport, ParseError, Report, Source

__all__ = ["parse", "sniff_media_type", "Report", "NotAReport", "ParseError", "Source", "PARSER_VERSION"]

MAX_TEXT_BYTES = 60 * 1024 * 1024
# titles of pages that quote a report's outline without being one: interpretations, notices, drafting guides
_ABOUT_A_REPORT = re.compile(r"解读|图解|通知|关于(?:做好|印发|编制|报送)|编制工作|提纲|模板|格式")


def sniff_media_type(data: bytes, name: str | None = None) -> str:
    """Media type from the bytes first, the file name second."""
    head = data[:2048].lstrip()
    low = (name or "").lower()
    if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/msword"
    if low.endswith(".pdf"):
        return "application/pdf"
    if low.endswith(".docx"):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if low.endswith((".doc", ".wps", ".xls", ".et")):
        return "application/msword"
    if re.match(
        rb"(?is)(\xef\xbb\xbf)?\s*(<!doctype html|<html|<head|<meta|<body|<div|<table|<p[ >])", head
    ) or low.endswith((".html", ".htm", ".shtml", ".jhtml")):
        return "text/html"
    if low.endswith(".md"):
        return "text/markdown"
    return "text/plain"


def parse(data: bytes, source: Source | None = None, content_type: str | None = None) -> Report | NotAReport:
    """Parse one document. Raises ParseError (one-line message) for input that cannot be read."""
    source = source or Source()
    if not data or not data.strip():
        raise ParseError("empty file")
    source.sha256 = source.sha256 or hashlib.sha256(data).hexdigest()
    mt = source.media_type or sniff_media_type(data, source.path or source.url)
    source.media_type = mt
    if mt == "application/pdf":
        from . import pdf

        return pdf.parse_pdf(data, source)
    if mt.endswith("wordprocessingml.document"):
        from . import docx

        return docx.parse_docx(data, source)
    if mt == "application/msword":
        from . import ole

        return ole.parse_ole(data, source)
    if len(data) > MAX_TEXT_BYTES:
        raise ParseError(f"too large for a report page ({len(data) // 1_000_000} MB)")
    text, codec = decode(data, content_type)
    source.charset = codec
    if "\x00" in text[:10000] and text[:10000].count("\x00") > 50:
        raise ParseError("binary data, not a text or HTML document")
    if mt == "text/html":
        return _from_html(text, source)
    return from_text(text, source)


def _from_html(text: str, source: Source) -> Report | NotAReport:
    doc = htmldoc.load(text)
    tables = htmldoc.grids_to_tables(doc.tables)
    have = {t.kind for t in tables}
    if len(have) < 3 and doc.body_text:
        tables += [t for t in textlayout.read_tables(doc.body_text) if t.kind not in have]
    title = (
        doc.meta.get("ArticleTitle")
        or _title_line(doc.body_text)
        or (doc.title and meta.clean_title(doc.title))
    )
    organ_meta = meta.organ_from_meta(doc.meta)
    date = meta.published_date(doc.meta, doc.page_text_head, source.url)
    result = _build(doc.body_text, tables, source, title, date, organ_meta)
    if isinstance(result, Report) and doc.images and not (result.t2 or result.t3 or result.t4):
        result.warnings.append(
            f"tables_as_image: the body holds {doc.images} image(s) and no table cells; the tables are "
            "probably pictures (no numbers read, OCR is not supported)"
        )
    return result


def _title_line(text: str) -> str | None:
    prev = ""
    for line in text.split("\n", 40)[:40]:
        line = line.strip()
        m = re.match(r"^(?:标题|题名)\s*[:：]\s*(.+)$", line)
        if m:
            return m.group(1).strip()
        if len(line) <= 80 and "年" in line and meta.title_parts(line)[1] is not None:
            organ, _ = meta.title_parts(line)
            if organ is None and prev and len(prev) <= 30 and not re.search(r"\d", prev):
                return prev + line  # 洪泽区人民政府 / 2023 年政府信息公开工作年度报告
            return line
        if line:
            prev = line
    # a title split over two lines (平潭 2019: "平潭综合实验区2019年" / "政府信息公开工作年度报告")
    lines = [ln.strip() for ln in text.split("\n")[:10] if ln.strip()]
    for a, b in zip(lines, lines[1:], strict=False):
        if len(a + b) <= 80 and meta.title_parts(a + b)[1] is not None:
            return a + b
    return None


def from_text(text: str, source: Source) -> Report | NotAReport:
    tables = textlayout.read_tables(text)
    head = text[:3000]
    title = _title_line(text)
    date = meta.published_date({}, head, source.url)
    return _build(text, tables, source, title, date, None)


def _build(
    text: str,
    tables: list[RawTable],
    source: Source,
    title: str | None,
    date: str | None,
    organ_hint: str | None,
) -> Report | NotAReport:
    body = re.split(r"={5,}\s*正文\s*={5,}", text, maxsplit=1)[-1]
    secs = sections.split_sections(body)
    mapped = map_tables(tables)
    organ, year = title_parts_safe(title)
    date = date or meta.signature_date(body)
    # the year covered: the title, then the stated period, then the year before publication, then the year
    # the text names most (said in a warning)
    year = year or meta.covered_year(body) or (int(date[:4]) - 1 if date else None)
    year_guessed = year is None and (year := meta.dominant_year(body)) is not None
    has_tables = bool(mapped.t3 or mapped.t2 or mapped.t4)
    titled = title is not None and meta.title_parts(title)[1] is not None
    if (
        titled and year is not None and year <= 2018
    ):  # pre-2019 outlines vary: numbered headings by their words
        generic = sections.split_generic(re.sub(r"\r\n?", "\n", body))
        if len(generic) >= len(secs):
            secs = generic
    listing = (
        sum(
            1
            for line in body.split("\n")
            if len(line) < 80 and ("报告" in line or "年报" in line) and meta.title_parts(line)[1] is not None
        )
        >= 3
    )
    if not has_tables and listing and len(secs) < 3:
        return NotAReport("a list of reports (a column page), not a report", source)
    if not (has_tables or (len(secs) >= 2 and "信息公开" in body)):
        return NotAReport("no annual-report sections or tables found", source)
    if not has_tables and title and _ABOUT_A_REPORT.search(title):
        return NotAReport(f"a page about a report, not the report ({title[:40]})", source)
    report = Report(source=source, title=title, organ=organ or organ_hint, year=year, published_date=date)
    if year_guessed:
        report.warnings.append(f"year {year} inferred from the text (no title, period or date names it)")
    report.sections = secs
    report.t2, report.t3, report.t4 = mapped.t2, mapped.t3, mapped.t4
    report.warnings += mapped.warnings
    versions = {k: v for k, v in mapped.versions.items() if k != "t4"}
    if versions:
        counts = Counter(versions.values())
        top = max(counts.values())
        majority = (
            versions["t3"]
            if "t3" in versions and counts[versions["t3"]] == top
            else counts.most_common(1)[0][0]
        )
    else:
        majority = _version_without_tables(body, year)
    if "t4" in mapped.versions:
        versions["t4"] = majority
    report.table_versions = versions
    report.template_version = majority
    if len(set(versions.values())) > 1:
        report.warnings.append(f"tables follow different template versions: {versions}")
    for kind, cells in (("二", report.t2), ("三", report.t3), ("四", report.t4)):
        if not cells and majority != "pre2019":
            report.warnings.append(f"table {kind} not found (absent, an image, or prose)")
    if majority == "pre2019":
        from .prose import prose_stats

        report.prose_stats = [vars(s) for s in prose_stats(re.sub(r"\r\n?", "\n", body))]
    checks, warns = run_checks(report.t3, report.t4, versions.get("t3"))
    report.checks = checks
    report.warnings += warns
    return report


def title_parts_safe(title: str | None) -> tuple[str | None, int | None]:
    return meta.title_parts(title) if title else (None, None)


def _version_without_tables(text: str, year: int | None) -> str:
    markers = ("第二十条第", "本列数据的勾稽关系", "本年度办理结果")
    if year is not None and year <= 2018 and not any(m in text for m in markers):
        return "pre2019"
    if "〔2021〕30号" in text or (year is not None and year >= 2021):
        return "2021"
    if year is not None and year <= 2018:
        return "pre2019"
    return "2019"
