"""Library functions behind `nianbao ingest` and `nianbao reparse`: archive → parsers → store.

Loose files are copied into the archive as WARC resource records, so every stored report can be
re-parsed from the archive later; WARC files from other crawlers are indexed where they lie.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from nianbao.crawler.archive import Archive, now_iso, read_record
from nianbao.parsers import NotAReport, Report, Source, parse_safely, sniff_media_type
from nianbao.parsers.record import PARSER_VERSION
from nianbao.store.db import DocumentInfo, Store

REPORT_SUFFIXES = (".html", ".htm", ".shtml", ".txt", ".md", ".pdf", ".docx", ".doc", ".wps")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")
PARSEABLE_TYPES = (
    "text/html",
    "application/xhtml",
    "text/plain",
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument",
    "application/octet-stream",
    "application/wps",
)
Progress = Callable[[str], None]


@dataclass
class Outcome:
    reports: int = 0
    not_reports: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _walk(paths: list[Path]) -> Iterator[Path]:
    for p in paths:
        if p.is_dir():
            yield from sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and f.name.lower().endswith(REPORT_SUFFIXES + WARC_SUFFIXES)
            )
        else:
            yield p


def ingest(paths: list[Path], store: Store, archive: Archive, progress: Progress | None = None) -> Outcome:
    out = Outcome()
    for path in _walk(paths):
        if progress:
            progress(str(path))
        if path.name.lower().endswith(WARC_SUFFIXES):
            _ingest_warc(path, store, out)
        else:
            _ingest_file(path, store, archive, out)
    return out


def _ingest_file(path: Path, store: Store, archive: Archive, out: Outcome) -> None:
    try:
        data = path.read_bytes()
    except OSError as e:
        out.errors.append(f"{path}: cannot read: {e.strerror or e}")
        return
    url = path.resolve().as_uri()
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    if store.is_current(url, digest, PARSER_VERSION):
        out.unchanged += 1
        return
    result, error = parse_safely(data, Source(path=str(path)))
    if error:
        out.errors.append(f"{path}: {error}")
    media = result.source.media_type if result else sniff_media_type(data, path.name)
    ptr = archive.write_resource(
        url, data, media or "application/octet-stream", {"WARC-Source-Path": str(path)}
    )
    doc = DocumentInfo(
        url=url,
        sha256=digest,
        media_type=media,
        charset=result.source.charset if result else None,
        fetched_at=now_iso(),
        warc_file=ptr.file,
        warc_offset=ptr.offset,
        source_kind="file",
        path=str(path),
    )
    store.save(doc, result, error)
    _count(out, result)


def _count(out: Outcome, result: Report | NotAReport | None) -> None:
    if isinstance(result, Report):
        out.reports += 1
    elif isinstance(result, NotAReport):
        out.not_reports += 1


def _ingest_warc(path: Path, store: Store, out: Outcome) -> None:
    """Index another crawler's WARC (wget --warc-file, Heritrix, Browsertrix): responses and resources."""
    wfile = str(path.resolve())
    try:
        fh = open(path, "rb")  # noqa: SIM115
    except OSError as e:
        out.errors.append(f"{path}: cannot read: {e.strerror or e}")
        return
    with fh:
        try:
            it = ArchiveIterator(fh)
            for rec in it:
                if rec.rec_type not in ("response", "resource"):
                    continue
                uri = rec.rec_headers.get_header("WARC-Target-URI") or ""
                status = None
                ctype = rec.rec_headers.get_header("Content-Type") or ""
                if rec.rec_type == "response":
                    if rec.http_headers is None:
                        continue
                    status = int(rec.http_headers.get_statuscode() or 0)
                    ctype = rec.http_headers.get_header("Content-Type") or ""
                    if status != 200:
                        continue
                if ctype and not ctype.lower().startswith(PARSEABLE_TYPES):
                    continue
                body = rec.content_stream().read()
                offset = it.get_record_offset()  # after reading: asking first consumes the record
                fetched = rec.rec_headers.get_header("WARC-Date")
                result, error = parse_safely(body, Source(url=uri, fetched_at=fetched), ctype or None)
                if isinstance(result, NotAReport):
                    out.not_reports += 1
                    continue
                if error:
                    out.errors.append(f"{path} {uri}: {error}")
                doc = DocumentInfo(
                    url=uri,
                    sha256=result.source.sha256 if result else None,
                    media_type=result.source.media_type if result else None,
                    charset=result.source.charset if result else None,
                    fetched_at=fetched,
                    http_status=status,
                    warc_file=wfile,
                    warc_offset=offset,
                    source_kind="warc",
                )
                store.save(doc, result, error)
                _count(out, result)
        except Exception as e:  # noqa: BLE001 - a damaged WARC: keep what was read, name the file
            out.errors.append(f"{path}: unreadable WARC ({type(e).__name__}: {str(e)[:120]})")


def reparse(store: Store, all_documents: bool = False, progress: Progress | None = None) -> Outcome:
    """Re-parse archived documents with the current parser; one transaction per document, so an
    interrupted run resumes where it stopped (finished documents carry the new parser version)."""
    out = Outcome()
    for doc in store.documents_to_reparse(PARSER_VERSION, all_documents):
        if progress:
            progress(doc["url"])
        try:
            rec = read_record(doc["warc_file"], doc["warc_offset"])
        except (OSError, FileNotFoundError) as e:
            out.errors.append(f"{doc['url']}: archive record missing ({e})")
            continue
        is_file = doc["source_kind"] == "file"
        source = Source(
            url=None if is_file else doc["url"],
            path=doc["path"] if is_file else None,
            fetched_at=None if is_file else doc["fetched_at"],
        )
        ctype = dict((k.lower(), v) for k, v in rec.headers).get("content-type")
        result, error = parse_safely(rec.body, source, ctype)
        if error:
            out.errors.append(f"{doc['url']}: {error}")
        info = DocumentInfo(
            url=doc["url"],
            sha256=doc["sha256"],
            media_type=doc["media_type"],
            charset=doc["charset"],
            fetched_at=doc["fetched_at"],
            http_status=doc["http_status"],
            warc_file=doc["warc_file"],
            warc_offset=doc["warc_offset"],
            source_kind=doc["source_kind"],
            path=doc["path"],
        )
        store.save(info, result, error)
        _count(out, result)
    return out
