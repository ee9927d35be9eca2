"""Crawl wall time against the politeness bound, measured in the same run.

Serves the demo site (a TRS county portal) and the department fixture site on 127.0.0.1, crawls both in
parallel, and compares the wall time with the bound: for each host, requests × its delay (the larger of
--delay and robots Crawl-delay); hosts run in parallel, so the bound is the largest per-host product.
Run: .venv/bin/python bench/crawl_bench.py [--delay 0.3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from nianbao.crawler.archive import Archive
from nianbao.crawler.engine import CrawlConfig, crawl
from nianbao.sitesim import Site
from nianbao.store.db import Store

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--delay", type=float, default=0.3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/b.db")
        archive = Archive(Path(tmp) / "archive")
        with (
            Site(ROOT / "nianbao" / "data" / "demo_site", night=3) as county,
            Site(ROOT / "fixtures" / "sites" / "dept") as dept,
        ):
            t0 = time.perf_counter()
            summary = crawl(store, archive, [county.url("/"), dept.url("/")], CrawlConfig(delay=args.delay))
            wall = time.perf_counter() - t0
            per_host = {
                "county": (len(county.log), args.delay),
                "dept": (len(dept.log), max(args.delay, 0.3)),
            }
        archive.close()
    bound = max(n * d for n, d in per_host.values())
    for name, (n, d) in per_host.items():
        print(f"{name:7} {n:3} requests x {d:.2f} s = {n * d:6.2f} s")
    print(f"crawl: {summary.line()}")
    print(f"wall {wall:.2f} s, politeness bound {bound:.2f} s, ratio {wall / bound:.2f}x (target <= 1.2x)")


if __name__ == "__main__":
    main()
