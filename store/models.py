"""SQLAlchemy models. The public tables (interfaces §3) carry column comments: they are the schema docs.

The crawler's own tables (hosts, urls, fetches) are the frontier and seen-set that make a crawl resumable.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


def _fk(target: str, comment: str) -> Mapped[int]:
    return mapped_column(
        Integer, ForeignKey(target, ondelete="CASCADE"), nullable=False, index=True, comment=comment
    )


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = {"comment": "One fetched or ingested source document (page, PDF, DOCX) per URL."}
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(
        Text,
        unique=True,
        nullable=False,
        comment="Where the bytes came from: http(s) URL, or file:// for ingested files",
    )
    sha256: Mapped[str | None] = mapped_column(
        String(64), comment="SHA-256 of the document bytes (the payload)"
    )
    media_type: Mapped[str | None] = mapped_column(String(120), comment="Media type sniffed from the bytes")
    charset: Mapped[str | None] = mapped_column(String(40), comment="Codec used to decode text documents")
    fetched_at: Mapped[str | None] = mapped_column(
        String(32), comment="UTC time the bytes were fetched (ISO 8601)"
    )
    http_status: Mapped[int | None] = mapped_column(
        Integer, comment="HTTP status of the fetch (null for local files)"
    )
    warc_file: Mapped[str | None] = mapped_column(
        Text, comment="WARC file holding the response/resource record"
    )
    warc_offset: Mapped[int | None] = mapped_column(
        Integer, comment="Byte offset of that record in the WARC file"
    )
    source_kind: Mapped[str] = mapped_column(String(16), default="crawl", comment="crawl | file | warc")
    path: Mapped[str | None] = mapped_column(Text, comment="Local path for ingested files")
    parser_version: Mapped[str | None] = mapped_column(
        String(32), comment="Parser version that last parsed it"
    )
    parse_status: Mapped[str | None] = mapped_column(String(16), comment="report | not_a_report | error")
    parse_error: Mapped[str | None] = mapped_column(Text, comment="One-line reason when parsing failed")


class ReportRow(Base):
    __tablename__ = "reports"
    __table_args__ = {"comment": "One annual report, unique by its source document."}
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        Integer,
        ForeignKey("documents.id", ondelete="CASCADE"),
        unique=True,
        nullable=False,
        comment="documents.id",
    )
    url: Mapped[str] = mapped_column(Text, nullable=False, comment="Source URL (same as documents.url)")
    title: Mapped[str | None] = mapped_column(Text, comment="Report title as printed")
    organ: Mapped[str | None] = mapped_column(Text, index=True, comment="Publishing body (发布机关)")
    year: Mapped[int | None] = mapped_column(
        Integer, index=True, comment="Year the report covers (not publication)"
    )
    published_date: Mapped[str | None] = mapped_column(String(10), comment="Publication date, YYYY-MM-DD")
    template_version: Mapped[str | None] = mapped_column(
        String(10), comment="2019 | 2021 | pre2019 (majority)"
    )
    t2_version: Mapped[str | None] = mapped_column(String(10), comment="Template version of table 二")
    t3_version: Mapped[str | None] = mapped_column(String(10), comment="Template version of table 三")
    parser_version: Mapped[str] = mapped_column(String(32), nullable=False, comment="nianbao parser version")
    warnings: Mapped[str | None] = mapped_column(Text, comment="Parser warnings, one per line")
    record_json: Mapped[str] = mapped_column(
        Text, nullable=False, comment="The full JSON record (interfaces §2)"
    )


class SectionRow(Base):
    __tablename__ = "sections"
    __table_args__ = {"comment": "Narrative sections 一…六 of a report."}
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _fk("reports.id", "reports.id")
    section_key: Mapped[str] = mapped_column(String(40), comment="s1_overview … s6_other")
    heading: Mapped[str | None] = mapped_column(Text, comment="Heading as printed")
    text: Mapped[str | None] = mapped_column(Text, comment="Section text")


class T2Cell(Base):
    __tablename__ = "t2_cells"
    __table_args__ = {"comment": "Table 二 (主动公开): one row per printed cell."}
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _fk("reports.id", "reports.id")
    block: Mapped[str] = mapped_column(String(16), comment="art20_1 | art20_5 | art20_6 | art20_8 | art20_9")
    item_key: Mapped[str] = mapped_column(
        String(40), comment="regulations, normative_documents, … or unknown"
    )
    metric_key: Mapped[str] = mapped_column(String(40), comment="issued_count, decision_count, …")
    value: Mapped[float | None] = mapped_column(
        Numeric(asdecimal=False), comment="Parsed number; null unless status is number/inferred"
    )
    unit: Mapped[str | None] = mapped_column(String(8), comment="元 or 万元 when printed or implied")
    raw: Mapped[str | None] = mapped_column(Text, comment="Cell text as printed")
    status: Mapped[str] = mapped_column(
        String(16), comment="number blank slash dash none_word text unparseable inferred"
    )
    label: Mapped[str | None] = mapped_column(Text, comment="Printed label of unknown rows")


class T3Cell(Base):
    __tablename__ = "t3_cells"
    __table_args__ = (
        Index("ix_t3_report_row", "report_id", "row_key"),
        {"comment": "Table 三 (依申请): one row per printed cell."},
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _fk("reports.id", "reports.id")
    row_key: Mapped[str] = mapped_column(String(40), comment="new_received, granted, …, carried_over_out")
    col_key: Mapped[str] = mapped_column(String(40), comment="natural_person, org_business, …, total")
    value: Mapped[float | None] = mapped_column(
        Numeric(asdecimal=False), comment="Parsed number; null unless status is number/inferred"
    )
    raw: Mapped[str | None] = mapped_column(Text, comment="Cell text as printed (the digit run for inferred)")
    status: Mapped[str] = mapped_column(
        String(16), comment="number blank slash dash none_word text unparseable inferred"
    )
    label: Mapped[str | None] = mapped_column(Text, comment="Printed label of unknown rows")


class T4Cell(Base):
    __tablename__ = "t4_cells"
    __table_args__ = {"comment": "Table 四 (复议、诉讼): 15 cells per report."}
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _fk("reports.id", "reports.id")
    block: Mapped[str] = mapped_column(
        String(32), comment="review | litigation_direct | litigation_after_review"
    )
    outcome: Mapped[str] = mapped_column(String(16), comment="upheld | corrected | other | pending | total")
    value: Mapped[float | None] = mapped_column(
        Numeric(asdecimal=False), comment="Parsed number; null unless status is number/inferred"
    )
    raw: Mapped[str | None] = mapped_column(Text, comment="Cell text as printed")
    status: Mapped[str] = mapped_column(
        String(16), comment="number blank slash dash none_word text unparseable inferred"
    )


class CheckRow(Base):
    __tablename__ = "checks"
    __table_args__ = {"comment": "Arithmetic identities evaluated per report (I1–I4)."}
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _fk("reports.id", "reports.id")
    check_id: Mapped[str] = mapped_column(String(8), index=True, comment="I1 | I2 | I3 | I4")
    scope: Mapped[str] = mapped_column(String(40), comment="Column (I1, I2), row (I3) or block (I4)")
    lhs: Mapped[float | None] = mapped_column(Numeric(asdecimal=False), comment="Left-hand side as printed")
    rhs: Mapped[float | None] = mapped_column(Numeric(asdecimal=False), comment="Right-hand side as printed")
    passed: Mapped[bool] = mapped_column(Boolean, comment="True when lhs = rhs")
    basis: Mapped[str | None] = mapped_column(String(16), comment="printed | inferred (used to infer cells)")


# ------------------------------------------------------------------------------------------ crawler


class Host(Base):
    __tablename__ = "hosts"
    __table_args__ = {"comment": "Crawl state per host: robots.txt, politeness, blocking."}
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    host: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    robots_txt: Mapped[str | None] = mapped_column(Text)
    robots_fetched_at: Mapped[str | None] = mapped_column(String(32))
    crawl_delay: Mapped[float | None] = mapped_column(Float)
    blocked_reason: Mapped[str | None] = mapped_column(
        Text, comment="Anti-bot challenge seen (412 瑞数, 521 加速乐 …)"
    )
    blocked_at: Mapped[str | None] = mapped_column(String(32))
    failures: Mapped[int] = mapped_column(Integer, default=0)


class UrlRow(Base):
    __tablename__ = "urls"
    __table_args__ = (
        Index("ix_urls_state", "state", "next_attempt_at"),
        {"comment": "The frontier and seen-set: every URL the crawler knows, with validators."},
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True, nullable=False)
    host: Mapped[str] = mapped_column(String(255), index=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), comment="seed | listing | report | attachment")
    state: Mapped[str] = mapped_column(
        String(16), default="pending", comment="pending | done | failed | blocked"
    )
    depth: Mapped[int] = mapped_column(Integer, default=0)
    discovered_from: Mapped[str | None] = mapped_column(Text)
    anchor_text: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[str | None] = mapped_column(String(32))
    last_fetched_at: Mapped[str | None] = mapped_column(String(32))
    crawl_id: Mapped[str | None] = mapped_column(String(40), comment="Run that last scheduled this URL")


class Fetch(Base):
    __tablename__ = "fetches"
    __table_args__ = (
        UniqueConstraint("url", "started_at", name="uq_fetch_url_time"),
        {"comment": "Every HTTP exchange the crawler made (the WARC index)."},
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, index=True, nullable=False)
    started_at: Mapped[str] = mapped_column(String(32), nullable=False)
    status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    bytes: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    warc_file: Mapped[str | None] = mapped_column(Text)
    warc_offset: Mapped[int | None] = mapped_column(Integer)
    revisit: Mapped[bool] = mapped_column(Boolean, default=False)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"
    __table_args__ = {
        "comment": "One night's crawl; an unfinished run is resumed by the next `nianbao crawl`."
    }
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[str] = mapped_column(String(32), nullable=False)
    finished_at: Mapped[str | None] = mapped_column(String(32))
    seeds: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)


PUBLIC_TABLES = ("documents", "reports", "sections", "t2_cells", "t3_cells", "t4_cells", "checks")
