"""Store tests: each runs on SQLite and on the machine's real Postgres."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from nianbao.crawler.archive import Archive
from nianbao.parsers import Source, parse
from nianbao.pipeline import ingest, reparse
from nianbao.store.db import DocumentInfo, Store

from .conftest import FIXTURES

SAMPLE = [
    FIXTURES / "reports" / "seed-xiejiaji-2020.txt",
    FIXTURES / "reports" / "pingtan-2022.html",
    FIXTURES / "reports" / "pingtan-2019.txt",
    FIXTURES / "reports" / "hebei-jyt-2023.txt",
    FIXTURES / "reports" / "pingtan-list-index.html",
]


def _ingest(store: Store, tmp_path: Path, files=SAMPLE):
    arch = Archive(tmp_path / "archive")
    try:
        return ingest(list(files), store, arch)
    finally:
        arch.close()


def test_ingest_then_export_equals_parse_json(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url)
    out = _ingest(store, tmp_path)
    assert (out.reports, out.not_reports, out.errors) == (4, 1, [])
    exported = sorted(store.record_lines())
    printed = sorted(parse(p.read_bytes(), Source(path=str(p))).to_json() for p in SAMPLE[:4])
    assert exported == printed


def test_restoring_and_reparsing_leave_counts_unchanged(db_url: str, tmp_path: Path, monkeypatch) -> None:
    store = Store(db_url)
    _ingest(store, tmp_path)
    before = store.table_counts()
    assert before["reports"] == 4 and before["t3_cells"] > 0
    again = _ingest(store, tmp_path)
    assert again.unchanged == 5 and store.table_counts() == before
    # a new parser version: reparse updates every report in place
    import nianbao.parsers.record as rec
    import nianbao.pipeline as pipe

    monkeypatch.setattr(rec, "PARSER_VERSION", "9.9.9")
    monkeypatch.setattr(pipe, "PARSER_VERSION", "9.9.9")
    out = reparse(store)
    assert out.errors == [] and out.reports == 4
    assert store.table_counts() == before
    with store.engine.connect() as c:
        versions = {v for (v,) in c.execute(text("SELECT parser_version FROM reports"))}
    assert versions == {"9.9.9"}
    assert reparse(store).reports == 0  # nothing older left: a resumed run does nothing twice


def test_reparse_replaces_cells_no_stale_rows(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url)
    p = SAMPLE[1]
    r = parse(p.read_bytes(), Source(path=str(p)))
    doc = DocumentInfo(url="https://example.gov.cn/r.html", sha256=r.source.sha256)
    rid = store.save(doc, r)
    r.t3 = r.t3[:7]  # a later parse that finds fewer cells
    assert store.save(doc, r) == rid
    with store.engine.connect() as c:
        n = c.execute(text("SELECT COUNT(*) FROM t3_cells WHERE report_id = :r"), {"r": rid}).scalar_one()
    assert n == 7


def test_views_for_researchers(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url)
    _ingest(store, tmp_path)
    with store.engine.connect() as c:
        row = c.execute(
            text(
                "SELECT new_received, processed_total, granted, partially_granted, carried_over_out, review_total, "
                "litigation_direct_total, failed_checks FROM report_summary s JOIN reports r ON r.id = s.report_id "
                "WHERE r.url LIKE '%pingtan-2022.html'"
            )
        ).one()
        assert [float(x) for x in row] == [74, 75, 21, 9, 0, 2, 1, 0]
        wide = c.execute(
            text(
                "SELECT natural_person, org_business, total FROM t3_wide w JOIN reports r ON r.id = w.report_id "
                "WHERE r.url LIKE '%pingtan-2022.html' AND row_key = 'new_received'"
            )
        ).one()
        assert [float(x) for x in wide] == [71, 3, 74]


def test_sqlite_and_postgres_export_identical_jsonl(tmp_path: Path, pg_url: str) -> None:
    import uuid

    from sqlalchemy import create_engine

    schema = f"x_{uuid.uuid4().hex[:8]}"
    eng = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng.dispose()
    outs = []
    for i, url in enumerate([f"sqlite:///{tmp_path / 'a.db'}", f"{pg_url}?options=-csearch_path%3D{schema}"]):
        store = Store(url)
        _ingest(store, tmp_path / str(i))
        outs.append("".join(line + "\n" for line in store.record_lines()).encode())
    assert outs[0] == outs[1] and outs[0].count(b"\n") == 4


def test_two_processes_writing_one_sqlite_file(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'shared.db'}"
    Store(db).close()
    code = (
        "import sys; from nianbao.store.db import Store, DocumentInfo; from nianbao.parsers import parse, Source\n"
        "s = Store(sys.argv[1]); p = sys.argv[2]; r = parse(open(p, 'rb').read(), Source(path=p))\n"
        "for i in range(15): s.save(DocumentInfo(url=f'https://{sys.argv[3]}.gov.cn/{i}.html'), r)\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, db, str(SAMPLE[1]), host], stderr=subprocess.PIPE)
        for host in ("a", "b")
    ]
    for p in procs:
        _, e = p.communicate(timeout=120)
        assert p.returncode == 0, e.decode()
    counts = Store(db).table_counts()
    assert counts["reports"] == 30 and counts["documents"] == 30


def test_older_database_upgrades_in_place(tmp_path: Path) -> None:
    """A database at the first revision (as 0.1.0 created it) is brought to head on first use."""
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url, migrate=False)
    with store.begin() as conn:
        command.upgrade(store._alembic(conn), "0001")
    assert store.current_revision() == "0001"
    r = parse(SAMPLE[0].read_bytes(), Source(path=str(SAMPLE[0])))
    with store.begin() as conn:  # an old-style row, written before the upgrade
        conn.execute(text("INSERT INTO documents (url, source_kind) VALUES ('file:///old', 'file')"))
        conn.execute(
            text(
                "INSERT INTO reports (document_id, url, parser_version, record_json) "
                "VALUES (1, 'file:///old', '0.0.1', :j)"
            ),
            {"j": r.to_json()},
        )
    upgraded = Store(url)
    assert upgraded.current_revision() == upgraded.head_revision()
    assert upgraded.table_counts()["reports"] == 1
    assert json.loads(next(upgraded.record_lines()))["organ"] == "谢家集区人民政府"


def test_bad_database_url_is_one_line(tmp_path: Path) -> None:
    p = subprocess.run(
        [sys.executable, "-m", "nianbao", "stats", "--db", "mysql://nope/x"], capture_output=True, text=True
    )
    assert p.returncode == 2 and "Traceback" not in p.stderr and "unsupported database" in p.stderr


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_table_exports(tmp_path: Path, fmt: str) -> None:
    store = Store(f"sqlite:///{tmp_path / 'e.db'}")
    _ingest(store, tmp_path)
    from nianbao.store import export

    files = (export.export_csv if fmt == "csv" else export.export_parquet)(store, tmp_path / "out")
    assert len(files) == 7
    if fmt == "csv":
        import csv

        with open(tmp_path / "out" / "t3_cells.csv", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == store.table_counts()["t3_cells"]
        assert {"report_id", "row_key", "col_key", "value", "raw", "status"} <= set(rows[0])
        with open(tmp_path / "out" / "reports.csv", encoding="utf-8-sig") as fh:
            header = next(csv.reader(fh))
        assert "organ" in header and "record_json" not in header
    else:
        import pyarrow.parquet as pq

        assert (
            pq.read_table(tmp_path / "out" / "t3_cells.parquet").num_rows == store.table_counts()["t3_cells"]
        )


def test_schema_doc_is_in_step_and_its_queries_run(db_url: str, tmp_path: Path) -> None:
    from nianbao.store import schema_doc

    assert (Path(__file__).parent.parent / "docs" / "schema.md").read_text(
        encoding="utf-8"
    ) == schema_doc.render() + "\n"
    store = Store(db_url)
    _ingest(store, tmp_path)
    with store.engine.connect() as c:
        results = [c.execute(text(sql)).all() for _, sql in schema_doc.EXAMPLES]
    assert [[float(x) for x in row] for row in results[0]] == [[2019, 23, 23, 0], [2022, 74, 75, 0]]
    assert results[1] == []  # none of these sample reports fails I1
    assert len(results[2]) > 0 and len(results[3]) > 0


def _foreign_warc(path: Path) -> None:
    """A WARC as wget --warc-file writes it: warcinfo, then request/response pairs (gzip members)."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "Wget/1.21.3"}))
        pages = [
            (
                "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202302/t20230220_80629.htm",
                (FIXTURES / "reports" / "pingtan-2022.html").read_bytes(),
                "text/html; charset=utf-8",
            ),
            (
                "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/index.htm",
                (FIXTURES / "reports" / "pingtan-list-index.html").read_bytes(),
                "text/html",
            ),
            ("https://www.pingtan.gov.cn/style.css", b"body{}", "text/css"),
        ]
        for url, body, ctype in pages:
            w.write_record(
                w.create_warc_record(
                    url,
                    "request",
                    payload=io.BytesIO(b""),
                    http_headers=StatusAndHeaders(
                        "GET / HTTP/1.1", [("Host", "www.pingtan.gov.cn")], is_http_request=True
                    ),
                )
            )
            w.write_record(
                w.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1"),
                )
            )


def test_ingest_foreign_warc_points_at_its_records(db_url: str, tmp_path: Path) -> None:
    from nianbao.crawler.archive import read_record

    warc = tmp_path / "wget.warc.gz"
    _foreign_warc(warc)
    store = Store(db_url)
    out = _ingest(store, tmp_path, [warc])
    assert (out.reports, out.not_reports, out.errors) == (1, 1, [])
    with store.engine.connect() as c:
        url, wfile, off, status = c.execute(
            text(
                "SELECT d.url, d.warc_file, d.warc_offset, d.http_status FROM documents d JOIN reports r "
                "ON r.document_id = d.id"
            )
        ).one()
    assert url.endswith("t20230220_80629.htm") and status == 200
    rec = read_record(wfile, off)
    assert rec.rec_type == "response" and rec.uri == url
    assert rec.body == (FIXTURES / "reports" / "pingtan-2022.html").read_bytes()
    record = json.loads(next(store.record_lines()))
    assert record["source"]["url"] == url and record["published_date"] == "2023-02-20"
    assert _ingest(store, tmp_path, [warc]).reports == 1 and store.table_counts()["reports"] == 1


def test_cli_ingest_export_stats(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    run = lambda *a: subprocess.run(
        [sys.executable, "-m", "nianbao", *a, "--db", db],
        capture_output=True,  # noqa: E731
        text=True,
        cwd=tmp_path,
    )
    p = run("ingest", str(FIXTURES / "reports" / "seed-xiejiaji-2020.txt"))
    assert p.returncode == 0, p.stderr
    assert "1 reports stored" in p.stderr
    p = run("export")
    assert p.returncode == 0 and json.loads(p.stdout)["organ"] == "谢家集区人民政府"
    p = run("stats", "--json")
    s = json.loads(p.stdout)
    assert s["reports"] == 1 and s["reports_by_year"] == [{"year": 2020, "template": "2019", "reports": 1}]
    p = run("export", "--format", "parquet")
    assert p.returncode == 2 and "--out" in p.stderr


def test_a_reader_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    """A researcher's read (our export or their own connection) runs while the nightly writer holds a
    write transaction open."""
    import sqlite3
    import time as _time

    db = tmp_path / "rw.db"
    store = Store(f"sqlite:///{db}")
    _ingest(store, tmp_path, SAMPLE[:1])
    with store.begin() as conn:  # the writer, mid-transaction
        conn.execute(text("UPDATE reports SET title = 'x'"))
        t0 = _time.monotonic()
        assert len(list(Store(f"sqlite:///{db}").record_lines())) == 1
        with sqlite3.connect(db, timeout=1) as other:
            assert other.execute("SELECT COUNT(*) FROM t3_cells").fetchone()[0] > 0
        assert _time.monotonic() - t0 < 1.0
