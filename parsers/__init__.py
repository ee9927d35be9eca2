"""Pure parsers: ``parse(data, source) -> Report | NotAReport``. No network, no database, no globals.

The same bytes always give the same record, so archived documents re-parse exactly.
"""

from __future__ import annotations

import hashlib
import re

from . import htmldoc, meta, textlayout
from .assemble import build_report, tables_from, title_line
from .decode import decode
from .record import PARSER_VERSION, NotAReport, ParseError, Report, Source

__all__ = [
    "parse",
    "parse_safely",
    "sniff_media_type",
    "Report",
    "NotAReport",
    "ParseError",
    "Source",
    "PARSER_VERSION",
]

MAX_TEXT_BYTES = 60 * 1024 * 1024


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
    if not data or data.isspace():  # (isspace scans; strip() would copy the whole document)
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
    if text.count("\x00", 0, 10000) > 50:
        raise ParseError("binary data, not a text or HTML document")
    if mt == "text/html":
        return _from_html(text, source)
    return from_text(text, source)


def _from_html(text: str, source: Source) -> Report | NotAReport:
    doc = htmldoc.load(text)
    tables = tables_from(doc.tables, doc.body_text)
    title = (
        doc.meta.get("ArticleTitle")
        or title_line(doc.body_text)
        or (doc.title and meta.clean_title(doc.title))
    )
    organ_meta = meta.organ_from_meta(doc.meta)
    date = meta.date_from_meta(doc.meta) or meta.date_from_page(doc.page_text(), source.url)
    result = build_report(doc.body_text, tables, source, title, date, organ_meta)
    if isinstance(result, Report) and doc.images and not (result.t2 or result.t3 or result.t4):
        result.warnings.append(
            f"tables_as_image: the body holds {doc.images} image(s) and no table cells; the tables are "
            "probably pictures (no numbers read, OCR is not supported)"
        )
    return result


def parse_safely(
    data: bytes, source: Source | None = None, content_type: str | None = None
) -> tuple[Report | NotAReport | None, str | None]:
    """``parse`` for batch callers: (result, None), or (None, one-line error). Never raises for bad input,
    and a parser bug is reported rather than stopping the batch (the bytes stay in the archive)."""
    try:
        return parse(data, source, content_type), None
    except ParseError as e:
        return None, str(e)
    except Exception as e:  # noqa: BLE001
        return None, f"internal parser error ({type(e).__name__}: {e})"


def from_text(text: str, source: Source) -> Report | NotAReport:
    if "\r" in text and "\n" not in text and 6 * text.count("\r\r\r") < text.count("\r"):
        # CR line endings (old Mac files). Not the layout where runs of 3+ CRs separate table cells (most
        # of its CRs are in such runs): there a single CR is a line break inside a cell or paragraph
        text = text.replace("\r", "\n")
    tables = textlayout.read_tables(text)
    head = text[:3000]
    title = title_line(text)
    date = meta.date_from_page(head, source.url)
    return build_report(text, tables, source, title, date, None)
