"""Identities I1–I4 (spec §7). Printed values are never changed; a failing source fails its check."""

from __future__ import annotations

from . import template as T
from .record import Check, Number, T3Cell, T4Cell

_ZEROISH = ("blank", "slash", "dash", "none_word")


def _lookup(cells, key_of):
    table = {key_of(c): c for c in cells}
    any_number = any(c.status in ("number", "inferred") for c in cells)
    return table, any_number


def _val(cell, any_number: bool) -> Number | None:
    """Value for a check: numbers as printed; blank-like cells count 0 when the table has numbers."""
    if cell is None:
        return None
    if cell.status in ("number", "inferred"):
        return cell.value
    if cell.status in _ZEROISH and any_number:
        return 0
    return None


def _sum(cells, any_number) -> tuple[Number | None, bool]:
    total: Number = 0
    inferred = False
    for c in cells:
        v = _val(c, any_number)
        if v is None:
            return None, False
        total += v
        inferred |= c.status == "inferred"
    return total, inferred


def _check(
    out: list[Check], skipped: list[str], cid: str, scope: str, lhs_cells, rhs_cells, any_number
) -> None:
    lhs, inf1 = _sum(lhs_cells, any_number)
    rhs, inf2 = _sum(rhs_cells, any_number)
    if lhs is None or rhs is None:
        skipped.append(f"{cid}:{scope}")
        return
    out.append(Check(cid, scope, lhs, rhs, lhs == rhs, "inferred" if (inf1 or inf2) else "printed"))


def run_checks(t3: list[T3Cell], t4: list[T4Cell], t3_version: str | None) -> tuple[list[Check], list[str]]:
    checks: list[Check] = []
    skipped: list[str] = []
    warnings: list[str] = []
    if t3:
        version = t3_version or "2019"
        cells, anyn = _lookup(t3, lambda c: (c.row, c.col))
        rows = {c.row for c in t3}
        for col in T.T3_COLUMNS:
            g = lambda r, col=col: cells.get((r, col))  # noqa: E731
            _check(
                checks,
                skipped,
                "I1",
                col,
                [g("new_received"), g("carried_over_in")],
                [g("processed_total"), g("carried_over_out")],
                anyn,
            )
        for col in T.T3_COLUMNS:
            g = lambda r, col=col: cells.get((r, col))  # noqa: E731
            _check(
                checks,
                skipped,
                "I2",
                col,
                [g("processed_total")],
                [g(r) for r in T.T3_LEAF_SUM[version]],
                anyn,
            )
        for d in T.t3_data_rows(version):
            if d.key not in rows:
                continue
            total = cells.get((d.key, "total"))
            if total is None or total.status == "blank":
                continue  # spec §7: a blank 总计 means "not filled"; skip I3
            _check(
                checks, skipped, "I3", d.key, [total], [cells.get((d.key, c)) for c in T.T3_COLUMNS[:6]], anyn
            )
    if t4:
        cells4, anyn4 = _lookup(t4, lambda c: (c.block, c.outcome))
        for b in T.T4_BLOCKS:
            _check(
                checks,
                skipped,
                "I4",
                b,
                [cells4.get((b, "total"))],
                [cells4.get((b, o)) for o in T.T4_OUTCOMES[:4]],
                anyn4,
            )
    if skipped:
        warnings.append("checks not evaluated (cells missing or unreadable): " + ", ".join(skipped))
    return checks, warnings
