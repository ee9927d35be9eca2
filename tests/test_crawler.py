"""Crawler tests against fixture sites served on 127.0.0.1 by the tests themselves."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from nianbao.crawler.archive import Archive, read_record
from nianbao.crawler.engine import CrawlConfig, crawl
from nianbao.sitesim import Site
from nianbao.store.db import Store

from .conftest import FIXTURES

COUNTY = FIXTURES / "sites" / "county"
DEPT = FIXTURES / "sites" / "dept"
DELAY = 0.2
NB = "/zwgk/zfxxgk/zfxxgknb"
NIGHT1_COUNTY = {
    f"{NB}/202302/t20230220_80629_old.htm",
    f"{NB}/202202/P020220208.pdf",
    f"{NB}/202001/t20200120_80576.htm",
}
NIGHT1_DEPT = {
    "/xxgk/ndbg/202401/t20240126_1.html",
    "/xxgk/ndbg/202301/t20230120_2.html",
    "/xxgk/ndbg/202201/t20220120_3.html",
}
DOC_PATHS = (".htm", ".html", ".pdf")


def reports_by_path(store: Store) -> dict[str, tuple]:
    with store.engine.connect() as c:
        rows = c.execute(
            text(
                "SELECT r.url, d.sha256, r.organ, r.year FROM reports r JOIN documents d "
                "ON d.id = r.document_id"
            )
        ).all()
    return {"/" + r[0].split("/", 3)[3]: tuple(r[1:]) for r in rows}


def gaps(site: Site) -> list[float]:
    times = sorted(h.at for h in site.log)
    return [b - a for a, b in zip(times, times[1:], strict=False)]


@pytest.fixture(scope="module")
def three_nights(tmp_path_factory):
    """Night 1, 2 and 3 of a nightly job over both fixture sites; logs kept per night."""
    tmp = tmp_path_factory.mktemp("nights")
    store = Store(f"sqlite:///{tmp / 'n.db'}")
    archive = Archive(tmp / "archive")
    nights = {}
    with Site(COUNTY) as county, Site(DEPT) as dept:
        for night in (1, 2, 3):
            county.set_night(night)
            dept.set_night(night)
            summary = crawl(store, archive, [county.url("/"), dept.url("/")], CrawlConfig(delay=DELAY))
            nights[night] = {
                "summary": summary,
                "county": county.log,
                "dept": dept.log,
                "reports": reports_by_path(store),
                "counts": store.table_counts(),
                "gaps": (gaps(county), gaps(dept)),
            }
    archive.close()
    return store, nights


def test_night1_stores_every_report_and_nothing_else(three_nights) -> None:
    _, nights = three_nights
    got = set(nights[1]["reports"])
    assert got == NIGHT1_COUNTY | NIGHT1_DEPT
    assert nights[1]["summary"].failed == 0
    organs = {v[1] for v in nights[1]["reports"].values()}
    assert {"平潭综合实验区", "河北省教育厅"} <= organs


def test_night2_downloads_no_report_body_and_stores_nothing(three_nights) -> None:
    _, nights = three_nights
    bodies = [
        h
        for h in nights[2]["county"] + nights[2]["dept"]
        if h.status == 200 and ("/20" in h.path and h.path.endswith(DOC_PATHS))
    ]
    assert bodies == []
    revalidated = [h for h in nights[2]["county"] if h.status == 304]
    assert len(revalidated) == 4 and all("if-none-match" in h.headers for h in revalidated)
    assert nights[2]["reports"] == nights[1]["reports"] and nights[2]["counts"] == nights[1]["counts"]
    assert nights[2]["summary"].reports_stored == 0


def test_night3_picks_up_exactly_the_new_report(three_nights) -> None:
    _, nights = three_nights
    new = set(nights[3]["reports"]) - set(nights[2]["reports"])
    assert new == {f"{NB}/202403/P020240308.pdf"}
    assert nights[3]["summary"].reports_stored == 1
    assert nights[3]["reports"][f"{NB}/202403/P020240308.pdf"][1] == "洪泽区人民政府"


def test_requests_to_a_host_never_closer_than_delay(three_nights) -> None:
    _, nights = three_nights
    for night in nights.values():
        county_gaps, dept_gaps = night["gaps"]
        assert min(county_gaps) >= DELAY - 0.01
        assert min(dept_gaps) >= 0.3 - 0.01  # the department site's robots.txt asks Crawl-delay: 0.3


def test_robots_txt_is_obeyed(three_nights) -> None:
    _, nights = three_nights
    paths = {h.path for n in nights.values() for h in n["county"]}
    assert not any(p.startswith("/uc/") or "/private/" in p for p in paths)
    assert "/robots.txt" in paths


def test_retries_honour_retry_after_and_survive_resets(three_nights) -> None:
    _, nights = three_nights
    log = nights[1]["county"]
    hits = [h for h in log if h.path == f"{NB}/202001/t20200120_80576.htm"]
    assert [h.status for h in hits] == [503, 200]
    assert hits[1].at - hits[0].at >= 1.0  # Retry-After: 1
    pdf = [h for h in log if h.path == f"{NB}/202202/P020220208.pdf"]
    assert [h.status for h in pdf] == [0, 200]  # connection reset, then the retry


def test_challenge_is_recorded_backed_off_and_reported(three_nights) -> None:
    store, nights = three_nights
    assert [h.status for h in nights[1]["county"] if h.path == "/zwgk/"] == [412]
    stats = store.stats()
    assert any("瑞数" in (b["reason"] or "") for b in stats["blocked_hosts"])


def test_every_warc_pointer_leads_to_its_response(three_nights) -> None:
    store, _ = three_nights
    with store.engine.connect() as c:
        docs = c.execute(text("SELECT url, sha256, warc_file, warc_offset FROM documents")).all()
    assert len(docs) == 7
    for url, sha, wfile, off in docs:
        rec = read_record(wfile, off)
        assert rec.rec_type == "response" and rec.status == 200
        # the document keeps the address the column links to; the record is where the redirects ended
        assert rec.uri == url or (url.endswith("_old.htm") and rec.uri.endswith("t20230220_80629.htm"))
        assert hashlib.sha256(rec.body).hexdigest() == sha


def test_a_changed_page_is_stored_again_in_place(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    archive = Archive(tmp_path / "archive")
    with Site(COUNTY) as county:
        crawl(store, archive, [county.url("/")], CrawlConfig(delay=0.05))
        before = reports_by_path(store)
        county.set_night(5)  # the 2019 report is corrected on the site
        summary = crawl(store, archive, [county.url("/")], CrawlConfig(delay=0.05))
        after = reports_by_path(store)
    page = f"{NB}/202001/t20200120_80576.htm"
    assert summary.reports_stored == 2  # the corrected 2019 page, and the 2023 report published meanwhile
    assert after[page][0] != before[page][0]
    assert set(after) - set(before) == {f"{NB}/202403/P020240308.pdf"}
    with store.engine.connect() as c:
        body = c.execute(
            text("SELECT record_json FROM reports WHERE url LIKE :u"), {"u": "%80576.htm"}
        ).scalar_one()
    assert after[page][0] in body  # the stored record is the new version's parse


def test_sigkill_mid_crawl_then_rerun_finishes_with_nothing_duplicated(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'k.db'}"
    cmd = [
        sys.executable,
        "-m",
        "nianbao",
        "crawl",
        "--delay",
        "0.15",
        "--db",
        db,
        "--archive",
        str(tmp_path / "a"),
    ]
    with Site(COUNTY) as county, Site(DEPT) as dept:
        seeds = [county.url("/"), dept.url("/")]
        proc = subprocess.Popen(
            [*cmd, *seeds], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while len(county.log) + len(dept.log) < 14 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        partial = Store(db).table_counts()["reports"]
        assert partial < 6  # killed mid-crawl
        done = subprocess.run([*cmd, *seeds], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    store = Store(db)
    assert set(reports_by_path(store)) == NIGHT1_COUNTY | NIGHT1_DEPT
    with store.engine.connect() as c:
        assert c.execute(text("SELECT COUNT(*), COUNT(DISTINCT url) FROM documents")).one() == (6, 6)
        for wfile, off, sha in c.execute(text("SELECT warc_file, warc_offset, sha256 FROM documents")):
            rec = read_record(wfile, off)
            assert rec.rec_type == "response" and hashlib.sha256(rec.body).hexdigest() == sha


def test_catalog_levels() -> None:
    from nianbao.commands import catalog_seeds

    provinces = catalog_seeds("provinces")
    assert len(provinces) == 25 and all(u.startswith("http") for u in provinces)
    assert len(catalog_seeds("all")) == 200


def test_a_report_address_leads_to_its_column(tmp_path: Path) -> None:
    """Catalog rows of kind `report`: the crawler stores the report, then goes up to the column."""
    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    archive = Archive(tmp_path / "archive")
    with Site(COUNTY) as county:
        crawl(store, archive, [county.url(f"{NB}/202001/t20200120_80576.htm")], CrawlConfig(delay=0.05))
    assert set(reports_by_path(store)) == NIGHT1_COUNTY


def test_crawl_into_postgres(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url)
    archive = Archive(tmp_path / "archive")
    with Site(DEPT) as dept:
        summary = crawl(store, archive, [dept.url("/")], CrawlConfig(delay=0.05))
        again = crawl(store, archive, [dept.url("/")], CrawlConfig(delay=0.05))
    assert set(reports_by_path(store)) == NIGHT1_DEPT
    assert (summary.reports_stored, again.reports_stored) == (3, 0)
    assert store.table_counts()["reports"] == 3


def test_autothrottle_slows_for_slow_and_failing_hosts_never_below_the_delay() -> None:
    from nianbao.crawler.engine import HostSlot

    slot = HostSlot(0.5)
    slot.ok(0.1)
    assert slot.delay == 0.5  # fast answers never go below the minimum
    slot.ok(3.0)
    assert slot.delay > 1.5  # a slow host gets a longer delay
    d = slot.delay
    slot.failed()
    assert slot.delay == pytest.approx(min(60, d * 2))
    for _ in range(20):
        slot.ok(0.1)
    assert slot.delay == pytest.approx(0.5, abs=0.01)


def test_a_url_that_keeps_failing_waits_for_a_later_night(tmp_path: Path) -> None:
    import json

    site = tmp_path / "site"
    (site / "nb").mkdir(parents=True)
    (site / "nb" / "index.html").write_text(
        '<html><body><a href="/nb/r.html">某区2023年政府信息公开工作年度报告</a></body></html>',
        encoding="utf-8",
    )
    (site / "site.json").write_text(json.dumps({"routes": {"/nb/r.html": {"status": 503}}}))
    store = Store(f"sqlite:///{tmp_path / 'f.db'}")
    archive = Archive(tmp_path / "archive")
    with Site(site) as s:
        first = crawl(store, archive, [s.url("/nb/index.html")], CrawlConfig(delay=0.05, max_attempts=3))
        tried = [h.status for h in s.log if h.path == "/nb/r.html"]
        second = crawl(store, archive, [s.url("/nb/index.html")], CrawlConfig(delay=0.05))
        tried_again = [h for h in s.log if h.path == "/nb/r.html"][len(tried) :]
    assert tried == [503, 503, 503] and first.failed == 1
    assert tried_again == [] and second.failed == 0  # not retried the same night
    with store.engine.connect() as c:
        state, err, nxt = c.execute(
            text("SELECT state, last_error, next_attempt_at FROM urls WHERE url LIKE '%r.html'")
        ).one()
    assert state == "failed" and "503" in err and nxt > time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def test_unreachable_robots_txt_leaves_the_host_for_later(tmp_path: Path) -> None:
    import json

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<a href="/nb/">政府信息公开年报</a>', encoding="utf-8")
    (site / "site.json").write_text(json.dumps({"routes": {"/robots.txt": {"status": 503}}}))
    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    with Site(site) as s:
        summary = crawl(store, Archive(tmp_path / "a"), [s.url("/")], CrawlConfig(delay=0.05, max_attempts=2))
        paths = [h.path for h in s.log]
    assert paths == ["/robots.txt", "/robots.txt"]  # retried, then nothing else was fetched
    assert summary.reports_stored == 0
    with store.engine.connect() as c:
        assert c.execute(text("SELECT state FROM urls")).scalars().all() == ["pending"]
