"""One mapper: RawTables (from any layout) → canonical cells, template versions and warnings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import template as T
from .digitruns import solve_rows, splits
from .rawtable import RawRow, RawTable
from .record import T2Cell, T3Cell, T4Cell
from .values import parse_cell


@dataclass
class Mapped:
    t2: list[T2Cell] = field(default_factory=list)
    t3: list[T3Cell] = field(default_factory=list)
    t4: list[T4Cell] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------ labels


@lru_cache(maxsize=8192)
def classify_t3_label(label: str, version: str, start: int = 0, fuzzy: bool = True) -> tuple[str | None, int]:
    """Row key for a printed label (group prefixes glued on are fine), searching the template from
    ``start`` so repeated short labels (1./2./3.) resolve by position. Returns (key, index)."""
    n = T.norm_label(label)
    if not n:
        return None, start
    defs = T.t3_rows(version)
    best: tuple[int, int, int] | None = None  # (-score, order, index)
    for i, d in enumerate(defs):
        dl = T.norm_label(d.label)
        if dl and dl in n:
            score = len(dl) + (0 if d.group else 100) + (50 if n.endswith(dl) else 0)
            cand = (-score, 0 if i >= start else 1, i)
            if best is None or cand < best:
                best = cand
    # typos (and 合计 for 总计): fuzzy on the tail of the label, also when only a group label glued before
    # the row's own label matched exactly (三、本年度办理结果（七）合计)
    if fuzzy and (best is None or defs[best[2]].group):
        grouped = best is not None
        starts = [0] + [m.start() for m in re.finditer(r"\d|[一二三四五六七]", n)]
        for i, d in enumerate(defs):
            if grouped and d.group:
                continue
            dl = T.norm_label(d.label)
            lim = max(2, len(dl) // 4)
            dist = min(T.edit_distance(n[k:], dl, lim) for k in starts)
            if dist <= lim:
                cand = (-(100 - dist) - (0 if d.group else 100), 0 if i >= start else 1, i)
                if best is None or cand < best:
                    best = cand
    if best is None:
        return None, start
    d = defs[best[2]]
    return d.key, best[2]


@lru_cache(maxsize=4096)
def t3_column_key(header: str | None) -> str | None:
    if not header:
        return None
    n = T.norm_label(header)
    for key in ("natural_person", "org_business", "org_research", "org_public_welfare", "org_legal_service"):
        if any(T.norm_label(lab) in n for lab in T.T3_COLUMN_LABELS[key]):
            return key
    if any(w in n for w in ("总计", "合计")):
        return "total"
    if n.endswith("其他"):
        return "org_other"
    return None


@lru_cache(maxsize=4096)
def t4_column_key(header: str | None) -> tuple[str, str] | None:
    if not header:
        return None
    n = T.norm_label(header)
    if "复议后起诉" in n:
        block = "litigation_after_review"
    elif "直接起诉" in n:
        block = "litigation_direct"
    elif "复议" in n:
        block = "review"
    else:
        return None
    tail = n.split("起诉")[-1] if "起诉" in n else n.split("复议")[-1]
    for outcome, labels in T.T4_OUTCOME_LABELS.items():
        if any(T.norm_label(lab) in tail for lab in labels):
            return block, outcome
    return None


def _metric_key(block: T.BlockDef, header: str | None) -> str | None:
    if not header:
        return None
    n = T.norm_label(header)
    for key, labels in block.metrics:
        if any(T.norm_label(lab) in n or n in T.norm_label(lab) for lab in labels if len(n) >= 3):
            return key
    return None


# ------------------------------------------------------------------------------------------ t3


def _leftover_warning(table: str, key: str, row: RawRow) -> str:
    return (
        f"table {table}: row {key} read from its own line; values printed after it belong to no row "
        f"found and were not used: {row.leftover[:80]!r}"
    )


def _printed_tuple(cells: list[str]) -> tuple[int, ...] | None:
    out = []
    for c in cells:
        v = parse_cell(c)
        if v.status == "number" and isinstance(v.value, int):
            out.append(v.value)
        elif v.status in ("blank", "slash", "dash", "none_word"):
            out.append(0)
        else:
            return None
    return tuple(out)


def _t3_row_cells(row: RawRow) -> tuple[list[tuple[str, str]] | None, str | None]:
    """[(column key, raw)] in template column order for a table 三 row with known cells, or None.
    Second value: a warning."""
    if row.cells is None:
        return None, None
    if row.columns and len(row.columns) == len(row.cells):
        keys = [t3_column_key(h) for h in row.columns]
        if len([k for k in keys if k]) == 7 and len(set(keys) - {None}) == 7:
            by_header = [(k, c) for k, c in zip(keys, row.cells, strict=True) if k]
            return sorted(by_header, key=lambda kc: _COL_ORDER[kc[0]]), None  # headers in another order
    if len(row.cells) == 7:
        return list(zip(T.T3_COLUMNS, row.cells, strict=True)), None
    return None, f"row {row.label!r}: {len(row.cells)} cells for 7 columns"


_ROW_ORDER = {d.key: i for i, d in enumerate(T.T3_ROWS)}
_COL_ORDER = {c: i for i, c in enumerate(T.T3_COLUMNS)}


def map_t3(table: RawTable, out: Mapped) -> None:
    keys_seen = {r.key for r in table.rows if r.key}
    version = (
        "2021"
        if (
            any(T.norm_label(m) in table.header_text for m in T.T3_2021_MARKERS)
            or keys_seen & {"other_no_correction", "other_fee_unpaid", "other_misc"}
            or any(
                any(T.norm_label(m) in T.norm_label(r.label) for m in T.T3_2021_MARKERS) for r in table.rows
            )
        )
        else "2019"
    )
    out.versions["t3"] = version
    printed: dict[str, list[tuple[str, str]]] = {}
    runs: dict[str, RawRow] = {}
    unreadable: dict[str, RawRow] = {}
    unknown: list[RawRow] = []
    idx = 0
    for row in table.rows:
        key = row.key
        if key is None:
            key, idx = classify_t3_label(row.label, version, idx)
            if key is not None:
                idx += 1
        if key is None:
            unknown.append(row)
            continue
        if key.startswith("_"):  # a group label printed with numbers: an extra subtotal row
            key = {
                "_withheld": "withheld_total",
                "_unable": "unable_total",
                "_not_processed": "not_processed_total",
                "_other": "other_total",
            }.get(key)
            if key is None or row.cells is None or all(not c.strip() for c in row.cells):
                continue
            out.warnings.append(
                f"table 三: extra subtotal row {row.label!r} kept as {key} (excluded from I2)"
            )
        if key in printed or key in runs or key in unreadable:
            out.warnings.append(f"table 三: row {key} printed twice; kept the first")
            continue
        if row.glued:
            out.warnings.append(
                f"table 三: digits glued to label {row.label.strip()!r} ignored; the row has 7 cells after it"
            )
        if row.leftover:
            out.warnings.append(_leftover_warning("三", key, row))
        cells, warn = _t3_row_cells(row)
        if cells is not None:
            printed[key] = cells
        elif row.run:
            runs[key] = row
        else:
            unreadable[key] = row
            if warn:
                out.warnings.append("table 三: " + warn)
    by_row: dict[str, list[T3Cell]] = {}
    # digit runs: candidates by the row rule, then the column rules pick
    if runs:
        cand: dict[str, list[tuple[int, ...]] | None] = {}
        for k, cells in printed.items():
            t = _printed_tuple([c for _, c in cells])
            cand[k] = [t] if t is not None else None
        for k, row in runs.items():
            cand[k] = splits(row.run or "", 7, [(0, 7)], boundaries=row.run_boundaries) or []
        leaves = T.T3_LEAF_SUM[version]

        def i1(a, col):
            need = ("new_received", "carried_over_in", "processed_total", "carried_over_out")
            if not all(n in a for n in need):
                return None
            return (
                a["new_received"][col] + a["carried_over_in"][col]
                == a["processed_total"][col] + a["carried_over_out"][col]
            )

        def i2(a, col):
            if "processed_total" not in a or not all(n in a for n in leaves):
                return None
            return a["processed_total"][col] == sum(a[n][col] for n in leaves)

        constraints = [lambda a, c=c: i1(a, c) for c in range(7)] + [
            lambda a, c=c: i2(a, c) for c in range(7)
        ]
        solved = solve_rows(cand, constraints)
        for k, row in runs.items():
            tup = solved.get(k)
            if tup is None:
                unreadable[k] = row
                n = len(cand.get(k) or [])
                out.warnings.append(
                    f"table 三: row {k} digits {row.run!r} fit {'no' if n == 0 else 'several'} splits; recorded as unreadable"
                )
            else:
                by_row[k] = [
                    T3Cell(k, col, v, row.run or "", "inferred")
                    for col, v in zip(T.T3_COLUMNS, tup, strict=True)
                ]
        if any(solved.get(k) for k in runs):
            out.warnings.append(
                "table 三: some cells were inferred from digit runs by the identities; checks on them confirm nothing"
            )
    for k, cells in printed.items():
        by_row[k] = [T3Cell(k, col, (v := parse_cell(raw)).value, raw, v.status) for col, raw in cells]
    for k, row in unreadable.items():
        raw = (row.run or row.segment).strip()
        by_row[k] = [T3Cell(k, col, None, raw, "unparseable") for col in T.T3_COLUMNS]
    # template row order (no sort over every cell), then unknown rows as printed
    out.t3 += [c for key in _ROW_ORDER if key in by_row for c in by_row.pop(key)]
    out.t3 += [c for cells in by_row.values() for c in cells]
    for row in unknown:
        if row.cells and any(parse_cell(c).status == "number" for c in row.cells):
            for i, raw in enumerate(row.cells):
                v = parse_cell(raw)
                col = T.T3_COLUMNS[i] if len(row.cells) == 7 else f"col{i + 1}"
                out.t3.append(T3Cell("unknown", col, v.value, raw, v.status, label=row.label.strip()))
            out.warnings.append(f"table 三: unknown row {row.label.strip()!r} stored as unknown")
    present = {c.row for c in out.t3}
    missing = [d.key for d in T.t3_data_rows(version) if d.key not in present]
    if missing:
        out.warnings.append(f"table 三: rows not found: {', '.join(missing)}")


# ------------------------------------------------------------------------------------------ t2


def _t2_version(table: RawTable) -> str:
    h = table.header_text
    if any(T.norm_label(m) in h for m in T.T2_2021_MARKERS):
        return "2021"
    if any(T.norm_label(m) in h for m in T.T2_2019_MARKERS):
        return "2019"
    return "2021"


def map_t2(table: RawTable, out: Mapped) -> None:
    version = _t2_version(table)
    out.versions["t2"] = version
    blocks = {b.caption_no: b for b in T.T2_BLOCKS[version]}
    for row in table.rows:
        block = blocks.get(row.block or "")
        if block is None:
            continue
        item = row.key
        if item is None:
            n = T.norm_label(row.label)
            for k, labels in sorted(block.items, key=lambda kv: -max(len(x) for x in kv[1])):
                if any(n.endswith(T.norm_label(lab)) for lab in labels):
                    item = k
                    break
        metrics = [m for m, _ in block.metrics]
        cells: list[tuple[str, str]] | None = None
        if row.cells is not None:
            if row.columns and len(row.columns) == len(row.cells):
                keys = [_metric_key(block, h) for h in row.columns]
                if set(keys) - {None} == set(metrics):
                    cells = [(k, c) for k, c in zip(keys, row.cells, strict=True) if k]
            if cells is None and len(row.cells) == len(metrics):
                cells = list(zip(metrics, row.cells, strict=True))
        bkey = block.key
        ikey = item or "unknown"
        if row.leftover:
            out.warnings.append(_leftover_warning("二", f"{bkey}/{ikey}", row))
        label = row.label.strip() if item is None else None
        if cells is not None:
            for m, raw in cells:
                v = parse_cell(raw)
                unit = v.unit or T.T2_METRIC_UNITS.get(m)
                out.t2.append(T2Cell(bkey, ikey, m, v.value, unit, raw, v.status, label=label))
            continue
        if row.run:
            found = splits(row.run, len(metrics), boundaries=row.run_boundaries, limit=2)
            if len(found) == 1:
                for m, num in zip(metrics, found[0], strict=True):
                    out.t2.append(
                        T2Cell(bkey, ikey, m, num, T.T2_METRIC_UNITS.get(m), row.run, "inferred", label)
                    )
                continue
            out.warnings.append(f"table 二: {bkey}/{ikey} digits {row.run!r} have several splits; unreadable")
        for m in metrics:
            out.t2.append(
                T2Cell(bkey, ikey, m, None, None, (row.run or row.segment).strip(), "unparseable", label)
            )


# ------------------------------------------------------------------------------------------ t4


def map_t4(table: RawTable, out: Mapped) -> None:
    row = table.rows[0]
    keys = [f"{b}:{o}" for b in T.T4_BLOCKS for o in T.T4_OUTCOMES]
    cells: list[tuple[str, str]] | None = None
    if row.cells is not None:
        if row.columns and len(row.columns) == len(row.cells):
            ks = [t4_column_key(h) for h in row.columns]
            if len({k for k in ks if k}) == 15:
                cells = [(f"{k[0]}:{k[1]}", c) for k, c in zip(ks, row.cells, strict=True) if k]
        if cells is None and len(row.cells) == 15:
            cells = list(zip(keys, row.cells, strict=True))
        if cells is None:  # headers lost their spans: the 15 printed values in template order
            vals = [c for c in row.cells if c.strip()]
            if len(row.cells) > 15 and len(vals) == 15:
                cells = list(zip(keys, vals, strict=True))
    if cells is not None:
        for k, raw in cells:
            b, o = k.split(":")
            v = parse_cell(raw)
            out.t4.append(T4Cell(b, o, v.value, raw, v.status))
        return
    if row.run:
        found = splits(row.run, 15, [(0, 5), (5, 10), (10, 15)], boundaries=row.run_boundaries, limit=2)
        if len(found) == 1:
            for k, num in zip(keys, found[0], strict=True):
                b, o = k.split(":")
                out.t4.append(T4Cell(b, o, num, row.run, "inferred"))
            out.warnings.append("table 四: cells inferred from a digit run; I4 confirms nothing about them")
            return
        out.warnings.append(
            f"table 四: digits {row.run!r} fit {'no' if not found else 'several'} splits; unreadable"
        )
    else:
        out.warnings.append("table 四: cell positions unknown; unreadable")
    for k in keys:
        b, o = k.split(":")
        out.t4.append(T4Cell(b, o, None, (row.run or row.segment).strip(), "unparseable"))


def map_tables(tables: list[RawTable]) -> Mapped:
    out = Mapped()
    done: set[str] = set()
    for t in tables:
        if t.kind in done:
            out.warnings.append(f"a second table {t.kind} was found and ignored")
            continue
        done.add(t.kind)
        {"t2": map_t2, "t3": map_t3, "t4": map_t4}[t.kind](t, out)
    if "t4" in out.versions or out.t4:
        out.versions.setdefault("t4", out.versions.get("t3") or out.versions.get("t2") or "2021")
    return out
