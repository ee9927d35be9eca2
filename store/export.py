"""Export: JSON Lines (the §2 records, exactly as `parse --json` printed them), CSV per public table
(a folder or a zip), Parquet via pyarrow (optional extra)."""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path
from typing import IO

from sqlalchemy import text

from . import models as M
from .db import Store, StoreError


def export_jsonl(store: Store, out: IO[str]) -> int:
    n = 0
    for line in store.record_lines():
        out.write(line + "\n")
        n += 1
    return n


# the full JSON record is for `--format jsonl`; in a table export it would only bury the columns
TABLE_EXPORT_SKIP = {"reports": {"record_json"}}


def _rows(store: Store, table: str):  # type: ignore[no-untyped-def]
    skip = TABLE_EXPORT_SKIP.get(table, set())
    cols = [c.name for c in M.Base.metadata.tables[table].columns if c.name not in skip]
    with store.engine.connect() as conn:
        result = conn.execute(text(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id"))
        yield cols
        for row in result:
            yield [_plain(v) for v in row]


def _plain(v):  # type: ignore[no-untyped-def]
    from decimal import Decimal

    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def export_csv(store: Store, out: Path) -> list[str]:
    """One CSV per public table. ``out`` ending in .zip writes a zip, anything else a folder."""
    written = []
    if out.suffix.lower() == ".zip":
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for t in M.PUBLIC_TABLES:
                buf = io.StringIO()
                csv.writer(buf).writerows(_rows(store, t))
                zf.writestr(f"{t}.csv", buf.getvalue().encode("utf-8-sig"))
                written.append(f"{out}!{t}.csv")
        return written
    out.mkdir(parents=True, exist_ok=True)
    for t in M.PUBLIC_TABLES:
        path = out / f"{t}.csv"
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel opens Chinese correctly
            csv.writer(fh).writerows(_rows(store, t))
        written.append(str(path))
    return written


def export_parquet(store: Store, out: Path) -> list[str]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise StoreError("parquet export needs pyarrow: pip install 'nianbao[parquet]'") from e
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for t in M.PUBLIC_TABLES:
        rows = _rows(store, t)
        cols = next(rows)
        data = list(rows)
        table = pa.table({c: [r[i] for r in data] for i, c in enumerate(cols)})
        path = out / f"{t}.parquet"
        pq.write_table(table, path)
        written.append(str(path))
    return written


def stdout_text() -> IO[str]:
    return sys.stdout
