"""The WARC archive: every exchange written as WARC 1.1 with warcio, one gzip member per record.

Each record is flushed and fsynced before its offset is handed out, so a crash leaves every announced
record readable (at worst a torn last member, which readers skip). Files rotate by size.
"""

from __future__ import annotations

import io
import os
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from nianbao import __version__

DEFAULT_MAX_BYTES = 1_000_000_000


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Pointer:
    """Where a record lives: the WARC file (path) and the byte offset of its gzip member."""

    file: str
    offset: int


class Archive:
    def __init__(
        self, directory: str | os.PathLike[str], prefix: str = "nianbao", max_bytes: int = DEFAULT_MAX_BYTES
    ):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._fh: io.BufferedWriter | None = None
        self._path: Path | None = None
        self._serial = 0

    # ------------------------------------------------------------------------------------- files

    def _open_new(self) -> None:
        self.close()
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        while True:
            self._serial += 1
            path = self.dir / f"{self.prefix}-{stamp}-{os.getpid()}-{self._serial:05d}.warc.gz"
            if not path.exists():
                break
        self._path = path
        self._fh = open(path, "ab")  # noqa: SIM115 - kept open across records, closed in close()
        writer = WARCWriter(self._fh, gzip=True, warc_version="WARC/1.1")
        info = {
            "software": f"nianbao/{__version__}",
            "hostname": socket.gethostname(),
            "format": "WARC File Format 1.1",
            "isPartOf": self.prefix,
        }
        self._write(writer, writer.create_warcinfo_record(path.name, info))

    def _writer(self) -> WARCWriter:
        if self._fh is None or (self._path and self._path.stat().st_size >= self.max_bytes):
            self._open_new()
        assert self._fh is not None
        return WARCWriter(self._fh, gzip=True, warc_version="WARC/1.1")

    def _write(self, writer: WARCWriter, record) -> Pointer:  # type: ignore[no-untyped-def]
        assert self._fh is not None and self._path is not None
        offset = self._fh.tell()
        writer.write_record(record)
        self._fh.flush()
        os.fsync(self._fh.fileno())
        return Pointer(str(self._path.resolve()), offset)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    # ------------------------------------------------------------------------------------- records

    def write_exchange(
        self,
        url: str,
        method: str,
        request_headers: list[tuple[str, str]],
        status: int,
        reason: str,
        response_headers: list[tuple[str, str]],
        body: bytes,
        http_version: str = "HTTP/1.1",
        date: str | None = None,
        revisit_of: tuple[str, str | None, str | None] | None = None,
    ) -> Pointer:
        """Write request + response (or revisit) records; return the response record's pointer.

        ``revisit_of`` = (original URL, original date, payload digest) writes a revisit record (identical
        payload, or a 304) that carries headers only.
        """
        date = date or now_iso()
        with self._lock:
            writer = self._writer()
            path = url.split("://", 1)[-1].split("/", 1)
            target = "/" + (path[1] if len(path) > 1 else "")
            req = writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(
                    f"{method} {target} {http_version}", request_headers, is_http_request=True
                ),
                warc_headers_dict={"WARC-Date": date},
            )
            http = StatusAndHeaders(f"{status} {reason}", response_headers, protocol=http_version)
            if revisit_of is not None:
                ref_uri, ref_date, digest = revisit_of
                profile = (
                    "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
                    if status == 304
                    else "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
                )
                extra = {"WARC-Date": date, "WARC-Profile": profile, "WARC-Refers-To-Target-URI": ref_uri}
                if ref_date:
                    extra["WARC-Refers-To-Date"] = ref_date
                if digest:
                    extra["WARC-Payload-Digest"] = digest
                resp = writer.create_warc_record(url, "revisit", http_headers=http, warc_headers_dict=extra)
            else:
                resp = writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": date},
                )
            req.rec_headers.add_header("WARC-Concurrent-To", resp.rec_headers.get_header("WARC-Record-ID"))
            pointer = self._write(writer, resp)
            self._write(writer, req)
            return pointer

    def write_resource(
        self, uri: str, body: bytes, content_type: str, extra: dict[str, str] | None = None
    ) -> Pointer:
        """A local file kept as a WARC resource record (ingested documents stay re-parseable)."""
        with self._lock:
            writer = self._writer()
            headers = {"WARC-Date": now_iso(), **(extra or {})}
            rec = writer.create_warc_record(
                uri,
                "resource",
                payload=io.BytesIO(body),
                warc_content_type=content_type,
                warc_headers_dict=headers,
            )
            return self._write(writer, rec)


def sha1_digest(body: bytes) -> str:
    import base64
    import hashlib

    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()


@dataclass
class StoredRecord:
    rec_type: str
    uri: str
    date: str | None
    status: int | None
    headers: list[tuple[str, str]]
    body: bytes


def read_record(file: str, offset: int) -> StoredRecord:
    """Read the record at ``offset`` of a (gzipped or plain) WARC file."""
    with open(file, "rb") as fh:
        fh.seek(offset)
        for rec in ArchiveIterator(fh):
            http = rec.http_headers
            status = int(http.get_statuscode()) if http is not None and http.get_statuscode() else None
            return StoredRecord(
                rec.rec_type,
                rec.rec_headers.get_header("WARC-Target-URI") or "",
                rec.rec_headers.get_header("WARC-Date"),
                status,
                list(http.headers) if http is not None else [],
                rec.content_stream().read(),
            )
    raise FileNotFoundError(f"no WARC record at {file}:{offset}")
