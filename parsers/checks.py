"""Identities I1–I4 (spec §7). Printed values are never changed; a failing source fails its check."""

from __future__ import annotations

from functools import lru_cache

from . import template as T
from .record import Check, Number, T3Cell, T4Cell

_ZEROISH = frozenset(("blank", "slash", "dash", "none_word"))
_NUMERIC = frozenset(("number", "inferred"))

Values = dict[tuple[str, str], Number | None]


def _values(cells: list, keys: list[tuple[str, str]]) -> tuple[Values, set[tuple[str, str]]]:  # type: ignore[type-arg]
    """(key → value for checks, keys of inferred cells). Blank-like cells count 0, but only when the table
    has numbers; unreadable cells have no value, so checks that need them are skipped, never guessed."""
    zero = 0 if any(c.status in _NUMERIC for c in cells) else None
    values: Values = {}
    inferred: set[tuple[str, str]] = set()
    for key, c in zip(keys, cells, strict=True):
        status = c.status
        if status in _NUMERIC:
            values[key] = c.value
            if status == "inferred":
                inferred.add(key)
        else:
            values[key] = zero if status in _ZEROISH else None
    return values, inferred


def _check(  # type: ignore[no-untyped-def]
    out: list[Check], skipped: list[str], vals: tuple[Values, set], cid: str, scope: str, lhs, rhs
) -> None:
    values, inferred = vals
    left = list(map(values.get, lhs))
    right = list(map(values.get, rhs))
    if None in left or None in right:  # a cell missing or unreadable: the identity cannot be evaluated
        skipped.append(f"{cid}:{scope}")
        return
    total_l, total_r = sum(left), sum(right)
    basis = (
        "inferred" if inferred and not (inferred.isdisjoint(lhs) and inferred.isdisjoint(rhs)) else "printed"
    )
    out.append(Check(cid, scope, total_l, total_r, total_l == total_r, basis))


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
        vals = _values(t3, [(c.row, c.col) for c in t3])
        rows = {c.row for c in t3}
        totals = {c.row: c.status for c in t3 if c.col == "total"}
        for cid, scope, lhs, rhs in _t3_check_keys(version):
            if cid == "I3" and (scope not in rows or totals.get(scope, "blank") == "blank"):
                continue  # row absent, or (spec §7) a blank 总计 means "not filled": skip I3
            _check(checks, skipped, vals, cid, scope, lhs, rhs)
    if t4:
        vals4 = _values(t4, [(c.block, c.outcome) for c in t4])
        for b in T.T4_BLOCKS:
            _check(checks, skipped, vals4, "I4", b, [(b, "total")], [(b, o) for o in T.T4_OUTCOMES[:4]])
    warnings = (
        ["checks not evaluated (cells missing or unreadable): " + ", ".join(skipped)] if skipped else []
    )
    return checks, warnings
