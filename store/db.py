"""The store: the only place that knows SQL. Takes Report records in, gives them back; never parses.

SQLite is the default (WAL, busy timeout, BEGIN IMMEDIATE so concurrent writers wait instead of failing);
Postgres works the same through ``postgresql+psycopg://``. Migrations run automatically on first use.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.engine import make_url

from nianbao.parsers.record import NotAReport, Report

from . import models as M

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_MS = 60_000


class StoreError(Exception):
    """A database problem explained in one line (bad URL, server down, …)."""


@dataclass
class DocumentInfo:
    """Provenance of one document: where its bytes came from and where the archive keeps them."""

    url: str
    sha256: str | None = None
    media_type: str | None = None
    charset: str | None = None
    fetched_at: str | None = None
    http_status: int | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    source_kind: str = "crawl"
    path: str | None = None


def make_engine(url: str) -> Engine:
    try:
        u = make_url(url)
    except Exception as e:
        raise StoreError(f"not a database URL: {url!r}") from e
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(u, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

        @event.listens_for(engine, "connect")
        def _sqlite_setup(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
            # Writers take the write lock up front (IMMEDIATE): two writers queue on busy_timeout instead
            # of deadlocking on a read→write upgrade. Readers begin deferred and, under WAL, never wait.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

        return engine
    if u.get_backend_name() == "postgresql":
        if u.drivername == "postgresql":
            u = u.set(drivername="postgresql+psycopg")
        return create_engine(u, pool_pre_ping=True)
    raise StoreError(
        f"unsupported database {u.get_backend_name()!r}: use sqlite:/// or postgresql+psycopg://"
    )


def _num(v: Any) -> Any:
    return float(v) if isinstance(v, Decimal) else v


def _cell(c: Any) -> dict[str, Any]:
    return {"value": _num(c.value), "raw": c.raw, "status": c.status}


class Store:
    """A nianbao database. ``Store(url)`` connects and brings the schema up to date."""

    def __init__(self, url: str, migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.dialect = self.engine.dialect.name
        if migrate:
            self.upgrade()

    # ----------------------------------------------------------------------------------- schema

    def _alembic(self, conn: Connection) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        return cfg

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str | None:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        return ScriptDirectory.from_config(cfg).get_current_head()

    def upgrade(self) -> None:
        """Apply pending migrations, serialised across processes (SQLite write lock / PG advisory lock)."""
        head = self.head_revision()
        try:
            if self.current_revision() == head:
                return
            with self.begin() as conn:
                if self.dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(7342001)"))
                if MigrationContext.configure(conn).get_current_revision() != head:
                    command.upgrade(self._alembic(conn), "head")
        except StoreError:
            raise
        except Exception as e:
            raise StoreError(f"cannot open database {self.safe_url}: {str(e).splitlines()[0]}") from e

    @property
    def safe_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A write transaction (on SQLite: BEGIN IMMEDIATE)."""
        with self.engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin():
                yield conn

    def close(self) -> None:
        self.engine.dispose()

    # ----------------------------------------------------------------------------------- writes

    def save(
        self, doc: DocumentInfo, result: Report | NotAReport | None, error: str | None = None
    ) -> int | None:
        """Upsert a document and its report in one transaction. Returns the report id (None if no report).

        Storing the same report again, or a re-parse, replaces its rows in place: never a duplicate row,
        never a stale cell left behind.
        """
        with self.begin() as conn:
            return self.save_in(conn, doc, result, error)

    def save_in(
        self,
        conn: Connection,
        doc: DocumentInfo,
        result: Report | NotAReport | None,
        error: str | None = None,
    ) -> int | None:
        status = "error" if error else ("report" if isinstance(result, Report) else "not_a_report")
        doc_values = {
            "sha256": doc.sha256,
            "media_type": doc.media_type,
            "charset": doc.charset,
            "fetched_at": doc.fetched_at,
            "http_status": doc.http_status,
            "warc_file": doc.warc_file,
            "warc_offset": doc.warc_offset,
            "source_kind": doc.source_kind,
            "path": doc.path,
            "parse_status": status,
            "parse_error": error or (result.reason if isinstance(result, NotAReport) else None),
            "parser_version": result.parser_version if isinstance(result, Report) else None,
        }
        doc_id = conn.execute(select(M.Document.id).where(M.Document.url == doc.url)).scalar()
        if doc_id is None:
            doc_id = conn.execute(
                insert(M.Document).values(url=doc.url, **doc_values).returning(M.Document.id)
            ).scalar_one()
        else:
            conn.execute(update(M.Document).where(M.Document.id == doc_id).values(**doc_values))
        report_id = conn.execute(select(M.ReportRow.id).where(M.ReportRow.document_id == doc_id)).scalar()
        if not isinstance(result, Report):
            if report_id is not None and error is None:
                conn.execute(delete(M.ReportRow).where(M.ReportRow.id == report_id))
            return None
        r = result
        values = {
            "url": doc.url,
            "title": r.title,
            "organ": r.organ,
            "year": r.year,
            "published_date": r.published_date,
            "template_version": r.template_version,
            "t2_version": r.table_versions.get("t2"),
            "t3_version": r.table_versions.get("t3"),
            "parser_version": r.parser_version,
            "warnings": "\n".join(r.warnings) or None,
            "record_json": r.to_json(),
        }
        if report_id is None:
            report_id = conn.execute(
                insert(M.ReportRow).values(document_id=doc_id, **values).returning(M.ReportRow.id)
            ).scalar_one()
        else:
            conn.execute(update(M.ReportRow).where(M.ReportRow.id == report_id).values(**values))
            for table in (M.SectionRow, M.T2Cell, M.T3Cell, M.T4Cell, M.CheckRow):
                conn.execute(delete(table).where(table.report_id == report_id))
        rid = report_id
        for model, items, columns in (
            (
                M.SectionRow,
                r.sections,
                lambda s: {"section_key": s.key, "heading": s.heading, "text": s.text},
            ),
            (
                M.T2Cell,
                r.t2,
                lambda c: {
                    "block": c.block,
                    "item_key": c.item,
                    "metric_key": c.metric,
                    "unit": c.unit,
                    "label": c.label,
                    **_cell(c),
                },
            ),
            (M.T3Cell, r.t3, lambda c: {"row_key": c.row, "col_key": c.col, "label": c.label, **_cell(c)}),
            (M.T4Cell, r.t4, lambda c: {"block": c.block, "outcome": c.outcome, **_cell(c)}),
            (
                M.CheckRow,
                r.checks,
                lambda c: {
                    "check_id": c.id,
                    "scope": c.scope,
                    "lhs": _num(c.lhs),
                    "rhs": _num(c.rhs),
                    "passed": c.passed,
                    "basis": c.basis,
                },
            ),
        ):
            if items:
                conn.execute(insert(model), [{"report_id": rid, **columns(x)} for x in items])
        return rid

    # ----------------------------------------------------------------------------------- reads

    def is_current(self, url: str, sha256: str, parser_version: str) -> bool:
        """True when this exact document was already parsed by this parser version."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(M.Document.sha256, M.Document.parser_version, M.Document.parse_status).where(
                    M.Document.url == url
                )
            ).first()
        if row is None or row.sha256 != sha256:
            return False
        return row.parse_status == "not_a_report" or row.parser_version == parser_version

    def record_lines(self) -> Iterator[str]:
        """Every stored report as its JSON record text, in a stable order (by source URL)."""
        with self.engine.connect() as conn:
            for (rec,) in conn.execute(
                select(M.ReportRow.record_json).order_by(M.ReportRow.url, M.ReportRow.id)
            ):
                yield rec

    def records(self) -> Iterator[dict[str, Any]]:
        return (json.loads(line) for line in self.record_lines())

    def documents_to_reparse(self, parser_version: str, all_documents: bool = False) -> list[dict[str, Any]]:
        """Archived documents whose stored parse is older than ``parser_version`` (or every one)."""
        q = select(M.Document).where(M.Document.warc_file.is_not(None))
        if not all_documents:
            q = q.where((M.Document.parser_version.is_(None)) | (M.Document.parser_version != parser_version))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q.order_by(M.Document.id))]

    def table_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in M.PUBLIC_TABLES}

    def stats(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            by_year = conn.execute(
                select(M.ReportRow.year, M.ReportRow.template_version, func.count())
                .group_by(M.ReportRow.year, M.ReportRow.template_version)
                .order_by(M.ReportRow.year, M.ReportRow.template_version)
            ).all()
            failed = conn.execute(
                select(M.CheckRow.check_id, func.count())
                .where(M.CheckRow.passed.is_(False))
                .group_by(M.CheckRow.check_id)
                .order_by(M.CheckRow.check_id)
            ).all()
            blocked = conn.execute(
                select(M.Host.host, M.Host.blocked_reason, M.Host.blocked_at).where(
                    M.Host.blocked_reason.is_not(None)
                )
            ).all()
            failing = conn.execute(
                select(M.UrlRow.host, func.count()).where(M.UrlRow.state == "failed").group_by(M.UrlRow.host)
            ).all()
            docs = conn.execute(
                select(M.Document.parse_status, func.count()).group_by(M.Document.parse_status)
            ).all()
            hosts = conn.execute(select(func.count()).select_from(M.UrlRow).group_by(M.UrlRow.host)).all()
            return {
                "hosts": len(hosts),
                "documents": sum(n for _, n in docs),
                "documents_by_status": {s or "unknown": n for s, n in docs},
                "reports": conn.execute(select(func.count()).select_from(M.ReportRow)).scalar_one(),
                "reports_by_year": [{"year": y, "template": t, "reports": n} for y, t, n in by_year],
                "failed_checks": {c: n for c, n in failed},
                "blocked_hosts": [{"host": h, "reason": r, "since": s} for h, r, s in blocked],
                "failing_urls_by_host": {h: n for h, n in failing},
            }
