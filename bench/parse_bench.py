"""Parse throughput on the real fixtures, as ratios against baselines measured in the same run.

HTML/text: nianbao.parsers.parse vs a floor of decode + selectolax parse + .text() of the same bytes.
PDF: nianbao.parsers.parse vs pdfplumber's own extract_tables() over the same pages.
Also prints peak RSS. Run: .venv/bin/python bench/parse_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import pdfplumber
from selectolax.lexbor import LexborHTMLParser

from nianbao.parsers import Source, parse
from nianbao.parsers.decode import decode

ROOT = Path(__file__).resolve().parent.parent
TEXT_FILES = sorted((ROOT / "fixtures" / "reports").glob("*.*"))
PDF_FILES = sorted((ROOT / "fixtures" / "pdf").glob("*.pdf"))


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    blobs = [(p, p.read_bytes()) for p in TEXT_FILES if p.suffix != ".md" or True]

    def floor() -> None:
        for _p, data in blobs:
            text, _ = decode(data)
            LexborHTMLParser(text).text()

    def ours() -> None:
        for p, data in blobs:
            parse(data, Source(path=str(p)))

    f, o = best_of(floor, args.repeat), best_of(ours, args.repeat)
    size = sum(len(d) for _, d in blobs) / 1e6
    print(f"html/text: {len(blobs)} files, {size:.2f} MB")
    print(f"  floor (decode + selectolax + .text()): {f * 1000:8.1f} ms")
    print(
        f"  nianbao parse:                          {o * 1000:8.1f} ms   ratio {o / f:5.2f}x  (target <= 5x)"
    )

    pdfs = [(p, p.read_bytes()) for p in PDF_FILES]

    def plumber() -> None:
        for p, _ in pdfs:
            with pdfplumber.open(p) as pdf:
                for page in pdf.pages:
                    page.extract_tables()

    def ours_pdf() -> None:
        for p, data in pdfs:
            parse(data, Source(path=str(p)))

    pl, op = best_of(plumber, max(1, args.repeat // 2)), best_of(ours_pdf, max(1, args.repeat // 2))
    print(f"pdf: {len(pdfs)} files")
    print(f"  pdfplumber extract_tables():            {pl * 1000:8.1f} ms")
    print(
        f"  nianbao parse:                          {op * 1000:8.1f} ms   ratio {op / pl:5.2f}x  (target <= 1.0x)"
    )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (target <= 300 MB)")


if __name__ == "__main__":
    main()
