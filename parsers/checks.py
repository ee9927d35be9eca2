"""Identities I1–I4 (spec §7). Printed values are never changed; a failing source fails its check."""

from __future__ import annotations

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


_COL_INDEX = {c: i for i, c in enumerate(T.T3_COLUMNS)}
_TOTAL = _COL_INDEX["total"]


def _t3_rows(t3: list[T3Cell]) -> tuple[dict[str, list], set[tuple[str, int]], dict[str, str]]:  # type: ignore[type-arg]
    """Row → its seven values for checks (None: unknown), the inferred (row, column) cells, and the status of
    each row's 总计 cell. Blank-like cells count 0 only when the table has numbers (see ``_values``)."""
    zero = 0 if any(c.status in _NUMERIC for c in t3) else None
    rows: dict[str, list] = {}  # type: ignore[type-arg]
    inferred: set[tuple[str, int]] = set()
    total_status: dict[str, str] = {}
    for c in t3:
        i = _COL_INDEX.get(c.col)
        if i is None:  # an unknown row's extra columns take part in no identity
            continue
        vals = rows.get(c.row)
        if vals is None:
            vals = rows[c.row] = [None] * 7
        status = c.status
        if status in _NUMERIC:
            vals[i] = c.value
            if status == "inferred":
                inferred.add((c.row, i))
        elif status in _ZEROISH:
            vals[i] = zero
        else:
            vals[i] = None
        if i == _TOTAL:
            total_status[c.row] = status
    return rows, inferred, total_status


def _t3_checks(t3: list[T3Cell], version: str, checks: list[Check], skipped: list[str]) -> None:
    """I1 and I2 per column, I3 per row, computed on whole rows of seven values."""
    rows, inferred, total_status = _t3_rows(t3)
    missing = [None] * 7

    def add(cid: str, scope: str, left: list, right: list, cells: list[tuple[str, int]]) -> None:  # type: ignore[type-arg]
        if None in left or None in right:  # a cell missing or unreadable: the identity cannot be evaluated
            skipped.append(f"{cid}:{scope}")
            return
        total_l, total_r = sum(left), sum(right)
        basis = "inferred" if inferred and not inferred.isdisjoint(cells) else "printed"
        checks.append(Check(cid, scope, total_l, total_r, total_l == total_r, basis))

    i1_rows = ("new_received", "carried_over_in", "processed_total", "carried_over_out")
    new, carried_in, total, carried_out = (rows.get(r, missing) for r in i1_rows)
    for i, col in enumerate(T.T3_COLUMNS):
        cells = [(r, i) for r in i1_rows] if inferred else []
        add("I1", col, [new[i], carried_in[i]], [total[i], carried_out[i]], cells)
    leaves = T.T3_LEAF_SUM[version]
    leaf_rows = [rows.get(r, missing) for r in leaves]
    for i, col in enumerate(T.T3_COLUMNS):
        cells = [("processed_total", i)] + [(r, i) for r in leaves] if inferred else []
        add("I2", col, [total[i]], [vals[i] for vals in leaf_rows], cells)
    for d in T.t3_data_rows(version):
        vals = rows.get(d.key)
        if vals is None or total_status.get(d.key, "blank") == "blank":
            continue  # row absent, or (spec §7) a blank 总计 means "not filled": skip I3
        add("I3", d.key, [vals[_TOTAL]], vals[:_TOTAL], [(d.key, i) for i in range(7)] if inferred else [])


def run_checks(t3: list[T3Cell], t4: list[T4Cell], t3_version: str | None) -> tuple[list[Check], list[str]]:
    checks: list[Check] = []
    skipped: list[str] = []
    if t3:
        _t3_checks(t3, t3_version or "2019", checks, skipped)
    if t4:
        vals4 = _values(t4, [(c.block, c.outcome) for c in t4])
        for b in T.T4_BLOCKS:
            _check(checks, skipped, vals4, "I4", b, [(b, "total")], [(b, o) for o in T.T4_OUTCOMES[:4]])
    warnings = (
        ["checks not evaluated (cells missing or unreadable): " + ", ".join(skipped)] if skipped else []
    )
    return checks, warnings
