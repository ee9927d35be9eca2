"""Assembling a record: tables from every layout of a document, title, metadata, sections, checks.

Shared by the HTML, text, PDF and DOCX readers, which differ only in how they get text and grids.
"""

from __future__ import annotations

import re
from collections import Counter

from . import htmldoc, meta, sections, textlayout
from .checks import run_checks
from .mapper import map_tables
from .prose import prose_stats
from .rawtable import RawTable
from .record import NotAReport, Report, Source

# titles of pages that quote a report's outline without being one: interpretations, notices, drafting guides
_ABOUT_A_REPORT = re.compile(r"解读|图解|通知|关于(?:做好|印发|编制|报送)|编制工作|提纲|模板|格式")

# a scraper's "===== 正文 =====" line: what follows is the report body
_BODY_MARK = re.compile(r"(?<!=)={5,}+\s*正文\s*={5,}")  # (?<!=) and +: linear on long "=" runs


def tables_from(grids: list[list[list[str]]], text: str) -> list[RawTable]:
    """Tables from a layout's grids, and from its flattened text for any table the grids lack."""
    tables = htmldoc.grids_to_tables(grids)
    have = {t.kind for t in tables}
    if len(have) < 3 and text:
        tables += [t for t in textlayout.read_tables(text) if t.kind not in have]
    return tables


_LABELLED_TITLE = re.compile(r"^(?:标题|题名)\s*[:：]\s*(.+)$")


def title_line(text: str) -> str | None:
    prev = ""
    for line in text.split("\n", 40)[:40]:
        line = line.strip()
        if ("标题" in line or "题名" in line) and (m := _LABELLED_TITLE.match(line)):
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


def build_report(
    text: str,
    tables: list[RawTable],
    source: Source,
    title: str | None,
    date: str | None,
    organ_hint: str | None,
) -> Report | NotAReport:
    body = _BODY_MARK.split(text, maxsplit=1)[-1] if "=====" in text else text
    secs = sections.split_sections(body)
    mapped = map_tables(tables)
    organ, title_year = title_parts_safe(title)
    titled = title_year is not None
    date = date or meta.signature_date(body)
    # the year covered: the title, then the stated period, then the year before publication, then the year
    # the text names most (said in a warning)
    year = title_year or meta.covered_year(body) or (int(date[:4]) - 1 if date else None)
    year_guessed = year is None and (year := meta.dominant_year(body)) is not None
    has_tables = bool(mapped.t3 or mapped.t2 or mapped.t4)
    if (
        titled and year is not None and year <= 2018
    ):  # pre-2019 outlines vary: numbered headings by their words
        generic = sections.split_generic(re.sub(r"\r\n?", "\n", body))
        if len(generic) >= len(secs):
            secs = generic
    if not has_tables and len(secs) < 3 and _lists_reports(body):
        return NotAReport("a list of reports (a column page), not a report", source)
    if not (has_tables or (len(secs) >= 2 and "信息公开" in body)):
        return NotAReport("no annual-report sections or tables found", source)
    if not has_tables and title and _ABOUT_A_REPORT.search(title):
        return NotAReport(f"a page about a report, not the report ({title[:40]})", source)
    organ = organ or organ_hint or meta.signature_organ(body)
    report = Report(source=source, title=title, organ=organ, year=year, published_date=date)
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
        report.prose_stats = [vars(s) for s in prose_stats(re.sub(r"\r\n?", "\n", body))]
    checks, warns = run_checks(report.t3, report.t4, versions.get("t3"))
    report.checks = checks
    report.warnings += warns
    return report


def _lists_reports(body: str) -> bool:
    """Three or more report titles on lines of their own: a column page listing reports."""
    titles = (
        line
        for line in body.split("\n")
        if len(line) < 80 and ("报告" in line or "年报" in line) and meta.title_parts(line)[1] is not None
    )
    return sum(1 for _ in titles) >= 3


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
