"""Identities I1–I4 (spec §7). Printed values are never changed; a failing source fails its check."""

from __future__ import annotations

from . import template as T
from .record import Check, Number, T3Cell, T4Cell

_ZEROISH = frozenset(("blank", "slash", "dash", "none_word"))
_NUMERIC = frozenset(("number", "inferred"))

Rows = dict[str, list]  # type: ignore[type-arg]  # row → its values in column order (None: unknown)


class _Table:
    """A table's cells as whole rows of values for checks, computed on lists rather than cell by cell."""

    def __init__(self, cells: list[tuple[str, str, str, Number | None]], columns: tuple[str, ...]) -> None:
        """``cells``: (row, column, status, value) of every cell."""
        index = {c: i for i, c in enumerate(columns)}
        # blank-like cells count 0, but only when the table has numbers; unreadable cells have no value,
        # so checks that need them are skipped, never guessed
        zero = 0 if any(status in _NUMERIC for _, _, status, _ in cells) else None
        width = self.width = len(columns)
        rows: Rows = {}
        inferred: set[tuple[str, int]] = set()
        last_status: dict[str, str] = {}  # each row's last column (总计): its status
        get = index.get
        for row, col, status, value in cells:
            i = get(col)
            if i is None:  # an unknown row's extra columns take part in no identity
                continue
            vals = rows.get(row)
            if vals is None:
                vals = rows[row] = [None] * width
            if status in _NUMERIC:
                vals[i] = value
                if status == "inferred":
                    inferred.add((row, i))
            else:
                vals[i] = zero if status in _ZEROISH else None
            if i == width - 1:
                last_status[row] = status
        self.rows, self.inferred, self.last_status = rows, inferred, last_status

    def row(self, name: str) -> list:  # type: ignore[type-arg]
        return self.rows.get(name) or [None] * self.width

    def check(
        self,
        out: list[Check],
        skipped: list[str],
        cid: str,
        scope: str,
        left: list,
        right: list,
        cells,  # type: ignore[no-untyped-def]
    ) -> None:
        """Append the check ``sum(left) == sum(right)``; ``cells`` (row, column) say which cells it used
        (callers leave them out when nothing was inferred)."""
        if None in left or None in right:  # a cell missing or unreadable: the identity cannot be evaluated
            skipped.append(f"{cid}:{scope}")
            return
        total_l, total_r = sum(left), sum(right)
        inferred = not self.inferred.isdisjoint(cells)
        out.append(
            Check(cid, scope, total_l, total_r, total_l == total_r, "inferred" if inferred else "printed")
        )


def _t3_checks(t3: list[T3Cell], version: str, out: list[Check], skipped: list[str]) -> None:
    """I1 and I2 per column, I3 per row."""
    t = _Table([(c.row, c.col, c.status, c.value) for c in t3], T.T3_COLUMNS)
    i1_rows = ("new_received", "carried_over_in", "processed_total", "carried_over_out")
    new, carried_in, total, carried_out = map(t.row, i1_rows)
    for i, col in enumerate(T.T3_COLUMNS):
        cells = [(r, i) for r in i1_rows] if t.inferred else ()
        t.check(out, skipped, "I1", col, [new[i], carried_in[i]], [total[i], carried_out[i]], cells)
    leaves = T.T3_LEAF_SUM[version]
    leaf_rows = [t.row(r) for r in leaves]
    for i, col in enumerate(T.T3_COLUMNS):
        cells = [("processed_total", i)] + [(r, i) for r in leaves] if t.inferred else ()
        t.check(out, skipped, "I2", col, [total[i]], [vals[i] for vals in leaf_rows], cells)
    for d in T.t3_data_rows(version):
        vals = t.rows.get(d.key)
        if vals is None or t.last_status.get(d.key, "blank") == "blank":
            continue  # row absent, or (spec §7) a blank 总计 means "not filled": skip I3
        cells = [(d.key, i) for i in range(7)] if t.inferred else ()
        t.check(out, skipped, "I3", d.key, [vals[-1]], vals[:-1], cells)


def _t4_checks(t4: list[T4Cell], out: list[Check], skipped: list[str]) -> None:
    """I4 per block: the four outcomes add up to 总计."""
    t = _Table([(c.block, c.outcome, c.status, c.value) for c in t4], T.T4_OUTCOMES)
    for b in T.T4_BLOCKS:
        vals = t.row(b)
        t.check(out, skipped, "I4", b, [vals[-1]], vals[:-1], [(b, i) for i in range(5)])


def run_checks(t3: list[T3Cell], t4: list[T4Cell], t3_version: str | None) -> tuple[list[Check], list[str]]:
    checks: list[Check] = []
    skipped: list[str] = []
    if t3:
        _t3_checks(t3, t3_version or "2019", checks, skipped)
    if t4:
        _t4_checks(t4, checks, skipped)
    warnings = (
        ["checks not evaluated (cells missing or unreadable): " + ", ".join(skipped)] if skipped else []
    )
    return checks, warnings
