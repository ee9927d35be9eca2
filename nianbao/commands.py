"""Store and crawler commands, registered on the CLI app (kept apart so `parse` stays light)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.table import Table

from nianbao.cli import ARCHIVE_HELP, DB_HELP, app, archive_dir, db_url, err

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DbOpt = typer.Option(None, "--db", help=DB_HELP)
ArchiveOpt = typer.Option(None, "--archive", help=ARCHIVE_HELP)


def open_store(db: str | None):  # type: ignore[no-untyped-def]
    from nianbao.store.db import Store, StoreError

    try:
        return Store(db_url(db))
    except StoreError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from e


class Progress:
    """A rich status line on a terminal, plain lines otherwise (logs of nightly jobs stay readable)."""

    def __init__(self, verb: str) -> None:
        self.verb = verb
        self.n = 0
        self.tty = sys.stderr.isatty()
        self._status = err.status(verb) if self.tty else None

    def __enter__(self) -> Progress:
        if self._status:
            self._status.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._status:
            self._status.__exit__(None, None, None)

    def __call__(self, item: str) -> None:
        self.n += 1
        if self._status:
            self._status.update(f"{self.verb} [{self.n}] {item}")
        else:
            err.print(f"{self.verb} [{self.n}] {item}", markup=False)


def _report_outcome(out, what: str) -> None:  # type: ignore[no-untyped-def]
    for e in out.errors:
        err.print(e, markup=False)
    err.print(
        f"{what}: {out.reports} reports stored, {out.not_reports} not reports, {out.unchanged} unchanged, "
        f"{len(out.errors)} errors",
        markup=False,
    )
    raise typer.Exit(1 if out.errors else 0)


@app.command("ingest")
def ingest_cmd(
    paths: list[Path] = typer.Argument(
        ..., help="Report files, folders of them, or WARC files (.warc, .warc.gz)."
    ),
    db: str | None = DbOpt,
    archive: str | None = ArchiveOpt,
) -> None:
    """Parse local files, folders or WARC files from any crawler, and store the records."""
    from nianbao.crawler.archive import Archive
    from nianbao.pipeline import ingest

    store = open_store(db)
    arch = Archive(archive_dir(archive), prefix="nianbao-ingest")
    try:
        with Progress("ingest") as progress:
            out = ingest(paths, store, arch, progress)
    finally:
        arch.close()
    _report_outcome(out, "ingest")


@app.command("reparse")
def reparse_cmd(
    all_documents: bool = typer.Option(
        False, "--all", help="Re-parse every document, not only older parses."
    ),
    db: str | None = DbOpt,
) -> None:
    """Re-parse archived documents with the current parser (resumable; one transaction per report)."""
    from nianbao.pipeline import reparse

    store = open_store(db)
    with Progress("reparse") as progress:
        out = reparse(store, all_documents, progress)
    _report_outcome(out, "reparse")


@app.command("export")
def export_cmd(
    fmt: str = typer.Option("jsonl", "--format", help="jsonl | csv | parquet"),
    out: Path | None = typer.Option(
        None, "--out", help="File (jsonl), folder or .zip (csv), folder (parquet)."
    ),
    db: str | None = DbOpt,
) -> None:
    """Export the dataset: JSON Lines records, or one CSV/Parquet file per public table."""
    from nianbao.store import export
    from nianbao.store.db import StoreError

    if fmt not in ("jsonl", "csv", "parquet"):
        err.print(f"error: unknown format {fmt!r} (choose jsonl, csv or parquet)", markup=False)
        raise typer.Exit(2)
    if fmt != "jsonl" and out is None:
        err.print(f"error: --format {fmt} writes several files: give --out FOLDER", markup=False)
        raise typer.Exit(2)
    store = open_store(db)
    try:
        if fmt == "jsonl":
            if out is None:
                n = export.export_jsonl(store, sys.stdout)
            else:
                with open(out, "w", encoding="utf-8", newline="\n") as fh:
                    n = export.export_jsonl(store, fh)
            err.print(f"exported {n} reports", markup=False)
        elif fmt == "csv":
            for path in export.export_csv(store, out):  # type: ignore[arg-type]
                err.print(f"wrote {path}", markup=False)
        else:
            for path in export.export_parquet(store, out):  # type: ignore[arg-type]
                err.print(f"wrote {path}", markup=False)
    except StoreError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(1) from e


@app.command("stats")
def stats_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    db: str | None = DbOpt,
) -> None:
    """Counts: hosts, documents, reports by year and template, failed checks, blocked hosts."""
    store = open_store(db)
    s = store.stats()
    if as_json:
        sys.stdout.write(json.dumps(s, ensure_ascii=False, indent=2) + "\n")
        return
    from rich.console import Console

    out = Console()
    out.print(f"hosts {s['hosts']} · documents {s['documents']} · reports {s['reports']}")
    t = Table("year", "template", "reports", title="Reports by year and template")
    for r in s["reports_by_year"]:
        t.add_row(str(r["year"]), str(r["template"]), str(r["reports"]))
    out.print(t)
    t = Table("check", "failed", title="Failed checks")
    for c, n in s["failed_checks"].items():
        t.add_row(c, str(n))
    out.print(t)
    if s["blocked_hosts"]:
        t = Table("host", "reason", "since", title="Blocked hosts (anti-bot challenges)")
        for b in s["blocked_hosts"]:
            t.add_row(b["host"], b["reason"] or "", b["since"] or "")
        out.print(t)
    if s["failing_urls_by_host"]:
        t = Table("host", "failing URLs", title="Failing hosts")
        for h, n in s["failing_urls_by_host"].items():
            t.add_row(h, str(n))
        out.print(t)


@db_app.command("upgrade")
def db_upgrade_cmd(db: str | None = DbOpt) -> None:
    """Apply pending schema migrations (also done automatically on first use)."""
    store = open_store(db)
    err.print(f"{store.safe_url}: schema at revision {store.current_revision()}", markup=False)


@app.command("version")
def version_cmd() -> None:
    """Print the nianbao and parser versions."""
    from nianbao import __version__
    from nianbao.parsers import PARSER_VERSION

    typer.echo(f"nianbao {__version__} (parser {PARSER_VERSION})")


LEVELS = {
    "national": "national",
    "ministry": "ministry",
    "ministries": "ministry",
    "province": "province",
    "provinces": "province",
    "city": "city",
    "cities": "city",
    "county": "county",
    "counties": "county",
    "district": "district",
    "districts": "district",
    "township": "township",
    "townships": "township",
    "department": "department",
    "departments": "department",
    "all": "all",
}


def catalog_seeds(level: str) -> list[str]:
    """Seed URLs from the bundled catalog (real report-column and report addresses, with provenance)."""
    import csv
    from importlib.resources import files

    want = LEVELS.get(level.lower())
    if want is None:
        err.print(
            f"error: unknown catalog level {level!r} (choose: {', '.join(sorted(set(LEVELS.values())))})",
            markup=False,
        )
        raise typer.Exit(2)
    text = files("nianbao").joinpath("data/report-sources.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return [r["url"] for r in rows if want == "all" or r["level"] == want]


@app.command("crawl")
def crawl_cmd(
    seeds: list[str] = typer.Argument(
        None, help="Seed URLs: a site's home page, its 政府信息公开 page or 年报 column."
    ),
    catalog: str | None = typer.Option(
        None, "--catalog", help="Seed from the bundled catalog: provinces, cities, … or all."
    ),
    delay: float = typer.Option(
        1.0, "--delay", help="Seconds between requests to one host (robots Crawl-delay wins if larger)."
    ),
    max_requests: int | None = typer.Option(
        None, "--max-requests", help="Stop after this many requests (resume later)."
    ),
    concurrency: int = typer.Option(8, "--concurrency", help="Hosts crawled in parallel."),
    user_agent: str | None = typer.Option(
        None, "--user-agent", help="User-Agent header (default names nianbao)."
    ),
    contact: str | None = typer.Option(
        None, "--contact", help="Contact URL or e-mail added to the User-Agent."
    ),
    db: str | None = DbOpt,
    archive: str | None = ArchiveOpt,
) -> None:
    """Harvest annual reports: discover columns, follow pagination, archive to WARC, parse and store.

    Run it again every night: listings are re-read, known documents are revalidated, and only what is new
    or changed is parsed and stored. A killed crawl resumes where it stopped."""
    from nianbao.crawler.archive import Archive
    from nianbao.crawler.client import DEFAULT_UA
    from nianbao.crawler.engine import CrawlConfig, crawl

    urls = list(seeds or []) + (catalog_seeds(catalog) if catalog else [])
    if not urls:
        err.print("error: give seed URLs or --catalog LEVEL", markup=False)
        raise typer.Exit(2)
    bad = [u for u in urls if not u.startswith(("http://", "https://"))]
    if bad:
        err.print(f"error: not an http(s) URL: {bad[0]}", markup=False)
        raise typer.Exit(2)
    if delay < 0 or concurrency < 1:
        err.print("error: --delay must be ≥ 0 and --concurrency ≥ 1", markup=False)
        raise typer.Exit(2)
    ua = user_agent or DEFAULT_UA
    if contact:
        ua = ua[:-1] + f"; contact {contact})" if ua.endswith(")") else f"{ua} ({contact})"
    store = open_store(db)
    arch = Archive(archive_dir(archive))
    config = CrawlConfig(delay=delay, max_requests=max_requests, concurrency=concurrency, user_agent=ua)
    try:
        with Progress("crawl") as progress:
            summary = crawl(store, arch, urls, config, progress)
    except KeyboardInterrupt:
        err.print("interrupted: run the same command again to resume", markup=False)
        raise typer.Exit(1) from None
    finally:
        arch.close()
    state = (
        "resumed and finished"
        if summary.resumed and summary.finished
        else ("finished" if summary.finished else "stopped at --max-requests (run again to resume)")
    )
    err.print(f"crawl {state}: {summary.line()}", markup=False)
    raise typer.Exit(0 if summary.failed == 0 else 1)


@app.command("demo")
def demo_cmd(
    db: str | None = DbOpt,
    archive: str | None = ArchiveOpt,
    delay: float = typer.Option(0.2, "--delay", help="Politeness delay for the local demo site."),
) -> None:
    """Serve the bundled demo site on 127.0.0.1, crawl it into the database, and show what was found."""
    from importlib.resources import as_file, files

    from nianbao.crawler.archive import Archive
    from nianbao.crawler.engine import CrawlConfig, crawl
    from nianbao.sitesim import Site

    store = open_store(db)
    arch = Archive(archive_dir(archive))
    with as_file(files("nianbao").joinpath("data/demo_site")) as root, Site(root, night=3) as site:
        err.print(f"serving the demo site (a real 平潭 column and its reports) at {site.base}", markup=False)
        with Progress("crawl") as progress:
            summary = crawl(store, arch, [site.url("/")], CrawlConfig(delay=delay), progress)
    arch.close()
    err.print(f"demo crawl: {summary.line()}", markup=False)
    from rich.console import Console

    t = Table(
        "organ", "year", "template", "cells", "failed checks", "url", title="Reports in " + store.safe_url
    )
    for rec in store.records():
        cells = len(rec["t2"]) + len(rec["t3"]) + len(rec["t4"])
        failed = sum(1 for c in rec["checks"] if not c["passed"])
        t.add_row(
            rec["organ"] or "?",
            str(rec["year"]),
            rec["template_version"] or "?",
            str(cells),
            str(failed),
            rec["source"]["url"] or rec["source"]["path"] or "",
        )
    Console().print(t)
    err.print(
        "next: `nianbao export --format csv --out data/` or open nianbao.db with sqlite3 (see docs/schema.md)",
        markup=False,
    )
