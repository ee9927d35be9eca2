"""The crawl loop: many hosts in parallel, one request in flight per host, every exchange archived.

Per URL: fetch politely (robots, delay, AutoThrottle, retries), write the exchange to WARC, then by kind:
seeds and listings are mined for columns, pages and report links; reports and attachments are parsed and
stored. The frontier lives in the database, so a killed crawl picks up where it stopped.
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
import os
import random
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from tenacity import AsyncRetrying, RetryError, retry_if_exception_type, stop_after_attempt

from nianbao.parsers import NotAReport, Report, Source, parse_safely
from nianbao.parsers.decode import decode
from nianbao.store.db import DocumentInfo, Store
from nianbao.store.frontier import Frontier, UrlState

from . import discovery
from .archive import Archive, Pointer, sha1_digest
from .challenge import challenge_kind
from .client import Client, Exchange, TransportError
from .robots import Robots

RETRY_STATUSES = (429, 500, 502, 503, 504)
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
MAX_DELAY = 60.0
LATER_NIGHT = 12 * 3600.0
HUB_WORDS = ("政府信息公开", "信息公开", "政务公开", "法定主动公开内容", "政府信息公开专栏")
MAX_HUB_DEPTH = 2


@dataclass
class CrawlConfig:
    delay: float = 1.0
    max_requests: int | None = None
    concurrency: int = 8
    user_agent: str | None = None
    max_attempts: int = 3
    max_retry_after: float = 60.0
    timeout: float = 30.0
    max_challenges: int = 3


@dataclass
class CrawlSummary:
    requests: int = 0
    reports_stored: int = 0
    unchanged: int = 0
    not_reports: int = 0
    failed: int = 0
    blocked_hosts: list[str] = field(default_factory=list)
    resumed: bool = False
    finished: bool = True

    def line(self) -> str:
        return (
            f"{self.requests} requests, {self.reports_stored} reports stored, {self.unchanged} unchanged, "
            f"{self.not_reports} pages not reports, {self.failed} failed"
            + (f", blocked: {', '.join(self.blocked_hosts)}" if self.blocked_hosts else "")
        )


class Retryable(Exception):
    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class Failure(Exception):
    def __init__(
        self, message: str, status: int | None = None, retry_in: float = LATER_NIGHT, state: str = "failed"
    ):
        super().__init__(message)
        self.status = status
        self.retry_in = retry_in
        self.state = state


class Challenge(Exception):
    pass


class HostSlot:
    """Politeness for one host: request starts at least ``delay`` apart; AutoThrottle-style adaptation
    (slow hosts: delay follows latency; failing hosts: delay doubles; never below the minimum)."""

    def __init__(self, min_delay: float) -> None:
        self.min_delay = min_delay
        self.delay = min_delay
        self.last_start: float | None = None
        self.challenges = 0

    async def turn(self) -> None:
        """Wait until ``delay`` has passed since the previous response began to arrive.

        Counting from the response (not from when we sent the request) guarantees the spacing as the
        server sees it, whatever connection set-up time the previous request took."""
        if self.last_start is not None:
            wait = self.last_start + self.delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        self.last_start = time.monotonic()

    def done(self, answered: float | None = None) -> None:
        """The previous exchange is over; ``answered`` is when its response headers arrived, i.e. a
        moment after the server received the request, so spacing from it holds on the server's clock."""
        self.last_start = answered or time.monotonic()

    def ok(self, latency: float) -> None:
        target = max(self.min_delay, latency)
        self.delay = max(self.min_delay, min(MAX_DELAY, (self.delay + target) / 2))

    def failed(self) -> None:
        self.delay = min(MAX_DELAY, max(self.min_delay, self.delay * 2))


def _iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        from email.utils import parsedate_to_datetime

        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


class Crawler:
    def __init__(
        self,
        store: Store,
        archive: Archive,
        config: CrawlConfig | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.frontier = Frontier(store)
        self.archive = archive
        self.config = config or CrawlConfig()
        self.progress = progress or (lambda _msg: None)
        self.summary = CrawlSummary()
        self.allowed: set[str] = set()
        self.schemes: dict[str, str] = {}
        self.parked: set[str] = set()  # hosts set aside for this run (blocked, robots.txt unreachable)
        self.slots: dict[str, HostSlot] = {}
        self.client: Client | None = None
        self._budget_lock = asyncio.Lock()

    # --------------------------------------------------------------------------------- the run

    async def run(self, seeds: list[str]) -> CrawlSummary:
        seeds = [s for s in (discovery.clean_url(s, s) for s in seeds) if s]
        run_id, resumed = self.frontier.start_run(seeds)
        self.summary.resumed = resumed
        self.allowed = {urlsplit(s).netloc for s in seeds}
        self.schemes = {urlsplit(s).netloc: urlsplit(s).scheme for s in seeds}
        for s in seeds:
            self.frontier.add(s, urlsplit(s).netloc, "seed")
        self.client = Client(self.config.user_agent, timeout=self.config.timeout)
        self._pool = parse_pool()
        sem = asyncio.Semaphore(max(1, self.config.concurrency))
        try:
            while not self._out_of_budget():
                hosts = [h for h in self.frontier.hosts_with_pending(self.allowed) if h not in self.parked]
                if not hosts:
                    break

                async def guarded(h: str) -> None:
                    async with sem:
                        await self._host_worker(h)

                await asyncio.gather(*(guarded(h) for h in hosts))

        finally:
            await self.client.close()
        self.summary.finished = not self._out_of_budget()
        if self.summary.finished:
            self.frontier.finish_run(run_id, self.summary.line())
        return self.summary

    def _out_of_budget(self) -> bool:
        return self.config.max_requests is not None and self.summary.requests >= self.config.max_requests

    async def _host_worker(self, host: str) -> None:
        info = self.frontier.host(host)
        # one slot per host for the whole run: a host revisited later in the run keeps its spacing
        slot = self.slots.setdefault(host, HostSlot(self.config.delay))
        robots = await self._robots(host, info, slot)
        if robots is None:
            self.parked.add(host)
            return
        delay = robots.crawl_delay(self.client.user_agent if self.client else "nianbao")
        if delay is not None and delay > slot.min_delay:
            slot.min_delay = slot.delay = delay
        inflight: dict[int, asyncio.Task] = {}  # documents being parsed while the next request waits
        try:
            await self._host_loop(host, slot, robots, inflight)
        finally:
            if inflight:
                await asyncio.gather(*inflight.values(), return_exceptions=True)

    async def _host_loop(
        self, host: str, slot: HostSlot, robots: Robots, inflight: dict[int, asyncio.Task]
    ) -> None:
        while not self._out_of_budget():
            u = self.frontier.next_for_host(host, exclude=set(inflight))
            if u is None:
                if inflight:  # parsing may still queue attachments for this host
                    await asyncio.wait(list(inflight.values()), return_when=asyncio.FIRST_COMPLETED)
                    continue
                return
            if not robots.allowed(u.url, self.client.user_agent if self.client else "nianbao"):
                self.frontier.mark_failed(
                    u.id, "disallowed by robots.txt", None, 7 * 86400, state="disallowed"
                )
                continue
            try:
                await self._process(u, slot, robots, inflight)
            except Challenge as e:
                slot.challenges += 1
                self.frontier.set_blocked(host, str(e))
                self.frontier.mark_failed(u.id, f"challenge: {e}", None, LATER_NIGHT, state="blocked")
                slot.failed()
                if slot.challenges >= self.config.max_challenges:
                    self.summary.blocked_hosts.append(host)
                    self.parked.add(host)
                    self.progress(
                        f"{host}: blocked by an anti-bot challenge ({e}); backing off until a later night"
                    )
                    return
            except Failure as e:
                self.summary.failed += 1
                self.frontier.mark_failed(u.id, str(e), e.status, e.retry_in, state=e.state)
                self.progress(f"failed {u.url}: {e}")

    async def _robots(self, host: str, info: dict, slot: HostSlot) -> Robots | None:
        if info.get("robots_fetched_at"):
            return Robots(info.get("robots_txt"))
        scheme = self.schemes.get(host, "http")
        url = f"{scheme}://{host}/robots.txt"
        text = None
        try:
            ex = await self._exchange(url, {}, slot)
            if ex.status == 200:
                text = decode(ex.body)[0]
            elif ex.status in (401, 403):
                text = "User-agent: *\nDisallow: /\n"  # robots itself forbidden: treat the site as closed
        except Challenge as e:
            self.frontier.set_blocked(host, str(e))
            return None
        except (Failure, TransportError) as e:
            # robots.txt unreachable (5xx, timeouts): we cannot know the rules, so leave the host for a
            # later night rather than crawl it unchecked (RFC 9309 §2.3.1.4)
            self.progress(f"{host}: robots.txt unreachable ({e}); host left for a later run")
            return None
        robots = Robots(text)
        self.frontier.save_robots(host, text, robots.crawl_delay())
        return robots

    # --------------------------------------------------------------------------------- fetching

    async def _exchange(self, url: str, headers: dict[str, str], slot: HostSlot) -> Exchange:
        """One request with retries (transport errors, 5xx, 429; Retry-After honoured), archived."""
        assert self.client is not None
        cfg = self.config

        def wait(state) -> float:  # type: ignore[no-untyped-def]
            exc = state.outcome.exception()
            base = min(30.0, cfg.delay * (2 ** (state.attempt_number - 1))) + random.uniform(0, cfg.delay / 2)
            ra = getattr(exc, "retry_after", None)
            return max(base, ra or 0.0)

        async def attempt() -> Exchange:
            async with self._budget_lock:
                if self._out_of_budget():
                    raise Failure("request budget exhausted", retry_in=0, state="pending")
                self.summary.requests += 1
            await slot.turn()
            started = _iso_now()
            try:
                ex = await self.client.fetch(url, headers)  # type: ignore[union-attr]
            except TransportError as e:
                slot.done()
                slot.failed()
                self.frontier.record_fetch(url, started, None, str(e), None, None, None, None)
                raise Retryable(str(e)) from e
            slot.done(ex.answered)
            kind = challenge_kind(ex.status, ex.body)
            if ex.status in RETRY_STATUSES or kind:
                self._archive(ex, started)
            if kind:
                raise Challenge(kind)
            if ex.status in RETRY_STATUSES:
                slot.failed()
                ra = _retry_after(ex.header("retry-after"))
                if ra is not None and ra > cfg.max_retry_after:
                    raise Failure(
                        f"HTTP {ex.status}, Retry-After {ra:.0f}s: later night", ex.status, retry_in=ra
                    )
                raise Retryable(f"HTTP {ex.status}", ex.status, ra)
            slot.ok(ex.elapsed)
            ex.started_iso = started
            return ex

        try:
            async for att in AsyncRetrying(
                stop=stop_after_attempt(cfg.max_attempts),
                wait=wait,
                retry=retry_if_exception_type(Retryable),
                reraise=False,
            ):
                with att:
                    return await attempt()
        except RetryError as e:
            last = e.last_attempt.exception()
            raise Failure(
                f"gave up after {cfg.max_attempts} attempts: {last}", getattr(last, "status", None)
            ) from e
        raise Failure("unreachable")  # pragma: no cover

    def _archive(
        self, ex: Exchange, started: str, revisit_of: tuple[str, str | None, str | None] | None = None
    ) -> Pointer:
        ptr = self.archive.write_exchange(
            ex.url,
            "GET",
            ex.request_headers,
            ex.status,
            ex.reason,
            ex.headers,
            ex.raw_body,
            http_version=ex.http_version,
            date=started[:19] + "Z",
            revisit_of=revisit_of,
        )
        sha = hashlib.sha256(ex.body).hexdigest() if ex.body else None
        self.frontier.record_fetch(
            ex.url,
            started,
            ex.status,
            ex.error,
            len(ex.raw_body),
            sha,
            ptr.file,
            ptr.offset,
            revisit=revisit_of is not None,
        )
        return ptr

    async def _fetch_following(
        self, u: UrlState, headers: dict[str, str], slot: HostSlot, robots: Robots
    ) -> tuple[Exchange, str]:
        """Follow redirects hop by hop (each hop archived); stay on allowed hosts and obey robots."""
        url = u.url
        for _ in range(MAX_REDIRECTS + 1):
            ex = await self._exchange(url, headers, slot)
            if ex.status not in REDIRECTS:
                return ex, url
            self._archive(ex, ex.started_iso)
            loc = ex.header("location")
            target = discovery.clean_url(loc or "", url)
            if target is None:
                raise Failure(f"HTTP {ex.status} without a usable Location", ex.status, 7 * 86400)
            if urlsplit(target).netloc not in self.allowed:
                raise Failure(
                    f"redirects off the seed hosts to {target}", ex.status, 7 * 86400, state="offsite"
                )
            if urlsplit(target).netloc == urlsplit(url).netloc and not robots.allowed(target):
                raise Failure(
                    f"redirect target {target} disallowed by robots.txt", ex.status, 7 * 86400, "disallowed"
                )
            url = target  # validators stay: they belong to the document the chain leads to
        raise Failure(f"more than {MAX_REDIRECTS} redirects", None, 7 * 86400)

    # --------------------------------------------------------------------------------- processing

    async def _process(
        self, u: UrlState, slot: HostSlot, robots: Robots, inflight: dict[int, asyncio.Task] | None = None
    ) -> None:
        headers: dict[str, str] = {}
        if u.kind in ("report", "attachment"):
            if u.etag:
                headers["If-None-Match"] = u.etag
            if u.last_modified:
                headers["If-Modified-Since"] = u.last_modified
        self.progress(f"{u.kind:10} {u.url}")
        ex, final_url = await self._fetch_following(u, headers, slot, robots)
        started = ex.started_iso
        if ex.status == 304:
            self._archive(
                ex,
                started,
                revisit_of=(u.url, None, f"sha256:{u.content_sha256}" if u.content_sha256 else None),
            )
            self.frontier.mark_done(u.id, 304, keep_validators=True)
            self.summary.unchanged += 1
            return
        if ex.too_large:
            self._archive(ex, started)
            raise Failure(
                f"body larger than {self.client.max_body // 1_000_000} MB: recorded, not read",  # type: ignore[union-attr]
                ex.status,
                30 * 86400,
                state="too_large",
            )
        if ex.status != 200:
            self._archive(ex, started)
            raise Failure(
                f"HTTP {ex.status}", ex.status, 7 * 86400 if 400 <= ex.status < 500 else LATER_NIGHT
            )
        sha = hashlib.sha256(ex.body).hexdigest()
        etag, modified = ex.header("etag"), ex.header("last-modified")
        if u.kind in ("report", "attachment") and u.content_sha256 == sha:
            self._archive(ex, started, revisit_of=(u.url, None, sha1_digest(ex.raw_body)))
            self.frontier.mark_done(u.id, 200, etag, modified, sha)
            self.summary.unchanged += 1
            return
        ptr = self._archive(ex, started)
        if u.kind in ("seed", "listing", "hub"):
            self._mine(u, ex, final_url, ptr)
            self.frontier.mark_done(u.id, 200, etag, modified, sha)
            return

        async def parse_and_store() -> None:
            # parsing runs in a worker process, so the host's next request (and other hosts) need not wait
            loop = asyncio.get_running_loop()
            parsed = await loop.run_in_executor(
                self._pool,
                parse_document,
                ex.body,
                u.url,
                ex.started_iso[:19] + "Z",
                ex.header("content-type"),
            )
            try:
                self._store(u, ex, final_url, ptr, sha, parsed)
            except Exception as e:  # noqa: BLE001 - never leave a URL pending forever
                self.summary.failed += 1
                self.frontier.mark_failed(u.id, f"store failed: {type(e).__name__}: {e}", 200, LATER_NIGHT)
                self.progress(f"failed {u.url}: could not store ({type(e).__name__}: {e})")
                return
            self.frontier.mark_done(u.id, 200, etag, modified, sha)  # only once stored: crash-safe

        if inflight is None:
            await parse_and_store()
            return
        task = asyncio.create_task(parse_and_store())
        inflight[u.id] = task
        uid = u.id
        task.add_done_callback(lambda _t: inflight.pop(uid, None))

    def _mine(self, u: UrlState, ex: Exchange, final_url: str, ptr: Pointer) -> None:
        """A seed, hub or listing page: queue its report links, pagination and columns."""
        html, _ = decode(ex.body, ex.header("content-type"))
        links = discovery.analyse(html, final_url)
        reports = [lk for lk in links if lk.kind == "report"]
        columns = [lk for lk in links if lk.kind == "column"]
        if u.kind == "seed" and not reports:
            result, _ = parse_document(ex.body, u.url, ex.started_iso[:19] + "Z", ex.header("content-type"))
            if isinstance(result, Report) and (result.t3 or result.t2):
                # a report address (catalog rows of kind `report`): store it, then go up to its column
                self._save(u.url, ex, ptr, result, None)
                for col in discovery.breadcrumb_columns(html, final_url) + discovery.column_from_report_url(
                    final_url
                ):
                    self._queue(col, "listing", u, "")
                return
        if reports or u.kind == "listing":
            for lk in reports:
                self._queue(lk.url, "report", u, lk.text)
            for lk in links:
                if lk.kind == "page":
                    self._queue(lk.url, "listing", u, lk.text)
                elif lk.kind == "attachment" and u.kind == "listing":
                    self._queue(lk.url, "attachment", u, lk.text)
        for lk in columns:
            self._queue(lk.url, "listing", u, lk.text)
        if not reports and not columns and u.depth < MAX_HUB_DEPTH:
            from selectolax.lexbor import LexborHTMLParser

            for a in LexborHTMLParser(html).css("a[href]"):
                text = discovery.norm_text(a.text(separator=""))
                if text in HUB_WORDS:
                    url = discovery.clean_url(a.attributes.get("href") or "", final_url)
                    if url:
                        self._queue(url, "hub", u, text)

    def _queue(self, url: str, kind: str, parent: UrlState, text: str) -> None:
        host = urlsplit(url).netloc
        if host not in self.allowed:
            return
        self.frontier.add(url, host, kind, parent.depth + 1, parent.url, text or None)

    def _store(
        self,
        u: UrlState,
        ex: Exchange,
        final_url: str,
        ptr: Pointer,
        sha: str,
        parsed: tuple[Report | NotAReport | None, str | None] | None = None,
    ) -> None:
        result, error = parsed or parse_document(
            ex.body,
            u.url,
            ex.started_iso[:19] + "Z",
            ex.header("content-type"),
        )
        attachments = []
        if u.kind == "report" and (ex.header("content-type") or "").lower().startswith("text/html"):
            html, _ = decode(ex.body, ex.header("content-type"))
            attachments = [lk for lk in discovery.analyse(html, final_url) if lk.kind == "attachment"]
        has_tables = isinstance(result, Report) and bool(result.t3 or result.t2 or result.t4)
        if attachments and not has_tables:
            for lk in attachments:  # the page is a wrapper: the attachment is the report
                self._queue(lk.url, "attachment", u, lk.text)
            if isinstance(result, Report):
                result = NotAReport("article page whose report is an attachment", result.source)
        if isinstance(result, Report):
            self._save(u.url, ex, ptr, result, None)
        elif error is not None:
            self._save(u.url, ex, ptr, None, error)
        else:
            self.summary.not_reports += 1

    def _save(self, url: str, ex: Exchange, ptr: Pointer, result: Report | None, error: str | None) -> None:
        doc = DocumentInfo(
            url=url,
            sha256=hashlib.sha256(ex.body).hexdigest(),
            media_type=result.source.media_type if result else None,
            charset=result.source.charset if result else None,
            fetched_at=ex.started_iso[:19] + "Z",
            http_status=ex.status,
            warc_file=ptr.file,
            warc_offset=ptr.offset,
            source_kind="crawl",
        )
        self.store.save(doc, result, error)
        if result is not None:
            self.summary.reports_stored += 1


_POOL: ProcessPoolExecutor | None = None


def parse_pool() -> ProcessPoolExecutor:
    """Worker processes for parsing (pure CPU work that would otherwise hold up the event loop).

    Started once per process through a fork server: forking a process that runs threads (servers,
    database pools) can deadlock its children."""
    global _POOL
    if _POOL is None:
        ctx = multiprocessing.get_context("forkserver")
        _POOL = ProcessPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1)), mp_context=ctx)
    return _POOL


def parse_document(
    body: bytes, url: str, fetched_at: str, content_type: str | None
) -> tuple[Report | NotAReport | None, str | None]:
    """Parse fetched bytes (runs in a worker process). Returns (result, one-line error)."""
    return parse_safely(body, Source(url=url, fetched_at=fetched_at), content_type)


def crawl(
    store: Store,
    archive: Archive,
    seeds: list[str],
    config: CrawlConfig | None = None,
    progress: Callable[[str], None] | None = None,
) -> CrawlSummary:
    """Run a crawl to completion (the library entry point behind `nianbao crawl`)."""
    return asyncio.run(Crawler(store, archive, config, progress).run(seeds))
