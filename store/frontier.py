"""The crawler's frontier and seen-set, kept in the database so a killed crawl resumes exactly.

A URL is `pending` until its fetch and its stored result are committed; a crash in between means it is
fetched again on restart (the upsert by URL keeps the store free of duplicates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from . import models as M
from .db import Store

REVISIT_KINDS = ("seed", "listing")  # re-read every night


def utcnow() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class UrlState:
    id: int
    url: str
    host: str
    kind: str
    depth: int
    state: str
    etag: str | None
    last_modified: str | None
    content_sha256: str | None
    attempts: int
    discovered_from: str | None
    anchor_text: str | None


def _state(row: Any) -> UrlState:
    m = row._mapping
    return UrlState(
        m["id"],
        m["url"],
        m["host"],
        m["kind"],
        m["depth"],
        m["state"],
        m["etag"],
        m["last_modified"],
        m["content_sha256"],
        m["attempts"],
        m["discovered_from"],
        m["anchor_text"],
    )


class Frontier:
    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------------------------------ runs

    def start_run(self, seeds: list[str]) -> tuple[int, bool]:
        """Begin a night's crawl, or resume the last one if it never finished. Returns (run id, resumed)."""
        with self.store.begin() as c:
            last = c.execute(select(M.CrawlRun).order_by(M.CrawlRun.id.desc()).limit(1)).first()
            if last is not None and last.finished_at is None:
                return last.id, True
            run_id = c.execute(
                insert(M.CrawlRun)
                .values(started_at=utcnow(), seeds="\n".join(seeds))
                .returning(M.CrawlRun.id)
            ).scalar_one()
            # listings are re-read every night; failures whose retry time has come get another go
            c.execute(
                update(M.UrlRow).where(M.UrlRow.kind.in_(REVISIT_KINDS)).values(state="pending", attempts=0)
            )
            # known documents with validators are revalidated (If-None-Match / If-Modified-Since); those
            # without validators but with a known digest are left alone
            c.execute(
                update(M.UrlRow)
                .where(M.UrlRow.kind.in_(("report", "attachment")), M.UrlRow.state == "done")
                .where((M.UrlRow.etag.is_not(None)) | (M.UrlRow.last_modified.is_not(None)))
                .values(state="pending", attempts=0)
            )
            c.execute(
                update(M.UrlRow)
                .where(M.UrlRow.state.in_(("failed", "blocked")))
                .where((M.UrlRow.next_attempt_at.is_(None)) | (M.UrlRow.next_attempt_at <= utcnow()))
                .values(state="pending", attempts=0)
            )
            c.execute(update(M.Host).values(robots_fetched_at=None))  # robots.txt re-read each night
            return run_id, False

    def finish_run(self, run_id: int, summary: str) -> None:
        with self.store.begin() as c:
            c.execute(
                update(M.CrawlRun)
                .where(M.CrawlRun.id == run_id)
                .values(finished_at=utcnow(), summary=summary)
            )

    # ------------------------------------------------------------------------------------ urls

    def add(
        self,
        url: str,
        host: str,
        kind: str,
        depth: int = 0,
        discovered_from: str | None = None,
        anchor_text: str | None = None,
    ) -> bool:
        """Insert a URL if it is new. Returns True when it was new."""
        with self.store.begin() as c:
            if c.execute(select(M.UrlRow.id).where(M.UrlRow.url == url)).first() is not None:
                return False
            c.execute(
                insert(M.UrlRow).values(
                    url=url,
                    host=host,
                    kind=kind,
                    depth=depth,
                    state="pending",
                    discovered_from=discovered_from,
                    anchor_text=anchor_text,
                    attempts=0,
                )
            )
            return True

    def requeue(self, url: str) -> None:
        with self.store.begin() as c:
            c.execute(update(M.UrlRow).where(M.UrlRow.url == url).values(state="pending"))

    def get(self, url: str) -> UrlState | None:
        with self.store.engine.connect() as c:
            row = c.execute(select(M.UrlRow).where(M.UrlRow.url == url)).first()
        return _state(row) if row else None

    def next_for_host(self, host: str, exclude: set[int] | None = None) -> UrlState | None:
        now = utcnow()
        q = select(M.UrlRow).where(M.UrlRow.host == host, M.UrlRow.state == "pending")
        if exclude:
            q = q.where(M.UrlRow.id.not_in(exclude))
        with self.store.engine.connect() as c:
            row = c.execute(
                q.where((M.UrlRow.next_attempt_at.is_(None)) | (M.UrlRow.next_attempt_at <= now))
                .order_by(M.UrlRow.depth, M.UrlRow.id)
                .limit(1)
            ).first()
        return _state(row) if row else None

    def hosts_with_pending(self, allowed: set[str]) -> list[str]:
        now = utcnow()
        with self.store.engine.connect() as c:
            rows = c.execute(
                select(M.UrlRow.host)
                .where(M.UrlRow.state == "pending")
                .where((M.UrlRow.next_attempt_at.is_(None)) | (M.UrlRow.next_attempt_at <= now))
                .group_by(M.UrlRow.host)
            ).all()
        return [h for (h,) in rows if h in allowed]

    def mark_done(
        self,
        url_id: int,
        status: int | None,
        etag: str | None = None,
        last_modified: str | None = None,
        sha256: str | None = None,
        keep_validators: bool = False,
    ) -> None:
        values: dict[str, Any] = {
            "state": "done",
            "last_status": status,
            "last_error": None,
            "last_fetched_at": utcnow(),
            "next_attempt_at": None,
        }
        if not keep_validators:
            values.update(etag=etag, last_modified=last_modified)
            if sha256 is not None:
                values["content_sha256"] = sha256
        with self.store.begin() as c:
            c.execute(update(M.UrlRow).where(M.UrlRow.id == url_id).values(**values))

    def mark_skipped(self, url_id: int) -> None:
        with self.store.begin() as c:
            c.execute(update(M.UrlRow).where(M.UrlRow.id == url_id).values(state="done"))

    def mark_failed(
        self, url_id: int, error: str, status: int | None, retry_in: float, state: str = "failed"
    ) -> None:
        with self.store.begin() as c:
            c.execute(
                update(M.UrlRow)
                .where(M.UrlRow.id == url_id)
                .values(
                    state=state,
                    last_error=error[:500],
                    last_status=status,
                    attempts=M.UrlRow.attempts + 1,
                    next_attempt_at=later(retry_in),
                    last_fetched_at=utcnow(),
                )
            )

    def record_fetch(
        self,
        url: str,
        started_at: str,
        status: int | None,
        error: str | None,
        size: int | None,
        sha256: str | None,
        warc_file: str | None,
        warc_offset: int | None,
        revisit: bool = False,
    ) -> None:
        with self.store.begin() as c:
            c.execute(
                insert(M.Fetch).values(
                    url=url,
                    started_at=started_at,
                    status=status,
                    error=error,
                    bytes=size,
                    sha256=sha256,
                    warc_file=warc_file,
                    warc_offset=warc_offset,
                    revisit=revisit,
                )
            )

    def pending_count(self) -> int:
        with self.store.engine.connect() as c:
            return c.execute(
                select(func.count()).select_from(M.UrlRow).where(M.UrlRow.state == "pending")
            ).scalar_one()

    # ------------------------------------------------------------------------------------ hosts

    def host(self, host: str) -> dict[str, Any]:
        with self.store.begin() as c:
            row = c.execute(select(M.Host).where(M.Host.host == host)).first()
            if row is None:
                c.execute(insert(M.Host).values(host=host, failures=0))
                row = c.execute(select(M.Host).where(M.Host.host == host)).one()
        return dict(row._mapping)

    def save_robots(self, host: str, text: str | None, crawl_delay: float | None) -> None:
        with self.store.begin() as c:
            c.execute(
                update(M.Host)
                .where(M.Host.host == host)
                .values(robots_txt=text, robots_fetched_at=utcnow(), crawl_delay=crawl_delay)
            )

    def set_blocked(self, host: str, reason: str) -> None:
        with self.store.begin() as c:
            c.execute(
                update(M.Host).where(M.Host.host == host).values(blocked_reason=reason, blocked_at=utcnow())
            )
