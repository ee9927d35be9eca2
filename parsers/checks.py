"""Identities I1–I4 (spec §7). Printed values are never changed; a failing source fails its check."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from . import template as T
from .record import Check, Number, T3Cell, T4Cell

_ZEROISH = frozenset(("blank", "slash", "dash", "none_word"))
_NUMERIC = frozenset(("number", "inferred"))

Values = dict[tuple[str, str], tuple[Number | None, bool]]


def _values(cells: Iterable, key_of) -> Values:  # type: ignore[no-untyped-def]
    """(key) → (value for checks, inferred?). Blank-like cells count 0, but only when the table has numbers;
    unreadable cells have no value, so checks that need them are skipped, never guessed."""
    cells = list(cells)
    any_number = any(c.status in _NUMERIC for c in cells)
    out: Values = {}
    for c in cells:
        if c.status in _NUMERIC:
            out[key_of(c)] = (c.value, c.status == "inferred")
        elif c.status in _ZEROISH and any_number:
            out[key_of(c)] = (0, False)
        else:
            out[key_of(c)] = (None, False)
    return out


def _sum(vals: Values, keys: Iterable[tuple[str, str]]) -> tuple[Number | None, bool]:
    total: Number = 0
    inferred = False
    for k in keys:
        v, inf = vals.get(k, (None, False))
        if v is None:
            return None, False
        total += v
        inferred = inferred or inf
    return total, inferred


def _check(out: list[Check], skipped: list[str], vals: Values, cid: str, scope: str, lhs, rhs) -> None:  # type: ignore[no-untyped-def]
    left, inf1 = _sum(vals, lhs)
    right, inf2 = _sum(vals, rhs)
    if left is None or right is None:
        skipped.append(f"{cid}:{scope}")
        return
    out.append(Check(cid, scope, left, right, left == right, "inferred" if (inf1 or inf2) else "printed"))


@lru_cache(maxsize=8)
def _t3_check_keys(version: str) -> tuple[tuple[str, str, tuple, tuple], ...]:
    """(id, scope, lhs keys, rhs keys) of every table 三 identity for a template version, built once."""
    leaves = T.T3_LEAF_SUM[version]
    out: list[tuple[str, str, tuple, tuple]] = []
    for col in T.T3_COLUMNS:
        out.append(
            (
                "I1",
                col,
                (("new_received", col), ("carried_over_in", col)),
                (("processed_total", col), ("carried_over_out", col)),
            )
        )
    for col in T.T3_COLUMNS:
        out.append(("I2", col, (("processed_total", col),), tuple((r, col) for r in leaves)))
    for d in T.t3_data_rows(version):
        out.append(("I3", d.key, ((d.key, "total"),), tuple((d.key, c) for c in T.T3_COLUMNS[:6])))
    return tuple(out)


def run_checks(t3: list[T3Cell], t4: list[T4Cell], t3_version: str | None) -> tuple[list[Check], list[str]]:
    checks: list[Check] = []
    skipped: list[str] = []
    if t3:
        version = t3_version or "2019"
        vals = _values(t3, lambda c: (c.row, c.col))
        rows = {c.row for c in t3}
        totals = {c.row: c.status for c in t3 if c.col == "total"}
        for cid, scope, lhs, rhs in _t3_check_keys(version):
            if cid == "I3" and (scope not in rows or totals.get(scope, "blank") == "blank"):
                continue  # row absent, or (spec §7) a blank 总计 means "not filled": skip I3
            _check(checks, skipped, vals, cid, scope, lhs, rhs)
    if t4:
        vals4 = _values(t4, lambda c: (c.block, c.outcome))
        for b in T.T4_BLOCKS:
            _check(checks, skipped, vals4, "I4", b, [(b, "total")], [(b, o) for o in T.T4_OUTCOMES[:4]])
    warnings = (
        ["checks not evaluated (cells missing or unreadable): " + ", ".join(skipped)] if skipped else []
    )
    return checks, warnings
