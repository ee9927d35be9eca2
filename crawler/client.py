"""The HTTP client: the only module that imports httpx.

HTTP/1.1, timeouts, a body size cap (larger bodies are recorded as too large, not read), a decompression
cap, redirects followed hop by hop so each hop is archived, and a clear User-Agent.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field

import httpx

from nianbao import __version__

DEFAULT_UA = f"nianbao/{__version__} (+https://github.com/nianbao/nianbao; research crawler of government information-disclosure annual reports)"
MAX_BODY = 50 * 1024 * 1024
MAX_DECODED = 200 * 1024 * 1024


class TransportError(Exception):
    """Connection refused/reset, timeout, DNS: worth a retry."""


@dataclass
class Exchange:
    """One request/response, as archived: raw headers and the undecoded body."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    raw_body: bytes
    elapsed: float
    started: float  # time.monotonic() when the request was sent
    answered: float = 0.0  # time.monotonic() when the response headers arrived (the server had the request)
    started_iso: str = ""  # UTC wall-clock start, set by the crawler (WARC-Date, fetched_at)
    too_large: bool = False
    error: str | None = None
    body: bytes = field(default=b"")  # decoded (Content-Encoding removed)

    def header(self, name: str) -> str | None:
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None


class Client:
    def __init__(
        self, user_agent: str | None = None, timeout: float = 30.0, max_body: int = MAX_BODY
    ) -> None:
        self.user_agent = user_agent or DEFAULT_UA
        self.max_body = max_body
        self._client = httpx.AsyncClient(
            http1=True,
            http2=False,
            follow_redirects=False,
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def fetch(self, url: str, headers: dict[str, str] | None = None) -> Exchange:
        """GET once (no redirects, no retries: the caller decides). Raises TransportError."""
        started = time.monotonic()
        req = self._client.build_request("GET", url, headers=headers or {})
        try:
            resp = await self._client.send(req, stream=True)
        except (httpx.TransportError, httpx.InvalidURL) as e:
            raise TransportError(f"{type(e).__name__}: {e}" if str(e) else type(e).__name__) from e
        answered = time.monotonic()
        try:
            declared = resp.headers.get("content-length")
            too_large = declared is not None and declared.isdigit() and int(declared) > self.max_body
            chunks: list[bytes] = []
            size = 0
            if not too_large:
                try:
                    async for chunk in resp.aiter_raw():
                        size += len(chunk)
                        if size > self.max_body:
                            too_large = True
                            break
                        chunks.append(chunk)
                except httpx.TransportError as e:
                    raise TransportError(f"{type(e).__name__} while reading body") from e
        finally:
            await resp.aclose()
        raw = b"" if too_large else b"".join(chunks)
        ex = Exchange(
            url=url,
            method="GET",
            request_headers=list(req.headers.items()),
            status=resp.status_code,
            reason=resp.reason_phrase or "",
            http_version=resp.http_version or "HTTP/1.1",
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.headers.raw],
            raw_body=raw,
            elapsed=time.monotonic() - started,
            started=started,
            answered=answered,
            too_large=too_large,
        )
        ex.body, ex.error = decode_body(raw, ex.header("content-encoding"))
        return ex


def decode_body(raw: bytes, encoding: str | None) -> tuple[bytes, str | None]:
    """Remove gzip/deflate with a size cap (decompression bombs stop at MAX_DECODED)."""
    enc = (encoding or "").lower().strip()
    if not raw or enc in ("", "identity"):
        return raw, None
    if enc not in ("gzip", "x-gzip", "deflate"):
        return raw, f"unsupported content-encoding {enc}"
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in enc else zlib.MAX_WBITS)
        out = d.decompress(raw, MAX_DECODED)
        if d.unconsumed_tail:
            return b"", "decompressed body exceeds the size limit"
        return out, None
    except zlib.error:
        try:  # some servers send raw deflate
            return zlib.decompress(raw, -zlib.MAX_WBITS), None
        except zlib.error as e:
            return raw, f"bad {enc} body ({e})"
